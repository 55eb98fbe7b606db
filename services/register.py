"""`Register`: the ledger application (eventsourcing's Application as repository and unit of work)."""
from __future__ import annotations

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
from hjemmel.domain.hjemmel import Hjemmel, evolve
from hjemmel.domain.regler import Regler


@dataclass(frozen=True, slots=True)
class Utfall:
    """The answer to one command line (interface §3): accepted with its event, or rejected."""

    hendelse: Hendelse | None = None
    posisjon: int | None = None
    avvist: Avvist | None = None

    def som_json(self, linje: int) -> dict[str, Any]:
        if self.avvist is not None:
            return {"linje": linje, "ok": False, "feil": self.avvist.kode, "melding": self.avvist.melding,
                    "hjemmel_i_avtalen": self.avvist.hjemmel_i_avtalen}
        e = self.hendelse
        assert e is not None
        return {"linje": linje, "ok": True, "hjemmel": e.hjemmel, "hendelser": [type(e).__struct_config__.tag],
                "versjon": e.versjon, "posisjon": self.posisjon}


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
                return Utfall(hendelse, posisjon)
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

        Aggregates stay folded in memory across the batch; accepted events are saved together.
        """
        aggregater: dict[str, Hjemmel | Satser | None] = {}
        utfall: list[Utfall] = []
        ventende: list[tuple[int, Hendelse]] = []
        for linje in linjer:
            nokkel = ""
            try:
                cmd = k.les(linje)
                nokkel = aggregatnokkel(cmd)
                if nokkel not in aggregater:
                    aggregater[nokkel] = self._aggregat(nokkel)
                aggregat = aggregater[nokkel]
                hendelse = self._beslutt(cmd, aggregat)
            except Avvist as avvist:
                utfall.append(Utfall(avvist=avvist))
                if isinstance(aggregater.get(nokkel), Hjemmel):  # deciding moved its clock (S1): refold
                    h = aggregater[nokkel]
                    aggregater[nokkel] = folde_hjemmel(nokkel, h.hendelser, self.regler) if h.hendelser else None
                continue
            aggregater[nokkel] = self._videre(nokkel, aggregat, hendelse)
            ventende.append((len(utfall), hendelse))
            utfall.append(Utfall(hendelse))
        if ventende:
            try:
                opptak = self.save(*(h for _, h in ventende))
            except IntegrityError:  # a concurrent writer: fall back to one transaction a line
                return [self.behandle(linje) for linje in linjer]
            for (i, hendelse), rec in zip(ventende, opptak):
                utfall[i] = Utfall(hendelse, rec.notification.id)
        return utfall

    def _videre(self, nokkel: str, aggregat: Hjemmel | Satser | None, hendelse: Hendelse) -> Hjemmel | Satser:
        """Fold a just-decided event into the in-memory aggregate (position unknown until commit)."""
        if nokkel == SATSER or isinstance(aggregat, Satser):
            s = aggregat if isinstance(aggregat, Satser) else Satser()
            s.hendelser.append((0, hendelse))
            return folde_satser(s.hendelser)
        h = aggregat if isinstance(aggregat, Hjemmel) else Hjemmel(key=nokkel, regler=self.regler)
        if type(hendelse).__struct_config__.tag == "HendelseKorrigert":
            h.hendelser.append((0, hendelse))
            return folde_hjemmel(nokkel, h.hendelser, self.regler)
        h.hendelser.append((0, hendelse))
        evolve(h, 0, hendelse)
        return h
