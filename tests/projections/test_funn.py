"""`funn` (interface §4, domain.md §5): every finding code with its clause, date and triggering event.
Findings are derived, never stored, and block nothing. Literal command lines in, contract JSON out."""
from __future__ import annotations

from typing import Any

import pytest

SATS = {"cmd": "sats", "dato": "2023-07-01", "belop_per_innbygger_per_ar": "841.80"}
K = "1149-017"


def lege(lege_id: str, fodselsdato: str = "1975-05-05") -> dict[str, Any]:
    return {"id": lege_id, "navn": f"Lege {lege_id}", "fodselsdato": fodselsdato}


def opprett(key: str = K, dato: str = "2024-01-02", **felter: Any) -> dict[str, Any]:
    cmd = {"cmd": "opprett_hjemmel", "hjemmel": key, "dato": dato, "kommune": key[:4], "listetak": 1200,
           "lokalisering": "Eksempel legesenter", "organiseringsform": "gruppe", "praksistype": "naeringsdrift",
           "samarbeidsutvalg_uttalelse": "2023-12-01"}
    return cmd | felter


def avtale(dato: str, lege_id: str = "L-100", key: str = K) -> dict[str, Any]:
    return {"cmd": "avtale_inngatt", "hjemmel": key, "dato": dato, "lege": lege(lege_id), "listetak": 1200}


def utlysning(dato: str, uid: str, soknadsfrist: str, key: str = K, **felter: Any) -> dict[str, Any]:
    cmd = {"cmd": "utlysning", "hjemmel": key, "dato": dato, "utlysning_id": uid, "soknadsfrist": soknadsfrist,
           "kanal": "nasjonal portal", "lokalisering": "Eksempel legesenter", "listelengde": 1200,
           "organiseringsform": "gruppe", "praksistype": "naeringsdrift", "prisantydning": "450000.00"}
    return cmd | felter


def avsluttet(dato: str, uid: str, utfall: str = "ingen_sokere", key: str = K) -> dict[str, Any]:
    return {"cmd": "utlysning_avsluttet", "hjemmel": key, "dato": dato, "utlysning_id": uid, "utfall": utfall}


def av(funn: list[dict[str, Any]], kode: str) -> list[dict[str, Any]]:
    return [f for f in funn if f["funn"] == kode]


def uten_melding(f: dict[str, Any]) -> dict[str, Any]:
    assert isinstance(f["melding"], str) and f["melding"]
    return {k: v for k, v in f.items() if k != "melding"}


def oppsagt(ledger) -> dict[str, int]:
    """E1: holder L-100 (listetak 1200, lokalisering "Eksempel legesenter") gives notice 2024-03-15;
    L-100 holds the right to overdragelse for the vacancy."""
    pos = ledger.apply(SATS, opprett(), avtale("2024-03-01"),
                       {"cmd": "listetall", "hjemmel": K, "dato": "2024-03-01", "antall": 1200},
                       {"cmd": "oppsigelse", "hjemmel": K, "dato": "2024-03-15", "fra": "lege"})
    return dict(zip(["sats", "opprett", "avtale", "listetall", "oppsigelse"], pos))


# ---- §5.3 ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("uttalelse", [None, "2024-06-11"], ids=["null", "etter-opprettelse"])
def test_ny_hjemmel_uten_samarbeidsutvalg(ledger, uttalelse: str | None) -> None:
    """§5.3, E12: samarbeidsutvalg_uttalelse null or later than dato → ny_hjemmel_uten_samarbeidsutvalg."""
    [pos] = ledger.apply(opprett("1149-031", "2024-06-10", samarbeidsutvalg_uttalelse=uttalelse))
    assert [uten_melding(f) for f in ledger.funn("1149-031", "2024-06-30")] == [
        {"funn": "ny_hjemmel_uten_samarbeidsutvalg", "dato": "2024-06-10", "hjemmel_i_avtalen": "ASA 4310 §5.3",
         "posisjon": pos}]


@pytest.mark.parametrize("uttalelse", ["2024-05-28", "2024-06-10"], ids=["for", "samme-dag"])
def test_ingen_funn_nar_samarbeidsutvalget_er_hort(ledger, uttalelse: str) -> None:
    """§5.3, E12: an uttalelse on or before the creation date gives no finding."""
    ledger.apply(opprett("1149-031", "2024-06-10", samarbeidsutvalg_uttalelse=uttalelse))
    assert ledger.funn("1149-031", "2024-06-30") == []


# ---- §5.4: utlysning (D4) ------------------------------------------------------------------------------

