"""Fault tests: the relay as a real process against a real nats-server, killed, restarted and doubled.

After each, the stream must hold every stored event exactly once, in position order, with every
hash-chain link verifying.
"""
from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from nats.js.api import AckPolicy, ConsumerConfig

from hjemmel.adapters.abonnement import Kjedesjekk, les
from hjemmel.adapters.bootstrap import bygg
from hjemmel.adapters.config import les_settings
from hjemmel.adapters.nats_server import EmbeddedNatsServer
from hjemmel.adapters.nats_strom import koble_til


def linjer(hjemler: int, maneder: int, start: int = 0) -> list[bytes]:
    """Real commands: per hjemmel opprett, avtale and `maneder` monthly list sizes (2 + maneder events)."""
    ut = []
    for i in range(start, start + hjemler):
        kommune = ("1149", "0301", "4601")[i % 3]
        key = f"{kommune}-{i:04d}"
        ut.append({"cmd": "opprett_hjemmel", "hjemmel": key, "dato": "2024-01-02", "kommune": kommune,
                   "listetak": 1200, "lokalisering": None, "organiseringsform": "solo", "praksistype": None,
                   "samarbeidsutvalg_uttalelse": None})
        ut.append({"cmd": "avtale_inngatt", "hjemmel": key, "dato": "2024-01-03", "listetak": 1200,
                   "lege": {"id": f"L{i}", "navn": "Ola Nordmann", "fodselsdato": "1975-02-03"}})
        ut += [{"cmd": "listetall", "hjemmel": key, "dato": f"{2024 + (m // 12)}-{m % 12 + 1:02d}-01",
                "antall": 900 + m} for m in range(1, 1 + maneder)]
    return [json.dumps(x).encode() for x in ut]


class Oppsett:
    """One ledger file, one nats-server, relay processes started with the real command line."""

    def __init__(self, tmp_path: Path, server: EmbeddedNatsServer) -> None:
        self.tmp, self.server = tmp_path, server
        self.db = str(tmp_path / "h.sqlite")
        self.reg = bygg(les_settings(db=self.db))
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("HJEMMEL_")} | {"HJEMMEL_LOGG": "info"}
        self.logger: list[Path] = []

    def legg_til(self, biter: list[bytes]) -> None:
        for i in range(0, len(biter), 2000):
            assert all(u.avvist is None for u in self.reg.behandle_mange(biter[i:i + 2000]))

    def relay(self, *valg: str) -> subprocess.Popen[bytes]:
        logg = self.tmp / f"relay{len(self.logger)}.log"
        self.logger.append(logg)
        return subprocess.Popen([sys.executable, "-m", "hjemmel", "publiser", "--db", self.db,
                                 "--nats", self.server.url, *valg], cwd=self.tmp, env=self.env,
                                stdout=subprocess.PIPE, stderr=logg.open("wb"))

    def en_gang(self) -> dict:
        p = self.relay("--en-gang")
        ut, _ = p.communicate(timeout=120)
        assert p.returncode == 0, self.logger[-1].read_text()[-2000:]
        return json.loads(ut)

    def omstarter(self) -> int:
        return sum(logg.read_text().count('"relay.omstart"') for logg in self.logger)

    async def antall(self) -> int:
        """Messages in the stream now (0 while it does not exist or the server is away)."""
        try:
            return (await self.nc.jetstream().stream_info("HJEMMEL", )).state.messages
        except Exception:  # noqa: BLE001 - any failure here just means "not yet"
            return 0

    async def __aenter__(self) -> Oppsett:
        self.nc = await koble_til(self.server.url)
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.nc.close()

    async def sjekk_strommen(self) -> int:
        """Every stored event exactly once, in order, chains intact; returns how many."""
        js = self.nc.jetstream()
        antall = (await js.stream_info("HJEMMEL")).state.messages
        sub = await js.pull_subscribe("hjemmel.>", stream="HJEMMEL", config=ConsumerConfig(ack_policy=AckPolicy.NONE))
        meldinger: list = []
        while len(meldinger) < antall:
            meldinger += await sub.fetch(min(1000, antall - len(meldinger)), timeout=10)
        await sub.unsubscribe()
        lagret = [r.posisjon for r in self.reg.lager.varsler(0, 10**9)]
        assert [int(m.headers["Hjemmel-Posisjon"]) for m in meldinger] == lagret
        assert [m.metadata.sequence.stream for m in meldinger] == list(range(1, len(lagret) + 1))
        sjekk = Kjedesjekk()
        assert all(sjekk.sjekk(les(m)) for m in meldinger)  # raises KjedeBrudd on a broken link
        return len(lagret)


