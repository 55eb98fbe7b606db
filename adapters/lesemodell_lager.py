"""The national read models' tables beside the event store, their tracked position and the projector lease."""
from __future__ import annotations

import os
import socket
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import msgspec

from hjemmel.adapters.lager import Rad
from hjemmel.domain.hendelser import SATSER
from hjemmel.projections.nasjonal import ApenFrist, Betaling, Oversikt, Rader

NAVN = "nasjonal"  # the one tracked position: the three tables are always written together
LEASE_S = 120.0  # a crashed projector's lease runs out after this; a live one renews it every batch

_TABELLER = {
    "lm_hjemmel": "hjemmel TEXT PRIMARY KEY, kommune TEXT NOT NULL, status TEXT NOT NULL, tildeling TEXT NOT NULL, "
                  "korrigering TEXT NOT NULL, lege_id TEXT, lege_navn TEXT, lege_fodselsdato TEXT, "
                  "listetak INTEGER NOT NULL, opphorsdato TEXT, apne_frister INTEGER NOT NULL, neste_frist TEXT, "
                  "neste_frist_dato TEXT, versjon INTEGER NOT NULL, posisjon BIGINT NOT NULL, as_of TEXT",
    "lm_frist": "hjemmel TEXT NOT NULL, kommune TEXT NOT NULL, frist TEXT NOT NULL, dato TEXT NOT NULL, "
                "klausul TEXT NOT NULL, utlost_av BIGINT NOT NULL",
    "lm_betaling": "hjemmel TEXT NOT NULL, nr INTEGER NOT NULL, kommune TEXT NOT NULL, type TEXT NOT NULL, "
                   "periode TEXT, forfall TEXT, betaler TEXT NOT NULL, mottaker TEXT NOT NULL, belop TEXT NOT NULL, "
                   "grunnlag TEXT NOT NULL, klausul TEXT NOT NULL",
}
_INDEKSER = {
    "lm_hjemmel_kommune": ("lm_hjemmel", "kommune, hjemmel"),
    "lm_frist_hjemmel": ("lm_frist", "hjemmel"),
    "lm_frist_kommune": ("lm_frist", "kommune, dato"),
    "lm_betaling_hjemmel": ("lm_betaling", "hjemmel"),
    "lm_betaling_forfall": ("lm_betaling", "kommune, forfall"),
}
_OVERSIKT = tuple(Oversikt.__struct_fields__)
_FRIST = ApenFrist.__struct_fields__
_BETALING = ("nr", *Betaling.__struct_fields__)


class Opptatt(Exception):
    """Another projector holds the read models' lease."""


class MistetLease(Exception):
    """This projector's lease ran out and someone else took it: its last transaction was rolled back."""


