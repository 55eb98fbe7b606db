"""The `hjemmel` command line (interface §2): apply, queries, verifiser, streaming, demo."""
from __future__ import annotations

import json
import sys
from datetime import date, datetime, timezone

from typing import Annotated, Any, BinaryIO, Iterator, Optional

import structlog
import typer

from hjemmel.adapters import visning
from hjemmel.adapters.bootstrap import bygg, utc_na
from hjemmel.adapters.config import les_settings
from hjemmel.adapters.logging import configure
from hjemmel.domain.kommandoer import MAKS_LINJE

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="hjemmel: hendelseslogg for fastlegehjemler etter ASA 4310.")
log = structlog.get_logger()

Db = Annotated[Optional[str], typer.Option("--db", help="SQLite-fil, sqlite:///sti eller postgresql://… (HJEMMEL_DB)")]
Json = Annotated[bool, typer.Option("--json", help="Maskinlesbar JSON (interface §4)")]
AsOf = Annotated[Optional[str], typer.Option("--as-of", help="Virkningstid: verden ved slutten av YYYY-MM-DD")]
KnownAt = Annotated[Optional[str], typer.Option("--known-at", help="Registreringstid: posisjon eller tidsstempel")]


class Feil(Exception):
    """A user-facing error: printed as `feil: code: message (clause)` and mapped to an exit code."""

    def __init__(self, kode: str, melding: str, klausul: str | None = None, exit_code: int = 2) -> None:
        super().__init__(melding)
        self.kode, self.melding, self.klausul, self.exit_code = kode, melding, klausul, exit_code


