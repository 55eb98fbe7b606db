"""`hjemmel publiser` and `hjemmel folg` as a user runs them: stdout, stderr and exit codes."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import msgspec
import nats
import pytest
from nats.js.api import StorageType, StreamConfig

from hjemmel.adapters.bootstrap import bygg
from hjemmel.adapters.config import les_settings
from hjemmel.adapters.nats_server import EmbeddedNatsServer
from hjemmel.domain.hashkjede import hash_av
from hjemmel.projections.historikk import historikk_post


def kommandoer(hjemler: int = 2) -> str:
    ut = [{"cmd": "sats", "dato": "2024-01-01", "belop_per_innbygger_per_ar": "545.00"}]
    for i in range(hjemler):
        kommune = ("1149", "0301")[i % 2]
        key = f"{kommune}-{i:03d}"
        ut += [{"cmd": "opprett_hjemmel", "hjemmel": key, "dato": "2024-01-02", "kommune": kommune, "listetak": 1200,
                "lokalisering": "Sentrum", "organiseringsform": "gruppe", "praksistype": None,
                "samarbeidsutvalg_uttalelse": None},
               {"cmd": "avtale_inngatt", "hjemmel": key, "dato": "2024-01-03", "listetak": 1200,
                "lege": {"id": f"L{i}", "navn": "Åse Ødegård", "fodselsdato": "1979-09-09"}},
               {"cmd": "listetall", "hjemmel": key, "dato": "2024-02-01", "antall": 1180}]
    return "".join(json.dumps(x, ensure_ascii=False) + "\n" for x in ut)


class Bruker:
    """Runs `hjemmel` in a directory of its own, with a clean environment."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("HJEMMEL_")}
        self.db = str(tmp / "h.sqlite")

    def __call__(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "hjemmel", *args, "--db", self.db], cwd=self.tmp, env=self.env,
                              capture_output=True, text=True, timeout=timeout)

    def start(self, *args: str) -> subprocess.Popen[str]:
        return subprocess.Popen([sys.executable, "-m", "hjemmel", *args, "--db", self.db], cwd=self.tmp,
                                env=self.env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)

    def apply(self, tekst: str) -> None:
        (self.tmp / "inn.jsonl").write_text(tekst)
        assert self("apply", str(self.tmp / "inn.jsonl")).returncode == 0

    def historikk(self) -> list[dict]:
        reg = bygg(les_settings(db=self.db))  # keep the Register: it owns the connection pool
        return [historikk_post(r.posisjon, r.raw()) for r in reg.lager.varsler(0, 10_000)]


@pytest.fixture
def bruker(tmp_path: Path) -> Bruker:
    b = Bruker(tmp_path)
    b.apply(kommandoer())
    return b


def linjer(p: subprocess.CompletedProcess[str]) -> list[dict]:
    return [json.loads(x) for x in p.stdout.splitlines()]


def test_publiser_en_gang_skriver_et_sammendrag(bruker: Bruker, nats_server: EmbeddedNatsServer) -> None:
    """`publiser --en-gang` publishes what is pending, prints one JSON summary and exits 0; again, nothing."""
    forste = bruker("publiser", "--en-gang", "--nats", nats_server.url)
    assert forste.returncode == 0, forste.stderr
    assert linjer(forste)[0] | {"ledger_id": "x"} == {"publisert": 7, "posisjon": 7, "seq": 7, "lag": 0,
                                                        "stream": "HJEMMEL", "ledger_id": "x"}
    assert linjer(bruker("publiser", "--en-gang", "--nats", nats_server.url))[0]["publisert"] == 0


def test_status_viser_lag(bruker: Bruker, nats_server: EmbeddedNatsServer) -> None:
    """`publiser --status` prints ledger head, last published position and the lag between them."""
    bruker("publiser", "--en-gang", "--nats", nats_server.url)
    bruker.apply(json.dumps({"cmd": "listetall", "hjemmel": "1149-000", "dato": "2024-03-01", "antall": 1190}))
    status = bruker("publiser", "--status", "--nats", nats_server.url)
    assert status.returncode == 0
    assert {k: linjer(status)[0][k] for k in ("hode", "publisert_posisjon", "lag")} == {
        "hode": 8, "publisert_posisjon": 7, "lag": 1}


def test_folg_skriver_hendelsene_og_husker_hvor_den_var(bruker: Bruker, nats_server: EmbeddedNatsServer) -> None:
    """`folg --maks N` prints N historikk entries; the durable consumer then resumes after them."""
    bruker("publiser", "--en-gang", "--nats", nats_server.url)
    forste = bruker("folg", "--nats", nats_server.url, "--maks", "3")
    assert forste.returncode == 0, forste.stderr
    resten = bruker("folg", "--nats", nats_server.url, "--tidsavbrudd", "1")
    assert resten.returncode == 0
    assert linjer(forste) + linjer(resten) == bruker.historikk()
    assert [x["posisjon"] for x in linjer(forste)] == [1, 2, 3]


