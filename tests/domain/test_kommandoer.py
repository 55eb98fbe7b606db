"""Reading a command line (domain.md §2.7 checks 0–2, S24, S25) and the common checks 3–5 (dato, key, order)."""
from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

from hjemmel.domain.avvist import Avvist
from hjemmel.domain.kommandoer import MAKS_LINJE, les
from tests.builders import (
    IDAG, REGISTRERT, aktiv, avtale_inngatt, bortfall, driftsutgifter, forhold_rettet, given, heving, hjemfall, klage,
    lege, listetall, med, nemnd_avgjort, nemnd_begjaert, nemnd_medvirkning_nektet, opprett, oppsagt, oppsigelse,
    pris_avtalt, rejected, sats, skriftlig_advarsel, tilbud, tilbud_akseptert, tilbud_avslatt, tilbud_gitt,
    tilbud_mottatt, tilbud_trukket, tiltredelse, tre_tellende_utlysninger, trekk_vedtatt, uten, utlysning,
    utlysning_avsluttet, uttalelse_anmodet, uttalelse_mottatt, varsel_om_retting, when,
)


def _les(linje: bytes | dict[str, Any]) -> Any:
    return les(linje if isinstance(linje, bytes) else json.dumps(linje, ensure_ascii=False).encode("utf-8"))


def _avvist(linje: bytes | dict[str, Any]) -> Avvist:
    with pytest.raises(Avvist) as feil:
        _les(linje)
    return feil.value


OPPSIGELSE = oppsigelse("2024-03-15")
TREKK = b'{"cmd":"trekk_vedtatt","hjemmel":"1149-017","dato":"2024-03-05","sak_id":"S-1","prosent":%s}'

# ====================================================================================================
# Check 0: line length
# ====================================================================================================


def _polstret(lengde: int) -> bytes:
    """A valid oppsigelse line padded with JSON whitespace to exactly `lengde` bytes."""
    kjerne = json.dumps(OPPSIGELSE).encode()
    return kjerne[:-1] + b" " * (lengde - len(kjerne)) + b"}"


def test_linje_pa_noyaktig_1_mib_leses() -> None:
    """§2.7 check 0: a line not longer than 1 MiB is read."""
    assert type(_les(_polstret(MAKS_LINJE))).__name__ == "OppsigelseK"


def test_linje_over_1_mib_avvises() -> None:
    """§2.7 check 0, §2.10: linje_for_lang (clause null) for a valid command one byte over 1 MiB."""
    avvist = _avvist(_polstret(MAKS_LINJE + 1))
    assert (avvist.kode, avvist.hjemmel_i_avtalen) == ("linje_for_lang", None)


def test_linje_over_1_mib_avvises_ulest() -> None:
    """§2.7 check 0 comes first: an over-long line is rejected unread, even when it is not JSON."""
    assert _avvist(b"x" * (MAKS_LINJE + 1)).kode == "linje_for_lang"


def test_maks_linje_er_1_mib() -> None:
    """interface §3: 1 MiB = 1,048,576 bytes."""
    assert MAKS_LINJE == 1024 * 1024


# ====================================================================================================
# Check 1: JSON with a known cmd
# ====================================================================================================


@pytest.mark.parametrize("linje", [
    pytest.param(b"{not json", id="malformed"),
    pytest.param(b'{"cmd":"oppsigelse"', id="truncated"),
    pytest.param(b"[]", id="array"),
    pytest.param(b'"oppsigelse"', id="string"),
    pytest.param(b"42", id="number"),
    pytest.param(b'{"cmd":"trekk_vedtatt","hjemmel":"1149-017","dato":"2024-03-05","sak_id":"S-1","prosent":010}',
                 id="invalid JSON number"),
])
def test_ugyldig_json(linje: bytes) -> None:
    """§2.7 check 1, §2.10: ugyldig_json (clause null)."""
    avvist = _avvist(linje)
    assert (avvist.kode, avvist.hjemmel_i_avtalen) == ("ugyldig_json", None)


