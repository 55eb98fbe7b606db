"""The test infrastructure itself: the loopback nats-server and the PostgreSQL fixture."""

from __future__ import annotations

from pathlib import Path

import nats
import psycopg
import pytest
from nats.js.api import StorageType

from hjemmel.adapters.nats_server import EmbeddedNatsServer


async def test_nats_server_takes_a_jetstream_publish(nats_server: EmbeddedNatsServer) -> None:
    """A stream created on the fixture server stores a published message."""
    nc = await nats.connect(nats_server.url)
    try:
        js = nc.jetstream()
        await js.add_stream(name="PROBE", subjects=["probe.>"])
        ack = await js.publish("probe.a", b"hei")
        stored = await js.get_msg("PROBE", ack.seq)
    finally:
        await nc.close()
    assert stored.data == b"hei"
    assert stored.subject == "probe.a"


async def test_restart_keeps_a_file_stream(nats_server: EmbeddedNatsServer) -> None:
    """restart() comes back on the same URL with the file-stored messages intact."""
    url = nats_server.url
    nc = await nats.connect(url)
    try:
        js = nc.jetstream()
        await js.add_stream(name="PROBE", subjects=["probe.>"], storage=StorageType.FILE)
        ack = await js.publish("probe.a", b"varig")
    finally:
        await nc.close()

    nats_server.restart()

    nc = await nats.connect(nats_server.url)
    try:
        stored = await nc.jetstream().get_msg("PROBE", ack.seq)
    finally:
        await nc.close()
    assert nats_server.url == url
    assert stored.data == b"varig"


def test_nats_server_refuses_a_non_loopback_host(tmp_path: Path) -> None:
    """The embedded server never listens beyond loopback."""
    with pytest.raises(ValueError):
        EmbeddedNatsServer(tmp_path, host="0.0.0.0")


def test_pg_url_accepts_a_connection(pg_url: str) -> None:
    """The PostgreSQL fixture answers a query."""
    with psycopg.connect(pg_url) as conn:
        assert conn.execute("select 1").fetchone() == (1,)
