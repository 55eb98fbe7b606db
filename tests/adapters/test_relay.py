"""The relay and the consumer against a real loopback nats-server: format, stream setup, resume, chains."""
from __future__ import annotations

import json
from contextlib import aclosing
from dataclasses import replace
from pathlib import Path

import msgspec
import nats
import pytest
from nats.js.api import AckPolicy, ConsumerConfig, StorageType, StreamConfig
from structlog.testing import capture_logs

from hjemmel.adapters.abonnement import KjedeBrudd, Kjedesjekk, StromHendelse, subscribe
from hjemmel.adapters.bootstrap import bygg
from hjemmel.adapters.config import les_settings
from hjemmel.adapters.lager import Rad
from hjemmel.adapters.nats_relay import Relay
from hjemmel.adapters.nats_server import EmbeddedNatsServer
from hjemmel.adapters.nats_strom import DEDUP_VINDU, StromFeil, ledger_id_for
from hjemmel.domain.hashkjede import NULLHASH
from hjemmel.projections.historikk import historikk_post

LID = "testledger"


def linjer(hjemler: int, maneder: int = 3, kommuner: tuple[str, ...] = ("1149", "0301")) -> list[bytes]:
    """Real commands (interface §3): each hjemmel is created, gets a doctor and monthly list sizes."""
    ut = []
    for i in range(hjemler):
        kommune = kommuner[i % len(kommuner)]
        key = f"{kommune}-{i:03d}"
        ut.append({"cmd": "opprett_hjemmel", "hjemmel": key, "dato": "2024-01-02", "kommune": kommune,
                   "listetak": 1200, "lokalisering": "Sentrum", "organiseringsform": "gruppe",
                   "praksistype": None, "samarbeidsutvalg_uttalelse": None})
        ut.append({"cmd": "avtale_inngatt", "hjemmel": key, "dato": "2024-01-03", "listetak": 1200,
                   "lege": {"id": f"L{i}", "navn": "Kari Nordmann", "fodselsdato": "1980-05-01"}})
        ut += [{"cmd": "listetall", "hjemmel": key, "dato": f"2024-{m:02d}-01", "antall": 1000 + m}
               for m in range(2, 2 + maneder)]
    return [json.dumps(x).encode() for x in ut]


@pytest.fixture
def reg(tmp_path: Path):
    return bygg(les_settings(db=str(tmp_path / "h.sqlite")))


async def relay_for(reg, url: str, **valg) -> tuple[Relay, nats.NATS]:
    nc = await nats.connect(url)
    relay = Relay(reg.lager, nc, stream="HJEMMEL", ledger_id=LID, **valg)
    await relay.klargjor()
    return relay, nc


async def alle_meldinger(url: str) -> list:
    """Every message in the stream, in sequence order, from an ephemeral consumer."""
    nc = await nats.connect(url)
    try:
        js = nc.jetstream()
        antall = (await js.stream_info("HJEMMEL")).state.messages
        sub = await js.pull_subscribe("hjemmel.>", stream="HJEMMEL", config=ConsumerConfig(ack_policy=AckPolicy.NONE))
        ut: list = []
        while len(ut) < antall:
            ut += await sub.fetch(min(500, antall - len(ut)), timeout=5)
        return ut
    finally:
        await nc.close()


async def publiser_alt(reg, url: str, **valg) -> int:
    relay, nc = await relay_for(reg, url, **valg)
    try:
        return await relay.publiser_ventende()
    finally:
        await nc.close()


