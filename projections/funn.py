"""The `funn` view (interface §4, domain.md §5): every finding with date, clause and triggering event."""
from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hjemmel.domain.avvist import asa
from hjemmel.domain.beslutninger import Satser
from hjemmel.domain.tilstand import Funn
from hjemmel.domain.hjemmel import Hjemmel
from hjemmel.projections.betalinger import beregn


def funn(h: Hjemmel, satser: Satser, as_of: date) -> list[dict[str, Any]]:
    """Findings recorded while folding plus those derived from the money (gaps, caps, §5.7)."""
    alle = [*h.funn, *beregn(h, satser, as_of)[1], *ledig_uten_utlysning(h, as_of)]
    alle.sort(key=lambda f: (f.dato, f.posisjon))
    return [{"funn": f.funn, "dato": f.dato.isoformat(), "hjemmel_i_avtalen": f.klausul, "melding": f.melding,
             "posisjon": f.posisjon} for f in alle]


def ledig_uten_utlysning(h: Hjemmel, as_of: date) -> list[Funn]:
    """Optional (off unless `ledig_uten_utlysning_dager` is set): a vacancy left by a departing lege
    with no utlysning within N days of its start; "without undue delay" is not quantified (§10.4)."""
    dager = h.regler.ledig_uten_utlysning_dager
    if dager is None:
        return []
    funnet = []
    for nr, ledighet in enumerate(h.ledigheter):
        frist = ledighet.start + timedelta(days=dager)
        if ledighet.fratredende is None or frist >= as_of:
            continue
        if not any(u.ledighet == nr and u.dato <= frist for u in h.utlysninger.values()):
            funnet.append(Funn("ledig_uten_utlysning", frist, asa("§5.4 (1), §5.11 (2)"),
                               f"Ingen utlysning innen {dager} dager etter at ledigheten begynte {ledighet.start}",
                               ledighet.posisjon))
    return funnet
