"""`hjemmel publiser` and `hjemmel folg` (interface §2, §5), the embedded nats-server, and the demo's stream."""
from __future__ import annotations

import asyncio
import fcntl
import os
import signal
import sys
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from contextlib import aclosing, contextmanager
from pathlib import Path
from typing import Annotated, Any, Optional, TypeVar

import nats.errors
import typer
from nats.js.errors import NotFoundError

from hjemmel.adapters.abonnement import AbonnementFeil, KjedeBrudd, subscribe
from hjemmel.adapters.bootstrap import bygg
from hjemmel.adapters.cli import Db, Feil, _skriv, app
from hjemmel.adapters.config import Settings, les_settings
from hjemmel.adapters.logging import configure
from hjemmel.adapters.nats_relay import Relay
from hjemmel.adapters.nats_server import EmbeddedNatsServer
from hjemmel.adapters.nats_strom import Hale, StromFeil, koble_til, ledger_id_for, les_hale

T = TypeVar("T")
Nats = Annotated[Optional[str], typer.Option("--nats", help="NATS-URL (HJEMMEL_NATS); uten: en lokal nats-server")]


@contextmanager
def lokal_nats(settings: Settings) -> Iterator[str]:
    """settings.nats, or the embedded server in datamappe/nats: the first process starts and owns it,
    later ones attach to it (one server a store dir, never two)."""
    if settings.nats:
        yield settings.nats
        return
    mappe = (settings.datamappe / "nats").resolve()  # absolute, as _stopp_foreldrelos matches it
    mappe.mkdir(parents=True, exist_ok=True)
    url_fil = mappe / "url"
    with open(mappe / "eier.lock", "a+") as las:
        try:
            fcntl.flock(las, fcntl.LOCK_EX | fcntl.LOCK_NB)  # released by the OS even on kill -9
        except BlockingIOError:
            yield _vent_pa_url(url_fil)
            return
        url_fil.unlink(missing_ok=True)  # a crashed owner's URL is stale
        _stopp_foreldrelos(mappe / "pid", mappe)
        server = EmbeddedNatsServer(mappe).start()
        try:
            (mappe / "pid").write_text(str(server.pid))  # see _stopp_foreldrelos
            ny = url_fil.with_suffix(".ny")
            ny.write_text(server.url)
            ny.replace(url_fil)
            yield server.url
        finally:
            url_fil.unlink(missing_ok=True)
            server.stop()
            (mappe / "pid").unlink(missing_ok=True)


def _stopp_foreldrelos(pid_fil: Path, mappe: Path) -> None:
    """The server of an owner killed with -9 outlives it (own session); two servers on one store dir
    would corrupt it, so stop that one first. Only a nats-server on this very dir is touched."""
    try:
        pid = int(pid_fil.read_text())
        kommando = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except (OSError, ValueError):
        return
    if not kommando or not kommando[0].endswith(b"nats-server") or str(mappe).encode() not in kommando:
        return
    for sig, frist in ((signal.SIGTERM, 10.0), (signal.SIGKILL, 5.0)):
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            return
        slutt = time.monotonic() + frist
        while time.monotonic() < slutt and Path(f"/proc/{pid}").exists() and not _zombie(pid):
            time.sleep(0.05)
        if not Path(f"/proc/{pid}").exists() or _zombie(pid):
            return


def _zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return False


def _vent_pa_url(url_fil: Path, frist: float = 15.0) -> str:
    slutt = time.monotonic() + frist
    while time.monotonic() < slutt:
        if url_fil.exists():
            return url_fil.read_text().strip()
        time.sleep(0.05)
    raise Feil("nats_utilgjengelig", f"en annen hjemmel-prosess eier den lokale nats-serveren, men {url_fil} mangler")


