"""Append and replay throughput of hjemmel against a bare `eventsourcing` aggregate, in the same run.

    python bench/append_replay.py [--n 20000] [--m 200] [--quick] [--profile]

N command lines over M hjemler (plus one national sats line) are appended one transaction each,
then every aggregate is rebuilt. The baseline is what the library gives for free: an
`eventsourcing.domain.Aggregate` subclass with one `@event` method per step, the default
`Application` (default mapper, `JSONTranscoder`), on the same kind of store (its own SQLite file in
the same temporary directory). Both sides start from the same JSON line, and both append as
`repository.get` (a full replay of the aggregate: neither side snapshots) + decide + `save`.

hjemmel additionally validates the command (msgspec), checks every rule of domain.md, stamps the
SHA-256 hash chain and stores msgspec JSON. The last line is one JSON object with the figures and
"ratio" = hjemmel appends/s / bare appends/s.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event

from hjemmel.adapters.bootstrap import bygg, utc_na
from hjemmel.adapters.config import les_settings
from hjemmel.domain.kalender import add_months
from hjemmel.projections.status import status as status_visning

SAK_HVER = 6  # months between §15 cases of one hjemmel (each case is four commands)
MAKS_PER_HJEMMEL = 400  # keeps every lege well under 70 and every date in the past


# ---- the workload: realistic contract lines, every one acceptable -------------------------------

def _dump(obj: dict[str, Any]) -> bytes:
    return json.dumps(obj, default=str, ensure_ascii=False).encode()


def _maneder(antall: int) -> int:
    """Months of history one hjemmel needs for `antall` commands (a listetall a month, a sak every 6)."""
    return (max(antall - 2, 0) * SAK_HVER) // (SAK_HVER + 4) + 2


def _hjemmel_liv(key: str, antall: int, start: date, rng: random.Random) -> list[dict[str, Any]]:
    """One hjemmel: created with its holder, a listetall every 1st, a §15 case every six months
    (uttalelse anmodet and received, varsel om retting, forhold rettet)."""
    dag = start + timedelta(days=1)
    fodt = start - timedelta(days=rng.randint(35 * 365, 45 * 365))
    liv: list[dict[str, Any]] = [
        {"cmd": "opprett_hjemmel", "hjemmel": key, "dato": dag, "kommune": key[:4],
         "listetak": rng.choice([1000, 1200, 1500]), "lokalisering": f"Legesenter {key}",
         "organiseringsform": "gruppe", "praksistype": "naeringsdrift",
         "samarbeidsutvalg_uttalelse": dag - timedelta(days=30)},
        {"cmd": "avtale_inngatt", "hjemmel": key, "dato": dag, "listetak": 1200,
         "lege": {"id": f"L-{key}", "navn": "Kari Nordmann", "fodselsdato": fodt}},
    ]
    maned, sak, pasienter = 1, 0, rng.randint(700, 1500)
    while len(liv) < antall:
        forste = add_months(start, maned)
        pasienter = max(0, pasienter + rng.randint(-25, 25))
        liv.append({"cmd": "listetall", "hjemmel": key, "dato": forste, "antall": pasienter})
        if maned % SAK_HVER == SAK_HVER // 2:
            sak += 1
            sak_id = f"S-{key}-{sak}"
            liv += [
                {"cmd": "uttalelse_anmodet", "hjemmel": key, "dato": forste + timedelta(days=1), "sak_id": sak_id,
                 "forhold": "Telefontilgjengelighet (punkt 10.6)", "svarfrist": forste + timedelta(days=15)},
                {"cmd": "uttalelse_mottatt", "hjemmel": key, "dato": forste + timedelta(days=9), "sak_id": sak_id},
                {"cmd": "varsel_om_retting", "hjemmel": key, "dato": forste + timedelta(days=11),
                 "sak_id": sak_id, "rettefrist": forste + timedelta(days=25)},
                {"cmd": "forhold_rettet", "hjemmel": key, "dato": forste + timedelta(days=20), "sak_id": sak_id},
            ]
        maned += 1
    return liv[:antall]


def arbeidslast(n: int, m: int, idag: date, seed: int = 4310) -> tuple[list[bytes], list[str]]:
    """N lines: one sats, then M hjemlers lives interleaved round-robin (as a live ledger sees them)."""
    if n - 1 < 2 * m:
        raise SystemExit(f"--n {n} is too small for --m {m}: every hjemmel needs at least 2 commands")
    per, rest = divmod(n - 1, m)
    if per + (rest > 0) > MAKS_PER_HJEMMEL:
        raise SystemExit(f"--n/--m gives {per + 1} commands a hjemmel; keep it under {MAKS_PER_HJEMMEL}")
    rng = random.Random(seed)
    start = add_months(idag.replace(day=1), -(_maneder(per + (rest > 0)) + 2))
    keys = [f"{1000 + j // 20:04d}-{j % 20 + 1:03d}" for j in range(m)]
    liv = [_hjemmel_liv(k, per + (j < rest), start, rng) for j, k in enumerate(keys)]
    linjer = [_dump({"cmd": "sats", "dato": start, "belop_per_innbygger_per_ar": "841.80"})]
    for i in range(max(len(l) for l in liv)):
        linjer += [_dump(l[i]) for l in liv if i < len(l)]
    return linjer, keys


# ---- the bare baseline --------------------------------------------------------------------------

def _id(key: str) -> UUID:
    return uuid5(NAMESPACE_URL, f"hjemmel:{key}")


class BareHjemmel(Aggregate):
    """The same steps as plain library events: attributes set in `@event` bodies, no rules, no hash."""

    @staticmethod
    def create_id(hjemmel: str, **_: Any) -> UUID:
        return _id(hjemmel)

    @event("HjemmelOpprettet")
    def __init__(self, hjemmel: str, dato: str, kommune: str, listetak: int, lokalisering: str | None,
                 organiseringsform: str, praksistype: str | None, samarbeidsutvalg_uttalelse: str | None) -> None:
        self.key, self.kommune, self.listetak, self.siste_dato = hjemmel, kommune, listetak, dato
        self.status, self.lege, self.korrigering = "OPPRETTET", None, "INGEN"
        self.listetall: list[tuple[str, int]] = []
        self.saker: dict[str, str] = {}

    @event("AvtaleInngatt")
    def avtale_inngatt(self, dato: str, lege: dict[str, str], listetak: int) -> None:
        self.status, self.lege, self.listetak, self.siste_dato = "AKTIV", lege, listetak, dato

    @event("ListetallRegistrert")
    def listetall_registrert(self, dato: str, antall: int) -> None:
        self.listetall.append((dato, antall))
        self.siste_dato = dato

    @event("UttalelseAnmodet")
    def uttalelse_anmodet(self, dato: str, sak_id: str, forhold: str, svarfrist: str) -> None:
        self.saker[sak_id] = self.korrigering = "UTTALELSE_ANMODET"
        self.siste_dato = dato

    @event("UttalelseMottatt")
    def uttalelse_mottatt(self, dato: str, sak_id: str) -> None:
        self.siste_dato = dato

    @event("VarselOmRetting")
    def varsel_om_retting(self, dato: str, sak_id: str, rettefrist: str) -> None:
        self.saker[sak_id] = self.korrigering = "VARSLET"
        self.siste_dato = dato

    @event("ForholdRettet")
    def forhold_rettet(self, dato: str, sak_id: str) -> None:
        self.saker[sak_id] = self.korrigering = "RETTET"
        self.siste_dato = dato


class BareSatser(Aggregate):
    @staticmethod
    def create_id(**_: Any) -> UUID:
        return _id("satser")

    @event("SatsFastsatt")
    def __init__(self, dato: str, belop_per_innbygger_per_ar: Decimal) -> None:
        self.satser = [(dato, belop_per_innbygger_per_ar)]


class BareApp(Application):
    """The library's defaults: default Mapper, JSONTranscoder (UUID, Decimal, datetime), no snapshots."""

    name = "bare"
    METODE = {"avtale_inngatt": "avtale_inngatt", "listetall": "listetall_registrert",
              "uttalelse_anmodet": "uttalelse_anmodet", "uttalelse_mottatt": "uttalelse_mottatt",
              "varsel_om_retting": "varsel_om_retting", "forhold_rettet": "forhold_rettet"}

    def behandle(self, linje: bytes) -> int:
        """Same input as Register.behandle: one JSON line, one transaction, the global position back."""
        c = json.loads(linje)
        cmd = c.pop("cmd")
        if cmd == "sats":
            agg: Aggregate = BareSatser(dato=c["dato"], belop_per_innbygger_per_ar=Decimal(c["belop_per_innbygger_per_ar"]))
        elif cmd == "opprett_hjemmel":
            agg = BareHjemmel(**c)
        else:
            agg = self.repository.get(_id(c.pop("hjemmel")))
            getattr(agg, self.METODE[cmd])(**c)
        return self.save(agg)[-1].notification.id


