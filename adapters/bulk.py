"""`apply --bulk` over worker processes: each decides the lines of its own hjemler, the parent writes.

Lines are routed by aggregate key, so one worker sees every line of a hjemmel, in input order, and holds
it folded (services/bulk.py); aggregates never depend on each other, so the outcome is what one process
would decide. The parent writes each batch in one transaction in input order while the workers decide
the next one, then tells every worker the positions its events got. A correction waits for every write
before it (it names its target by position). Workers read the store only to fold a hjemmel they do not
hold yet.
"""
from __future__ import annotations

import gc
import itertools
import multiprocessing
import os
import traceback
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

import msgspec
from eventsourcing.persistence import IntegrityError

from hjemmel.adapters.bootstrap import bygg
from hjemmel.adapters.config import Settings
from hjemmel.adapters.mapper import topic_for
from hjemmel.domain.avvist import Avvist
from hjemmel.services.bulk import adresse, segmenter
from hjemmel.services.register import Register, Utfall

_encoder = msgspec.json.Encoder()
# A worker's answer for one line: (hjemmel, versjon, topic, state, tag) or (kode, melding, klausul)
Svar = tuple[Any, ...]


def standard_prosesser() -> int:
    """One worker a core; on a single core the parent decides itself (0)."""
    n = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return n if n > 1 else 0


@dataclass(slots=True)
class _Avgjort:
    """A segment the workers have decided and the parent has not written yet."""

    linjer: list[bytes]
    svar: list[Svar]  # in line order
    eiere: list[int]  # the worker of each line


