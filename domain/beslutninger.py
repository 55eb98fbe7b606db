"""Decisions: one function per contract `cmd`, checking domain.md §2.7 in order and returning the event."""
from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Callable, get_args, get_origin

import msgspec

from hjemmel.domain import frister as fr
from hjemmel.domain import kommandoer as k
from hjemmel.domain.avvist import Avvist, asa
from hjemmel.domain.hendelser import ENVELOPE, HENDELSESTYPER, SATSER, Hendelse
from hjemmel.domain.hjemmel import HOLDER, Hjemmel
from hjemmel.domain.kalender import forste_dag, parse_maned
from hjemmel.domain.penger import parse_belop
from hjemmel.domain.paragraf15 import (
    _holder, forhold_rettet, klage, skriftlig_advarsel, trekk_vedtatt, uttalelse_anmodet, uttalelse_mottatt,
    varsel_om_retting,
)
from hjemmel.domain.tilstand import Tilbud

NOKKEL = re.compile(r"^[0-9]{4}-[0-9]{3,}$")
PENGEFELT = frozenset({"belop", "vikar_belop", "prisantydning", "pris", "belop_per_innbygger_per_ar"})


class Satser(msgspec.Struct, kw_only=True):
    """The national aggregate `satser` (kommune 0000): every BasistilskuddSatsFastsatt, in order."""

    versjon: int = 0
    siste_hash: str = "0" * 64
    siste_dato: date | None = None
    satser: list[tuple[date, Decimal, int]] = msgspec.field(default_factory=list)
    hendelser: list = msgspec.field(default_factory=list)  # (posisjon, stored event): correction targets


def aggregatnokkel(cmd: k.Kommando) -> str:
    """The aggregate a command belongs to: its hjemmel, or `satser` for a sats (or its correction)."""
    if isinstance(cmd, k.SatsK):
        return SATSER
    if isinstance(cmd, k.KorreksjonK):
        return cmd.hjemmel or SATSER
    return cmd.hjemmel  # type: ignore[attr-defined]


def beslutt(h: Hjemmel | Satser | None, cmd: k.Kommando, idag: date, registrert: datetime,
            korreksjonsmal: Callable[[int], tuple[str, dict[str, Any]] | None] | None = None) -> Hendelse:
    """Checks 3–7 of domain.md §2.7 for a decoded command against its folded aggregate.

    `h` is None when the aggregate has no events. Returns the new event, unchained (see forsegl).
    """
    cmdnavn = cmd.__struct_config__.tag
    if cmd.dato > idag:
        raise Avvist("dato_i_fremtiden", f"Datoen {cmd.dato} er etter dagens dato {idag}", None)
    nokkel = aggregatnokkel(cmd)
    if nokkel == SATSER:
        if not isinstance(cmd, (k.SatsK, k.KorreksjonK)):
            raise Avvist("ugyldig_nokkel", "Nøkkelen `satser` er forbeholdt satsene", asa("§5.1"))
    elif not NOKKEL.match(nokkel):
        raise Avvist("ugyldig_nokkel", f"Ugyldig hjemmelnøkkel {nokkel!r}: ventet <kommunenummer>-<løpenummer>",
                     asa("§5.1"))
    elif (h is None or not h.versjon) and not isinstance(cmd, k.OpprettHjemmel):
        raise Avvist("hjemmel_finnes_ikke", f"Hjemmel {nokkel} finnes ikke", asa("§5.1"))
    if h is not None and h.siste_dato is not None and cmd.dato < h.siste_dato:
        raise Avvist("dato_for_tidlig", f"Datoen {cmd.dato} er før siste dato {h.siste_dato} i strømmen; "
                     "sen kunnskap om fortiden føres som korreksjon", None)
    if isinstance(h, Hjemmel):
        h.fram_til(cmd.dato, til_og_med=False)  # the state during the command's dato (S1)
        if h.status == "NEDLAGT" and not isinstance(cmd, k.KorreksjonK):
            raise Avvist("hjemmel_nedlagt", f"Hjemmel {nokkel} er nedlagt", asa("§5.2"))
    if isinstance(cmd, k.SatsK):
        return _sats(h if isinstance(h, Satser) else Satser(), cmd, registrert)
    if isinstance(cmd, k.KorreksjonK):
        from hjemmel.domain.korreksjon import korreksjon
        return korreksjon(h, cmd, nokkel, idag, registrert, korreksjonsmal)
    if isinstance(cmd, k.OpprettHjemmel):
        return _opprett(h, cmd, registrert)
    assert isinstance(h, Hjemmel)
    if isinstance(cmd, (k.LokaltTiltakK, k.GjenkjopUtlostK)):
        from hjemmel.domain import tiltak
        felter = tiltak.beslutt(h, cmd)
    else:
        felter = BESLUTNINGER[cmdnavn](h, cmd)
    return lag_hendelse(cmdnavn, h.key, h.versjon + 1, cmd, registrert, felter)


