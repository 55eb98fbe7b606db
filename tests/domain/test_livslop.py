"""Lifecycle of one hjemmel: the status, tildeling and korrigering regions (domain.md §2.2–§2.6, S1–S4, S8, S9, D8, D9)."""
from __future__ import annotations

import pytest

from hjemmel.domain.regler import Regler
from tests.builders import (
    HJEMFALL_TIDLIGST, OPPHORSDATO, aktiv, avtale_inngatt, betalinger, bortfall, driftsutgifter, extend, forhold_rettet, frist,
    funn, given, heving, hjemfall, hjemfalt, lege, nemnd_avgjort, nemnd_begjaert, nemnd_medvirkning_nektet,
    opprett, oppsagt, oppsigelse, pris_avtalt, rejected, skriftlig_advarsel, state, status, tilbud,
    tilbud_akseptert, tilbud_avslatt, tilbud_gitt, tilbud_mottatt, tilbud_trukket, tiltredelse, trekk_vedtatt,
    tre_tellende_utlysninger, utlysning, utlysning_avsluttet, uttalelse_anmodet, uttalelse_mottatt,
    varsel_om_retting, when,
)

# ====================================================================================================
# Status region (§2.4)
# ====================================================================================================


def test_opprett_hjemmel_gir_opprettet_uten_lege_og_opphorsdato() -> None:
    """§2.4 row 1, ASA 4310 §5.1, S28: a new hjemmel is OPPRETTET, without holder or opphorsdato."""
    svar = status(given(opprett("2024-01-02", listetak=1200)), "2024-01-02")
    assert (svar["status"], svar["lege"], svar["opphorsdato"], svar["listetak"]) == ("OPPRETTET", None, None, 1200)


def test_opprett_hjemmel_starter_med_tildeling_og_korrigering_ingen() -> None:
    """§2.5, §2.6: a new hjemmel has no award process and no §15 sak."""
    svar = status(given(opprett("2024-01-02")), "2024-01-02")
    assert (svar["tildeling"], svar["korrigering"], svar["korrekte_utlysninger_uten_resultat"]) == ("INGEN", "INGEN", 0)


def test_avtale_inngatt_pa_opprettet_gir_aktiv_med_holder() -> None:
    """§2.4 OPPRETTET -> avtale_inngatt -> AKTIV, ASA 4310 §5.5."""
    svar = status(given(*aktiv()), "2024-01-02")
    assert (svar["status"], svar["lege"]["id"]) == ("AKTIV", "L-100")


def test_avtale_inngatt_erstatter_listetak() -> None:
    """§2.1: listetak from opprett_hjemmel is replaced by avtale_inngatt."""
    s = given(opprett("2024-01-02", listetak=1200), avtale_inngatt("2024-01-02", listetak=1500))
    assert status(s, "2024-01-02")["listetak"] == 1500


def test_aktiv_uten_slutt_har_ingen_opphorsdato() -> None:
    """S28: opphorsdato is null while the avtale runs without an ending event (outside the age-70 window)."""
    assert status(given(*aktiv()), "2024-06-01")["opphorsdato"] is None


def test_avtale_inngatt_lister_opphor_alder_70() -> None:
    """§2.7 avtale_inngatt, D3, ASA 4310 §16 (3): frist opphor_alder_70 on the 70th birthday, from the start."""
    [f] = frist(given(*aktiv()), "2024-01-02", "opphor_alder_70")
    assert (f["dato"], f["tilstand"], f["hjemmel_i_avtalen"]) == ("2030-05-14", "apen", "ASA 4310 §16 (3)")


def test_avtale_inngatt_pa_hjemfalt_gir_aktiv() -> None:
    """§2.4 HJEMFALT -> avtale_inngatt -> AKTIV, ASA 4310 §5.8 (2)."""
    s = given(*hjemfalt(), avtale_inngatt("2025-04-01", lege_=lege("L-400", fodselsdato="1980-01-01")))
    svar = status(s, "2025-04-01")
    assert (svar["status"], svar["lege"]["id"]) == ("AKTIV", "L-400")


def test_avtale_inngatt_pa_hjemfalt_uten_utlysning_gir_funn() -> None:
    """§2.4, §5: finding tildeling_uten_utlysning (ASA 4310 §5.4, §5.5) when nothing was announced since the hjemfall."""
    s = given(*hjemfalt(), avtale_inngatt("2025-04-01", lege_=lege("L-400", fodselsdato="1980-01-01")))
    assert [f["dato"] for f in funn(s, "2025-04-01", kode="tildeling_uten_utlysning")] == ["2025-04-01"]


def test_avtale_inngatt_pa_hjemfalt_etter_utlysning_gir_ikke_funn() -> None:
    """§5 tildeling_uten_utlysning: not raised when an utlysning was published after the hjemfall."""
    s = given(*hjemfalt(), utlysning("2025-04-01", "U9"), utlysning_avsluttet("2025-05-05", "U9", "ingen_sokere"),
              avtale_inngatt("2025-05-06", lege_=lege("L-400", fodselsdato="1980-01-01")))
    assert funn(s, "2025-05-06", kode="tildeling_uten_utlysning") == []


def test_tiltredelse_pa_opprettet_gir_aktiv() -> None:
    """§2.4 OPPRETTET -> tiltredelse -> AKTIV, ASA 4310 §5.6: a new hjemmel filled through utlysning and tilbud."""
    s = given(opprett("2024-01-02"), utlysning("2024-01-08", "U1"), tilbud("2024-02-12"),
              utlysning_avsluttet("2024-02-12", "U1", "tilbud"), tilbud_mottatt("2024-02-13"),
              tilbud_akseptert("2024-02-20"), tiltredelse("2024-03-01"))
    svar = status(s, "2024-03-01")
    assert (svar["status"], svar["lege"]["id"]) == ("AKTIV", "L-300")


def test_tiltredelse_pa_ledig_gir_aktiv_med_ny_lege() -> None:
    """§2.4 LEDIG -> tiltredelse -> AKTIV, ASA 4310 §5.6; E1: dated the day after the opphorsdato."""
    s = given(*oppsagt(), *tilbud_gitt(), tilbud_mottatt("2024-04-23"), tilbud_akseptert("2024-04-30"),
              tiltredelse("2024-09-16"))
    svar = status(s, "2024-09-16")
    assert (svar["status"], svar["lege"]["id"], svar["opphorsdato"]) == ("AKTIV", "L-300", None)


def test_tiltredelse_setter_listetak_fra_siste_utlysning() -> None:
    """S10: at tiltredelse the listetak becomes the listelengde of the latest utlysning of the vacancy."""
    s = given(*oppsagt(), utlysning("2024-03-20", "U1", listelengde=1000), tilbud("2024-04-22"),
              utlysning_avsluttet("2024-04-22", "U1", "tilbud"), tilbud_mottatt("2024-04-23"),
              tilbud_akseptert("2024-04-30"), tiltredelse("2024-09-16"))
    assert status(s, "2024-09-16")["listetak"] == 1000


def test_tiltredelse_lister_ny_opphor_alder_70() -> None:
    """§2.7 tiltredelse, D3: opphor_alder_70 is created for the new holder (L-300, born 1988-10-03)."""
    s = given(*oppsagt(), *tilbud_gitt(), tilbud_mottatt("2024-04-23"), tilbud_akseptert("2024-04-30"),
              tiltredelse("2024-09-16"))
    assert [f["dato"] for f in frist(s, "2024-09-16", "opphor_alder_70")] == ["2030-05-14", "2058-10-03"]


def test_tiltredelse_pa_hjemfalt_gir_aktiv() -> None:
    """§2.4 HJEMFALT -> tiltredelse -> AKTIV, ASA 4310 §5.6, §5.8 (2)."""
    s = given(*hjemfalt(), utlysning("2025-04-01", "U9"), tilbud("2025-05-05"),
              utlysning_avsluttet("2025-05-05", "U9", "tilbud"), tilbud_mottatt("2025-05-06"),
              tilbud_akseptert("2025-05-07"), tiltredelse("2025-06-02"))
    svar = status(s, "2025-06-02")
    assert (svar["status"], svar["lege"]["id"]) == ("AKTIV", "L-300")


def test_oppsigelse_gir_oppsagt_med_opphorsdato() -> None:
    """§2.4 AKTIV -> oppsigelse -> OPPSAGT; D1, ASA 4310 §16 (1): opphorsdato = dato + 6 months."""
    svar = status(given(*oppsagt()), "2024-03-15")
    assert (svar["status"], svar["opphorsdato"], svar["lege"]["id"]) == ("OPPSAGT", OPPHORSDATO, "L-100")


def test_oppsigelse_fra_kommune_med_begrunnelse_gir_funn() -> None:
    """§2.7 oppsigelse, §5: finding kommune_oppsigelse (ASA 4310 §16 (1)) for a notice from the kommune."""
    s = given(*aktiv(), oppsigelse("2024-03-15", fra="kommune", begrunnelse="Ny plan for legetjenesten"))
    [f] = funn(s, "2024-03-15", kode="kommune_oppsigelse")
    assert f["hjemmel_i_avtalen"] == "ASA 4310 §16 (1)"


