"""The `funn` view (interface §4, domain.md §5): every finding with date, clause and triggering event."""
from __future__ import annotations

from datetime import date
from typing import Any

from hjemmel.domain.beslutninger import Satser
from hjemmel.domain.hjemmel import Hjemmel
from hjemmel.projections.betalinger import beregn


def funn(h: Hjemmel, satser: Satser, as_of: date) -> list[dict[str, Any]]:
    """Findings recorded while folding plus those derived from the money (gaps, caps, §5.7)."""
    alle = [*h.funn, *beregn(h, satser, as_of)[1]]
    alle.sort(key=lambda f: (f.dato, f.posisjon))
    return [{"funn": f.funn, "dato": f.dato.isoformat(), "hjemmel_i_avtalen": f.klausul, "melding": f.melding,
             "posisjon": f.posisjon} for f in alle]