@pytest.mark.parametrize("cmd", ["foo", "Oppsigelse", "oppsigelse_trukket", "liste_fordelt"])
def test_ukjent_kommando(cmd: str) -> None:
    """§2.7 check 1, §2.10: ukjent_kommando (clause null), also for the future commands of §2.11."""
    avvist = _avvist({"cmd": cmd, "hjemmel": "1149-017", "dato": "2024-03-15"})
    assert (avvist.kode, avvist.hjemmel_i_avtalen) == ("ukjent_kommando", None)


def test_ukjent_kommando_foran_feltfeil() -> None:
    """§2.7: check 1 precedes check 2 — an unknown cmd with a malformed dato is ukjent_kommando."""
    assert _avvist({"cmd": "foo", "dato": "15.03.2024"}).kode == "ukjent_kommando"


# ====================================================================================================
# Check 2: fields
# ====================================================================================================


@pytest.mark.parametrize("linje, felt, klausul", [
    pytest.param(uten(OPPSIGELSE, "fra"), "fra", "ASA 4310 §16", id="oppsigelse fra §16"),
    pytest.param(uten(OPPSIGELSE, "dato"), "dato", "ASA 4310 §16", id="dato §16"),
    pytest.param(uten(OPPSIGELSE, "hjemmel"), "hjemmel", "ASA 4310 §16", id="hjemmel §16"),
    pytest.param(uten(pris_avtalt("2024-05-02"), "belop"), "belop", "ASA 4310 §5.6", id="pris_avtalt belop §5.6"),
    pytest.param(uten(tilbud("2024-04-22"), "tilbud_id"), "tilbud_id", "ASA 4310 §5.5", id="tilbud tilbud_id §5.5"),
    pytest.param(tilbud("2024-04-22", lege_={"id": "L-1", "navn": "N"}), "fodselsdato", "ASA 4310 §5.5",
                 id="nested lege.fodselsdato §5.5"),
    pytest.param(uten(listetall("2024-02-01"), "antall"), "antall", "ASA 4310 §8.1", id="listetall antall §8.1"),
    pytest.param(uten(sats(), "belop_per_innbygger_per_ar"), "belop_per_innbygger_per_ar", "ASA 4310 §8.1",
                 id="sats belop §8.1"),
    pytest.param(uten(trekk_vedtatt("2024-03-05"), "prosent"), "prosent", "ASA 4310 §15", id="trekk prosent §15"),
    pytest.param(uten(utlysning("2024-03-20"), "soknadsfrist"), "soknadsfrist", "ASA 4310 §5.4",
                 id="utlysning soknadsfrist §5.4"),
    pytest.param(uten(klage("2024-03-05"), "vedtak"), "vedtak", "fvl §28–29", id="klage vedtak fvl §28–29"),
])
def test_felt_mangler(linje: dict, felt: str, klausul: str) -> None:
    """§2.7 check 2, §2.10: felt_mangler carries the command's clause (interface §3, last column)."""
    avvist = _avvist(linje)
    assert (avvist.kode, avvist.hjemmel_i_avtalen) == ("felt_mangler", klausul)


def test_felt_mangler_navngir_feltet() -> None:
    """§2.7 check 2: the answer names the missing field."""
    assert "fra" in _avvist(uten(OPPSIGELSE, "fra")).melding


# ---- money: a decimal string, at most two decimals, no sign; never a JSON number ----------------------

@pytest.mark.parametrize("belop", [
    pytest.param(450000, id="JSON integer"),
    pytest.param(450000.5, id="JSON float"),
    pytest.param("450000.005", id="three decimals"),
    pytest.param("-100.00", id="minus sign"),
    pytest.param("+100.00", id="plus sign"),
    pytest.param("100,00", id="decimal comma"),
    pytest.param("1 000.00", id="thousands separator"),
    pytest.param("", id="empty"),
    pytest.param(None, id="null"),
])
def test_penger_ugyldig(belop: Any) -> None:
    """§2.7 check 2, §4.1: money is a decimal string with at most two decimals and no sign -> felt_ugyldig."""
    avvist = _avvist(med(pris_avtalt("2024-05-02"), belop=belop))
    assert (avvist.kode, avvist.hjemmel_i_avtalen) == ("felt_ugyldig", "ASA 4310 §5.6")


@pytest.mark.parametrize("belop", ["450000.00", "450000.5", "450000"])
def test_penger_gyldig(belop: str) -> None:
    """§2.7 check 2: zero, one or two decimals are accepted."""
    assert type(_les(med(pris_avtalt("2024-05-02"), belop=belop))).__name__ == "PrisAvtaltK"