@pytest.mark.parametrize("kode, dato", [
    pytest.param("opphor_oppsigelse", OPPHORSDATO, id="D1 §16 (1)"),
    pytest.param("hjemfall_tidligst", HJEMFALL_TIDLIGST, id="D9 §5.8 (1)"),
])
def test_oppsigelse_lister_frister(kode: str, dato: str) -> None:
    """§2.7 oppsigelse, §3.1: frister opphor_oppsigelse and hjemfall_tidligst, both open during the notice."""
    [f] = frist(given(*oppsagt()), "2024-03-15", kode)
    assert (f["dato"], f["tilstand"]) == (dato, "apen")


@pytest.mark.parametrize("slutt", [
    pytest.param(heving("2024-05-10"), id="heving §16 (2)"),
    pytest.param(bortfall("2024-05-10"), id="bortfall §16 (5)"),
])
def test_heving_eller_bortfall_pa_aktiv_gir_ledig_samme_dag(slutt: dict) -> None:
    """§2.4 AKTIV -> heving/bortfall -> LEDIG; D2: the avtale ends on its dato (status as of that day)."""
    svar = status(given(*aktiv(), slutt), "2024-05-10")
    assert (svar["status"], svar["lege"], svar["opphorsdato"]) == ("LEDIG", None, "2024-05-10")


@pytest.mark.parametrize("slutt", [
    pytest.param(heving("2024-05-10"), id="heving §16 (2)"),
    pytest.param(bortfall("2024-05-10"), id="bortfall §16 (5)"),
])
def test_heving_eller_bortfall_pa_oppsagt_gir_ledig_samme_dag(slutt: dict) -> None:
    """§2.4 OPPSAGT -> heving/bortfall -> LEDIG; S2: the earlier end wins."""
    svar = status(given(*oppsagt(), slutt), "2024-05-10")
    assert (svar["status"], svar["opphorsdato"]) == ("LEDIG", "2024-05-10")


def test_heving_er_ledig_for_kommandoer_samme_dag() -> None:
    """S1: an event-driven change acts at the event, so a command the same day sees LEDIG (heving -> ingen_avtale)."""
    assert rejected(given(*aktiv(), heving("2024-05-10")), heving("2024-05-10")).kode == "ingen_avtale"


def test_heving_gir_funn() -> None:
    """§5: finding heving (ASA 4310 §16 (2))."""
    [f] = funn(given(*aktiv(), heving("2024-05-10")), "2024-05-10", kode="heving")
    assert f["hjemmel_i_avtalen"] == "ASA 4310 §16 (2)"


def test_heving_lister_hjemfall_tidligst_fra_hevingsdato() -> None:
    """S2, D9: after heving the opphorsdato is its dato, and hjemfall_tidligst = dato + 6 months."""
    [f] = frist(given(*aktiv(), heving("2024-05-10")), "2024-05-10", "hjemfall_tidligst")
    assert (f["dato"], f["tilstand"]) == ("2024-11-10", "apen")


def test_oppsagt_dagen_for_opphorsdato() -> None:
    """S1, E1: as of the day before the opphorsdato the hjemmel is still OPPSAGT."""
    assert status(given(*oppsagt()), "2024-09-14")["status"] == "OPPSAGT"


def test_ledig_ved_slutten_av_opphorsdato() -> None:
    """S1, §2.4 OPPSAGT -> end of opphorsdato -> LEDIG: a query as of the opphorsdato already shows LEDIG."""
    svar = status(given(*oppsagt()), OPPHORSDATO)
    assert (svar["status"], svar["lege"], svar["opphorsdato"]) == ("LEDIG", None, OPPHORSDATO)


def test_gammel_lege_har_avtalen_pa_opphorsdato() -> None:
    """S1 (§2.2): on the opphorsdato the old holder still holds, so a tiltredelse that day is avtale_lopende."""
    s = given(*oppsagt(), *tilbud_gitt(), tilbud_mottatt("2024-04-23"), tilbud_akseptert("2024-04-30"))
    assert rejected(s, tiltredelse(OPPHORSDATO)).kode == "avtale_lopende"


def test_tiltredelse_dagen_etter_opphorsdato_godtas() -> None:
    """S1, E1: a tiltredelse dated the day after the opphorsdato is accepted."""
    s = given(*oppsagt(), *tilbud_gitt(), tilbud_mottatt("2024-04-23"), tilbud_akseptert("2024-04-30"))
    assert type(when(s, tiltredelse("2024-09-16"))).__name__ == "NyLegeTiltradt"


def test_heving_pa_opphorsdato_godtas() -> None:
    """S1 (§2.2): a heving dated the opphorsdato is accepted (the avtale still runs during that day)."""
    assert type(when(given(*oppsagt()), heving(OPPHORSDATO))).__name__ == "AvtaleHevet"


def test_ledighetsperioden_starter_dagen_etter_opphorsdato() -> None:
    """S1, D10, S20: opphorsdato 2024-09-30 -> September is outside the ledighetsperiode (utenfor_ledighetsperiode)."""
    s = given(*aktiv(), oppsigelse("2024-03-30"))
    assert rejected(s, driftsutgifter("2024-10-04", "2024-09")).kode == "utenfor_ledighetsperiode"


def test_ledighetsperiode_med_delvis_maned_godtas() -> None:
    """E9, S20, D10: opphorsdato 2024-09-15 -> periode 2024-09 overlaps the ledighetsperiode (16–30 September)."""
    ny = when(given(*oppsagt()), driftsutgifter("2024-10-04", "2024-09"))
    assert type(ny).__name__ == "DriftsutgifterDokumentert"


def test_hjemfall_pa_ledig_gir_hjemfalt() -> None:
    """§2.4 LEDIG -> hjemfall -> HJEMFALT, D9, ASA 4310 §5.8."""
    svar = status(given(*hjemfalt()), "2025-03-17")
    assert (svar["status"], svar["lege"], svar["opphorsdato"]) == ("HJEMFALT", None, OPPHORSDATO)


def test_hjemfall_starter_ny_ledighet_uten_tellende_utlysninger() -> None:
    """§2.3, §2.7 hjemfall: a new vacancy (grunn hjemfall) begins, so the D5 count starts again at 0."""
    svar = status(given(*hjemfalt()), "2025-03-17")
    assert (svar["tildeling"], svar["korrekte_utlysninger_uten_resultat"]) == ("INGEN", 0)


def test_hjemfall_tidligst_overholdt_etter_hjemfall() -> None:
    """§3.1, S5: hjemfall_tidligst is a class B period end: overholdt once its date has passed."""
    [f] = frist(given(*hjemfalt()), "2025-03-17", "hjemfall_tidligst")
    assert (f["dato"], f["tilstand"]) == (HJEMFALL_TIDLIGST, "overholdt")


def test_hjemfall_slukker_retten_til_overdragelse() -> None:
    """D9, ASA 4310 §5.8 (2): after hjemfall nobody holds the right, so pris_avtalt is ingen_overdragelsesrett."""
    s = given(*hjemfalt(), utlysning("2025-04-01", "U9"), tilbud("2025-05-05"),
              utlysning_avsluttet("2025-05-05", "U9", "tilbud"), tilbud_mottatt("2025-05-06"))
    assert rejected(s, pris_avtalt("2025-05-07")).kode == "ingen_overdragelsesrett"


def test_hjemfall_gir_ingen_prisfrist_ved_nytt_tilbud() -> None:
    """§3.1 prisfrist (D7): created only if a right to overdragelse exists, which hjemfall extinguished."""
    s = given(*hjemfalt(), utlysning("2025-04-01", "U9"), tilbud("2025-05-05"),
              utlysning_avsluttet("2025-05-05", "U9", "tilbud"), tilbud_mottatt("2025-05-06"))
    assert frist(s, "2025-05-06", "prisfrist") == []


def test_utlysning_etter_hjemfall_uten_prisantydning_gir_ikke_funn() -> None:
    """D4, §5 prisantydning_mangler: only while the fratredende lege or dødsbo holds the right — not after hjemfall."""
    s = given(*hjemfalt(), utlysning("2025-04-01", "U9", prisantydning=None))
    assert funn(s, "2025-04-01", kode="prisantydning_mangler") == []


def test_utlysning_etter_hjemfall_er_korrekt_for_ny_ledighet() -> None:
    """D4, D5: an utlysning after the hjemfall belongs to the new vacancy and counts there."""
    s = given(*hjemfalt(), utlysning("2025-04-01", "U9"), utlysning_avsluttet("2025-05-05", "U9", "ingen_sokere"))
    assert status(s, "2025-05-05")["korrekte_utlysninger_uten_resultat"] == 1


# ---- bortfall with grunn dodsfall (S11) ---------------------------------------------------------------

def test_dodsfall_gir_ledig_pa_dodsdato() -> None:
    """S11, §2.3: death is bortfall with grunn dodsfall; the opphorsdato is the date of death."""
    svar = status(given(*aktiv(), bortfall("2024-05-10", grunn="dodsfall")), "2024-05-10")
    assert (svar["status"], svar["opphorsdato"]) == ("LEDIG", "2024-05-10")


