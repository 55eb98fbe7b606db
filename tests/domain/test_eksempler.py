"""The worked examples of domain.md §9 (E1–E8, E10, E11, E16) with their exact dates and values."""
from __future__ import annotations

from datetime import date

import pytest

from hjemmel.domain.regler import Regler
from tests.builders import (
    aktiv, avtale_inngatt, betalinger, forhold_rettet, frist, funn, given, heving, hjemfall, klage, lege,
    listetall, nemnd_avgjort, nemnd_begjaert, nemnd_medvirkning_nektet, opprett, oppsagt, oppsigelse, pris_avtalt,
    rejected, sats, skriftlig_advarsel, state, status, tilbud, tilbud_akseptert, tilbud_gitt, tilbud_mottatt,
    tilbud_trukket, tiltredelse, trekk_vedtatt, utlysning, utlysning_avsluttet, uttalelse_anmodet, uttalelse_mottatt,
    varsel_om_retting, when, driftsutgifter,
)

# ====================================================================================================
# E1 — Notice in mid-month (D1, D9, S1); hjemmel 1149-017, holder L-100
# ====================================================================================================

E1 = [*aktiv(), oppsigelse("2024-03-15", fra="lege")]
E1_AKSEPTERT = [*E1, *tilbud_gitt(), tilbud_mottatt("2024-04-23"), tilbud_akseptert("2024-04-30")]


def test_e1_opphorsdato_sondag_flyttes_ikke() -> None:
    """E1, D1, ASA 4310 §16 (1): 2024-03-15 + 6 mo = 2024-09-15 (a Sunday; a period end is not moved)."""
    assert status(given(*E1), "2024-03-15")["opphorsdato"] == "2024-09-15"


def test_e1_hjemfall_tidligst_lordag_flyttes_ikke() -> None:
    """E1, D9, ASA 4310 §5.8 (1): hjemfall_tidligst = 2024-09-15 + 6 mo = 2025-03-15 (a Saturday; not moved)."""
    assert [f["dato"] for f in frist(given(*E1), "2024-03-15", "hjemfall_tidligst")] == ["2025-03-15"]


@pytest.mark.parametrize("as_of, forventet", [("2024-09-14", "OPPSAGT"), ("2024-09-15", "LEDIG")])
def test_e1_status_rundt_opphorsdato(as_of: str, forventet: str) -> None:
    """E1, S1: OPPSAGT as of 2024-09-14; LEDIG as of 2024-09-15."""
    assert status(given(*E1), as_of)["status"] == forventet


def test_e1_tiltredelse_pa_opphorsdato_avvises() -> None:
    """E1, S1: a tiltredelse dated 2024-09-15 is rejected avtale_lopende."""
    assert rejected(given(*E1_AKSEPTERT), tiltredelse("2024-09-15")).kode == "avtale_lopende"


def test_e1_tiltredelse_dagen_etter_godtas() -> None:
    """E1, S1: dated 2024-09-16 the tiltredelse can be accepted."""
    assert type(when(given(*E1_AKSEPTERT), tiltredelse("2024-09-16"))).__name__ == "NyLegeTiltradt"


@pytest.mark.parametrize("kode, dato, tilstand", [
    ("opphor_oppsigelse", "2024-09-15", "overholdt"),
    ("hjemfall_tidligst", "2025-03-15", "apen"),
])
def test_e1_frister_per_2024_10_01(kode: str, dato: str, tilstand: str) -> None:
    """E1, §3.2, S5: `frister --as-of 2024-10-01`."""
    [f] = frist(given(*E1), "2024-10-01", kode)
    assert (f["dato"], f["tilstand"]) == (dato, tilstand)


def test_e1_d1_alternativ() -> None:
    """E1, D1 alternative `fra_forste_neste_maned`: the opphorsdato would be 2024-09-30."""
    r = Regler(opphor_oppsigelse_regel="fra_forste_neste_maned")
    assert state(given(*E1, regler=r), "2024-03-15", regler=r).opphorsdato.isoformat() == "2024-09-30"


# ====================================================================================================
# E2 — Notice on the 31st: clipping, and clipping again (D1, D9); hjemmel 1149-018
# ====================================================================================================

E2 = [*aktiv("1149-018"), oppsigelse("2024-08-31", "1149-018", fra="lege")]


def test_e2_oppsigelse_pa_lordag_godtas() -> None:
    """E2: the notice was received on a Saturday; the dato of a command may be any day."""
    assert type(when(given(*aktiv("1149-018")), oppsigelse("2024-08-31", "1149-018"))).__name__ == "OppsigelseMottatt"


def test_e2_opphorsdato_klippes() -> None:
    """E2, D1: 2024-08-31 + 6 mo -> February 2025 has no 31st -> 2025-02-28."""
    assert status(given(*E2), "2024-08-31")["opphorsdato"] == "2025-02-28"


def test_e2_hjemfall_tidligst_forankret_i_klippet_opphorsdato() -> None:
    """E2, D9, §3.3: hjemfall_tidligst = 2025-02-28 + 6 mo = 2025-08-28 (not 2025-08-31)."""
    assert [f["dato"] for f in frist(given(*E2), "2024-08-31", "hjemfall_tidligst")] == ["2025-08-28"]


def test_e2_d9_alternativ() -> None:
    """E2, D9 alternative `oppsigelsesdato_pluss_12`: hjemfall_tidligst 2025-08-31."""
    r = Regler(hjemfall_anker="oppsigelsesdato_pluss_12")
    h = state(given(*E2, regler=r), "2024-08-31", regler=r)
    assert [f.dato.isoformat() for f in h.frister if f.kode == "hjemfall_tidligst"] == ["2025-08-31"]


