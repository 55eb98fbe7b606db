"""Reading the stream: a durable pull consumer that checks every hash-chain link (interface §5, §6)."""
from __future__ import annotations

import asyncio
import re
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import msgspec
import nats.errors
import structlog
from nats.aio.client import Client as NATS
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from nats.js.errors import NotFoundError

from hjemmel.adapters.nats_strom import (H_FORRIGE, H_HASH, H_POSISJON, H_VERSJON, SUBJECTS, koble_til,
                                         kommune_for)
from hjemmel.domain.hashkjede import NULLHASH, hash_av

log = structlog.get_logger()
KOMMUNE = re.compile(r"^[0-9]{4}$")


class AbonnementFeil(Exception):
    """The consumer cannot start (no stream, a durable with another filter, a bad argument)."""


class KjedeBrudd(Exception):
    """A message whose hash chain link or own hash does not verify; nothing after it is trusted."""

    def __init__(self, hjemmel: str, versjon: int | None, posisjon: int | None, grunn: str) -> None:
        super().__init__(f"hjemmel {hjemmel} versjon {versjon} posisjon {posisjon}: {grunn}")
        self.hjemmel, self.versjon, self.posisjon, self.grunn = hjemmel, versjon, posisjon, grunn


@dataclass(slots=True)
class StromHendelse:
    """One event from the stream: `payload` is the historikk entry, the rest says where it sits."""

    hjemmel: str
    kommune: str
    posisjon: int
    versjon: int
    type: str
    hash: str
    forrige_hash: str
    payload: dict[str, Any]
    seq: int  # the stream sequence
    _msg: Any = field(default=None, repr=False, compare=False)
    _kvittert: bool = field(default=False, repr=False, compare=False)

    async def ack(self) -> None:
        """Tell the durable consumer this event is done with; idempotent."""
        if not self._kvittert and self._msg is not None:
            self._kvittert = True
            await self._msg.ack()


def les(msg: Any) -> StromHendelse:
    """A stream message as a `StromHendelse`; its own hash and headers are checked here."""
    hode = msg.headers or {}
    deler = msg.subject.split(".")
    hjemmel = deler[2] if len(deler) == 4 else msg.subject
    try:
        payload = msgspec.json.decode(msg.data)
        h = StromHendelse(hjemmel=hjemmel, kommune=deler[1], posisjon=int(hode[H_POSISJON]),
                          versjon=int(hode[H_VERSJON]), type=payload["type"], hash=hode[H_HASH],
                          forrige_hash=hode[H_FORRIGE], payload=payload, seq=msg.metadata.sequence.stream, _msg=msg)
    except (KeyError, ValueError, TypeError, msgspec.DecodeError) as feil:
        raise KjedeBrudd(hjemmel, _tall(hode.get(H_VERSJON)), _tall(hode.get(H_POSISJON)),
                         f"meldingen mangler eller har ugyldige felt ({feil!r})") from None
    grunn = _egen_feil(h, deler)
    if grunn:
        raise KjedeBrudd(h.hjemmel, h.versjon, h.posisjon, grunn)
    return h


def _tall(tekst: str | None) -> int | None:
    return int(tekst) if tekst and tekst.isdigit() else None


def _egen_feil(h: StromHendelse, deler: list[str]) -> str | None:
    p = h.payload
    if len(deler) != 4 or deler[1] != kommune_for(h.hjemmel) or deler[3] != h.type:
        return "subject stemmer ikke med hendelsen"
    if (p.get("posisjon"), p.get("versjon"), p.get("hash"), p.get("forrige_hash")) != (
            h.posisjon, h.versjon, h.hash, h.forrige_hash):
        return "headerne stemmer ikke med innholdet"
    raw = {**p.get("data", {}), "hjemmel": h.hjemmel, "versjon": h.versjon, "type": h.type,
           "dato": p.get("dato"), "registrert": p.get("registrert"), "forrige_hash": h.forrige_hash}
    if hash_av(raw) != h.hash:
        return "hash stemmer ikke med innholdet"
    if h.versjon == 1 and h.forrige_hash != NULLHASH:
        return "første hendelse har forrige_hash ulik 64 nuller"
    return None


