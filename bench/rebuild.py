"""Benchmark (issue 4.7): bulk-load a national history, rebuild the read models, compare with a bare read.

    python bench/rebuild.py            # ≈357 kommuner, ≈5 000 hjemler, 20 years, ≥ 1 million events
    python bench/rebuild.py --quick    # 20 kommuner, 300 hjemler, 5 years: under a minute

The history is written to a JSON-lines file first; every phase runs in a fresh child process (so each
peak RSS is its own) against one SQLite file:
  last      `hjemmel apply --bulk FILE` as a user runs it (output to /dev/null), every check of plain apply
            still run, with the worker processes it chooses itself (or --bulk-prosesser)
  skriv     the store's own write ceiling: the rows `last` stored, inserted again into an empty store in
            the same batches with nothing decided ("bulk_andel_av_lagring" is bulk over this)
  utvalg    the first lines of the same history into two scratch stores: plain `behandle` a line, and bulk
  lese      the baseline: read and decode the whole notification log in batches, nothing else
  bygg      `Lesemodeller.gjenoppbygg`: the same read, the fold, the derived rows and their writes, with
            the processes `hjemmel projeksjoner gjenoppbygg` uses ("ratio"; one a core for a large log),
            and again in one process ("ratio_1_prosess") when that was more than one
Progress goes to stderr; the last line of stdout is one JSON object with the figures and "ratio"
(rebuild events/s over bare events/s, the goal is ≥ 0.5; "ratio_1_prosess_cpu" compares CPU seconds, which
is steadier when other work shares the machine). The bulk goal is 100k events/s; "lagring_hendelser_per_s"
shows what the store alone allows on the machine at hand. There are no timed assertions anywhere.
"""
from __future__ import annotations

import argparse
import itertools
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from historikk import Omfang, linjer

FULL = Omfang(kommuner=357, hjemler=5000, ar=20)
RASK = Omfang(kommuner=20, hjemler=300, ar=5)
MAL = {"ratio": 0.5, "bulk_hendelser_per_s": 100_000}


def _rss_mb() -> float:
    """The peak RSS of this process or of any worker it started (ru_maxrss is in KiB on Linux)."""
    return round(max(resource.getrusage(hvem).ru_maxrss for hvem in (resource.RUSAGE_SELF,
                                                                     resource.RUSAGE_CHILDREN)) / 1024, 1)


def _cpu_s() -> float:
    """CPU seconds of this process and its finished workers: a second view when other work shares the cores."""
    return sum(r.ru_utime + r.ru_stime for r in (resource.getrusage(resource.RUSAGE_SELF),
                                                  resource.getrusage(resource.RUSAGE_CHILDREN)))


def _idag():
    return datetime.now(timezone.utc).date()


def _register(db: str):
    from hjemmel.adapters.bootstrap import bygg
    from hjemmel.adapters.config import Settings

    return bygg(Settings(db=db))


def _skriv_fremdrift(tekst: str) -> None:
    print(tekst, file=sys.stderr, flush=True)


# ---- phases (each in its own process) -------------------------------------------------------------

def fase_last(a: argparse.Namespace) -> dict[str, Any]:
    """`hjemmel apply --bulk` on the history file, as a user runs it (output to /dev/null), timed whole."""
    hjemmel = Path(sys.executable).with_name("hjemmel")
    argv = [str(hjemmel), "apply", "--bulk", "--batch", str(a.batch), "--db", a.db, a.fil]
    if a.bulk_prosesser is not None:
        argv += ["--prosesser", str(a.bulk_prosesser)]
    t0, c0 = time.perf_counter(), _cpu_s()
    kode = subprocess.run(argv, stdout=subprocess.DEVNULL).returncode
    sekunder, cpu = time.perf_counter() - t0, _cpu_s() - c0  # the CLI and its workers, waited for
    reg = _register(a.db)  # held: the application closes its store when collected
    hendelser = reg.lager.siste_posisjon()
    return {"hendelser": hendelser, "alle_godtatt": kode == 0, "sekunder": round(sekunder, 2),
            "per_s": round(hendelser / sekunder), "cpu_s": round(cpu, 2),
            "cpu_us_per_hendelse": round(cpu / hendelser * 1e6, 1), "rss_mb": _rss_mb()}