# ====================================================================================================
# E11 / E3 — hjemmel 1103-042, fratredende L-150, overtakende L-300
# ====================================================================================================

K42 = "1103-042"
L150 = lege("L-150", "Fratredende Lege", "1962-03-03")
L300 = lege("L-300", "Ola Hansen", "1988-10-03")
E11_START = [
    sats("2023-07-01"),
    opprett("2024-12-02", K42), avtale_inngatt("2024-12-02", K42, lege_=L150), listetall("2025-01-01", 1200, K42),
    oppsigelse("2025-01-20", K42, fra="lege"),
    utlysning("2025-02-03", "U1", K42, soknadsfrist="2025-03-03", prisantydning="600000.00"),
    tilbud("2025-04-24", "T-1", K42, lege_=L300), tilbud_mottatt("2025-04-24", "T-1", K42),
]
E3 = [*E11_START, utlysning_avsluttet("2025-04-25", "U1", "tilbud", K42)]
E11_AKSEPTERT = [*E3, tilbud_akseptert("2025-05-20", "T-1", K42)]
E11_NEMND = [*E11_AKSEPTERT, nemnd_begjaert("2025-06-02", "overdragelsespris", "fratredende", K42)]
E11_TILTRADT = [*E11_NEMND, tiltredelse("2025-08-01", "T-1", K42)]
E11 = [*E11_TILTRADT, nemnd_avgjort("2025-10-15", "520000.00", K42)]


@pytest.mark.parametrize("kode, dato", [
    pytest.param("akseptfrist", "2025-05-30", id="akseptfrist D6: 2025-05-29 Ascension -> 05-30"),
    pytest.param("prisfrist", "2025-05-30", id="prisfrist D7: 2025-05-29 Ascension -> 05-30"),
    pytest.param("klagefrist", "2025-05-15", id="klagefrist D13: Thursday, not moved"),
])
def test_e3_frister(kode: str, dato: str) -> None:
    """E3, D6, D7, D13, D14: the frister of tilbud T-1 given and received on 2025-04-24."""
    assert [f["dato"] for f in frist(given(*E3), "2025-04-25", kode, K42)] == [dato]


def test_e3_tilbud_trukket_pa_akseptfrist_avvises() -> None:
    """E3, D6: tilbud_trukket dated 2025-05-30 -> akseptfrist_ikke_utlopt."""
    assert rejected(given(*E3), tilbud_trukket("2025-05-30", "T-1", K42)).kode == "akseptfrist_ikke_utlopt"


def test_e3_tilbud_trukket_dagen_etter_godtas() -> None:
    """E3, D6: dated 2025-05-31 the withdrawal is accepted."""
    assert type(when(given(*E3), tilbud_trukket("2025-05-31", "T-1", K42))).__name__ == "TilbudTrukket"


def test_e3_nemnd_pa_prisfrist_avvises() -> None:
    """E3, D7: nemnd_begjaert (overdragelsespris) dated 2025-05-30 -> prisfrist_ikke_utlopt."""
    assert rejected(given(*E3), nemnd_begjaert("2025-05-30", hjemmel=K42)).kode == "prisfrist_ikke_utlopt"


def test_e3_nemnd_dagen_etter_prisfrist_godtas() -> None:
    """E3, D7: dated 2025-05-31 the request is accepted."""
    assert type(when(given(*E3), nemnd_begjaert("2025-05-31", hjemmel=K42))).__name__ == "NemndBegjaert"


def test_e11_opphorsdato_og_hjemfall_tidligst() -> None:
    """E11, D1, D9: opphorsdato 2025-07-20 (Sunday), hjemfall_tidligst 2026-01-20."""
    s = given(*E11_START)
    assert (status(s, "2025-01-20", K42)["opphorsdato"],
            [f["dato"] for f in frist(s, "2025-01-20", "hjemfall_tidligst", K42)]) == ("2025-07-20", ["2026-01-20"])


def test_e11_utlysning_er_korrekt() -> None:
    """E11, D4: U1 2025-02-03 with soknadsfrist 2025-03-03 (28 d) is korrekt (no utlysning_ikke_korrekt)."""
    assert funn(given(*E11_START), "2025-04-24", K42, "utlysning_ikke_korrekt") == []


def test_e11_akseptert() -> None:
    """E11: 2025-05-20 tilbud_akseptert -> TILBUD_AKSEPTERT."""
    assert status(given(*E11_AKSEPTERT), "2025-05-20", K42)["tildeling"] == "TILBUD_AKSEPTERT"


def test_e11_akseptfrist_overholdt() -> None:
    """E11, §3.2: akseptfrist `overholdt` (accepted 2025-05-20, frist 2025-05-30)."""
    [f] = frist(given(*E11_AKSEPTERT), "2025-06-30", "akseptfrist", K42)
    assert f["tilstand"] == "overholdt"


def test_e11_i_nemnd() -> None:
    """E11: 2025-06-02 nemnd_begjaert overdragelsespris by the fratredende -> I_NEMND."""
    assert status(given(*E11_NEMND), "2025-06-02", K42)["tildeling"] == "I_NEMND"


def test_e11_prisfrist_oversittet() -> None:
    """E11, §3.2: prisfrist `oversittet` (no price by 2025-05-30)."""
    [f] = frist(given(*E11_NEMND), "2025-06-02", "prisfrist", K42)
    assert f["tilstand"] == "oversittet"


def test_e11_tiltredelse_under_nemndsak() -> None:
    """E11, S8: 2025-08-01 tiltredelse -> AKTIV (L-300); tildeling stays I_NEMND."""
    svar = status(given(*E11_TILTRADT), "2025-08-01", K42)
    assert (svar["status"], svar["lege"]["id"], svar["tildeling"]) == ("AKTIV", "L-300", "I_NEMND")