async def vent_til(sann: Callable[[], Awaitable[bool]], frist: float = 120.0) -> None:
    """Poll a condition with a deadline; a real wait, not a fixed sleep."""
    slutt = asyncio.get_running_loop().time() + frist
    while not await sann():
        assert asyncio.get_running_loop().time() < slutt, "timed out waiting"
        await asyncio.sleep(0.02)


@pytest.fixture
async def oppsett(tmp_path: Path, nats_server: EmbeddedNatsServer):
    async with Oppsett(tmp_path, nats_server) as o:
        yield o


def stopp(p: subprocess.Popen[bytes]) -> None:
    p.send_signal(signal.SIGTERM)
    assert p.wait(timeout=30) == 0


async def test_kill_9_midt_i_en_batch(oppsett: Oppsett) -> None:
    """SIGKILL while batches are in flight, then a restart: nothing lost, nothing twice."""
    oppsett.legg_til(linjer(800, 23))  # 20 000 events
    relay = oppsett.relay("--batch", "200")
    await vent_til(lambda: _minst(oppsett, 2000))
    relay.kill()  # up to four batches of 200 are in flight at any moment
    relay.wait()
    drept_ved = await oppsett.antall()
    assert 0 < drept_ved < 20_000
    svar = oppsett.en_gang()
    assert (svar["posisjon"], svar["lag"]) == (20_000, 0)
    assert await oppsett.sjekk_strommen() == 20_000


async def test_nats_server_startes_pa_nytt_mens_relayet_gaar(oppsett: Oppsett) -> None:
    """A restarted server drops the relay's connection; it reconnects, re-reads the tail and goes on."""
    oppsett.legg_til(linjer(400, 23))
    relay = oppsett.relay("--batch", "200")
    await vent_til(lambda: _minst(oppsett, 1000))
    oppsett.server.restart()
    oppsett.legg_til(linjer(100, 23, start=400))  # appended while the relay is reconnecting
    await vent_til(lambda: _minst(oppsett, 12_500))
    stopp(relay)
    assert await oppsett.sjekk_strommen() == 12_500


async def test_hendelser_lagt_til_mens_relayet_er_nede(oppsett: Oppsett) -> None:
    """Events stored while no relay runs are published, in order, by the next one."""
    oppsett.legg_til(linjer(60, 8))
    assert oppsett.en_gang()["publisert"] == 600
    oppsett.legg_til(linjer(40, 8, start=60))
    p = subprocess.run([sys.executable, "-m", "hjemmel", "publiser", "--status", "--db", oppsett.db,
                        "--nats", oppsett.server.url], env=oppsett.env, capture_output=True, timeout=60)
    assert json.loads(p.stdout)["lag"] == 400
    assert oppsett.en_gang() | {"ledger_id": None} == {"publisert": 400, "posisjon": 1000, "seq": 1000, "lag": 0,
                                                         "stream": "HJEMMEL", "ledger_id": None}
    assert await oppsett.sjekk_strommen() == 1000


async def test_to_relayer_samtidig(oppsett: Oppsett) -> None:
    """Two relays on the same ledger at once, while events keep arriving: the stream's
    compare-and-set (Nats-Expected-Last-Sequence) lets only the one with the right tail append."""
    oppsett.legg_til(linjer(400, 23))
    relayer = [oppsett.relay("--batch", "100"), oppsett.relay("--batch", "100")]
    for start in range(400, 500, 10):
        oppsett.legg_til(linjer(10, 23, start=start))
        await asyncio.sleep(0)
    await vent_til(lambda: _minst(oppsett, 12_500))
    for relay in relayer:
        stopp(relay)
    assert await oppsett.sjekk_strommen() == 12_500
    print(f"omstarter etter avviste skriv: {oppsett.omstarter()}")


async def _minst(oppsett: Oppsett, antall: int) -> bool:
    return await oppsett.antall() >= antall