def test_dodsbo_har_rett_til_overdragelse() -> None:
    """S11, §5.11 (2): the dødsbo holds the right, so an utlysning without prisantydning gives prisantydning_mangler."""
    s = given(*aktiv(), bortfall("2024-05-10", grunn="dodsfall"), utlysning("2024-05-13", "U1", prisantydning=None))
    assert len(funn(s, "2024-05-13", kode="prisantydning_mangler")) == 1


# ---- competing ends (§2.3, S2) ------------------------------------------------------------------------

def test_heving_under_oppsigelse_gir_opphor_oppsigelse_bortfalt() -> None:
    """§2.3 competing ends, §3.1: heving during a notice -> opphor_oppsigelse bortfalt."""
    [f] = frist(given(*oppsagt(), heving("2024-05-10")), "2024-06-01", "opphor_oppsigelse")
    assert (f["dato"], f["tilstand"]) == (OPPHORSDATO, "bortfalt")


def test_heving_under_oppsigelse_beregner_hjemfall_tidligst_pa_nytt() -> None:
    """S2, D9: hjemfall_tidligst is recomputed from the new opphorsdato; the superseded one is bortfalt."""
    fr = frist(given(*oppsagt(), heving("2024-05-10")), "2024-06-01", "hjemfall_tidligst")
    assert sorted((f["dato"], f["tilstand"]) for f in fr) == [("2024-11-10", "apen"), (HJEMFALL_TIDLIGST, "bortfalt")]


def test_bortfall_under_oppsigelse_gir_tidligere_opphorsdato() -> None:
    """S2: bortfall during a notice ends the avtale on its dato; the earliest end wins."""
    svar = status(given(*oppsagt(), bortfall("2024-05-10")), "2024-06-01")
    assert (svar["status"], svar["opphorsdato"]) == ("LEDIG", "2024-05-10")


def test_heving_under_oppsigelse_beholder_samme_ledighet() -> None:
    """§2.3: the vacancy stays the same one, so an utlysning counted before the heving keeps counting (D5)."""
    s = given(*oppsagt(), utlysning("2024-03-20", "U1", soknadsfrist="2024-04-15"),
              utlysning_avsluttet("2024-04-22", "U1", "ingen_sokere"), heving("2024-05-10"))
    assert status(s, "2024-05-10")["korrekte_utlysninger_uten_resultat"] == 1


ELDRE = lege("L-500", "Nils Eldre", "1954-06-10")  # 70 on 2024-06-10, before the D1 end 2024-09-15


def test_70_arsdag_for_oppsigelsens_slutt_gir_tidligere_opphorsdato() -> None:
    """§2.7 oppsigelse, D1, D3: opphorsdato is the 70th birthday when it comes before dato + 6 months."""
    s = given(opprett("2024-01-02"), avtale_inngatt("2024-01-02", lege_=ELDRE), oppsigelse("2024-03-15"))
    svar = status(s, "2024-03-15")
    assert (svar["status"], svar["opphorsdato"]) == ("OPPSAGT", "2024-06-10")


def test_70_arsdag_for_oppsigelsens_slutt_gir_ledig_pa_fodselsdagen() -> None:
    """§2.4 OPPSAGT -> end of the 70th birthday -> LEDIG (D3, S1)."""
    s = given(opprett("2024-01-02"), avtale_inngatt("2024-01-02", lege_=ELDRE), oppsigelse("2024-03-15"))
    assert (status(s, "2024-06-09")["status"], status(s, "2024-06-10")["status"]) == ("OPPSAGT", "LEDIG")


def test_70_arsdag_for_oppsigelsens_slutt_gir_opphor_oppsigelse_bortfalt() -> None:
    """§3.1 opphor_oppsigelse: bortfalt when the avtale ended earlier by the 70th birthday."""
    s = given(opprett("2024-01-02"), avtale_inngatt("2024-01-02", lege_=ELDRE), oppsigelse("2024-03-15"))
    [f] = frist(s, "2024-07-01", "opphor_oppsigelse")
    assert (f["dato"], f["tilstand"]) == (OPPHORSDATO, "bortfalt")


def test_70_arsdag_for_oppsigelsens_slutt_gir_hjemfall_tidligst_fra_fodselsdagen() -> None:
    """S2, D9: hjemfall_tidligst = 70th birthday + 6 months when the birthday is the earliest end."""
    s = given(opprett("2024-01-02"), avtale_inngatt("2024-01-02", lege_=ELDRE), oppsigelse("2024-03-15"))
    gjeldende = [f["dato"] for f in frist(s, "2024-07-01", "hjemfall_tidligst") if f["tilstand"] != "bortfalt"]
    assert gjeldende == ["2024-12-10"]


# ---- age 70 without notice (D3, S4, S28; E10 has the leap-day holder) -----------------------------------

NOKKEL_70 = "1149-040"
L700 = lege("L-700", "Leif Skudd", "1956-02-29")


def _alder70(*cmds: dict, regler: Regler | None = None) -> list:
    start = [opprett("2001-03-01", NOKKEL_70), avtale_inngatt("2001-03-01", NOKKEL_70, lege_=L700)]
    return given(*start, *cmds) if regler is None else given(*start, *cmds, regler=regler)


def test_alder_70_aktiv_dagen_for_fodselsdagen() -> None:
    """§2.4, D3, S1: as of the day before the (clipped) 70th birthday the holder is still AKTIV."""
    assert status(_alder70(), "2026-02-27")["status"] == "AKTIV"


def test_alder_70_ledig_ved_slutten_av_fodselsdagen() -> None:
    """§2.4 AKTIV -> end of the 70th birthday -> LEDIG; D3: born 29 February -> 2026-02-28."""
    svar = status(_alder70(), "2026-02-28")
    assert (svar["status"], svar["lege"], svar["opphorsdato"]) == ("LEDIG", None, "2026-02-28")


def test_alder_70_hjemfall_tidligst() -> None:
    """S2, D9, E10: hjemfall_tidligst after an age-70 end = the birthday + 6 months = 2026-08-28."""
    gjeldende = [f["dato"] for f in frist(_alder70(), "2026-03-01", "hjemfall_tidligst") if f["tilstand"] != "bortfalt"]
    assert gjeldende == ["2026-08-28"]


def test_alder_70_alternativ_mars_01() -> None:
    """D3 alternative `mars_01`: the avtale ends 2026-03-01 (AKTIV as of 2026-02-28)."""
    r = Regler(skuddarsdag_fodselsdag="mars_01")
    s = _alder70(regler=r)
    assert (state(s, "2026-02-28", regler=r).status, state(s, "2026-03-01", regler=r).status) == ("AKTIV", "LEDIG")


def test_alder_70_alternativ_mars_01_hjemfall_tidligst() -> None:
    """D3 alternative `mars_01`, E10: hjemfall_tidligst 2026-09-01."""
    r = Regler(skuddarsdag_fodselsdag="mars_01")
    h = state(_alder70(regler=r), "2026-03-01", regler=r)
    assert [f.dato.isoformat() for f in h.frister if f.kode == "hjemfall_tidligst" and f.bortfalt is None] == ["2026-09-01"]


# ====================================================================================================
# Tildeling region (§2.5, S7–S9, D8)
# ====================================================================================================


def _oppsagt_med_tilbud(*cmds: dict) -> list:
    """OPPSAGT (E1 dates), U1 published 2024-03-20, T-1 given and U1 closed with utfall tilbud on 2024-04-22."""
    return given(*oppsagt(), *tilbud_gitt(), *cmds)


def test_utlysning_gir_utlyst() -> None:
    """§2.5 INGEN -> utlysning -> UTLYST, ASA 4310 §5.4."""
    assert status(given(*oppsagt(), utlysning("2024-03-20", "U1")), "2024-03-20")["tildeling"] == "UTLYST"


@pytest.mark.parametrize("utfall", ["ingen_sokere", "ingen_kvalifisert_villig"])
def test_utlysning_avsluttet_uten_resultat_gir_ingen(utfall: str) -> None:
    """§2.5 UTLYST -> utlysning_avsluttet (ingen_*) after the soknadsfrist -> INGEN, ASA 4310 §5.4, §5.8."""
    s = given(*oppsagt(), utlysning("2024-03-20", "U1", soknadsfrist="2024-04-15"),
              utlysning_avsluttet("2024-04-16", "U1", utfall))
    assert status(s, "2024-04-16")["tildeling"] == "INGEN"


@pytest.mark.parametrize("utfall", ["ingen_sokere", "ingen_kvalifisert_villig"])
def test_korrekt_utlysning_avsluttet_uten_resultat_telles(utfall: str) -> None:
    """D5, ASA 4310 §5.8 (1): a korrekt utlysning closed with ingen_* counts for the current vacancy."""
    s = given(*oppsagt(), utlysning("2024-03-20", "U1", soknadsfrist="2024-04-15"),
              utlysning_avsluttet("2024-04-16", "U1", utfall))
    assert status(s, "2024-04-16")["korrekte_utlysninger_uten_resultat"] == 1


def test_tilbud_fra_apen_utlysning_gir_tilbud_gitt() -> None:
    """§2.5 UTLYST -> tilbud -> TILBUD_GITT, ASA 4310 §5.5."""
    s = given(*oppsagt(), utlysning("2024-03-20", "U1"), tilbud("2024-04-22"))
    assert status(s, "2024-04-22")["tildeling"] == "TILBUD_GITT"