def test_e11_nemnd_avgjort() -> None:
    """E11: 2025-10-15 nemnd_avgjort 520000.00 -> PRIS_FASTSATT."""
    assert status(given(*E11), "2025-10-15", K42)["tildeling"] == "PRIS_FASTSATT"


def test_e11_overdragelsespris_forfaller_ved_tiltredelse() -> None:
    """E11, D16, S18: overdragelsespris 520000.00 from lege:L-300 to lege:L-150, forfall 2025-08-01 (already due)."""
    [b] = betalinger(given(*E11), "2025-10-15", K42, "overdragelsespris")
    assert (b["belop"], b["betaler"], b["mottaker"], b["forfall"], b["periode"]) == \
        ("520000.00", "lege:L-300", "lege:L-150", "2025-08-01", None)


def test_e11_ingen_overdragelsespris_for_avgjorelsen() -> None:
    """E11, §4.1: as of 2025-09-01 no overdragelsespris row exists yet."""
    assert betalinger(given(*E11), "2025-09-01", K42, "overdragelsespris") == []


@pytest.mark.parametrize("periode, mottaker", [("2025-07", "lege:L-150"), ("2025-08", "lege:L-300")])
def test_e11_basistilskudd_mottaker(periode: str, mottaker: str) -> None:
    """E11, D11: July 2025 to L-150 (holder on 1 July); August 2025 to L-300 (the avtale starts on the 1st)."""
    rader = [b for b in betalinger(given(*E11), "2025-10-15", K42, "basistilskudd") if b["periode"] == periode]
    assert [(b["mottaker"], b["belop"]) for b in rader] == [(mottaker, "84180.00")]


def test_e11_driftsutgifter_juli_godtas() -> None:
    """E11, D10, S20: the ledighetsperiode is 2025-07-21 … 2025-07-31, so periode 2025-07 is accepted."""
    ny = when(given(*E11_TILTRADT), driftsutgifter("2025-08-04", "2025-07", hjemmel=K42))
    assert type(ny).__name__ == "DriftsutgifterDokumentert"


def test_e11_driftsutgifter_august_avvises() -> None:
    """E11, D10: the ledighetsperiode ends the day before the tiltredelse 2025-08-01, so 2025-08 is outside."""
    avvist = rejected(given(*E11_TILTRADT), driftsutgifter("2025-09-04", "2025-08", hjemmel=K42))
    assert avvist.kode == "utenfor_ledighetsperiode"


E11_OVERTAKENDE_NEKTER = [*E11_NEMND, nemnd_medvirkning_nektet("2025-07-01", "overtakende", K42)]


def test_e11_variant_overtakende_nekter_gir_ingen() -> None:
    """E11 variant, D8: L-300 refuses (2025-07-01) -> T-1 ends, tildeling INGEN."""
    assert status(given(*E11_OVERTAKENDE_NEKTER), "2025-07-01", K42)["tildeling"] == "INGEN"


def test_e11_variant_overtakende_nekter_gir_funn() -> None:
    """E11 variant, §5: finding medvirkning_nektet."""
    assert len(funn(given(*E11_OVERTAKENDE_NEKTER), "2025-07-01", K42, "medvirkning_nektet")) == 1


def test_e11_variant_overtakende_nekter_neste_soker_fra_u1() -> None:
    """E11 variant: U1 was closed with utfall tilbud, so the kommune may offer the hjemmel to the next applicant."""
    ny = when(given(*E11_OVERTAKENDE_NEKTER), tilbud("2025-07-02", "T-2", K42, lege_=lege("L-301", fodselsdato="1985-01-01")))
    assert type(ny).__name__ == "TilbudGitt"


def test_e11_variant_overtakende_nekter_ledigheten_fortsetter() -> None:
    """E11 variant: the vacancy continues (LEDIG after 2025-07-20, no holder)."""
    svar = status(given(*E11_OVERTAKENDE_NEKTER), "2025-07-21", K42)
    assert (svar["status"], svar["lege"]) == ("LEDIG", None)


E11_FRATREDENDE_NEKTER = [*E11_NEMND, nemnd_medvirkning_nektet("2025-07-01", "fratredende", K42)]


def test_e11_variant_fratredende_nekter_faller_tilbake() -> None:
    """E11 variant, D8: L-150 refuses -> tildeling falls back to TILBUD_AKSEPTERT."""
    assert status(given(*E11_FRATREDENDE_NEKTER), "2025-07-01", K42)["tildeling"] == "TILBUD_AKSEPTERT"


def test_e11_variant_fratredende_nekter_ingen_overdragelsespris() -> None:
    """E11 variant, D8, D16: the right is lost, so no overdragelsespris ever appears (price: ingen_overdragelsesrett)."""
    s = given(*E11_FRATREDENDE_NEKTER, tiltredelse("2025-08-01", "T-1", K42))
    assert rejected(s, pris_avtalt("2025-08-02", "500000.00", K42)).kode == "ingen_overdragelsesrett"


# ====================================================================================================
# E4 — A frist landing on Christmas Day 2024 (D13, D14); hjemmel 1149-024
# ====================================================================================================

K24 = "1149-024"


def _e4(trekk_dato: str) -> list:
    return given(*aktiv(K24), uttalelse_anmodet("2024-10-01", "S-2", "2024-10-15", K24),
                 varsel_om_retting("2024-10-16", "S-2", "2024-11-01", K24), skriftlig_advarsel("2024-11-04", "S-2", K24),
                 trekk_vedtatt(trekk_dato, "S-2", 10, K24))