def _skriv(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")


def _dato(tekst: str | None, felt: str) -> date:
    if tekst is None:
        return utc_na().date()
    try:
        return date.fromisoformat(tekst) if len(tekst) == 10 else _ugyldig(felt, tekst)
    except ValueError:
        _ugyldig(felt, tekst)


def _ugyldig(felt: str, verdi: str):
    raise Feil("felt_ugyldig", f"{felt} må være en dato YYYY-MM-DD, ikke {verdi!r}")


def _known_at(tekst: str | None) -> tuple[int | None, datetime | None]:
    """--known-at is a global position (an integer from apply) or an ISO 8601 timestamp."""
    if tekst is None:
        return None, None
    if tekst.isdigit():
        return int(tekst), None
    try:
        ts = datetime.fromisoformat(tekst.replace("Z", "+00:00"))
    except ValueError:
        raise Feil("felt_ugyldig", f"--known-at må være en posisjon eller et tidsstempel, ikke {tekst!r}") from None
    return None, ts if ts.tzinfo else ts.replace(tzinfo=timezone.utc)


def _register(db: str | None):
    return bygg(les_settings(db=db))


def _hjemmel(reg, nokkel: str, known_at: str | None, as_of: date):
    pos, ts = _known_at(known_at)
    h = reg.hjemmel(nokkel, pos, ts, as_of)
    if h is None:
        raise Feil("hjemmel_finnes_ikke", f"Hjemmel {nokkel} finnes ikke", "ASA 4310 §5.1", exit_code=4)
    if not h.finnes:  # every event of it is dated after --as-of
        raise Feil("hjemmel_finnes_ikke", f"Hjemmel {nokkel} fantes ikke per {as_of}", "ASA 4310 §5.1", exit_code=4)
    return h


# ---- apply ---------------------------------------------------------------------------------------

def _linjer(kilde: BinaryIO) -> Iterator[tuple[int, bytes]]:
    """Numbered lines; a line over 1 MiB is handed on as its first 1 MiB + 1 bytes and the rest is
    skipped unread, so memory stays bounded whatever the input."""
    nr = 0
    while True:
        linje = kilde.readline(MAKS_LINJE + 2)
        if not linje:
            return
        nr += 1
        if len(linje) > MAKS_LINJE + 1 or (len(linje) == MAKS_LINJE + 2 and not linje.endswith(b"\n")):
            while linje and not linje.endswith(b"\n"):
                linje = kilde.readline(1 << 20)
            yield nr, b"x" * (MAKS_LINJE + 1)
            continue
        linje = linje.rstrip(b"\r\n")
        if linje.strip():
            yield nr, linje


@app.command()
def apply(fil: Annotated[str, typer.Argument(help="JSON-linjer, - for stdin")], db: Db = None,
          bulk: Annotated[bool, typer.Option("--bulk", help="Mange linjer per transaksjon")] = False,
          batch: Annotated[int, typer.Option("--batch", help="Linjer per transaksjon med --bulk")] = 2000) -> None:
    """Apply JSON-lines commands; one JSON result per line; exit 1 if any line was rejected."""
    reg = _register(db)
    kilde = sys.stdin.buffer if fil == "-" else _apne(fil)
    avvist = False
    if bulk:
        buffer: list[tuple[int, bytes]] = []
        for nr, linje in _linjer(kilde):
            buffer.append((nr, linje))
            if len(buffer) >= batch:
                avvist |= _bulk(reg, buffer)
                buffer = []
        avvist |= _bulk(reg, buffer)
    else:
        for nr, linje in _linjer(kilde):
            structlog.contextvars.clear_contextvars()
            structlog.contextvars.bind_contextvars(linje=nr)
            utfall = reg.behandle(linje)
            svar = utfall.som_json(nr)
            avvist |= not svar["ok"]
            log.info("kommando", hjemmel=svar.get("hjemmel"), ok=svar["ok"], feil=svar.get("feil"),
                     posisjon=svar.get("posisjon"))
            _skriv(svar)
            sys.stdout.flush()
    raise typer.Exit(1 if avvist else 0)


def _bulk(reg, buffer: list[tuple[int, bytes]]) -> bool:
    if not buffer:
        return False
    utfall = reg.behandle_mange([linje for _, linje in buffer])
    avvist = False
    for (nr, _), u in zip(buffer, utfall):
        svar = u.som_json(nr)
        avvist |= not svar["ok"]
        _skriv(svar)
    sys.stdout.flush()
    return avvist


def _apne(fil: str) -> BinaryIO:
    try:
        return open(fil, "rb")
    except OSError as feil:
        raise Feil("fil_mangler", f"Kan ikke lese {fil}: {feil.strerror}") from None


# ---- queries -------------------------------------------------------------------------------------

@app.command()
def status(nokkel: Annotated[str, typer.Argument(metavar="KEY")], json_: Json = False, as_of: AsOf = None,
           known_at: KnownAt = None, db: Db = None) -> None:
    """Current state of one hjemmel (interface §4)."""
    from hjemmel.projections.status import status as vis

    dag = _dato(as_of, "--as-of")
    svar = vis(_hjemmel(_register(db), nokkel, known_at, dag), dag)
    _skriv(svar) if json_ else visning.status(svar)


@app.command()
def frister(nokkel: Annotated[str, typer.Argument(metavar="KEY")], json_: Json = False, as_of: AsOf = None,
            known_at: KnownAt = None, db: Db = None) -> None:
    """Every deadline with its clause and state."""
    from hjemmel.projections.frister import frister as vis

    dag = _dato(as_of, "--as-of")
    svar = vis(_hjemmel(_register(db), nokkel, known_at, dag), dag)
    _skriv(svar) if json_ else visning.tabell(f"Frister for {nokkel} per {dag}", svar)


@app.command()
def historikk(nokkel: Annotated[str, typer.Argument(metavar="KEY")], json_: Json = False, as_of: AsOf = None,
              known_at: KnownAt = None, db: Db = None) -> None:
    """The full event timeline, oldest first, with hashes (S26)."""
    from hjemmel.projections.historikk import historikk as vis

    dag = _dato(as_of, "--as-of")
    reg = _register(db)
    pos, ts = _known_at(known_at)
    rader = [(r.posisjon, r.raw()) for r in reg.lager.rader(nokkel, pos)]
    rader = [(p, raw) for p, raw in rader if ts is None or _ts(raw["registrert"]) <= ts]
    if not rader:
        raise Feil("hjemmel_finnes_ikke", f"Hjemmel {nokkel} finnes ikke", "ASA 4310 §5.1", exit_code=4)
    svar = vis(rader, dag)
    _skriv(svar) if json_ else visning.historikk(nokkel, svar)


def _ts(tekst: str) -> datetime:
    return datetime.fromisoformat(tekst.replace("Z", "+00:00"))


@app.command()
def betalinger(nokkel: Annotated[str, typer.Argument(metavar="KEY")], json_: Json = False, as_of: AsOf = None,
               known_at: KnownAt = None, db: Db = None,
               fra: Annotated[Optional[str], typer.Option("--fra", help="YYYY-MM")] = None,
               til: Annotated[Optional[str], typer.Option("--til", help="YYYY-MM")] = None) -> None:
    """Payment obligations, each with its basis and clause."""
    from hjemmel.projections.betalinger import betalinger as vis, filtrer

    dag = _dato(as_of, "--as-of")
    reg = _register(db)
    h = _hjemmel(reg, nokkel, known_at, dag)
    pos, ts = _known_at(known_at)
    svar = filtrer(vis(h, reg.satser(pos, ts, dag), dag), _maned(fra, "--fra"), _maned(til, "--til"))
    _skriv(svar) if json_ else visning.betalinger(nokkel, dag, svar)


def _maned(tekst: str | None, felt: str) -> str | None:
    from hjemmel.domain.kalender import parse_maned

    if tekst is None:
        return None
    try:
        parse_maned(tekst)
    except ValueError:
        raise Feil("felt_ugyldig", f"{felt} må være en måned YYYY-MM, ikke {tekst!r}") from None
    return tekst


@app.command()
def funn(nokkel: Annotated[str, typer.Argument(metavar="KEY")], json_: Json = False, as_of: AsOf = None,
         known_at: KnownAt = None, db: Db = None) -> None:
    """Derived findings (breaches, non-compliant facts), each with its clause."""
    from hjemmel.projections.funn import funn as vis

    dag = _dato(as_of, "--as-of")
    reg = _register(db)
    h = _hjemmel(reg, nokkel, known_at, dag)
    pos, ts = _known_at(known_at)
    svar = vis(h, reg.satser(pos, ts, dag), dag)
    _skriv(svar) if json_ else visning.tabell(f"Funn for {nokkel} per {dag}", svar)


@app.command()
def verifiser(nokkel: Annotated[Optional[str], typer.Argument(metavar="[KEY]")] = None, json_: Json = False,
              db: Db = None) -> None:
    """Recompute the hash chains; exit 3 naming the first bad event."""
    from hjemmel.services.verifisering import verifiser as sjekk

    reg = _register(db)
    if nokkel is not None and not reg.lager.rader(nokkel):
        raise Feil("hjemmel_finnes_ikke", f"Hjemmel {nokkel} finnes ikke", "ASA 4310 §5.1", exit_code=4)
    svar = sjekk(reg.lager, [nokkel] if nokkel else None)
    if json_:
        _skriv(svar)
    else:
        visning.verifisering(svar)
    raise typer.Exit(0 if svar["intakt"] else 3)


@app.command()
def demo(db: Db = None) -> None:
    """A guided run: a kommune's hjemler over two years, the derived views, and the stream."""
    from hjemmel.adapters.demo import kjor

    kjor(les_settings(db=db or "hjemmel-demo.sqlite"))


def main() -> None:
    """Entry point: no traceback ever reaches a user; errors are one line with code and clause."""
    configure()
    vil_ha_json = "--json" in sys.argv
    try:
        kode = app(standalone_mode=False)
        sys.exit(kode if isinstance(kode, int) else 0)
    except Feil as feil:
        _feil(feil.kode, feil.melding, feil.klausul, vil_ha_json)
        sys.exit(feil.exit_code)
    except typer.Exit as slutt:
        sys.exit(slutt.exit_code)
    except typer.TyperException as feil:  # usage errors: unknown option, missing argument, …
        _feil("bruk", feil.format_message(), None, vil_ha_json)
        sys.exit(2)
    except typer.Abort:
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
    except Exception as feil:  # a bug or an unreachable store: still one line, never a traceback
        log.error("intern_feil", feil=repr(feil))
        _feil("intern_feil", f"{type(feil).__name__}: {feil}", None, vil_ha_json)
        sys.exit(70)


def _feil(kode: str, melding: str, klausul: str | None, som_json: bool) -> None:
    if som_json:
        _skriv({"feil": kode, "melding": melding, "hjemmel_i_avtalen": klausul})
    else:
        print(f"feil: {kode}: {melding} ({klausul})" if klausul else f"feil: {kode}: {melding}", file=sys.stderr)