def test_tilbud_etter_avslag_fra_utlysning_avsluttet_med_tilbud_gir_tilbud_gitt() -> None:
    """§2.5 INGEN -> tilbud (utlysning closed with utfall tilbud) -> TILBUD_GITT: the next applicant (E11 variant)."""
    s = _oppsagt_med_tilbud(tilbud_mottatt("2024-04-23"), tilbud_avslatt("2024-04-24"))
    assert status(s, "2024-04-24")["tildeling"] == "INGEN"
    s = extend(s, tilbud("2024-04-25", "T-2", lege_=lege("L-301", fodselsdato="1985-01-01")))
    assert status(s, "2024-04-25")["tildeling"] == "TILBUD_GITT"


def test_utlysning_avsluttet_med_tilbud_endrer_ikke_tildeling() -> None:
    """§2.5 TILBUD_GITT -> utlysning_avsluttet (tilbud) -> unchanged (S7)."""
    s = given(*oppsagt(), utlysning("2024-03-20", "U1"), tilbud("2024-04-22"),
              utlysning_avsluttet("2024-04-22", "U1", "tilbud"))
    assert status(s, "2024-04-22")["tildeling"] == "TILBUD_GITT"


def test_tilbud_mottatt_endrer_ikke_tildeling() -> None:
    """§2.5 TILBUD_GITT -> tilbud_mottatt -> unchanged."""
    assert status(_oppsagt_med_tilbud(tilbud_mottatt("2024-04-23")), "2024-04-23")["tildeling"] == "TILBUD_GITT"


def test_tilbud_mottatt_starter_prisfrist() -> None:
    """§2.5, D7, ASA 4310 §5.6 (2): tilbud_mottatt starts the prisfrist (mottatt + 35 d, moved) when a right exists."""
    [f] = frist(_oppsagt_med_tilbud(tilbud_mottatt("2024-04-23")), "2024-04-23", "prisfrist")
    assert (f["dato"], f["tilstand"]) == ("2024-05-28", "apen")


def test_tilbud_akseptert_gir_tilbud_akseptert() -> None:
    """§2.5 TILBUD_GITT -> tilbud_akseptert (received) -> TILBUD_AKSEPTERT, ASA 4310 §5.6."""
    s = _oppsagt_med_tilbud(tilbud_mottatt("2024-04-23"), tilbud_akseptert("2024-04-30"))
    assert status(s, "2024-04-30")["tildeling"] == "TILBUD_AKSEPTERT"


def test_tilbud_akseptert_etter_akseptfrist_godtas_med_funn() -> None:
    """§2.7 tilbud_akseptert, §5: finding tilbud_akseptert_etter_frist (ASA 4310 §5.6 (5)); the acceptance stands."""
    s = _oppsagt_med_tilbud(tilbud_mottatt("2024-04-23"), tilbud_akseptert("2024-05-28"))  # akseptfrist 2024-05-27
    assert (status(s, "2024-05-28")["tildeling"], len(funn(s, "2024-05-28", kode="tilbud_akseptert_etter_frist"))) \
        == ("TILBUD_AKSEPTERT", 1)


@pytest.mark.parametrize("akseptert", [False, True], ids=["from TILBUD_GITT S9", "from TILBUD_AKSEPTERT"])
def test_pris_avtalt_gir_pris_avtalt(akseptert: bool) -> None:
    """§2.5 TILBUD_GITT/TILBUD_AKSEPTERT -> pris_avtalt -> PRIS_AVTALT, ASA 4310 §5.6 (1)–(2), S9."""
    steg = [tilbud_mottatt("2024-04-23")] + ([tilbud_akseptert("2024-04-30")] if akseptert else [])
    s = _oppsagt_med_tilbud(*steg, pris_avtalt("2024-05-02"))
    assert status(s, "2024-05-02")["tildeling"] == "PRIS_AVTALT"


def test_pris_avtalt_overholder_prisfrist() -> None:
    """§3.1 prisfrist: overholdt by pris_avtalt on or before it."""
    s = _oppsagt_med_tilbud(tilbud_mottatt("2024-04-23"), pris_avtalt("2024-05-02"))
    [f] = frist(s, "2024-06-01", "prisfrist")
    assert f["tilstand"] == "overholdt"


@pytest.mark.parametrize("akseptert", [False, True], ids=["from TILBUD_GITT", "from TILBUD_AKSEPTERT"])
def test_nemnd_begjaert_gir_i_nemnd(akseptert: bool) -> None:
    """§2.5 TILBUD_GITT/TILBUD_AKSEPTERT -> nemnd_begjaert (after the prisfrist, D7) -> I_NEMND, ASA 4310 §5.6 (2)."""
    steg = [tilbud_mottatt("2024-04-23")] + ([tilbud_akseptert("2024-04-30")] if akseptert else [])
    s = _oppsagt_med_tilbud(*steg, nemnd_begjaert("2024-05-29"))
    assert status(s, "2024-05-29")["tildeling"] == "I_NEMND"


def test_nemnd_begjaert_om_ytelser_uten_ventetid() -> None:
    """§2.7 nemnd_begjaert: tema ytelser_5_7 has no waiting period (§5.7, §5.9)."""
    s = _oppsagt_med_tilbud(tilbud_mottatt("2024-04-23"), nemnd_begjaert("2024-04-24", "ytelser_5_7"))
    assert status(s, "2024-04-24")["tildeling"] == "I_NEMND"


def test_nemnd_om_ytelser_gir_prisfrist_bortfalt() -> None:
    """§3.1 prisfrist: bortfalt when the nemnd is asked on tema ytelser_5_7 on or before it."""
    s = _oppsagt_med_tilbud(tilbud_mottatt("2024-04-23"), nemnd_begjaert("2024-04-24", "ytelser_5_7"))
    [f] = frist(s, "2024-06-01", "prisfrist")
    assert f["tilstand"] == "bortfalt"


def _i_nemnd(*cmds: dict) -> list:
    """I_NEMND on an accepted tilbud: prisfrist 2024-05-28 passed, nemnd asked 2024-05-29."""
    return _oppsagt_med_tilbud(tilbud_mottatt("2024-04-23"), tilbud_akseptert("2024-04-30"),
                               nemnd_begjaert("2024-05-29"), *cmds)


def test_pris_avtalt_under_nemndsak_gir_pris_avtalt() -> None:
    """§2.5 I_NEMND -> pris_avtalt -> PRIS_AVTALT (settlement during the case, S9)."""
    assert status(_i_nemnd(pris_avtalt("2024-06-10")), "2024-06-10")["tildeling"] == "PRIS_AVTALT"


def test_pris_avtalt_under_nemndsak_lukker_saken() -> None:
    """S9: settlement closes the nemnd case, so nemnd_avgjort afterwards is ingen_nemndsak."""
    assert rejected(_i_nemnd(pris_avtalt("2024-06-10")), nemnd_avgjort("2024-06-11")).kode == "ingen_nemndsak"


def test_nemnd_avgjort_gir_pris_fastsatt() -> None:
    """§2.5 I_NEMND -> nemnd_avgjort -> PRIS_FASTSATT, ASA 4310 §5.9."""
    assert status(_i_nemnd(nemnd_avgjort("2024-08-01")), "2024-08-01")["tildeling"] == "PRIS_FASTSATT"


def test_fratredende_nekter_medvirkning_faller_tilbake_til_akseptert() -> None:
    """§2.5, D8, ASA 4310 §5.6 (3): part fratredende -> falls back to TILBUD_AKSEPTERT (right lost)."""
    s = _i_nemnd(nemnd_medvirkning_nektet("2024-06-10", "fratredende"))
    assert status(s, "2024-06-10")["tildeling"] == "TILBUD_AKSEPTERT"


def test_fratredende_nekter_medvirkning_faller_tilbake_til_gitt() -> None:
    """§2.5, D8: a tilbud not yet accepted falls back to TILBUD_GITT."""
    s = _oppsagt_med_tilbud(tilbud_mottatt("2024-04-23"), nemnd_begjaert("2024-05-29"),
                            nemnd_medvirkning_nektet("2024-06-10", "fratredende"))
    assert status(s, "2024-06-10")["tildeling"] == "TILBUD_GITT"


def test_fratredende_nekter_medvirkning_mister_retten() -> None:
    """D8: the fratredende lege loses the right, so a later pris_avtalt is ingen_overdragelsesrett."""
    s = _i_nemnd(nemnd_medvirkning_nektet("2024-06-10", "fratredende"))
    assert rejected(s, pris_avtalt("2024-06-11")).kode == "ingen_overdragelsesrett"


def test_fratredende_nekter_medvirkning_gir_funn() -> None:
    """§5 medvirkning_nektet (ASA 4310 §5.6 (3))."""
    [f] = funn(_i_nemnd(nemnd_medvirkning_nektet("2024-06-10", "fratredende")), "2024-06-10", kode="medvirkning_nektet")
    assert f["hjemmel_i_avtalen"] == "ASA 4310 §5.6 (3)"


