"""Command lines shared by the projection tests (domain.md §9 uses the same example values)."""
from __future__ import annotations

from typing import Any

SATS = {"cmd": "sats", "dato": "2023-07-01", "belop_per_innbygger_per_ar": "841.80"}  # the example rate


def lege(lege_id: str, fodselsdato: str = "1975-05-05") -> dict[str, Any]:
    return {"id": lege_id, "navn": f"Lege {lege_id}", "fodselsdato": fodselsdato}


def opprett(key: str, dato: str, **felter: Any) -> dict[str, Any]:
    cmd = {"cmd": "opprett_hjemmel", "hjemmel": key, "dato": dato, "kommune": key[:4], "listetak": 1200,
           "lokalisering": "Eksempel legesenter", "organiseringsform": "gruppe", "praksistype": "naeringsdrift",
           "samarbeidsutvalg_uttalelse": "2023-12-01"}
    return cmd | felter


def utlysning(key: str, dato: str, uid: str, soknadsfrist: str, **felter: Any) -> dict[str, Any]:
    cmd = {"cmd": "utlysning", "hjemmel": key, "dato": dato, "utlysning_id": uid, "soknadsfrist": soknadsfrist,
           "kanal": "nasjonal portal", "lokalisering": "Eksempel legesenter", "listelengde": 1200,
           "organiseringsform": "gruppe", "praksistype": "naeringsdrift", "prisantydning": "450000.00"}
    return cmd | felter