class LmLager:
    """The read-model tables, written only under the lease; each write transaction first proves it holds it."""

    def __init__(self, recorder: Any) -> None:
        self.datastore = recorder.datastore
        self.postgres = hasattr(self.datastore, "schema")
        self.prefiks = f"{self.datastore.schema}." if self.postgres else ""
        self.hendelser = self.prefiks + recorder.events_table_name  # the event store's own table
        self.pos = "notification_id" if self.postgres else "rowid"
        self.eier = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.lease_til = 0.0
        self._opprettet = False

    # ---- plumbing ---------------------------------------------------------------------------------

    def _sql(self, sql: str) -> str:
        """Our SQL is written with `?` and `{t}` table prefixes; PostgreSQL wants `%s` and its schema."""
        sql = sql.replace("{t}", self.prefiks)
        return sql.replace("?", "%s") if self.postgres else sql

    @contextmanager
    def _tx(self, commit: bool) -> Iterator[Any]:
        with self.datastore.transaction(commit=commit) as cursor:
            yield cursor

    @staticmethod
    def _antall(cursor: Any) -> int:
        return getattr(cursor, "sqlite_cursor", cursor).rowcount

    def les(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        with self._tx(commit=False) as c:
            c.execute(self._sql(sql), tuple(params))
            return c.fetchall()

    def opprett(self) -> None:
        """Create what is missing (idempotent), so every command works on a store that never had them."""
        if self._opprettet:
            return
        with self._tx(commit=True) as c:
            c.execute(self._sql("CREATE TABLE IF NOT EXISTS {t}lm_sporing (navn TEXT PRIMARY KEY, "
                                "posisjon BIGINT NOT NULL, as_of TEXT, eier TEXT, lease_til DOUBLE PRECISION)"))
            c.execute(self._sql("INSERT INTO {t}lm_sporing (navn, posisjon) VALUES (?, 0) "
                                "ON CONFLICT (navn) DO NOTHING"), (NAVN,))
            self._tabeller(c)
        self._opprettet = True

    def _tabeller(self, c: Any) -> None:
        for navn, kolonner in _TABELLER.items():
            c.execute(self._sql(f"CREATE TABLE IF NOT EXISTS {{t}}{navn} ({kolonner})"))
        for navn, (tabell, kolonner) in _INDEKSER.items():
            c.execute(self._sql(f"CREATE INDEX IF NOT EXISTS {navn} ON {{t}}{tabell} ({kolonner})"))

    # ---- the lease ----------------------------------------------------------------------------------

    @contextmanager
    def lease(self, vent: float) -> Iterator[None]:
        """Hold the projector lease for the block; wait up to `vent` seconds for another holder to finish."""
        self.opprett()
        grense = time.monotonic() + vent
        while not self._prov_lease():
            if time.monotonic() >= grense:
                raise Opptatt("lesemodellene oppdateres av en annen prosess")
            time.sleep(0.2)
        try:
            yield
        finally:
            with self._tx(commit=True) as c:
                c.execute(self._sql("UPDATE {t}lm_sporing SET eier = NULL, lease_til = NULL "
                                    "WHERE navn = ? AND eier = ?"), (NAVN, self.eier))
            self.lease_til = 0.0

    def _prov_lease(self) -> bool:
        na = time.time()
        with self._tx(commit=True) as c:
            c.execute(self._sql("UPDATE {t}lm_sporing SET eier = ?, lease_til = ? WHERE navn = ? "
                                "AND (eier IS NULL OR eier = ? OR lease_til < ?)"),
                      (self.eier, na + LEASE_S, NAVN, self.eier, na))
            fikk = self._antall(c) == 1
        if fikk:
            self.lease_til = na + LEASE_S
        return fikk

    def _bevis(self, c: Any) -> None:
        """Renew the lease inside a write transaction, or roll it back: a fenced writer (no lost updates)."""
        na = time.time()
        c.execute(self._sql("UPDATE {t}lm_sporing SET lease_til = ? WHERE navn = ? AND eier = ?"),
                  (na + LEASE_S, NAVN, self.eier))
        if self._antall(c) != 1:
            raise MistetLease("en annen prosess har tatt over lesemodellene")
        self.lease_til = na + LEASE_S

    def forny(self) -> None:
        """Renew the lease when half of it is used: a long read phase writes nothing for a while."""
        if self.lease_til - time.time() < LEASE_S / 2:
            with self._tx(commit=True) as c:
                self._bevis(c)

    # ---- writing (always under the lease) -----------------------------------------------------------

    def nullstill(self) -> None:
        """Drop and recreate the tables and start the position from 0, in one transaction."""
        with self._tx(commit=True) as c:
            self._bevis(c)
            for navn in _TABELLER:
                c.execute(self._sql(f"DROP TABLE IF EXISTS {{t}}{navn}"))
            self._tabeller(c)
            c.execute(self._sql("UPDATE {t}lm_sporing SET posisjon = 0, as_of = NULL WHERE navn = ?"), (NAVN,))

    def skriv(self, rader: list[Rader], posisjon: int | None = None, as_of: str | None = None,
              foreld_alle: bool = False) -> None:
        """Replace the rows of these hjemler; with `posisjon`, move the tracked position in the same transaction.

        `foreld_alle` first marks every row stale (a later sats changes every hjemmel's payments).
        """
        nokler = [(r.oversikt.hjemmel,) for r in rader]
        with self._tx(commit=True) as c:
            self._bevis(c)
            if foreld_alle:
                c.execute(self._sql("UPDATE {t}lm_hjemmel SET as_of = NULL"))
            for tabell in _TABELLER:
                c.executemany(self._sql(f"DELETE FROM {{t}}{tabell} WHERE hjemmel = ?"), nokler)
            self._sett_inn(c, rader)
            if posisjon is not None:
                c.execute(self._sql("UPDATE {t}lm_sporing SET posisjon = ?, as_of = ? WHERE navn = ?"),
                          (posisjon, as_of, NAVN))

    def _sett_inn(self, c: Any, rader: list[Rader]) -> None:
        astuple = msgspec.structs.astuple
        for tabell, kolonner, verdier in (
            ("lm_hjemmel", _OVERSIKT, [astuple(r.oversikt) for r in rader]),
            ("lm_frist", _FRIST, [astuple(f) for r in rader for f in r.frister]),
            ("lm_betaling", _BETALING, [(nr, *astuple(b)) for r in rader for nr, b in enumerate(r.betalinger)]),
        ):
            if verdier:
                sql = f"INSERT INTO {{t}}{tabell} ({', '.join(kolonner)}) VALUES ({', '.join('?' * len(kolonner))})"
                c.executemany(self._sql(sql), verdier)

    # ---- reading ------------------------------------------------------------------------------------

    def kommunevekter(self) -> list[tuple[str, int]]:
        """Events per kommune number (the key's first four digits), to split a rebuild into equal shares."""
        rader = self.les(f"SELECT substr(originator_id, 1, 4) AS kommune, COUNT(*) AS antall FROM {self.hendelser} "
                         "WHERE originator_id <> ? GROUP BY substr(originator_id, 1, 4)", (SATSER,))
        return sorted((r["kommune"], r["antall"]) for r in rader)

    def varsler_for(self, fra: str, til_kommune: str, etter: int, antall: int, til: int) -> list[Rad]:
        """The notification log restricted to kommuner fra <= k < til_kommune, and the national sats.

        The share is filtered in the database, so a process never builds rows of another process's share.
        Four-digit strings compare alike under every collation, so the shares never overlap or leave gaps.
        """
        sql = (f"SELECT {self.pos} AS pos, originator_id, originator_version, topic, state FROM {self.hendelser} "
               f"WHERE {self.pos} > ? AND {self.pos} <= ? AND (originator_id = ? OR "
               f"(substr(originator_id, 1, 4) >= ? AND substr(originator_id, 1, 4) < ?)) ORDER BY {self.pos} LIMIT ?")
        return [Rad(r["pos"], r["originator_id"], r["originator_version"], r["topic"], bytes(r["state"]))
                for r in self.les(sql, (etter, til, SATSER, fra, til_kommune, antall))]

    def sporing(self) -> tuple[int, str | None]:
        """The tracked position and the date of the catch-up that set it."""
        rad = self.les("SELECT posisjon, as_of FROM {t}lm_sporing WHERE navn = ?", (NAVN,))
        return (rad[0]["posisjon"], rad[0]["as_of"]) if rad else (0, None)

    def foreldede(self, as_of: str, kommune: str | None, maks: int | None) -> list[str]:
        """Hjemler whose rows were derived for another date, or before a later sats."""
        sql = "SELECT hjemmel FROM {t}lm_hjemmel WHERE (as_of IS NULL OR as_of <> ?)"
        params: list[Any] = [as_of]
        if kommune is not None:
            sql += " AND kommune = ?"
            params.append(kommune)
        sql += " ORDER BY hjemmel"
        if maks is not None:
            sql += f" LIMIT {int(maks)}"
        return [r["hjemmel"] for r in self.les(sql, params)]

    def oversikt(self, kommune: str) -> list[Oversikt]:
        rader = self.les(f"SELECT {', '.join(_OVERSIKT)} FROM {{t}}lm_hjemmel WHERE kommune = ? ORDER BY hjemmel",
                         (kommune,))
        return [Oversikt(**{f: r[f] for f in _OVERSIKT}) for r in rader]

    def betalinger(self, kommune: str, fra: str, til: str) -> list[Betaling]:
        """Payments of the kommune with fra <= forfall < til (ISO dates), by forfall, hjemmel and view order."""
        felt = Betaling.__struct_fields__
        rader = self.les(f"SELECT {', '.join(felt)} FROM {{t}}lm_betaling WHERE kommune = ? AND forfall >= ? "
                         "AND forfall < ? ORDER BY forfall, hjemmel, nr", (kommune, fra, til))
        return [Betaling(**{f: r[f] for f in felt}) for r in rader]