class Kjedesjekk:
    """Links each event to the previous version of its hjemmel, when this consumer has seen that one."""

    def __init__(self) -> None:
        self.siste: dict[str, tuple[int, str]] = {}

    def sjekk(self, h: StromHendelse) -> bool:
        """True for a new event, False for a redelivery of a version already seen; raises KjedeBrudd."""
        sett = self.siste.get(h.hjemmel)
        if sett is not None:
            versjon, hash_ = sett
            if h.versjon == versjon and h.hash != hash_:
                raise KjedeBrudd(h.hjemmel, h.versjon, h.posisjon, "en annen hendelse med samme versjon er sett")
            if h.versjon <= versjon:
                return False
            if h.versjon > versjon + 1:
                raise KjedeBrudd(h.hjemmel, h.versjon, h.posisjon, f"versjon {versjon + 1} mangler i strømmen")
            if h.forrige_hash != hash_:
                raise KjedeBrudd(h.hjemmel, h.versjon, h.posisjon,
                                 f"forrige_hash peker ikke på versjon {versjon} (hash {hash_[:12]}…)")
        self.siste[h.hjemmel] = (h.versjon, h.hash)
        return True


def standard_navn(kommune: str | None) -> str:
    return f"hjemmel-folg-{kommune}" if kommune else "hjemmel-folg"


async def subscribe(nats_url: str, *, kommune: str | None = None, fra: int | None = None,
                    durable: str | None = None, stream: str = "HJEMMEL", batch: int = 256,
                    tidsavbrudd: float | None = None) -> AsyncIterator[StromHendelse]:
    """Every event of the stream (or of one kommune) in position order, each chain link checked.

    `durable` names the consumer (default `hjemmel-folg[-<kommune>]`); it resumes after the last acked
    event, or with `fra` starts over at that ledger position. An event is acked when the loop asks for
    the next one (or on `await event.ack()`). `tidsavbrudd`: end after that many idle seconds. Wrap it
    in `contextlib.aclosing` so the consumer closes as soon as the loop is left (docs/streaming.md).
    Raises `KjedeBrudd` on a broken link and `AbonnementFeil` when it cannot start.
    """
    nc = await koble_til(nats_url)
    try:
        async for hendelse in abonner(nc, kommune=kommune, fra=fra, durable=durable, stream=stream, batch=batch,
                                      tidsavbrudd=tidsavbrudd):
            yield hendelse
    finally:
        try:
            await nc.flush(timeout=2)  # the last acks reach the server before we hang up
        except (nats.errors.Error, asyncio.TimeoutError):
            pass
        await nc.close()


async def abonner(nc: NATS, *, kommune: str | None = None, fra: int | None = None, durable: str | None = None,
                  stream: str = "HJEMMEL", batch: int = 256,
                  tidsavbrudd: float | None = None) -> AsyncIterator[StromHendelse]:
    """`subscribe` on a connection the caller owns."""
    if kommune is not None and not KOMMUNE.match(kommune):
        raise AbonnementFeil(f"kommune må være fire sifre, ikke {kommune!r}")
    navn = durable or standard_navn(kommune)
    await _sikre_konsument(nc, stream, navn, kommune, fra)
    trekk = await _Trekk(nc, stream, navn, batch).start()
    sjekk, sist = Kjedesjekk(), time.monotonic()
    try:
        while True:
            igjen = None if tidsavbrudd is None else tidsavbrudd - (time.monotonic() - sist)
            if igjen is not None and igjen <= 0:
                return
            msg = await trekk.neste(max(0.01, min(1.0, igjen or 1.0)))
            if msg is None:
                continue
            hendelse = les(msg)
            if not sjekk.sjekk(hendelse):
                await hendelse.ack()  # a redelivery of a version already handed out
                continue
            sist = time.monotonic()
            yield hendelse
            await hendelse.ack()
    finally:
        await trekk.stopp()  # what was delivered and not acked is picked up by the next run (see above)