def test_utlysning_med_20_dager_er_ikke_korrekt(ledger) -> None:
    """E8, D4 (§5.4): 2024-09-22 − 2024-09-02 = 20 days < 21 → utlysning_ikke_korrekt,
    melding soknadsfrist_under_21_dager; the utlysning is stored."""
    oppsagt(ledger)
    [pos] = ledger.apply(utlysning("2024-09-02", "U3", "2024-09-22"))
    [f] = av(ledger.funn(K, "2024-09-30"), "utlysning_ikke_korrekt")
    assert uten_melding(f) == {"funn": "utlysning_ikke_korrekt", "dato": "2024-09-02",
                               "hjemmel_i_avtalen": "ASA 4310 §5.4", "posisjon": pos}
    assert "soknadsfrist_under_21_dager" in f["melding"]
    assert "mangler_kanal" not in f["melding"]


def test_utlysning_uten_kanal_nevner_begge_grunner(ledger) -> None:
    """E8, D4 (§5.4): with kanal null as well, the melding lists soknadsfrist_under_21_dager and mangler_kanal."""
    oppsagt(ledger)
    ledger.apply(utlysning("2024-09-02", "U3", "2024-09-22", kanal=None))
    [f] = av(ledger.funn(K, "2024-09-30"), "utlysning_ikke_korrekt")
    assert "soknadsfrist_under_21_dager" in f["melding"] and "mangler_kanal" in f["melding"]


@pytest.mark.parametrize("felt", ["lokalisering", "listelengde", "organiseringsform", "praksistype", "kanal"])
def test_utlysning_mangler_pakrevd_felt(ledger, felt: str) -> None:
    """D4 (§5.4 (1)–(2)): a missing required field makes the utlysning not korrekt: reason mangler_<felt>."""
    oppsagt(ledger)
    ledger.apply(utlysning("2024-03-20", "U1", "2024-04-15", **{felt: None}))
    [f] = av(ledger.funn(K, "2024-04-30"), "utlysning_ikke_korrekt")
    assert f"mangler_{felt}" in f["melding"]
    assert "soknadsfrist_under_21_dager" not in f["melding"]


def test_utlysning_med_noyaktig_21_dager_er_korrekt(ledger) -> None:
    """E7 U2, D4 (§5.4 (1)): exactly 21 days is korrekt: no finding."""
    oppsagt(ledger)
    ledger.apply(utlysning("2024-05-06", "U2", "2024-05-27"))
    assert av(ledger.funn(K, "2024-05-31"), "utlysning_ikke_korrekt") == []


def test_utlysning_utenfor_ledighet_er_ikke_korrekt(ledger) -> None:
    """D4, S22 (§5.4): an utlysning while AKTIV (outside the age-70 window) belongs to no vacancy:
    reason ikke_for_gjeldende_ledighet."""
    ledger.apply(SATS, opprett(), avtale("2024-03-01"), utlysning("2024-03-20", "U1", "2024-04-15"))
    [f] = av(ledger.funn(K, "2024-04-30"), "utlysning_ikke_korrekt")
    assert "ikke_for_gjeldende_ledighet" in f["melding"]


def test_prisantydning_mangler(ledger) -> None:
    """E8, D4 (§5.4 (3)): prisantydning null while L-100 holds the right → prisantydning_mangler;
    the utlysning stays korrekt (no utlysning_ikke_korrekt)."""
    oppsagt(ledger)
    [pos] = ledger.apply(utlysning("2024-03-20", "U1", "2024-04-15", prisantydning=None))
    funn = ledger.funn(K, "2024-04-30")
    assert [uten_melding(f) for f in av(funn, "prisantydning_mangler")] == [
        {"funn": "prisantydning_mangler", "dato": "2024-03-20", "hjemmel_i_avtalen": "ASA 4310 §5.4 (3)",
         "posisjon": pos}]
    assert av(funn, "utlysning_ikke_korrekt") == []


def test_utlysning_uten_prisantydning_teller_for_hjemfall(ledger) -> None:
    """D4, D5 (§5.4 (3), §5.8): an otherwise korrekt utlysning without prisantydning still counts."""
    oppsagt(ledger)
    ledger.apply(utlysning("2024-03-20", "U1", "2024-04-15", prisantydning=None),
                 avsluttet("2024-04-22", "U1"))
    assert ledger.status(K, "2024-04-30")["korrekte_utlysninger_uten_resultat"] == 1


def test_prisantydning_mangler_nar_dodsboet_har_retten(ledger) -> None:
    """§5.4 (3), S11: after death the dødsbo holds the right, so a missing prisantydning is a finding."""
    ledger.apply(SATS, opprett(), avtale("2024-03-01"),
                 {"cmd": "bortfall", "hjemmel": K, "dato": "2024-03-15", "grunn": "dodsfall"})
    [pos] = ledger.apply(utlysning("2024-03-20", "U1", "2024-04-15", prisantydning=None))
    assert [(f["funn"], f["posisjon"]) for f in av(ledger.funn(K, "2024-04-30"), "prisantydning_mangler")] == [
        ("prisantydning_mangler", pos)]


