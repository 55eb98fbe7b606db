"""Deciding many command lines in a row (`apply --bulk`): aggregates stay folded between lines and batches.

Every check of plain `apply` still runs against the folded aggregate. Holding aggregates in memory across
batches is safe with other writers about: an event decided on a stale aggregate carries a version the
store already has, so its whole batch fails on the store's unique (hjemmel, versjon) and is redone line by
line, after the cache is dropped.
"""
from __future__ import annotations

from collections import OrderedDict
from datetime import datetime
from typing import Callable

import msgspec

from hjemmel.domain import kommandoer as k
from hjemmel.domain.beslutninger import NOKKEL, Satser, aggregatnokkel, beslutt
from hjemmel.domain.fold import Stream, folde_hjemmel, folde_satser
from hjemmel.domain.hashkjede import NULLHASH, forsegl
from hjemmel.domain.hendelser import SATSER, Hendelse, HendelseKorrigert
from hjemmel.domain.hjemmel import Hjemmel, evolve
from hjemmel.domain.regler import Regler

Aggregat = Hjemmel | Satser | None


class Adresse(msgspec.Struct):
    """Just enough of a line to route it: its command and aggregate (anything else is checked later)."""

    cmd: object = None
    hjemmel: object = None


_adresse = msgspec.json.Decoder(Adresse)


def adresse(linje: bytes) -> tuple[str, bool]:
    """(aggregate key, is a correction) of a line, without deciding it; "" when it names none."""
    try:
        a = _adresse.decode(linje)
    except (msgspec.ValidationError, msgspec.DecodeError):
        return "", False
    if a.cmd == "sats" or (a.cmd == "korreksjon" and a.hjemmel is None):
        return SATSER, a.cmd == "korreksjon"
    return (a.hjemmel if isinstance(a.hjemmel, str) else ""), a.cmd == "korreksjon"


def segmenter(linjer: list[bytes]) -> list[tuple[int, int]]:
    """Line ranges a transaction each: a correction names its target by position, which a batch only
    learns when it commits, so every correction starts a new range (bulk then agrees with plain apply)."""
    grenser, start = [], 0
    for i, linje in enumerate(linjer):
        if i > start and b"korreksjon" in linje and adresse(linje)[1]:
            grenser.append((start, i))
            start = i
    if start < len(linjer):
        grenser.append((start, len(linjer)))
    return grenser


class Bulkbeslutter:
    """Decides lines for the aggregates it is given, holding up to `plass` of them folded (least recently
    used first out). Positions of accepted events are filled in by `bekreft` once their batch commits."""

    def __init__(self, regler: Regler, strom: Callable[[str], Stream], plass: int = 10_000) -> None:
        self.regler = regler
        self._strom = strom
        self.plass = plass
        self._cache: OrderedDict[str, Aggregat] = OrderedDict()
        self._ubekreftet: list[tuple[str, int]] = []  # (key, index in its `hendelser`), oldest first
        self._travle: dict[str, int] = {}  # key -> its unconfirmed events: never evicted, the store lacks them

    def beslutt(self, linje: bytes, na: datetime) -> Hendelse:
        """One line decided, chained and folded in; raises `Avvist` and leaves the aggregate as it was."""
        cmd = k.les(linje)
        nokkel = aggregatnokkel(cmd)
        aggregat = self._hent(nokkel)
        try:
            hendelse = beslutt(aggregat, cmd, na.date(), na)
        except Exception:
            if isinstance(aggregat, Hjemmel):  # deciding moved its clock (S1): fold it again
                self._cache[nokkel] = folde_hjemmel(nokkel, aggregat.hendelser, self.regler) \
                    if aggregat.hendelser else None
            raise
        hendelse = forsegl(hendelse, aggregat.siste_hash if aggregat is not None else NULLHASH)
        self._cache[nokkel] = ny = self._videre(nokkel, aggregat, hendelse)
        self._ubekreftet.append((nokkel, len(ny.hendelser) - 1))
        self._travle[nokkel] = self._travle.get(nokkel, 0) + 1
        return hendelse

    def bekreft(self, posisjoner: list[int]) -> None:
        """The oldest unconfirmed batch committed: its accepted events, in order, got these positions."""
        for (nokkel, i), posisjon in zip(self._ubekreftet, posisjoner):
            aggregat = self._cache.get(nokkel)
            if aggregat is not None and i < len(aggregat.hendelser):
                aggregat.hendelser[i] = (posisjon, aggregat.hendelser[i][1])
            self._travle[nokkel] -= 1
            if not self._travle[nokkel]:
                del self._travle[nokkel]
        del self._ubekreftet[:len(posisjoner)]

    def glem(self) -> None:
        """A batch did not commit (another writer came first): nothing held can be trusted."""
        self._cache.clear()
        self._ubekreftet = []
        self._travle = {}

    def _hent(self, nokkel: str) -> Aggregat:
        if nokkel in self._cache:
            self._cache.move_to_end(nokkel)
            return self._cache[nokkel]
        if nokkel == SATSER:
            aggregat: Aggregat = folde_satser(self._strom(SATSER))
        elif NOKKEL.match(nokkel):
            strom = self._strom(nokkel)
            aggregat = folde_hjemmel(nokkel, strom, self.regler) if strom else None
        else:
            return None
        self._cache[nokkel] = aggregat
        if len(self._cache) > self.plass:
            self._frigjor()
        return aggregat

    def _frigjor(self) -> None:
        """Evict the least recently used tenth, keeping those with unconfirmed events (the store lacks them)."""
        overskudd = len(self._cache) - self.plass * 9 // 10
        for nokkel in [n for n in self._cache if n not in self._travle][:overskudd]:
            del self._cache[nokkel]

    def _videre(self, nokkel: str, aggregat: Aggregat, hendelse: Hendelse) -> Hjemmel | Satser:
        """Fold a just-decided event in (its position is 0 until `bekreft`)."""
        if nokkel == SATSER:
            s = aggregat if isinstance(aggregat, Satser) else Satser()
            return folde_satser([*s.hendelser, (0, hendelse)])
        h = aggregat if isinstance(aggregat, Hjemmel) else Hjemmel(key=nokkel, regler=self.regler)
        h.hendelser.append((0, hendelse))
        if isinstance(hendelse, HendelseKorrigert):
            return folde_hjemmel(nokkel, h.hendelser, self.regler)
        evolve(h, 0, hendelse)
        return h
