"""`Register`: the ledger application (eventsourcing's Application as repository and unit of work)."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Callable

from eventsourcing.application import Application
from eventsourcing.persistence import IntegrityError

from hjemmel.domain import kommandoer as k
from hjemmel.domain.avvist import Avvist
from hjemmel.domain.beslutninger import Satser, aggregatnokkel, beslutt, NOKKEL
from hjemmel.domain.fold import folde_hjemmel, folde_satser
from hjemmel.domain.hashkjede import forsegl
from hjemmel.domain.hendelser import SATSER, Hendelse
from hjemmel.domain.hjemmel import Hjemmel
from hjemmel.domain.regler import Regler
from hjemmel.services.bulk import Bulkbeslutter, segmenter


_ENKEL = re.compile(r"[0-9A-Za-z_-]+")  # what a stored key is (NOKKEL or `satser`): no JSON escaping


@dataclass(frozen=True, slots=True)
class Utfall:
    """The answer to one command line (interface §3): accepted with its event's address, or rejected."""

    avvist: Avvist | None = None
    hjemmel: str = ""
    type: str = ""  # the event's tag
    versjon: int = 0
    posisjon: int | None = None
    hendelse: Hendelse | None = None  # the event itself, where it was decided in this process

    @classmethod
    def godtatt(cls, hendelse: Hendelse, posisjon: int | None = None) -> Utfall:
        return cls(hjemmel=hendelse.hjemmel, type=type(hendelse).__struct_config__.tag, versjon=hendelse.versjon,
                   posisjon=posisjon, hendelse=hendelse)

    def som_linje(self, linje: int) -> str:
        """The result line as `json.dumps(som_json(linje), ensure_ascii=False)` writes it, formatted directly
        for an accepted line (a bulk load writes millions; its key and tag need no escaping)."""
        if self.avvist is not None or not _ENKEL.fullmatch(self.hjemmel):
            return json.dumps(self.som_json(linje), ensure_ascii=False)
        return (f'{{"linje": {linje}, "ok": true, "hjemmel": "{self.hjemmel}", "hendelser": ["{self.type}"], '
                f'"versjon": {self.versjon}, "posisjon": {self.posisjon}}}')

    def som_json(self, linje: int) -> dict[str, Any]:
        if self.avvist is not None:
            return {"linje": linje, "ok": False, "feil": self.avvist.kode, "melding": self.avvist.melding,
                    "hjemmel_i_avtalen": self.avvist.hjemmel_i_avtalen}
        return {"linje": linje, "ok": True, "hjemmel": self.hjemmel, "hendelser": [self.type],
                "versjon": self.versjon, "posisjon": self.posisjon}


class Register(Application[str]):
    """Loads an aggregate by folding its stream, decides, chains and saves: one transaction a command.

    The clock and the rules come in as arguments; nothing here reads the environment.
    """

    name = "hjemmel"

    def __init__(self, env: dict[str, str], regler: Regler, klokke: Callable[[], datetime],
                 leser: Callable[[Any], Any]) -> None:
        """`leser` builds the position-aware store reader (adapters/lager.py) over our recorder."""
        super().__init__(env=env)
        self.regler = regler
        self.klokke = klokke
        self.lager = leser(self.recorder)
        self.bulk = Bulkbeslutter(regler, self.lager.strom)
        self.sist_sett: int | None = None  # the store's last position when the bulk path last looked or wrote

    # ---- reading ----------------------------------------------------------------------------

    def hjemmel(self, nokkel: str, known_at: int | None = None, known_ts: datetime | None = None,
                as_of: date | None = None) -> Hjemmel | None:
        strom = self.lager.strom(nokkel, known_at, known_ts)
        return folde_hjemmel(nokkel, strom, self.regler, as_of) if strom else None

    def satser(self, known_at: int | None = None, known_ts: datetime | None = None,
               as_of: date | None = None) -> Satser:
        return folde_satser(self.lager.strom(SATSER, known_at, known_ts), as_of)

    def _aggregat(self, nokkel: str) -> Hjemmel | Satser | None:
        if nokkel == SATSER:
            return self.satser()
        if not NOKKEL.match(nokkel):
            return None
        return self.hjemmel(nokkel)

    # ---- writing ----------------------------------------------------------------------------

    def behandle(self, linje: bytes) -> Utfall:
        """One command line, all or nothing; a concurrent writer's conflict is retried once."""
        for forsok in (1, 2):
            try:
                cmd = k.les(linje)
                hendelse = self._beslutt(cmd, self._aggregat(aggregatnokkel(cmd)))
                posisjon = self.save(hendelse)[-1].notification.id
                return Utfall.godtatt(hendelse, posisjon)
            except Avvist as avvist:
                return Utfall(avvist=avvist)
            except IntegrityError:
                if forsok == 2:
                    raise
        raise AssertionError("unreachable")

    def _beslutt(self, cmd: k.Kommando, aggregat: Hjemmel | Satser | None) -> Hendelse:
        na = self.klokke()
        hendelse = beslutt(aggregat, cmd, na.date(), na)
        return forsegl(hendelse, aggregat.siste_hash if aggregat is not None else "0" * 64)

    def behandle_mange(self, linjer: list[bytes]) -> list[Utfall]:
        """The bulk path: many lines a transaction, each line still all-or-nothing with every check.

        Aggregates stay folded in memory across lines and calls (services/bulk.py); a correction starts
        a new transaction, since it names its target by a position only a commit gives.
        """
        utfall: list[Utfall] = []
        for start, slutt in segmenter(linjer):
            utfall += self._segment(linjer[start:slutt])
        return utfall

    def andre_skrivere(self) -> bool:
        """Has anyone else written since the bulk path last looked? Then what it holds may be stale: an
        accepted line would fail on its version, but a rejection would not, so it must look again."""
        siste = self.lager.siste_posisjon()
        fremmed, self.sist_sett = siste != self.sist_sett, siste
        return fremmed

    def skrevet(self, posisjoner: list[int]) -> None:
        """The bulk path wrote these positions; a gap before them is another writer's."""
        sammenhengende = self.sist_sett is not None and posisjoner[0] == self.sist_sett + 1
        self.sist_sett = posisjoner[-1] if sammenhengende else None

    def _segment(self, linjer: list[bytes]) -> list[Utfall]:
        if self.andre_skrivere():
            self.bulk.glem()
        na = self.klokke()  # one transaction, one moment of recording
        vedtak: list[Hendelse | Avvist] = []
        for linje in linjer:
            try:
                vedtak.append(self.bulk.beslutt(linje, na))
            except Avvist as avvist:
                vedtak.append(avvist)
        rader = [_rad(self.mapper.to_stored_event(v)) for v in vedtak if not isinstance(v, Avvist)]
        skrevet: list[int] = []
        if rader:
            try:
                skrevet = self.lager.skriv(rader)
            except IntegrityError:  # another writer came first: one transaction a line, from the store
                self.bulk.glem()
                return [self.behandle(linje) for linje in linjer]
            self.bulk.bekreft(skrevet)
            self.skrevet(skrevet)
        posisjoner = iter(skrevet)
        return [Utfall(avvist=v) if isinstance(v, Avvist) else Utfall.godtatt(v, next(posisjoner)) for v in vedtak]


def _rad(e: Any) -> tuple[str, int, str, bytes]:
    return e.originator_id, e.originator_version, e.topic, e.state
