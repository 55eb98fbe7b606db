"""The stream side of interface §5: subjects, headers, the stream's settings and its tail."""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import msgspec
import nats
import structlog
from nats.aio.client import Client as NATS
from nats.js.api import DiscardPolicy, RetentionPolicy, StorageType, StreamConfig
from nats.js.errors import BadRequestError, NotFoundError

from hjemmel.adapters.config import Settings
from hjemmel.adapters.lager import Lager, Rad
from hjemmel.domain.hendelser import SATSER, SATSER_KOMMUNE
from hjemmel.projections.historikk import historikk_post

log = structlog.get_logger()

SUBJECTS = "hjemmel.>"
H_MSG_ID, H_POSISJON, H_VERSJON = "Nats-Msg-Id", "Hjemmel-Posisjon", "Hjemmel-Versjon"
H_HASH, H_FORRIGE = "Hjemmel-Hash", "Hjemmel-Forrige-Hash"
# The server stores a message only if the stream's last sequence is this value: the two-relay rule.
H_FORVENTET = "Nats-Expected-Last-Sequence"
DEDUP_VINDU = 120.0  # seconds of Nats-Msg-Id de-duplication; the second line behind H_FORVENTET
LEDGER_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


class StromFeil(Exception):
    """The stream cannot be used by this ledger (incompatible settings, another ledger, a lost store)."""


def ledger_id_for(settings: Settings, override: str | None = None) -> str:
    """HJEMMEL_LEDGER_ID if given, else sha256 of the store's location (no password), 16 hex digits."""
    if override:
        if not LEDGER_ID.match(override):
            raise StromFeil(f"ledger-id {override!r} må være 1–64 tegn A-Z a-z 0-9 _ -")
        return override
    if settings.er_postgres:
        url = urlparse(settings.db)
        sted = f"postgresql://{url.hostname or '127.0.0.1'}:{url.port or 5432}{url.path or '/hjemmel'}"
    else:
        sted = f"sqlite:{Path(settings.sqlite_fil).resolve()}"
    return hashlib.sha256(sted.encode()).hexdigest()[:16]


def kommune_for(hjemmel: str) -> str:
    return SATSER_KOMMUNE if hjemmel == SATSER else hjemmel.split("-", 1)[0]


def melding(rad: Rad, ledger_id: str) -> tuple[str, bytes, dict[str, str]]:
    """Subject, payload (the historikk entry) and contract headers of one stored event."""
    raw = rad.raw()
    subject = f"hjemmel.{kommune_for(rad.hjemmel)}.{rad.hjemmel}.{raw['type']}"
    headers = {H_MSG_ID: f"{ledger_id}:{rad.posisjon}", H_POSISJON: str(rad.posisjon),
               H_VERSJON: str(rad.versjon), H_HASH: raw["hash"], H_FORRIGE: raw["forrige_hash"],
               "Content-Type": "application/json"}
    return subject, msgspec.json.encode(historikk_post(rad.posisjon, raw)), headers


# ---- the stream ------------------------------------------------------------------------------------

def onsket_konfig(navn: str) -> StreamConfig:
    """File storage, nothing ever expires or is deleted: the stream is a copy of the ledger."""
    return StreamConfig(name=navn, subjects=[SUBJECTS], description="hjemmel: lagrede hendelser (interface §5)",
                        storage=StorageType.FILE, retention=RetentionPolicy.LIMITS, discard=DiscardPolicy.NEW,
                        max_msgs=-1, max_bytes=-1, max_age=0, max_msgs_per_subject=-1,
                        duplicate_window=DEDUP_VINDU, deny_delete=True, deny_purge=True, allow_rollup_hdrs=False)


