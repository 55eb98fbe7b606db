"""`betalinger` (interface §4, domain.md §4, §7): the worked examples E5, E6, E9, E11–E15 to the øre,
and the `--fra/--til` filter of §4.1. Literal command lines in, contract JSON out, on a real ledger."""
from __future__ import annotations

from typing import Any

import pytest

from hjemmel.projections.betalinger import filtrer

from tests.projections.kommandoer import E6, SATS, e6, kjor, lege, opprett, utlysning


def avsluttet(key: str, dato: str, uid: str, utfall: str) -> dict[str, Any]:
    return {"cmd": "utlysning_avsluttet", "hjemmel": key, "dato": dato, "utlysning_id": uid, "utfall": utfall}


def rader(poster: list[dict[str, Any]], type_: str, periode: str | None = "*") -> list[dict[str, Any]]:
    return [p for p in poster if p["type"] == type_ and (periode == "*" or p["periode"] == periode)]


def uten_grunnlag(post: dict[str, Any]) -> dict[str, Any]:
    """`grunnlag` is human-readable text and not parsed (§4.1): compare everything else."""
    assert isinstance(post["grunnlag"], str) and post["grunnlag"]
    return {k: v for k, v in post.items() if k != "grunnlag"}


def manedlig(type_: str, periode: str, mottaker: str, belop: str, klausul: str) -> dict[str, Any]:
    return {"type": type_, "periode": periode, "forfall": f"{periode}-12", "betaler": "kommune",
            "mottaker": mottaker, "belop": belop, "hjemmel_i_avtalen": klausul}


# ---- E5 / E6: basistilskudd, the §15 chain, trekk and repayment ----------------------------------


def test_e5_en_maned_basistilskudd_og_20_prosent_trekk(ledger) -> None:
    """E5, D11, D12 (§8.1, §15 (3)): 1200 × 841.80 / 12 = 84,180.00 and −16,836.00, same periode and forfall."""
    e6(ledger)
    november = [uten_grunnlag(p) for p in ledger.betalinger(E6, "2024-11-30") if p["periode"] == "2024-11"]
    assert november == [
        manedlig("basistilskudd", "2024-11", "lege:L-200", "84180.00", "ASA 4310 §8.1"),
        manedlig("trekk", "2024-11", "lege:L-200", "-16836.00", "ASA 4310 §15 (3)"),
    ]


def test_e6_basistilskudd_hver_maned_til_legen(ledger) -> None:
    """E6, D11 (§8.1): 84,180.00 to lege:L-200 for 2024-09 … 2025-01, forfall the 12th."""
    e6(ledger)
    poster = ledger.betalinger(E6, "2025-01-31")
    assert [uten_grunnlag(p) for p in rader(poster, "basistilskudd")] == [
        manedlig("basistilskudd", m, "lege:L-200", "84180.00", "ASA 4310 §8.1")
        for m in ("2024-09", "2024-10", "2024-11", "2024-12", "2025-01")
    ]


def test_e6_trekk_bare_mellom_trekkvedtak_og_retting(ledger) -> None:
    """E6, D12 (§15 (3)): trekk dato < forfall < retting dato, both strict: 2024-11 and 2024-12 only."""
    e6(ledger)
    poster = ledger.betalinger(E6, "2025-01-31")
    assert [uten_grunnlag(p) for p in rader(poster, "trekk")] == [
        manedlig("trekk", "2024-11", "lege:L-200", "-16836.00", "ASA 4310 §15 (3)"),
        manedlig("trekk", "2024-12", "lege:L-200", "-16836.00", "ASA 4310 §15 (3)"),
    ]


def test_e6_tilbakebetaling_trekk_ved_retting(ledger) -> None:
    """E6, D12 (§15 (7)): 33,672.00, periode null, forfall the first 12th on/after 2025-01-08 (a Sunday)."""
    e6(ledger)
    poster = ledger.betalinger(E6, "2025-01-31")
    assert [uten_grunnlag(p) for p in rader(poster, "tilbakebetaling_trekk")] == [
        {"type": "tilbakebetaling_trekk", "periode": None, "forfall": "2025-01-12", "betaler": "kommune",
         "mottaker": "lege:L-200", "belop": "33672.00", "hjemmel_i_avtalen": "ASA 4310 §15 (7)"},
    ]


def test_e6_tilbakebetaling_finnes_ikke_for_rettingen(ledger) -> None:
    """§4.1, D12: the repayment's basis date is the retting dato; as of 2025-01-07 there is none."""
    e6(ledger)
    assert rader(ledger.betalinger(E6, "2025-01-07"), "tilbakebetaling_trekk") == []


def test_e6_trekk_uten_retting_loper_videre(ledger) -> None:
    """D12 (§15 (3)): without retting there is no upper bound; 2025-01 is withheld too (as known before it)."""
    pos = e6(ledger)
    poster = ledger.betalinger(E6, "2025-01-31", known_at=pos["klage"])
    assert [p["periode"] for p in rader(poster, "trekk")] == ["2024-11", "2024-12", "2025-01"]
    assert rader(poster, "tilbakebetaling_trekk") == []


def test_e6_maned_vises_fra_den_forste(ledger) -> None:
    """§4.1: a monthly item appears once its basis date (the 1st of M) is ≤ as_of."""
    e6(ledger)
    assert [p["periode"] for p in rader(ledger.betalinger(E6, "2024-10-31"), "basistilskudd")] == \
        ["2024-09", "2024-10"]
    assert [p["periode"] for p in rader(ledger.betalinger(E6, "2024-11-01"), "basistilskudd")][-1] == "2024-11"


def test_e6_frister_per_2025_01_31(ledger) -> None:
    """E6, S5, D15 (§15, fvl §29): svarfrist overholdt, rettefrist oversittet (rectified late),
    klagefrist 2024-11-15 oversittet (klage 3 days late)."""
    pos = e6(ledger)
    frister = [f for f in ledger.frister(E6, "2025-01-31") if f["frist"] != "opphor_alder_70"]
    assert frister == [
        {"frist": "svarfrist_uttalelse", "dato": "2024-09-16", "hjemmel_i_avtalen": "ASA 4310 §15 (1)",
         "utlost_av": pos["anmodet"], "tilstand": "overholdt"},
        {"frist": "rettefrist", "dato": "2024-10-18", "hjemmel_i_avtalen": "ASA 4310 §15 (1)–(2)",
         "utlost_av": pos["varsel"], "tilstand": "oversittet"},
        {"frist": "klagefrist", "dato": "2024-11-15", "hjemmel_i_avtalen": "fvl §29",
         "utlost_av": pos["trekk"], "tilstand": "oversittet"},
    ]


def test_e6_klage_for_sent(ledger) -> None:
    """E6, D13 (fvl §29, §31): a klage 3 days after the klagefrist is stored with finding klage_for_sent."""
    pos = e6(ledger)
    funn = [f for f in ledger.funn(E6, "2025-01-31") if f["funn"] == "klage_for_sent"]
    assert len(funn) == 1
    assert {k: funn[0][k] for k in ("dato", "hjemmel_i_avtalen", "posisjon")} == \
        {"dato": "2024-11-18", "hjemmel_i_avtalen": "fvl §29, §31", "posisjon": pos["klage"]}