def _uten_krav(t: Any) -> Any:
    """A field type without its msgspec.Meta constraints (checked when the command was read)."""
    return get_args(t)[0] if get_origin(t) is Annotated else t


def _samme_felt(cmdnavn: str) -> tuple[str, ...] | None:
    """The data fields of a command whose event takes them as they are (same names and types, nothing
    added, no money string to parse), so the event can be built without a conversion; else None."""
    cmd = {f.name: _uten_krav(f.type) for f in msgspec.structs.fields(k.KOMMANDOTYPER[cmdnavn])
           if f.name != "hjemmel"}
    hendelse = {f.name: _uten_krav(f.type) for f in msgspec.structs.fields(HENDELSESTYPER[k.HENDELSE_FOR[cmdnavn]])
                if f.name not in ENVELOPE or f.name == "dato"}
    if cmd != hendelse or PENGEFELT.intersection(cmd):
        return None
    return tuple(f for f in cmd if f != "dato")


_DIREKTE = {cmdnavn: felt for cmdnavn in k.HENDELSE_FOR if (felt := _samme_felt(cmdnavn)) is not None}


def lag_hendelse(cmdnavn: str, nokkel: str, versjon: int, cmd: k.Kommando, registrert: datetime,
                 felter: dict[str, Any] | None = None) -> Hendelse:
    """The event a command stores: the command's own fields (money as Decimal) under the envelope."""
    direkte = _DIREKTE.get(cmdnavn)
    if direkte is not None and not felter:  # the frequent case, e.g. listetall: no conversion needed
        return HENDELSESTYPER[k.HENDELSE_FOR[cmdnavn]](
            hjemmel=nokkel, versjon=versjon, dato=cmd.dato, registrert=registrert,
            **{felt: getattr(cmd, felt) for felt in direkte})
    data = {key: verdi for key, verdi in msgspec.structs.asdict(cmd).items() if key != "hjemmel"}
    for key in PENGEFELT.intersection(data):
        if isinstance(data[key], str):
            data[key] = parse_belop(data[key])  # stored with exactly two decimals
    data.update(felter or {})
    data.update(type=k.HENDELSE_FOR[cmdnavn], hjemmel=nokkel, versjon=versjon, registrert=registrert)
    if isinstance(data.get("lege"), k.LegeInn):
        data["lege"] = msgspec.structs.asdict(data["lege"])
    cls = HENDELSESTYPER[data["type"]]
    return msgspec.convert(data, type=cls, from_attributes=False)


def _sats(s: Satser, cmd: k.SatsK, registrert: datetime) -> Hendelse:
    """§8.1: a rate applies to every hjemmel from its dato; stored in the national aggregate."""
    if Decimal(cmd.belop_per_innbygger_per_ar) <= 0:
        raise Avvist("felt_ugyldig", "Satsen må være større enn null", asa("§8.1"))
    return lag_hendelse("sats", SATSER, s.versjon + 1, cmd, registrert)