def avvik(cfg: StreamConfig) -> list[str]:
    """Why an existing stream cannot carry the ledger; updatable differences are not listed."""
    grunner = []
    if list(cfg.subjects or []) != [SUBJECTS]:
        grunner.append(f"subjects er {cfg.subjects}, ventet ['{SUBJECTS}']")
    if cfg.storage != StorageType.FILE:
        grunner.append(f"storage er {cfg.storage}, ventet file")
    if cfg.retention != RetentionPolicy.LIMITS:
        grunner.append(f"retention er {cfg.retention}, ventet limits (ellers slettes hendelser)")
    for felt in ("max_msgs", "max_bytes", "max_msgs_per_subject"):
        if (getattr(cfg, felt) or -1) > 0:
            grunner.append(f"{felt} er {getattr(cfg, felt)}, ventet ubegrenset")
    if cfg.max_age:
        grunner.append(f"max_age er {cfg.max_age} s, ventet 0 (evig)")
    if cfg.sealed or cfg.allow_rollup_hdrs or cfg.mirror:
        grunner.append("strømmen er forseglet, et speil eller tillater rollup")
    return grunner


async def sikre_strom(nc: NATS, navn: str) -> None:
    """Create the stream, or update what may change; refuse an existing stream that would lose events."""
    js = nc.jetstream()
    onsket = onsket_konfig(navn)
    try:
        cfg = (await js.stream_info(navn)).config
    except NotFoundError:
        try:
            await js.add_stream(onsket)
            log.info("strom.opprettet", stream=navn)
            return
        except BadRequestError:  # a second relay created it a moment ago: check it below
            cfg = (await js.stream_info(navn)).config
    if grunner := avvik(cfg):
        raise StromFeil(f"strømmen {navn} har inkompatible innstillinger: " + "; ".join(grunner))
    if (cfg.duplicate_window or 0) < DEDUP_VINDU:
        await js.update_stream(cfg.evolve(duplicate_window=DEDUP_VINDU))
        log.info("strom.oppdatert", stream=navn, duplicate_window=DEDUP_VINDU)


@dataclass(frozen=True, slots=True)
class Hale:
    """The stream's last message: its sequence and the ledger position it carries."""

    seq: int
    posisjon: int


async def les_hale(nc: NATS, navn: str, ledger_id: str, lager: Lager) -> Hale:
    """Read back what the stream already holds and check it belongs to this store (never a local file)."""
    js = nc.jetstream()
    try:
        siste = await js.get_msg(navn, subject=SUBJECTS)  # last message on any hjemmel.> subject
    except NotFoundError:
        if (await js.stream_info(navn)).state.last_seq:
            raise StromFeil(f"strømmen {navn} har sekvensnumre men ingen meldinger; kan ikke fortsette") from None
        return Hale(0, 0)
    hode = siste.headers or {}
    eier, _, pos = hode.get(H_MSG_ID, "").rpartition(":")
    if eier != ledger_id or not pos.isdigit() or hode.get(H_POSISJON) != pos:
        raise StromFeil(f"strømmen {navn} sin siste melding (seq {siste.seq}) tilhører ikke denne loggen "
                        f"(Nats-Msg-Id {hode.get(H_MSG_ID)!r}, ledger-id her {ledger_id}; se HJEMMEL_LEDGER_ID)")
    rader = lager.varsler(int(pos) - 1, 1)
    if not rader or rader[0].posisjon != int(pos) or rader[0].raw()["hash"] != hode.get(H_HASH):
        raise StromFeil(f"strømmen {navn} har posisjon {pos} som denne loggen ikke har med samme hash "
                        f"(gjenopprettet eller feil database?)")
    return Hale(siste.seq, int(pos))


async def koble_til(url: str, **valg: Any) -> NATS:
    """A connection that keeps reconnecting (a restarted server comes back) and logs through structlog."""
    async def feil(e: Exception) -> None:
        log.warning("nats.feil", feil=repr(e))

    async def frakoblet() -> None:
        log.info("nats.frakoblet", url=url)  # also on a normal close

    async def tilbake() -> None:
        log.info("nats.tilkoblet_igjen", url=url)

    # A few attempts for the first connection, so a wrong URL fails fast; then reconnect forever.
    servere = [u.strip() for u in url.split(",") if u.strip()]  # a cluster: "nats://a:4222,nats://b:4222"
    nc = await nats.connect(servere, allow_reconnect=True, max_reconnect_attempts=3, reconnect_time_wait=0.25,
                            connect_timeout=2, error_cb=feil, disconnected_cb=frakoblet, reconnected_cb=tilbake,
                            **valg)
    nc.options["max_reconnect_attempts"] = -1
    return nc