def fase_skriv(a: argparse.Namespace) -> dict[str, Any]:
    """The store's own write rate, the ceiling of any load: the rows `last` stored, read back first and then
    inserted again into an empty store in the same batches, one executemany a batch, nothing decided."""
    kilde_reg = _register(a.db)  # held: the application closes its store when collected
    kilde = kilde_reg.lager
    rader = [(r.hjemmel, r.versjon, r.topic, r.state) for i in range(0, kilde.siste_posisjon(), a.les_batch)
             for r in kilde.varsler(i, a.les_batch)]
    with tempfile.TemporaryDirectory() as mappe:
        reg = _register(f"{mappe}/skriv.sqlite")
        lager = reg.lager
        t0 = time.perf_counter()
        for i in range(0, len(rader), a.batch):
            lager.skriv(rader[i:i + a.batch])
        sekunder = time.perf_counter() - t0
    return {"hendelser": len(rader), "sekunder": round(sekunder, 2), "per_s": round(len(rader) / sekunder)}


def fase_utvalg(a: argparse.Namespace) -> dict[str, Any]:
    """The first `utvalg` lines into two empty scratch stores: one transaction a line, then the bulk path."""
    utvalg = list(itertools.islice(linjer(Omfang(a.kommuner, a.hjemler, a.ar), _idag()), a.utvalg))
    svar: dict[str, Any] = {"linjer": len(utvalg)}
    with tempfile.TemporaryDirectory() as mappe:
        plain, bulk = _register(f"{mappe}/plain.sqlite"), _register(f"{mappe}/bulk.sqlite")
        t0 = time.perf_counter()
        ok = sum(plain.behandle(l).avvist is None for l in utvalg)
        svar["plain_per_s"] = round(ok / (time.perf_counter() - t0))
        t0 = time.perf_counter()
        ok = sum(u.avvist is None for i in range(0, len(utvalg), a.batch)
                 for u in bulk.behandle_mange(utvalg[i:i + a.batch]))
        svar["bulk_per_s"] = round(ok / (time.perf_counter() - t0))
    return svar


def fase_lese(a: argparse.Namespace) -> dict[str, Any]:
    """The baseline: the notification log read and decoded in the rebuild's batches, nothing more."""
    reg = _register(a.db)  # held: the application closes its store when collected
    lager = reg.lager
    slutt, posisjon, n = lager.siste_posisjon(), 0, 0
    t0, c0 = time.perf_counter(), _cpu_s()
    while posisjon < slutt:
        batch = lager.varsler(posisjon, a.les_batch, til=slutt)
        for rad in batch:
            rad.hendelse()
        posisjon, n = batch[-1].posisjon, n + len(batch)
    sekunder = time.perf_counter() - t0
    return {"hendelser": n, "sekunder": round(sekunder, 2), "per_s": round(n / sekunder),
            "cpu_s": round(_cpu_s() - c0, 2), "rss_mb": _rss_mb()}


def fase_bygg(a: argparse.Namespace) -> dict[str, Any]:
    """A full rebuild of every read model from position 0, in `a.prosesser` processes."""
    from hjemmel.adapters.config import Settings
    from hjemmel.adapters.lesemodeller import Lesemodeller

    settings = Settings(db=a.db)
    lm = Lesemodeller(_register(a.db), _idag(), batch=a.les_batch, cache=a.cache, settings=settings)
    sist = [0.0]

    def fremdrift(fase: str, gjort: int, totalt: int) -> None:
        if time.monotonic() - sist[0] > 10 or gjort == totalt:
            sist[0] = time.monotonic()
            _skriv_fremdrift(f"  {fase}: {gjort:,}/{totalt:,}")

    prosesser = a.prosesser or lm.standard_prosesser()  # 0: what `hjemmel projeksjoner gjenoppbygg` would use
    c0 = _cpu_s()
    r = lm.gjenoppbygg(fremdrift, prosesser)
    return {"prosesser": prosesser, "hendelser": r.hendelser, "hjemler": r.hjemler, "sekunder": round(r.sekunder, 2),
            "per_s": round(r.per_sekund), "cpu_s": round(_cpu_s() - c0, 2), "rss_mb": _rss_mb()}


FASER = {"last": fase_last, "skriv": fase_skriv, "utvalg": fase_utvalg, "lese": fase_lese, "bygg": fase_bygg}


# ---- the run ----------------------------------------------------------------------------------------