def test_ingen_prisantydning_funn_etter_hjemfall(ledger) -> None:
    """§5.4 (3), D9 (§5.8 (2)): after hjemfall nobody holds the right: no prisantydning_mangler, and no
    §5.2 findings for a new lokalisering or a shorter list."""
    hjemfalt(ledger)
    ledger.apply(utlysning("2025-03-20", "U5", "2025-04-14", prisantydning=None, lokalisering="Nytt legesenter",
                           listelengde=900))
    funn = [f["funn"] for f in ledger.funn(K, "2025-04-30") if f["dato"] == "2025-03-20"]
    assert funn == []


def test_ingen_prisantydning_funn_for_ny_hjemmel(ledger) -> None:
    """§5.4 (3): on a new hjemmel nobody holds the right to overdragelse, so no prisantydning_mangler."""
    ledger.apply(opprett(), utlysning("2024-01-10", "U1", "2024-02-05", prisantydning=None))
    assert av(ledger.funn(K, "2024-02-29"), "prisantydning_mangler") == []


def test_utlysning_endret_lokalisering(ledger) -> None:
    """§5.2 (1): an utlysning with another lokalisering while the fratredende lege holds the right."""
    oppsagt(ledger)
    [pos] = ledger.apply(utlysning("2024-03-20", "U1", "2024-04-15", lokalisering="Nytt legesenter"))
    assert [uten_melding(f) for f in av(ledger.funn(K, "2024-04-30"), "utlysning_endret_lokalisering")] == [
        {"funn": "utlysning_endret_lokalisering", "dato": "2024-03-20", "hjemmel_i_avtalen": "ASA 4310 §5.2 (1)",
         "posisjon": pos}]


def test_utlysning_lavere_listelengde(ledger) -> None:
    """§5.2 (3): listelengde 1000 below the current listetak 1200 while the fratredende lege holds the right."""
    oppsagt(ledger)
    [pos] = ledger.apply(utlysning("2024-03-20", "U1", "2024-04-15", listelengde=1000))
    assert [uten_melding(f) for f in av(ledger.funn(K, "2024-04-30"), "utlysning_lavere_listelengde")] == [
        {"funn": "utlysning_lavere_listelengde", "dato": "2024-03-20", "hjemmel_i_avtalen": "ASA 4310 §5.2 (3)",
         "posisjon": pos}]


# ---- §5.5, §5.6: tilbud and nemnd --------------------------------------------------------------------

E11 = "1103-042"


def e11_til_mottatt(ledger, tilbud_dato: str = "2025-04-24") -> dict[str, int]:
    """E11 up to `tilbud_mottatt` T-1 (L-300). U1 has soknadsfrist 2025-03-03."""
    navn = ["sats", "opprett", "avtale", "listetall", "oppsigelse", "U1", "tilbud", "mottatt"]
    pos = ledger.apply(
        SATS, opprett(E11), avtale("2024-01-02", "L-150", E11),
        {"cmd": "listetall", "hjemmel": E11, "dato": "2024-02-01", "antall": 1200},
        {"cmd": "oppsigelse", "hjemmel": E11, "dato": "2025-01-20", "fra": "lege"},
        utlysning("2025-02-03", "U1", "2025-03-03", E11, prisantydning="600000.00"),
        {"cmd": "tilbud", "hjemmel": E11, "dato": tilbud_dato, "tilbud_id": "T-1", "lege": lege("L-300")},
        {"cmd": "tilbud_mottatt", "hjemmel": E11, "dato": tilbud_dato, "tilbud_id": "T-1"},
    )
    return dict(zip(navn, pos))


@pytest.mark.parametrize("dato", ["2025-02-20", "2025-03-03"], ids=["for", "pa-fristen"])
def test_tilbud_for_soknadsfrist(ledger, dato: str) -> None:
    """§5.4, §5.5: a tilbud dated on or before the soknadsfrist of the open utlysning."""
    pos = e11_til_mottatt(ledger, tilbud_dato=dato)
    assert [uten_melding(f) for f in av(ledger.funn(E11, "2025-03-31"), "tilbud_for_soknadsfrist")] == [
        {"funn": "tilbud_for_soknadsfrist", "dato": dato, "hjemmel_i_avtalen": "ASA 4310 §5.4, §5.5",
         "posisjon": pos["tilbud"]}]


def test_tilbud_etter_soknadsfrist_gir_ikke_funn(ledger) -> None:
    """§5.4, §5.5: E11's tilbud on 2025-04-24, after the soknadsfrist 2025-03-03: no finding."""
    e11_til_mottatt(ledger)
    assert av(ledger.funn(E11, "2025-04-30"), "tilbud_for_soknadsfrist") == []


