"""The relay (interface §5): the global notification log into JetStream, exactly once and in order."""
from __future__ import annotations

import asyncio
import random
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

import msgspec
import nats.errors
import structlog
from eventsourcing.persistence import PersistenceError
from nats.aio.client import Client as NATS

from hjemmel.adapters.lager import Lager, Rad
from hjemmel.adapters.nats_strom import H_FORVENTET, Hale, StromFeil, les_hale, melding, sikre_strom

log = structlog.get_logger()
KONFLIKT = 10071  # JetStream's err_code for "wrong last sequence": Nats-Expected-Last-Sequence did not hold


class _Feilsvar(msgspec.Struct):
    code: int = 0
    err_code: int = 0
    description: str = ""


class Svar(msgspec.Struct):
    """A JetStream publish ack, or its error."""

    seq: int = 0
    duplicate: bool = False
    error: _Feilsvar | None = None


_svar = msgspec.json.Decoder(Svar)


class AckPipe:
    """Publishes with a reply inbox and resolves one future per ack.

    nats-py 2.16's `publish_async` leaves the future of an error ack pending forever
    (nats-io/nats.py#985), and error acks are how the two-relay rule says no.
    """

    def __init__(self, nc: NATS) -> None:
        self.nc = nc
        self.prefix = nc.new_inbox() + "."
        self.ventende: dict[str, asyncio.Future[Svar]] = {}
        self._teller = 0

    async def start(self) -> AckPipe:
        await self.nc.subscribe(self.prefix + "*", cb=self._kvittering)
        return self

    async def send(self, subject: str, payload: bytes, headers: dict[str, str]) -> asyncio.Future[Svar]:
        self._teller += 1
        token = str(self._teller)
        fremtid: asyncio.Future[Svar] = asyncio.get_running_loop().create_future()
        self.ventende[token] = fremtid
        await self.nc.publish(subject, payload, reply=self.prefix + token, headers=headers)
        return fremtid

    def glem(self) -> None:
        """Drop every outstanding ack; a late one then resolves nothing."""
        for fremtid in self.ventende.values():
            fremtid.cancel()
        self.ventende.clear()

    async def _kvittering(self, msg: Any) -> None:
        fremtid = self.ventende.pop(msg.subject[len(self.prefix):], None)
        if fremtid is None or fremtid.done():
            return
        if not msg.data:  # a status message: 503 when no stream listens on the subject
            status = (msg.headers or {}).get("Status", "?")
            fremtid.set_result(Svar(error=_Feilsvar(code=int(status) if status.isdigit() else 0,
                                                    description="ingen strøm svarte")))
            return
        try:
            fremtid.set_result(_svar.decode(msg.data))
        except msgspec.DecodeError:
            fremtid.set_result(Svar(error=_Feilsvar(description=f"uleselig ack {msg.data[:80]!r}")))


@dataclass
class _Batch:
    rader: list[Rad]
    fremtider: list[asyncio.Future[Svar]]
    forste_seq: int
    les_ms: float
    send_ms: float
    feil: str | None = None  # sending itself failed (connection lost mid-batch)
    startet: float = field(default_factory=time.perf_counter)


