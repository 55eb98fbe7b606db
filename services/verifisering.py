"""`verifiser`: recompute every hash chain from the stored rows (interface §6)."""
from __future__ import annotations

from typing import Any

from hjemmel.domain.hashkjede import forste_brudd


def verifiser(lager: Any, nokler: list[str] | None = None) -> dict[str, Any]:
    """{"intakt": bool, "kjeder", "hendelser", "brudd": {hjemmel, versjon, posisjon, grunn} | None}."""
    antall = 0
    nokler = nokler if nokler is not None else lager.nokler()
    for nokkel in nokler:
        rader = lager.rader(nokkel)
        antall += len(rader)
        try:
            kjede = [r.raw() for r in rader]
        except ValueError:  # a row that is not even JSON any more
            kjede = None
        brudd = forste_brudd(kjede) if kjede is not None else ({"versjon": rader[0].versjon}, "ulesbar rad")
        if brudd is not None:
            raw, grunn = brudd
            rad = next((r for r in rader if r.versjon == raw.get("versjon")), rader[0])
            return {"intakt": False, "kjeder": len(nokler), "hendelser": antall,
                    "brudd": {"hjemmel": nokkel, "versjon": raw.get("versjon"), "posisjon": rad.posisjon,
                              "grunn": grunn}}
    return {"intakt": True, "kjeder": len(nokler), "hendelser": antall, "brudd": None}