def test_tilbud_akseptert_etter_frist(ledger) -> None:
    """§5.6 (5), D6, E3: akseptfrist 2025-05-30; an acceptance on 2025-06-02 is stored with a finding."""
    e11_til_mottatt(ledger)
    [pos] = ledger.apply({"cmd": "tilbud_akseptert", "hjemmel": E11, "dato": "2025-06-02", "tilbud_id": "T-1"})
    assert [uten_melding(f) for f in av(ledger.funn(E11, "2025-06-30"), "tilbud_akseptert_etter_frist")] == [
        {"funn": "tilbud_akseptert_etter_frist", "dato": "2025-06-02", "hjemmel_i_avtalen": "ASA 4310 §5.6 (5)",
         "posisjon": pos}]


def test_aksept_pa_flyttet_akseptfrist_er_i_tide(ledger) -> None:
    """§5.6 (5), D6, D14, E3: 2025-05-29 is Ascension Day, so an acceptance on 2025-05-30 is in time."""
    e11_til_mottatt(ledger)
    ledger.apply({"cmd": "tilbud_akseptert", "hjemmel": E11, "dato": "2025-05-30", "tilbud_id": "T-1"})
    assert av(ledger.funn(E11, "2025-06-30"), "tilbud_akseptert_etter_frist") == []


def e11_i_nemnd(ledger) -> dict[str, int]:
    pos = e11_til_mottatt(ledger)
    navn = ["U1x", "akseptert", "nemnd"]
    pos |= dict(zip(navn, ledger.apply(
        avsluttet("2025-04-25", "U1", "tilbud", E11),
        {"cmd": "tilbud_akseptert", "hjemmel": E11, "dato": "2025-05-20", "tilbud_id": "T-1"},
        {"cmd": "nemnd_begjaert", "hjemmel": E11, "dato": "2025-06-02", "tema": "overdragelsespris",
         "begjaert_av": "fratredende"},
    )))
    return pos


def test_medvirkning_nektet_av_overtakende(ledger) -> None:
    """E11 variant, D8 (§5.6 (3)): L-300 refuses on 2025-07-01 → finding medvirkning_nektet; T-1 ends and
    tildeling goes back to INGEN."""
    e11_i_nemnd(ledger)
    [pos] = ledger.apply({"cmd": "nemnd_medvirkning_nektet", "hjemmel": E11, "dato": "2025-07-01",
                          "part": "overtakende"})
    [f] = av(ledger.funn(E11, "2025-07-31"), "medvirkning_nektet")
    assert uten_melding(f) == {"funn": "medvirkning_nektet", "dato": "2025-07-01",
                               "hjemmel_i_avtalen": "ASA 4310 §5.6 (3)", "posisjon": pos}
    assert ledger.status(E11, "2025-07-31")["tildeling"] == "INGEN"


def test_medvirkning_nektet_av_fratredende_gir_aldri_overdragelsespris(ledger) -> None:
    """E11 variant, D8, D16 (§5.6 (3)): L-150 refuses → right lost, tildeling back to TILBUD_AKSEPTERT,
    and no overdragelsespris ever appears."""
    e11_i_nemnd(ledger)
    ledger.apply({"cmd": "nemnd_medvirkning_nektet", "hjemmel": E11, "dato": "2025-07-01", "part": "fratredende"},
                 {"cmd": "tiltredelse", "hjemmel": E11, "dato": "2025-08-01", "tilbud_id": "T-1"})
    assert len(av(ledger.funn(E11, "2025-08-31"), "medvirkning_nektet")) == 1
    assert ledger.avvis({"cmd": "pris_avtalt", "hjemmel": E11, "dato": "2025-08-02", "belop": "1.00"})["feil"] == \
        "ingen_overdragelsesrett"
    assert [p for p in ledger.betalinger(E11, "2025-08-31") if p["type"] == "overdragelsespris"] == []


def test_medvirkning_nektet_fratredende_faller_tilbake_til_akseptert(ledger) -> None:
    """§2.5, D8 (§5.6 (3)): after the fratredende's refusal, tildeling falls back to TILBUD_AKSEPTERT."""
    e11_i_nemnd(ledger)
    ledger.apply({"cmd": "nemnd_medvirkning_nektet", "hjemmel": E11, "dato": "2025-07-01", "part": "fratredende"})
    assert ledger.status(E11, "2025-07-31")["tildeling"] == "TILBUD_AKSEPTERT"