def _barn(fase: str, a: argparse.Namespace, prosesser: int = 0) -> dict[str, Any]:
    _skriv_fremdrift(f"[{fase}{f' --prosesser {prosesser}' if prosesser else ''}]")
    argv = [sys.executable, __file__, "--fase", fase, "--db", a.db, "--fil", a.fil, "--kommuner", str(a.kommuner),
            "--hjemler", str(a.hjemler), "--ar", str(a.ar), "--batch", str(a.batch), "--utvalg", str(a.utvalg),
            "--les-batch", str(a.les_batch), "--cache", str(a.cache), "--prosesser", str(prosesser)]
    if a.bulk_prosesser is not None:
        argv += ["--bulk-prosesser", str(a.bulk_prosesser)]
    ut = subprocess.run(argv, check=True, stdout=subprocess.PIPE, text=True).stdout
    svar = json.loads(ut.strip().splitlines()[-1])
    _skriv_fremdrift(f"  {svar}")
    return svar


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true", help="20 kommuner, 300 hjemler, 5 years")
    p.add_argument("--kommuner", type=int)
    p.add_argument("--hjemler", type=int)
    p.add_argument("--ar", type=int)
    p.add_argument("--db", help="SQLite file (default: a temporary directory, removed afterwards)")
    p.add_argument("--batch", type=int, help="lines a bulk transaction (apply --bulk --batch; 20 000, quick 5 000)")
    p.add_argument("--utvalg", type=int, help="lines in the plain-vs-bulk sample")
    p.add_argument("--les-batch", type=int, default=5000, help="notifications a read")
    p.add_argument("--cache", type=int, default=10_000, help="folded hjemler held in memory")
    p.add_argument("--bulk-prosesser", type=int, help="apply --bulk --prosesser (default: its own choice)")
    p.add_argument("--prosesser", type=int, default=0, help=argparse.SUPPRESS)
    p.add_argument("--fil", help=argparse.SUPPRESS)
    p.add_argument("--fase", choices=sorted(FASER), help=argparse.SUPPRESS)
    a = p.parse_args()
    omfang = RASK if a.quick else FULL
    a.kommuner, a.hjemler, a.ar = a.kommuner or omfang.kommuner, a.hjemler or omfang.hjemler, a.ar or omfang.ar
    a.utvalg = a.utvalg or (2000 if a.quick else 10_000)
    a.batch = a.batch or (5000 if a.quick else 20_000)  # quick: more than one batch, so workers start
    if a.fase:
        print(json.dumps(FASER[a.fase](a)))
        return
    with tempfile.TemporaryDirectory(prefix="hjemmel-bench-") as mappe:
        a.db = a.db or str(Path(mappe) / "bench.sqlite")
        if Path(a.db).exists():
            sys.exit(f"{a.db} finnes fra før; benchmarken trenger et tomt lager")
        a.fil = str(Path(mappe) / "historikk.jsonl")
        with open(a.fil, "wb") as ut:
            ut.writelines(linje + b"\n" for linje in linjer(Omfang(a.kommuner, a.hjemler, a.ar), _idag()))
        last, skriv, utvalg, lese, bygg = (_barn(f, a) for f in ("last", "skriv", "utvalg", "lese", "bygg"))
        en = _barn("bygg", a, 1) if bygg["prosesser"] > 1 else bygg
    print(json.dumps({
        "omfang": {"kommuner": a.kommuner, "hjemler": a.hjemler, "ar": a.ar},
        "hendelser": last["hendelser"], "alle_godtatt": last["alle_godtatt"],
        "bulk_hendelser_per_s": last["per_s"], "bulk_s": last["sekunder"], "bulk_batch": a.batch,
        "lagring_hendelser_per_s": skriv["per_s"], "bulk_andel_av_lagring": round(last["per_s"] / skriv["per_s"], 3),
        # CPU the whole load took a line (parent, workers, store), and the cores that makes for the goal
        "bulk_cpu_us_per_hendelse": last["cpu_us_per_hendelse"], "kjerner": len(os.sched_getaffinity(0)),
        "bulk_kjerner_for_malet": round(last["cpu_us_per_hendelse"] * MAL["bulk_hendelser_per_s"] / 1e6, 1),
        "utvalg_linjer": utvalg["linjer"], "utvalg_plain_hendelser_per_s": utvalg["plain_per_s"],
        "utvalg_bulk_hendelser_per_s": utvalg["bulk_per_s"],
        "lese_hendelser_per_s": lese["per_s"], "lese_s": lese["sekunder"],
        "gjenoppbygg_prosesser": bygg["prosesser"], "gjenoppbygg_hendelser_per_s": bygg["per_s"],
        "gjenoppbygg_s": bygg["sekunder"], "gjenoppbygg_hjemler": bygg["hjemler"],
        "ratio": round(bygg["per_s"] / lese["per_s"], 3),
        "gjenoppbygg_1_prosess_hendelser_per_s": en["per_s"], "ratio_1_prosess": round(en["per_s"] / lese["per_s"], 3),
        "ratio_1_prosess_cpu": round(lese["cpu_s"] / en["cpu_s"], 3),
        "maks_rss_mb": {"last": last["rss_mb"], "lese": lese["rss_mb"], "gjenoppbygg": bygg["rss_mb"],
                        "gjenoppbygg_1_prosess": en["rss_mb"]},
        "mal": MAL,
    }))


if __name__ == "__main__":
    main()
