"""The national read models: rebuilt from the notification log in batches, caught up from a tracked position."""
from __future__ import annotations

import os
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from hjemmel.adapters.lesemodell_lager import LmLager
from hjemmel.domain.beslutninger import Satser
from hjemmel.domain.fold import folde_hjemmel
from hjemmel.domain.hendelser import SATSER, HendelseKorrigert
from hjemmel.domain.hjemmel import Hjemmel
from hjemmel.projections.nasjonal import Betaling, Oversikt, Rader, betalingsrader, folde, rader, vindu

Fremdrift = Callable[[str, int, int], None]  # (phase "les" | "utled", done, total)
BITE = 500  # hjemler a write transaction
PARALLELL_FRA = 200_000  # events: below this, starting worker processes costs more than it saves


@dataclass(frozen=True, slots=True)
class Resultat:
    """What one run did: notifications read, hjemler derived, the tracked position it left."""

    hendelser: int
    hjemler: int
    posisjon: int
    sekunder: float
    prosesser: int = 1

    @property
    def per_sekund(self) -> float:
        return self.hendelser / self.sekunder if self.sekunder > 0 else 0.0


class Lesemodeller:
    """The read models of one store, as of `idag` (the UTC date of this run).

    `batch` is the number of notifications a read; `cache` bounds the folded states held in memory
    (about 100 KB each at 20 years of history); `vent` is how long to wait for another projector.
    """

    def __init__(self, reg: Any, idag: date, *, batch: int = 5000, cache: int = 10_000, vent: float = 30.0,
                 settings: Any = None) -> None:
        self.reg = reg
        self.settings = settings  # what a rebuild's worker processes open the store with
        self.idag = idag
        self.batch = batch
        self.cache = cache
        self.vent = vent
        self.db = LmLager(reg.recorder)

    # ---- runs ---------------------------------------------------------------------------------------

    def gjenoppbygg(self, fremdrift: Fremdrift | None = None, prosesser: int | None = None) -> Resultat:
        """Drop the tables and derive everything from position 0, in `prosesser` processes (None: one a
        CPU core, at most four, once the log is large enough to repay starting them)."""
        prosesser = prosesser or self.standard_prosesser()
        with self.db.lease(self.vent):
            self.db.nullstill()
            if prosesser > 1:
                from hjemmel.adapters.lesemodell_parallell import bygg_parallelt

                return bygg_parallelt(self, prosesser, fremdrift)
            return self._ta_igjen(fremdrift)

    def standard_prosesser(self) -> int:
        """One process a CPU core (at most four) for a log large enough to repay starting them, else one."""
        stor = self.settings is not None and self.reg.lager.siste_posisjon() > PARALLELL_FRA
        return min(os.cpu_count() or 1, 4) if stor else 1

    def ta_igjen(self, fremdrift: Fremdrift | None = None) -> Resultat:
        """Fold what was recorded after the tracked position and move it."""
        with self.db.lease(self.vent):
            return self._ta_igjen(fremdrift)

    def klargjor(self, kommune: str) -> Resultat:
        """Catch up, then refresh the kommune's stale rows: what `oversikt` and `forfall` do before answering."""
        with self.db.lease(self.vent):
            resultat = self._ta_igjen(None)
            self._oppfrisk(kommune, None)
            return resultat

    def oppfrisk(self, kommune: str | None = None, maks: int | None = None) -> int:
        """Re-derive rows made for an earlier date or before a later sats, by folding from the store."""
        with self.db.lease(self.vent):
            return self._oppfrisk(kommune, maks)

    def _ta_igjen(self, fremdrift: Fremdrift | None) -> Resultat:
        t0 = time.perf_counter()
        start, _ = self.db.sporing()
        slutt = self.reg.lager.siste_posisjon()  # a run has a horizon, so steady traffic cannot keep it going
        kjoring = Kjoring(self, start)
        posisjon, lest = self.les(kjoring, start, slutt, fremdrift)
        utledet = kjoring.avslutt(posisjon, fremdrift)
        return Resultat(lest, utledet, posisjon, time.perf_counter() - t0)

    def les(self, kjoring: Kjoring, start: int, slutt: int, fremdrift: Fremdrift | None,
            varsler: Callable[..., list[Any]] | None = None) -> tuple[int, int]:
        """Fold the log (start, slutt] in batches; the last position read and the number of notifications.

        `varsler(etter, antall, til=…)` reads a batch: the whole log by default, one share of it in a
        parallel rebuild."""
        varsler = varsler or self.reg.lager.varsler
        posisjon, lest = start, 0
        while posisjon < slutt:
            batch = varsler(posisjon, self.batch, til=slutt)
            if not batch:
                break
            kjoring.folde(batch)
            posisjon, lest = batch[-1].posisjon, lest + len(batch)
            self.db.forny()
            if fremdrift:
                fremdrift("les", posisjon - start, slutt - start)
        return posisjon, lest

    def _oppfrisk(self, kommune: str | None, maks: int | None) -> int:
        posisjon, _ = self.db.sporing()
        nokler = self.db.foreldede(self.idag.isoformat(), kommune, maks)
        satser = self.reg.satser(known_at=posisjon, as_of=self.idag)
        for i in range(0, len(nokler), BITE):
            biter = [self._fra_lager(n, posisjon, satser) for n in nokler[i:i + BITE]]
            self.db.skriv([r for r in biter if r is not None])
        return len(nokler)

    def _fra_lager(self, nokkel: str, posisjon: int, satser: Satser) -> Rader | None:
        """Fold one hjemmel on demand from the store as known at `posisjon` (the reference path)."""
        h = self.reg.hjemmel(nokkel, known_at=posisjon, as_of=self.idag)
        return rader(h, satser, self.idag) if h is not None else None

    # ---- queries ------------------------------------------------------------------------------------

    def sporing(self) -> tuple[int, str | None]:
        self.db.opprett()
        return self.db.sporing()

    def oversikt(self, kommune: str) -> list[Oversikt]:
        self.db.opprett()
        return self.db.oversikt(kommune)

    def forfall(self, kommune: str, ar: int, maned: int) -> list[Betaling]:
        """The month's payments: from `lm_betaling` inside its window, else folded on demand (same rows)."""
        self.db.opprett()
        fra, til = date(ar, maned, 1).isoformat(), date(ar + maned // 12, maned % 12 + 1, 1).isoformat()
        if date(ar, maned, 1) >= vindu(self.idag):
            return self.db.betalinger(kommune, fra, til)
        posisjon, _ = self.db.sporing()
        satser = self.reg.satser(known_at=posisjon, as_of=self.idag)
        funnet = []
        for rad in self.db.oversikt(kommune):
            h = self.reg.hjemmel(rad.hjemmel, known_at=posisjon, as_of=self.idag)
            funnet += [(b.forfall, b.hjemmel, nr, b) for nr, b in enumerate(betalingsrader(h, satser, self.idag))
                       if b.forfall is not None and fra <= b.forfall < til]
        return [b for *_, b in sorted(funnet)]


class Kjoring:
    """One run's fold: states not yet derived (LRU), hjemler to derive from the store, rows not yet written.

    Each event is folded into its hjemmel's state once; the rows are derived once per hjemmel at the end
    of the run (or when its state is evicted), because deriving moves the state to the end of idag and
    a later event of the same day could no longer be folded onto it (docs/lesemodeller.md).
    """

    def __init__(self, lm: Lesemodeller, start: int) -> None:
        self.lm, self.reg, self.start = lm, lm.reg, start
        self.ventende: OrderedDict[str, Hjemmel] = OrderedDict()
        self.fra_lager: set[str] = set()  # streams with corrections (D17), or a dato after idag: folded whole
        self.skrevne: dict[str, Rader] = {}  # a hjemmel evicted twice in one chunk keeps its last rows
        self.til = start  # the last position read: states and satser are as known there
        self.satser: Satser | None = None
        self.nr = 0  # derivations so far in this run
        self.utledet: dict[str, int] = {}  # hjemmel -> number of its latest derivation in this run
        self.sats_nr = 0  # derivations done when the latest sats was read: those used an older sats series
        self.foreldet = start == 0  # rows of earlier runs were marked stale after a new sats (or there are none)

    def folde(self, batch: list[Any]) -> None:
        self.til = batch[-1].posisjon
        regler = self.reg.regler
        for rad in batch:
            nokkel = rad.hjemmel
            if nokkel == SATSER:
                self._ny_sats()
                continue
            if nokkel in self.fra_lager:
                continue
            h = self.ventende.get(nokkel)
            if h is None and rad.versjon > 1:
                h = self._last(nokkel)  # evicted or from an earlier run: its stream up to this batch's end
                if h is None:
                    continue
            if h is not None and rad.posisjon <= h.posisjon:
                continue  # already in the state folded from the store
            e = rad.hendelse()
            if isinstance(e, HendelseKorrigert) or e.dato > self.lm.idag:
                self.ventende.pop(nokkel, None)
                self.fra_lager.add(nokkel)
                continue
            self.ventende[nokkel] = folde(h, rad.posisjon, e, regler)
            self.ventende.move_to_end(nokkel)
            while len(self.ventende) > self.lm.cache:
                self._utled(*self.ventende.popitem(last=False))

    def _ny_sats(self) -> None:
        """A sats changes every hjemmel's payments: rows of earlier runs become stale (refreshed lazily,
        see `oppfrisk`), and those this run derived before it are derived again at its end."""
        self.satser = None
        self.sats_nr = self.nr
        if not self.foreldet:
            self.lm.db.skriv([], foreld_alle=True)
            self.foreldet = True

    def _last(self, nokkel: str) -> Hjemmel | None:
        strom = self.reg.lager.strom(nokkel, known_at=self.til)
        if any(isinstance(e, HendelseKorrigert) or e.dato > self.lm.idag for _, e in strom):
            self.fra_lager.add(nokkel)
            return None
        h = folde_hjemmel(nokkel, strom, self.reg.regler)
        h.hendelser = []  # only corrections need the stream, and those are folded from the store
        self.ventende[nokkel] = h
        return h

    def _utled(self, nokkel: str, h: Hjemmel | None) -> None:
        """Derive one hjemmel's rows as of the end of idag; write them once a chunk is full."""
        idag = self.lm.idag
        if self.satser is None:
            self.satser = self.reg.satser(known_at=self.til, as_of=idag)
        if h is None:
            h = self.reg.hjemmel(nokkel, known_at=self.til, as_of=idag)
        else:
            h.fram_til(idag, til_og_med=True)  # what folde_hjemmel(as_of=idag) does after the last event
        if h is not None:
            self.skrevne[nokkel] = rader(h, self.satser, idag)
            self.nr += 1
            self.utledet[nokkel] = self.nr
        if len(self.skrevne) >= BITE:
            self.lm.db.skriv(list(self.skrevne.values()))  # rows ahead of the tracked position are harmless
            self.skrevne = {}

    def avslutt(self, posisjon: int | None, fremdrift: Fremdrift | None) -> int:
        """Derive every pending hjemmel; the last transaction writes its rows and the tracked position
        (None: a parallel rebuild's share, whose coordinator moves the position after every share)."""
        gamle = sorted(k for k, nr in self.utledet.items()
                       if nr <= self.sats_nr and k not in self.ventende and k not in self.fra_lager)
        nokler = list(self.ventende) + sorted(self.fra_lager) + gamle
        for i, nokkel in enumerate(nokler, 1):
            self._utled(nokkel, self.ventende.pop(nokkel, None))
            if fremdrift and i % 100 == 0:
                fremdrift("utled", i, len(nokler))
        as_of = self.lm.idag.isoformat() if posisjon is not None else None
        self.lm.db.skriv(list(self.skrevne.values()), posisjon, as_of)
        if fremdrift:
            fremdrift("utled", len(nokler), len(nokler))
        return len(self.utledet)