# ---- E15: rounding half-up --------------------------------------------------------------------------

E15 = "1149-099"


def e15(ledger, trekk: bool) -> None:
    ledger.apply(
        {"cmd": "sats", "dato": "2023-07-01", "belop_per_innbygger_per_ar": "900.30"},  # hypothetical rate
        opprett(E15, "2024-08-01"),
        {"cmd": "avtale_inngatt", "hjemmel": E15, "dato": "2024-09-01", "lege": lege("L-900"), "listetak": 1200},
        {"cmd": "listetall", "hjemmel": E15, "dato": "2024-09-01", "antall": 1001},
    )
    if trekk:
        ledger.apply(
            {"cmd": "uttalelse_anmodet", "hjemmel": E15, "dato": "2024-09-02", "sak_id": "S-9", "forhold": "x",
             "svarfrist": "2024-09-16"},
            {"cmd": "uttalelse_mottatt", "hjemmel": E15, "dato": "2024-09-12", "sak_id": "S-9"},
            {"cmd": "varsel_om_retting", "hjemmel": E15, "dato": "2024-09-20", "sak_id": "S-9",
             "rettefrist": "2024-10-18"},
            {"cmd": "skriftlig_advarsel", "hjemmel": E15, "dato": "2024-10-21", "sak_id": "S-9"},
            {"cmd": "trekk_vedtatt", "hjemmel": E15, "dato": "2024-10-25", "sak_id": "S-9", "prosent": 15},
        )


def test_e15_basistilskudd_rundes_half_up(ledger) -> None:
    """E15, §4.1, D11: 1001 × 900.30 / 12 = 75,100.025 → 75,100.03 (ROUND_HALF_EVEN would give .02)."""
    e15(ledger, trekk=False)
    poster = rader(ledger.betalinger(E15, "2024-09-30"), "basistilskudd", "2024-09")
    assert [p["belop"] for p in poster] == ["75100.03"]


def test_e15_trekk_av_avrundet_basistilskudd(ledger) -> None:
    """E15, §4.3: 15 % of the rounded 75,100.03 = 11,265.0045 → −11,265.00."""
    e15(ledger, trekk=True)
    poster = ledger.betalinger(E15, "2024-11-30")
    assert [p["belop"] for p in rader(poster, "trekk", "2024-11")] == ["-11265.00"]
    assert [p["belop"] for p in rader(poster, "basistilskudd", "2024-11")] == ["75100.03"]


# ---- E9: money during the vacancy of 1149-017 ------------------------------------------------------

E9 = "1149-017"


def e9(ledger, til: str | None = None) -> dict[str, int]:
    """E1/E7/E9: holder L-100, notice 2024-03-15 (opphorsdato 2024-09-15), four utlysninger (U3 not
    korrekt), driftsutgifter for 2024-09, hjemfall 2025-03-17."""
    steg = [
        ("sats", SATS),
        ("opprett", opprett(E9, "2024-01-02")),
        ("avtale", {"cmd": "avtale_inngatt", "hjemmel": E9, "dato": "2024-03-01", "lege": lege("L-100"),
                    "listetak": 1200}),
        ("listetall", {"cmd": "listetall", "hjemmel": E9, "dato": "2024-03-01", "antall": 1200}),
        ("oppsigelse", {"cmd": "oppsigelse", "hjemmel": E9, "dato": "2024-03-15", "fra": "lege"}),
        ("U1", utlysning(E9, "2024-03-20", "U1", "2024-04-15")),
        ("U1x", avsluttet(E9, "2024-04-22", "U1", "ingen_sokere")),
        ("U2", utlysning(E9, "2024-05-06", "U2", "2024-05-27")),
        ("U2x", avsluttet(E9, "2024-06-03", "U2", "ingen_kvalifisert_villig")),
        ("U3", utlysning(E9, "2024-09-02", "U3", "2024-09-22")),
        ("U3x", avsluttet(E9, "2024-09-30", "U3", "ingen_sokere")),
        ("drift_09", {"cmd": "driftsutgifter", "hjemmel": E9, "dato": "2024-10-04", "periode": "2024-09",
                      "belop": "38000.00", "vikar_belop": "52000.00"}),
        ("U4", utlysning(E9, "2024-10-07", "U4", "2024-11-04")),
        ("U4x", avsluttet(E9, "2024-11-11", "U4", "ingen_sokere")),
        ("hjemfall", {"cmd": "hjemfall", "hjemmel": E9, "dato": "2025-03-17"}),
    ]
    return kjor(ledger, steg, til)


def test_e9_september_til_fratredende_lege(ledger) -> None:
    """E9, D11, S1 (§8.1): OPPSAGT on 2024-09-01 (ends 09-15): the whole month to lege:L-100."""
    e9(ledger)
    poster = rader(ledger.betalinger(E9, "2025-05-31"), "basistilskudd", "2024-09")
    assert [uten_grunnlag(p) for p in poster] == [
        manedlig("basistilskudd", "2024-09", "lege:L-100", "84180.00", "ASA 4310 §8.1")]


def test_e9_ledig_gir_basistilskudd_til_vikar(ledger) -> None:
    """E9, D11 (§8.1, §14): LEDIG 2024-10 … 2025-03 → vikar, 84,180.00 each, forfall the 12th
    (2024-10-12 is a Saturday and is not moved)."""
    e9(ledger)
    poster = ledger.betalinger(E9, "2025-05-31")
    vikar = [uten_grunnlag(p) for p in rader(poster, "basistilskudd") if p["mottaker"] == "vikar"]
    maneder = ["2024-10", "2024-11", "2024-12", "2025-01", "2025-02", "2025-03"]
    assert vikar == [manedlig("basistilskudd", m, "vikar", "84180.00", "ASA 4310 §8.1") for m in maneder]


def test_e9_ingen_basistilskudd_etter_hjemfall(ledger) -> None:
    """E9, D11 (§8.1): HJEMFALT on the 1st → no basistilskudd from 2025-04."""
    e9(ledger)
    poster = rader(ledger.betalinger(E9, "2025-06-30"), "basistilskudd")
    assert [p["periode"] for p in poster if p["periode"] >= "2025-04"] == []


def test_e9_driftsutgifter_september(ledger) -> None:
    """E9, D10, S20 (§5.8 (4)): periode 2024-09 overlaps 16–30 September: driftsutgifter 38,000.00 and
    vikarutgifter 52,000.00, kommune → praksis, forfall 2024-10-12."""
    e9(ledger)
    poster = ledger.betalinger(E9, "2025-05-31")
    assert [uten_grunnlag(p) for p in poster if p["type"] in ("driftsutgifter", "vikarutgifter")] == [
        {"type": "driftsutgifter", "periode": "2024-09", "forfall": "2024-10-12", "betaler": "kommune",
         "mottaker": "praksis", "belop": "38000.00", "hjemmel_i_avtalen": "ASA 4310 §5.8 (4)"},
        {"type": "vikarutgifter", "periode": "2024-09", "forfall": "2024-10-12", "betaler": "kommune",
         "mottaker": "praksis", "belop": "52000.00", "hjemmel_i_avtalen": "ASA 4310 §5.8 (4)"},
    ]