def test_overtakende_nekter_medvirkning_gir_ingen() -> None:
    """§2.5 I_NEMND -> nemnd_medvirkning_nektet part overtakende -> INGEN (U1 is closed), D8."""
    s = _i_nemnd(nemnd_medvirkning_nektet("2024-06-10", "overtakende"))
    assert status(s, "2024-06-10")["tildeling"] == "INGEN"


def test_overtakende_nekter_medvirkning_gir_utlyst_med_apen_utlysning() -> None:
    """§2.5, D8: part overtakende -> UTLYST if an utlysning is still open."""
    s = given(*oppsagt(), utlysning("2024-03-20", "U1", soknadsfrist="2024-12-31"), tilbud("2024-04-22"),
              tilbud_mottatt("2024-04-23"), tilbud_akseptert("2024-04-30"), nemnd_begjaert("2024-05-29"),
              nemnd_medvirkning_nektet("2024-06-10", "overtakende"))
    assert status(s, "2024-06-10")["tildeling"] == "UTLYST"


def test_overtakende_nekter_medvirkning_avslutter_tilbudet() -> None:
    """D8, S23: the overtakende lege is deemed to have withdrawn, so tiltredelse is tilbud_ikke_aktivt."""
    s = _i_nemnd(nemnd_medvirkning_nektet("2024-06-10", "overtakende"))
    assert rejected(s, tiltredelse("2024-09-16")).kode == "tilbud_ikke_aktivt"


def test_overtakende_nekter_medvirkning_ledigheten_fortsetter() -> None:
    """D8: the vacancy continues: status stays with the running notice, then LEDIG."""
    s = _i_nemnd(nemnd_medvirkning_nektet("2024-06-10", "overtakende"))
    assert status(s, "2024-10-01")["status"] == "LEDIG"


@pytest.mark.parametrize("forlop, fra", [
    pytest.param([], "TILBUD_GITT", id="TILBUD_GITT"),
    pytest.param([pris_avtalt("2024-05-02")], "PRIS_AVTALT", id="PRIS_AVTALT not accepted"),
    pytest.param([nemnd_begjaert("2024-05-29")], "I_NEMND", id="I_NEMND not accepted"),
])
def test_tilbud_avslatt_gir_ingen(forlop: list, fra: str) -> None:
    """§2.5 TILBUD_GITT/PRIS_AVTALT/I_NEMND (not accepted) -> tilbud_avslatt -> INGEN (U1 closed), ASA 4310 §5.6."""
    s = _oppsagt_med_tilbud(tilbud_mottatt("2024-04-23"), *forlop)
    assert status(s, "2024-06-03")["tildeling"] == fra
    assert status(extend(s, tilbud_avslatt("2024-06-03")), "2024-06-03")["tildeling"] == "INGEN"


def test_tilbud_avslatt_gir_utlyst_med_apen_utlysning() -> None:
    """§2.5: after a declined tilbud -> UTLYST if an utlysning is open."""
    s = given(*oppsagt(), utlysning("2024-03-20", "U1"), tilbud("2024-04-22"), tilbud_mottatt("2024-04-23"),
              tilbud_avslatt("2024-04-24"))
    assert status(s, "2024-04-24")["tildeling"] == "UTLYST"


def test_tilbud_avslatt_gir_akseptfrist_og_prisfrist_bortfalt() -> None:
    """§2.7 tilbud_avslatt, §3.1: akseptfrist and prisfrist become bortfalt if still open."""
    s = _oppsagt_med_tilbud(tilbud_mottatt("2024-04-23"), tilbud_avslatt("2024-04-24"))
    tilstander = {f["frist"]: f["tilstand"] for f in frist(s, "2024-06-30", "akseptfrist") + frist(s, "2024-06-30", "prisfrist")}
    assert tilstander == {"akseptfrist": "bortfalt", "prisfrist": "bortfalt"}


@pytest.mark.parametrize("forlop", [
    pytest.param([], id="TILBUD_GITT"),
    pytest.param([tilbud_mottatt("2024-04-23"), pris_avtalt("2024-05-02")], id="PRIS_AVTALT not accepted"),
    pytest.param([tilbud_mottatt("2024-04-23"), nemnd_begjaert("2024-05-29")], id="I_NEMND not accepted"),
])
def test_tilbud_trukket_etter_akseptfrist_gir_ingen(forlop: list) -> None:
    """§2.5 -> tilbud_trukket (dato > akseptfrist 2024-05-27, D6) -> INGEN, ASA 4310 §5.6 (5)."""
    s = _oppsagt_med_tilbud(*forlop, tilbud_trukket("2024-05-30"))
    assert status(s, "2024-05-30")["tildeling"] == "INGEN"


def test_tilbud_trukket_etter_avslag_godtas_uten_endring() -> None:
    """D6, §2.7 tilbud_trukket: withdrawing a declined tilbud is accepted as a formal record, without state change."""
    s = _oppsagt_med_tilbud(tilbud_mottatt("2024-04-23"), tilbud_avslatt("2024-04-24"))
    uten_teller = lambda svar: {k: v for k, v in svar.items() if k not in ("versjon", "posisjon")}  # noqa: E731
    assert uten_teller(status(extend(s, tilbud_trukket("2024-04-25")), "2024-04-25")) == uten_teller(status(s, "2024-04-25"))


def test_tilbud_ender_pris_bortfaller() -> None:
    """S9: when a tilbud ends, its agreed price lapses: the next tilbud starts at TILBUD_GITT."""
    s = _oppsagt_med_tilbud(tilbud_mottatt("2024-04-23"), pris_avtalt("2024-05-02"), tilbud_avslatt("2024-05-03"),
                            tilbud("2024-05-06", "T-2", lege_=lege("L-301", fodselsdato="1985-01-01")))
    assert status(s, "2024-05-06")["tildeling"] == "TILBUD_GITT"


def test_tilbud_ender_ny_pris_kan_avtales() -> None:
    """S9: the lapsed price does not block a price for the next tilbud (no pris_allerede_fastsatt)."""
    s = _oppsagt_med_tilbud(tilbud_mottatt("2024-04-23"), pris_avtalt("2024-05-02"), tilbud_avslatt("2024-05-03"),
                            tilbud("2024-05-06", "T-2", lege_=lege("L-301", fodselsdato="1985-01-01")),
                            tilbud_mottatt("2024-05-07", "T-2"))
    assert type(when(s, pris_avtalt("2024-05-08", "400000.00"))).__name__ == "OverdragelsesprisAvtalt"


def test_tilbud_ender_nemndsak_bortfaller() -> None:
    """S9: an open nemnd case lapses with its tilbud, so a new case can be asked for the next tilbud."""
    s = _oppsagt_med_tilbud(tilbud_mottatt("2024-04-23"), nemnd_begjaert("2024-05-29"), tilbud_avslatt("2024-05-30"),
                            tilbud("2024-06-03", "T-2", lege_=lege("L-301", fodselsdato="1985-01-01")),
                            tilbud_mottatt("2024-06-03", "T-2"))
    assert type(when(s, nemnd_begjaert("2024-06-04", "ytelser_5_7"))).__name__ == "NemndBegjaert"


# ---- S8: the region after tiltredelse ------------------------------------------------------------------

def _tiltradt(*pris: dict, tiltredelse_dato: str = "2024-09-16") -> list:
    return _oppsagt_med_tilbud(tilbud_mottatt("2024-04-23"), tilbud_akseptert("2024-04-30"), *pris,
                               tiltredelse(tiltredelse_dato))


def test_tiltredelse_uten_pris_beholder_tilbud_akseptert() -> None:
    """S8 (§2.5 rule 3): tiltredelse does not reset the region: AKTIV + TILBUD_AKSEPTERT."""
    svar = status(_tiltradt(), "2024-09-16")
    assert (svar["status"], svar["tildeling"]) == ("AKTIV", "TILBUD_AKSEPTERT")


def test_tiltredelse_beholder_pris_avtalt() -> None:
    """S8: AKTIV + PRIS_AVTALT after tiltredelse."""
    svar = status(_tiltradt(pris_avtalt("2024-05-02")), "2024-09-16")
    assert (svar["status"], svar["tildeling"]) == ("AKTIV", "PRIS_AVTALT")


def test_tiltredelse_under_nemndsak_gir_aktiv_og_i_nemnd() -> None:
    """S8, E11: AKTIV + I_NEMND while the price is before the nemnd."""
    svar = status(_tiltradt(nemnd_begjaert("2024-05-29")), "2024-09-16")
    assert (svar["status"], svar["tildeling"]) == ("AKTIV", "I_NEMND")


def test_nemnd_avgjort_etter_tiltredelse_gir_pris_fastsatt() -> None:
    """S8, §2.8 (AKTIV: ✓ for the price of the vacancy just filled): nemnd_avgjort after tiltredelse."""
    s = extend(_tiltradt(nemnd_begjaert("2024-05-29")), nemnd_avgjort("2024-10-15"))
    assert status(s, "2024-10-15")["tildeling"] == "PRIS_FASTSATT"


def test_pris_avtalt_etter_tiltredelse_godtas() -> None:
    """§2.8 AKTIV: pris_avtalt ✓ for the price of the vacancy just filled (S9: fulfilled tilbud)."""
    assert type(when(_tiltradt(), pris_avtalt("2024-10-01"))).__name__ == "OverdragelsesprisAvtalt"