@pytest.mark.parametrize("linje, klausul", [
    pytest.param(med(driftsutgifter("2024-10-04", "2024-09"), vikar_belop=52000), "ASA 4310 §5.8",
                 id="driftsutgifter vikar_belop number §5.8"),
    pytest.param(med(sats(), belop_per_innbygger_per_ar=841.8), "ASA 4310 §8.1", id="sats number §8.1"),
    pytest.param(med(nemnd_avgjort("2025-10-15"), belop="520000.001"), "ASA 4310 §5.9", id="nemnd_avgjort 3 dec §5.9"),
    pytest.param(med(utlysning("2024-03-20"), prisantydning=450000), "ASA 4310 §5.4",
                 id="utlysning prisantydning number §5.4"),
])
def test_penger_ugyldig_i_andre_kommandoer(linje: dict, klausul: str) -> None:
    """§2.7 check 2: every money field follows the same rule (felt_ugyldig, the command's clause)."""
    avvist = _avvist(linje)
    assert (avvist.kode, avvist.hjemmel_i_avtalen) == ("felt_ugyldig", klausul)


def test_prisantydning_null_godtas() -> None:
    """§2.7 utlysning: prisantydning may be null (D4: its absence is a breach, not an input error)."""
    assert _les(utlysning("2024-03-20", prisantydning=None)).prisantydning is None


# ---- S25: prosent is a JSON number with at most two decimals, read exactly ------------------------------

@pytest.mark.parametrize("prosent", [
    pytest.param(b'"10"', id="string"),
    pytest.param(b'"12.5"', id="decimal string"),
    pytest.param(b"true", id="boolean"),
    pytest.param(b"null", id="null"),
    pytest.param(b"12.555", id="three decimals"),
    pytest.param(b"[10]", id="array"),
])
def test_prosent_ugyldig(prosent: bytes) -> None:
    """S25: a string, a boolean or more than two decimals -> felt_ugyldig (ASA 4310 §15)."""
    avvist = _avvist(TREKK % prosent)
    assert (avvist.kode, avvist.hjemmel_i_avtalen) == ("felt_ugyldig", "ASA 4310 §15")


@pytest.mark.parametrize("prosent, verdi", [
    pytest.param(b"12.5", Decimal("12.5"), id="12.5"),
    pytest.param(b"10", Decimal("10"), id="10"),
    pytest.param(b"12.25", Decimal("12.25"), id="two decimals"),
    pytest.param(b"20", Decimal("20"), id="20"),
])
def test_prosent_gyldig_leses_eksakt(prosent: bytes, verdi: Decimal) -> None:
    """S25: a whole number or one with at most two decimals is read exactly from its JSON text."""
    assert _les(TREKK % prosent).prosent_desimal == verdi


def test_prosent_12_5_lagres_eksakt() -> None:
    """S25: trekk_vedtatt with prosent 12.5 is accepted and stored as Decimal('12.5')."""
    s = given(*aktiv(), uttalelse_anmodet("2024-02-01", "S-1", "2024-02-15"),
              {"cmd": "varsel_om_retting", "hjemmel": "1149-017", "dato": "2024-02-16", "sak_id": "S-1",
               "rettefrist": "2024-03-01"},
              {"cmd": "skriftlig_advarsel", "hjemmel": "1149-017", "dato": "2024-03-04", "sak_id": "S-1"})
    assert when(s, TREKK % b"12.5").prosent == Decimal("12.5")


# ---- dates -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("dato", [
    pytest.param("2024-3-15", id="no zero padding"),
    pytest.param("15.03.2024", id="Norwegian format"),
    pytest.param("20240315", id="basic format"),
    pytest.param("2024-02-30", id="no such day"),
    pytest.param("2024-03-15T00:00:00", id="timestamp"),
    pytest.param(" 2024-03-15", id="leading space"),
    pytest.param(20240315, id="JSON number"),
])
def test_dato_ikke_yyyy_mm_dd(dato: Any) -> None:
    """§2.7 check 2: dates are YYYY-MM-DD -> otherwise felt_ugyldig (command's clause)."""
    avvist = _avvist(med(OPPSIGELSE, dato=dato))
    assert (avvist.kode, avvist.hjemmel_i_avtalen) == ("felt_ugyldig", "ASA 4310 §16")