def _opprett(h: Hjemmel | Satser | None, cmd: k.OpprettHjemmel, registrert: datetime) -> Hendelse:
    if h is not None and h.versjon:
        raise Avvist("hjemmel_finnes_allerede", f"Hjemmel {cmd.hjemmel} finnes allerede", asa("§5.1"))
    if cmd.hjemmel.split("-")[0] != cmd.kommune:
        raise Avvist("kommune_avviker", f"Kommune {cmd.kommune} stemmer ikke med nøkkelen {cmd.hjemmel}",
                     asa("§5.1"))
    return lag_hendelse("opprett_hjemmel", cmd.hjemmel, 1, cmd, registrert)


# ---- shared guards ------------------------------------------------------------------------------

def _under_70(h: Hjemmel, lege: k.LegeInn, dato: date) -> None:
    if not fr.er_under_70(lege.fodselsdato, dato, h.regler.skuddarsdag_fodselsdag):
        raise Avvist("lege_over_70", f"Lege {lege.id} er 70 år eller eldre på {dato}", asa("§16 (3)"))


def _tilbud(h: Hjemmel, tilbud_id: str) -> Tilbud:
    t = h.tilbud.get(tilbud_id)
    if t is None:
        raise Avvist("tilbud_finnes_ikke", f"Tilbud {tilbud_id} er ikke gitt på denne hjemmelen", asa("§5.5"))
    return t


def _levende(t: Tilbud) -> None:
    if not t.levende:
        raise Avvist("tilbud_ikke_aktivt", f"Tilbud {t.id} er ikke lenger aktivt", asa("§5.6"))


def _mottatt(t: Tilbud) -> None:
    if t.mottatt is None:
        raise Avvist("tilbud_ikke_mottatt", f"Tilbud {t.id} er ikke registrert mottatt (S6)", asa("§5.6"))


def _ikke_akseptert(t: Tilbud) -> None:
    if t.akseptert is not None:
        raise Avvist("tilbud_allerede_akseptert", f"Tilbud {t.id} er allerede akseptert", asa("§5.6"))


def _pris_grunnlag(h: Hjemmel, nemnd: bool = False) -> Tilbud:
    """The tilbud a price or nemnd case is about (live, or fulfilled in the vacancy just filled), after
    the checks in the order of §2.7: a right to overdragelse, the tilbud, (for the nemnd) no open
    case, and no price yet (§5.6, S9)."""
    t = h.tildelt if h.tildelt is not None and not h.tildelt.endt else None
    ledighet = h.ledighet_av(t) if t else (h.ledighet or (h.ledigheter[-1] if h.ledigheter else None))
    if ledighet is None or ledighet.rett is None:
        raise Avvist("ingen_overdragelsesrett", "Ingen har rett til overdragelse av praksis i denne ledigheten",
                     asa("§5.6"))
    if t is None:
        raise Avvist("tilbud_mangler", "Det finnes ikke noe aktivt eller oppfylt tilbud i ledigheten", asa("§5.6"))
    if nemnd and h.nemndsak is not None:
        raise Avvist("nemnd_allerede_begjaert", "En nemndsak er allerede åpen", asa("§5.6"))
    if t.pris is not None:
        raise Avvist("pris_allerede_fastsatt", f"Prisen er allerede {t.pris_kilde} ({t.pris})", asa("§5.6"))
    return t


# ---- one decision per command ---------------------------------------------------------------------

def avtale_inngatt(h: Hjemmel, cmd: k.AvtaleInngattK) -> None:
    if h.status in HOLDER:
        raise Avvist("har_avtaleinnehaver", "Hjemmelen har allerede en avtaleinnehaver", asa("§5.5"))
    if h.status == "LEDIG":
        raise Avvist("krever_tildeling", "En ledig hjemmel med fratredende lege besettes bare ved tilbud og "
                     "tiltredelse (S21)", asa("§5.4–§5.6"))
    if h.tildeling != "INGEN":
        raise Avvist("tildeling_pagar", f"En tildeling pågår ({h.tildeling})", asa("§5.5"))
    _under_70(h, cmd.lege, cmd.dato)