def test_medvirkning_nektet_etter_tiltredelse_endrer_ingen_tilstand(ledger) -> None:
    """§2.7 `nemnd_medvirkning_nektet`, D8 (§5.6 (3)): the overtakende lege refusing after tiltredelse is
    stored with the finding but changes no state: L-300 stays holder and tildeling stays I_NEMND."""
    e11_i_nemnd(ledger)
    ledger.apply({"cmd": "tiltredelse", "hjemmel": E11, "dato": "2025-08-01", "tilbud_id": "T-1"})
    [pos] = ledger.apply({"cmd": "nemnd_medvirkning_nektet", "hjemmel": E11, "dato": "2025-08-05",
                          "part": "overtakende"})
    assert [f["posisjon"] for f in av(ledger.funn(E11, "2025-08-31"), "medvirkning_nektet")] == [pos]
    status = ledger.status(E11, "2025-08-31")
    assert (status["status"], status["lege"]["id"], status["tildeling"]) == ("AKTIV", "L-300", "I_NEMND")


def test_klage_for_sent_over_tildeling(ledger) -> None:
    """E3, D13, S17 (fvl §29, §31): klagefrist (tildeling) 2025-05-15; a klage on 2025-05-16 is late."""
    e11_til_mottatt(ledger)
    [pos] = ledger.apply({"cmd": "klage", "hjemmel": E11, "dato": "2025-05-16", "sak_id": "T-1",
                          "vedtak": "tildeling"})
    assert [uten_melding(f) for f in av(ledger.funn(E11, "2025-05-31"), "klage_for_sent")] == [
        {"funn": "klage_for_sent", "dato": "2025-05-16", "hjemmel_i_avtalen": "fvl §29, §31", "posisjon": pos}]


def test_klage_pa_klagefristen_er_i_tide(ledger) -> None:
    """E3, D13 (fvl §29): a klage dated on the klagefrist 2025-05-15 is in time: no finding."""
    e11_til_mottatt(ledger)
    ledger.apply({"cmd": "klage", "hjemmel": E11, "dato": "2025-05-15", "sak_id": "T-1", "vedtak": "tildeling"})
    assert av(ledger.funn(E11, "2025-05-31"), "klage_for_sent") == []


# ---- §5.8: hjemfall and direct avtale -----------------------------------------------------------------

def hjemfalt(ledger) -> dict[str, int]:
    """E7: three counted utlysninger (U3 with 20 days does not count), hjemfall 2025-03-17."""
    pos = oppsagt(ledger)
    steg = [
        ("U1", utlysning("2024-03-20", "U1", "2024-04-15")), ("U1x", avsluttet("2024-04-22", "U1")),
        ("U2", utlysning("2024-05-06", "U2", "2024-05-27")),
        ("U2x", avsluttet("2024-06-03", "U2", "ingen_kvalifisert_villig")),
        ("U3", utlysning("2024-09-02", "U3", "2024-09-22")), ("U3x", avsluttet("2024-09-30", "U3")),
        ("U4", utlysning("2024-10-07", "U4", "2024-11-04")), ("U4x", avsluttet("2024-11-11", "U4")),
        ("hjemfall", {"cmd": "hjemfall", "hjemmel": K, "dato": "2025-03-17"}),
    ]
    for navn, cmd in steg:
        pos[navn] = ledger.apply(cmd)[0]
    return pos


def test_tildeling_uten_utlysning(ledger) -> None:
    """§5.4, §5.5, S21: avtale_inngatt on a HJEMFALT hjemmel with no utlysning since the hjemfall."""
    hjemfalt(ledger)
    [pos] = ledger.apply(avtale("2025-04-01", "L-800"))
    assert [uten_melding(f) for f in av(ledger.funn(K, "2025-04-30"), "tildeling_uten_utlysning")] == [
        {"funn": "tildeling_uten_utlysning", "dato": "2025-04-01", "hjemmel_i_avtalen": "ASA 4310 §5.4, §5.5",
         "posisjon": pos}]


def test_tildeling_etter_utlysning_gir_ikke_funn(ledger) -> None:
    """§5.4, §5.5: an utlysning after the hjemfall, then avtale_inngatt → no tildeling_uten_utlysning."""
    hjemfalt(ledger)
    ledger.apply(utlysning("2025-03-20", "U5", "2025-04-14"), avsluttet("2025-04-15", "U5"),
                 avtale("2025-04-16", "L-800"))
    assert av(ledger.funn(K, "2025-04-30"), "tildeling_uten_utlysning") == []


def test_ledig_uten_utlysning_er_av_som_standard(ledger) -> None:
    """§5 (ledig_uten_utlysning_dager = null): a long vacancy without utlysning gives no such finding."""
    oppsagt(ledger)
    assert av(ledger.funn(K, "2025-06-30"), "ledig_uten_utlysning") == []


# ---- §5.7 ---------------------------------------------------------------------------------------------

