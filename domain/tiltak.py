"""Local measures (domain.md §7): vilkar checks, the lege they name, and the buy-back guarantee (S19)."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, Literal

import msgspec

from hjemmel.domain import kommandoer as k
from hjemmel.domain.avvist import Avvist
from hjemmel.domain.hendelser import GjenkjopUtlost, LokaltTiltakAvtalt
from hjemmel.domain.hjemmel import Hjemmel
from hjemmel.domain.kalender import add_months
from hjemmel.domain.penger import rund
from hjemmel.domain.tilstand import Tiltak

LOKALT = "lokalt tiltak"


class Felles(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Fields every tiltak may carry (domain.md §7.3), all optional."""

    lege_id: k.Id | None = None
    fra: date | None = None
    til: date | None = None
    ingen_kompensasjon_opparbeidet_praksis: bool = False
    kilde: k.Tekst | None = None


class Gjenkjopsgaranti(Felles, frozen=True, kw_only=True):
    kjopesum: k.Belop
    prosent: Decimal  # 0 < p <= 100, checked in les_vilkar (msgspec has no bounds for Decimal)
    maks_belop: k.Belop
    varighet_maneder: k.Positiv = 36


class Rekrutteringstilskudd(Felles, frozen=True, kw_only=True):
    belop: k.Belop
    forfall: date | None = None
    bindingstid_maneder: k.Positiv | None = None


class Driftsgaranti(Felles, frozen=True, kw_only=True):
    maks_per_maned: k.Belop
    grunnlag: k.Tekst | None = None


class Nullhjemmel(Felles, frozen=True, kw_only=True):
    garantert_antall: k.Positiv


class Alis(Felles, frozen=True, kw_only=True):
    rolle: Literal["kandidat", "veileder"] = "kandidat"
    maks_per_ar: k.Belop | None = None
    varighet_maneder: k.Positiv = 54
    modell: Literal["tiltaksbasert", "fast_manedlig"] = "tiltaksbasert"
    stillingsprosent: Decimal | None = None  # 0 < p <= 100, checked in les_vilkar
    kandidat_lege_id: k.Id | None = None


VILKAR: dict[str, type[Felles]] = {
    "gjenkjopsgaranti": Gjenkjopsgaranti, "rekrutteringstilskudd": Rekrutteringstilskudd,
    "driftsgaranti": Driftsgaranti, "nullhjemmel": Nullhjemmel, "alis": Alis,
}
KREVER_LEGE = ("gjenkjopsgaranti", "rekrutteringstilskudd", "alis")


def les_vilkar(tiltak: str, vilkar: dict[str, Any]) -> Felles:
    """Decode a vilkar map for its tiltak, or raise `vilkar_ugyldig` naming the field."""
    try:
        v = msgspec.convert(vilkar, type=VILKAR[tiltak], strict=False)
    except msgspec.ValidationError as feil:
        raise Avvist("vilkar_ugyldig", f"Ugyldige vilkår for {tiltak}: {feil}", LOKALT) from None
    for felt in ("prosent", "stillingsprosent"):
        verdi = getattr(v, felt, None)
        if verdi is not None and not (0 < verdi <= 100):
            raise Avvist("vilkar_ugyldig", f"Ugyldige vilkår for {tiltak}: `{felt}` må være over 0 og høyst 100",
                         LOKALT)
    if v.fra is not None and v.til is not None and v.til < v.fra:
        raise Avvist("vilkar_ugyldig", f"Ugyldige vilkår for {tiltak}: `til` er før `fra`", LOKALT)
    return v


def garantibelop(v: Gjenkjopsgaranti) -> Decimal:
    """§7.3: min(round_half_up(kjopesum × prosent / 100), maks_belop)."""
    return min(rund(Decimal(v.kjopesum) * v.prosent / 100), Decimal(v.maks_belop))


def _lege_id(h: Hjemmel, tiltak: str, v: Felles) -> str | None:
    """The lege a measure is for: named, else the holder, else the lege of the accepted tilbud."""
    if v.lege_id is not None:
        if v.lege_id not in h.kjente_leger():
            raise Avvist("lege_ukjent", f"Lege {v.lege_id} er ikke kjent på denne hjemmelen", LOKALT)
        return v.lege_id
    if h.lege is not None:
        return h.lege.id
    akseptert = next((t for t in h.tilbud.values() if t.levende and t.akseptert), None)
    if akseptert is not None:
        return akseptert.lege.id
    if tiltak in KREVER_LEGE:
        raise Avvist("lege_ukjent", f"Tiltaket {tiltak} må gjelde en lege, og ingen kan utledes", LOKALT)
    return None