# ---- measuring ----------------------------------------------------------------------------------

@dataclass
class Tall:
    hjemmel_append_s: float
    bare_append_s: float
    hjemmel_append_cpu_s: float  # process CPU time: what is left once the commit's fsync wait is taken out
    bare_append_cpu_s: float
    hjemmel_replay_s: float
    bare_replay_s: float
    hjemmel_events: int
    bare_events: int
    status_ms: list[float]
    bare_get_ms: list[float]


BLOKK = 250  # lines per timed block; the two sides alternate block by block so disk drift hits both


class _Klokke:
    """Wall and process-CPU time accumulated over many timed blocks."""

    def __init__(self) -> None:
        self.vegg = self.cpu = 0.0

    def kjor(self, f: Any, *args: Any) -> None:
        t0, c0 = time.perf_counter(), time.process_time()
        f(*args)
        self.vegg += time.perf_counter() - t0
        self.cpu += time.process_time() - c0


def _hjemmel_blokk(reg: Any, blokk: list[tuple[int, bytes]], profil: cProfile.Profile | None) -> None:
    if profil:
        profil.enable()
    try:
        for nr, linje in blokk:
            utfall = reg.behandle(linje)
            if utfall.avvist is not None:
                raise SystemExit(f"hjemmel rejected line {nr} ({utfall.avvist.kode}: {utfall.avvist.melding}): "
                                 f"{linje.decode()}")
    finally:
        if profil:
            profil.disable()


