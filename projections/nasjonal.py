"""The national read models' rows of one folded hjemmel, and the kommune views built from them (issue 4.5)."""
from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

import msgspec

from hjemmel.domain.beslutninger import Satser
from hjemmel.domain.hendelser import Hendelse
from hjemmel.domain.hjemmel import Hjemmel, evolve
from hjemmel.domain.penger import formater
from hjemmel.domain.regler import Regler
from hjemmel.projections.betalinger import beregn
from hjemmel.projections.frister import frister
from hjemmel.projections.status import status


class Oversikt(msgspec.Struct, frozen=True, kw_only=True):
    """One row of `lm_hjemmel`: the status view flattened, with the open deadlines counted."""

    hjemmel: str
    kommune: str
    status: str
    tildeling: str
    korrigering: str
    lege_id: str | None
    lege_navn: str | None
    lege_fodselsdato: str | None
    listetak: int
    opphorsdato: str | None
    apne_frister: int
    neste_frist: str | None
    neste_frist_dato: str | None
    versjon: int
    posisjon: int
    as_of: str | None  # the date the row was derived for; None once a later sats made it stale


class ApenFrist(msgspec.Struct, frozen=True, kw_only=True):
    """One row of `lm_frist`: a deadline that is still `apen` (class A or B) on the row's as_of."""

    hjemmel: str
    kommune: str
    frist: str
    dato: str
    klausul: str
    utlost_av: int


class Betaling(msgspec.Struct, frozen=True, kw_only=True):
    """One row of `lm_betaling`: a payment obligation as the `betalinger` view gives it."""

    hjemmel: str
    kommune: str
    type: str
    periode: str | None
    forfall: str | None
    betaler: str
    mottaker: str
    belop: str
    grunnlag: str
    klausul: str


class Rader(msgspec.Struct, frozen=True, kw_only=True):
    """Everything the national read models hold for one hjemmel as of one date."""

    oversikt: Oversikt
    frister: list[ApenFrist]
    betalinger: list[Betaling]


def folde(h: Hjemmel | None, posisjon: int, e: Hendelse, regler: Regler) -> Hjemmel:
    """The read models' fold: one event into the hjemmel's state (the domain's `evolve`, so the national
    views and the single-hjemmel queries can never disagree). A stream with corrections is folded whole
    by `folde_hjemmel` instead, because a correction rewrites earlier events (D17)."""
    h = h if h is not None else Hjemmel(key=e.hjemmel, regler=regler)
    evolve(h, posisjon, e)
    return h


def rader(h: Hjemmel, satser: Satser, as_of: date) -> Rader:
    """The rows of a hjemmel folded up to the end of `as_of` (fram_til done by the caller)."""
    s = status(h, as_of)
    apne = sorted((f for f in frister(h, as_of) if f["tilstand"] == "apen"), key=lambda f: (f["dato"], f["frist"]))
    lege = s["lege"] or {}
    oversikt = Oversikt(
        hjemmel=h.key, kommune=h.kommune, status=s["status"], tildeling=s["tildeling"],
        korrigering=s["korrigering"], lege_id=lege.get("id"), lege_navn=lege.get("navn"),
        lege_fodselsdato=_iso(lege.get("fodselsdato")), listetak=s["listetak"], opphorsdato=s["opphorsdato"],
        apne_frister=len(apne), neste_frist=apne[0]["frist"] if apne else None,
        neste_frist_dato=apne[0]["dato"] if apne else None, versjon=h.versjon, posisjon=h.posisjon,
        as_of=as_of.isoformat(),
    )
    apne_rader = [ApenFrist(hjemmel=h.key, kommune=h.kommune, frist=f["frist"], dato=f["dato"],
                            klausul=f["hjemmel_i_avtalen"], utlost_av=f["utlost_av"]) for f in apne]
    return Rader(oversikt=oversikt, frister=apne_rader, betalinger=betalingsrader(h, satser, as_of, vindu(as_of)))


def vindu(as_of: date) -> date:
    """The first forfall the read model keeps: 1 January of the year before `as_of`. Older months are
    settled history, asked for rarely, and folded on demand instead of rewritten with every event."""
    return date(as_of.year - 1, 1, 1)


def betalingsrader(h: Hjemmel, satser: Satser, as_of: date, fra: date | None = None) -> list[Betaling]:
    """The `betalinger` view of one hjemmel as rows, those falling due on or after `fra` (None: all)."""
    return [Betaling(hjemmel=h.key, kommune=h.kommune, type=p.type, periode=p.periode,
                     forfall=p.forfall.isoformat() if p.forfall else None, betaler=p.betaler,
                     mottaker=p.mottaker, belop=formater(p.belop), grunnlag=p.grunnlag, klausul=p.klausul)
            for p in beregn(h, satser, as_of)[0] if fra is None or (p.forfall is not None and p.forfall >= fra)]


def _iso(verdi: Any) -> str | None:
    return verdi.isoformat() if isinstance(verdi, date) else verdi


def oversikt_json(rad: Oversikt) -> dict[str, Any]:
    """One hjemmel of `hjemmel oversikt --json`: the status fields, the lege as in `status`, the deadlines."""
    lege = None if rad.lege_id is None else {"id": rad.lege_id, "navn": rad.lege_navn,
                                              "fodselsdato": rad.lege_fodselsdato}
    neste = None if rad.neste_frist is None else {"frist": rad.neste_frist, "dato": rad.neste_frist_dato}
    return {"hjemmel": rad.hjemmel, "status": rad.status, "tildeling": rad.tildeling,
            "korrigering": rad.korrigering, "lege": lege, "listetak": rad.listetak,
            "opphorsdato": rad.opphorsdato, "apne_frister": rad.apne_frister, "neste_frist": neste,
            "versjon": rad.versjon, "posisjon": rad.posisjon, "as_of": rad.as_of}


def betaling_json(rad: Betaling) -> dict[str, Any]:
    """One payment of `hjemmel forfall --json`: the `betalinger` shape (interface §4) plus its hjemmel."""
    return {"hjemmel": rad.hjemmel, "type": rad.type, "periode": rad.periode, "forfall": rad.forfall,
            "betaler": rad.betaler, "mottaker": rad.mottaker, "belop": rad.belop, "grunnlag": rad.grunnlag,
            "hjemmel_i_avtalen": rad.klausul}


def summer(betalinger: list[Betaling]) -> dict[str, dict[str, str]]:
    """Totals per type and per payer, exact to the øre (withheld trekk counts negative)."""
    per_type: dict[str, Decimal] = defaultdict(Decimal)
    per_betaler: dict[str, Decimal] = defaultdict(Decimal)
    for b in betalinger:
        per_type[b.type] += Decimal(b.belop)
        per_betaler[b.betaler] += Decimal(b.belop)
    return {"per_type": {k: formater(v) for k, v in sorted(per_type.items())},
            "per_betaler": {k: formater(v) for k, v in sorted(per_betaler.items())}}