def beslutt(h: Hjemmel, cmd: k.LokaltTiltakK | k.GjenkjopUtlostK) -> dict[str, Any]:
    if isinstance(cmd, k.LokaltTiltakK):
        _lege_id(h, cmd.tiltak, les_vilkar(cmd.tiltak, cmd.vilkar))
        return {}
    _gjenkjop_sjekk(h, cmd)
    return {}


def tiltak_fra(h: Hjemmel, posisjon: int, e: LokaltTiltakAvtalt) -> Tiltak | None:
    """Fold: the measure with its resolved lege and [fra, til]; None (with a finding) if a stored
    measure no longer resolves after a correction (S16)."""
    try:
        v = les_vilkar(e.tiltak, e.vilkar)
        lege_id = _lege_id(h, e.tiltak, v)
    except Avvist as avvist:
        h.nytt_funn("vilkar_svikter_etter_korreksjon", e.dato, avvist.hjemmel_i_avtalen or LOKALT,
                    f"LokaltTiltakAvtalt ({e.tiltak}) gjelder ikke: {avvist.kode}: {avvist.melding}", posisjon)
        return None
    return Tiltak(e.tiltak, msgspec.structs.asdict(v), e.dato, posisjon, lege_id, v.fra or e.dato, v.til)


def _garanti(h: Hjemmel) -> Tiltak | None:
    return next((t for t in reversed(h.tiltak) if t.tiltak == "gjenkjopsgaranti" and t.lege_id), None)


def _gjenkjop_sjekk(h: Hjemmel, cmd: k.GjenkjopUtlostK):
    """§7.3 checks, in order; returns the guarantee, its vacancy and the guaranteed amount."""
    garanti = _garanti(h)
    if garanti is None:
        raise Avvist("gjenkjopsgaranti_mangler", "Hjemmelen har ingen gjenkjøpsgaranti", LOKALT)
    ledighet = next((l for l in h.ledigheter if l.gjenkjop is not None), None)
    if ledighet is not None:
        raise Avvist("gjenkjop_allerede_utlost", "Gjenkjøpsgarantien er allerede utløst", LOKALT)
    ledighet = next((l for l in reversed(h.ledigheter)
                     if l.fratredende is not None and l.fratredende.id == garanti.lege_id and l.slutter), None)
    if ledighet is None:
        raise Avvist("ingen_fratredelse", f"Lege {garanti.lege_id} har ikke sagt opp eller fratrådt", LOKALT)
    v = Gjenkjopsgaranti(**{k_: v_ for k_, v_ in garanti.vilkar.items()})
    utloper = add_months(garanti.fra, v.varighet_maneder)
    forste = min(ledighet.slutter, key=lambda s: s.dato if s.art == "alder_70" else date.min)
    slutt_dato = min((s.dato for s in ledighet.slutter if s.art != "alder_70"), default=forste.dato)
    if slutt_dato > utloper:
        raise Avvist("gjenkjopsgaranti_utlopt", f"Fratredelsen {slutt_dato} kom etter at garantien utløp {utloper}",
                     LOKALT)
    if any(t.pris is not None for t in h.tilbud.values() if h.ledigheter[t.ledighet] is ledighet):
        raise Avvist("praksis_solgt", "Praksisen er solgt på vanlig måte (pris avtalt eller fastsatt)", LOKALT)
    tak = garantibelop(v)
    if not Decimal(0) < Decimal(cmd.pris) <= tak:
        raise Avvist("gjenkjop_over_garanti", f"Prisen {cmd.pris} er over garantibeløpet {tak}", LOKALT)
    return garanti, ledighet, tak


def gjenkjop_utlost(h: Hjemmel, posisjon: int, e: GjenkjopUtlost) -> None:
    """Fold: the kommune buys the praksis; the right to overdragelse passes to the kommune (S19)."""
    try:
        garanti, ledighet, _ = _gjenkjop_sjekk(h, k.GjenkjopUtlostK(hjemmel=h.key, dato=e.dato, pris=str(e.pris)))
    except Avvist:
        return
    forfall = max(e.dato, ledighet.opphorsdato or e.dato)
    ledighet.gjenkjop = {"pris": e.pris, "dato": e.dato, "forfall": forfall, "lege_id": garanti.lege_id,
                         "posisjon": posisjon}
    if h.regler.gjenkjop_overforer_rett and ledighet.rett is not None:
        ledighet.rett = "kommune"
