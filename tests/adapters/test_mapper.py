"""Every event type round-trips through `MsgspecMapper`; topics are pinned tags; v1 rows upcast."""

from __future__ import annotations

import types
import typing
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import msgspec
import pytest
from eventsourcing.persistence import StoredEvent

from hjemmel.adapters.mapper import MsgspecMapper
from hjemmel.domain.hendelser import HENDELSESTYPER, HjemmelOpprettet, Lege

# interface §3, the event column, written out so a renamed or dropped tag fails here
KONTRAKTENS_HENDELSER = {
    "HjemmelOpprettet", "AvtaleInngatt", "OppsigelseMottatt", "AvtaleHevet", "AvtaleBortfalt",
    "HjemmelUtlyst", "UtlysningAvsluttet", "TilbudGitt", "TilbudMottatt", "TilbudAkseptert",
    "TilbudAvslatt", "TilbudTrukket", "OverdragelsesprisAvtalt", "NemndBegjaert",
    "NemndMedvirkningNektet", "NemndAvgjort", "NyLegeTiltradt", "HjemmelHjemfalt",
    "DriftsutgifterDokumentert", "ListetallRegistrert", "BasistilskuddSatsFastsatt",
    "UttalelseAnmodet", "UttalelseMottatt", "VarselOmRetting", "SkriftligAdvarsel", "TrekkVedtatt",
    "ForholdRettet", "KlageMottatt", "LokaltTiltakAvtalt", "GjenkjopUtlost", "HendelseKorrigert",
}

# values chosen so a lossy codec shows: trailing-zero decimals, a leap day, microseconds in UTC
REGISTRERT = datetime(2024, 2, 29, 13, 45, 7, 123456, tzinfo=timezone.utc)
DATO = date(2024, 2, 29)
BELOP = Decimal("16836.00")


def _eksempel(typ: Any, felt: str) -> Any:
    """A valid, non-null value of a field's type (the first choice of a Literal or Union)."""
    if isinstance(typ, str):
        raise TypeError(f"unresolved annotation {typ!r} for {felt}")
    origin = typing.get_origin(typ)
    if origin is typing.Literal:
        return typing.get_args(typ)[0]
    if origin in (typing.Union, types.UnionType):
        return _eksempel(next(a for a in typing.get_args(typ) if a is not type(None)), felt)
    if origin is dict:
        return {"maks_belop": "500000.00", "antall": 3, "nested": {"fra": "2024-01-01"}}
    if typ is Lege:
        return Lege(id="L-1", navn="Åse Ødegård", fodselsdato=date(1960, 2, 29))
    if typ is Decimal:
        return BELOP
    if typ is date:
        return DATO
    if typ is datetime:
        return REGISTRERT
    if typ is int:
        return 1500
    if typ is str:
        return "2024-02" if felt == "periode" else f"{felt}-æøå"
    raise TypeError(f"no sample for {felt}: {typ!r}")


def _minimal(cls: type, **envelope: Any) -> Any:
    """A valid instance of an event class: every data field filled from its annotation."""
    hints = typing.get_type_hints(cls)
    verdier = {f: _eksempel(hints[f], f) for f in cls.__struct_fields__
               if f not in ("hjemmel", "versjon", "dato", "registrert", "forrige_hash", "hash")}
    return cls(hjemmel="1149-017", versjon=7, dato=DATO, registrert=REGISTRERT,
               forrige_hash="a" * 64, hash="b" * 64, **verdier, **envelope)


ALLE = sorted(HENDELSESTYPER.items())


def test_tag_settet_er_kontraktens_hendelsesliste() -> None:
    """The tagged union holds exactly the 31 event names of interface §3."""
    assert len(KONTRAKTENS_HENDELSER) == 31
    assert set(HENDELSESTYPER) == KONTRAKTENS_HENDELSER


@pytest.mark.parametrize("tag,cls", ALLE, ids=[t for t, _ in ALLE])
def test_hendelse_gar_tur_retur_gjennom_mapperen(tag: str, cls: type) -> None:
    """to_stored_event then to_domain_event gives back an equal event, field for field."""
    mapper = MsgspecMapper()
    hendelse = _minimal(cls)

    lagret = mapper.to_stored_event(hendelse)
    tilbake = mapper.to_domain_event(lagret)

    assert type(tilbake) is cls
    assert tilbake == hendelse
    assert msgspec.structs.asdict(tilbake) == msgspec.structs.asdict(hendelse)
    assert lagret.originator_id == "1149-017"
    assert lagret.originator_version == 7