def test_e9_driftsutgifter_for_ledighetsperioden_avvises(ledger) -> None:
    """E9, D10 (§5.8 (4)): periode 2024-08 lies before the ledighetsperiode → utenfor_ledighetsperiode."""
    e9(ledger, til="drift_09")
    svar = ledger.avvis({"cmd": "driftsutgifter", "hjemmel": E9, "dato": "2024-10-04", "periode": "2024-08",
                         "belop": "38000.00", "vikar_belop": "52000.00"})
    assert (svar["feil"], svar["hjemmel_i_avtalen"]) == ("utenfor_ledighetsperiode", "ASA 4310 §5.8 (4)")


def test_e9_driftsutgifter_mars_etter_hjemfall_godtas(ledger) -> None:
    """E9, S20 (§5.8 (4)): periode 2025-03 (1–16 March in the ledighetsperiode), documented after the
    hjemfall, is accepted; forfall 2025-04-12."""
    e9(ledger)
    ledger.apply({"cmd": "driftsutgifter", "hjemmel": E9, "dato": "2025-04-03", "periode": "2025-03",
                  "belop": "38000.00", "vikar_belop": "52000.00"})
    poster = [p for p in ledger.betalinger(E9, "2025-04-30") if p["periode"] == "2025-03"
              and p["type"] in ("driftsutgifter", "vikarutgifter")]
    assert [(p["type"], p["belop"], p["forfall"]) for p in poster] == [
        ("driftsutgifter", "38000.00", "2025-04-12"), ("vikarutgifter", "52000.00", "2025-04-12")]


def test_e9_driftsutgifter_april_etter_hjemfall_avvises(ledger) -> None:
    """E9, D10 (§5.8 (4)): periode 2025-04 lies wholly after the hjemfall → utenfor_ledighetsperiode."""
    e9(ledger)
    svar = ledger.avvis({"cmd": "driftsutgifter", "hjemmel": E9, "dato": "2025-05-05", "periode": "2025-04",
                         "belop": "38000.00", "vikar_belop": "52000.00"})
    assert svar["feil"] == "utenfor_ledighetsperiode"


# ---- E11: price fixed by the nemnd after tiltredelse --------------------------------------------------

E11 = "1103-042"


def e11(ledger, til: str | None = None) -> dict[str, int]:
    steg = [
        ("sats", SATS),
        ("opprett", opprett(E11, "2024-01-02")),
        ("avtale", {"cmd": "avtale_inngatt", "hjemmel": E11, "dato": "2024-01-02",
                    "lege": lege("L-150", "1960-03-03"), "listetak": 1200}),
        ("listetall", {"cmd": "listetall", "hjemmel": E11, "dato": "2024-02-01", "antall": 1200}),
        ("oppsigelse", {"cmd": "oppsigelse", "hjemmel": E11, "dato": "2025-01-20", "fra": "lege"}),
        ("U1", utlysning(E11, "2025-02-03", "U1", "2025-03-03", prisantydning="600000.00")),
        ("tilbud", {"cmd": "tilbud", "hjemmel": E11, "dato": "2025-04-24", "tilbud_id": "T-1",
                    "lege": lege("L-300")}),
        ("mottatt", {"cmd": "tilbud_mottatt", "hjemmel": E11, "dato": "2025-04-24", "tilbud_id": "T-1"}),
        ("U1x", avsluttet(E11, "2025-04-25", "U1", "tilbud")),
        ("akseptert", {"cmd": "tilbud_akseptert", "hjemmel": E11, "dato": "2025-05-20", "tilbud_id": "T-1"}),
        ("nemnd", {"cmd": "nemnd_begjaert", "hjemmel": E11, "dato": "2025-06-02", "tema": "overdragelsespris",
                   "begjaert_av": "fratredende"}),
        ("tiltredelse", {"cmd": "tiltredelse", "hjemmel": E11, "dato": "2025-08-01", "tilbud_id": "T-1"}),
        ("avgjort", {"cmd": "nemnd_avgjort", "hjemmel": E11, "dato": "2025-10-15", "belop": "520000.00"}),
    ]
    return kjor(ledger, steg, til)


def test_e11_overdragelsespris_forfaller_ved_tiltredelse(ledger) -> None:
    """E11, D16 (§5.6, §5.9): 520,000.00, lege:L-300 → lege:L-150, periode null, forfall 2025-08-01."""
    e11(ledger)
    poster = rader(ledger.betalinger(E11, "2025-10-15"), "overdragelsespris")
    assert [uten_grunnlag(p) for p in poster] == [
        {"type": "overdragelsespris", "periode": None, "forfall": "2025-08-01", "betaler": "lege:L-300",
         "mottaker": "lege:L-150", "belop": "520000.00", "hjemmel_i_avtalen": "ASA 4310 §5.6"},
    ]


def test_e11_ingen_overdragelsespris_per_2025_09_01(ledger) -> None:
    """E11, §4.1: the price is fixed 2025-10-15, so as of 2025-09-01 no such row exists yet."""
    e11(ledger)
    assert rader(ledger.betalinger(E11, "2025-09-01"), "overdragelsespris") == []


def test_e11_ingen_overdragelsespris_kjent_ved_tiltredelsen(ledger) -> None:
    """E11, D17/§4.1: known_at the tiltredelse, even as of a later date, the price is not known."""
    pos = e11(ledger)
    assert rader(ledger.betalinger(E11, "2025-11-01", known_at=pos["tiltredelse"]), "overdragelsespris") == []


def test_e11_juli_til_fratredende_august_til_overtakende(ledger) -> None:
    """E11, D11, S1 (§8.1): holder on 1 July is L-150; the avtale of L-300 starts on 1 August."""
    e11(ledger)
    poster = ledger.betalinger(E11, "2025-10-15")
    assert [(p["periode"], p["mottaker"]) for p in rader(poster, "basistilskudd")
            if p["periode"] in ("2025-07", "2025-08")] == [("2025-07", "lege:L-150"), ("2025-08", "lege:L-300")]


def test_e11_driftsutgifter_juli_godtas(ledger) -> None:
    """E11, D10, S20 (§5.8 (4)): the ledighetsperiode is 2025-07-21 … 2025-07-31, so periode 2025-07
    is accepted."""
    e11(ledger, til="tiltredelse")
    ledger.apply({"cmd": "driftsutgifter", "hjemmel": E11, "dato": "2025-08-05", "periode": "2025-07",
                  "belop": "10000.00", "vikar_belop": "5000.00"})
    poster = [p for p in ledger.betalinger(E11, "2025-08-31") if p["type"] in ("driftsutgifter", "vikarutgifter")]
    assert [(p["type"], p["periode"], p["belop"], p["forfall"]) for p in poster] == [
        ("driftsutgifter", "2025-07", "10000.00", "2025-08-12"), ("vikarutgifter", "2025-07", "5000.00", "2025-08-12")]