class Relay:
    """Tails the store in position order and appends each event to the stream, in batches with async acks.

    Two relays may run at once, on one machine or many: every message carries
    Nats-Expected-Last-Sequence, the sequence this relay read as the one before it, so the server
    stores it only when the stream's tail is still what this relay saw (a compare-and-set per
    message). A relay that loses the race gets error acks, re-reads the tail and carries on from there.
    """

    def __init__(self, lager: Lager, nc: NATS, *, stream: str, ledger_id: str, batch: int = 1000,
                 i_luften: int = 4, ack_frist: float = 5.0, frist: float | None = None) -> None:
        self.lager, self.nc, self.stream, self.ledger_id = lager, nc, stream, ledger_id
        self.batch = batch
        self.i_luften = i_luften  # batches sent before the oldest one's acks are awaited
        self.ack_frist = ack_frist
        self.frist = frist  # give up after this long without NATS (None: keep trying)
        self.hale = Hale(0, 0)
        self.pipe = AckPipe(nc)

    async def klargjor(self) -> Hale:
        """Set up the stream and resume from its tail."""
        await sikre_strom(self.nc, self.stream)
        await self.pipe.start()
        self.hale = await les_hale(self.nc, self.stream, self.ledger_id, self.lager)
        log.info("relay.start", stream=self.stream, ledger_id=self.ledger_id, posisjon=self.hale.posisjon,
                 seq=self.hale.seq, lag=self.lag())
        return self.hale

    def lag(self) -> int:
        """Ledger head minus the last published position (positions may skip numbers)."""
        return self.lager.siste_posisjon() - self.hale.posisjon

    async def publiser_ventende(self, stopp: asyncio.Event | None = None) -> int:
        """Publish until the stream holds what the store held; returns how many this relay stored."""
        publisert = 0
        luft: deque[_Batch] = deque()
        neste = self.hale
        sendefeil = False  # after a failed send, read nothing more until the tail is re-read
        while True:
            if not sendefeil and len(luft) < self.i_luften and not (stopp and stopp.is_set()):
                t0 = time.perf_counter()
                rader = self.lager.varsler(neste.posisjon, self.batch)
                if rader:
                    try:
                        luft.append(await self._send(rader, neste.seq, t0))
                        neste = Hale(neste.seq + len(rader), rader[-1].posisjon)
                        continue
                    except (nats.errors.Error, OSError) as feil:
                        luft.append(_Batch(rader, [], neste.seq + 1, 0, 0, feil=repr(feil)))
                        sendefeil = True
            if not luft:
                return publisert
            ok, feil, konflikt = await self._kvitter(luft.popleft())
            publisert += ok
            if feil:
                luft.clear()
                if konflikt:  # another relay appended first: let it lead for a moment
                    await asyncio.sleep(random.uniform(0.05, 0.25))
                await self._omstart(feil)
                neste, sendefeil = self.hale, False

    async def kjor(self, stopp: asyncio.Event, intervall: float = 0.05) -> None:
        """Run until `stopp` is set: publish what is pending, then poll the store every `intervall` s."""
        while not stopp.is_set():
            try:
                if await self.publiser_ventende(stopp):
                    continue
            except PersistenceError as feil:  # the store is briefly unreachable: keep the daemon up
                log.warning("relay.lager_feil", feil=repr(feil))
            try:
                await asyncio.wait_for(stopp.wait(), intervall)
            except asyncio.TimeoutError:
                pass
        log.info("relay.stopp", posisjon=self.hale.posisjon, seq=self.hale.seq, lag=self.lag())

    async def _send(self, rader: list[Rad], seq: int, t0: float) -> _Batch:
        t1 = time.perf_counter()
        fremtider = []
        for i, rad in enumerate(rader):
            subject, payload, headers = melding(rad, self.ledger_id)
            headers[H_FORVENTET] = str(seq + i)
            try:
                fremtider.append(await self.pipe.send(subject, payload, headers))
            except nats.errors.MaxPayloadError:
                raise StromFeil(f"hendelsen på posisjon {rad.posisjon} ({len(payload)} byte) er større enn "
                                f"NATS-serverens max_payload") from None
        return _Batch(rader, fremtider, seq + 1, (t1 - t0) * 1000, (time.perf_counter() - t1) * 1000)

    async def _kvitter(self, batch: _Batch) -> tuple[int, str | None, bool]:
        """Acks in order; the first missing or refused one ends the batch (later ones cannot have landed)."""
        if batch.feil:
            return 0, batch.feil, False
        t0 = time.perf_counter()
        await asyncio.wait(batch.fremtider, timeout=self.ack_frist)
        ok = 0
        for rad, fremtid in zip(batch.rader, batch.fremtider):
            if not fremtid.done() or fremtid.cancelled():
                return ok, f"ingen ack for posisjon {rad.posisjon} innen {self.ack_frist} s", False
            svar = fremtid.result()
            if svar.error is not None or svar.duplicate:
                grunn = svar.error.description if svar.error else f"duplikat av seq {svar.seq}"
                return ok, f"posisjon {rad.posisjon}: {grunn}", bool(svar.error and svar.error.err_code == KONFLIKT)
            self.hale = Hale(svar.seq, rad.posisjon)
            ok += 1
        log.info("relay.batch", posisjon=self.hale.posisjon, seq=self.hale.seq, antall=ok, lag=self.lag(),
                 les_ms=round(batch.les_ms, 2), send_ms=round(batch.send_ms, 2),
                 ack_ms=round((time.perf_counter() - t0) * 1000, 2),
                 total_ms=round((time.perf_counter() - batch.startet) * 1000 + batch.les_ms, 2))
        return ok, None, False

    async def _omstart(self, grunn: str) -> None:
        """After a failed batch: forget outstanding acks and re-read the stream's tail before going on."""
        log.warning("relay.omstart", grunn=grunn, posisjon=self.hale.posisjon, seq=self.hale.seq)
        self.pipe.glem()
        start, vent = time.monotonic(), 0.05
        while True:
            try:
                if self.nc.is_connected:
                    self.hale = await les_hale(self.nc, self.stream, self.ledger_id, self.lager)
                    log.info("relay.hale", posisjon=self.hale.posisjon, seq=self.hale.seq, lag=self.lag())
                    return
                grunn = "ikke tilkoblet NATS"
            except (nats.errors.Error, asyncio.TimeoutError, OSError) as feil:
                grunn = repr(feil)
            if self.frist is not None and time.monotonic() - start > self.frist:
                raise StromFeil(f"NATS svarte ikke på {self.frist:.0f} s: {grunn}")
            await asyncio.sleep(vent)
            vent = min(vent * 2, 1.0)
