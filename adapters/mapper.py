"""`MsgspecMapper`: eventsourcing's Mapper for msgspec events, with stable topics and upcasting."""
from __future__ import annotations

from typing import Any, Callable

import msgspec
from eventsourcing.persistence import Mapper, StoredEvent, Transcoder

from hjemmel.domain.hendelser import HENDELSESTYPER, Hendelse

# The stored topic is the event's pinned tag, so renaming a module or class never breaks history.
# A class whose `class_version` is above 1 stores "<tag>@<version>"; older rows are upcast on read.
Upcast = Callable[[dict[str, Any]], dict[str, Any]]


def _hjemmel_opprettet_v1_v2(data: dict[str, Any]) -> dict[str, Any]:
    """v1 (before the contract named the operating model) had no `praksistype`: it becomes null."""
    return {**data, "praksistype": data.get("praksistype")}


UPCASTS: dict[tuple[str, int], Upcast] = {("HjemmelOpprettet", 1): _hjemmel_opprettet_v1_v2}

_encoder = msgspec.json.Encoder()
_decoders = {tag: msgspec.json.Decoder(cls) for tag, cls in HENDELSESTYPER.items()}


def topic_for(hendelse: Hendelse) -> str:
    tag = type(hendelse).__struct_config__.tag
    versjon = type(hendelse).class_version
    return tag if versjon == 1 else f"{tag}@{versjon}"


def parse_topic(topic: str) -> tuple[str, int]:
    tag, _, versjon = topic.partition("@")
    return tag, int(versjon or 1)


def decode(topic: str, state: bytes) -> Hendelse:
    """A stored row back into its current event class, upcasting older class versions."""
    tag, versjon = parse_topic(topic)
    cls = HENDELSESTYPER[tag]
    if versjon == cls.class_version:
        return _decoders[tag].decode(state)
    data = msgspec.json.decode(state)
    while versjon < cls.class_version:
        data = UPCASTS[(tag, versjon)](data)
        versjon += 1
    return msgspec.convert(data, type=cls)


class MsgspecMapper(Mapper[str]):
    """Encodes the whole event (envelope, data and hashes) as JSON with msgspec; no pickling, no
    `module:Class` topics, and `date`, `Decimal` and enums round-trip exactly."""

    def __init__(self, transcoder: Transcoder | None = None, compressor=None, cipher=None) -> None:
        super().__init__(transcoder or _NoTranscoder(), compressor, cipher)

    def to_stored_event(self, domain_event: Any) -> StoredEvent:
        return StoredEvent(originator_id=domain_event.hjemmel, originator_version=domain_event.versjon,
                           topic=topic_for(domain_event), state=_encoder.encode(domain_event))

    def to_domain_event(self, stored_event: StoredEvent) -> Any:
        return decode(stored_event.topic, stored_event.state)


class _NoTranscoder(Transcoder):
    """The mapper encodes with msgspec itself; the library's transcoder is never used."""

    def encode(self, obj: Any) -> bytes:  # pragma: no cover - never called
        raise NotImplementedError

    def decode(self, data: bytes) -> Any:  # pragma: no cover - never called
        raise NotImplementedError
