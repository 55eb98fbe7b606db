"""The parts of one hjemmel's folded state (domain.md §2.1): vacancies, offers, announcements, saker, frister, findings."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from hjemmel.domain.hendelser import Lege


@dataclass(slots=True)
class Frist:
    """One deadline as derived while folding (domain.md §3.1); its state is read per as_of (§3.2)."""

    kode: str
    dato: date
    klausul: str
    utlost_av: int
    klasse: str  # "A" handlingsfrist, "B" period or window end (S5)
    nokkel: str = ""  # tilbud_id, sak_id or utlysning_id it belongs to
    utfort: date | None = None  # the act that meets a class A frist
    bortfalt: date | None = None  # the process ended otherwise


@dataclass(slots=True)
class Funn:
    """A derived finding (domain.md §5): never stored, recomputed for every as_of / known_at."""

    funn: str
    dato: date
    klausul: str
    melding: str
    posisjon: int


@dataclass(slots=True)
class Utlysning:
    id: str
    dato: date
    soknadsfrist: date
    posisjon: int
    lopenr: int  # order among this hjemmel's events, to tell "published after"
    ledighet: int | None  # index of the vacancy it was published for, None outside a vacancy
    korrekt: bool
    grunner: tuple[str, ...]
    listelengde: int | None
    prisantydning: Decimal | None
    apen: bool = True
    utfall: str | None = None
    avsluttet: date | None = None
    frist: Frist | None = None


@dataclass(slots=True)
class Tilbud:
    id: str
    lege: Lege
    dato: date
    posisjon: int
    lopenr: int
    ledighet: int
    akseptfrist: Frist
    klagefrist: Frist
    prisfrist: Frist | None = None
    mottatt: date | None = None
    akseptert: date | None = None
    avslatt: date | None = None
    trukket: date | None = None
    endt_d8: date | None = None
    tiltradt: date | None = None
    pris: Decimal | None = None
    pris_dato: date | None = None
    pris_kilde: str | None = None  # "avtalt" or "nemnd"
    pris_posisjon: int = 0

    @property
    def endt(self) -> bool:
        """Declined, withdrawn or ended by D8: the tilbud and any price lapse (S9)."""
        return bool(self.avslatt or self.trukket or self.endt_d8)

    @property
    def levende(self) -> bool:
        return not self.endt and self.tiltradt is None


@dataclass(slots=True)
class Nemndsak:
    tilbud_id: str
    tema: str
    begjaert_av: str
    dato: date
    posisjon: int


@dataclass(slots=True)
class Slutt:
    """One way the current avtale ends or will end: the earliest of them is the opphorsdato (S2)."""

    art: str  # oppsigelse, heving, bortfall, dodsfall, alder_70
    dato: date
    posisjon: int


@dataclass(slots=True)
class Ledighet:
    """A vacancy (domain.md §2.3): from the event that ends the avtale until tiltredelse or hjemfall."""

    start: date
    grunn: str  # ny, oppsigelse, heving, bortfall, dodsfall, alder_70, hjemfall
    posisjon: int
    fratredende: Lege | None = None
    rett: str | None = None  # who holds the right to overdragelse: "lege", "dodsbo", "kommune"
    rett_tapt: str | None = None
    slutter: list[Slutt] = field(default_factory=list)
    oppsigelsesdato: date | None = None
    tellende: int = 0  # D5 count
    besatt: date | None = None  # tiltredelse or avtale_inngatt
    hjemfall: date | None = None
    hjemfall_frist: Frist | None = None
    gjenkjop: dict[str, Any] | None = None

    @property
    def opphorsdato(self) -> date | None:
        return min((s.dato for s in self.slutter), default=None)

    @property
    def forste_slutt(self) -> Slutt | None:
        return min(self.slutter, key=lambda s: s.dato, default=None)

    def ledighetsperiode(self) -> tuple[date, date | None] | None:
        """D10: the day after the opphorsdato up to the day before tiltredelse or hjemfall (end exclusive)."""
        slutt = self.opphorsdato
        if slutt is None:
            return None
        return slutt, self.besatt or self.hjemfall


@dataclass(slots=True)
class Sak:
    """A §15 case: hearing, varsel, advarsel, trekk, retting."""

    id: str
    lege_id: str | None
    anmodet: date
    svarfrist: Frist
    trinn: str = "UTTALELSE_ANMODET"
    mottatt: date | None = None
    varsel: date | None = None
    rettefrist: Frist | None = None
    advarsel: date | None = None
    trekk: date | None = None
    prosent: Decimal | None = None
    trekk_posisjon: int = 0
    klagefrist: Frist | None = None
    rettet: date | None = None
    rettet_posisjon: int = 0


@dataclass(slots=True)
class Tiltak:
    """A local measure (domain.md §7) with its validated vilkar."""

    tiltak: str
    vilkar: dict[str, Any]
    dato: date
    posisjon: int
    lege_id: str | None
    fra: date
    til: date | None


@dataclass(slots=True)
class Maned:
    """The state during the 1st of a month (S1): what basistilskudd and local top-ups are derived from."""

    forste: date
    status: str
    lege_id: str | None
    posisjon: int  # the latest event folded by then: what made the month what it is
