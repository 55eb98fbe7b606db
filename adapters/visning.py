"""Readable rich tables for the queries when --json is not given."""
from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from rich.console import Console
from rich.table import Table

from hjemmel.domain.penger import formater

konsoll = Console()


def tabell(tittel: str, rader: list[dict[str, Any]], kolonner: list[str] | None = None) -> None:
    if not rader:
        konsoll.print(f"[bold]{tittel}[/bold]: ingen")
        return
    kolonner = kolonner or list(rader[0])
    t = Table(title=tittel, show_lines=False)
    for k in kolonner:
        t.add_column(k, justify="right" if k == "belop" else "left")
    for rad in rader:
        t.add_row(*(_celle(rad.get(k)) for k in kolonner))
    konsoll.print(t)


def _celle(verdi: Any) -> str:
    if verdi is None:
        return "—"
    if isinstance(verdi, dict):
        return ", ".join(f"{k}={v}" for k, v in verdi.items())
    return str(verdi)


def status(s: dict[str, Any]) -> None:
    t = Table(title=f"Hjemmel {s['hjemmel']} per {s['as_of']}", show_header=False)
    t.add_column("felt", style="bold")
    t.add_column("verdi")
    for k, v in s.items():
        if k == "lege" and v:
            v = f"{v['navn']} ({v['id']}, født {v['fodselsdato']})"
        t.add_row(k, _celle(v))
    konsoll.print(t)


def historikk(nokkel: str, poster: list[dict[str, Any]]) -> None:
    rader = [{"posisjon": p["posisjon"], "versjon": p["versjon"], "type": p["type"], "dato": p["dato"],
              "hash": p["hash"][:12] + "…", "korrigert_av": ", ".join(map(str, p["korrigert_av"])) or None}
             for p in poster]
    tabell(f"Historikk for {nokkel}", rader)


def betalinger(nokkel: str, as_of: Any, poster: list[dict[str, Any]]) -> None:
    tabell(f"Betalingsforpliktelser for {nokkel} per {as_of}", poster,
           ["type", "periode", "forfall", "betaler", "mottaker", "belop", "hjemmel_i_avtalen"])
    per_type: dict[str, Decimal] = defaultdict(Decimal)
    per_betaler: dict[str, Decimal] = defaultdict(Decimal)
    for p in poster:
        per_type[p["type"]] += Decimal(p["belop"])
        per_betaler[p["betaler"]] += Decimal(p["belop"])
    tabell("Sum per type", [{"type": k, "belop": formater(v)} for k, v in sorted(per_type.items())])
    tabell("Sum per betaler", [{"betaler": k, "belop": formater(v)} for k, v in sorted(per_betaler.items())])


def verifisering(svar: dict[str, Any]) -> None:
    if svar["intakt"]:
        konsoll.print(f"[green]Intakt[/green]: {svar['kjeder']} kjeder, {svar['hendelser']} hendelser verifisert")
    else:
        b = svar["brudd"]
        konsoll.print(f"[red]Brudd[/red] i {b['hjemmel']} versjon {b['versjon']} (posisjon {b['posisjon']}): "
                      f"{b['grunn']}")