def _med_signaler(arbeid: Callable[[asyncio.Event], Awaitable[T]]) -> T:
    """Run `arbeid` with SIGINT/SIGTERM setting its stop event, so servers and connections close cleanly."""
    async def kjor() -> T:
        stopp = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stopp.set)
        return await arbeid(stopp)

    try:
        return asyncio.run(kjor())
    except StromFeil as feil:
        raise Feil("strom_feil", str(feil)) from None
    except AbonnementFeil as feil:
        raise Feil("abonnement_feil", str(feil)) from None
    except (nats.errors.NoServersError, nats.errors.TimeoutError, OSError) as feil:
        raise Feil("nats_utilgjengelig", f"NATS svarer ikke: {feil!r}") from None


async def _til_stopp(stopp: asyncio.Event, arbeid: Awaitable[T]) -> T | None:
    """`arbeid`, cancelled when `stopp` is set (None then)."""
    oppgave = asyncio.ensure_future(arbeid)
    venter = asyncio.ensure_future(stopp.wait())
    await asyncio.wait({oppgave, venter}, return_when=asyncio.FIRST_COMPLETED)
    venter.cancel()
    if not oppgave.done():
        oppgave.cancel()
        try:
            await oppgave
        except asyncio.CancelledError:
            pass
        return None
    return oppgave.result()


# ---- publiser ----------------------------------------------------------------------------------------

@app.command()
def publiser(
    db: Db = None, nats_url: Nats = None,
    en_gang: Annotated[bool, typer.Option("--en-gang", help="Publiser alt som venter, og avslutt")] = False,
    status: Annotated[bool, typer.Option("--status", help="Skriv lag (hode minus publisert) og avslutt")] = False,
    batch: Annotated[int, typer.Option("--batch", min=1, help="Hendelser per publiseringsrunde")] = 1000,
    intervall: Annotated[float, typer.Option("--intervall", min=0.001, help="Sekunder mellom oppslag i loggen")] = 0.05,
    ledger_id: Annotated[Optional[str], typer.Option("--ledger-id", envvar="HJEMMEL_LEDGER_ID",
                                                     help="Stabil id for denne loggen i Nats-Msg-Id")] = None,
    logg: Annotated[str, typer.Option("--logg", envvar="HJEMMEL_LOGG", help="Loggnivå på stderr")] = "info",
) -> None:
    """Relay stored events to NATS JetStream, exactly once and in order (interface §5)."""
    configure(logg)
    settings = les_settings(db=db, nats=nats_url)
    reg = bygg(settings)
    try:
        lid = ledger_id_for(settings, ledger_id)
    except StromFeil as feil:
        raise Feil("felt_ugyldig", str(feil)) from None

    async def arbeid(stopp: asyncio.Event) -> None:
        nc = await koble_til(url)
        try:
            if status:
                _skriv(await _status(nc, reg.lager, settings.stream, lid))
                return
            relay = Relay(reg.lager, nc, stream=settings.stream, ledger_id=lid, batch=batch,
                          frist=30.0 if en_gang else None)
            await relay.klargjor()
            if en_gang:
                antall = await relay.publiser_ventende(stopp)
                _skriv({"publisert": antall, "posisjon": relay.hale.posisjon, "seq": relay.hale.seq,
                        "lag": relay.lag(), "stream": settings.stream, "ledger_id": lid})
            else:
                await relay.kjor(stopp, intervall)
        finally:
            await nc.close()

    with lokal_nats(settings) as url:
        _med_signaler(arbeid)


async def _status(nc: Any, lager: Any, stream: str, lid: str) -> dict[str, Any]:
    try:
        hale, finnes = await les_hale(nc, stream, lid, lager), True
    except NotFoundError:
        hale, finnes = Hale(0, 0), False
    hode = lager.siste_posisjon()
    return {"stream": stream, "finnes": finnes, "ledger_id": lid, "hode": hode,
            "publisert_posisjon": hale.posisjon, "seq": hale.seq, "lag": hode - hale.posisjon}


# ---- folg --------------------------------------------------------------------------------------------