class _Trekk:
    """Pull requests whose messages are handed out one by one, as they arrive.

    nats-py's `fetch(n)` holds on to what has come until n messages or its timeout, which at a
    steady low rate adds up to that timeout to an event's latency.
    """

    UTLOP = 5.0  # seconds a pull request waits on the server

    def __init__(self, nc: NATS, stream: str, navn: str, batch: int) -> None:
        self.nc, self.batch = nc, batch
        self.emne = f"$JS.API.CONSUMER.MSG.NEXT.{stream}.{navn}"
        self.ko: asyncio.Queue[Any] = asyncio.Queue()
        self.utestaende, self.frist = 0, 0.0

    async def start(self) -> _Trekk:
        self.inbox = self.nc.new_inbox()
        self.sub = await self.nc.subscribe(self.inbox, cb=self.ko.put)
        return self

    async def neste(self, timeout: float) -> Any | None:
        """The next message, or None after `timeout` or on a status (expired request, a server restart)."""
        if self.utestaende <= 0 or time.monotonic() > self.frist:  # a lost request (restart) expires too
            pull = {"batch": self.batch, "expires": int(self.UTLOP * 1e9)}
            await self.nc.publish(self.emne, msgspec.json.encode(pull), reply=self.inbox)
            self.utestaende, self.frist = self.batch, time.monotonic() + self.UTLOP + 1
        try:
            msg = await asyncio.wait_for(self.ko.get(), timeout)
        except asyncio.TimeoutError:
            return None
        status = (msg.headers or {}).get("Status") if not msg.data else None
        if status is not None:
            if status == "100":  # a heartbeat: the request is still open
                return None
            if status not in ("408", "404"):  # not just "expired": do not hammer the server
                log.warning("folg.status", status=status, beskrivelse=msg.headers.get("Description"))
                await asyncio.sleep(0.2)
            self.utestaende = 0
            return None
        self.utestaende -= 1
        return msg

    async def stopp(self) -> None:
        try:
            await self.sub.unsubscribe()
        except nats.errors.Error:
            pass


async def _sikre_konsument(nc: NATS, stream: str, navn: str, kommune: str | None, fra: int | None) -> None:
    """Create the durable consumer, or resume it right after its ack floor, so order holds across runs."""
    js = nc.jetstream()
    try:
        await js.stream_info(stream)
    except NotFoundError:
        raise AbonnementFeil(f"strømmen {stream} finnes ikke ennå; kjør `hjemmel publiser` først") from None
    filter_ = f"hjemmel.{kommune}.>" if kommune else None
    config = ConsumerConfig(durable_name=navn, ack_policy=AckPolicy.EXPLICIT, ack_wait=30, max_ack_pending=20_000,
                            filter_subject=filter_, deliver_policy=DeliverPolicy.ALL)
    try:
        info = await js.consumer_info(stream, navn)
    except NotFoundError:
        info = None
    if fra is not None:  # --fra: this durable starts over from that position
        config.deliver_policy = DeliverPolicy.BY_START_SEQUENCE
        config.opt_start_seq = await start_seq(nc, stream, fra)
    elif info is not None:
        if (info.config.filter_subject or None) != filter_:
            raise AbonnementFeil(f"den varige konsumenten {navn} filtrerer på {info.config.filter_subject!r}, "
                                 f"ikke {filter_!r}; bruk et annet --navn")
        if not info.num_ack_pending:
            return  # nothing handed out and left un-acked: it resumes in order as it is
        # A previous run left messages un-acked. JetStream redelivers those out of stream order, so
        # start again right after the last acked one (we ack in order: the ack floor is the resume point).
        gulv = info.ack_floor.stream_seq if info.ack_floor else 0
        config.deliver_policy, config.opt_start_seq = (
            (DeliverPolicy.BY_START_SEQUENCE, gulv + 1) if gulv else
            (info.config.deliver_policy, info.config.opt_start_seq))
    if info is not None:
        await js.delete_consumer(stream, navn)
    await js.add_consumer(stream, config)
    log.info("folg.konsument", navn=navn, filter=filter_, start_seq=config.opt_start_seq)


async def start_seq(nc: NATS, stream: str, fra: int) -> int:
    """The first stream sequence whose ledger position is >= `fra` (binary search on the headers)."""
    js = nc.jetstream()
    tilstand = (await js.stream_info(stream)).state
    lo, hi = max(tilstand.first_seq, 1), tilstand.last_seq + 1
    while lo < hi:
        midt = (lo + hi) // 2
        msg = await js.get_msg(stream, midt, subject=SUBJECTS, next=True)  # the first at or after midt
        posisjon = _tall((msg.headers or {}).get(H_POSISJON))
        if posisjon is None:
            raise AbonnementFeil(f"melding seq {msg.seq} i {stream} mangler {H_POSISJON}")
        if posisjon >= fra:
            hi = midt
        else:
            lo = msg.seq + 1
    return lo