class Bulk:
    """Many lines a transaction, every check of plain apply; `prosesser` workers (0: in this process)."""

    def __init__(self, reg: Register, settings: Settings, prosesser: int) -> None:
        self.reg = reg
        self._ror: list[Connection] = []
        self._prosesser: list[Any] = []
        ctx = multiprocessing.get_context("spawn")  # no inherited database connections
        for _ in range(prosesser):
            hit, dit = ctx.Pipe()
            p = ctx.Process(target=_arbeider, args=(settings, dit), daemon=True)
            p.start()
            dit.close()
            self._ror.append(hit)
            self._prosesser.append(p)
        self._bekreft: list[list[int] | None] = [[] for _ in self._ror]  # None: forget everything held

    def behandle(self, linjer: Iterable[bytes], batch: int) -> Iterator[Utfall]:
        """An outcome a line, in input order, `batch` lines a transaction."""
        kilde = iter(linjer)
        if not self._ror:
            while bit := list(itertools.islice(kilde, batch)):
                yield from self.reg.behandle_mange(bit)
            return
        forrige: _Avgjort | None = None
        while bit := list(itertools.islice(kilde, batch)):
            for start, slutt in segmenter(bit):
                linjer_ = bit[start:slutt]
                fremmed = self.reg.andre_skrivere()
                # a correction needs every position before it; after another writer the workers must
                # forget what they hold, which they may only once all they decided is written
                if forrige is not None and (fremmed or adresse(linjer_[0])[1]):
                    yield from self._skriv_eller_enkeltvis(forrige)
                    forrige = None
                if fremmed:
                    self._bekreft = [None] * len(self._ror)
                eiere = self._send(linjer_)
                if forrige is not None:  # written while the workers decide the next segment
                    utfall = self._skriv(forrige)
                    if utfall is None:  # that segment did not commit: the next was decided on top of it
                        self._motta(eiere)
                        utfall = self._enkeltvis(forrige.linjer)
                        eiere = self._send(linjer_)
                    yield from utfall
                forrige = _Avgjort(linjer_, self._motta(eiere), eiere)
        if forrige is not None:
            yield from self._skriv_eller_enkeltvis(forrige)

    def _send(self, linjer: list[bytes]) -> list[int]:
        n = len(self._ror)
        deler: list[list[bytes]] = [[] for _ in range(n)]
        eiere = []
        for linje in linjer:
            w = zlib.crc32(adresse(linje)[0].encode()) % n
            eiere.append(w)
            deler[w].append(linje)
        na = self.reg.klokke()  # one transaction, one moment of recording
        for w, ror in enumerate(self._ror):
            try:
                ror.send((self._bekreft[w], deler[w], na))
            except OSError:
                raise _stoppet() from None
            self._bekreft[w] = []
        return eiere

    def _motta(self, eiere: list[int]) -> list[Svar]:
        deler = []
        for ror in self._ror:
            try:
                svar = ror.recv()
            except (EOFError, OSError):
                raise _stoppet() from None
            if isinstance(svar, str):
                raise RuntimeError(f"En bulk-arbeider feilet; linjene med svar er lagret, resten ikke:\n{svar}")
            deler.append(iter(svar))
        return [next(deler[w]) for w in eiere]

    def _skriv(self, avgjort: _Avgjort) -> list[Utfall] | None:
        """Write a decided segment in one transaction; None if another writer came first."""
        godtatt = [len(s) == 5 for s in avgjort.svar]
        rader = [s[:4] for s, ok in zip(avgjort.svar, godtatt) if ok]
        try:
            skrevet = self.reg.lager.skriv(rader) if rader else []
        except IntegrityError:
            return None
        if skrevet:
            self.reg.skrevet(skrevet)
        posisjoner = iter(skrevet)
        utfall = []
        bekreft = self._bekreft
        for w, s, ok in zip(avgjort.eiere, avgjort.svar, godtatt):
            if ok:
                posisjon = next(posisjoner)
                bekreft[w].append(posisjon)  # type: ignore[union-attr]
                utfall.append(Utfall(None, s[0], s[4], s[1], posisjon))
            else:
                utfall.append(Utfall(Avvist(*s)))
        return utfall

    def _skriv_eller_enkeltvis(self, avgjort: _Avgjort) -> list[Utfall]:
        utfall = self._skriv(avgjort)
        return utfall if utfall is not None else self._enkeltvis(avgjort.linjer)

    def _enkeltvis(self, linjer: list[bytes]) -> list[Utfall]:
        """After a conflict: the workers forget what they hold, and each line is its own transaction."""
        self._bekreft = [None] * len(self._ror)
        return [self.reg.behandle(linje) for linje in linjer]

    def close(self) -> None:
        for ror in self._ror:
            try:
                ror.send(None)
            except OSError:  # it has stopped already
                pass
        for p in self._prosesser:
            p.join(timeout=10)
            if p.is_alive():
                p.kill()
        self._ror, self._prosesser = [], []

    def __enter__(self) -> Bulk:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def _stoppet() -> RuntimeError:
    return RuntimeError("En bulk-arbeider stoppet uventet; linjene med svar er lagret, resten ikke")


def _arbeider(settings: Settings, ror: Connection) -> None:
    """A worker: decides the lines it is sent against the hjemler it holds, one answer a line."""
    reg = bygg(settings, lag_tabeller=False)  # held: the application closes its store when collected
    beslutter = reg.bulk
    while (melding := ror.recv()) is not None:
        bekreft, linjer, na = melding
        try:
            if bekreft is None:
                beslutter.glem()
            else:
                beslutter.bekreft(bekreft)
            svar: list[Svar] = []
            for linje in linjer:
                try:
                    e = beslutter.beslutt(linje, na)
                except Avvist as a:
                    svar.append((a.kode, a.melding, a.hjemmel_i_avtalen))
                    continue
                svar.append((e.hjemmel, e.versjon, topic_for(e), _encoder.encode(e), type(e).__struct_config__.tag))
        except Exception:  # a defect, not bad input: the parent stops and shows it
            ror.send(traceback.format_exc())
            continue
        ror.send(svar)
        gc.freeze()  # what it holds now is long-lived: later collections need not scan it again
