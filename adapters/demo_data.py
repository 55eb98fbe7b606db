"""The demo's history: Karmøy kommune (1149), twelve hjemler, December 2024 to November 2026.

The people are invented. The rates are the example rate of domain.md (841.80) and a hypothetical
later one; real rates are entered with `sats`.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from hjemmel.domain.kalender import add_months

K = "1149"
START = date(2024, 12, 2)
SLUTT = date(2026, 11, 1)  # the last listetall month


def _lege(nr: int, navn: str, fodt: str) -> dict[str, str]:
    return {"id": f"L-{nr}", "navn": navn, "fodselsdato": fodt}


def _utlysning(key: str, dato: str, uid: str, frist: str, listelengde: int = 1200, **avvik: Any) -> dict[str, Any]:
    kommando = {"cmd": "utlysning", "hjemmel": key, "dato": dato, "utlysning_id": uid, "soknadsfrist": frist,
                "kanal": "legestillinger.no", "lokalisering": "Kopervik legesenter", "listelengde": listelengde,
                "organiseringsform": "gruppe", "praksistype": "naeringsdrift", "prisantydning": "650000.00"}
    return kommando | avvik


def _c(cmd: str, key: str, dato: str, **felter: Any) -> dict[str, Any]:
    return {"cmd": cmd, "hjemmel": key, "dato": dato, **felter}


LEGER = {
    "001": _lege(101, "Ingrid Haugland", "1972-04-11"), "002": _lege(102, "Tor Eide", "1960-09-23"),
    "003": _lege(103, "Solveig Vik", "1958-01-30"), "004": _lege(104, "Arne Sæbø", "1962-06-05"),
    "005": _lege(105, "Kjetil Bø", "1979-11-17"), "006": _lege(106, "Berit Larsen", "1956-02-29"),
    "008": _lege(108, "Olav Nes", "1966-03-03"), "009": _lege(109, "Hanne Vatne", "1970-08-19"),
    "010": _lege(110, "Mari Skeie", "1990-05-25"), "011": _lege(111, "Jon Storesund", "1963-12-01"),
    "012": _lege(112, "Eirik Fosen", "1985-07-07"),
}
NYE = {"002": _lege(202, "Sara Mikkelsen", "1991-02-14"), "004": _lege(204, "Lars Hovda", "1987-10-09"),
       "006": _lege(206, "Nora Åsheim", "1989-03-28")}


def _grunnlag() -> list[dict[str, Any]]:
    linjer: list[dict[str, Any]] = [
        {"cmd": "sats", "dato": "2024-12-01", "belop_per_innbygger_per_ar": "841.80"},
    ]
    for nr in [f"{i:03d}" for i in range(1, 13)]:
        key = f"{K}-{nr}"
        lokalisering = "Åkrehamn legekontor" if nr in ("003", "008") else "Kopervik legesenter"
        linjer.append(_c("opprett_hjemmel", key, START.isoformat(), kommune=K, listetak=1200,
                         lokalisering=lokalisering, organiseringsform="gruppe", praksistype="naeringsdrift",
                         samarbeidsutvalg_uttalelse="2024-11-19"))
        if nr in LEGER:
            linjer.append(_c("avtale_inngatt", key, START.isoformat(), lege=LEGER[nr], listetak=1200))
    return linjer


def _hendelser() -> list[dict[str, Any]]:
    """Each hjemmel's story, dated; merged in date order with the monthly listetall."""
    h = [
        # 002: notice, announcement, offer, agreed price, tiltredelse (§16, §5.4–§5.6)
        _c("oppsigelse", "1149-002", "2025-01-15", fra="lege"),
        _utlysning("1149-002", "2025-01-20", "U-002-1", "2025-02-24"),
        _c("tilbud", "1149-002", "2025-03-03", tilbud_id="T-002-1", lege=NYE["002"]),
        _c("utlysning_avsluttet", "1149-002", "2025-03-03", utlysning_id="U-002-1", utfall="tilbud"),
        _c("tilbud_mottatt", "1149-002", "2025-03-05", tilbud_id="T-002-1"),
        _c("tilbud_akseptert", "1149-002", "2025-03-20", tilbud_id="T-002-1"),
        _c("pris_avtalt", "1149-002", "2025-04-02", belop="610000.00"),
        _c("tiltredelse", "1149-002", "2025-07-16", tilbud_id="T-002-1"),
        # 003: three correct announcements without result, vacancy costs, hjemfall (§5.8, D5, D9, D10)
        _c("oppsigelse", "1149-003", "2024-12-16", fra="lege"),
        _utlysning("1149-003", "2025-01-06", "U-003-1", "2025-02-03", lokalisering="Åkrehamn legekontor"),
        _c("utlysning_avsluttet", "1149-003", "2025-02-10", utlysning_id="U-003-1", utfall="ingen_sokere"),
        _utlysning("1149-003", "2025-03-03", "U-003-2", "2025-03-31", lokalisering="Åkrehamn legekontor"),
        _c("utlysning_avsluttet", "1149-003", "2025-04-07", utlysning_id="U-003-2", utfall="ingen_kvalifisert_villig"),
        _utlysning("1149-003", "2025-05-05", "U-003-3", "2025-06-02", lokalisering="Åkrehamn legekontor"),
        _c("utlysning_avsluttet", "1149-003", "2025-06-09", utlysning_id="U-003-3", utfall="ingen_sokere"),
        _c("driftsutgifter", "1149-003", "2025-08-05", periode="2025-07", belop="41000.00", vikar_belop="56000.00"),
        _c("driftsutgifter", "1149-003", "2025-09-04", periode="2025-08", belop="39500.00", vikar_belop="61000.00"),
        _c("hjemfall", "1149-003", "2025-12-16"),
        # 004: kommune's notice, no agreement on the price, the nemnd fixes it (§5.6, §5.9, D7, D16)
        _c("oppsigelse", "1149-004", "2025-03-03", fra="kommune",
           begrunnelse="Hjemmelen flyttes til nytt legesenter etter vedtatt plan; legen har ikke ønsket å flytte"),
        _utlysning("1149-004", "2025-03-10", "U-004-1", "2025-04-07"),
        _c("tilbud", "1149-004", "2025-04-22", tilbud_id="T-004-1", lege=NYE["004"]),
        _c("utlysning_avsluttet", "1149-004", "2025-04-22", utlysning_id="U-004-1", utfall="tilbud"),
        _c("tilbud_mottatt", "1149-004", "2025-04-24", tilbud_id="T-004-1"),
        _c("tilbud_akseptert", "1149-004", "2025-05-20", tilbud_id="T-004-1"),
        _c("nemnd_begjaert", "1149-004", "2025-06-02", tema="overdragelsespris", begjaert_av="fratredende"),
        _c("tiltredelse", "1149-004", "2025-09-04", tilbud_id="T-004-1"),
        _c("nemnd_avgjort", "1149-004", "2025-10-15", belop="520000.00"),
        # 005: the §15 chain: hearing, varsel, advarsel, 10 % trekk, late klage, retting (D12, D13)
        _c("uttalelse_anmodet", "1149-005", "2025-09-01", sak_id="S-005-1",
           forhold="Manglende telefontilgjengelighet", svarfrist="2025-09-15"),
        _c("uttalelse_mottatt", "1149-005", "2025-09-12", sak_id="S-005-1"),
        _c("varsel_om_retting", "1149-005", "2025-09-22", sak_id="S-005-1", rettefrist="2025-10-20"),
        _c("skriftlig_advarsel", "1149-005", "2025-10-27", sak_id="S-005-1"),
        _c("trekk_vedtatt", "1149-005", "2025-11-03", sak_id="S-005-1", prosent=10),
        _c("klage", "1149-005", "2025-11-28", sak_id="S-005-1", vedtak="trekk"),
        _c("forhold_rettet", "1149-005", "2026-02-16", sak_id="S-005-1"),
        # 006: a lege born 29 February turns 70 (D3, S4, S28); announced in the window, taken over
        _utlysning("1149-006", "2025-09-01", "U-006-1", "2025-10-06"),
        _c("tilbud", "1149-006", "2025-10-20", tilbud_id="T-006-1", lege=NYE["006"]),
        _c("utlysning_avsluttet", "1149-006", "2025-10-20", utlysning_id="U-006-1", utfall="tilbud"),
        _c("tilbud_mottatt", "1149-006", "2025-10-22", tilbud_id="T-006-1"),
        _c("tilbud_akseptert", "1149-006", "2025-11-10", tilbud_id="T-006-1"),
        _c("pris_avtalt", "1149-006", "2025-12-01", belop="480000.00"),
        _c("tiltredelse", "1149-006", "2026-03-02", tilbud_id="T-006-1"),
        # 007: a new hjemmel, announced with too short a window (a fact, stored with a finding, D4)
        _utlysning("1149-007", "2026-10-05", "U-007-1", "2026-10-19", prisantydning=None),
        # 008: the holder dies; the dødsbo holds the right to overdragelse (S11, §5.11)
        _c("bortfall", "1149-008", "2026-05-10", grunn="dodsfall"),
        _utlysning("1149-008", "2026-05-25", "U-008-1", "2026-06-22", lokalisering="Åkrehamn legekontor"),
        # 009: heving for vesentlig mislighold (§16 (2), D2)
        _c("heving", "1149-009", "2026-02-02", begrunnelse="Gjentatt brudd på kravene til journalføring"),
        _utlysning("1149-009", "2026-02-09", "U-009-1", "2026-03-09"),
        # 010: local recruitment measures (memo): start-up grant and a nullhjemmel guarantee (§7)
        _c("lokalt_tiltak", "1149-010", "2024-12-02", tiltak="rekrutteringstilskudd",
           vilkar={"belop": "200000.00", "bindingstid_maneder": 36, "kilde": "Kommunestyret sak 12/24"}),
        _c("lokalt_tiltak", "1149-010", "2024-12-02", tiltak="nullhjemmel", vilkar={"garantert_antall": 800}),
        # 011: a notice now running, the announcement open
        _c("oppsigelse", "1149-011", "2026-09-01", fra="lege"),
        _utlysning("1149-011", "2026-09-07", "U-011-1", "2026-12-07"),
        # 012: a buy-back guarantee for a young doctor (§7.3, memo)
        _c("lokalt_tiltak", "1149-012", "2024-12-02", tiltak="gjenkjopsgaranti",
           vilkar={"kjopesum": "900000.00", "prosent": 95, "maks_belop": "950000.00", "varighet_maneder": 36}),
        {"cmd": "sats", "dato": "2025-07-01", "belop_per_innbygger_per_ar": "872.40"},
    ]
    return h


