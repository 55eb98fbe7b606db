"""The `hjemmel` command line (interface §2): apply, queries, verifiser, streaming, demo."""
from __future__ import annotations

import itertools
import json
import sys
from collections import deque
from typing import Annotated, Any, BinaryIO, Iterator, Optional

import structlog
import typer

from hjemmel.adapters import sporringer, visning
from hjemmel.adapters.sporringer import Feil
from hjemmel.adapters.bootstrap import bygg
from hjemmel.adapters.config import ReglerUgyldige, les_settings
from hjemmel.adapters.logging import configure
from hjemmel.domain.kommandoer import MAKS_LINJE

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="hjemmel: hendelseslogg for fastlegehjemler etter ASA 4310.")
log = structlog.get_logger()

Db = Annotated[Optional[str], typer.Option("--db", help="SQLite-fil, sqlite:///sti eller postgresql://… (HJEMMEL_DB)")]
Json = Annotated[bool, typer.Option("--json", help="Maskinlesbar JSON (interface §4)")]
AsOf = Annotated[Optional[str], typer.Option("--as-of", help="Virkningstid: verden ved slutten av YYYY-MM-DD")]
KnownAt = Annotated[Optional[str], typer.Option("--known-at", help="Registreringstid: posisjon eller tidsstempel")]


def _skriv(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")


def _register(db: str | None):
    return bygg(les_settings(db=db))


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
          batch: Annotated[int, typer.Option("--batch", min=1, help="Linjer per transaksjon med --bulk")] = 20000,
          prosesser: Annotated[Optional[int], typer.Option(
              "--prosesser", min=0, help="Arbeidsprosesser med --bulk (standard: én per kjerne når "
              "input er mer enn én batch; 0: alt i denne prosessen)")] = None) -> None:
    """Apply JSON-lines commands; one JSON result per line; exit 1 if any line was rejected."""
    settings = les_settings(db=db)
    reg = bygg(settings)
    kilde = sys.stdin.buffer if fil == "-" else _apne(fil)
    avvist = False
    if bulk:
        avvist = _bulk(reg, settings, _linjer(kilde), batch, prosesser)
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


def _bulk(reg, settings, nummerert: Iterator[tuple[int, bytes]], batch: int, prosesser: int | None) -> bool:
    """`--bulk`: worker processes only pay for themselves past one batch (docs/decisions.md)."""
    from hjemmel.adapters.bulk import Bulk, standard_prosesser

    forste = list(itertools.islice(nummerert, batch))
    if prosesser is None:
        prosesser = standard_prosesser() if len(forste) == batch else 0
    numre: deque[int] = deque()

    def linjer() -> Iterator[bytes]:
        for nr, linje in itertools.chain(forste, nummerert):
            numre.append(nr)
            yield linje

    avvist = False
    with Bulk(reg, settings, prosesser) as b:
        for i, utfall in enumerate(b.behandle(linjer(), batch), 1):
            avvist |= utfall.avvist is not None
            sys.stdout.write(utfall.som_linje(numre.popleft()) + "\n")
            if i % batch == 0:
                sys.stdout.flush()
    sys.stdout.flush()
    return avvist


def _apne(fil: str) -> BinaryIO:
    try:
        return open(fil, "rb")
    except OSError as feil:
        raise Feil("fil_mangler", f"Kan ikke lese {fil}: {feil.strerror}") from None


# ---- queries ------------------------------------------------------------------------------------

Nokkel = Annotated[str, typer.Argument(metavar="KEY")]


@app.command()
def status(nokkel: Nokkel, json_: Json = False, as_of: AsOf = None, known_at: KnownAt = None, db: Db = None) -> None:
    """Current state of one hjemmel (interface §4)."""
    svar = sporringer.status(_register(db), nokkel, as_of, known_at)
    _skriv(svar) if json_ else visning.status(svar)


@app.command()
def frister(nokkel: Nokkel, json_: Json = False, as_of: AsOf = None, known_at: KnownAt = None, db: Db = None) -> None:
    """Every deadline with its clause and state."""
    svar = sporringer.frister(_register(db), nokkel, as_of, known_at)
    _skriv(svar) if json_ else visning.tabell(f"Frister for {nokkel}", svar)


@app.command()
def historikk(nokkel: Nokkel, json_: Json = False, as_of: AsOf = None, known_at: KnownAt = None,
              db: Db = None) -> None:
    """The full event timeline, oldest first, with hashes (S26)."""
    svar = sporringer.historikk(_register(db), nokkel, as_of, known_at)
    _skriv(svar) if json_ else visning.historikk(nokkel, svar)


@app.command()
def betalinger(nokkel: Nokkel, json_: Json = False, as_of: AsOf = None, known_at: KnownAt = None, db: Db = None,
               fra: Annotated[Optional[str], typer.Option("--fra", help="YYYY-MM")] = None,
               til: Annotated[Optional[str], typer.Option("--til", help="YYYY-MM")] = None) -> None:
    """Payment obligations, each with its basis and clause."""
    svar = sporringer.betalinger(_register(db), nokkel, as_of, known_at, fra, til)
    _skriv(svar) if json_ else visning.betalinger(nokkel, as_of or "i dag", svar)


@app.command()
def funn(nokkel: Nokkel, json_: Json = False, as_of: AsOf = None, known_at: KnownAt = None, db: Db = None) -> None:
    """Derived findings (breaches, non-compliant facts), each with its clause."""
    svar = sporringer.funn(_register(db), nokkel, as_of, known_at)
    _skriv(svar) if json_ else visning.tabell(f"Funn for {nokkel}", svar)


@app.command()
def verifiser(nokkel: Annotated[Optional[str], typer.Argument(metavar="[KEY]")] = None, json_: Json = False,
              db: Db = None) -> None:
    """Recompute the hash chains; exit 3 naming the first bad event."""
    svar = sporringer.verifisering(_register(db), nokkel)
    _skriv(svar) if json_ else visning.verifisering(svar)
    raise typer.Exit(0 if svar["intakt"] else 3)


@app.command()
def serve(db: Db = None, host: Annotated[str, typer.Option("--host")] = "127.0.0.1",
          port: Annotated[int, typer.Option("--port")] = 8000) -> None:
    """Serve the same commands and queries over HTTP (docs/http.md)."""
    import uvicorn

    from hjemmel.adapters.http import lag_app

    uvicorn.run(lag_app(les_settings(db=db)), host=host, port=port, log_level="warning")


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
    except ReglerUgyldige as feil:
        _feil("regler_ugyldig", str(feil), "domain.md §8", vil_ha_json)
        sys.exit(2)
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


from hjemmel.adapters import cli_projeksjoner  # noqa: E402,F401
from hjemmel.adapters import cli_strom  # noqa: E402,F401