def oppsigelse(h: Hjemmel, cmd: k.OppsigelseK) -> None:
    if h.status == "OPPSAGT":
        raise Avvist("allerede_oppsagt", "Avtalen er allerede sagt opp", asa("§16"))
    if h.status != "AKTIV":
        raise Avvist("ingen_avtale", f"Hjemmelen har ingen løpende avtale (status {h.status})", asa("§16"))
    if cmd.fra == "kommune" and not (cmd.begrunnelse or "").strip() \
            and h.regler.oppsigelse_kommune_begrunnelse == "krevd":
        raise Avvist("begrunnelse_mangler", "Kommunens oppsigelse må være saklig begrunnet (D2)", asa("§16 (1)"))


def heving(h: Hjemmel, cmd: k.HevingK) -> None:
    _holder(h, "§16")
    if not (cmd.begrunnelse or "").strip():
        raise Avvist("begrunnelse_mangler", "Heving krever en begrunnelse (vesentlig mislighold)", asa("§16 (2)"))


def bortfall(h: Hjemmel, cmd: k.BortfallK) -> None:
    _holder(h, "§16")
    if not cmd.grunn.strip():
        raise Avvist("felt_ugyldig", "Feltet `grunn` kan ikke være tomt", asa("§16"))


def utlysning(h: Hjemmel, cmd: k.UtlysningK) -> None:
    if h.apen_utlysning is not None:
        raise Avvist("utlysning_pagar", f"Utlysning {h.apen_utlysning.id} er fortsatt åpen", asa("§5.4"))
    if h.levende_tilbud is not None:
        raise Avvist("tilbud_pagar", f"Tilbud {h.levende_tilbud.id} er fortsatt aktivt", asa("§5.5"))
    if cmd.utlysning_id in h.utlysninger:
        raise Avvist("utlysning_id_brukt", f"Utlysnings-id {cmd.utlysning_id} er brukt før", asa("§5.4"))
    if cmd.soknadsfrist < cmd.dato:
        raise Avvist("soknadsfrist_ugyldig", "Søknadsfristen kan ikke være før utlysningsdatoen", asa("§5.4"))


def utlysning_avsluttet(h: Hjemmel, cmd: k.UtlysningAvsluttetK) -> None:
    u = h.utlysninger.get(cmd.utlysning_id)
    if u is None:
        raise Avvist("utlysning_finnes_ikke", f"Utlysning {cmd.utlysning_id} finnes ikke", asa("§5.4"))
    if not u.apen:
        raise Avvist("utlysning_allerede_avsluttet", f"Utlysning {u.id} er allerede avsluttet", asa("§5.4"))
    if cmd.utfall == "tilbud":
        if not any(t.lopenr > u.lopenr for t in h.tilbud.values()):
            raise Avvist("tilbud_mangler", f"Ingen tilbud er gitt etter utlysning {u.id} (S7)", asa("§5.5"))
        return
    if cmd.dato <= u.soknadsfrist:
        raise Avvist("soknadsfrist_ikke_utlopt", f"Søknadsfristen {u.soknadsfrist} er ikke ute (S7)", asa("§5.4"))
    if h.levende_tilbud is not None:
        raise Avvist("tilbud_pagar", f"Tilbud {h.levende_tilbud.id} er fortsatt aktivt", asa("§5.5"))