@pytest.mark.parametrize("trekk_dato, klagefrist", [
    pytest.param("2024-12-04", "2024-12-27", id="12-25 1. juledag -> 12-26 2. juledag -> 12-27"),
    pytest.param("2024-12-03", "2024-12-24", id="julaften is a working day"),
])
def test_e4_klagefrist_for_trekk(trekk_dato: str, klagefrist: str) -> None:
    """E4, D13, D14, fvl §29: klagefrist = vedtak dato + 21 d, moved past Christmas (but not past julaften)."""
    assert [f["dato"] for f in frist(_e4(trekk_dato), trekk_dato, "klagefrist", K24)] == [klagefrist]


def test_e4_akseptfrist_pa_juledag() -> None:
    """E4, D6, D14: tilbud 2024-11-20 + 35 d = 2024-12-25 -> 2024-12-27."""
    s = given(*oppsagt(), utlysning("2024-10-14", "U1"), tilbud("2024-11-20"))
    assert [f["dato"] for f in frist(s, "2024-11-20", "akseptfrist")] == ["2024-12-27"]


# ====================================================================================================
# E5 / E6 — the §15 chain, basistilskudd and trekk (D11, D12, D13, S13); hjemmel 1149-023, holder L-200
# ====================================================================================================

K23 = "1149-023"
E6_START = [sats("2023-07-01"), opprett("2024-01-02", K23),
            avtale_inngatt("2024-01-02", K23, lege_=lege("L-200", "Lege To", "1970-04-04")),
            listetall("2024-09-01", 1200, K23)]
E6_SAK = [*E6_START, uttalelse_anmodet("2024-09-02", "S-1", "2024-09-16", K23)]
E6_VARSLET = [*E6_SAK, uttalelse_mottatt("2024-09-12", "S-1", K23),
              varsel_om_retting("2024-09-20", "S-1", "2024-10-18", K23)]
E6_ADVART = [*E6_VARSLET, skriftlig_advarsel("2024-10-21", "S-1", K23)]
E6_TREKK = [*E6_ADVART, trekk_vedtatt("2024-10-25", "S-1", 20, K23)]
E6 = [*E6_TREKK, klage("2024-11-18", "S-1", "trekk", K23), forhold_rettet("2025-01-08", "S-1", K23)]


@pytest.mark.parametrize("historikk, as_of, korrigering", [
    pytest.param(E6_SAK, "2024-09-02", "UTTALELSE_ANMODET", id="2024-09-02 uttalelse_anmodet"),
    pytest.param(E6_VARSLET, "2024-09-20", "VARSLET", id="2024-09-20 varsel_om_retting"),
    pytest.param(E6_ADVART, "2024-10-21", "ADVART", id="2024-10-21 skriftlig_advarsel"),
    pytest.param(E6_TREKK, "2024-10-25", "TREKK", id="2024-10-25 trekk_vedtatt 20"),
    pytest.param(E6, "2025-01-08", "RETTET", id="2025-01-08 forhold_rettet"),
])
def test_e6_korrigering(historikk: list, as_of: str, korrigering: str) -> None:
    """E6, §2.6, §15: the korrigering region after each accepted step."""
    assert status(given(*historikk), as_of, K23)["korrigering"] == korrigering


@pytest.mark.parametrize("historikk, kommando, kode, klausul", [
    pytest.param(E6_VARSLET, skriftlig_advarsel("2024-10-18", "S-1", K23), "rettefrist_ikke_utlopt",
                 "ASA 4310 §15 (1)–(2)", id="2024-10-18 skriftlig_advarsel -> rettefrist_ikke_utlopt"),
    pytest.param(E6_ADVART, trekk_vedtatt("2024-10-21", "S-1", 20, K23), "trekk_for_tidlig", "ASA 4310 §15 (3)",
                 id="2024-10-21 trekk_vedtatt -> trekk_for_tidlig"),
    pytest.param(E6_ADVART, trekk_vedtatt("2024-10-25", "S-1", 25, K23), "trekk_over_20_prosent", "ASA 4310 §15 (3)",
                 id="2024-10-25 trekk 25 -> trekk_over_20_prosent"),
])
def test_e6_avvisninger(historikk: list, kommando: dict, kode: str, klausul: str) -> None:
    """E6, D12: the rejected steps of the chain."""
    avvist = rejected(given(*historikk), kommando)
    assert (avvist.kode, avvist.hjemmel_i_avtalen) == (kode, klausul)


def test_e6_klagefrist() -> None:
    """E6, D13: klagefrist 2024-10-25 + 21 d = 2024-11-15 (Friday)."""
    assert [f["dato"] for f in frist(given(*E6_TREKK), "2024-10-25", "klagefrist", K23)] == ["2024-11-15"]


def test_e6_sen_klage_lagres_med_funn() -> None:
    """E6, D13, fvl §31: the klage of 2024-11-18 is stored with finding klage_for_sent (3 days late)."""
    [f] = funn(given(*E6), "2024-11-18", K23, "klage_for_sent")
    assert f["dato"] == "2024-11-18"


@pytest.mark.parametrize("kode, tilstand", [
    ("svarfrist_uttalelse", "overholdt"), ("rettefrist", "oversittet"), ("klagefrist", "oversittet"),
])
def test_e6_frister_per_2025_01_31(kode: str, tilstand: str) -> None:
    """E6, §3.2: `frister --as-of 2025-01-31`."""
    [f] = frist(given(*E6), "2025-01-31", kode, K23)
    assert f["tilstand"] == tilstand