def test_ytelser_5_7_ved_ledighetens_start(ledger) -> None:
    """§5.7, §4.5: at the start of a vacancy with a right to overdragelse, a rekrutteringstilskudd paid to
    the fratredende lege within (opphorsdato − 3 years, opphorsdato] → ytelser_5_7 with the sum by type."""
    ledger.apply(SATS, opprett(dato="2022-12-01", samarbeidsutvalg_uttalelse="2022-11-01"),
                 avtale("2023-01-02", "L-700"),
                 {"cmd": "lokalt_tiltak", "hjemmel": K, "dato": "2023-01-02", "tiltak": "rekrutteringstilskudd",
                  "vilkar": {"belop": "200000.00"}})
    [pos] = ledger.apply({"cmd": "oppsigelse", "hjemmel": K, "dato": "2024-03-15", "fra": "lege"})
    [f] = av(ledger.funn(K, "2024-03-31"), "ytelser_5_7")
    assert uten_melding(f) == {"funn": "ytelser_5_7", "dato": "2024-03-15", "hjemmel_i_avtalen": "ASA 4310 §5.7",
                               "posisjon": pos}
    assert "rekrutteringstilskudd" in f["melding"] and "200000.00" in f["melding"]


def test_ytelser_5_7_eldre_enn_tre_ar_teller_ikke(ledger) -> None:
    """§5.7: a payment with forfall before (opphorsdato − 3 years) = 2021-09-15 is outside the window."""
    ledger.apply(SATS, opprett(dato="2021-01-04", samarbeidsutvalg_uttalelse="2020-12-01"),
                 avtale("2021-01-05", "L-700"),
                 {"cmd": "lokalt_tiltak", "hjemmel": K, "dato": "2021-01-05", "tiltak": "rekrutteringstilskudd",
                  "vilkar": {"belop": "200000.00"}},
                 {"cmd": "oppsigelse", "hjemmel": K, "dato": "2024-03-15", "fra": "lege"})
    assert av(ledger.funn(K, "2024-03-31"), "ytelser_5_7") == []


def test_ytelser_5_7_ved_vilkar_om_ingen_kompensasjon(ledger) -> None:
    """§5.7 (3), §7.3: a measure with ingen_kompensasjon_opparbeidet_praksis: true → ytelser_5_7."""
    ledger.apply(SATS, opprett(dato="2022-12-01", samarbeidsutvalg_uttalelse="2022-11-01"),
                 avtale("2023-01-02", "L-700"),
                 {"cmd": "lokalt_tiltak", "hjemmel": K, "dato": "2023-01-02", "tiltak": "driftsgaranti",
                  "vilkar": {"maks_per_maned": "85000.00", "lege_id": "L-700",
                             "ingen_kompensasjon_opparbeidet_praksis": True}},
                 {"cmd": "oppsigelse", "hjemmel": K, "dato": "2024-03-15", "fra": "lege"})
    assert len(av(ledger.funn(K, "2024-03-31"), "ytelser_5_7")) == 1


# ---- §16 -----------------------------------------------------------------------------------------------

def test_kommune_oppsigelse(ledger) -> None:
    """§16 (1), D2: a notice from the kommune (with begrunnelse) → kommune_oppsigelse."""
    ledger.apply(SATS, opprett(), avtale("2024-03-01"))
    [pos] = ledger.apply({"cmd": "oppsigelse", "hjemmel": K, "dato": "2024-03-15", "fra": "kommune",
                          "begrunnelse": "gjentatte brudd på tilgjengelighetskravene"})
    assert [uten_melding(f) for f in av(ledger.funn(K, "2024-03-31"), "kommune_oppsigelse")] == [
        {"funn": "kommune_oppsigelse", "dato": "2024-03-15", "hjemmel_i_avtalen": "ASA 4310 §16 (1)",
         "posisjon": pos}]


def test_oppsigelse_fra_lege_gir_ikke_funn(ledger) -> None:
    """§16 (1): a notice from the lege is no finding."""
    oppsagt(ledger)
    assert av(ledger.funn(K, "2024-03-31"), "kommune_oppsigelse") == []


def test_heving(ledger) -> None:
    """§16 (2), D2: heving → finding heving (vesentlig mislighold; dispute route §17.1)."""
    ledger.apply(SATS, opprett(), avtale("2024-03-01"))
    [pos] = ledger.apply({"cmd": "heving", "hjemmel": K, "dato": "2024-04-02", "begrunnelse": "vesentlig mislighold"})
    assert [uten_melding(f) for f in av(ledger.funn(K, "2024-04-30"), "heving")] == [
        {"funn": "heving", "dato": "2024-04-02", "hjemmel_i_avtalen": "ASA 4310 §16 (2)", "posisjon": pos}]


# ---- §8.1: gaps in listetall and sats -----------------------------------------------------------------

