"""A real ledger for projection tests: a `Register` on an SQLite file in tmp_path, fed JSON command lines.

Tests hand in literal command dicts (interface §3) and read the contract JSON of interface §4 back,
cut on both time axes (architecture.md "Two time axes"): `as_of` (effective date) and `known_at`
(a global position) or `known_ts` (a record timestamp).
"""
from __future__ import annotations

import json
import shutil
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from hjemmel.adapters.bootstrap import bygg
from hjemmel.adapters.config import les_settings
from hjemmel.projections.betalinger import betalinger
from hjemmel.projections.frister import frister
from hjemmel.projections.funn import funn
from hjemmel.projections.historikk import historikk
from hjemmel.projections.status import status
from hjemmel.services.register import Register

# A fixed clock after every date the examples use; each reading advances one second, so every stored
# event has its own record timestamp (interface §2: the ledger stamps the record time itself).
START = datetime(2026, 11, 20, 12, 0, 0, tzinfo=timezone.utc)


class Klokke:
    def __init__(self, start: datetime = START) -> None:
        self.na = start

    def __call__(self) -> datetime:
        self.na += timedelta(seconds=1)
        return self.na


def _dag(as_of: str | date) -> date:
    return as_of if isinstance(as_of, date) else date.fromisoformat(as_of)


class Ledger:
    """One SQLite ledger; `apply` asserts acceptance, `avvis` asserts rejection; queries return contract JSON."""

    def __init__(self, fil: Path, klokke: Klokke | None = None) -> None:
        self.fil = fil
        self.klokke = klokke or Klokke()
        self.reg: Register = bygg(les_settings(db=str(fil)), klokke=self.klokke)

    # ---- writing ------------------------------------------------------------------------------

    def svar(self, cmd: dict[str, Any]) -> dict[str, Any]:
        return self.reg.behandle(json.dumps(cmd).encode()).som_json(1)

    def apply(self, *cmds: dict[str, Any]) -> list[int]:
        """Apply each command; every one must be accepted. Returns their global positions."""
        posisjoner = []
        for cmd in cmds:
            svar = self.svar(cmd)
            assert svar["ok"], f"rejected: {cmd} -> {svar}"
            posisjoner.append(svar["posisjon"])
        return posisjoner

    def avvis(self, cmd: dict[str, Any]) -> dict[str, Any]:
        """Apply one command that must be rejected; returns the rejection line."""
        svar = self.svar(cmd)
        assert not svar["ok"], f"accepted, expected a rejection: {cmd} -> {svar}"
        return svar

    # ---- reading ------------------------------------------------------------------------------

    def _h(self, key: str, as_of: date, known_at: int | None, known_ts: datetime | None):
        h = self.reg.hjemmel(key, known_at=known_at, known_ts=known_ts, as_of=as_of)
        assert h is not None, f"hjemmel {key} unknown"
        return h

    def betalinger(self, key: str, as_of: str | date, known_at: int | None = None,
                   known_ts: datetime | None = None) -> list[dict[str, Any]]:
        d = _dag(as_of)
        return betalinger(self._h(key, d, known_at, known_ts),
                          self.reg.satser(known_at=known_at, known_ts=known_ts, as_of=d), d)

    def funn(self, key: str, as_of: str | date, known_at: int | None = None,
             known_ts: datetime | None = None) -> list[dict[str, Any]]:
        d = _dag(as_of)
        return funn(self._h(key, d, known_at, known_ts),
                    self.reg.satser(known_at=known_at, known_ts=known_ts, as_of=d), d)

    def frister(self, key: str, as_of: str | date, known_at: int | None = None,
                known_ts: datetime | None = None) -> list[dict[str, Any]]:
        d = _dag(as_of)
        return frister(self._h(key, d, known_at, known_ts), d)

    def status(self, key: str, as_of: str | date, known_at: int | None = None,
               known_ts: datetime | None = None) -> dict[str, Any]:
        d = _dag(as_of)
        return status(self._h(key, d, known_at, known_ts), d)

    def historikk(self, key: str, as_of: str | date | None = None,
                  known_at: int | None = None) -> list[dict[str, Any]]:
        rader = [(r.posisjon, r.raw()) for r in self.reg.lager.rader(key, known_at)]
        return historikk(rader, _dag(as_of) if as_of is not None else None)

    def alle(self, key: str, as_of: str | date, known_at: int | None = None,
             known_ts: datetime | None = None) -> dict[str, Any]:
        """Every derived view of one hjemmel, as the JSON text a user would read."""
        visninger = {
            "status": self.status(key, as_of, known_at, known_ts),
            "frister": self.frister(key, as_of, known_at, known_ts),
            "betalinger": self.betalinger(key, as_of, known_at, known_ts),
            "funn": self.funn(key, as_of, known_at, known_ts),
        }
        return json.loads(json.dumps(visninger, ensure_ascii=False))

    def registrert(self, posisjon: int, key: str) -> datetime:
        """The record timestamp the ledger stamped on the event at `posisjon`."""
        for r in self.reg.lager.rader(key):
            if r.posisjon == posisjon:
                return datetime.fromisoformat(r.raw()["registrert"].replace("Z", "+00:00"))
        raise KeyError(posisjon)

    def kopi(self, mappe: Path) -> "Ledger":
        """A fresh Register on a byte copy of this ledger's SQLite file (with its WAL, if any)."""
        mappe.mkdir(parents=True, exist_ok=True)
        for kilde in self.fil.parent.glob(self.fil.name + "*"):
            shutil.copy2(kilde, mappe / kilde.name)
        return Ledger(mappe / self.fil.name, Klokke(self.klokke.na))


@pytest.fixture(name="ledger")
def fixture_ledger(tmp_path: Path) -> Ledger:
    return Ledger(tmp_path / "h.sqlite")
