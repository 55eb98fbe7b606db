"""One empty store per backend for the adapter tests, with the Registers opened on it and a shared clock."""
from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

import pytest

from hjemmel.adapters.bootstrap import bygg
from hjemmel.adapters.config import les_settings
from hjemmel.services.register import Register

T0 = datetime(2025, 6, 2, 8, 0, tzinfo=timezone.utc)


@dataclass
class Lagring:
    """One empty store of one backend, and the Registers opened on it (closed after the test)."""

    url: str
    _klokke: Iterator[int] = field(default_factory=itertools.count)
    _apne: list[Register] = field(default_factory=list)

    def klokke(self) -> datetime:
        """A shared, strictly increasing record clock (one millisecond a tick)."""
        return T0 + timedelta(milliseconds=next(self._klokke))

    def register(self) -> Register:
        reg = bygg(les_settings(db=self.url), klokke=self.klokke)
        self._apne.append(reg)
        return reg

    def bruk(self, linjer: list[bytes]) -> None:
        """Apply lines one by one; every one must be accepted."""
        reg = self.register()
        for l in linjer:
            utfall = reg.behandle(l)
            assert utfall.avvist is None, (l, utfall.avvist.kode, utfall.avvist.melding)

    def tukle(self, reg: Register, posisjon: int, state: bytes) -> None:
        """Overwrite one stored row behind the ledger's back."""
        lager = reg.lager
        tabell = lager.recorder.events_table_name
        if lager.postgres:
            sql = f"UPDATE {tabell} SET state = %s WHERE notification_id = %s"
        else:
            sql = f"UPDATE {tabell} SET state = ? WHERE rowid = ?"
        with lager.recorder.datastore.transaction(commit=True) as cursor:
            cursor.execute(sql, (state, posisjon))

    def lukk(self) -> None:
        for reg in self._apne:
            reg.close()


@pytest.fixture
def lagring(tom_database: str) -> Iterator[Lagring]:
    lagring = Lagring(tom_database)
    yield lagring
    lagring.lukk()