# ---- E12: nullhjemmel guarantee ----------------------------------------------------------------------

E12 = "1149-031"


def e12(ledger, uttalelse: str | None = "2024-05-28") -> dict[str, int]:
    navn = ["sats", "opprett", "tiltak", "avtale", "listetall"]
    pos = ledger.apply(
        SATS,
        {"cmd": "opprett_hjemmel", "hjemmel": E12, "dato": "2024-06-10", "kommune": "1149", "listetak": 1200,
         "lokalisering": "Eksempel legesenter", "organiseringsform": "gruppe", "praksistype": "naeringsdrift",
         "samarbeidsutvalg_uttalelse": uttalelse},
        {"cmd": "lokalt_tiltak", "hjemmel": E12, "dato": "2024-06-10", "tiltak": "nullhjemmel",
         "vilkar": {"garantert_antall": 800}},
        {"cmd": "avtale_inngatt", "hjemmel": E12, "dato": "2024-09-02", "lege": lege("L-400"), "listetak": 1200},
        {"cmd": "listetall", "hjemmel": E12, "dato": "2024-10-01", "antall": 350},
    )
    return dict(zip(navn, pos))


def test_e12_nullhjemmel_fyller_opp_til_garantert_antall(ledger) -> None:
    """E12, §7.3: 2024-10 basistilskudd 24,552.50 and top-up 56,120.00 − 24,552.50 = 31,567.50, both
    kommune → lege:L-400, forfall 2024-10-12."""
    e12(ledger)
    poster = [uten_grunnlag(p) for p in ledger.betalinger(E12, "2024-10-31") if p["periode"] == "2024-10"]
    assert poster == [
        manedlig("basistilskudd", "2024-10", "lege:L-400", "24552.50", "ASA 4310 §8.1"),
        manedlig("nullhjemmel", "2024-10", "lege:L-400", "31567.50", "lokalt tiltak"),
    ]


def test_e12_ingenting_for_september(ledger) -> None:
    """E12, D11, §7.3: no holder on 2024-09-01 and no listetall → no row for 2024-09."""
    e12(ledger)
    assert [p for p in ledger.betalinger(E12, "2024-10-31") if p["periode"] == "2024-09"] == []


def test_e12_ingen_paslag_nar_listetallet_nar_garantien(ledger) -> None:
    """E12, §7.3: once listetall reaches 800 the top-up is 0 and no nullhjemmel row appears."""
    e12(ledger)
    ledger.apply({"cmd": "listetall", "hjemmel": E12, "dato": "2024-11-01", "antall": 800})
    november = [(p["type"], p["belop"]) for p in ledger.betalinger(E12, "2024-11-30") if p["periode"] == "2024-11"]
    assert november == [("basistilskudd", "56120.00")]


# ---- E13: gjenkjøpsgaranti (section 7.3, S19) -------------------------------------------------------

E13 = "1103-050"


def e13(ledger, maks: str = "800000.00", kjopesum: str = "1100000.00", oppsigelse: str = "2025-06-02") -> None:
    ledger.apply(
        SATS,
        opprett(E13, "2022-12-01", samarbeidsutvalg_uttalelse="2022-11-01"),
        {"cmd": "avtale_inngatt", "hjemmel": E13, "dato": "2023-01-09", "lege": lege("L-500"), "listetak": 1200},
        {"cmd": "lokalt_tiltak", "hjemmel": E13, "dato": "2023-01-09", "tiltak": "gjenkjopsgaranti",
         "vilkar": {"lege_id": "L-500", "kjopesum": kjopesum, "prosent": 95, "maks_belop": maks,
                    "varighet_maneder": 36}},
        {"cmd": "oppsigelse", "hjemmel": E13, "dato": oppsigelse, "fra": "lege"},
    )


def gjenkjop(dato: str, pris: str) -> dict[str, Any]:
    return {"cmd": "gjenkjop_utlost", "hjemmel": E13, "dato": dato, "pris": pris}


def test_e13_gjenkjop_over_garantibelopet_avvises(ledger) -> None:
    """E13, §7.3: garantibelop = min(1,045,000.00; 800,000.00); pris 850,000.00 → gjenkjop_over_garanti."""
    e13(ledger)
    svar = ledger.avvis(gjenkjop("2025-12-10", "850000.00"))
    assert (svar["feil"], svar["hjemmel_i_avtalen"]) == ("gjenkjop_over_garanti", "lokalt tiltak")


def test_e13_gjenkjop_ett_ore_over_stavanger_taket_avvises(ledger) -> None:
    """E13, §7.3: the Stavanger cap is exactly 800,000.00; 800,000.01 is over it."""
    e13(ledger)
    assert ledger.avvis(gjenkjop("2025-12-10", "800000.01"))["feil"] == "gjenkjop_over_garanti"


def test_e13_gjenkjop_gir_forpliktelse(ledger) -> None:
    """E13, §7.3: pris 800,000.00 → gjenkjop 800,000.00, kommune → lege:L-500, periode null,
    forfall 2025-12-10 (the later of dato and opphorsdato 2025-12-02)."""
    e13(ledger)
    ledger.apply(gjenkjop("2025-12-10", "800000.00"))
    assert [uten_grunnlag(p) for p in rader(ledger.betalinger(E13, "2025-12-31"), "gjenkjop")] == [
        {"type": "gjenkjop", "periode": None, "forfall": "2025-12-10", "betaler": "kommune",
         "mottaker": "lege:L-500", "belop": "800000.00", "hjemmel_i_avtalen": "lokalt tiltak"},
    ]


def test_e13_gjenkjop_for_opphorsdato_forfaller_ved_opphor(ledger) -> None:
    """§7.3: forfall is the later of dato and opphorsdato: utløst 2025-07-01 → forfall 2025-12-02."""
    e13(ledger)
    ledger.apply(gjenkjop("2025-07-01", "800000.00"))
    assert [p["forfall"] for p in rader(ledger.betalinger(E13, "2025-07-01"), "gjenkjop")] == ["2025-12-02"]


def test_e13_karmoy_tak_gir_950000(ledger) -> None:
    """E13, §7.2–§7.3: with Karmøy's cap 950,000.00 the garantibelop is 950,000.00."""
    e13(ledger, maks="950000.00")
    assert ledger.avvis(gjenkjop("2025-12-10", "950000.01"))["feil"] == "gjenkjop_over_garanti"
    ledger.apply(gjenkjop("2025-12-10", "950000.00"))
    assert [p["belop"] for p in rader(ledger.betalinger(E13, "2025-12-31"), "gjenkjop")] == ["950000.00"]


