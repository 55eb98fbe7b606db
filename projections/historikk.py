"""The `historikk` view (interface §4, S26): stored events exactly as stored, oldest first, with hashes."""
from __future__ import annotations

from datetime import date
from typing import Any, Iterable

from hjemmel.domain.hashkjede import data_av


def historikk_post(posisjon: int, raw: dict[str, Any], korrigert_av: list[int] | None = None) -> dict[str, Any]:
    """One entry; also the payload of the stream message for this event (interface §5)."""
    return {
        "posisjon": posisjon,
        "versjon": raw["versjon"],
        "type": raw["type"],
        "dato": raw["dato"],
        "registrert": raw["registrert"],
        "data": data_av(raw),
        "hash": raw["hash"],
        "forrige_hash": raw["forrige_hash"],
        "korrigert_av": korrigert_av or [],
    }


def historikk(rader: Iterable[tuple[int, dict[str, Any]]], as_of: date | None) -> list[dict[str, Any]]:
    """Events with dato <= as_of (S26); `korrigert_av` lists the corrections known in this view."""
    rader = list(rader)
    korrigert_av: dict[int, list[int]] = {}
    for posisjon, raw in rader:
        if raw["type"] == "HendelseKorrigert":
            korrigert_av.setdefault(raw["korrigerer"], []).append(posisjon)
    grense = as_of.isoformat() if as_of else None
    return [historikk_post(p, raw, korrigert_av.get(p)) for p, raw in rader if grense is None or raw["dato"] <= grense]
