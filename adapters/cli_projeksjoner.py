"""`hjemmel projeksjoner gjenoppbygg|folg`, `hjemmel oversikt` and `hjemmel forfall`: the national views."""
from __future__ import annotations

import re
import signal
import time
from typing import Annotated, Any, Optional

import structlog
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from hjemmel.adapters import visning
from hjemmel.adapters.bootstrap import bygg, utc_na
from hjemmel.adapters.cli import Db, Feil, Json, _skriv, app
from hjemmel.adapters.config import les_settings

projeksjoner = typer.Typer(no_args_is_help=True, help="Lesemodellene: gjenoppbygging og løpende oppdatering.")
app.add_typer(projeksjoner, name="projeksjoner")
log = structlog.get_logger()

Batch = Annotated[int, typer.Option("--batch", min=1, help="Varsler per lesing fra hendelsesloggen")]
Cache = Annotated[int, typer.Option("--cache", min=1, help="Foldede hjemler som holdes i minnet")]
Kommune = Annotated[str, typer.Argument(metavar="KOMMUNE", help="Kommunenummer, fire sifre")]
OPPTATT = 75  # EX_TEMPFAIL: another projector holds the read models; try again later


def _lesemodeller(db: str | None, batch: int = 5000, cache: int = 10_000, reg: Any = None):
    """The read models as of today (UTC); `reg` reuses an open store (the projector's loop)."""
    from hjemmel.adapters.lesemodeller import Lesemodeller

    settings = les_settings(db=db)
    return Lesemodeller(reg or bygg(settings), utc_na().date(), batch=batch, cache=cache, settings=settings)


def _opptatt(feil: Exception) -> Feil:
    return Feil("lesemodell_opptatt", f"{feil}; prøv igjen senere", exit_code=OPPTATT)


@projeksjoner.command()
def gjenoppbygg(db: Db = None, json_: Json = False, batch: Batch = 5000, cache: Cache = 10_000,
                prosesser: Annotated[Optional[int], typer.Option(
                    "--prosesser", min=1, help="Prosesser som deler hjemlene mellom seg (standard: én per kjerne, "
                    "høyst fire, når loggen har over 200 000 hendelser)")] = None) -> None:
    """Drop the read models and rebuild them from position 0 in batches, with a progress bar."""
    from hjemmel.adapters.lesemodell_lager import MistetLease, Opptatt

    lm = _lesemodeller(db, batch, cache)
    kolonner = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*kolonner, console=Console(stderr=True)) as p:
        oppgaver = {"les": p.add_task("Leser hendelser (posisjon)", total=None),
                    "utled": p.add_task("Utleder hjemler", total=None)}

        def fremdrift(fase: str, gjort: int, totalt: int) -> None:
            p.update(oppgaver[fase], completed=gjort, total=totalt)

        try:
            r = lm.gjenoppbygg(fremdrift, prosesser)
        except (Opptatt, MistetLease) as feil:
            raise _opptatt(feil) from None
    svar = {"hendelser": r.hendelser, "hjemler": r.hjemler, "posisjon": r.posisjon, "prosesser": r.prosesser,
            "sekunder": round(r.sekunder, 3), "hendelser_per_s": round(r.per_sekund)}
    if json_:
        _skriv(svar)
    else:
        fart = f"{r.per_sekund:,.0f}".replace(",", " ")
        visning.konsoll.print(f"Gjenoppbygd til posisjon {r.posisjon}: {r.hendelser} hendelser, {r.hjemler} hjemler "
                              f"på {r.sekunder:.1f} s i {r.prosesser} prosess(er) ({fart} hendelser/s)")


@projeksjoner.command()
def folg(db: Db = None,
         intervall: Annotated[float, typer.Option("--intervall", min=0, help="Sekunder mellom rundene")] = 5.0,
         runder: Annotated[Optional[int], typer.Option("--runder", min=1, help="Stopp etter N runder")] = None,
         oppfrisk: Annotated[int, typer.Option("--oppfrisk", min=0, help="Foreldede hjemler per runde")] = 500,
         batch: Batch = 5000, cache: Cache = 10_000) -> None:
    """Catch the read models up every N seconds until stopped (the docker-compose `projector`)."""
    from hjemmel.adapters.lesemodell_lager import MistetLease, Opptatt

    signal.signal(signal.SIGTERM, _stopp)  # `docker stop`: finish cleanly, so the lease is given back
    reg = bygg(les_settings(db=db))
    runde = 0
    try:
        while runder is None or runde < runder:
            lm = _lesemodeller(db, batch, cache, reg)  # every round: a new day is a new as_of
            try:
                r = lm.ta_igjen()
                friske = lm.oppfrisk(maks=oppfrisk) if oppfrisk else 0
                log.info("projeksjoner_folg", posisjon=r.posisjon, hendelser=r.hendelser, hjemler=r.hjemler,
                         oppfrisket=friske, as_of=lm.idag.isoformat())
            except (Opptatt, MistetLease) as feil:
                log.warning("projeksjoner_opptatt", feil=str(feil))
            runde += 1
            if runder is None or runde < runder:
                time.sleep(intervall)
    except KeyboardInterrupt:
        log.info("projeksjoner_stoppet", runder=runde)


