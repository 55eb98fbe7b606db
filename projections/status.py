"""The `status` view (interface §4) of a folded hjemmel."""
from __future__ import annotations

from datetime import date
from typing import Any

import msgspec

from hjemmel.domain.hjemmel import Hjemmel


def status(h: Hjemmel, as_of: date) -> dict[str, Any]:
    ledighet = h.ledighet
    return {
        "hjemmel": h.key,
        "kommune": h.kommune,
        "as_of": as_of.isoformat(),
        "status": h.status,
        "tildeling": h.tildeling,
        "korrigering": h.korrigering,
        "lege": msgspec.to_builtins(h.lege) if h.lege else None,
        "listetak": h.listetak,
        "opphorsdato": h.opphorsdato.isoformat() if h.opphorsdato else None,
        "korrekte_utlysninger_uten_resultat": ledighet.tellende if ledighet else 0,
        "versjon": h.strom_versjon,
        "posisjon": h.strom_posisjon,
    }