@app.command()
def folg(
    db: Db = None, nats_url: Nats = None,
    kommune: Annotated[Optional[str], typer.Option("--kommune", help="Bare denne kommunen (0000 = satser)")] = None,
    fra: Annotated[Optional[int], typer.Option("--fra", min=0, help="Start ved denne posisjonen (inklusiv)")] = None,
    maks: Annotated[Optional[int], typer.Option("--maks", min=1, help="Avslutt etter N hendelser")] = None,
    tidsavbrudd: Annotated[Optional[float], typer.Option("--tidsavbrudd", min=0.01,
                                                         help="Avslutt etter S sekunder uten nye hendelser")] = None,
    navn: Annotated[Optional[str], typer.Option("--navn", help="Navn på den varige konsumenten")] = None,
) -> None:
    """A durable consumer: one JSON line per event, every hash-chain link checked; exit 3 on a break."""
    settings = les_settings(db=db, nats=nats_url)

    async def les_ut() -> None:
        antall = 0
        async with aclosing(subscribe(url, kommune=kommune, fra=fra, durable=navn, stream=settings.stream,
                                      batch=min(256, maks or 256), tidsavbrudd=tidsavbrudd)) as hendelser:
            async for hendelse in hendelser:
                _skriv(hendelse.payload)
                sys.stdout.flush()
                await hendelse.ack()
                antall += 1
                if maks is not None and antall >= maks:
                    return

    async def arbeid(stopp: asyncio.Event) -> None:
        try:
            await _til_stopp(stopp, les_ut())
        except KjedeBrudd as brudd:
            raise Feil("kjede_brutt", str(brudd), exit_code=3) from None

    with lokal_nats(settings) as url:
        _med_signaler(arbeid)


# ---- the demo's stream ---------------------------------------------------------------------------------

def vis_strom(settings: Settings, maks: int = 100_000, ledger_id: str | None = None) -> None:
    """For `hjemmel demo`: publish what is pending, read it back with a consumer, print a short summary."""
    from rich.console import Console
    from rich.table import Table

    reg = bygg(settings)
    lid = ledger_id_for(settings, ledger_id)

    async def vis() -> tuple[int, list[Any], KjedeBrudd | None]:
        nc = await koble_til(url)
        try:
            relay = Relay(reg.lager, nc, stream=settings.stream, ledger_id=lid, frist=30.0)
            await relay.klargjor()
            antall = await relay.publiser_ventende()
        finally:
            await nc.close()
        mottatt: list[Any] = []
        try:
            async with aclosing(subscribe(url, fra=0, durable="hjemmel-demo", stream=settings.stream,
                                          tidsavbrudd=1.0)) as hendelser:
                async for hendelse in hendelser:
                    mottatt.append(hendelse)
                    if len(mottatt) >= maks:
                        break
        except KjedeBrudd as brudd:
            return antall, mottatt, brudd
        return antall, mottatt, None

    async def arbeid(stopp: asyncio.Event) -> tuple[int, list[Any], KjedeBrudd | None] | None:
        return await _til_stopp(stopp, vis())

    with lokal_nats(settings) as url:
        svar = _med_signaler(arbeid)
    if svar is None:
        raise Feil("avbrutt", "strømdelen av demoen ble avbrutt", exit_code=130)
    antall, mottatt, brudd = svar
    konsoll = Console()
    tabell = Table(title=f"Strømmen {settings.stream}, lest av en konsument")
    tabell.add_column("Hendelsestype")
    tabell.add_column("Antall", justify="right")
    for type_, n in sorted(Counter(h.type for h in mottatt).items()):
        tabell.add_row(type_, str(n))
    konsoll.print(tabell)
    if mottatt:
        konsoll.print(f"{len(mottatt)} hendelser, posisjon {mottatt[0].posisjon}–{mottatt[-1].posisjon}, "
                      f"{len({h.hjemmel for h in mottatt})} hash-kjeder; relayet publiserte {antall} nye nå.")
    konsoll.print(f"[red]Kjeden er brutt: {brudd}[/red]" if brudd else
                  "[green]Hvert kjedeledd verifisert fra headerne (interface §6).[/green]")
