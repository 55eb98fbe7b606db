"""A rebuild split over processes by kommune: each reads its share of the log, folds and derives it."""
from __future__ import annotations

import multiprocessing
import time
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Any

from hjemmel.adapters.lesemodeller import Fremdrift, Kjoring, Lesemodeller, Resultat

_felles: dict[str, Any] = {}  # per worker process: progress counters the coordinator reads, the start lock


@dataclass(frozen=True)
class _Del:
    settings: Any
    idag: date
    batch: int
    cache: int
    slutt: int
    nr: int
    fra: str  # kommuner fra <= k < til; "0000" and "99999" bound the first and last share
    til: str
    eier: str


def bygg_parallelt(lm: Lesemodeller, prosesser: int, fremdrift: Fremdrift | None) -> Resultat:
    """Run one share a process under `lm`'s lease, then move the tracked position once every share is in.

    Shares are ranges of kommune numbers with about equal numbers of events; every share also reads the
    national sats, which every hjemmel's payments need.
    """
    if lm.settings is None:
        raise ValueError("en parallell gjenoppbygging trenger Settings for å åpne lageret i hver prosess")
    t0 = time.perf_counter()
    slutt = lm.reg.lager.siste_posisjon()
    grenser = _grenser(lm.db.kommunevekter(), prosesser)
    deler = [_Del(lm.settings, lm.idag, lm.batch, max(1, lm.cache // prosesser), slutt, nr, fra, til, lm.db.eier)
             for nr, (fra, til) in enumerate(zip(grenser, grenser[1:]))]
    ctx = multiprocessing.get_context("spawn")  # a fresh interpreter: no inherited connections or locks
    teller = {navn: ctx.Array("q", len(deler), lock=False) for navn in ("les", "utled", "hjemler")}
    with ctx.Pool(len(deler), initializer=_start, initargs=(teller | {"start": ctx.Lock()},)) as pool:
        svar = pool.map_async(_bygg_del, deler)
        while not svar.ready():
            svar.wait(0.5)
            lm.db.forny()  # the coordinator's lease covers the workers' writes
            if fremdrift:
                fremdrift("les", min(teller["les"]), slutt)
                if all(teller["hjemler"]):
                    fremdrift("utled", sum(teller["utled"]), sum(teller["hjemler"]))
        resultater = svar.get()
    lm.db.skriv([], slutt, lm.idag.isoformat())
    lest, utledet = sum(r[0] for r in resultater), sum(r[1] for r in resultater)
    sats = len(lm.reg.lager.rader("satser", slutt))  # read by every share, counted once
    return Resultat(lest - (len(deler) - 1) * sats, utledet, slutt, time.perf_counter() - t0, len(deler))


def _grenser(vekter: list[tuple[str, int]], prosesser: int) -> list[str]:
    """Cut points between kommune numbers so each share holds about the same number of events."""
    totalt, grenser, sum_ = sum(n for _, n in vekter), ["0000"], 0
    for kommune, antall in vekter:
        if sum_ >= totalt * len(grenser) / prosesser and len(grenser) < prosesser:
            grenser.append(kommune)
        sum_ += antall
    return grenser + ["99999"]  # above every four-digit number, under any collation


def _start(felles: dict[str, Any]) -> None:
    _felles.update(felles)  # a module global of the worker, not a pickled copy of the coordinator's


def _bygg_del(d: _Del) -> tuple[int, int]:
    """One share: fold its hjemler and write their rows under the coordinator's lease."""
    from hjemmel.adapters.bootstrap import bygg

    with _felles["start"]:  # opening a store runs CREATE TABLE IF NOT EXISTS: PostgreSQL refuses it concurrently
        reg = bygg(d.settings)
    lm = Lesemodeller(reg, d.idag, batch=d.batch, cache=d.cache)
    lm.db.eier, lm.db.lease_til = d.eier, time.time()  # writes prove the coordinator's lease, not one of ours
    kjoring = Kjoring(lm, 0)

    def fremdrift(fase: str, gjort: int, totalt: int) -> None:
        _felles[fase][d.nr] = gjort
        if fase == "utled":
            _felles["hjemler"][d.nr] = max(totalt, 1)

    _, lest = lm.les(kjoring, 0, d.slutt, fremdrift, partial(_varsler, lm, d))
    fremdrift("les", d.slutt, d.slutt)
    return lest, kjoring.avslutt(None, fremdrift)


def _varsler(lm: Lesemodeller, d: _Del, etter: int, antall: int, til: int) -> list[Any]:
    return lm.db.varsler_for(d.fra, d.til, etter, antall, til)