@pytest.mark.parametrize("periode, trekk", [
    pytest.param("2024-10", [], id="2024-10 forfall before the trekk dato"),
    pytest.param("2024-11", ["-16836.00"], id="2024-11 trekked"),
    pytest.param("2024-12", ["-16836.00"], id="2024-12 trekked"),
    pytest.param("2025-01", [], id="2025-01 forfall not before the retting dato"),
])
def test_e6_trekk_per_maned(periode: str, trekk: list) -> None:
    """E6, D12, ASA 4310 §15 (3): trekk applies when trekk dato < forfall < retting dato."""
    rader = [b["belop"] for b in betalinger(given(*E6), "2025-01-31", K23, "trekk") if b["periode"] == periode]
    assert rader == trekk


def test_e5_basistilskudd_og_trekk_samme_maned() -> None:
    """E5, D11, D12: B = 1200 × 841.80 / 12 = 84180.00; T = −16836.00; same periode and forfall (the 12th)."""
    rader = [(b["type"], b["belop"], b["forfall"]) for b in betalinger(given(*E6), "2025-01-31", K23)
             if b["periode"] == "2024-11" and b["type"] in ("basistilskudd", "trekk")]
    assert rader == [("basistilskudd", "84180.00", "2024-11-12"), ("trekk", "-16836.00", "2024-11-12")]


def test_e6_tilbakebetaling() -> None:
    """E6, D12, ASA 4310 §15 (7): tilbakebetaling_trekk 33672.00, forfall 2025-01-12 (Sunday; not moved)."""
    [b] = betalinger(given(*E6), "2025-01-31", K23, "tilbakebetaling_trekk")
    assert (b["belop"], b["forfall"], b["mottaker"]) == ("33672.00", "2025-01-12", "lege:L-200")


# ====================================================================================================
# E7 — Counting utlysninger and the earliest hjemfall (D4, D5, D9); E8 — a 20-day window
# ====================================================================================================

E7_TIL_U3 = [
    *E1,
    utlysning("2024-03-20", "U1", soknadsfrist="2024-04-15"),
    utlysning_avsluttet("2024-04-22", "U1", "ingen_sokere"),
    utlysning("2024-05-06", "U2", soknadsfrist="2024-05-27"),
    utlysning_avsluttet("2024-06-03", "U2", "ingen_kvalifisert_villig"),
    utlysning("2024-09-02", "U3", soknadsfrist="2024-09-22"),
    utlysning_avsluttet("2024-09-30", "U3", "ingen_sokere"),
]
E7 = [*E7_TIL_U3, utlysning("2024-10-07", "U4", soknadsfrist="2024-11-04"),
      utlysning_avsluttet("2024-11-11", "U4", "ingen_sokere")]


@pytest.mark.parametrize("antall_steg, as_of, teller", [
    pytest.param(len(E1) + 2, "2024-04-22", 1, id="U1 26 d closed ingen_sokere -> 1"),
    pytest.param(len(E1) + 4, "2024-06-03", 2, id="U2 exactly 21 d closed -> 2"),
    pytest.param(len(E1) + 6, "2024-09-30", 2, id="U3 20 d not counted -> 2"),
    pytest.param(len(E7), "2024-11-11", 3, id="U4 28 d closed -> 3"),
])
def test_e7_telling(antall_steg: int, as_of: str, teller: int) -> None:
    """E7, D4, D5: korrekte_utlysninger_uten_resultat after each closing."""
    assert status(given(*E7[:antall_steg]), as_of)["korrekte_utlysninger_uten_resultat"] == teller


def test_e7_hjemfall_dagen_for_tidligst_avvises() -> None:
    """E7, D9: hjemfall 2025-03-14 -> hjemfall_vilkar_ikke_oppfylt (ASA 4310 §5.8), before hjemfall_tidligst 2025-03-15."""
    avvist = rejected(given(*E7), hjemfall("2025-03-14"))
    assert (avvist.kode, avvist.hjemmel_i_avtalen, "2025-03-15" in avvist.melding) == \
        ("hjemfall_vilkar_ikke_oppfylt", "ASA 4310 §5.8", True)


@pytest.mark.parametrize("dato", [
    pytest.param("2025-03-15", id="on hjemfall_tidligst, a Saturday (D9 compares dates only)"),
    pytest.param("2025-03-17", id="2025-03-17"),
])
def test_e7_hjemfall_godtas(dato: str) -> None:
    """E7, D9: hjemfall accepted -> HJEMFALT."""
    assert status(given(*E7, hjemfall(dato)), dato)["status"] == "HJEMFALT"


def test_e7_hjemfall_med_to_mangler() -> None:
    """E7, D9: a hjemfall dated 2024-10-01 lists two unmet conditions: dato before 2025-03-15, and only 2 counted."""
    melding = rejected(given(*E7_TIL_U3), hjemfall("2024-10-01")).melding
    deler = [d for d in melding.split(":", 1)[1].split(";") if d.strip()]
    assert (len(deler), any("2025-03-15" in d for d in deler), any("2" in d and "2025" not in d for d in deler)) == \
        (2, True, True)


def test_e7_status_per_2024_10_01() -> None:
    """E7: `status --as-of 2024-10-01`: LEDIG, tildeling INGEN, count 2, opphorsdato 2024-09-15."""
    svar = status(given(*E7_TIL_U3), "2024-10-01")
    assert (svar["status"], svar["tildeling"], svar["korrekte_utlysninger_uten_resultat"], svar["opphorsdato"]) == \
        ("LEDIG", "INGEN", 2, "2024-09-15")


E8_U3 = dict(soknadsfrist="2024-09-22", kanal="nasjonal portal", lokalisering="Eksempel legesenter", listelengde=1200,
             organiseringsform="gruppe", praksistype="naeringsdrift", prisantydning="450000.00")


