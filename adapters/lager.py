"""Reads the event store with global positions: one aggregate's stream, or the notification log."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import msgspec
from eventsourcing.persistence import StoredEvent

from hjemmel.adapters.mapper import decode
from hjemmel.domain.hendelser import Hendelse


@dataclass(frozen=True, slots=True)
class Rad:
    """One stored event as the store holds it: its position, topic and the exact stored JSON."""

    posisjon: int
    hjemmel: str
    versjon: int
    topic: str
    state: bytes

    def hendelse(self) -> Hendelse:
        return decode(self.topic, self.state)

    def raw(self) -> dict[str, Any]:
        return msgspec.json.decode(self.state)


class Lager:
    """SQL over the recorder eventsourcing built (SQLite rowid or PostgreSQL notification_id)."""

    def __init__(self, recorder: Any) -> None:
        self.recorder = recorder
        self.postgres = hasattr(recorder, "schema_name") or type(recorder).__module__.endswith("postgres")
        tabell = recorder.events_table_name
        if self.postgres:
            tabell = f"{recorder.datastore.schema}.{tabell}"
            self._strom = (f"SELECT notification_id AS pos, originator_id, originator_version, topic, state "
                           f"FROM {tabell} WHERE originator_id = %s ORDER BY originator_version")
            self._nokler = f"SELECT DISTINCT originator_id FROM {tabell} ORDER BY originator_id"
        else:
            self._siste = f"SELECT max(rowid) FROM {tabell}"
            self._strom = (f"SELECT rowid AS pos, originator_id, originator_version, topic, state "
                           f"FROM {tabell} WHERE originator_id = ? ORDER BY originator_version")
            self._nokler = f"SELECT DISTINCT originator_id FROM {tabell} ORDER BY originator_id"

    def _sql(self, sql: str, params: tuple = ()) -> list[Any]:
        with self.recorder.datastore.transaction(commit=False) as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def rader(self, nokkel: str, known_at: int | None = None) -> list[Rad]:
        rader = [Rad(r["pos"], r["originator_id"], r["originator_version"], r["topic"], bytes(r["state"]))
                 for r in self._sql(self._strom, (nokkel,))]
        return [r for r in rader if known_at is None or r.posisjon <= known_at]

    def strom(self, nokkel: str, known_at: int | None = None,
              known_ts: datetime | None = None) -> list[tuple[int, Hendelse]]:
        """(posisjon, event) in version order, cut at a record position or record timestamp."""
        strom = [(r.posisjon, r.hendelse()) for r in self.rader(nokkel, known_at)]
        if known_ts is not None:
            strom = [(p, e) for p, e in strom if e.registrert <= known_ts]
        return strom

    def nokler(self) -> list[str]:
        return [r["originator_id"] for r in self._sql(self._nokler)]

    def varsler(self, etter: int, antall: int, til: int | None = None) -> list[Rad]:
        """The notification log from position `etter` (exclusive), `antall` at most, in position order."""
        return [Rad(n.id, n.originator_id, n.originator_version, n.topic, bytes(n.state))
                for n in self.recorder.select_notifications(etter, antall, stop=til, inclusive_of_start=False)]

    def skriv(self, rader: list[tuple[str, int, str, bytes]]) -> list[int]:
        """Insert (hjemmel, versjon, topic, state) rows in one transaction, in order; their positions.
        Raises IntegrityError, storing nothing, when any (hjemmel, versjon) is taken."""
        if self.postgres:
            return list(self.recorder.insert_events([StoredEvent(originator_id=h, originator_version=v, topic=t,
                                                                 state=s) for h, v, t, s in rader]))
        # SQLite: one executemany, not the library's statement a row. Inside the write transaction no one
        # else inserts, so the rows take the rowids just below the new maximum.
        with self.recorder.datastore.transaction(commit=True) as cursor:
            cursor.executemany(self.recorder.insert_events_statement, rader)
            cursor.execute(self._siste)
            siste = cursor.fetchone()[0]
        return list(range(siste - len(rader) + 1, siste + 1))

    def siste_posisjon(self) -> int:
        return self.recorder.max_notification_id() or 0