@pytest.mark.parametrize("maks", ["800000.00", "950000.00"], ids=["stavanger", "karmoy"])
def test_e13_kjopesum_700000_gir_665000_under_begge_tak(ledger, maks: str) -> None:
    """E13 variant, §7.3: kjopesum 700,000.00 × 95 % = 665,000.00 under both caps."""
    e13(ledger, maks=maks, kjopesum="700000.00")
    assert ledger.avvis(gjenkjop("2025-12-10", "665000.01"))["feil"] == "gjenkjop_over_garanti"
    ledger.apply(gjenkjop("2025-12-10", "665000.00"))
    assert [p["belop"] for p in rader(ledger.betalinger(E13, "2025-12-31"), "gjenkjop")] == ["665000.00"]


def test_e13_oppsigelse_etter_utlop_avvises(ledger) -> None:
    """E13 variant, §7.3: utløper 2026-01-09; a notice dated 2026-02-02 → gjenkjopsgaranti_utlopt."""
    e13(ledger, oppsigelse="2026-02-02")
    svar = ledger.avvis(gjenkjop("2026-02-10", "800000.00"))
    assert (svar["feil"], svar["hjemmel_i_avtalen"]) == ("gjenkjopsgaranti_utlopt", "lokalt tiltak")


def test_e13_praksis_solgt_avvises(ledger) -> None:
    """E13 variant, §7.3: a price already agreed with a successor → praksis_solgt."""
    e13(ledger)
    ledger.apply(
        utlysning(E13, "2025-06-03", "U1", "2025-07-01"),
        {"cmd": "tilbud", "hjemmel": E13, "dato": "2025-07-02", "tilbud_id": "T-1", "lege": lege("L-600")},
        {"cmd": "tilbud_mottatt", "hjemmel": E13, "dato": "2025-07-02", "tilbud_id": "T-1"},
        {"cmd": "pris_avtalt", "hjemmel": E13, "dato": "2025-07-10", "belop": "900000.00"},
    )
    assert ledger.avvis(gjenkjop("2025-12-10", "800000.00"))["feil"] == "praksis_solgt"


def test_e13_senere_overdragelsespris_betales_til_kommunen(ledger) -> None:
    """E13, S19, D16 (§5.6): after the gjenkjøp the kommune holds the right; a later overdragelsespris
    is payable to `kommune`, forfall the tiltredelse dato."""
    e13(ledger)
    ledger.apply(
        utlysning(E13, "2025-06-10", "U1", "2025-07-10"),
        gjenkjop("2025-12-10", "800000.00"),
        {"cmd": "tilbud", "hjemmel": E13, "dato": "2025-12-15", "tilbud_id": "T-1", "lege": lege("L-600")},
        {"cmd": "tilbud_mottatt", "hjemmel": E13, "dato": "2025-12-15", "tilbud_id": "T-1"},
        {"cmd": "tilbud_akseptert", "hjemmel": E13, "dato": "2025-12-20", "tilbud_id": "T-1"},
        {"cmd": "pris_avtalt", "hjemmel": E13, "dato": "2026-01-05", "belop": "700000.00"},
        {"cmd": "tiltredelse", "hjemmel": E13, "dato": "2026-01-15", "tilbud_id": "T-1"},
    )
    assert [uten_grunnlag(p) for p in rader(ledger.betalinger(E13, "2026-01-31"), "overdragelsespris")] == [
        {"type": "overdragelsespris", "periode": None, "forfall": "2026-01-15", "betaler": "lege:L-600",
         "mottaker": "kommune", "belop": "700000.00", "hjemmel_i_avtalen": "ASA 4310 §5.6"},
    ]


# ---- E14: vacancy costs above a local driftsgaranti cap ---------------------------------------------

E14 = "1103-060"


def e14(ledger, driftsgaranti: bool = True) -> None:
    """1103-060 (gruppepraksis): driftsgaranti 85,000.00 agreed before the vacancy, without `til`;
    opphorsdato 2024-09-15; 2024-10 documented; hjemfall 2025-03-17."""
    ledger.apply(
        SATS,
        opprett(E14, "2024-01-02"),
        {"cmd": "avtale_inngatt", "hjemmel": E14, "dato": "2024-01-02", "lege": lege("L-610"), "listetak": 1200},
        {"cmd": "listetall", "hjemmel": E14, "dato": "2024-02-01", "antall": 1200},
    )
    if driftsgaranti:
        ledger.apply({"cmd": "lokalt_tiltak", "hjemmel": E14, "dato": "2024-02-05", "tiltak": "driftsgaranti",
                      "vilkar": {"maks_per_maned": "85000.00", "grunnlag": "regnskap"}})
    ledger.apply(
        {"cmd": "oppsigelse", "hjemmel": E14, "dato": "2024-03-15", "fra": "lege"},
        utlysning(E14, "2024-03-20", "U1", "2024-04-15"),
        avsluttet(E14, "2024-04-22", "U1", "ingen_sokere"),
        utlysning(E14, "2024-05-06", "U2", "2024-05-27"),
        avsluttet(E14, "2024-06-03", "U2", "ingen_kvalifisert_villig"),
        utlysning(E14, "2024-10-07", "U3", "2024-11-04"),
        {"cmd": "driftsutgifter", "hjemmel": E14, "dato": "2024-11-05", "periode": "2024-10",
         "belop": "42000.00", "vikar_belop": "61500.00"},
        avsluttet(E14, "2024-11-11", "U3", "ingen_sokere"),
        {"cmd": "hjemfall", "hjemmel": E14, "dato": "2025-03-17"},
    )


MAI = {"cmd": "driftsutgifter", "hjemmel": E14, "dato": "2025-06-03", "periode": "2025-05",
       "belop": "42000.00", "vikar_belop": "61500.00"}


def kostnader(poster: list[dict[str, Any]], periode: str) -> list[dict[str, Any]]:
    return [uten_grunnlag(p) for p in poster if p["periode"] == periode
            and p["type"] in ("driftsutgifter", "vikarutgifter")]


def test_e14_i_ledighetsperioden_betales_alt_tross_taket(ledger) -> None:
    """E14, S15, D10 (§5.8 (4)): inside the ledighetsperiode 42,000.00 and 61,500.00 are owed in full,
    forfall 2024-11-12; the local cap never reduces a duty under the agreement."""
    e14(ledger)
    assert kostnader(ledger.betalinger(E14, "2024-11-30"), "2024-10") == [
        {"type": "driftsutgifter", "periode": "2024-10", "forfall": "2024-11-12", "betaler": "kommune",
         "mottaker": "praksis", "belop": "42000.00", "hjemmel_i_avtalen": "ASA 4310 §5.8 (4)"},
        {"type": "vikarutgifter", "periode": "2024-10", "forfall": "2024-11-12", "betaler": "kommune",
         "mottaker": "praksis", "belop": "61500.00", "hjemmel_i_avtalen": "ASA 4310 §5.8 (4)"},
    ]