def _bare_blokk(bare: BareApp, blokk: list[tuple[int, bytes]]) -> None:
    for _, linje in blokk:
        bare.behandle(linje)


def _persentil(verdier: list[float], p: float) -> float:
    s = sorted(verdier)
    return s[min(len(s) - 1, max(0, round(p / 100 * len(s)) - 1))]


def maal(n: int, m: int, mappe: Path, profil: cProfile.Profile | None) -> Tall:
    idag = utc_na().date()
    linjer, keys = arbeidslast(n, m, idag)
    nummerert = list(enumerate(linjer, 1))

    reg = bygg(les_settings(db=str(mappe / "hjemmel.sqlite")))
    bare = BareApp(env={"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(mappe / "bare.sqlite"),
                        "SQLITE_LOCK_TIMEOUT": "30", "CREATE_TABLE": "y"})
    try:
        h, b = _Klokke(), _Klokke()
        for i in range(0, len(nummerert), BLOKK):
            blokk = nummerert[i:i + BLOKK]
            forst_hjemmel = (i // BLOKK) % 2 == 0
            if forst_hjemmel:
                h.kjor(_hjemmel_blokk, reg, blokk, profil)
            b.kjor(_bare_blokk, bare, blokk)
            if not forst_hjemmel:
                h.kjor(_hjemmel_blokk, reg, blokk, profil)

        t0 = time.perf_counter()
        hjemmel_events = len(reg.satser().hendelser)
        for key in keys:
            hjemmel_events += len(reg.hjemmel(key).hendelser)
        hjemmel_replay = time.perf_counter() - t0

        t0 = time.perf_counter()
        bare_events = bare.repository.get(_id("satser")).version
        for key in keys:
            bare_events += bare.repository.get(_id(key)).version
        bare_replay = time.perf_counter() - t0

        utvalg = random.Random(7).sample(keys, min(len(keys), 300))
        status_ms, bare_get_ms = [], []
        for key in utvalg:
            t0 = time.perf_counter()
            svar = status_visning(reg.hjemmel(key, as_of=idag), idag)
            status_ms.append((time.perf_counter() - t0) * 1000)
            assert svar["status"] == "AKTIV", svar
            t0 = time.perf_counter()
            bare.repository.get(_id(key))
            bare_get_ms.append((time.perf_counter() - t0) * 1000)
    finally:
        reg.close()
        bare.close()
    if hjemmel_events != len(linjer) or bare_events != len(linjer):
        raise SystemExit(f"replayed {hjemmel_events} hjemmel / {bare_events} bare events, expected {len(linjer)}")
    return Tall(h.vegg, b.vegg, h.cpu, b.cpu, hjemmel_replay, bare_replay, hjemmel_events, bare_events,
                status_ms, bare_get_ms)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=20_000, help="command lines in all (default 20000)")
    ap.add_argument("--m", type=int, default=200, help="hjemler (default 200: 100 commands, ~8 years each)")
    ap.add_argument("--quick", action="store_true", help="a small run, well under a minute (n=3000, m=60)")
    ap.add_argument("--profile", action="store_true", help="cProfile hjemmel's appends; top functions to stderr")
    ap.add_argument("--dir", type=Path, help="keep the two SQLite files here (default: a temporary directory)")
    args = ap.parse_args(argv)
    n, m = (3000, 60) if args.quick else (args.n, args.m)
    profil = cProfile.Profile() if args.profile else None

    with tempfile.TemporaryDirectory(prefix="hjemmel-bench-") as tmp:
        mappe = args.dir or Path(tmp)
        mappe.mkdir(parents=True, exist_ok=True)
        if any(mappe.glob("*.sqlite")):
            raise SystemExit(f"{mappe} already holds SQLite files; the bench needs empty stores")
        t = maal(n, m, mappe, profil)

    h_app, b_app = t.hjemmel_events / t.hjemmel_append_s, t.bare_events / t.bare_append_s
    h_rep, b_rep = t.hjemmel_events / t.hjemmel_replay_s, t.bare_events / t.bare_replay_s
    figurer = {
        "n": n, "m": m, "store": "sqlite",
        "hjemmel_appends_per_s": round(h_app, 1), "bare_appends_per_s": round(b_app, 1),
        "ratio": round(h_app / b_app, 3),
        "hjemmel_append_cpu_ms": round(1000 * t.hjemmel_append_cpu_s / t.hjemmel_events, 3),
        "bare_append_cpu_ms": round(1000 * t.bare_append_cpu_s / t.bare_events, 3),
        "hjemmel_replay_events_per_s": round(h_rep, 1), "bare_replay_events_per_s": round(b_rep, 1),
        "replay_ratio": round(h_rep / b_rep, 3),
        "status_ms_median": round(statistics.median(t.status_ms), 3),
        "status_ms_p99": round(_persentil(t.status_ms, 99), 3),
        "bare_get_ms_median": round(statistics.median(t.bare_get_ms), 3),
        "events_per_hjemmel": round((n - 1) / m, 1),
        "profiled": bool(args.profile),
    }
    print(f"append_replay: {n} command lines (1 sats + {n - 1} over {m} hjemler), SQLite, one transaction each")
    print(f"{'':28}{'hjemmel':>14}{'bare library':>14}{'speed ×':>9}")
    print(f"{'appends / s':28}{h_app:14.0f}{b_app:14.0f}{h_app / b_app:9.2f}")
    h_cpu, b_cpu = figurer["hjemmel_append_cpu_ms"], figurer["bare_append_cpu_ms"]
    print(f"{'CPU ms / append':28}{h_cpu:14.3f}{b_cpu:14.3f}{b_cpu / h_cpu:9.2f}   (wall time minus fsync waits)")
    print(f"{'replay events / s':28}{h_rep:14.0f}{b_rep:14.0f}{h_rep / b_rep:9.2f}")
    print(f"{'one hjemmel, median ms':28}{figurer['status_ms_median']:14.2f}{figurer['bare_get_ms_median']:14.2f}"
          f"{'':9}  (hjemmel: fold + status view; bare: repository.get)")
    print(f"{'one hjemmel status, p99 ms':28}{figurer['status_ms_p99']:14.2f}")
    if profil:
        print("(--profile: hjemmel's append figures include cProfile's overhead; the ratio is not comparable)")
        ut = io.StringIO()
        pstats.Stats(profil, stream=ut).sort_stats("cumulative").print_stats(30)
        pstats.Stats(profil, stream=ut).sort_stats("tottime").print_stats(20)
        print(ut.getvalue(), file=sys.stderr)
    print(json.dumps(figurer))
    return 0


if __name__ == "__main__":
    sys.exit(main())