@pytest.mark.parametrize("linje", [
    pytest.param(med(uttalelse_anmodet("2024-02-01"), svarfrist="2024-2-15"), id="svarfrist"),
    pytest.param(med(utlysning("2024-03-20"), soknadsfrist="17.04.2024"), id="soknadsfrist"),
    pytest.param(tilbud("2024-04-22", lege_=lege(fodselsdato="1988-10-3")), id="lege.fodselsdato"),
])
def test_datofelt_ikke_yyyy_mm_dd(linje: dict) -> None:
    """§2.7 check 2: every date field is YYYY-MM-DD."""
    assert _avvist(linje).kode == "felt_ugyldig"


@pytest.mark.parametrize("periode", ["2024-13", "2024-9", "2024-09-01", "202409", "2024-00"])
def test_periode_ikke_yyyy_mm(periode: str) -> None:
    """§2.7 driftsutgifter: periode is YYYY-MM -> otherwise felt_ugyldig (ASA 4310 §5.8)."""
    avvist = _avvist(driftsutgifter("2024-10-04", periode))
    assert (avvist.kode, avvist.hjemmel_i_avtalen) == ("felt_ugyldig", "ASA 4310 §5.8")


# ---- integers and enums ----------------------------------------------------------------------------------

@pytest.mark.parametrize("linje", [
    pytest.param(listetall("2024-02-01", "1200"), id="antall string"),  # type: ignore[arg-type]
    pytest.param(listetall("2024-02-01", 1200.5), id="antall fraction"),  # type: ignore[arg-type]
    pytest.param(listetall("2024-02-01", True), id="antall boolean"),  # type: ignore[arg-type]
    pytest.param(med(avtale_inngatt("2024-01-02"), listetak="1200"), id="listetak string"),
    pytest.param(med(opprett("2024-01-02"), listetak=0), id="listetak 0 (> 0, §2.7 opprett_hjemmel)"),
])
def test_heltall_ugyldig(linje: dict) -> None:
    """§2.7 check 2: listetak/antall are integers -> otherwise felt_ugyldig."""
    assert _avvist(linje).kode == "felt_ugyldig"


@pytest.mark.parametrize("linje", [
    pytest.param(med(OPPSIGELSE, fra="pasient"), id="oppsigelse fra"),
    pytest.param(med(opprett("2024-01-02"), organiseringsform="blandet"), id="organiseringsform"),
    pytest.param(utlysning_avsluttet("2024-04-22", "U1", "kanskje"), id="utfall"),
    pytest.param(nemnd_begjaert("2024-06-01", tema="pris"), id="tema"),
    pytest.param(nemnd_begjaert("2024-06-01", begjaert_av="kommune"), id="begjaert_av kommune (S24)"),
    pytest.param(nemnd_medvirkning_nektet("2024-06-01", "kommune"), id="part"),
    pytest.param(klage("2024-03-05", vedtak="oppsigelse"), id="klage vedtak"),
])
def test_enum_ugyldig(linje: dict) -> None:
    """§2.7 check 2: enum values outside the contract (interface §3) -> felt_ugyldig."""
    assert _avvist(linje).kode == "felt_ugyldig"


@pytest.mark.parametrize("begjaert_av", ["fratredende", "overtakende", "begge"])
def test_begjaert_av_gyldig(begjaert_av: str) -> None:
    """S24: begjaert_av is fratredende, overtakende or begge."""
    assert _les(nemnd_begjaert("2024-06-01", begjaert_av=begjaert_av)).begjaert_av == begjaert_av


def test_sats_null_avvises() -> None:
    """§2.7 sats: amount > 0 (the contract names no code; §2.7 check 2 would make it felt_ugyldig)."""
    rejected([], sats("2023-07-01", "0.00"))


def test_listetall_negativt_avvises() -> None:
    """§2.7 listetall: antall ≥ 0 -> a negative count is felt_ugyldig (ASA 4310 §8.1)."""
    avvist = _avvist(listetall("2024-02-01", -1))
    assert (avvist.kode, avvist.hjemmel_i_avtalen) == ("felt_ugyldig", "ASA 4310 §8.1")


