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


E6 = "1149-023"


def e6(ledger, til: str | None = None) -> dict[str, int]:
    """E6 (domain.md §9) up to and including the step named `til` (all if None); positions by name."""
    steg = [
        ("sats", SATS),
        ("opprett", opprett(E6, "2024-08-01")),
        ("avtale", {"cmd": "avtale_inngatt", "hjemmel": E6, "dato": "2024-09-01", "lege": lege("L-200"),
                    "listetak": 1200}),
        ("listetall", {"cmd": "listetall", "hjemmel": E6, "dato": "2024-09-01", "antall": 1200}),
        ("anmodet", {"cmd": "uttalelse_anmodet", "hjemmel": E6, "dato": "2024-09-02", "sak_id": "S-1",
                     "forhold": "manglende tilgjengelighet", "svarfrist": "2024-09-16"}),
        ("mottatt", {"cmd": "uttalelse_mottatt", "hjemmel": E6, "dato": "2024-09-12", "sak_id": "S-1"}),
        ("varsel", {"cmd": "varsel_om_retting", "hjemmel": E6, "dato": "2024-09-20", "sak_id": "S-1",
                    "rettefrist": "2024-10-18"}),
        ("advarsel", {"cmd": "skriftlig_advarsel", "hjemmel": E6, "dato": "2024-10-21", "sak_id": "S-1"}),
        ("trekk", {"cmd": "trekk_vedtatt", "hjemmel": E6, "dato": "2024-10-25", "sak_id": "S-1", "prosent": 20}),
        ("klage", {"cmd": "klage", "hjemmel": E6, "dato": "2024-11-18", "sak_id": "S-1", "vedtak": "trekk"}),
        ("rettet", {"cmd": "forhold_rettet", "hjemmel": E6, "dato": "2025-01-08", "sak_id": "S-1"}),
    ]
    return kjor(ledger, steg, til)


def kjor(ledger, steg: list[tuple[str, dict[str, Any]]], til: str | None = None) -> dict[str, int]:
    """Apply named steps up to and including `til` (all if None); the position of each by name."""
    pos: dict[str, int] = {}
    for navn, cmd in steg:
        pos[navn] = ledger.apply(cmd)[0]
        if navn == til:
            break
    return pos
