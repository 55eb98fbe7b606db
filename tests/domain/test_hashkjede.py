"""Interface §6: the hash chain, and its canonical JSON equal to what a standard-library verifier computes."""
from __future__ import annotations

import hashlib
import json
from datetime import date, datetime, timezone
from decimal import Decimal

import msgspec
import pytest

from hjemmel.domain.hashkjede import NULLHASH, forsegl, forste_brudd, hash_av, kanonisk
from hjemmel.domain.hendelser import AvtaleInngatt, DriftsutgifterDokumentert, Lege, OppsigelseMottatt

TEGN = [chr(i) for i in range(0x00, 0x250)] + ["\u2028", "\u2029", "\ud7ff", "\ue000", "\ufeff", "\U0001f600",
                                                "æøåÆØÅ", "§", "–", "\\", '"', "/"]


def _raw(data: dict, versjon: int = 1, forrige: str = NULLHASH) -> dict:
    raw = {"type": "HjemmelOpprettet", "hjemmel": "1149-017", "versjon": versjon, "dato": "2024-01-02",
           "registrert": "2026-11-25T12:00:00Z", "forrige_hash": forrige, **data}
    raw["hash"] = hash_av(raw)
    return raw


def _stdlib(raw: dict) -> bytes:
    dekket = {k: raw[k] for k in ("hjemmel", "versjon", "type", "dato", "registrert", "forrige_hash")}
    dekket["data"] = {k: v for k, v in raw.items() if k not in dekket and k != "hash"}
    return json.dumps(dekket, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


@pytest.mark.parametrize("tegn", TEGN, ids=lambda t: f"U+{ord(t[0]):04X}")
def test_kanonisk_json_er_byte_for_byte_standardbibliotekets(tegn: str) -> None:
    """Interface §6: sorted keys, no whitespace, UTF-8 — identical to json.dumps, for every character."""
    raw = _raw({"lokalisering": f"x{tegn}y", "liste": [tegn, {"b": tegn, "a": 1}], "tom": None, "ja": True})
    assert kanonisk(raw) == _stdlib(raw)
    assert raw["hash"] == hashlib.sha256(_stdlib(raw)).hexdigest()


def test_intakt_kjede_har_ingen_brudd() -> None:
    """Interface §6: each event names its predecessor's hash; the first names 64 zeros."""
    forste = _raw({"listetak": 1200})
    andre = _raw({"listetak": 1300}, versjon=2, forrige=forste["hash"])
    assert forste_brudd([forste, andre]) is None


def test_endret_innhold_er_et_brudd() -> None:
    """Interface §6: a changed field no longer matches its stored hash."""
    forste = _raw({"listetak": 1200})
    endret = {**forste, "listetak": 1500}
    assert forste_brudd([endret]) == (endret, "hash stemmer ikke med innholdet")


def test_brutt_lenke_er_et_brudd() -> None:
    """Interface §6: an event whose forrige_hash is not its predecessor's hash breaks the chain."""
    forste = _raw({"listetak": 1200})
    andre = _raw({"listetak": 1300}, versjon=2, forrige="f" * 64)
    assert forste_brudd([forste, andre])[1] == "forrige_hash peker ikke på forrige hendelse"


@pytest.mark.parametrize("hendelse", [
    AvtaleInngatt(hjemmel="1149-017", versjon=2, dato=date(2024, 1, 2), registrert=datetime(2026, 11, 25, 12, 0, 7,
                  123456, tzinfo=timezone.utc), lege=Lege(id="L-ÆØÅ", navn="Åse \u2028 \"Sæbø\"",
                                                          fodselsdato=date(1960, 2, 29)), listetak=1500),
    DriftsutgifterDokumentert(hjemmel="1149-017", versjon=9, dato=date(2024, 3, 31),
                              registrert=datetime(2026, 1, 1, tzinfo=timezone.utc), periode="2024-03",
                              belop=Decimal("81234.50"), vikar_belop=Decimal("0.00")),
    OppsigelseMottatt(hjemmel="1149-017", versjon=3, dato=date(2024, 4, 1),
                      registrert=datetime(2026, 1, 1, tzinfo=timezone.utc), fra="lege", begrunnelse=None),
], ids=lambda e: type(e).__name__)
def test_forsegl_gir_samme_hash_som_verifisereren(hendelse) -> None:
    """Interface §6: the hash stamped when an event is made is the one a verifier recomputes from its JSON
    (nested structs, Decimal, None, timestamps with microseconds, non-ASCII)."""
    forseglet = forsegl(hendelse, "ab" * 32)
    raw = json.loads(msgspec.json.encode(forseglet))
    assert raw["forrige_hash"] == "ab" * 32
    assert forseglet.hash == hash_av(raw) == hashlib.sha256(_stdlib(raw)).hexdigest()