def test_ny_ledighet_etter_tiltredelse_gir_ingen() -> None:
    """S8: a new vacancy (the new holder's notice) ends the filled vacancy's hold: tildeling INGEN."""
    s = extend(_tiltradt(pris_avtalt("2024-05-02")), oppsigelse("2024-10-01"))
    assert status(s, "2024-10-01")["tildeling"] == "INGEN"


def test_ny_utlysning_etter_tiltredelse_gir_utlyst() -> None:
    """S8: a new utlysning after the tiltredelse drives the region again: UTLYST."""
    s = extend(_tiltradt(pris_avtalt("2024-05-02")), utlysning("2024-10-01", "U2"))
    assert status(s, "2024-10-01")["tildeling"] == "UTLYST"


def test_overtakende_nekter_etter_tiltredelse_endrer_ikke_tilstand() -> None:
    """§2.7 nemnd_medvirkning_nektet: after tiltredelse the overtakende lege's refusal changes no state."""
    s = _tiltradt(nemnd_begjaert("2024-05-29"))
    s2 = extend(s, nemnd_medvirkning_nektet("2024-10-01", "overtakende"))
    svar = status(s2, "2024-10-01")
    assert (svar["status"], svar["lege"]["id"], svar["tildeling"]) == ("AKTIV", "L-300", "I_NEMND")


def test_ny_ledighet_med_apen_utlysning_gir_utlyst() -> None:
    """§2.5 last row: a new vacancy begins -> UTLYST if an utlysning is open (published while AKTIV, S22)."""
    s = given(*aktiv(), utlysning("2024-03-01", "U1"), oppsigelse("2024-03-15"))
    assert status(s, "2024-03-15")["tildeling"] == "UTLYST"


# ====================================================================================================
# Korrigering region (§2.6, §15, D12, S12, S13)
# ====================================================================================================


def _sak(*cmds: dict) -> list:
    """AKTIV holder L-100 and sak S-1: uttalelse_anmodet 2024-02-01, svarfrist 2024-02-15."""
    return given(*aktiv(), uttalelse_anmodet("2024-02-01", "S-1", "2024-02-15"), *cmds)


def _varslet(*cmds: dict) -> list:
    """S-1 VARSLET on 2024-02-20 with rettefrist 2024-03-01 (uttalelse received 2024-02-10)."""
    return _sak(uttalelse_mottatt("2024-02-10"), varsel_om_retting("2024-02-20", "S-1", "2024-03-01"), *cmds)


def test_uttalelse_anmodet_gir_uttalelse_anmodet() -> None:
    """§2.6 INGEN -> uttalelse_anmodet -> UTTALELSE_ANMODET, ASA 4310 §15 (1)."""
    assert status(_sak(), "2024-02-01")["korrigering"] == "UTTALELSE_ANMODET"


def test_uttalelse_anmodet_lister_svarfrist() -> None:
    """§3.1 svarfrist_uttalelse: the event's svarfrist, never moved, class A."""
    [f] = frist(_sak(), "2024-02-01", "svarfrist_uttalelse")
    assert (f["dato"], f["tilstand"], f["hjemmel_i_avtalen"]) == ("2024-02-15", "apen", "ASA 4310 §15 (1)")


def test_uttalelse_mottatt_endrer_ikke_korrigering() -> None:
    """§2.6 uttalelse_mottatt -> unchanged."""
    assert status(_sak(uttalelse_mottatt("2024-02-10")), "2024-02-10")["korrigering"] == "UTTALELSE_ANMODET"


def test_uttalelse_mottatt_overholder_svarfrist() -> None:
    """§3.1 svarfrist_uttalelse: overholdt by uttalelse_mottatt on or before it."""
    [f] = frist(_sak(uttalelse_mottatt("2024-02-15")), "2024-03-01", "svarfrist_uttalelse")
    assert f["tilstand"] == "overholdt"


def test_sen_uttalelse_gir_svarfrist_oversittet() -> None:
    """S13, §3.1: uttalelse_mottatt is accepted at a later step; a late one leaves the svarfrist oversittet."""
    s = _sak(varsel_om_retting("2024-02-16", "S-1", "2024-03-01"), uttalelse_mottatt("2024-02-20"))
    [f] = frist(s, "2024-03-01", "svarfrist_uttalelse")
    assert f["tilstand"] == "oversittet"


def test_varsel_etter_mottatt_uttalelse_gir_varslet() -> None:
    """§2.6 UTTALELSE_ANMODET -> varsel_om_retting (uttalelse received) -> VARSLET, ASA 4310 §15 (1)."""
    assert status(_varslet(), "2024-02-20")["korrigering"] == "VARSLET"


def test_varsel_etter_svarfrist_uten_uttalelse_gir_varslet() -> None:
    """§2.6, S13: varsel_om_retting without uttalelse once dato > svarfrist -> VARSLET."""
    s = _sak(varsel_om_retting("2024-02-16", "S-1", "2024-03-01"))
    assert status(s, "2024-02-16")["korrigering"] == "VARSLET"


def test_skriftlig_advarsel_etter_rettefrist_gir_advart() -> None:
    """§2.6 VARSLET -> skriftlig_advarsel (dato > rettefrist) -> ADVART, ASA 4310 §15 (2)."""
    assert status(_varslet(skriftlig_advarsel("2024-03-04")), "2024-03-04")["korrigering"] == "ADVART"


def test_trekk_vedtatt_dagen_etter_advarsel_gir_trekk() -> None:
    """§2.6 ADVART -> trekk_vedtatt (dato after the advarsel) -> TREKK, D12, ASA 4310 §15 (3)."""
    s = _varslet(skriftlig_advarsel("2024-03-04"), trekk_vedtatt("2024-03-05", prosent=20))
    assert status(s, "2024-03-05")["korrigering"] == "TREKK"


def test_trekk_vedtatt_lister_klagefrist() -> None:
    """§2.7 trekk_vedtatt, D13, fvl §29: klagefrist = dato + 21 d, moved (2024-03-05 -> 2024-03-26)."""
    s = _varslet(skriftlig_advarsel("2024-03-04"), trekk_vedtatt("2024-03-05", prosent=20))
    assert [f["dato"] for f in frist(s, "2024-03-05", "klagefrist")] == ["2024-03-26"]


@pytest.mark.parametrize("steg", [
    pytest.param([], id="from VARSLET"),
    pytest.param([skriftlig_advarsel("2024-03-04")], id="from ADVART"),
    pytest.param([skriftlig_advarsel("2024-03-04"), trekk_vedtatt("2024-03-05")], id="from TREKK"),
])
def test_forhold_rettet_gir_rettet(steg: list) -> None:
    """§2.6 VARSLET/ADVART/TREKK -> forhold_rettet -> RETTET, ASA 4310 §15 (7)."""
    s = _varslet(*steg, forhold_rettet("2024-04-01"))
    assert status(s, "2024-04-01")["korrigering"] == "RETTET"


def test_ny_sak_etter_rettet_gir_uttalelse_anmodet() -> None:
    """§2.6 RETTET -> uttalelse_anmodet (new sak_id) -> UTTALELSE_ANMODET, S12."""
    s = _varslet(forhold_rettet("2024-04-01"), uttalelse_anmodet("2024-05-02", "S-2", "2024-05-16"))
    assert status(s, "2024-05-02")["korrigering"] == "UTTALELSE_ANMODET"


def _ny_holder_med_gammel_sak() -> list:
    """Holder L-100 with S-1 VARSLET, heving 2024-04-02, new holder L-300 from 2024-06-03."""
    return _varslet(heving("2024-04-02"), utlysning("2024-04-03", "U1"), tilbud("2024-05-06"),
                    utlysning_avsluttet("2024-05-06", "U1", "tilbud"), tilbud_mottatt("2024-05-06"),
                    tilbud_akseptert("2024-05-07"), tiltredelse("2024-06-03"))


def test_ny_holders_avtale_nullstiller_korrigering() -> None:
    """§2.6 last row: a new holder's avtale starts -> INGEN."""
    assert status(_ny_holder_med_gammel_sak(), "2024-06-03")["korrigering"] == "INGEN"


def test_forhold_rettet_pa_gammel_sak_godtas_etter_ny_holder() -> None:
    """§2.6: old saker stay in history; forhold_rettet on them is still accepted."""
    assert type(when(_ny_holder_med_gammel_sak(), forhold_rettet("2024-06-04"))).__name__ == "ForholdRettet"


def test_forhold_rettet_pa_gammel_sak_endrer_ikke_ny_holders_korrigering() -> None:
    """§2.6: the region belongs to the current holder's sak; retting an old sak leaves it INGEN."""
    s = extend(_ny_holder_med_gammel_sak(), forhold_rettet("2024-06-04"))
    assert status(s, "2024-06-04")["korrigering"] == "INGEN"


def test_avtalen_slutter_gir_rettefrist_bortfalt() -> None:
    """§3.1 rettefrist: bortfalt when the avtale ended on or before it."""
    s = _varslet(heving("2024-02-25"))
    [f] = frist(s, "2024-03-10", "rettefrist")
    assert f["tilstand"] == "bortfalt"


