"""The contract's commands (interface §3) as msgspec Structs, and the field checks of domain.md §2.7 (0–2)."""
from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal, Union

import msgspec

from hjemmel.domain.avvist import Avvist, asa

MAKS_LINJE = 1024 * 1024  # a line longer than 1 MiB is rejected unread

Id = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
Tekst = Annotated[str, msgspec.Meta(max_length=100_000)]
# money: a decimal string, at most two decimals, no sign; a JSON number is a type error (domain.md §2.7)
Belop = Annotated[str, msgspec.Meta(pattern=r"^[0-9]{1,15}(\.[0-9]{1,2})?$")]
Periode = Annotated[str, msgspec.Meta(pattern=r"^[0-9]{4}-(0[1-9]|1[0-2])$")]
Kommunenummer = Annotated[str, msgspec.Meta(pattern=r"^[0-9]{4}$")]
Positiv = Annotated[int, msgspec.Meta(gt=0)]
IkkeNegativ = Annotated[int, msgspec.Meta(ge=0)]
_PROSENT = re.compile(rb"^-?[0-9]{1,3}(\.[0-9]{1,2})?$")


class LegeInn(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    id: Id
    navn: Tekst
    fodselsdato: date


class Kommando(msgspec.Struct, frozen=True, kw_only=True, tag_field="cmd", forbid_unknown_fields=True):
    """A command line: `cmd`, `dato` and the fields of its row in interface §3."""

    dato: date


class HjemmelKommando(Kommando, frozen=True, kw_only=True):
    hjemmel: str


class OpprettHjemmel(HjemmelKommando, frozen=True, kw_only=True, tag="opprett_hjemmel"):
    kommune: Kommunenummer
    listetak: Positiv
    lokalisering: Tekst | None
    organiseringsform: Literal["gruppe", "solo"]
    praksistype: Tekst | None
    samarbeidsutvalg_uttalelse: date | None


class AvtaleInngattK(HjemmelKommando, frozen=True, kw_only=True, tag="avtale_inngatt"):
    lege: LegeInn
    listetak: Positiv


class OppsigelseK(HjemmelKommando, frozen=True, kw_only=True, tag="oppsigelse"):
    fra: Literal["lege", "kommune"]
    begrunnelse: Tekst | None = None


class HevingK(HjemmelKommando, frozen=True, kw_only=True, tag="heving"):
    begrunnelse: Tekst | None = None


class BortfallK(HjemmelKommando, frozen=True, kw_only=True, tag="bortfall"):
    grunn: Annotated[str, msgspec.Meta(min_length=1, max_length=1000)]


class UtlysningK(HjemmelKommando, frozen=True, kw_only=True, tag="utlysning"):
    utlysning_id: Id
    soknadsfrist: date
    kanal: Tekst | None
    lokalisering: Tekst | None
    listelengde: Positiv | None
    organiseringsform: Literal["gruppe", "solo"] | None
    praksistype: Tekst | None
    prisantydning: Belop | None


class UtlysningAvsluttetK(HjemmelKommando, frozen=True, kw_only=True, tag="utlysning_avsluttet"):
    utlysning_id: Id
    utfall: Literal["tilbud", "ingen_sokere", "ingen_kvalifisert_villig"]


class TilbudK(HjemmelKommando, frozen=True, kw_only=True, tag="tilbud"):
    tilbud_id: Id
    lege: LegeInn


class TilbudMottattK(HjemmelKommando, frozen=True, kw_only=True, tag="tilbud_mottatt"):
    tilbud_id: Id


class TilbudAkseptertK(HjemmelKommando, frozen=True, kw_only=True, tag="tilbud_akseptert"):
    tilbud_id: Id


class TilbudAvslattK(HjemmelKommando, frozen=True, kw_only=True, tag="tilbud_avslatt"):
    tilbud_id: Id


class TilbudTrukketK(HjemmelKommando, frozen=True, kw_only=True, tag="tilbud_trukket"):
    tilbud_id: Id


class PrisAvtaltK(HjemmelKommando, frozen=True, kw_only=True, tag="pris_avtalt"):
    belop: Belop


class NemndBegjaertK(HjemmelKommando, frozen=True, kw_only=True, tag="nemnd_begjaert"):
    tema: Literal["overdragelsespris", "ytelser_5_7"]
    begjaert_av: Literal["fratredende", "overtakende", "begge"]  # S24


class NemndMedvirkningNektetK(HjemmelKommando, frozen=True, kw_only=True, tag="nemnd_medvirkning_nektet"):
    part: Literal["fratredende", "overtakende"]


class NemndAvgjortK(HjemmelKommando, frozen=True, kw_only=True, tag="nemnd_avgjort"):
    belop: Belop


class TiltredelseK(HjemmelKommando, frozen=True, kw_only=True, tag="tiltredelse"):
    tilbud_id: Id


class HjemfallK(HjemmelKommando, frozen=True, kw_only=True, tag="hjemfall"):
    pass


class DriftsutgifterK(HjemmelKommando, frozen=True, kw_only=True, tag="driftsutgifter"):
    periode: Periode
    belop: Belop
    vikar_belop: Belop


class ListetallK(HjemmelKommando, frozen=True, kw_only=True, tag="listetall"):
    antall: IkkeNegativ


class SatsK(Kommando, frozen=True, kw_only=True, tag="sats"):
    """No `hjemmel` field: the sats belongs to the national aggregate `satser` (a stray one is felt_ugyldig)."""

    belop_per_innbygger_per_ar: Belop


class UttalelseAnmodetK(HjemmelKommando, frozen=True, kw_only=True, tag="uttalelse_anmodet"):
    sak_id: Id
    forhold: Tekst
    svarfrist: date


class UttalelseMottattK(HjemmelKommando, frozen=True, kw_only=True, tag="uttalelse_mottatt"):
    sak_id: Id


class VarselOmRettingK(HjemmelKommando, frozen=True, kw_only=True, tag="varsel_om_retting"):
    sak_id: Id
    rettefrist: date


class SkriftligAdvarselK(HjemmelKommando, frozen=True, kw_only=True, tag="skriftlig_advarsel"):
    sak_id: Id


class TrekkVedtattK(HjemmelKommando, frozen=True, kw_only=True, tag="trekk_vedtatt"):
    sak_id: Id
    prosent: msgspec.Raw  # S25: a JSON number read exactly from its text; checked in `les`

    @property
    def prosent_desimal(self) -> Decimal:
        return Decimal(bytes(self.prosent).decode())


class ForholdRettetK(HjemmelKommando, frozen=True, kw_only=True, tag="forhold_rettet"):
    sak_id: Id


class KlageK(HjemmelKommando, frozen=True, kw_only=True, tag="klage"):
    sak_id: Id
    vedtak: Literal["trekk", "tildeling"]


class LokaltTiltakK(HjemmelKommando, frozen=True, kw_only=True, tag="lokalt_tiltak"):
    tiltak: Literal["gjenkjopsgaranti", "rekrutteringstilskudd", "driftsgaranti", "nullhjemmel", "alis"]
    vilkar: dict[str, Any]


class GjenkjopUtlostK(HjemmelKommando, frozen=True, kw_only=True, tag="gjenkjop_utlost"):
    pris: Belop


class KorreksjonK(Kommando, frozen=True, kw_only=True, tag="korreksjon"):
    hjemmel: str | None = None  # omitted or "satser" for a sats event
    korrigerer: int
    felter: dict[str, Any]
    begrunnelse: Tekst | None = None


AnyKommando = Union[
    OpprettHjemmel, AvtaleInngattK, OppsigelseK, HevingK, BortfallK, UtlysningK, UtlysningAvsluttetK,
    TilbudK, TilbudMottattK, TilbudAkseptertK, TilbudAvslattK, TilbudTrukketK, PrisAvtaltK,
    NemndBegjaertK, NemndMedvirkningNektetK, NemndAvgjortK, TiltredelseK, HjemfallK, DriftsutgifterK,
    ListetallK, SatsK, UttalelseAnmodetK, UttalelseMottattK, VarselOmRettingK, SkriftligAdvarselK,
    TrekkVedtattK, ForholdRettetK, KlageK, LokaltTiltakK, GjenkjopUtlostK, KorreksjonK,
]

KOMMANDOTYPER: dict[str, type[Kommando]] = {
    cls.__struct_config__.tag: cls for cls in AnyKommando.__args__  # type: ignore[attr-defined]
}

# cmd -> event type (interface §3): every accepted command stores exactly this one event (S26)
HENDELSE_FOR: dict[str, str] = {
    "opprett_hjemmel": "HjemmelOpprettet", "avtale_inngatt": "AvtaleInngatt",
    "oppsigelse": "OppsigelseMottatt", "heving": "AvtaleHevet", "bortfall": "AvtaleBortfalt",
    "utlysning": "HjemmelUtlyst", "utlysning_avsluttet": "UtlysningAvsluttet", "tilbud": "TilbudGitt",
    "tilbud_mottatt": "TilbudMottatt", "tilbud_akseptert": "TilbudAkseptert",
    "tilbud_avslatt": "TilbudAvslatt", "tilbud_trukket": "TilbudTrukket",
    "pris_avtalt": "OverdragelsesprisAvtalt", "nemnd_begjaert": "NemndBegjaert",
    "nemnd_medvirkning_nektet": "NemndMedvirkningNektet", "nemnd_avgjort": "NemndAvgjort",
    "tiltredelse": "NyLegeTiltradt", "hjemfall": "HjemmelHjemfalt",
    "driftsutgifter": "DriftsutgifterDokumentert", "listetall": "ListetallRegistrert",
    "sats": "BasistilskuddSatsFastsatt", "uttalelse_anmodet": "UttalelseAnmodet",
    "uttalelse_mottatt": "UttalelseMottatt", "varsel_om_retting": "VarselOmRetting",
    "skriftlig_advarsel": "SkriftligAdvarsel", "trekk_vedtatt": "TrekkVedtatt",
    "forhold_rettet": "ForholdRettet", "klage": "KlageMottatt", "lokalt_tiltak": "LokaltTiltakAvtalt",
    "gjenkjop_utlost": "GjenkjopUtlost", "korreksjon": "HendelseKorrigert",
}
KOMMANDO_FOR = {hendelse: cmd for cmd, hendelse in HENDELSE_FOR.items()}

# cmd -> the clause its validation errors carry (interface §3, last column)
KLAUSUL: dict[str, str | None] = {
    "opprett_hjemmel": asa("§5.1, §5.3"), "avtale_inngatt": asa("§5.5"), "oppsigelse": asa("§16"),
    "heving": asa("§16"), "bortfall": asa("§16"), "utlysning": asa("§5.4"),
    "utlysning_avsluttet": asa("§5.4, §5.8"), "tilbud": asa("§5.5"), "tilbud_mottatt": asa("§5.6"),
    "tilbud_akseptert": asa("§5.6"), "tilbud_avslatt": asa("§5.6"), "tilbud_trukket": asa("§5.6"),
    "pris_avtalt": asa("§5.6"), "nemnd_begjaert": asa("§5.6, §5.9"),
    "nemnd_medvirkning_nektet": asa("§5.6"), "nemnd_avgjort": asa("§5.9"), "tiltredelse": asa("§5.6"),
    "hjemfall": asa("§5.8"), "driftsutgifter": asa("§5.8"), "listetall": asa("§8.1"),
    "sats": asa("§8.1"), "uttalelse_anmodet": asa("§15"), "uttalelse_mottatt": asa("§15"),
    "varsel_om_retting": asa("§15"), "skriftlig_advarsel": asa("§15"), "trekk_vedtatt": asa("§15"),
    "forhold_rettet": asa("§15"), "klage": "fvl §28–29", "lokalt_tiltak": "lokalt tiltak",
    "gjenkjop_utlost": "lokalt tiltak", "korreksjon": "D17",
}

_dekoder = msgspec.json.Decoder(AnyKommando)
_MANGLER = re.compile(r"Object missing required field `([^`]+)`(?: - at `([^`]+)`)?")


class _BareCmd(msgspec.Struct):
    cmd: Any = None


def les(linje: bytes) -> Kommando:
    """Decode one JSON line into its command, or raise `Avvist` with the check 0–2 code."""
    if len(linje) > MAKS_LINJE:
        raise Avvist("linje_for_lang", "Linjen er lengre enn 1 MiB og er ikke lest", None)
    try:
        kommando = _dekoder.decode(linje)
    except msgspec.ValidationError as feil:
        raise _feltfeil(linje, str(feil)) from None
    except msgspec.DecodeError as feil:
        raise Avvist("ugyldig_json", f"Linjen er ikke gyldig JSON: {feil}", None) from None
    if isinstance(kommando, TrekkVedtattK) and not _PROSENT.match(bytes(kommando.prosent)):
        raise Avvist("felt_ugyldig", "Feltet `prosent` må være et JSON-tall med høyst to desimaler (S25)",
                     KLAUSUL["trekk_vedtatt"])
    return kommando


def _feltfeil(linje: bytes, tekst: str) -> Avvist:
    try:
        cmd = msgspec.json.decode(linje, type=_BareCmd).cmd
    except (msgspec.ValidationError, msgspec.DecodeError):
        return Avvist("ugyldig_json", "Linjen må være et JSON-objekt med feltet `cmd`", None)
    if not isinstance(cmd, str) or cmd not in KOMMANDOTYPER:
        return Avvist("ukjent_kommando", f"Ukjent kommando {cmd!r}", None)
    klausul = KLAUSUL[cmd]
    mangler = _MANGLER.match(tekst)
    if mangler:
        sti = (mangler.group(2) or "$").removeprefix("$").lstrip(".")
        felt = f"{sti}.{mangler.group(1)}" if sti else mangler.group(1)
        return Avvist("felt_mangler", f"Feltet `{felt}` mangler", klausul)
    return Avvist("felt_ugyldig", f"Ugyldig felt: {tekst}", klausul)