def test_e14_utenfor_ledighetsperioden_begrenser_taket(ledger) -> None:
    """E14, S15 (local): periode 2025-05 after hjemfall: vikarutgifter min(61,500.00, 85,000.00) and
    driftsutgifter min(42,000.00, 85,000.00 − 61,500.00) = 23,500.00, forfall 2025-06-12."""
    e14(ledger)
    ledger.apply(MAI)
    assert kostnader(ledger.betalinger(E14, "2025-06-30"), "2025-05") == [
        {"type": "driftsutgifter", "periode": "2025-05", "forfall": "2025-06-12", "betaler": "kommune",
         "mottaker": "praksis", "belop": "23500.00", "hjemmel_i_avtalen": "lokalt tiltak"},
        {"type": "vikarutgifter", "periode": "2025-05", "forfall": "2025-06-12", "betaler": "kommune",
         "mottaker": "praksis", "belop": "61500.00", "hjemmel_i_avtalen": "lokalt tiltak"},
    ]


def test_e14_uten_driftsgaranti_oktober_i_sin_helhet(ledger) -> None:
    """E14 without the driftsgaranti, D10 (§5.8 (4)): October 2024 in full."""
    e14(ledger, driftsgaranti=False)
    assert [(p["type"], p["belop"]) for p in kostnader(ledger.betalinger(E14, "2024-11-30"), "2024-10")] == [
        ("driftsutgifter", "42000.00"), ("vikarutgifter", "61500.00")]


def test_e14_uten_driftsgaranti_mai_avvises(ledger) -> None:
    """E14 without the driftsgaranti, D10, S15 (§5.8 (4)): periode 2025-05 → utenfor_ledighetsperiode."""
    e14(ledger, driftsgaranti=False)
    assert ledger.avvis(MAI)["feil"] == "utenfor_ledighetsperiode"


# ---- §4.1: --fra/--til -------------------------------------------------------------------------------

def e6_med_ubetalt_pris(ledger) -> list[dict[str, Any]]:
    """E6's rows plus an overdragelsespris whose forfall is still null (no tiltredelse yet, D16)."""
    e6(ledger)
    k = "1103-042"
    ledger.apply(
        opprett(k, "2024-01-02"),
        {"cmd": "avtale_inngatt", "hjemmel": k, "dato": "2024-01-02", "lege": lege("L-150"), "listetak": 1200},
        {"cmd": "oppsigelse", "hjemmel": k, "dato": "2025-01-20", "fra": "lege"},
        utlysning(k, "2025-02-03", "U1", "2025-03-03"),
        {"cmd": "tilbud", "hjemmel": k, "dato": "2025-04-24", "tilbud_id": "T-1", "lege": lege("L-300")},
        {"cmd": "tilbud_mottatt", "hjemmel": k, "dato": "2025-04-24", "tilbud_id": "T-1"},
        {"cmd": "pris_avtalt", "hjemmel": k, "dato": "2025-05-02", "belop": "450000.00"},
    )
    pris = rader(ledger.betalinger(k, "2025-05-31"), "overdragelsespris")
    assert [(p["forfall"], p["belop"]) for p in pris] == [(None, "450000.00")]
    return ledger.betalinger(E6, "2025-01-31") + pris


def test_filter_pa_periode_der_den_finnes(ledger) -> None:
    """§4.1: --fra/--til filter on periode where it is set (bounds inclusive)."""
    poster = e6_med_ubetalt_pris(ledger)
    valgt = filtrer(poster, "2024-11", "2024-12")
    assert [(p["type"], p["periode"]) for p in valgt] == [
        ("basistilskudd", "2024-11"), ("trekk", "2024-11"), ("basistilskudd", "2024-12"), ("trekk", "2024-12")]


def test_filter_uten_periode_bruker_forfallsmaneden(ledger) -> None:
    """§4.1: an entry without periode is filtered on the month of its forfall (repayment 2025-01-12)."""
    poster = e6_med_ubetalt_pris(ledger)
    assert [p["type"] for p in filtrer(poster, "2025-01", "2025-01")] == ["basistilskudd", "tilbakebetaling_trekk"]


def test_filter_bruker_periode_ikke_forfall(ledger) -> None:
    """§4.1: driftsutgifter for 2024-09 (forfall 2024-10-12) belong to 2024-09, not to October."""
    e9(ledger)
    poster = ledger.betalinger(E9, "2025-05-31")
    assert [p for p in filtrer(poster, "2024-10", "2024-10") if p["type"] != "basistilskudd"] == []
    assert [p["type"] for p in filtrer(poster, "2024-09", "2024-09")] == \
        ["basistilskudd", "driftsutgifter", "vikarutgifter"]


@pytest.mark.parametrize(("fra", "til"), [("2000-01", "2099-12"), ("2000-01", None), (None, "2099-12")],
                         ids=["fra-til", "bare-fra", "bare-til"])
def test_filter_utelater_null_forfall(ledger, fra: str | None, til: str | None) -> None:
    """§4.1: entries with forfall null appear only without a filter, even under the widest one."""
    poster = e6_med_ubetalt_pris(ledger)
    assert [p for p in filtrer(poster, fra, til) if p["forfall"] is None] == []


def test_uten_filter_vises_null_forfall(ledger) -> None:
    """§4.1: without --fra/--til every entry is listed, including forfall null."""
    poster = e6_med_ubetalt_pris(ledger)
    assert filtrer(poster, None, None) == poster
    assert [p["type"] for p in poster if p["forfall"] is None] == ["overdragelsespris"]


# ---- §4.2, S1: whose month it is ---------------------------------------------------------------------

S1K = "1149-040"


def holder_fra_mars(ledger) -> None:
    ledger.apply(SATS, opprett(S1K, "2024-01-02"),
                 {"cmd": "avtale_inngatt", "hjemmel": S1K, "dato": "2024-03-01", "lege": lege("L-100"),
                  "listetak": 1200},
                 {"cmd": "listetall", "hjemmel": S1K, "dato": "2024-03-01", "antall": 1200})


def mottakere(poster: list[dict[str, Any]], *perioder: str) -> list[tuple[str, str]]:
    return [(p["periode"], p["mottaker"]) for p in rader(poster, "basistilskudd") if p["periode"] in perioder]


def test_opphorsdato_den_forste_teller_for_gammel_innehaver(ledger) -> None:
    """§4.2, S1 (§8.1): an avtale whose opphorsdato is the 1st (notice 2024-03-01 → 2024-09-01) still
    holds that month: September to the lege, October to the vikar."""
    holder_fra_mars(ledger)
    ledger.apply({"cmd": "oppsigelse", "hjemmel": S1K, "dato": "2024-03-01", "fra": "lege"})
    assert mottakere(ledger.betalinger(S1K, "2024-10-31"), "2024-09", "2024-10") == [
        ("2024-09", "lege:L-100"), ("2024-10", "vikar")]