# ====================================================================================================
# More transitions and their derived effects (frister, findings) — §2.3–§2.7, §3.1, §5
# ====================================================================================================


def test_tiltredelse_for_hjemfall_tidligst_gir_bortfalt() -> None:
    """§3.1 hjemfall_tidligst: bortfalt when the vacancy is filled (tiltredelse) on or before it."""
    s = given(*oppsagt(), *tilbud_gitt(), tilbud_mottatt("2024-04-23"), tilbud_akseptert("2024-04-30"),
              tiltredelse("2024-09-16"))
    [f] = frist(s, "2025-04-01", "hjemfall_tidligst")
    assert (f["dato"], f["tilstand"]) == (HJEMFALL_TIDLIGST, "bortfalt")


def test_utlysning_avsluttet_med_tilbud_for_soknadsfrist_gir_bortfalt() -> None:
    """§3.1 soknadsfrist: bortfalt when the utlysning was closed with utfall tilbud on or before it."""
    s = given(*oppsagt(), utlysning("2024-03-20", "U1", soknadsfrist="2024-04-17"), tilbud("2024-04-10"),
              utlysning_avsluttet("2024-04-10", "U1", "tilbud"))
    [f] = frist(s, "2024-05-01", "soknadsfrist")
    assert f["tilstand"] == "bortfalt"


def test_soknadsfrist_overholdt_nar_vinduet_er_ute() -> None:
    """§3.1 soknadsfrist, S5: a class B window end is overholdt once its date has come."""
    s = given(*oppsagt(), utlysning("2024-03-20", "U1", soknadsfrist="2024-04-17"))
    assert [f["tilstand"] for f in frist(s, "2024-04-17", "soknadsfrist")] == ["overholdt"]


def test_utlysning_fra_for_ledigheten_telles_ikke() -> None:
    """D4, D5, S22: an utlysning published while AKTIV (no vacancy) and closed after the notice does not count."""
    s = given(*aktiv(), utlysning("2024-03-01", "U1", soknadsfrist="2024-03-29"), oppsigelse("2024-03-15"),
              utlysning_avsluttet("2024-04-01", "U1", "ingen_sokere"))
    assert status(s, "2024-04-01")["korrekte_utlysninger_uten_resultat"] == 0


def test_hjemfall_med_apen_utlysning_gir_utlyst() -> None:
    """§2.5 last row, open point 19: hjemfall starts a new vacancy; with an utlysning still open -> UTLYST."""
    s = given(*oppsagt(), *tre_tellende_utlysninger(), utlysning("2025-03-03", "U4"), hjemfall("2025-03-17"))
    assert status(s, "2025-03-17")["tildeling"] == "UTLYST"


def test_driftsutgifter_for_hjemfallsmaned_godtas() -> None:
    """E9, D10, S20: hjemfall 2025-03-17 -> periode 2025-03 overlaps the ledighetsperiode (1–16 March)."""
    ny = when(given(*hjemfalt()), driftsutgifter("2025-04-04", "2025-03"))
    assert type(ny).__name__ == "DriftsutgifterDokumentert"


def test_heving_beholder_retten_til_overdragelse() -> None:
    """S3: the right to overdragelse survives heving, so a price can be agreed for the tilbud."""
    s = given(*aktiv(), heving("2024-03-15"), *tilbud_gitt(), tilbud_mottatt("2024-04-23"))
    assert type(when(s, pris_avtalt("2024-04-24"))).__name__ == "OverdragelsesprisAvtalt"


def test_heving_alternativ_uten_rett() -> None:
    """S3 alternative `false`: no right after heving -> pris_avtalt is ingen_overdragelsesrett."""
    r = Regler(overdragelsesrett_ved_heving=False)
    s = given(*aktiv(), heving("2024-03-15"), *tilbud_gitt(), tilbud_mottatt("2024-04-23"), regler=r)
    assert rejected(s, pris_avtalt("2024-04-24"), regler=r).kode == "ingen_overdragelsesrett"


def test_dodsbo_mottar_overdragelsesprisen() -> None:
    """S11, S18, D16, §5.11 (2): after death the overdragelsespris is payable to dodsbo:<lege id>."""
    s = given(*aktiv(), bortfall("2024-05-10", grunn="dodsfall"), utlysning("2024-05-13", "U1"), tilbud("2024-06-17"),
              utlysning_avsluttet("2024-06-17", "U1", "tilbud"), tilbud_mottatt("2024-06-17"),
              tilbud_akseptert("2024-06-18"), pris_avtalt("2024-06-19", "300000.00"), tiltredelse("2024-07-01"))
    [b] = betalinger(s, "2024-07-01", type="overdragelsespris")
    assert (b["betaler"], b["mottaker"], b["forfall"], b["belop"]) == ("lege:L-300", "dodsbo:L-100", "2024-07-01",
                                                                      "300000.00")


def test_pris_avtalt_for_mottak_godtas() -> None:
    """S9, §2.7 pris_avtalt: a price may be agreed before acceptance (no receipt is required by its guards)."""
    s = given(*oppsagt(), *tilbud_gitt())
    assert type(when(s, pris_avtalt("2024-04-23"))).__name__ == "OverdragelsesprisAvtalt"


def test_aksept_etter_pris_beholder_pris_avtalt() -> None:
    """§2.5 rule 1 (S8 derivation): an agreed price outranks acceptance: PRIS_AVTALT stays after tilbud_akseptert."""
    s = _oppsagt_med_tilbud(tilbud_mottatt("2024-04-23"), pris_avtalt("2024-04-24"), tilbud_akseptert("2024-04-30"))
    assert status(s, "2024-04-30")["tildeling"] == "PRIS_AVTALT"


def test_pris_fastsatt_pa_ikke_akseptert_tilbud_bortfaller_ved_avslag() -> None:
    """S9: a price fixed by the nemnd lapses when its (not accepted) tilbud is declined: tildeling INGEN."""
    s = _oppsagt_med_tilbud(tilbud_mottatt("2024-04-23"), nemnd_begjaert("2024-05-29"), nemnd_avgjort("2024-07-01"),
                            tilbud_avslatt("2024-07-02"))
    assert status(s, "2024-07-02")["tildeling"] == "INGEN"


def test_tiltredelse_uten_listelengde_beholder_listetak() -> None:
    """S10: without a listelengde in the vacancy's utlysning the listetak is unchanged."""
    s = given(*oppsagt(), utlysning("2024-03-20", "U1", listelengde=None), tilbud("2024-04-22"),
              utlysning_avsluttet("2024-04-22", "U1", "tilbud"), tilbud_mottatt("2024-04-23"),
              tilbud_akseptert("2024-04-30"), tiltredelse("2024-09-16"))
    assert status(s, "2024-09-16")["listetak"] == 1200


def test_ny_hjemmel_gir_ingen_prisfrist() -> None:
    """§2.3 (opprett: right held by nobody), D7: tilbud_mottatt on a new hjemmel creates no prisfrist."""
    s = given(opprett("2024-01-02"), utlysning("2024-01-08", "U1"), tilbud("2024-02-12"),
              utlysning_avsluttet("2024-02-12", "U1", "tilbud"), tilbud_mottatt("2024-02-13"))
    assert frist(s, "2024-02-13", "prisfrist") == []


# ---- findings raised by the transitions (domain.md §5) -------------------------------------------------

@pytest.mark.parametrize("uttalelse, antall", [
    pytest.param(None, 1, id="null -> finding"),
    pytest.param("2024-01-03", 1, id="later than dato -> finding"),
    pytest.param("2024-01-02", 0, id="same day -> no finding"),
    pytest.param("2023-11-28", 0, id="before -> no finding"),
])
def test_ny_hjemmel_uten_samarbeidsutvalg(uttalelse: str | None, antall: int) -> None:
    """§5 ny_hjemmel_uten_samarbeidsutvalg, ASA 4310 §5.3: uttalelse null or later than the opprett dato."""
    s = given(opprett("2024-01-02", samarbeidsutvalg_uttalelse=uttalelse))
    assert len(funn(s, "2024-01-02", kode="ny_hjemmel_uten_samarbeidsutvalg")) == antall


def test_prisantydning_mangler_ikke_for_ny_hjemmel() -> None:
    """§5 prisantydning_mangler: only while a fratredende lege or dødsbo holds the right — not for a new hjemmel."""
    s = given(opprett("2024-01-02"), utlysning("2024-01-08", "U1", prisantydning=None))
    assert funn(s, "2024-01-08", kode="prisantydning_mangler") == []


def test_prisantydning_mangler_etter_oppsigelse() -> None:
    """§5 prisantydning_mangler (ASA 4310 §5.4 (3)): the fratredende lege holds the right and gave no prisantydning."""
    s = given(*oppsagt(), utlysning("2024-03-20", "U1", prisantydning=None))
    [f] = funn(s, "2024-03-20", kode="prisantydning_mangler")
    assert f["hjemmel_i_avtalen"] == "ASA 4310 §5.4 (3)"