def tilbud(h: Hjemmel, cmd: k.TilbudK) -> None:
    if h.ledighet is None:
        raise Avvist("hjemmel_ikke_ledig", "Hjemmelen er ikke ledig (heller ikke i 70-årsvinduet, S4)", asa("§5.5"))
    if h.levende_tilbud is not None:
        raise Avvist("tilbud_pagar", f"Tilbud {h.levende_tilbud.id} er fortsatt aktivt", asa("§5.5"))
    if not any(u.lopenr > h.besetting_lopenr and (u.apen or u.utfall == "tilbud") for u in h.utlysninger.values()):
        raise Avvist("ikke_utlyst", "Ingen åpen utlysning (eller en avsluttet med utfall tilbud) siden hjemmelen "
                     "sist ble besatt eller hjemfalt", asa("§5.4, §5.5"))
    if cmd.tilbud_id in h.tilbud:
        raise Avvist("tilbud_id_brukt", f"Tilbuds-id {cmd.tilbud_id} er brukt før", asa("§5.5"))
    _under_70(h, cmd.lege, cmd.dato)


def tilbud_mottatt(h: Hjemmel, cmd: k.TilbudMottattK) -> None:
    t = _tilbud(h, cmd.tilbud_id)
    _levende(t)
    if t.mottatt is not None:
        raise Avvist("tilbud_allerede_mottatt", f"Tilbud {t.id} er allerede mottatt", asa("§5.6"))


def tilbud_akseptert(h: Hjemmel, cmd: k.TilbudAkseptertK) -> None:
    t = _tilbud(h, cmd.tilbud_id)
    _levende(t)
    _mottatt(t)
    _ikke_akseptert(t)


def tilbud_avslatt(h: Hjemmel, cmd: k.TilbudAvslattK) -> None:
    tilbud_akseptert(h, cmd)  # the same checks: known, live, received, not accepted


def tilbud_trukket(h: Hjemmel, cmd: k.TilbudTrukketK) -> None:
    t = _tilbud(h, cmd.tilbud_id)
    if t.avslatt is not None:
        return  # a formal record of withdrawing a declined offer (D6)
    _ikke_akseptert(t)
    _levende(t)
    if cmd.dato <= t.akseptfrist.dato:
        raise Avvist("akseptfrist_ikke_utlopt", f"Tilbudet kan trekkes først etter akseptfristen "
                     f"{t.akseptfrist.dato} (D6)", asa("§5.6 (5)"))


def pris_avtalt(h: Hjemmel, cmd: k.PrisAvtaltK) -> None:
    _pris_grunnlag(h)


def nemnd_begjaert(h: Hjemmel, cmd: k.NemndBegjaertK) -> None:
    t = _pris_grunnlag(h, nemnd=True)
    if cmd.tema == "overdragelsespris":
        _mottatt(t)
        if t.prisfrist is None or cmd.dato <= t.prisfrist.dato:
            frist = t.prisfrist.dato if t.prisfrist else "(ingen)"
            raise Avvist("prisfrist_ikke_utlopt", f"Nemnda kan fastsette prisen først etter prisfristen {frist} (D7)",
                         asa("§5.6 (2)"))


def nemnd_medvirkning_nektet(h: Hjemmel, cmd: k.NemndMedvirkningNektetK) -> None:
    if h.nemndsak is None:
        raise Avvist("ingen_nemndsak", "Ingen nemndsak er åpen", asa("§5.6"))


def nemnd_avgjort(h: Hjemmel, cmd: k.NemndAvgjortK) -> None:
    if h.nemndsak is None:
        raise Avvist("ingen_nemndsak", "Ingen nemndsak er åpen", asa("§5.9"))


def tiltredelse(h: Hjemmel, cmd: k.TiltredelseK) -> None:
    t = _tilbud(h, cmd.tilbud_id)
    if t.endt:
        raise Avvist("tilbud_ikke_aktivt", f"Tilbud {t.id} er avslått, trukket eller falt bort (S23)", asa("§5.6"))
    if t.akseptert is None:
        raise Avvist("tilbud_ikke_akseptert", f"Tilbud {t.id} er ikke akseptert", asa("§5.6"))
    if t.tiltradt is not None:
        raise Avvist("har_avtaleinnehaver", f"Tilbud {t.id} er allerede oppfylt ved tiltredelse", asa("§5.5"))
    if h.status in HOLDER:
        raise Avvist("avtale_lopende", f"Avtalen med forrige lege løper fortsatt (status {h.status})",
                     asa("§5.6, §16"))
    _under_70(h, t.lege, cmd.dato)