def test_heving_den_forste_avgjor_maneden(ledger) -> None:
    """§4.2, S1, D2 (§8.1, §16 (2)): a heving dated the 1st already decides that month → vikar."""
    holder_fra_mars(ledger)
    ledger.apply({"cmd": "heving", "hjemmel": S1K, "dato": "2024-05-01", "begrunnelse": "vesentlig mislighold"})
    assert mottakere(ledger.betalinger(S1K, "2024-05-31"), "2024-04", "2024-05") == [
        ("2024-04", "lege:L-100"), ("2024-05", "vikar")]


def test_ingen_prorata_innenfor_maneden(ledger) -> None:
    """§4.2 (§8.1): the holder on the 1st receives the whole month, also when the avtale ends on the 15th."""
    holder_fra_mars(ledger)
    ledger.apply({"cmd": "bortfall", "hjemmel": S1K, "dato": "2024-05-15", "grunn": "autorisasjon tilbakekalt"})
    poster = rader(ledger.betalinger(S1K, "2024-06-30"), "basistilskudd")
    assert [(p["periode"], p["mottaker"], p["belop"]) for p in poster if p["periode"] >= "2024-05"] == [
        ("2024-05", "lege:L-100", "84180.00"), ("2024-06", "vikar", "84180.00")]


# ---- §4.3, S14: trekk boundaries -------------------------------------------------------------------

def sak_til_advarsel(ledger, key: str) -> None:
    ledger.apply(
        {"cmd": "uttalelse_anmodet", "hjemmel": key, "dato": "2024-09-02", "sak_id": "S-1", "forhold": "x",
         "svarfrist": "2024-09-16"},
        {"cmd": "uttalelse_mottatt", "hjemmel": key, "dato": "2024-09-12", "sak_id": "S-1"},
        {"cmd": "varsel_om_retting", "hjemmel": key, "dato": "2024-09-20", "sak_id": "S-1", "rettefrist": "2024-10-18"},
        {"cmd": "skriftlig_advarsel", "hjemmel": key, "dato": "2024-10-21", "sak_id": "S-1"},
    )


def test_trekk_vedtatt_den_12_rammer_ikke_den_maneden(ledger) -> None:
    """§4.3, D12 (§15 (3)): trekk dato < forfall is strict: a vedtak dated 2024-11-12 hits December first."""
    e6(ledger, til="advarsel")
    ledger.apply({"cmd": "trekk_vedtatt", "hjemmel": E6, "dato": "2024-11-12", "sak_id": "S-1", "prosent": 20})
    assert [p["periode"] for p in rader(ledger.betalinger(E6, "2024-12-31"), "trekk")] == ["2024-12"]


def test_retting_den_12_gir_tilbakebetaling_samme_dag(ledger) -> None:
    """§4.3, D12 (§15 (7)): forfall < retting is strict (December is not withheld when rectified on
    2024-12-12), and the repayment falls due on the retting dato itself when it is a 12th."""
    e6(ledger, til="trekk")
    ledger.apply({"cmd": "forhold_rettet", "hjemmel": E6, "dato": "2024-12-12", "sak_id": "S-1"})
    poster = ledger.betalinger(E6, "2024-12-31")
    assert [p["periode"] for p in rader(poster, "trekk")] == ["2024-11"]
    assert [(p["forfall"], p["belop"]) for p in rader(poster, "tilbakebetaling_trekk")] == [("2024-12-12", "16836.00")]


def test_trekk_stopper_nar_basistilskuddet_til_legen_stopper(ledger) -> None:
    """§4.3 (§15 (3)): never rectified, trekk stops when basistilskudd to that lege stops (avtale ended):
    LEDIG months to the vikar are not withheld."""
    e6(ledger, til="trekk")
    ledger.apply({"cmd": "heving", "hjemmel": E6, "dato": "2024-12-20", "begrunnelse": "vesentlig mislighold"})
    poster = ledger.betalinger(E6, "2025-02-28")
    assert [p["periode"] for p in rader(poster, "trekk")] == ["2024-11", "2024-12"]
    assert rader(poster, "tilbakebetaling_trekk") == []


def test_trekk_rammer_ikke_nullhjemmel_tillegget(ledger) -> None:
    """S14 (§15 (3)), §7.3: trekk applies only to the statutory basistilskudd (20 % of 24,552.50 =
    −4,910.50), never to the nullhjemmel top-up (31,567.50 unchanged)."""
    e12(ledger)
    ledger.apply(
        {"cmd": "uttalelse_anmodet", "hjemmel": E12, "dato": "2024-10-01", "sak_id": "S-1", "forhold": "x",
         "svarfrist": "2024-10-08"},
        {"cmd": "uttalelse_mottatt", "hjemmel": E12, "dato": "2024-10-02", "sak_id": "S-1"},
        {"cmd": "varsel_om_retting", "hjemmel": E12, "dato": "2024-10-03", "sak_id": "S-1", "rettefrist": "2024-10-10"},
        {"cmd": "skriftlig_advarsel", "hjemmel": E12, "dato": "2024-10-14", "sak_id": "S-1"},
        {"cmd": "trekk_vedtatt", "hjemmel": E12, "dato": "2024-10-15", "sak_id": "S-1", "prosent": 20},
        {"cmd": "listetall", "hjemmel": E12, "dato": "2024-11-01", "antall": 350},
    )
    november = [(p["type"], p["belop"]) for p in ledger.betalinger(E12, "2024-11-30") if p["periode"] == "2024-11"]
    assert sorted(november) == sorted([("basistilskudd", "24552.50"), ("trekk", "-4910.50"),
                                       ("nullhjemmel", "31567.50")])


def test_nullhjemmel_ikke_til_vikar(ledger) -> None:
    """§7.3, S14: the top-up goes to a lege only; LEDIG months (basistilskudd to vikar) get none."""
    e12(ledger)
    ledger.apply({"cmd": "heving", "hjemmel": E12, "dato": "2024-10-20", "begrunnelse": "vesentlig mislighold"})
    november = [(p["type"], p["mottaker"]) for p in ledger.betalinger(E12, "2024-11-30") if p["periode"] == "2024-11"]
    assert november == [("basistilskudd", "vikar")]


# ---- §4.4, S15: vacancy-cost edges ----------------------------------------------------------------------

def test_nullbelop_gir_ingen_post(ledger) -> None:
    """§4.4 (§5.8 (4)): a zero amount gives no entry."""
    e9(ledger, til="U3x")
    ledger.apply({"cmd": "driftsutgifter", "hjemmel": E9, "dato": "2024-10-04", "periode": "2024-09",
                  "belop": "0.00", "vikar_belop": "52000.00"})
    assert [(p["type"], p["belop"]) for p in ledger.betalinger(E9, "2024-10-31")
            if p["type"] in ("driftsutgifter", "vikarutgifter")] == [("vikarutgifter", "52000.00")]


def test_tak_kutter_driftsutgifter_forst_ogsa_helt(ledger) -> None:
    """S15 (local): outside the ledighetsperiode with vikar_belop 90,000.00 above the cap 85,000.00,
    vikarutgifter = 85,000.00, driftsutgifter = min(10,000.00, 0) → no entry."""
    e14(ledger)
    ledger.apply({"cmd": "driftsutgifter", "hjemmel": E14, "dato": "2025-06-03", "periode": "2025-05",
                  "belop": "10000.00", "vikar_belop": "90000.00"})
    assert [(p["type"], p["belop"]) for p in kostnader(ledger.betalinger(E14, "2025-06-30"), "2025-05")] == [
        ("vikarutgifter", "85000.00")]