def test_e8_utlysning_lagres() -> None:
    """E8, interface §1: the 20-day utlysning is accepted and stored (HjemmelUtlyst): it is a fact."""
    assert type(when(given(*E1), utlysning("2024-09-02", "U3", **E8_U3))).__name__ == "HjemmelUtlyst"


def test_e8_funn_soknadsfrist_under_21_dager() -> None:
    """E8, D4, ASA 4310 §5.4: finding utlysning_ikke_korrekt with melding soknadsfrist_under_21_dager only."""
    [f] = funn(given(*E1, utlysning("2024-09-02", "U3", **E8_U3)), "2024-09-02", kode="utlysning_ikke_korrekt")
    assert (f["hjemmel_i_avtalen"], "soknadsfrist_under_21_dager" in f["melding"], "mangler_" in f["melding"]) == \
        ("ASA 4310 §5.4", True, False)


def test_e8_tidligste_korrekte_soknadsfrist() -> None:
    """E8, D4: the earliest korrekt soknadsfrist was 2024-09-23 (21 days)."""
    s = given(*E1, utlysning("2024-09-02", "U3", **{**E8_U3, "soknadsfrist": "2024-09-23"}))
    assert funn(s, "2024-09-02", kode="utlysning_ikke_korrekt") == []


def test_e8_soknadsfrist_flyttes_ikke() -> None:
    """E8, D14: the stated soknadsfrist is a Sunday; explicit dates are never moved."""
    s = given(*E1, utlysning("2024-09-02", "U3", **E8_U3))
    assert [f["dato"] for f in frist(s, "2024-09-02", "soknadsfrist")] == ["2024-09-22"]


def test_e8_uten_kanal_ogsa_mangler_kanal() -> None:
    """E8, D4: had kanal been null, the melding would also list mangler_kanal."""
    s = given(*E1, utlysning("2024-09-02", "U3", **{**E8_U3, "kanal": None}))
    [f] = funn(s, "2024-09-02", kode="utlysning_ikke_korrekt")
    assert ("soknadsfrist_under_21_dager" in f["melding"], "mangler_kanal" in f["melding"]) == (True, True)


def test_e8_uten_prisantydning_samme_melding() -> None:
    """E8, D4: had prisantydning been null, the utlysning_ikke_korrekt melding would not change."""
    med_pris = funn(given(*E1, utlysning("2024-09-02", "U3", **E8_U3)), "2024-09-02", kode="utlysning_ikke_korrekt")
    uten_pris = funn(given(*E1, utlysning("2024-09-02", "U3", **{**E8_U3, "prisantydning": None})), "2024-09-02",
                     kode="utlysning_ikke_korrekt")
    assert [f["melding"] for f in uten_pris] == [f["melding"] for f in med_pris]


def test_e8_uten_prisantydning_gir_prisantydning_mangler() -> None:
    """E8, D4, ASA 4310 §5.4 (3): L-100 holds the right, so the separate finding prisantydning_mangler appears."""
    s = given(*E1, utlysning("2024-09-02", "U3", **{**E8_U3, "prisantydning": None}))
    [f] = funn(s, "2024-09-02", kode="prisantydning_mangler")
    assert f["hjemmel_i_avtalen"] == "ASA 4310 §5.4 (3)"


def test_e8_korrekt_utlysning_uten_prisantydning_telles() -> None:
    """E8, D4, D5: an otherwise korrekt utlysning without prisantydning still counts under D5."""
    s = given(*E1, utlysning("2024-09-02", "U3", **{**E8_U3, "soknadsfrist": "2024-09-30", "prisantydning": None}),
              utlysning_avsluttet("2024-10-01", "U3", "ingen_sokere"))
    assert status(s, "2024-10-01")["korrekte_utlysninger_uten_resultat"] == 1


# ====================================================================================================
# E10 — Age 70 for a lege born on 29 February (D3, S4, S28); hjemmel 1149-040, holder L-700
# ====================================================================================================

K40 = "1149-040"
L700 = lege("L-700", "Leif Skudd", "1956-02-29")
E10 = [sats("2023-07-01"), opprett("2001-03-01", K40), avtale_inngatt("2001-03-01", K40, lege_=L700),
       listetall("2025-08-01", 1200, K40)]
E10_AKSEPTERT = [*E10, utlysning("2025-09-01", "U1", K40, soknadsfrist="2025-09-29"), tilbud("2025-10-06", "T-1", K40),
                 utlysning_avsluttet("2025-10-06", "U1", "tilbud", K40), tilbud_mottatt("2025-10-07", "T-1", K40),
                 tilbud_akseptert("2025-10-08", "T-1", K40)]


@pytest.mark.parametrize("as_of", ["2025-08-27", "2025-08-28", "2026-03-01"])
def test_e10_opphor_alder_70_hele_tiden(as_of: str) -> None:
    """E10, D3, §3.1: 70th birthday in a common year -> 2026-02-28; the frist shows it throughout."""
    assert [f["dato"] for f in frist(given(*E10), as_of, "opphor_alder_70", K40)] == ["2026-02-28"]


@pytest.mark.parametrize("as_of, opphorsdato", [
    pytest.param("2025-08-27", None, id="null before the window"),
    pytest.param("2025-08-28", "2026-02-28", id="the birthday once the window opens"),
])
def test_e10_status_opphorsdato(as_of: str, opphorsdato: str | None) -> None:
    """E10, S28: status.opphorsdato is null as of 2025-08-27 and 2026-02-28 as of 2025-08-28."""
    assert status(given(*E10), as_of, K40)["opphorsdato"] == opphorsdato