class TestMeldingen:
    async def test_subject_headere_og_payload(self, reg, nats_server: EmbeddedNatsServer) -> None:
        """The message of an event: its subject, the §5 headers, and the historikk entry as payload."""
        reg.behandle_mange(linjer(1))
        await publiser_alt(reg, nats_server.url)
        msg = (await alle_meldinger(nats_server.url))[1]
        rad = reg.lager.varsler(1, 1)[0]
        assert msg.subject == "hjemmel.1149.1149-000.AvtaleInngatt"
        assert msg.headers["Nats-Msg-Id"] == f"{LID}:2"
        assert msg.headers["Hjemmel-Posisjon"] == "2"
        assert msg.headers["Hjemmel-Versjon"] == "2"
        assert msg.headers["Hjemmel-Hash"] == rad.raw()["hash"]
        assert msg.headers["Hjemmel-Forrige-Hash"] == reg.lager.varsler(0, 1)[0].raw()["hash"]
        assert msg.headers["Content-Type"] == "application/json"
        assert json.loads(msg.data) == historikk_post(2, rad.raw())

    async def test_satsene_har_kommune_0000(self, reg, nats_server: EmbeddedNatsServer) -> None:
        """The national sats aggregate is published under kommune 0000 and key `satser`."""
        reg.behandle(b'{"cmd": "sats", "dato": "2024-01-01", "belop_per_innbygger_per_ar": "545.00"}')
        await publiser_alt(reg, nats_server.url)
        (msg,) = await alle_meldinger(nats_server.url)
        assert msg.subject == "hjemmel.0000.satser.BasistilskuddSatsFastsatt"
        assert msg.headers["Hjemmel-Forrige-Hash"] == NULLHASH

    def test_ledger_id_er_stabil_og_kan_overstyres(self, tmp_path: Path) -> None:
        """The default ledger id follows the store's location; HJEMMEL_LEDGER_ID wins and is checked."""
        a = les_settings(db=str(tmp_path / "a.sqlite"))
        assert ledger_id_for(a) == ledger_id_for(les_settings(db=f"sqlite:///{tmp_path / 'a.sqlite'}"))
        assert ledger_id_for(a) != ledger_id_for(les_settings(db=str(tmp_path / "b.sqlite")))
        pg = ledger_id_for(les_settings(db="postgresql://u:hemmelig@db:5432/hjemmel"))
        assert pg == ledger_id_for(les_settings(db="postgresql://u:annet@db:5432/hjemmel"))
        assert ledger_id_for(a, "kommune-1149") == "kommune-1149"
        with pytest.raises(StromFeil):
            ledger_id_for(a, "har:kolon")


class TestStrommen:
    async def test_opprettes_med_filer_og_uten_grenser(self, reg, nats_server: EmbeddedNatsServer) -> None:
        """The stream is file-stored, keeps everything, de-duplicates, and setting it up twice is harmless."""
        _, nc = await relay_for(reg, nats_server.url)
        await relay_for(reg, nats_server.url)
        cfg = (await nc.jetstream().stream_info("HJEMMEL")).config
        await nc.close()
        assert cfg.subjects == ["hjemmel.>"] and cfg.storage == StorageType.FILE
        assert (cfg.max_msgs, cfg.max_bytes, cfg.max_age) == (-1, -1, 0)
        assert cfg.duplicate_window == DEDUP_VINDU >= 120
        assert cfg.deny_delete and cfg.deny_purge

    async def test_kort_dedup_vindu_oppdateres(self, reg, nats_server: EmbeddedNatsServer) -> None:
        """An existing stream with a short de-duplication window is updated, not refused."""
        nc = await nats.connect(nats_server.url)
        await nc.jetstream().add_stream(StreamConfig(name="HJEMMEL", subjects=["hjemmel.>"],
                                                     storage=StorageType.FILE, duplicate_window=5))
        await relay_for(reg, nats_server.url)
        assert (await nc.jetstream().stream_info("HJEMMEL")).config.duplicate_window == DEDUP_VINDU
        await nc.close()

    @pytest.mark.parametrize("avvik, ord_", [({"storage": StorageType.MEMORY}, "storage"),
                                             ({"max_age": 3600}, "max_age"),
                                             ({"subjects": ["hjemmel.1149.>"]}, "subjects")])
    async def test_inkompatibel_strom_avvises(self, reg, nats_server: EmbeddedNatsServer, avvik, ord_) -> None:
        """An existing stream that would lose or miss events stops the relay with a message naming why."""
        nc = await nats.connect(nats_server.url)
        cfg = StreamConfig(name="HJEMMEL", subjects=["hjemmel.>"], storage=StorageType.FILE)
        await nc.jetstream().add_stream(cfg.evolve(**avvik))
        await nc.close()
        with pytest.raises(StromFeil, match=ord_):
            await relay_for(reg, nats_server.url)