def hjemfall(h: Hjemmel, cmd: k.HjemfallK) -> None:
    """D9, ASA 4310 §5.8: every unmet condition is listed."""
    r, mangler = h.regler, []
    if h.status != "LEDIG":
        mangler.append(f"status er {h.status}, ikke LEDIG")
    frist = h.ledighet.hjemfall_frist if h.ledighet else None
    if frist is not None and cmd.dato < frist.dato:
        mangler.append(f"datoen er før hjemfall_tidligst {frist.dato}")
    tellende = h.ledighet.tellende if h.ledighet else 0
    if tellende < r.hjemfall_min_utlysninger:
        mangler.append(f"bare {tellende} korrekte utlysninger uten resultat (minst {r.hjemfall_min_utlysninger})")
    if h.levende_tilbud is not None:
        mangler.append(f"tilbud {h.levende_tilbud.id} er gitt eller akseptert")
    if mangler:
        raise Avvist("hjemfall_vilkar_ikke_oppfylt", "Vilkårene for hjemfall er ikke oppfylt: " + "; ".join(mangler),
                     asa("§5.8"))


def driftsutgifter(h: Hjemmel, cmd: k.DriftsutgifterK) -> None:
    ar, mnd = parse_maned(cmd.periode)
    if not (h.i_ledighetsperiode(ar, mnd) or h.driftsgaranti_for(ar, mnd) is not None):
        raise Avvist("utenfor_ledighetsperiode", f"Måneden {cmd.periode} ligger utenfor ledighetsperioden "
                     "og utenfor enhver lokal driftsgaranti (S15)", asa("§5.8 (4)"))
    if forste_dag(ar, mnd) > cmd.dato:
        raise Avvist("periode_i_fremtiden", f"Måneden {cmd.periode} er etter datoen {cmd.dato}", asa("§5.8"))
    if cmd.periode in h.driftsutgifter:
        raise Avvist("periode_allerede_dokumentert", f"Måneden {cmd.periode} er allerede dokumentert; bruk "
                     "korreksjon", asa("§5.8"))


def listetall(h: Hjemmel, cmd: k.ListetallK) -> None:
    if cmd.dato.day != 1:
        raise Avvist("listetall_ikke_forste_i_maned", "Listetall gjelder den 1. i måneden", asa("§8.1"))
    if h.listetall and h.listetall[-1][0] == cmd.dato:  # datoer never go backwards: only the last can clash
        raise Avvist("listetall_allerede_registrert", f"Listetall for {cmd.dato:%Y-%m} er allerede registrert",
                     asa("§8.1"))


BESLUTNINGER: dict[str, Callable[[Hjemmel, Any], dict[str, Any] | None]] = {
    "avtale_inngatt": avtale_inngatt, "oppsigelse": oppsigelse, "heving": heving, "bortfall": bortfall,
    "utlysning": utlysning, "utlysning_avsluttet": utlysning_avsluttet, "tilbud": tilbud,
    "tilbud_mottatt": tilbud_mottatt, "tilbud_akseptert": tilbud_akseptert, "tilbud_avslatt": tilbud_avslatt,
    "tilbud_trukket": tilbud_trukket, "pris_avtalt": pris_avtalt, "nemnd_begjaert": nemnd_begjaert,
    "nemnd_medvirkning_nektet": nemnd_medvirkning_nektet, "nemnd_avgjort": nemnd_avgjort,
    "tiltredelse": tiltredelse, "hjemfall": hjemfall, "driftsutgifter": driftsutgifter, "listetall": listetall,
    "uttalelse_anmodet": uttalelse_anmodet, "uttalelse_mottatt": uttalelse_mottatt,
    "varsel_om_retting": varsel_om_retting, "skriftlig_advarsel": skriftlig_advarsel,
    "trekk_vedtatt": trekk_vedtatt, "forhold_rettet": forhold_rettet, "klage": klage,
}