def test_e10_utlysning_for_vinduet_lagres_men_er_ikke_korrekt() -> None:
    """E10, S4, S22: an utlysning dated 2025-08-25 is stored but not korrekt (ikke_for_gjeldende_ledighet)."""
    s = given(*E10, utlysning("2025-08-25", "U0", K40, soknadsfrist="2025-09-22"))
    [f] = funn(s, "2025-08-25", K40, "utlysning_ikke_korrekt")
    assert "ikke_for_gjeldende_ledighet" in f["melding"]


def test_e10_utlysning_i_vinduet_er_korrekt() -> None:
    """E10, S4, D4: one dated 2025-09-01 with ≥ 21 days can be korrekt."""
    s = given(*E10, utlysning("2025-09-01", "U1", K40, soknadsfrist="2025-09-29"))
    assert funn(s, "2025-09-01", K40, "utlysning_ikke_korrekt") == []


def test_e10_utlysning_pa_vindusstart_er_korrekt() -> None:
    """S4, D4: the window start 2025-08-28 is the vacancy start, so an utlysning that day is for the current vacancy."""
    s = given(*E10, utlysning("2025-08-28", "U1", K40))
    assert funn(s, "2025-08-28", K40, "utlysning_ikke_korrekt") == []


def test_e10_tilbud_for_vinduet_avvises() -> None:
    """E10, S4, §2.8: a tilbud dated before 2025-08-28 -> hjemmel_ikke_ledig (ASA 4310 §5.5)."""
    s = given(*E10, utlysning("2025-08-25", "U0", K40, soknadsfrist="2025-09-22"))
    avvist = rejected(s, tilbud("2025-08-27", "T-1", K40))
    assert (avvist.kode, avvist.hjemmel_i_avtalen) == ("hjemmel_ikke_ledig", "ASA 4310 §5.5")


def test_e10_tilbud_i_vinduet_godtas() -> None:
    """S4, §2.8 tilbud: ✓ in the age-70 window (from 2025-08-28)."""
    s = given(*E10, utlysning("2025-08-25", "U0", K40, soknadsfrist="2025-09-22"))
    assert type(when(s, tilbud("2025-08-28", "T-1", K40))).__name__ == "TilbudGitt"


@pytest.mark.parametrize("as_of, forventet", [("2026-02-27", "AKTIV"), ("2026-02-28", "LEDIG")])
def test_e10_status_rundt_70_arsdagen(as_of: str, forventet: str) -> None:
    """E10, S1: AKTIV as of 2026-02-27; LEDIG as of 2026-02-28."""
    assert status(given(*E10), as_of, K40)["status"] == forventet


def test_e10_tiltredelse_pa_fodselsdagen_avvises() -> None:
    """E10, §2.8 tiltredelse in AKTIV with the previous holder: avtale_lopende (earliest tiltredelse 2026-03-01)."""
    assert rejected(given(*E10_AKSEPTERT), tiltredelse("2026-02-28", "T-1", K40)).kode == "avtale_lopende"


def test_e10_tidligste_tiltredelse() -> None:
    """E10: earliest tiltredelse 2026-03-01."""
    assert type(when(given(*E10_AKSEPTERT), tiltredelse("2026-03-01", "T-1", K40))).__name__ == "NyLegeTiltradt"


def test_e10_hjemfall_tidligst() -> None:
    """E10, S2, D9: hjemfall_tidligst 2026-08-28."""
    gjeldende = [f["dato"] for f in frist(given(*E10), "2026-03-01", "hjemfall_tidligst", K40)
                 if f["tilstand"] != "bortfalt"]
    assert gjeldende == ["2026-08-28"]


@pytest.mark.parametrize("periode, mottaker", [("2026-02", "lege:L-700"), ("2026-03", "vikar")])
def test_e10_basistilskudd_mottaker(periode: str, mottaker: str) -> None:
    """E10, D11, S1: February 2026 basistilskudd to lege:L-700; March 2026 to vikar (nobody took over)."""
    rader = [b["mottaker"] for b in betalinger(given(*E10), "2026-03-31", K40, "basistilskudd") if b["periode"] == periode]
    assert rader == [mottaker]


def test_e10_oppsigelse_i_vinduet_ender_pa_fodselsdagen() -> None:
    """D1, D3, §2.7 oppsigelse: a notice 2025-09-01 (D1 end 2026-03-01) ends on the earlier 70th birthday 2026-02-28."""
    svar = status(given(*E10, oppsigelse("2025-09-01", K40)), "2025-09-01", K40)
    assert (svar["status"], svar["opphorsdato"]) == ("OPPSAGT", "2026-02-28")


def test_e10_oppsigelse_i_vinduet_beholder_ledigheten() -> None:
    """§2.3, S4: a notice inside the window does not start a new vacancy: the window's counted utlysning stays."""
    s = given(*E10, utlysning("2025-08-28", "U1", K40, soknadsfrist="2025-09-25"),
              utlysning_avsluttet("2025-09-26", "U1", "ingen_sokere", K40), oppsigelse("2025-09-29", K40))
    assert status(s, "2025-09-29", K40)["korrekte_utlysninger_uten_resultat"] == 1


# ====================================================================================================
# E16 — Rejections that protect the lifecycle
# ====================================================================================================

E16_TILBUD_GITT = [*E1, *tilbud_gitt()]
E16_VARSLET = [*aktiv(), uttalelse_anmodet("2024-02-01", "S-1", "2024-02-15"), uttalelse_mottatt("2024-02-10"),
               varsel_om_retting("2024-02-20", "S-1", "2024-03-01")]
E16_ADVART = [*E16_VARSLET, skriftlig_advarsel("2024-03-04")]