class TestGjenopptak:
    async def test_fortsetter_fra_strommens_hale(self, reg, nats_server: EmbeddedNatsServer) -> None:
        """A new relay reads the last published position back from the stream and sends only the rest."""
        reg.behandle_mange(linjer(3))
        assert await publiser_alt(reg, nats_server.url, batch=4) == 15
        reg.behandle_mange(linjer(5)[15:])
        assert await publiser_alt(reg, nats_server.url, batch=4) == 10
        meldinger = await alle_meldinger(nats_server.url)
        assert [int(m.headers["Hjemmel-Posisjon"]) for m in meldinger] == list(range(1, 26))

    async def test_posisjoner_med_hull(self, reg, nats_server: EmbeddedNatsServer) -> None:
        """Positions may skip numbers (PostgreSQL after a rollback): the relay never assumes +1."""
        reg.behandle_mange(linjer(2))
        rader = [replace(r, posisjon=r.posisjon * 7 + 3) for r in reg.lager.varsler(0, 100)]
        lager = _Hullete(rader)
        for grense in (4, 10):
            lager.synlige = grense
            nc = await nats.connect(nats_server.url)
            relay = Relay(lager, nc, stream="HJEMMEL", ledger_id=LID, batch=3)
            await relay.klargjor()
            await relay.publiser_ventende()
            await nc.close()
        meldinger = await alle_meldinger(nats_server.url)
        assert [int(m.headers["Hjemmel-Posisjon"]) for m in meldinger] == [r.posisjon for r in rader]

    async def test_annen_logg_i_strommen_avvises(self, reg, nats_server: EmbeddedNatsServer) -> None:
        """A stream whose tail carries another ledger id is not this ledger's: refuse, do not append."""
        reg.behandle_mange(linjer(1))
        await publiser_alt(reg, nats_server.url)
        nc = await nats.connect(nats_server.url)
        with pytest.raises(StromFeil, match="tilhører ikke"):
            await Relay(reg.lager, nc, stream="HJEMMEL", ledger_id="en-annen").klargjor()
        await nc.close()

    async def test_strom_foran_lageret_avvises(self, reg, tmp_path: Path, nats_server: EmbeddedNatsServer) -> None:
        """A store that lacks what the stream already holds (a restored backup, a wrong file) is refused."""
        reg.behandle_mange(linjer(2))
        await publiser_alt(reg, nats_server.url)
        kortere = bygg(les_settings(db=str(tmp_path / "annen.sqlite")))
        kortere.behandle_mange(linjer(1))
        with pytest.raises(StromFeil, match="ikke har med samme hash"):
            await publiser_alt(kortere, nats_server.url)

    async def test_relay_med_utdatert_hale_kan_ikke_skrive(self, reg, nats_server: EmbeddedNatsServer) -> None:
        """The two-relay rule: a relay whose view of the tail is stale gets refused, re-reads, goes on."""
        reg.behandle_mange(linjer(2))
        a, nc_a = await relay_for(reg, nats_server.url, batch=3)
        b, nc_b = await relay_for(reg, nats_server.url, batch=3)  # both read the empty tail
        assert await a.publiser_ventende() == 10
        reg.behandle_mange(linjer(3)[10:])
        with capture_logs() as logger:
            # b's batches for 1..10 are refused; what it sent for 11.. fits the tail a left, and lands
            assert await b.publiser_ventende() <= 5
        await nc_a.close()
        await nc_b.close()
        assert any(e["event"] == "relay.omstart" and "wrong last sequence" in e["grunn"] for e in logger)
        meldinger = await alle_meldinger(nats_server.url)
        assert [int(m.headers["Hjemmel-Posisjon"]) for m in meldinger] == list(range(1, 16))

    async def test_batchlogg_har_posisjon_lag_og_tider(self, reg, nats_server: EmbeddedNatsServer) -> None:
        """Each batch logs the last published position, the lag behind the ledger head and its timings."""
        reg.behandle_mange(linjer(2))
        with capture_logs() as logger:
            await publiser_alt(reg, nats_server.url, batch=4)
        batcher = [e for e in logger if e["event"] == "relay.batch"]
        assert [(e["posisjon"], e["lag"]) for e in batcher] == [(4, 6), (8, 2), (10, 0)]
        assert all(e["les_ms"] >= 0 and e["send_ms"] >= 0 and e["ack_ms"] >= 0 for e in batcher)


class _Hullete:
    """A store reader over a fixed list of rows, `synlige` of them committed so far."""

    def __init__(self, rader: list[Rad]) -> None:
        self.rader, self.synlige = rader, len(rader)

    def varsler(self, etter: int, antall: int, til: int | None = None) -> list[Rad]:
        return [r for r in self.rader[:self.synlige] if r.posisjon > etter][:antall]

    def siste_posisjon(self) -> int:
        return self.rader[self.synlige - 1].posisjon