def test_folg_filtrerer_kommune_og_starter_ved_posisjon(bruker: Bruker, nats_server: EmbeddedNatsServer) -> None:
    """--kommune keeps one kommune's events; --fra starts at a position (the sats aggregate is 0000)."""
    bruker("publiser", "--en-gang", "--nats", nats_server.url)
    kommune = bruker("folg", "--nats", nats_server.url, "--kommune", "0301", "--tidsavbrudd", "1")
    assert [x["posisjon"] for x in linjer(kommune)] == [5, 6, 7]
    satser = bruker("folg", "--nats", nats_server.url, "--kommune", "0000", "--tidsavbrudd", "1")
    assert [x["type"] for x in linjer(satser)] == ["BasistilskuddSatsFastsatt"]
    fra = bruker("folg", "--nats", nats_server.url, "--fra", "6", "--tidsavbrudd", "1", "--navn", "fra6")
    assert [x["posisjon"] for x in linjer(fra)] == [6, 7]


async def test_folg_stopper_ved_brutt_kjede(bruker: Bruker, nats_server: EmbeddedNatsServer) -> None:
    """A forged message whose link does not match stops `folg` with exit 3, naming the event."""
    bruker("publiser", "--en-gang", "--nats", nats_server.url)
    reg = bygg(les_settings(db=bruker.db))
    siste = reg.lager.rader("1149-000")[-1].raw()
    raw = {**siste, "versjon": 4, "dato": "2024-03-01", "forrige_hash": "e" * 64, "antall": 5}
    raw["hash"] = hash_av(raw)
    nc = await nats.connect(nats_server.url)
    await nc.jetstream().publish("hjemmel.1149.1149-000.ListetallRegistrert",
                                 msgspec.json.encode(historikk_post(8, raw)),
                                 headers={"Hjemmel-Posisjon": "8", "Hjemmel-Versjon": "4", "Hjemmel-Hash": raw["hash"],
                                          "Hjemmel-Forrige-Hash": raw["forrige_hash"]})
    await nc.close()
    p = bruker("folg", "--nats", nats_server.url, "--tidsavbrudd", "1")
    assert p.returncode == 3
    assert len(linjer(p)) == 7
    assert p.stderr.strip().splitlines()[-1].startswith(
        "feil: kjede_brutt: hjemmel 1149-000 versjon 4 posisjon 8: forrige_hash peker ikke på versjon 3")


async def test_inkompatibel_strom_avvises(bruker: Bruker, nats_server: EmbeddedNatsServer) -> None:
    """A stream named HJEMMEL in memory storage is refused with a clear message and exit 2."""
    nc = await nats.connect(nats_server.url)
    await nc.jetstream().add_stream(StreamConfig(name="HJEMMEL", subjects=["hjemmel.>"], storage=StorageType.MEMORY))
    await nc.close()
    p = bruker("publiser", "--en-gang", "--nats", nats_server.url)
    assert p.returncode == 2
    assert "feil: strom_feil: strømmen HJEMMEL har inkompatible innstillinger: storage er memory" in p.stderr


def test_folg_uten_strom(bruker: Bruker, nats_server: EmbeddedNatsServer) -> None:
    """Following before anything was published says what to do, exit 2."""
    p = bruker("folg", "--nats", nats_server.url, "--tidsavbrudd", "1")
    assert (p.returncode, p.stdout) == (2, "")
    assert "feil: abonnement_feil: strømmen HJEMMEL finnes ikke ennå" in p.stderr


def test_innebygd_server_startes_og_stoppes(bruker: Bruker) -> None:
    """Without --nats a local nats-server runs beside the SQLite file for the command, and is stopped."""
    assert bruker("publiser", "--en-gang").returncode == 0
    p = bruker("folg", "--tidsavbrudd", "1")
    assert p.returncode == 0 and linjer(p) == bruker.historikk()
    mappe = bruker.tmp / "hjemmel-data" / "nats"
    logg = (mappe / "nats-server.log").read_text()
    assert logg.count("Server is ready") == 2 and logg.count("Server Exiting") == 2
    assert not (mappe / "url").exists() and not (mappe / "pid").exists()


def test_innebygd_server_deles_av_samtidige_kommandoer(bruker: Bruker) -> None:
    """`folg` while `publiser` runs attaches to the server publiser started: one server a store dir."""
    relay = bruker.start("publiser")
    url = bruker.tmp / "hjemmel-data" / "nats" / "url"
    _vent(lambda: url.exists())
    p = bruker("folg", "--tidsavbrudd", "2")
    relay.send_signal(signal.SIGTERM)
    assert relay.wait(timeout=30) == 0
    assert linjer(p) == bruker.historikk()
    logg = (bruker.tmp / "hjemmel-data" / "nats" / "nats-server.log").read_text()
    assert logg.count("Server is ready") == 1 and logg.count("Server Exiting") == 1


def test_foreldrelos_server_etter_kill_9_stoppes(bruker: Bruker) -> None:
    """If publiser is killed with -9, its server lives on; the next command stops it before starting anew."""
    relay = bruker.start("publiser")
    pid_fil = bruker.tmp / "hjemmel-data" / "nats" / "pid"
    _vent(lambda: (bruker.tmp / "hjemmel-data" / "nats" / "url").exists())
    gammel = int(pid_fil.read_text())
    relay.kill()
    relay.wait()
    assert _lever(gammel)
    p = bruker("publiser", "--en-gang")
    assert p.returncode == 0, p.stderr
    assert not _lever(gammel)
    assert linjer(bruker("folg", "--tidsavbrudd", "1")) == bruker.historikk()


def _vent(sann, frist: float = 30.0) -> None:
    slutt = time.monotonic() + frist
    while not sann():
        assert time.monotonic() < slutt, "timed out waiting"
        time.sleep(0.02)


def _lever(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False