def test_listetall_mangler_ett_funn_per_sammenhengende_lop(ledger) -> None:
    """§8.1, §4.2: holder from 2024-01-02, first listetall 2024-04-01 → one finding for 2024-02 … 2024-03,
    dated the first affected month; no basistilskudd for those months."""
    [_, _, pos_avtale, _] = ledger.apply(
        SATS, opprett(), avtale("2024-01-02"), {"cmd": "listetall", "hjemmel": K, "dato": "2024-04-01", "antall": 1200})
    assert [uten_melding(f) for f in ledger.funn(K, "2024-04-30")] == [
        {"funn": "listetall_mangler", "dato": "2024-02-01", "hjemmel_i_avtalen": "ASA 4310 §8.1",
         "posisjon": pos_avtale}]
    assert [p["periode"] for p in ledger.betalinger(K, "2024-04-30")] == ["2024-04"]


def test_listetall_mangler_to_lop_gir_to_funn(ledger) -> None:
    """§8.1: months without listetall interrupted by HJEMFALT months form two runs → two findings, each
    dated its first month and pointing at the avtale that made it eligible."""
    [_, _, pos_avtale] = ledger.apply(SATS, opprett(), avtale("2024-03-01"))
    ledger.apply({"cmd": "oppsigelse", "hjemmel": K, "dato": "2024-03-15", "fra": "lege"},
                 utlysning("2024-03-20", "U1", "2024-04-15"), avsluttet("2024-04-22", "U1"),
                 utlysning("2024-05-06", "U2", "2024-05-27"), avsluttet("2024-06-03", "U2"),
                 utlysning("2024-10-07", "U4", "2024-11-04"), avsluttet("2024-11-11", "U4"),
                 {"cmd": "hjemfall", "hjemmel": K, "dato": "2025-03-17"},
                 utlysning("2025-03-20", "U5", "2025-04-14"), avsluttet("2025-04-15", "U5"))
    [pos_ny] = ledger.apply(avtale("2025-05-02", "L-800"))
    funn = av(ledger.funn(K, "2025-06-30"), "listetall_mangler")
    assert [(f["dato"], f["posisjon"]) for f in funn] == [("2024-03-01", pos_avtale), ("2025-06-01", pos_ny)]


def test_listetall_mangler_posisjon_er_hendelsen_som_gjorde_maneden_berettiget(ledger) -> None:
    """§5 (posisjon, for month gaps: the event that made the month eligible): the avtale_inngatt, not a
    later unrelated event folded before the 1st."""
    [_, _, pos_avtale] = ledger.apply(SATS, opprett(), avtale("2024-01-15"))
    ledger.apply({"cmd": "lokalt_tiltak", "hjemmel": K, "dato": "2024-01-20", "tiltak": "driftsgaranti",
                  "vilkar": {"maks_per_maned": "85000.00"}},
                 {"cmd": "listetall", "hjemmel": K, "dato": "2024-04-01", "antall": 1200})
    [f] = av(ledger.funn(K, "2024-04-30"), "listetall_mangler")
    assert (f["dato"], f["posisjon"]) == ("2024-02-01", pos_avtale)


def test_sats_mangler_ett_funn_per_lop(ledger) -> None:
    """§8.1, §4.2: listetall from 2024-02-01 but the first sats from 2024-05-01 → one sats_mangler for
    2024-02 … 2024-04, and basistilskudd from 2024-05."""
    ledger.apply(opprett(), avtale("2024-01-02"), {"cmd": "listetall", "hjemmel": K, "dato": "2024-02-01", "antall": 1200},
                 {"cmd": "sats", "dato": "2024-05-01", "belop_per_innbygger_per_ar": "841.80"})
    funn = ledger.funn(K, "2024-05-31")
    assert [(f["funn"], f["dato"], f["hjemmel_i_avtalen"]) for f in funn] == [
        ("sats_mangler", "2024-02-01", "ASA 4310 §8.1")]
    assert "2024-04" in funn[0]["melding"]
    assert [p["periode"] for p in ledger.betalinger(K, "2024-05-31")] == ["2024-05"]


def test_ingen_hullfunn_for_opprettet_uten_innehaver(ledger) -> None:
    """§4.2, §8.1: OPPRETTET months owe nothing, so no listetall_mangler (E12 September)."""
    ledger.apply(SATS, opprett())
    assert ledger.funn(K, "2024-06-30") == []


# ---- §5.8 (4) and local: the driftsgaranti cap (E14) --------------------------------------------------

E14 = "1103-060"