def test_listetall_null_godtas() -> None:
    """§2.7 listetall: antall ≥ 0, so 0 is a valid count."""
    assert _les(listetall("2024-02-01", 0)).antall == 0


def test_sats_med_hjemmel_avvises() -> None:
    """interface §3 sats: `hjemmel` is omitted (national aggregate `satser`); a stray one is felt_ugyldig (§8.1)."""
    avvist = _avvist(med(sats(), hjemmel="1149-017"))
    assert (avvist.kode, avvist.hjemmel_i_avtalen) == ("felt_ugyldig", "ASA 4310 §8.1")


def test_sats_uten_hjemmel_leses() -> None:
    """interface §3 sats: a sats without `hjemmel` is read."""
    assert type(_les(sats())).__name__ == "SatsK"


def test_utlysning_felt_kan_vaere_null() -> None:
    """§2.7 utlysning: lokalisering, listelengde, organiseringsform, praksistype, prisantydning and kanal may be null."""
    cmd = utlysning("2024-03-20", kanal=None, lokalisering=None, listelengde=None, organiseringsform=None,
                    praksistype=None, prisantydning=None)
    assert type(_les(cmd)).__name__ == "UtlysningK"


# ====================================================================================================
# Check 3: dato not after today (IDAG 2026-11-25)
# ====================================================================================================


@pytest.mark.parametrize("dato", ["2026-11-26", "2030-01-01"])
def test_dato_i_fremtiden(dato: str) -> None:
    """§2.7 check 3, §2.10, E16: dato after today -> dato_i_fremtiden (clause null)."""
    avvist = rejected(given(*aktiv()), oppsigelse(dato))
    assert (avvist.kode, avvist.hjemmel_i_avtalen) == ("dato_i_fremtiden", None)


def test_dato_i_dag_godtas() -> None:
    """§2.7 check 3: dato equal to today is not in the future."""
    assert when(given(*aktiv()), oppsigelse(IDAG)).dato == IDAG


def test_sats_i_fremtiden() -> None:
    """§2.7 check 3, open point 12: a sats cannot be entered before its effective date."""
    assert rejected([], sats("2027-01-01")).kode == "dato_i_fremtiden"


def test_dato_i_fremtiden_for_ukjent_hjemmel() -> None:
    """§2.7: check 3 precedes check 4 — a future-dated command on an unknown hjemmel is dato_i_fremtiden."""
    assert rejected([], oppsigelse("2030-01-01", "1149-999")).kode == "dato_i_fremtiden"


# ====================================================================================================
# Check 4: key format and existence
# ====================================================================================================


@pytest.mark.parametrize("nokkel", [
    pytest.param("1149-17", id="two-digit lopenummer"),
    pytest.param("149-017", id="three-digit kommunenummer"),
    pytest.param("1149017", id="no hyphen"),
    pytest.param("1149-01a", id="letter"),
    pytest.param("satser", id="reserved key for a non-sats command"),
    pytest.param("", id="empty"),
])
def test_ugyldig_nokkel(nokkel: str) -> None:
    """§2.7 check 4, §1.1, §2.10: ugyldig_nokkel (ASA 4310 §5.1)."""
    avvist = rejected([], oppsigelse("2024-03-15", nokkel))
    assert (avvist.kode, avvist.hjemmel_i_avtalen) == ("ugyldig_nokkel", "ASA 4310 §5.1")


def test_ugyldig_nokkel_ved_opprettelse() -> None:
    """§2.7 check 4: opprett_hjemmel is checked for key format too."""
    assert rejected([], opprett("2024-01-02", "1149-17", kommune="1149")).kode == "ugyldig_nokkel"


def test_lopenummer_med_fire_siffer_godtas() -> None:
    """§1.1: the lopenummer has at least 3 digits, so 4 digits are valid."""
    assert when([], opprett("2024-01-02", "1149-0170")).hjemmel == "1149-0170"