def test_utlysning_endret_lokalisering() -> None:
    """§5 utlysning_endret_lokalisering (ASA 4310 §5.2 (1)): lokalisering differs while a fratredende lege holds the right."""
    s = given(*oppsagt(), utlysning("2024-03-20", "U1", lokalisering="Annet legesenter"))
    [f] = funn(s, "2024-03-20", kode="utlysning_endret_lokalisering")
    assert f["hjemmel_i_avtalen"] == "ASA 4310 §5.2 (1)"


def test_utlysning_lavere_listelengde() -> None:
    """§5 utlysning_lavere_listelengde (ASA 4310 §5.2 (3)): listelengde below the current listetak."""
    s = given(*oppsagt(), utlysning("2024-03-20", "U1", listelengde=1000))
    [f] = funn(s, "2024-03-20", kode="utlysning_lavere_listelengde")
    assert f["hjemmel_i_avtalen"] == "ASA 4310 §5.2 (3)"


@pytest.mark.parametrize("dato, antall", [("2024-04-17", 1), ("2024-04-18", 0)])
def test_tilbud_for_soknadsfrist(dato: str, antall: int) -> None:
    """§5 tilbud_for_soknadsfrist (ASA 4310 §5.4, §5.5): tilbud dated on or before the soknadsfrist of the open utlysning."""
    s = given(*oppsagt(), utlysning("2024-03-20", "U1", soknadsfrist="2024-04-17"), tilbud(dato))
    assert len(funn(s, dato, kode="tilbud_for_soknadsfrist")) == antall


# ---- utlost_av: the event that created each frist (§3.1, interface §4) ----------------------------------

def test_utlost_av_oppsigelse() -> None:
    """§3.1: opphor_oppsigelse and hjemfall_tidligst are created by OppsigelseMottatt."""
    s = given(*oppsagt())
    posisjon = s[-1][0]
    assert {f["frist"]: f["utlost_av"] for f in frist(s, "2024-03-15", "opphor_oppsigelse")
            + frist(s, "2024-03-15", "hjemfall_tidligst")} == {"opphor_oppsigelse": posisjon, "hjemfall_tidligst": posisjon}


def test_utlost_av_erstattet_hjemfall_tidligst() -> None:
    """§3.1: a superseded frist stays bortfalt and the replacement names the event that caused it (AvtaleHevet)."""
    s = given(*oppsagt(), heving("2024-05-10"))
    hevet = s[-1][0]
    assert [f["utlost_av"] for f in frist(s, "2024-06-01", "hjemfall_tidligst") if f["tilstand"] != "bortfalt"] == [hevet]


def test_utlost_av_alder_70_hjemfall_tidligst() -> None:
    """§3.1: for age 70, hjemfall_tidligst is created by the AvtaleInngatt carrying the birth date."""
    s = _alder70()
    inngatt = s[1][0]
    assert [f["utlost_av"] for f in frist(s, "2026-03-01", "hjemfall_tidligst", NOKKEL_70)] == [inngatt]


def test_utlost_av_tilbudets_frister() -> None:
    """§3.1: akseptfrist and klagefrist by TilbudGitt, prisfrist by TilbudMottatt."""
    s = _oppsagt_med_tilbud(tilbud_mottatt("2024-04-23"))
    gitt = next(p for p, e in s if type(e).__name__ == "TilbudGitt")
    mottatt = s[-1][0]
    utlost = {f["frist"]: f["utlost_av"] for f in frist(s, "2024-04-23", "akseptfrist") + frist(s, "2024-04-23", "klagefrist")
              + frist(s, "2024-04-23", "prisfrist")}
    assert utlost == {"akseptfrist": gitt, "klagefrist": gitt, "prisfrist": mottatt}


# ---- §15 steps on the previous holder's sak after a new holder's avtale starts ------------------------

def _ny_holder_etter(*sakssteg: dict) -> list:
    """S-1 opened against L-100 (and advanced by `sakssteg`), heving 2024-04-02, L-300 holder from 2024-06-03."""
    return _sak(*sakssteg, heving("2024-04-02"), utlysning("2024-04-03", "U1"), tilbud("2024-05-06"),
                utlysning_avsluttet("2024-05-06", "U1", "tilbud"), tilbud_mottatt("2024-05-06"),
                tilbud_akseptert("2024-05-07"), tiltredelse("2024-06-03"))


def test_varsel_pa_forrige_holders_sak_avvises() -> None:
    """§2.7 varsel_om_retting: `sak known and active`; §2.6: after a new holder's avtale starts the old sak is
    history (region INGEN), and its lege has no avtale (§2.8: ingen_avtale) — a varsel on it cannot happen."""
    rejected(_ny_holder_etter(), varsel_om_retting("2024-06-04", "S-1", "2024-07-01"))


def test_advarsel_pa_forrige_holders_sak_avvises() -> None:
    """§2.7 skriftlig_advarsel: region must be VARSLET — the region is the new holder's INGEN (varsel_mangler),
    and the sak's lege no longer holds the avtale (§2.8)."""
    rejected(_ny_holder_etter(varsel_om_retting("2024-02-16", "S-1", "2024-03-01")), skriftlig_advarsel("2024-06-04"))


def test_trekk_pa_forrige_holders_sak_avvises() -> None:
    """§2.7 trekk_vedtatt: region must be ADVART — the region is the new holder's INGEN (advarsel_mangler),
    and the sak's lege no longer holds the avtale (§2.8, §15 (3))."""
    historikk = _ny_holder_etter(varsel_om_retting("2024-02-16", "S-1", "2024-03-01"), skriftlig_advarsel("2024-03-04"))
    rejected(historikk, trekk_vedtatt("2024-06-04"))


# ---- more date-driven and competing-end cases ----------------------------------------------------------

def test_heving_pa_70_arsdagen_godtas() -> None:
    """S1, D3: the avtale still runs during the 70th birthday, so a heving dated that day is accepted."""
    assert type(when(_alder70(), heving("2026-02-28", NOKKEL_70))).__name__ == "AvtaleHevet"


def test_heving_i_alder_70_vinduet_gir_heving_som_opphorsdato() -> None:
    """S2: heving inside the age-70 window is the earliest end: opphorsdato = heving dato."""
    svar = status(_alder70(heving("2025-10-01", NOKKEL_70)), "2025-10-01", NOKKEL_70)
    assert (svar["status"], svar["opphorsdato"]) == ("LEDIG", "2025-10-01")


def test_heving_i_alder_70_vinduet_gir_opphor_alder_70_bortfalt() -> None:
    """§3.1 opphor_alder_70: bortfalt when the holder's avtale ended earlier."""
    [f] = frist(_alder70(heving("2025-10-01", NOKKEL_70)), "2026-03-01", "opphor_alder_70", NOKKEL_70)
    assert f["tilstand"] == "bortfalt"


def test_heving_i_alder_70_vinduet_beregner_hjemfall_tidligst_pa_nytt() -> None:
    """S2, D9: hjemfall_tidligst follows the heving (2025-10-01 + 6 mo = 2026-04-01)."""
    fr = frist(_alder70(heving("2025-10-01", NOKKEL_70)), "2025-10-01", "hjemfall_tidligst", NOKKEL_70)
    assert [f["dato"] for f in fr if f["tilstand"] != "bortfalt"] == ["2026-04-01"]


def test_opphor_alder_70_overholdt_pa_fodselsdagen() -> None:
    """§3.1, S5: opphor_alder_70 is a class B period end: overholdt once the birthday has come."""
    assert [f["tilstand"] for f in frist(_alder70(), "2026-02-28", "opphor_alder_70", NOKKEL_70)] == ["overholdt"]


def test_nemnd_begjaert_etter_tiltredelse_godtas() -> None:
    """§2.8 AKTIV: nemnd_begjaert ✓ for the price of the vacancy just filled (after the prisfrist, D7)."""
    assert type(when(_tiltradt(), nemnd_begjaert("2024-10-01"))).__name__ == "NemndBegjaert"


def _to_prissaker() -> list:
    """Open point 11: the filled vacancy's price is before the nemnd when the new holder gives notice."""
    return extend(_tiltradt(nemnd_begjaert("2024-05-29")), oppsigelse("2024-10-01"))


def test_ny_ledighet_med_apen_nemndsak_viser_ny_ledighets_tildeling() -> None:
    """Open point 11, S8: tildeling shows the current (new) vacancy: INGEN."""
    assert status(_to_prissaker(), "2024-10-01")["tildeling"] == "INGEN"


def test_ny_ledighet_med_apen_nemndsak_nemnd_avgjort_godtas() -> None:
    """Open point 11: nemnd commands apply to the one open case."""
    assert type(when(_to_prissaker(), nemnd_avgjort("2024-10-15"))).__name__ == "NemndAvgjort"


def test_ny_ledighet_med_apen_nemndsak_gir_overdragelsespris_til_forrige_fratredende() -> None:
    """Open point 11, D16: the fixed price is owed by L-300 to L-100, forfall the tiltredelse 2024-09-16."""
    s = extend(_to_prissaker(), nemnd_avgjort("2024-10-15", "520000.00"))
    [b] = betalinger(s, "2024-10-15", type="overdragelsespris")
    assert (b["betaler"], b["mottaker"], b["forfall"]) == ("lege:L-300", "lege:L-100", "2024-09-16")