class TestAbonnement:
    async def test_alle_hendelser_i_rekkefolge(self, reg, nats_server: EmbeddedNatsServer) -> None:
        """subscribe() yields every event in position order, with its chain checked."""
        reg.behandle_mange(linjer(4))
        await publiser_alt(reg, nats_server.url)
        hendelser = await _samle(nats_server.url)
        assert [h.posisjon for h in hendelser] == list(range(1, 21))
        assert hendelser[0].payload == historikk_post(1, reg.lager.varsler(0, 1)[0].raw())

    async def test_filter_paa_kommune_og_start_posisjon(self, reg, nats_server: EmbeddedNatsServer) -> None:
        """`kommune` narrows to one kommune's subjects; `fra` starts at a ledger position (inclusive)."""
        reg.behandle_mange(linjer(4))
        await publiser_alt(reg, nats_server.url)
        kun_0301 = await _samle(nats_server.url, kommune="0301")
        assert {h.kommune for h in kun_0301} == {"0301"} and len(kun_0301) == 10
        fra_12 = await _samle(nats_server.url, fra=12)
        assert [h.posisjon for h in fra_12] == list(range(12, 21))

    async def test_varig_konsument_fortsetter(self, reg, nats_server: EmbeddedNatsServer) -> None:
        """A durable consumer picks up after the last acked event."""
        reg.behandle_mange(linjer(2))
        await publiser_alt(reg, nats_server.url)
        async with aclosing(subscribe(nats_server.url, durable="d1", tidsavbrudd=1)) as hendelser:
            async for h in hendelser:
                await h.ack()
                if h.posisjon == 4:
                    break
        resten = await _samle(nats_server.url, durable="d1", fra=None)
        assert [h.posisjon for h in resten] == list(range(5, 11))

    async def test_brutt_lenke_stopper_med_navn(self, reg, nats_server: EmbeddedNatsServer) -> None:
        """A message whose Forrige-Hash does not match the previous version names hjemmel, versjon, posisjon."""
        reg.behandle_mange(linjer(1, maneder=1))
        await publiser_alt(reg, nats_server.url)
        await _forfalsk(nats_server.url, reg, forrige="f" * 64)
        with pytest.raises(KjedeBrudd) as brudd:
            await _samle(nats_server.url)
        assert (brudd.value.hjemmel, brudd.value.versjon, brudd.value.posisjon) == ("1149-000", 4, 4)
        assert "forrige_hash" in str(brudd.value)

    async def test_endret_innhold_oppdages(self, reg, nats_server: EmbeddedNatsServer) -> None:
        """A payload changed after hashing no longer recomputes to its hash."""
        reg.behandle_mange(linjer(1, maneder=1))
        await publiser_alt(reg, nats_server.url)
        await _forfalsk(nats_server.url, reg, antall=9999)
        with pytest.raises(KjedeBrudd, match="hash stemmer ikke"):
            await _samle(nats_server.url)

    def test_gjenlevering_hoppes_over_og_hull_er_brudd(self) -> None:
        """A version seen again is a redelivery (skipped); a version jumped over is a break."""
        sjekk = Kjedesjekk()
        a = StromHendelse("1149-001", "1149", 1, 1, "X", "a" * 64, NULLHASH, {}, 1)
        assert sjekk.sjekk(a) and not sjekk.sjekk(a)
        with pytest.raises(KjedeBrudd, match="versjon 2 mangler"):
            sjekk.sjekk(StromHendelse("1149-001", "1149", 9, 3, "X", "c" * 64, "b" * 64, {}, 3))


async def _samle(url: str, *, durable: str = "test", fra: int | None = 0, **valg) -> list[StromHendelse]:
    async with aclosing(subscribe(url, durable=durable, fra=fra, tidsavbrudd=1, **valg)) as hendelser:
        return [h async for h in hendelser]


async def _forfalsk(url: str, reg, forrige: str | None = None, antall: int | None = None) -> None:
    """Append a forged next event for 1149-000 straight to the stream, as an attacker on NATS could."""
    siste = reg.lager.varsler(0, 100)[-1].raw()
    raw = {**siste, "versjon": siste["versjon"] + 1, "dato": "2024-03-01", "forrige_hash": siste["hash"]}
    from hjemmel.domain.hashkjede import hash_av

    raw["hash"] = hash_av(raw)
    if forrige is not None:
        raw["forrige_hash"] = forrige
        raw["hash"] = hash_av(raw)
    post = historikk_post(raw["versjon"], raw)
    if antall is not None:
        post["data"]["antall"] = antall
    nc = await nats.connect(url)
    await nc.jetstream().publish(
        f"hjemmel.1149.1149-000.{raw['type']}", msgspec.json.encode(post),
        headers={"Hjemmel-Posisjon": str(raw["versjon"]), "Hjemmel-Versjon": str(raw["versjon"]),
                 "Hjemmel-Hash": raw["hash"], "Hjemmel-Forrige-Hash": raw["forrige_hash"]})
    await nc.close()


def test_vis_strom_for_demoen(tmp_path: Path, nats_server: EmbeddedNatsServer, capsys) -> None:
    """The demo's stream step publishes, consumes and prints counts per type and a verified chain."""
    from hjemmel.adapters.cli_strom import vis_strom

    settings = les_settings(db=str(tmp_path / "h.sqlite"), nats=nats_server.url)
    bygg(settings).behandle_mange(linjer(2))
    vis_strom(settings, maks=100)
    ut = capsys.readouterr().out
    assert "ListetallRegistrert" in ut and "6" in ut and "verifisert" in ut
