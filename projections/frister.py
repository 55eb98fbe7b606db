"""The `frister` view (interface §4): every deadline with its clause, trigger and state as of a date."""
from __future__ import annotations

from datetime import date
from typing import Any

from hjemmel.domain.frister import frist_tilstand
from hjemmel.domain.hjemmel import Hjemmel


def frister(h: Hjemmel, as_of: date) -> list[dict[str, Any]]:
    """Deadlines in the order they arose; a superseded one stays listed as `bortfalt` (§3.1)."""
    return [
        {
            "frist": f.kode,
            "dato": f.dato.isoformat(),
            "hjemmel_i_avtalen": f.klausul,
            "utlost_av": f.utlost_av,
            "tilstand": frist_tilstand(f.klasse, f.dato, as_of, f.utfort, f.bortfalt),
        }
        for f in h.frister
    ]