def test_hjemmel_finnes_ikke() -> None:
    """§2.7 check 4, §2.10: a command on an unknown hjemmel -> hjemmel_finnes_ikke (ASA 4310 §5.1)."""
    avvist = rejected(given(*aktiv()), oppsigelse("2024-03-15", "1149-018"))
    assert (avvist.kode, avvist.hjemmel_i_avtalen) == ("hjemmel_finnes_ikke", "ASA 4310 §5.1")


def test_hjemmel_finnes_ikke_for_ugyldig_nokkel_kommer_ikke_forst() -> None:
    """§2.7 check 4 order: key format before existence."""
    assert rejected([], oppsigelse("2024-03-15", "1149-1")).kode == "ugyldig_nokkel"


def test_sats_krever_ingen_hjemmel() -> None:
    """§2.7 check 4: existence is not checked for `sats`."""
    assert when([], sats("2023-07-01")).hjemmel == "satser"


# ====================================================================================================
# Check 5: dato not before the latest dato of the stream
# ====================================================================================================


def test_dato_for_tidlig() -> None:
    """§2.7 check 5, §2.10: dato before the latest dato of the hjemmel -> dato_for_tidlig (clause null)."""
    avvist = rejected(given(*oppsagt()), heving("2024-03-14"))
    assert (avvist.kode, avvist.hjemmel_i_avtalen) == ("dato_for_tidlig", None)


def test_samme_dato_som_siste_godtas() -> None:
    """§2.7 check 5: the same dato as the latest event is not earlier."""
    assert type(when(given(*oppsagt()), heving("2024-03-15"))).__name__ == "AvtaleHevet"


def test_dato_for_tidlig_gjelder_per_hjemmel() -> None:
    """§2.7 check 5: the order is per hjemmel (`dato` of this hjemmel), not across hjemler."""
    s = given(*oppsagt(), opprett("2024-01-03", "1149-018"))
    assert when(s, avtale_inngatt("2024-01-03", "1149-018")).hjemmel == "1149-018"


def test_dato_for_tidlig_for_sats() -> None:
    """§2.7 check 5: for `sats` the order is that of the `satser` aggregate."""
    assert rejected(given(sats("2024-01-01")), sats("2023-07-01")).kode == "dato_for_tidlig"


def test_dato_for_tidlig_foran_livslopssjekk() -> None:
    """§2.7: check 5 precedes check 7 — an early, otherwise impossible step is dato_for_tidlig."""
    assert rejected(given(*oppsagt()), oppsigelse("2024-03-01")).kode == "dato_for_tidlig"


def test_hjemmel_finnes_ikke_foran_dato_for_tidlig() -> None:
    """§2.7: check 4 precedes check 5 (an unknown hjemmel has no latest dato)."""
    assert rejected(given(*aktiv()), listetall("2023-01-01", hjemmel="1149-018")).kode == "hjemmel_finnes_ikke"


def test_opprett_hjemmel_som_finnes_med_tidlig_dato() -> None:
    """§2.7: check 5 precedes check 7 for opprett_hjemmel too (dato_for_tidlig before hjemmel_finnes_allerede)."""
    assert rejected(given(*aktiv()), opprett("2023-01-01")).kode == "dato_for_tidlig"


# ====================================================================================================
# S26, interface §3: every accepted command stores exactly the one event its row names
# ====================================================================================================


_T1 = [*oppsagt(), *tilbud_gitt()]
_MOTT = [*_T1, tilbud_mottatt("2024-04-23")]
_AKS = [*_MOTT, tilbud_akseptert("2024-04-30")]
_SAK = [*aktiv(), uttalelse_anmodet("2024-02-01", "S-1", "2024-02-15")]
_VARS = [*_SAK, varsel_om_retting("2024-02-16", "S-1", "2024-03-01")]
_ADV = [*_VARS, skriftlig_advarsel("2024-03-04")]