@pytest.mark.parametrize("tag,cls", ALLE, ids=[t for t, _ in ALLE])
def test_topic_er_taggen(tag: str, cls: type) -> None:
    """The stored topic is the pinned tag (never module:Class); HjemmelOpprettet carries @2."""
    lagret = MsgspecMapper().to_stored_event(_minimal(cls))
    ventet = "HjemmelOpprettet@2" if tag == "HjemmelOpprettet" else tag
    assert lagret.topic == ventet
    assert ":" not in lagret.topic


@pytest.mark.parametrize("tag,cls", ALLE, ids=[t for t, _ in ALLE])
def test_lagret_tilstand_er_json_med_type(tag: str, cls: type) -> None:
    """The stored state is JSON carrying the tag as `type`, money as a string, dates as ISO."""
    lagret = MsgspecMapper().to_stored_event(_minimal(cls))
    raw = msgspec.json.decode(lagret.state)
    assert raw["type"] == tag
    assert raw["dato"] == "2024-02-29"
    assert raw["registrert"] in ("2024-02-29T13:45:07.123456Z", "2024-02-29T13:45:07.123456+00:00")
    for felt, verdi in raw.items():
        assert not isinstance(verdi, float), felt


def test_desimal_dato_og_tidsstempel_bevares_eksakt() -> None:
    """Decimal keeps its exponent ("16836.00", "0.10"), date and aware datetime keep every digit."""
    mapper = MsgspecMapper()
    oslo = timezone(timedelta(hours=1))
    cls = HENDELSESTYPER["DriftsutgifterDokumentert"]
    hendelse = cls(hjemmel="1149-017", versjon=3, dato=date(2024, 12, 31),
                   registrert=datetime(2024, 12, 31, 23, 59, 59, 999999, tzinfo=oslo),
                   periode="2024-12", belop=Decimal("16836.00"), vikar_belop=Decimal("0.10"))

    tilbake = mapper.to_domain_event(mapper.to_stored_event(hendelse))

    assert str(tilbake.belop) == "16836.00"
    assert str(tilbake.vikar_belop) == "0.10"
    assert isinstance(tilbake.belop, Decimal)
    assert tilbake.dato == date(2024, 12, 31)
    assert tilbake.registrert == hendelse.registrert
    assert tilbake.registrert.utcoffset() is not None


def test_valgfrie_felt_som_null_gar_tur_retur() -> None:
    """Nullable fields stored as null come back as None (not missing, not a default string)."""
    mapper = MsgspecMapper()
    cls = HENDELSESTYPER["HjemmelUtlyst"]
    hendelse = cls(hjemmel="1149-017", versjon=4, dato=DATO, registrert=REGISTRERT,
                   utlysning_id="U-1", soknadsfrist=date(2024, 3, 31), kanal=None, lokalisering=None,
                   listelengde=None, organiseringsform=None, praksistype=None, prisantydning=None)
    assert mapper.to_domain_event(mapper.to_stored_event(hendelse)) == hendelse


def test_v1_hjemmel_opprettet_uten_praksistype_oppgraderes() -> None:
    """A v1 row (topic without @, no `praksistype`) upcasts to the current class with praksistype None."""
    v1 = (b'{"type":"HjemmelOpprettet","hjemmel":"1149-017","versjon":1,"dato":"2023-05-02",'
          b'"registrert":"2023-05-02T08:00:00Z","forrige_hash":"' + b"0" * 64 + b'","hash":"' + b"c" * 64
          + b'","kommune":"1149","listetak":1200,"lokalisering":"Kvitsoy","organiseringsform":"solo",'
          b'"samarbeidsutvalg_uttalelse":"2023-04-20"}')
    rad = StoredEvent(originator_id="1149-017", originator_version=1, topic="HjemmelOpprettet", state=v1)

    hendelse = MsgspecMapper().to_domain_event(rad)

    assert type(hendelse) is HjemmelOpprettet
    assert hendelse.praksistype is None
    assert hendelse.listetak == 1200
    assert hendelse.samarbeidsutvalg_uttalelse == date(2023, 4, 20)
    assert hendelse.hash == "c" * 64  # upcasting never rewrites the stored hash


def test_v2_hjemmel_opprettet_beholder_praksistype() -> None:
    """A current row (topic HjemmelOpprettet@2) decodes without upcasting."""
    mapper = MsgspecMapper()
    hendelse = _minimal(HjemmelOpprettet)
    assert mapper.to_domain_event(mapper.to_stored_event(hendelse)).praksistype == "praksistype-æøå"