def e14(ledger) -> dict[str, int]:
    pos: dict[str, int] = {}
    steg = [
        ("sats", SATS), ("opprett", opprett(E14)), ("avtale", avtale("2024-01-02", "L-610", E14)),
        ("listetall", {"cmd": "listetall", "hjemmel": E14, "dato": "2024-02-01", "antall": 1200}),
        ("garanti", {"cmd": "lokalt_tiltak", "hjemmel": E14, "dato": "2024-02-05", "tiltak": "driftsgaranti",
                     "vilkar": {"maks_per_maned": "85000.00", "grunnlag": "regnskap"}}),
        ("oppsigelse", {"cmd": "oppsigelse", "hjemmel": E14, "dato": "2024-03-15", "fra": "lege"}),
        ("U1", utlysning("2024-03-20", "U1", "2024-04-15", E14)), ("U1x", avsluttet("2024-04-22", "U1", key=E14)),
        ("U2", utlysning("2024-05-06", "U2", "2024-05-27", E14)), ("U2x", avsluttet("2024-06-03", "U2", key=E14)),
        ("U3", utlysning("2024-10-07", "U3", "2024-11-04", E14)),
        ("oktober", {"cmd": "driftsutgifter", "hjemmel": E14, "dato": "2024-11-05", "periode": "2024-10",
                     "belop": "42000.00", "vikar_belop": "61500.00"}),
        ("U3x", avsluttet("2024-11-11", "U3", key=E14)),
        ("hjemfall", {"cmd": "hjemfall", "hjemmel": E14, "dato": "2025-03-17"}),
        ("mai", {"cmd": "driftsutgifter", "hjemmel": E14, "dato": "2025-06-03", "periode": "2025-05",
                 "belop": "42000.00", "vikar_belop": "61500.00"}),
    ]
    for navn, cmd in steg:
        pos[navn] = ledger.apply(cmd)[0]
    return pos


def test_over_lokal_driftsgaranti(ledger) -> None:
    """E14, S15 (§5.8 (4), local): 103,500.00 documented for 2024-10 > cap 85,000.00 → informational
    finding over_lokal_driftsgaranti naming 18,500.00 above the cap."""
    pos = e14(ledger)
    [f] = av(ledger.funn(E14, "2024-11-30"), "over_lokal_driftsgaranti")
    assert uten_melding(f) == {"funn": "over_lokal_driftsgaranti", "dato": "2024-11-05",
                               "hjemmel_i_avtalen": "ASA 4310 §5.8 (4), lokalt tiltak", "posisjon": pos["oktober"]}
    assert "18500.00" in f["melding"]


def test_driftsgaranti_tak_overskredet(ledger) -> None:
    """E14, S15 (local): periode 2025-05 outside every ledighetsperiode: 18,500.00 not covered →
    driftsgaranti_tak_overskredet."""
    pos = e14(ledger)
    [f] = av(ledger.funn(E14, "2025-06-30"), "driftsgaranti_tak_overskredet")
    assert uten_melding(f) == {"funn": "driftsgaranti_tak_overskredet", "dato": "2025-06-03",
                               "hjemmel_i_avtalen": "lokalt tiltak", "posisjon": pos["mai"]}
    assert "18500.00" in f["melding"]


def test_over_lokal_driftsgaranti_er_ikke_tak_overskredet(ledger) -> None:
    """S15: inside the ledighetsperiode the cap gives only over_lokal_driftsgaranti, never the cut finding."""
    e14(ledger)
    funn = ledger.funn(E14, "2024-11-30")
    assert av(funn, "driftsgaranti_tak_overskredet") == []


def test_under_taket_ingen_funn(ledger) -> None:
    """S15: documented costs at or below the cap give no cap finding."""
    e14(ledger)
    ledger.apply({"cmd": "driftsutgifter", "hjemmel": E14, "dato": "2025-07-02", "periode": "2025-06",
                  "belop": "23500.00", "vikar_belop": "61500.00"})
    funn = [f for f in ledger.funn(E14, "2025-07-31") if "2025-06" in f["melding"]]
    assert funn == []


# ---- general ------------------------------------------------------------------------------------------

def test_funn_blokkerer_ingenting(ledger) -> None:
    """§5: findings do not block: after a not-korrekt utlysning the next command is still accepted."""
    oppsagt(ledger)
    ledger.apply(utlysning("2024-09-02", "U3", "2024-09-22", kanal=None))
    ledger.apply(avsluttet("2024-09-30", "U3"))
    assert ledger.status(K, "2024-09-30")["tildeling"] == "INGEN"


def test_funn_avledes_per_as_of(ledger) -> None:
    """§5: a finding is recomputed for every --as-of: before the triggering fact it does not exist."""
    oppsagt(ledger)
    ledger.apply(utlysning("2024-09-02", "U3", "2024-09-22"))
    assert av(ledger.funn(K, "2024-09-01"), "utlysning_ikke_korrekt") == []
    assert len(av(ledger.funn(K, "2024-09-02"), "utlysning_ikke_korrekt")) == 1