# ---- §4.5: overdragelsespris edges -----------------------------------------------------------------------

def test_overdragelsespris_etter_dodsfall_til_dodsboet(ledger) -> None:
    """§4.5, S11, D16 (§5.6, §5.11 (2)): after death the dødsbo holds the right; mottaker dodsbo:L-150."""
    ledger.apply(
        SATS, opprett(E11, "2024-01-02"),
        {"cmd": "avtale_inngatt", "hjemmel": E11, "dato": "2024-01-02", "lege": lege("L-150"), "listetak": 1200},
        {"cmd": "bortfall", "hjemmel": E11, "dato": "2025-01-20", "grunn": "dodsfall"},
        utlysning(E11, "2025-02-03", "U1", "2025-03-03"),
        {"cmd": "tilbud", "hjemmel": E11, "dato": "2025-04-24", "tilbud_id": "T-1", "lege": lege("L-300")},
        {"cmd": "tilbud_mottatt", "hjemmel": E11, "dato": "2025-04-24", "tilbud_id": "T-1"},
        {"cmd": "tilbud_akseptert", "hjemmel": E11, "dato": "2025-05-02", "tilbud_id": "T-1"},
        {"cmd": "pris_avtalt", "hjemmel": E11, "dato": "2025-05-05", "belop": "400000.00"},
        {"cmd": "tiltredelse", "hjemmel": E11, "dato": "2025-06-02", "tilbud_id": "T-1"},
    )
    assert [(p["betaler"], p["mottaker"], p["forfall"], p["belop"])
            for p in rader(ledger.betalinger(E11, "2025-06-30"), "overdragelsespris")] == [
        ("lege:L-300", "dodsbo:L-150", "2025-06-02", "400000.00")]


def test_pris_bortfaller_med_avslatt_tilbud(ledger) -> None:
    """§4.5, S9 (§5.6): a price agreed before acceptance lapses when the tilbud is declined: no row."""
    ledger.apply(
        SATS, opprett(E11, "2024-01-02"),
        {"cmd": "avtale_inngatt", "hjemmel": E11, "dato": "2024-01-02", "lege": lege("L-150"), "listetak": 1200},
        {"cmd": "oppsigelse", "hjemmel": E11, "dato": "2025-01-20", "fra": "lege"},
        utlysning(E11, "2025-02-03", "U1", "2025-03-03"),
        {"cmd": "tilbud", "hjemmel": E11, "dato": "2025-04-24", "tilbud_id": "T-1", "lege": lege("L-300")},
        {"cmd": "tilbud_mottatt", "hjemmel": E11, "dato": "2025-04-24", "tilbud_id": "T-1"},
        {"cmd": "pris_avtalt", "hjemmel": E11, "dato": "2025-05-02", "belop": "450000.00"},
        {"cmd": "tilbud_avslatt", "hjemmel": E11, "dato": "2025-05-05", "tilbud_id": "T-1"},
    )
    assert rader(ledger.betalinger(E11, "2025-05-31"), "overdragelsespris") == []


# ---- §7.3: one-off and monthly local payments ------------------------------------------------------------

def test_rekrutteringstilskudd_en_gang(ledger) -> None:
    """§7.3: rekrutteringstilskudd 200,000.00 once, kommune → lege, periode null, forfall from vilkar."""
    ledger.apply(SATS, opprett(S1K, "2024-01-02"),
                 {"cmd": "avtale_inngatt", "hjemmel": S1K, "dato": "2024-03-01", "lege": lege("L-100"),
                  "listetak": 1200},
                 {"cmd": "lokalt_tiltak", "hjemmel": S1K, "dato": "2024-03-01", "tiltak": "rekrutteringstilskudd",
                  "vilkar": {"belop": "200000.00", "forfall": "2024-04-15", "bindingstid_maneder": 36}})
    assert [uten_grunnlag(p) for p in rader(ledger.betalinger(S1K, "2024-04-30"), "rekrutteringstilskudd")] == [
        {"type": "rekrutteringstilskudd", "periode": None, "forfall": "2024-04-15", "betaler": "kommune",
         "mottaker": "lege:L-100", "belop": "200000.00", "hjemmel_i_avtalen": "lokalt tiltak"}]


def test_alis_fast_manedlig(ledger) -> None:
    """§7.3: ALIS kandidat `fast_manedlig`: round_half_up(100,000.00 / 12) = 8,333.33 for each month whose
    1st lies in [fra, fra + varighet), forfall the 12th."""
    holder_fra_mars(ledger)
    ledger.apply({"cmd": "lokalt_tiltak", "hjemmel": S1K, "dato": "2024-03-05", "tiltak": "alis",
                  "vilkar": {"rolle": "kandidat", "modell": "fast_manedlig", "maks_per_ar": "100000.00",
                             "varighet_maneder": 3, "fra": "2024-04-01"}})
    poster = rader(ledger.betalinger(S1K, "2024-08-31"), "alis")
    assert [(p["periode"], p["forfall"], p["mottaker"], p["belop"]) for p in poster] == [
        (m, f"{m}-12", "lege:L-100", "8333.33") for m in ("2024-04", "2024-05", "2024-06")]


def test_alis_tiltaksbasert_gir_ingen_poster(ledger) -> None:
    """§7.3: ALIS `tiltaksbasert` (default) creates no automatic entries."""
    holder_fra_mars(ledger)
    ledger.apply({"cmd": "lokalt_tiltak", "hjemmel": S1K, "dato": "2024-03-05", "tiltak": "alis",
                  "vilkar": {"maks_per_ar": "300000.00"}})
    assert rader(ledger.betalinger(S1K, "2024-08-31"), "alis") == []


def test_e10_alder_70_februar_til_legen_mars_til_vikar(ledger) -> None:
    """E10, D3, D11, S1 (§16 (3), §8.1): L-700 born 1956-02-29 turns 70 on 2026-02-28 (the avtale ends at
    the end of that day): February 2026 to lege:L-700, March 2026 to the vikar."""
    key = "1149-040"
    ledger.apply(SATS, opprett(key, "2001-02-01", samarbeidsutvalg_uttalelse="2001-01-15"),
                 {"cmd": "avtale_inngatt", "hjemmel": key, "dato": "2001-03-01", "lege": lege("L-700", "1956-02-29"),
                  "listetak": 1200},
                 {"cmd": "listetall", "hjemmel": key, "dato": "2026-01-01", "antall": 1200})
    assert mottakere(ledger.betalinger(key, "2026-03-31"), "2026-01", "2026-02", "2026-03") == [
        ("2026-01", "lege:L-700"), ("2026-02", "lege:L-700"), ("2026-03", "vikar")]