def _stopp(*_: Any) -> None:
    raise KeyboardInterrupt


def _kommune(tekst: str) -> str:
    if not re.fullmatch(r"[0-9]{4}", tekst) or tekst == "0000":
        raise Feil("felt_ugyldig", f"KOMMUNE må være et kommunenummer med fire sifre, ikke {tekst!r}")
    return tekst


def _klar(db: str | None, kommune: str):
    """Catch up and refresh the kommune first; if another projector is busy, answer from what is stored."""
    from hjemmel.adapters.lesemodell_lager import MistetLease, Opptatt

    lm = _lesemodeller(db)
    try:
        lm.klargjor(kommune)
    except (Opptatt, MistetLease) as feil:
        log.warning("lesemodell_ikke_oppdatert", feil=str(feil))
    if not lm.oversikt(kommune):
        raise Feil("hjemmel_finnes_ikke", f"Kommune {kommune} har ingen hjemler", "ASA 4310 §5.1", exit_code=4)
    posisjon, _ = lm.sporing()
    return lm, {"kommune": kommune, "as_of": lm.idag.isoformat(), "posisjon": posisjon,
                "siste_posisjon": lm.reg.lager.siste_posisjon()}


@app.command()
def oversikt(kommune: Kommune, json_: Json = False, db: Db = None) -> None:
    """Every hjemmel of a kommune from the read models: status, tildeling, lege, open deadlines."""
    from hjemmel.projections.nasjonal import oversikt_json

    lm, svar = _klar(db, _kommune(kommune))
    svar["hjemler"] = [oversikt_json(r) for r in lm.oversikt(kommune)]
    if json_:
        _skriv(svar)
        return
    rader = [{"hjemmel": h["hjemmel"], "status": h["status"], "tildeling": h["tildeling"],
              "korrigering": h["korrigering"], "lege": h["lege"]["navn"] if h["lege"] else None,
              "opphorsdato": h["opphorsdato"], "apne_frister": h["apne_frister"],
              "neste_frist": f"{h['neste_frist']['frist']} {h['neste_frist']['dato']}" if h["neste_frist"] else None}
             for h in svar["hjemler"]]
    visning.tabell(f"Hjemler i kommune {kommune} per {svar['as_of']} (posisjon {svar['posisjon']})", rader)


@app.command()
def forfall(kommune: Kommune, maned: Annotated[str, typer.Option("--maned", help="YYYY-MM")],
            json_: Json = False, db: Db = None) -> None:
    """Payments falling due in a month across a kommune, with totals per type and payer."""
    from hjemmel.domain.kalender import parse_maned
    from hjemmel.projections.nasjonal import betaling_json, summer

    try:
        ar, mnd = parse_maned(maned)
    except ValueError:
        raise Feil("felt_ugyldig", f"--maned må være en måned YYYY-MM, ikke {maned!r}") from None
    lm, svar = _klar(db, _kommune(kommune))
    betalinger = lm.forfall(kommune, ar, mnd)
    svar |= {"maned": maned, "betalinger": [betaling_json(b) for b in betalinger], "sum": summer(betalinger)}
    if json_:
        _skriv(svar)
        return
    visning.tabell(f"Forfall i {maned} for kommune {kommune} per {svar['as_of']}", svar["betalinger"],
                   ["hjemmel", "type", "periode", "forfall", "betaler", "mottaker", "belop", "hjemmel_i_avtalen"])
    visning.tabell("Sum per type", [{"type": k, "belop": v} for k, v in svar["sum"]["per_type"].items()])
    visning.tabell("Sum per betaler", [{"betaler": k, "belop": v} for k, v in svar["sum"]["per_betaler"].items()])