HENDELSE_FOR_KOMMANDO = [
    ([], opprett("2024-01-02"), "HjemmelOpprettet"),
    ([opprett("2024-01-02")], avtale_inngatt("2024-01-02"), "AvtaleInngatt"),
    (aktiv(), oppsigelse("2024-03-15"), "OppsigelseMottatt"),
    (aktiv(), heving("2024-03-15"), "AvtaleHevet"),
    (aktiv(), bortfall("2024-03-15"), "AvtaleBortfalt"),
    (oppsagt(), utlysning("2024-03-20"), "HjemmelUtlyst"),
    ([*oppsagt(), utlysning("2024-03-20", soknadsfrist="2024-04-15")], utlysning_avsluttet("2024-04-16"),
     "UtlysningAvsluttet"),
    ([*oppsagt(), utlysning("2024-03-20")], tilbud("2024-04-22"), "TilbudGitt"),
    (_T1, tilbud_mottatt("2024-04-23"), "TilbudMottatt"),
    (_MOTT, tilbud_akseptert("2024-04-30"), "TilbudAkseptert"),
    (_MOTT, tilbud_avslatt("2024-04-30"), "TilbudAvslatt"),
    (_T1, tilbud_trukket("2024-05-28"), "TilbudTrukket"),
    (_AKS, pris_avtalt("2024-05-02"), "OverdragelsesprisAvtalt"),
    (_AKS, nemnd_begjaert("2024-05-29"), "NemndBegjaert"),
    ([*_AKS, nemnd_begjaert("2024-05-29")], nemnd_medvirkning_nektet("2024-06-03", "fratredende"),
     "NemndMedvirkningNektet"),
    ([*_AKS, nemnd_begjaert("2024-05-29")], nemnd_avgjort("2024-06-03"), "NemndAvgjort"),
    (_AKS, tiltredelse("2024-09-16"), "NyLegeTiltradt"),
    ([*oppsagt(), *tre_tellende_utlysninger()], hjemfall("2025-03-17"), "HjemmelHjemfalt"),
    (oppsagt(), driftsutgifter("2024-10-04", "2024-09"), "DriftsutgifterDokumentert"),
    (aktiv(), listetall("2024-02-01"), "ListetallRegistrert"),
    ([], sats("2023-07-01"), "BasistilskuddSatsFastsatt"),
    (aktiv(), uttalelse_anmodet("2024-02-01"), "UttalelseAnmodet"),
    (_SAK, uttalelse_mottatt("2024-02-10"), "UttalelseMottatt"),
    (_SAK, varsel_om_retting("2024-02-16", "S-1", "2024-03-01"), "VarselOmRetting"),
    (_VARS, skriftlig_advarsel("2024-03-04"), "SkriftligAdvarsel"),
    (_ADV, trekk_vedtatt("2024-03-05"), "TrekkVedtatt"),
    (_VARS, forhold_rettet("2024-03-04"), "ForholdRettet"),
    ([*_ADV, trekk_vedtatt("2024-03-05")], klage("2024-03-06"), "KlageMottatt"),
]


@pytest.mark.parametrize("historikk, kommando, hendelse",
                         [pytest.param(h, c, e, id=f"{c['cmd']} -> {e}") for h, c, e in HENDELSE_FOR_KOMMANDO])
def test_en_hendelse_per_kommando(historikk: list, kommando: dict, hendelse: str) -> None:
    """S26, interface §3: the accepted command stores the event named in its row."""
    assert type(when(given(*historikk), kommando)).__name__ == hendelse


def test_hendelsen_far_neste_versjon_og_lenkes_til_forrige_hash() -> None:
    """interface §6, §2.1: versjon = events so far + 1; forrige_hash = the previous event's hash."""
    s = given(*aktiv())
    ny = when(s, oppsigelse("2024-03-15"))
    assert (ny.versjon, ny.forrige_hash) == (3, s[-1][1].hash)


def test_forste_hendelse_lenkes_til_nullhash() -> None:
    """interface §6: the first event of a hjemmel has forrige_hash = 64 zeros."""
    assert when([], opprett("2024-01-02")).forrige_hash == "0" * 64


def test_registrert_settes_av_hovedboken() -> None:
    """interface §3: the ledger stamps the record time itself (here the injected clock)."""
    assert when(given(*aktiv()), oppsigelse("2024-03-15")).registrert == REGISTRERT


def test_sats_hendelse_tilhorer_satser() -> None:
    """§1.1, S26: sats events belong to the national aggregate `satser`, with their own chain."""
    s = given(*aktiv(), sats("2023-07-01"))
    ny = when(s, sats("2024-01-01", "900.00"))
    assert (ny.hjemmel, ny.versjon, ny.forrige_hash) == ("satser", 2, s[-1][1].hash)
