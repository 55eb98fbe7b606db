"""Every event of the ledger: msgspec Structs in one tagged union, one event per contract command."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, ClassVar, Literal, Union

import msgspec


class Lege(msgspec.Struct, frozen=True, kw_only=True):
    """A doctor as the contract names one: {id, navn, fodselsdato}."""

    id: str
    navn: str
    fodselsdato: date


class Hendelse(msgspec.Struct, frozen=True, kw_only=True, tag_field="type"):
    """Envelope of every event (interface §6: the hash covers all of it but `hash`)."""

    hjemmel: str  # KEY, e.g. "1149-017"; "satser" for the national sats aggregate
    versjon: int
    dato: date  # effective date: when the act legally happened
    registrert: datetime  # record time, stamped by the ledger (UTC)
    forrige_hash: str = ""
    hash: str = ""

    class_version: ClassVar[int] = 1

    @property  # the two names eventsourcing's save() and repository read
    def originator_id(self) -> str:
        return self.hjemmel

    @property
    def originator_version(self) -> int:
        return self.versjon


class HjemmelOpprettet(Hendelse, frozen=True, kw_only=True, tag="HjemmelOpprettet"):
    class_version: ClassVar[int] = 2  # v2 added `praksistype` (upcast in adapters/mapper.py)

    kommune: str
    listetak: int
    lokalisering: str | None
    organiseringsform: Literal["gruppe", "solo"]
    praksistype: str | None
    samarbeidsutvalg_uttalelse: date | None


class AvtaleInngatt(Hendelse, frozen=True, kw_only=True, tag="AvtaleInngatt"):
    lege: Lege
    listetak: int


class OppsigelseMottatt(Hendelse, frozen=True, kw_only=True, tag="OppsigelseMottatt"):
    fra: Literal["lege", "kommune"]
    begrunnelse: str | None = None


class AvtaleHevet(Hendelse, frozen=True, kw_only=True, tag="AvtaleHevet"):
    begrunnelse: str


class AvtaleBortfalt(Hendelse, frozen=True, kw_only=True, tag="AvtaleBortfalt"):
    grunn: str


class HjemmelUtlyst(Hendelse, frozen=True, kw_only=True, tag="HjemmelUtlyst"):
    utlysning_id: str
    soknadsfrist: date
    kanal: str | None
    lokalisering: str | None
    listelengde: int | None
    organiseringsform: str | None
    praksistype: str | None
    prisantydning: Decimal | None


class UtlysningAvsluttet(Hendelse, frozen=True, kw_only=True, tag="UtlysningAvsluttet"):
    utlysning_id: str
    utfall: Literal["tilbud", "ingen_sokere", "ingen_kvalifisert_villig"]


class TilbudGitt(Hendelse, frozen=True, kw_only=True, tag="TilbudGitt"):
    tilbud_id: str
    lege: Lege


class TilbudMottatt(Hendelse, frozen=True, kw_only=True, tag="TilbudMottatt"):
    tilbud_id: str


class TilbudAkseptert(Hendelse, frozen=True, kw_only=True, tag="TilbudAkseptert"):
    tilbud_id: str


class TilbudAvslatt(Hendelse, frozen=True, kw_only=True, tag="TilbudAvslatt"):
    tilbud_id: str


class TilbudTrukket(Hendelse, frozen=True, kw_only=True, tag="TilbudTrukket"):
    tilbud_id: str


class OverdragelsesprisAvtalt(Hendelse, frozen=True, kw_only=True, tag="OverdragelsesprisAvtalt"):
    belop: Decimal


class NemndBegjaert(Hendelse, frozen=True, kw_only=True, tag="NemndBegjaert"):
    tema: Literal["overdragelsespris", "ytelser_5_7"]
    begjaert_av: Literal["fratredende", "overtakende", "begge"]


class NemndMedvirkningNektet(Hendelse, frozen=True, kw_only=True, tag="NemndMedvirkningNektet"):
    part: Literal["fratredende", "overtakende"]


class NemndAvgjort(Hendelse, frozen=True, kw_only=True, tag="NemndAvgjort"):
    belop: Decimal


class NyLegeTiltradt(Hendelse, frozen=True, kw_only=True, tag="NyLegeTiltradt"):
    tilbud_id: str


class HjemmelHjemfalt(Hendelse, frozen=True, kw_only=True, tag="HjemmelHjemfalt"):
    pass


class DriftsutgifterDokumentert(Hendelse, frozen=True, kw_only=True, tag="DriftsutgifterDokumentert"):
    periode: str  # YYYY-MM
    belop: Decimal
    vikar_belop: Decimal


class ListetallRegistrert(Hendelse, frozen=True, kw_only=True, tag="ListetallRegistrert"):
    antall: int


class BasistilskuddSatsFastsatt(Hendelse, frozen=True, kw_only=True, tag="BasistilskuddSatsFastsatt"):
    belop_per_innbygger_per_ar: Decimal


class UttalelseAnmodet(Hendelse, frozen=True, kw_only=True, tag="UttalelseAnmodet"):
    sak_id: str
    forhold: str
    svarfrist: date


class UttalelseMottatt(Hendelse, frozen=True, kw_only=True, tag="UttalelseMottatt"):
    sak_id: str


class VarselOmRetting(Hendelse, frozen=True, kw_only=True, tag="VarselOmRetting"):
    sak_id: str
    rettefrist: date


class SkriftligAdvarsel(Hendelse, frozen=True, kw_only=True, tag="SkriftligAdvarsel"):
    sak_id: str


class TrekkVedtatt(Hendelse, frozen=True, kw_only=True, tag="TrekkVedtatt"):
    sak_id: str
    prosent: Decimal


class ForholdRettet(Hendelse, frozen=True, kw_only=True, tag="ForholdRettet"):
    sak_id: str


class KlageMottatt(Hendelse, frozen=True, kw_only=True, tag="KlageMottatt"):
    sak_id: str
    vedtak: Literal["trekk", "tildeling"]


class LokaltTiltakAvtalt(Hendelse, frozen=True, kw_only=True, tag="LokaltTiltakAvtalt"):
    tiltak: Literal["gjenkjopsgaranti", "rekrutteringstilskudd", "driftsgaranti", "nullhjemmel", "alis"]
    vilkar: dict[str, Any]  # the contract's open map; validated by domain/tiltak.py, never mutated


class GjenkjopUtlost(Hendelse, frozen=True, kw_only=True, tag="GjenkjopUtlost"):
    pris: Decimal


class HendelseKorrigert(Hendelse, frozen=True, kw_only=True, tag="HendelseKorrigert"):
    korrigerer: int  # posisjon of the corrected event
    felter: dict[str, Any]  # field -> corrected value, as JSON; never mutated
    begrunnelse: str


HjemmelHendelse = Union[
    HjemmelOpprettet, AvtaleInngatt, OppsigelseMottatt, AvtaleHevet, AvtaleBortfalt,
    HjemmelUtlyst, UtlysningAvsluttet, TilbudGitt, TilbudMottatt, TilbudAkseptert,
    TilbudAvslatt, TilbudTrukket, OverdragelsesprisAvtalt, NemndBegjaert,
    NemndMedvirkningNektet, NemndAvgjort, NyLegeTiltradt, HjemmelHjemfalt,
    DriftsutgifterDokumentert, ListetallRegistrert, BasistilskuddSatsFastsatt,
    UttalelseAnmodet, UttalelseMottatt, VarselOmRetting, SkriftligAdvarsel, TrekkVedtatt,
    ForholdRettet, KlageMottatt, LokaltTiltakAvtalt, GjenkjopUtlost, HendelseKorrigert,
]

HENDELSESTYPER: dict[str, type[Hendelse]] = {
    cls.__struct_config__.tag: cls for cls in HjemmelHendelse.__args__  # type: ignore[attr-defined]
}

ENVELOPE = frozenset({"type", "hjemmel", "versjon", "dato", "registrert", "forrige_hash", "hash"})

SATSER = "satser"  # key of the national aggregate that holds every sats (domain.md §1.1)
SATSER_KOMMUNE = "0000"