LISTETALL = {"001": 1180, "002": 1150, "003": 940, "004": 1210, "005": 1490, "006": 1020, "008": 870,
             "009": 1100, "010": 520, "011": 1300, "012": 1240}


def kommandoer() -> list[dict[str, Any]]:
    """The whole history, in date order (the ledger refuses dates that go backwards per hjemmel)."""
    maned: list[dict[str, Any]] = []
    forste = date(2025, 1, 1)
    while forste <= SLUTT:
        for nr, antall in LISTETALL.items():
            vekst = (forste.year - 2025) * 12 + forste.month
            maned.append(_c("listetall", f"{K}-{nr}", forste.isoformat(), antall=antall + vekst * 3))
        forste = add_months(forste, 1)
    hendelser = sorted(_hendelser() + maned, key=lambda c: c["dato"])
    return _grunnlag() + hendelser


# Steps the ledger must refuse, each naming its rule and clause.
AVVIST: list[dict[str, Any]] = [
    _c("hjemfall", "1149-008", "2026-11-02"),  # D9: not six months after the end, no three announcements
    _c("trekk_vedtatt", "1149-001", "2026-11-02", sak_id="S-001-9", prosent=25),  # §15: no sak
    _c("tilbud_akseptert", "1149-011", "2026-11-02", tilbud_id="T-011-9"),  # §5.5: never offered
    _c("oppsigelse", "1149-001", "2026-11-02", fra="kommune"),  # D2: no reason given
]