_E16_ANY_STATUS = {
    "OPPRETTET": [opprett("2024-01-02")],
    "AKTIV": aktiv(),
    "OPPSAGT": E1,
    "LEDIG": [*E1, heving("2024-05-10")],
}


@pytest.mark.parametrize("historikk", [pytest.param(h, id=k) for k, h in _E16_ANY_STATUS.items()])
def test_e16_tilbud_finnes_ikke_i_alle_statuser(historikk: list) -> None:
    """E16, ASA 4310 §5.5: tilbud_akseptert T-9 (never given) -> tilbud_finnes_ikke, in any state."""
    assert rejected(given(*historikk), tilbud_akseptert("2024-06-03", "T-9")).kode == "tilbud_finnes_ikke"


@pytest.mark.parametrize("historikk, kommando, kode, klausul", [
    pytest.param(E16_TILBUD_GITT, tilbud_akseptert("2024-04-23"), "tilbud_ikke_mottatt", None,
                 id="tilbud_akseptert before tilbud_mottatt (TILBUD_GITT) §5.6"),
    pytest.param(E16_VARSLET, trekk_vedtatt("2024-02-21"), "advarsel_mangler", "ASA 4310 §15 (3)",
                 id="trekk_vedtatt right after varsel_om_retting (VARSLET) §15 (3)"),
    pytest.param(E16_ADVART, trekk_vedtatt("2024-03-04"), "trekk_for_tidlig", "ASA 4310 §15 (3)",
                 id="trekk_vedtatt on the day of the skriftlig_advarsel (ADVART) §15 (3)"),
    pytest.param(aktiv(), oppsigelse("2024-03-15", fra="kommune"), "begrunnelse_mangler", "ASA 4310 §16 (1)",
                 id="oppsigelse fra kommune without begrunnelse (AKTIV) §16 (1)"),
    pytest.param([*E1, heving("2024-05-10")], avtale_inngatt("2024-06-03", lege_=lege("L-400", fodselsdato="1980-01-01")),
                 "krever_tildeling", "ASA 4310 §5.4–§5.6",
                 id="avtale_inngatt on a vacancy after oppsigelse (LEDIG) §5.4–§5.6"),
])
def test_e16(historikk: list, kommando: dict, kode: str, klausul: str | None) -> None:
    """E16: the rejections that protect the lifecycle, with the clause where §2.10 fixes one."""
    avvist = rejected(given(*historikk), kommando)
    assert avvist.kode == kode
    if klausul is not None:
        assert avvist.hjemmel_i_avtalen == klausul


def test_e16_avtale_inngatt_ledig_etter_oppsigelse() -> None:
    """E16: avtale_inngatt on the vacancy after the notice has run out (LEDIG as of 2024-10-01) -> krever_tildeling."""
    assert rejected(given(*E1), avtale_inngatt("2024-10-01", lege_=lege("L-400", fodselsdato="1980-01-01"))).kode \
        == "krever_tildeling"


@pytest.mark.parametrize("lag", [
    pytest.param(lambda: oppsigelse("2030-01-01"), id="oppsigelse"),
    pytest.param(lambda: listetall("2030-01-01"), id="listetall"),
    pytest.param(lambda: utlysning("2030-01-01", "U9"), id="utlysning"),
    pytest.param(lambda: opprett("2030-01-01", "1149-099"), id="opprett_hjemmel"),
    pytest.param(lambda: sats("2030-01-01"), id="sats"),
])
def test_e16_dato_i_fremtiden(lag) -> None:
    """E16: any command with dato 2030-01-01 -> dato_i_fremtiden (clause null)."""
    avvist = rejected(given(*aktiv()), lag())
    assert (avvist.kode, avvist.hjemmel_i_avtalen) == ("dato_i_fremtiden", None)


# ====================================================================================================
# Alternatives named in the examples (each D-rule is a configurable setting, §8 A)
# ====================================================================================================


def test_e3_d6_alternativ_uten_flytting() -> None:
    """E3, D6 alternative `akseptfrist_flyttes = false`: the akseptfrist stays on Ascension Day 2025-05-29."""
    r = Regler(akseptfrist_flyttes=False)
    h = state(given(*E3, regler=r), "2025-04-25", K42, regler=r)
    assert [f.dato.isoformat() for f in h.frister if f.kode == "akseptfrist"] == ["2025-05-29"]


def test_e10_d3_alternativ_mars_01_basistilskudd_mars_til_l700() -> None:
    """E10, D3 alternative `mars_01`: the avtale ends 2026-03-01, so March basistilskudd still goes to L-700 (S1)."""
    from hjemmel.domain.fold import folde_satser
    from hjemmel.projections.betalinger import betalinger as betalinger_view
    r = Regler(skuddarsdag_fodselsdag="mars_01")
    s = given(*E10, regler=r)
    h = state(s, "2026-03-31", K40, regler=r)
    satser = folde_satser([(p, e) for p, e in s if e.hjemmel == "satser"])
    rader = [b["mottaker"] for b in betalinger_view(h, satser, date(2026, 3, 31))
             if b["type"] == "basistilskudd" and b["periode"] == "2026-03"]
    assert rader == ["lege:L-700"]


def test_d4_alternativ_krever_prisantydning() -> None:
    """D4 alternative `utlysning_krever_prisantydning = true`: while L-100 holds the right, a missing prisantydning
    makes the utlysning not korrekt (reason mangler_prisantydning)."""
    r = Regler(utlysning_krever_prisantydning=True)
    h = state(given(*E1, utlysning("2024-03-20", "U1", prisantydning=None), regler=r), "2024-03-20", regler=r)
    [f] = [f for f in h.funn if f.funn == "utlysning_ikke_korrekt"]
    assert "mangler_prisantydning" in f.melding
