"""The per-hjemmel SHA-256 hash chain of interface §6, computed when an event is created."""
from __future__ import annotations

import hashlib
from typing import Any

import msgspec

from hjemmel.domain.hendelser import ENVELOPE, HENDELSESTYPER, Hendelse

NULLHASH = "0" * 64  # forrige_hash of the first event of a chain
# Byte for byte what `json.dumps(x, sort_keys=True, separators=(",", ":"), ensure_ascii=False)` gives
# (tests/domain/test_hashkjede.py), so verifiers with Python's standard library alone agree with it.
_kanonisk = msgspec.json.Encoder(order="sorted")
_DATAFELT = {cls: tuple(f for f in cls.__struct_fields__ if f not in ENVELOPE) for cls in HENDELSESTYPER.values()}


def kanonisk(raw: dict[str, Any]) -> bytes:
    """Canonical JSON (sorted keys, no whitespace, UTF-8) of what the hash covers (interface §6)."""
    dekket = {
        "hjemmel": raw["hjemmel"],
        "versjon": raw["versjon"],
        "type": raw["type"],
        "dato": raw["dato"],
        "registrert": raw["registrert"],
        "data": data_av(raw),
        "forrige_hash": raw["forrige_hash"],
    }
    return _kanonisk.encode(dekket)


def data_av(raw: dict[str, Any]) -> dict[str, Any]:
    """The event-specific fields of a stored event: everything but the envelope."""
    return {k: v for k, v in raw.items() if k not in ENVELOPE}


def hash_av(raw: dict[str, Any]) -> str:
    return hashlib.sha256(kanonisk(raw)).hexdigest()


def forsegl(hendelse: Hendelse, forrige_hash: str) -> Hendelse:
    """Chain a new event to its predecessor and stamp its own hash.

    The covered object is built from the struct's fields directly (the encoder sorts nested structs too),
    byte for byte what `kanonisk` gives for the stored JSON (tests/domain/test_hashkjede.py)."""
    cls = type(hendelse)
    dekket = {
        "hjemmel": hendelse.hjemmel,
        "versjon": hendelse.versjon,
        "type": cls.__struct_config__.tag,
        "dato": hendelse.dato,
        "registrert": hendelse.registrert,
        "data": {felt: getattr(hendelse, felt) for felt in _DATAFELT[cls]},
        "forrige_hash": forrige_hash,
    }
    hash_ = hashlib.sha256(_kanonisk.encode(dekket)).hexdigest()
    return msgspec.structs.replace(hendelse, forrige_hash=forrige_hash, hash=hash_)


def forste_brudd(kjede: list[dict[str, Any]]) -> tuple[dict[str, Any], str] | None:
    """The first stored event (raw, in version order) whose link or hash does not verify, with why."""
    forrige = NULLHASH
    for versjon, raw in enumerate(kjede, 1):
        if raw.get("versjon") != versjon:
            return raw, f"versjon {raw.get('versjon')} der {versjon} var ventet"
        if raw.get("forrige_hash") != forrige:
            return raw, "forrige_hash peker ikke på forrige hendelse"
        if hash_av(raw) != raw.get("hash"):
            return raw, "hash stemmer ikke med innholdet"
        forrige = raw["hash"]
    return None
