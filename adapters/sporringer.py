"""The contract's queries (interface §4) over a `Register`, shared by the CLI and the HTTP API."""
from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

from hjemmel.adapters.bootstrap import utc_na
from hjemmel.domain.kalender import parse_maned
from hjemmel.projections import betalinger as betalingsvisning
from hjemmel.projections import frister as fristvisning
from hjemmel.projections import funn as funnvisning
from hjemmel.projections import historikk as historikkvisning
from hjemmel.projections import status as statusvisning
from hjemmel.services.verifisering import verifiser

FINNES_IKKE = "hjemmel_finnes_ikke"


class Feil(Exception):
    """A user-facing error with its code and clause; exit code 4 for an unknown hjemmel, else 2."""

    def __init__(self, kode: str, melding: str, klausul: str | None = None, exit_code: int = 2) -> None:
        super().__init__(melding)
        self.kode, self.melding, self.klausul, self.exit_code = kode, melding, klausul, exit_code

    def som_json(self) -> dict[str, Any]:
        return {"feil": self.kode, "melding": self.melding, "hjemmel_i_avtalen": self.klausul}


def les_dato(tekst: str | None, felt: str = "as_of") -> date:
    """--as-of: the end of that day; default today (UTC)."""
    if tekst is None:
        return utc_na().date()
    try:
        if len(tekst) == 10:
            return date.fromisoformat(tekst)
    except ValueError:
        pass
    raise Feil("felt_ugyldig", f"{felt} må være en dato YYYY-MM-DD, ikke {tekst!r}")


def les_known_at(tekst: str | None) -> tuple[int | None, datetime | None]:
    """--known-at: a global position (an integer from apply) or an ISO 8601 timestamp (UTC if no zone)."""
    if tekst is None:
        return None, None
    if tekst.isdigit():
        return int(tekst), None
    try:
        ts = datetime.fromisoformat(tekst.replace("Z", "+00:00"))
    except ValueError:
        raise Feil("felt_ugyldig", f"known_at må være en posisjon eller et tidsstempel, ikke {tekst!r}") from None
    return None, ts if ts.tzinfo else ts.replace(tzinfo=timezone.utc)


def les_maned(tekst: str | None, felt: str) -> str | None:
    if tekst is None:
        return None
    try:
        parse_maned(tekst)
    except ValueError:
        raise Feil("felt_ugyldig", f"{felt} må være en måned YYYY-MM, ikke {tekst!r}") from None
    return tekst


def _hjemmel(reg, nokkel: str, as_of: date, known_at: str | None):
    pos, ts = les_known_at(known_at)
    h = reg.hjemmel(nokkel, pos, ts, as_of)
    if h is None:
        raise Feil(FINNES_IKKE, f"Hjemmel {nokkel} finnes ikke", "ASA 4310 §5.1", exit_code=4)
    if not h.finnes:  # every event of it is dated after as_of
        raise Feil(FINNES_IKKE, f"Hjemmel {nokkel} fantes ikke per {as_of}", "ASA 4310 §5.1", exit_code=4)
    return h


def status(reg, nokkel: str, as_of: str | None = None, known_at: str | None = None) -> dict[str, Any]:
    dag = les_dato(as_of)
    return statusvisning.status(_hjemmel(reg, nokkel, dag, known_at), dag)


def frister(reg, nokkel: str, as_of: str | None = None, known_at: str | None = None) -> list[dict[str, Any]]:
    dag = les_dato(as_of)
    return fristvisning.frister(_hjemmel(reg, nokkel, dag, known_at), dag)


def historikk(reg, nokkel: str, as_of: str | None = None, known_at: str | None = None) -> list[dict[str, Any]]:
    """S26: the stored events as stored, within known_at, dato <= as_of."""
    dag = les_dato(as_of)
    pos, ts = les_known_at(known_at)
    rader = [(r.posisjon, r.raw()) for r in reg.lager.rader(nokkel, pos)]
    rader = [(p, raw) for p, raw in rader if ts is None or _ts(raw["registrert"]) <= ts]
    if not rader:
        raise Feil(FINNES_IKKE, f"Hjemmel {nokkel} finnes ikke", "ASA 4310 §5.1", exit_code=4)
    return historikkvisning.historikk(rader, dag)


def _ts(tekst: str) -> datetime:
    return datetime.fromisoformat(tekst.replace("Z", "+00:00"))


def betalinger(reg, nokkel: str, as_of: str | None = None, known_at: str | None = None,
               fra: str | None = None, til: str | None = None) -> list[dict[str, Any]]:
    dag = les_dato(as_of)
    h = _hjemmel(reg, nokkel, dag, known_at)
    pos, ts = les_known_at(known_at)
    poster = betalingsvisning.betalinger(h, reg.satser(pos, ts, dag), dag)
    return betalingsvisning.filtrer(poster, les_maned(fra, "fra"), les_maned(til, "til"))


def funn(reg, nokkel: str, as_of: str | None = None, known_at: str | None = None) -> list[dict[str, Any]]:
    dag = les_dato(as_of)
    h = _hjemmel(reg, nokkel, dag, known_at)
    pos, ts = les_known_at(known_at)
    return funnvisning.funn(h, reg.satser(pos, ts, dag), dag)


def verifisering(reg, nokkel: str | None = None) -> dict[str, Any]:
    """Every chain (or one hjemmel's): {"intakt", "kjeder", "hendelser", "brudd"}."""
    if nokkel is not None and not reg.lager.rader(nokkel):
        raise Feil(FINNES_IKKE, f"Hjemmel {nokkel} finnes ikke", "ASA 4310 §5.1", exit_code=4)
    return verifiser(reg.lager, [nokkel] if nokkel else None)
