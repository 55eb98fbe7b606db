"""Rejections: the acceptance-by-status table (domain.md §2.8) and every lifecycle code of §2.10 (checks 6–7 of §2.7)."""
from __future__ import annotations

from typing import Any, Callable

import pytest

from hjemmel.domain.beslutninger import beslutt
from hjemmel.domain.kommandoer import les
from tests.builders import (
    IDAG, KEY, REGISTRERT, aktiv, avtale_inngatt, bortfall, driftsutgifter, extend, forhold_rettet, given, heving,
    hjemfall, hjemfalt, klage, lege, listetall, nemnd_avgjort, nemnd_begjaert, nemnd_medvirkning_nektet, opprett,
    opprettet, oppsagt, oppsigelse, pris_avtalt, rejected, skriftlig_advarsel, state, tilbud, tilbud_akseptert,
    tilbud_avslatt, tilbud_gitt, tilbud_mottatt, tilbud_trukket, tiltredelse, trekk_vedtatt, tre_tellende_utlysninger,
    utlysning, utlysning_avsluttet, uttalelse_anmodet, uttalelse_mottatt, varsel_om_retting, when,
)

IKKE_FASTSATT: Any = object()
"""§2.10 lists several references for the code (e.g. `§5.6 (5), D6`): the clause is not asserted (scenarios README)."""


def _klausul(avvist, klausul: Any) -> None:
    if klausul is IKKE_FASTSATT:
        assert isinstance(avvist.hjemmel_i_avtalen, str) and avvist.hjemmel_i_avtalen, "every lifecycle code names a clause"
    else:
        assert avvist.hjemmel_i_avtalen == klausul


# ====================================================================================================
# §2.8 acceptance by status
# ====================================================================================================

# status -> (history that reaches it on hjemmel 1149-017, a dato at which the command sees that status)
STATUS: dict[str, tuple[Callable[[], list], str]] = {
    "OPPRETTET": (opprettet, "2024-02-01"),
    "AKTIV": (aktiv, "2024-02-01"),
    "OPPSAGT": (oppsagt, "2024-04-01"),  # notice 2024-03-15, opphorsdato 2024-09-15
    "LEDIG": (oppsagt, "2024-10-01"),
    "HJEMFALT": (hjemfalt, "2025-04-01"),  # hjemfall 2025-03-17
}


def _i_status(navn: str) -> tuple[list, str]:
    historikk, dato = STATUS[navn]
    return given(*historikk()), dato


NY_LEGE = lege("L-400", "Ny Lege", "1980-01-01")

# (command builder taking a dato, status) -> code, clause
TABELL_2_8 = [
    *[(lambda d: opprett(d), st, "hjemmel_finnes_allerede", "ASA 4310 §5.1")
      for st in ("OPPRETTET", "AKTIV", "OPPSAGT", "LEDIG", "HJEMFALT")],
    (lambda d: avtale_inngatt(d, lege_=NY_LEGE), "AKTIV", "har_avtaleinnehaver", "ASA 4310 §5.5"),
    (lambda d: avtale_inngatt(d, lege_=NY_LEGE), "OPPSAGT", "har_avtaleinnehaver", "ASA 4310 §5.5"),
    (lambda d: avtale_inngatt(d, lege_=NY_LEGE), "LEDIG", "krever_tildeling", "ASA 4310 §5.4–§5.6"),
    *[(lambda d: oppsigelse(d), st, "ingen_avtale", "ASA 4310 §16") for st in ("OPPRETTET", "LEDIG", "HJEMFALT")],
    (lambda d: oppsigelse(d), "OPPSAGT", "allerede_oppsagt", "ASA 4310 §16"),
    *[(lambda d: heving(d), st, "ingen_avtale", "ASA 4310 §16") for st in ("OPPRETTET", "LEDIG", "HJEMFALT")],
    *[(lambda d: bortfall(d), st, "ingen_avtale", "ASA 4310 §16") for st in ("OPPRETTET", "LEDIG", "HJEMFALT")],
    (lambda d: tilbud(d), "AKTIV", "hjemmel_ikke_ledig", "ASA 4310 §5.5"),
    *[(lambda d: pris_avtalt(d), st, "ingen_overdragelsesrett", IKKE_FASTSATT) for st in ("OPPRETTET", "HJEMFALT")],
    *[(lambda d: nemnd_begjaert(d), st, "ingen_overdragelsesrett", IKKE_FASTSATT) for st in ("OPPRETTET", "HJEMFALT")],
    *[(lambda d: nemnd_medvirkning_nektet(d, "fratredende"), st, "ingen_nemndsak", IKKE_FASTSATT)
      for st in ("OPPRETTET", "HJEMFALT")],
    *[(lambda d: nemnd_avgjort(d), st, "ingen_nemndsak", IKKE_FASTSATT) for st in ("OPPRETTET", "HJEMFALT")],
    *[(lambda d: hjemfall(d), st, "hjemfall_vilkar_ikke_oppfylt", "ASA 4310 §5.8")
      for st in ("OPPRETTET", "AKTIV", "OPPSAGT", "HJEMFALT")],
    *[(lambda d: uttalelse_anmodet(d, "S-9"), st, "ingen_avtale", "ASA 4310 §15")
      for st in ("OPPRETTET", "LEDIG", "HJEMFALT")],
]


@pytest.mark.parametrize(
    "lag, status, kode, klausul",
    [pytest.param(*rad, id=f"{rad[0]('2024-01-01')['cmd']} in {rad[1]} -> {rad[2]}") for rad in TABELL_2_8],
)
def test_tabell_2_8_avvisning(lag: Callable[[str], dict], status: str, kode: str, klausul: Any) -> None:
    """§2.8 acceptance by status: a rejected cell answers its code (with the §2.10 clause)."""
    stream, dato = _i_status(status)
    avvist = rejected(stream, lag(dato))
    assert avvist.kode == kode
    _klausul(avvist, klausul)


@pytest.mark.parametrize("status", ["OPPRETTET", "AKTIV", "OPPSAGT", "LEDIG", "HJEMFALT"])
def test_tabell_2_8_utlysning_godtas_i_alle_statuser(status: str) -> None:
    """§2.8 utlysning: ✓ in every status (S22: an announcement is a fact)."""
    stream, dato = _i_status(status)
    assert type(when(stream, utlysning(dato, "U9"))).__name__ == "HjemmelUtlyst"


@pytest.mark.parametrize("status", ["OPPRETTET", "OPPSAGT", "LEDIG", "HJEMFALT"])
def test_tabell_2_8_tilbud_godtas(status: str) -> None:
    """§2.8 tilbud: ✓ in OPPRETTET, OPPSAGT, LEDIG, HJEMFALT given an open utlysning (§5.5)."""
    stream, dato = _i_status(status)
    assert type(when(extend(stream, utlysning(dato, "U9")), tilbud(dato))).__name__ == "TilbudGitt"


@pytest.mark.parametrize("status", ["OPPRETTET", "AKTIV", "OPPSAGT", "LEDIG", "HJEMFALT"])
def test_tabell_2_8_listetall_godtas_i_alle_statuser(status: str) -> None:
    """§2.8 listetall: ✓ in every status (§8.1)."""
    stream, dato = _i_status(status)
    assert type(when(stream, listetall(dato))).__name__ == "ListetallRegistrert"


@pytest.mark.parametrize("status, lag", [
    pytest.param("AKTIV", lambda d: oppsigelse(d), id="oppsigelse in AKTIV"),
    pytest.param("AKTIV", lambda d: heving(d), id="heving in AKTIV"),
    pytest.param("OPPSAGT", lambda d: heving(d), id="heving in OPPSAGT"),
    pytest.param("AKTIV", lambda d: bortfall(d), id="bortfall in AKTIV"),
    pytest.param("OPPSAGT", lambda d: bortfall(d), id="bortfall in OPPSAGT"),
    pytest.param("OPPRETTET", lambda d: avtale_inngatt(d, lege_=NY_LEGE), id="avtale_inngatt in OPPRETTET"),
    pytest.param("HJEMFALT", lambda d: avtale_inngatt(d, lege_=NY_LEGE), id="avtale_inngatt in HJEMFALT"),
    pytest.param("AKTIV", lambda d: uttalelse_anmodet(d, "S-9"), id="uttalelse_anmodet in AKTIV"),
    pytest.param("OPPSAGT", lambda d: uttalelse_anmodet(d, "S-9"), id="uttalelse_anmodet in OPPSAGT"),
])
def test_tabell_2_8_godtatt_celle(status: str, lag: Callable[[str], dict]) -> None:
    """§2.8: a ✓ cell is accepted when the §2.7 checks hold."""
    stream, dato = _i_status(status)
    assert when(stream, lag(dato)).hjemmel == KEY


def test_tabell_2_8_hjemfall_godtas_i_ledig() -> None:
    """§2.8 hjemfall: ✓ in LEDIG when D9 holds (E7: 2025-03-17)."""
    s = given(*oppsagt(), *tre_tellende_utlysninger())
    assert type(when(s, hjemfall("2025-03-17"))).__name__ == "HjemmelHjemfalt"


# The §15 steps after the avtale ended: the sak exists and every earlier §2.7 check holds, so only
# "holder exists (ingen_avtale)" fails (§2.8 LEDIG/HJEMFALT columns).
SAK_FOR_STEG = {
    "varsel_om_retting": ([uttalelse_anmodet("2024-02-01", "S-1", "2024-02-15")],
                          lambda d: varsel_om_retting(d, "S-1", "2025-12-01")),
    "skriftlig_advarsel": ([uttalelse_anmodet("2024-02-01", "S-1", "2024-02-15"),
                            varsel_om_retting("2024-02-16", "S-1", "2024-03-01")],
                           lambda d: skriftlig_advarsel(d, "S-1")),
    "trekk_vedtatt": ([uttalelse_anmodet("2024-02-01", "S-1", "2024-02-15"),
                       varsel_om_retting("2024-02-16", "S-1", "2024-03-01"), skriftlig_advarsel("2024-03-04", "S-1")],
                      lambda d: trekk_vedtatt(d, "S-1", 10)),
}


@pytest.mark.parametrize("steg", list(SAK_FOR_STEG))
@pytest.mark.parametrize("slutt", ["LEDIG", "HJEMFALT"])
def test_tabell_2_8_paragraf_15_uten_holder(steg: str, slutt: str) -> None:
    """§2.8, §2.7: a §15 step on a sak of a holder whose avtale has ended -> ingen_avtale (ASA 4310 §15)."""
    forlop, lag = SAK_FOR_STEG[steg]
    historikk = [*aktiv(), *forlop, oppsigelse("2024-03-15")]
    if slutt == "HJEMFALT":
        historikk += [*tre_tellende_utlysninger(), hjemfall("2025-03-17")]
    avvist = rejected(given(*historikk), lag("2025-04-01"))
    assert (avvist.kode, avvist.hjemmel_i_avtalen) == ("ingen_avtale", "ASA 4310 §15")


def test_tabell_2_8_nemndsteg_uten_apen_sak_i_ledig() -> None:
    """§2.8 nemnd_avgjort: ✓ only if a case is open; otherwise ingen_nemndsak (§2.7)."""
    s = given(*oppsagt(), *tilbud_gitt(), tilbud_mottatt("2024-04-23"))
    assert rejected(s, nemnd_avgjort("2024-10-01")).kode == "ingen_nemndsak"


def test_hjemmel_nedlagt() -> None:
    """§2.7 check 6, ASA 4310 §5.2: every command but korreksjon is rejected on a NEDLAGT hjemmel.

    No current command reaches NEDLAGT (§2.4), so the folded state is forced there.
    """
    h = state(given(*aktiv()))
    h.status = "NEDLAGT"
    h.lege = None
    with pytest.raises(Exception) as feil:
        beslutt(h, les(b'{"cmd":"listetall","hjemmel":"1149-017","dato":"2024-03-01","antall":1200}'), IDAG, REGISTRERT)
    assert (feil.value.kode, feil.value.hjemmel_i_avtalen) == ("hjemmel_nedlagt", "ASA 4310 §5.2")


# ====================================================================================================
# §2.10 codes, one behaviour each (the lifecycle codes; local measures and corrections are out of scope)
# ====================================================================================================

L_GAMMEL = lege("L-900", "Gammel Lege", "1950-01-01")
L2 = lege("L-301", "Neste Soker", "1985-01-01")

_OPPSAGT_T1 = [*oppsagt(), *tilbud_gitt()]  # T-1 given 2024-04-22 from U1 (closed with utfall tilbud)
_MOTTATT = [*_OPPSAGT_T1, tilbud_mottatt("2024-04-23")]  # prisfrist 2024-05-28
_AKSEPTERT = [*_MOTTATT, tilbud_akseptert("2024-04-30")]  # akseptfrist 2024-05-27
_SAK = [*aktiv(), uttalelse_anmodet("2024-02-01", "S-1", "2024-02-15")]
_VARSLET = [*_SAK, uttalelse_mottatt("2024-02-10"), varsel_om_retting("2024-02-20", "S-1", "2024-03-01")]
_ADVART = [*_VARSLET, skriftlig_advarsel("2024-03-04")]
_TREKK = [*_ADVART, trekk_vedtatt("2024-03-05", prosent=10)]
_NY_HJEMMEL_T1 = [opprett("2024-01-02"), utlysning("2024-01-08", "U1"), tilbud("2024-02-12"),
                  utlysning_avsluttet("2024-02-12", "U1", "tilbud"), tilbud_mottatt("2024-02-13")]
_TILTRADT = [*_AKSEPTERT, tiltredelse("2024-09-16")]

AVVISNINGER = [
    # ---- creation and holder ----
    ("kommune_avviker", [], opprett("2024-01-02", "1149-017", kommune="1103"), "ASA 4310 §5.1"),
    ("har_avtaleinnehaver: tiltredelse of a fulfilled tilbud", _TILTRADT, tiltredelse("2024-09-17"), "ASA 4310 §5.5"),
    ("tildeling_pagar: avtale_inngatt while UTLYST (OPPRETTET)", [opprett("2024-01-02"), utlysning("2024-01-08")],
     avtale_inngatt("2024-01-09"), "ASA 4310 §5.5"),
    ("tildeling_pagar: avtale_inngatt while UTLYST (HJEMFALT)", [*hjemfalt(), utlysning("2025-04-01", "U9")],
     avtale_inngatt("2025-04-02", lege_=NY_LEGE), "ASA 4310 §5.5"),
    ("lege_over_70: avtale_inngatt", opprettet(), avtale_inngatt("2024-02-01", lege_=L_GAMMEL), "ASA 4310 §16 (3)"),
    ("lege_over_70: avtale_inngatt on the 70th birthday", opprettet(),
     avtale_inngatt("2024-02-01", lege_=lege("L-901", fodselsdato="1954-02-01")), "ASA 4310 §16 (3)"),
    ("lege_over_70: tilbud", [*oppsagt(), utlysning("2024-03-20", "U1")], tilbud("2024-04-22", lege_=L_GAMMEL),
     "ASA 4310 §16 (3)"),
    ("lege_over_70: tiltredelse after turning 70", [*oppsagt(), utlysning("2024-03-20", "U1"),
     tilbud("2024-04-22", lege_=lege("L-902", fodselsdato="1954-10-01")), tilbud_mottatt("2024-04-23"),
     tilbud_akseptert("2024-04-30")], tiltredelse("2024-10-01"), "ASA 4310 §16 (3)"),
    # ---- ending the avtale ----
    ("begrunnelse_mangler: oppsigelse fra kommune without begrunnelse", aktiv(),
     oppsigelse("2024-03-15", fra="kommune"), "ASA 4310 §16 (1)"),
    ("begrunnelse_mangler: oppsigelse fra kommune with empty begrunnelse", aktiv(),
     oppsigelse("2024-03-15", fra="kommune", begrunnelse=""), "ASA 4310 §16 (1)"),
    ("begrunnelse_mangler: oppsigelse fra kommune with blank begrunnelse", aktiv(),
     oppsigelse("2024-03-15", fra="kommune", begrunnelse="   "), "ASA 4310 §16 (1)"),
    ("begrunnelse_mangler: heving without begrunnelse", aktiv(), heving("2024-03-15", begrunnelse=None),
     "ASA 4310 §16 (2)"),
    ("begrunnelse_mangler: heving with empty begrunnelse", aktiv(), heving("2024-03-15", begrunnelse=""),
     "ASA 4310 §16 (2)"),
    # ---- utlysning ----
    ("utlysning_pagar", [*oppsagt(), utlysning("2024-03-20", "U1")], utlysning("2024-03-21", "U2"), "ASA 4310 §5.4"),
    ("tilbud_pagar: utlysning while a tilbud is live", _OPPSAGT_T1, utlysning("2024-04-23", "U2"), IKKE_FASTSATT),
    ("utlysning_id_brukt", [*oppsagt(), utlysning("2024-03-20", "U1", soknadsfrist="2024-04-15"),
     utlysning_avsluttet("2024-04-16", "U1")], utlysning("2024-04-17", "U1"), "ASA 4310 §5.4"),
    ("soknadsfrist_ugyldig", oppsagt(), utlysning("2024-03-20", "U1", soknadsfrist="2024-03-19"), "ASA 4310 §5.4"),
    ("utlysning_finnes_ikke", oppsagt(), utlysning_avsluttet("2024-03-20", "U9"), "ASA 4310 §5.4"),
    ("utlysning_allerede_avsluttet", [*oppsagt(), utlysning("2024-03-20", "U1", soknadsfrist="2024-04-15"),
     utlysning_avsluttet("2024-04-16", "U1")], utlysning_avsluttet("2024-04-17", "U1"), "ASA 4310 §5.4"),
    ("soknadsfrist_ikke_utlopt: closing ingen_sokere on the soknadsfrist",
     [*oppsagt(), utlysning("2024-03-20", "U1", soknadsfrist="2024-04-15")],
     utlysning_avsluttet("2024-04-15", "U1", "ingen_sokere"), "ASA 4310 §5.4"),
    ("tilbud_pagar: closing ingen_sokere while a tilbud is live",
     [*oppsagt(), utlysning("2024-03-20", "U1", soknadsfrist="2024-04-15"), tilbud("2024-04-16")],
     utlysning_avsluttet("2024-04-17", "U1", "ingen_sokere"), IKKE_FASTSATT),
    ("tilbud_mangler: closing with utfall tilbud without any tilbud", [*oppsagt(), utlysning("2024-03-20", "U1")],
     utlysning_avsluttet("2024-04-22", "U1", "tilbud"), IKKE_FASTSATT),
    ("tilbud_mangler: closing with utfall tilbud when the only tilbud predates the utlysning",
     [*_MOTTATT, tilbud_avslatt("2024-04-24"), utlysning("2024-04-25", "U2")],
     utlysning_avsluttet("2024-05-27", "U2", "tilbud"), IKKE_FASTSATT),
    # ---- tilbud ----
    ("hjemmel_ikke_ledig: tilbud while AKTIV (with an utlysning)", [*aktiv(), utlysning("2024-03-01", "U1")],
     tilbud("2024-03-02"), "ASA 4310 §5.5"),
    ("tilbud_pagar: a second tilbud while one is live", _OPPSAGT_T1, tilbud("2024-04-23", "T-2", lege_=L2),
     IKKE_FASTSATT),
    ("ikke_utlyst: no utlysning in the vacancy", oppsagt(), tilbud("2024-04-01"), IKKE_FASTSATT),
    ("ikke_utlyst: only an utlysning closed without result",
     [*oppsagt(), utlysning("2024-03-20", "U1", soknadsfrist="2024-04-15"), utlysning_avsluttet("2024-04-16", "U1")],
     tilbud("2024-04-17"), IKKE_FASTSATT),
    ("ikke_utlyst: utlysning closed with utfall tilbud before the latest tiltredelse",
     [*_TILTRADT, oppsigelse("2024-10-01")], tilbud("2024-10-02", "T-2", lege_=L2), IKKE_FASTSATT),
    ("ikke_utlyst: HJEMFALT with only utlysninger from before the hjemfall", hjemfalt(),
     tilbud("2025-04-01"), IKKE_FASTSATT),
    ("tilbud_id_brukt", [*_MOTTATT, tilbud_avslatt("2024-04-24"), utlysning("2024-04-25", "U2")],
     tilbud("2024-04-26", "T-1", lege_=L2), IKKE_FASTSATT),
    # ---- tilbud steps ----
    ("tilbud_finnes_ikke: tilbud_mottatt", _OPPSAGT_T1, tilbud_mottatt("2024-04-23", "T-9"), IKKE_FASTSATT),
    ("tilbud_finnes_ikke: tilbud_trukket", _OPPSAGT_T1, tilbud_trukket("2024-06-01", "T-9"), IKKE_FASTSATT),
    ("tilbud_finnes_ikke: tiltredelse", _AKSEPTERT, tiltredelse("2024-09-16", "T-9"), IKKE_FASTSATT),
    ("tilbud_ikke_aktivt: tilbud_akseptert after avslag", [*_MOTTATT, tilbud_avslatt("2024-04-24")],
     tilbud_akseptert("2024-04-25"), IKKE_FASTSATT),
    ("tilbud_ikke_aktivt: tilbud_mottatt after withdrawal", [*_OPPSAGT_T1, tilbud_trukket("2024-05-28")],
     tilbud_mottatt("2024-05-29"), IKKE_FASTSATT),
    ("tilbud_ikke_aktivt: tiltredelse on a declined tilbud (S23)", [*_MOTTATT, tilbud_avslatt("2024-04-24")],
     tiltredelse("2024-09-16"), IKKE_FASTSATT),
    ("tilbud_allerede_mottatt", _MOTTATT, tilbud_mottatt("2024-04-24"), IKKE_FASTSATT),
    ("tilbud_ikke_mottatt: tilbud_akseptert (S6)", _OPPSAGT_T1, tilbud_akseptert("2024-04-23"), IKKE_FASTSATT),
    ("tilbud_ikke_mottatt: tilbud_avslatt (S6)", _OPPSAGT_T1, tilbud_avslatt("2024-04-23"), IKKE_FASTSATT),
    ("tilbud_ikke_mottatt: nemnd_begjaert overdragelsespris (D7)", _OPPSAGT_T1, nemnd_begjaert("2024-06-03"),
     IKKE_FASTSATT),
    ("tilbud_allerede_akseptert: tilbud_akseptert twice", _AKSEPTERT, tilbud_akseptert("2024-05-01"), IKKE_FASTSATT),
    ("tilbud_allerede_akseptert: tilbud_avslatt after acceptance", _AKSEPTERT, tilbud_avslatt("2024-05-01"),
     IKKE_FASTSATT),
    ("tilbud_allerede_akseptert: tilbud_trukket after acceptance", _AKSEPTERT, tilbud_trukket("2024-05-28"),
     IKKE_FASTSATT),
    ("akseptfrist_ikke_utlopt: tilbud_trukket on the akseptfrist", _OPPSAGT_T1, tilbud_trukket("2024-05-27"),
     IKKE_FASTSATT),
    ("tilbud_ikke_akseptert: tiltredelse", _MOTTATT, tiltredelse("2024-09-16"), IKKE_FASTSATT),
    ("avtale_lopende: tiltredelse while OPPSAGT", _AKSEPTERT, tiltredelse("2024-05-02"), IKKE_FASTSATT),
    # ---- price and nemnd ----
    ("ingen_overdragelsesrett: pris_avtalt on a new hjemmel", _NY_HJEMMEL_T1, pris_avtalt("2024-02-14"),
     IKKE_FASTSATT),
    ("ingen_overdragelsesrett: nemnd_begjaert ytelser_5_7 on a new hjemmel", _NY_HJEMMEL_T1,
     nemnd_begjaert("2024-02-14", "ytelser_5_7"), IKKE_FASTSATT),
    ("ingen_overdragelsesrett: pris_avtalt after the fratredende lege refused the nemnd (D8)",
     [*_AKSEPTERT, nemnd_begjaert("2024-05-29"), nemnd_medvirkning_nektet("2024-06-03", "fratredende")],
     pris_avtalt("2024-06-04"), IKKE_FASTSATT),
    ("tilbud_mangler: pris_avtalt without a tilbud", oppsagt(), pris_avtalt("2024-04-01"), IKKE_FASTSATT),
    ("tilbud_mangler: nemnd_begjaert without a tilbud", oppsagt(), nemnd_begjaert("2024-04-01", "ytelser_5_7"),
     IKKE_FASTSATT),
    ("pris_allerede_fastsatt: pris_avtalt twice", [*_AKSEPTERT, pris_avtalt("2024-05-02")],
     pris_avtalt("2024-05-03", "460000.00"), "ASA 4310 §5.6"),
    ("pris_allerede_fastsatt: nemnd_begjaert after pris_avtalt", [*_AKSEPTERT, pris_avtalt("2024-05-02")],
     nemnd_begjaert("2024-05-29"), "ASA 4310 §5.6"),
    ("pris_allerede_fastsatt: pris_avtalt after nemnd_avgjort",
     [*_AKSEPTERT, nemnd_begjaert("2024-05-29"), nemnd_avgjort("2024-07-01")], pris_avtalt("2024-07-02"),
     "ASA 4310 §5.6"),
    ("nemnd_allerede_begjaert", [*_AKSEPTERT, nemnd_begjaert("2024-05-29")],
     nemnd_begjaert("2024-05-30", "ytelser_5_7", "overtakende"), "ASA 4310 §5.6"),
    ("prisfrist_ikke_utlopt: nemnd_begjaert on the prisfrist (D7)", _AKSEPTERT, nemnd_begjaert("2024-05-28"),
     IKKE_FASTSATT),
    ("ingen_nemndsak: nemnd_avgjort without a case", _AKSEPTERT, nemnd_avgjort("2024-06-01"), IKKE_FASTSATT),
    ("ingen_nemndsak: nemnd_medvirkning_nektet without a case", _AKSEPTERT,
     nemnd_medvirkning_nektet("2024-06-01", "overtakende"), IKKE_FASTSATT),
    ("ingen_nemndsak: nemnd_avgjort after the overtakende lege refused (D8)",
     [*_AKSEPTERT, nemnd_begjaert("2024-05-29"), nemnd_medvirkning_nektet("2024-06-03", "overtakende")],
     nemnd_avgjort("2024-06-04"), IKKE_FASTSATT),
    # ---- hjemfall (D9): one unmet condition each ----
    ("hjemfall_vilkar_ikke_oppfylt: before hjemfall_tidligst", [*oppsagt(), *tre_tellende_utlysninger()],
     hjemfall("2025-03-14"), "ASA 4310 §5.8"),
    ("hjemfall_vilkar_ikke_oppfylt: only 2 counted utlysninger", [*oppsagt(), *tre_tellende_utlysninger()[:4]],
     hjemfall("2025-03-17"), "ASA 4310 §5.8"),
    ("hjemfall_vilkar_ikke_oppfylt: an incorrect third utlysning does not count",
     [*oppsagt(), *tre_tellende_utlysninger()[:4], utlysning("2024-10-07", "U3", soknadsfrist="2024-10-27"),
      utlysning_avsluttet("2024-11-11", "U3")], hjemfall("2025-03-17"), "ASA 4310 §5.8"),
    ("hjemfall_vilkar_ikke_oppfylt: a tilbud is pending",
     [*oppsagt(), *tre_tellende_utlysninger(), utlysning("2025-01-06", "U4"), tilbud("2025-02-10"),
      utlysning_avsluttet("2025-02-10", "U4", "tilbud")], hjemfall("2025-03-17"), "ASA 4310 §5.8"),
    ("hjemfall_vilkar_ikke_oppfylt: a tilbud is accepted",
     [*oppsagt(), *tre_tellende_utlysninger(), utlysning("2025-01-06", "U4"), tilbud("2025-02-10"),
      utlysning_avsluttet("2025-02-10", "U4", "tilbud"), tilbud_mottatt("2025-02-11"),
      tilbud_akseptert("2025-02-12")], hjemfall("2025-03-17"), "ASA 4310 §5.8"),
    # ---- money facts ----
    ("utenfor_ledighetsperiode: the month before the opphorsdato (E9)", oppsagt(),
     driftsutgifter("2024-10-04", "2024-08"), IKKE_FASTSATT),
    ("utenfor_ledighetsperiode: a month after the hjemfall (E9)", hjemfalt(), driftsutgifter("2025-05-04", "2025-04"),
     IKKE_FASTSATT),
    ("utenfor_ledighetsperiode: AKTIV without a vacancy", aktiv(), driftsutgifter("2024-03-04", "2024-02"),
     IKKE_FASTSATT),
    ("periode_i_fremtiden", oppsagt(), driftsutgifter("2024-10-04", "2024-11"), "ASA 4310 §5.8"),
    ("periode_allerede_dokumentert", [*oppsagt(), driftsutgifter("2024-10-04", "2024-09")],
     driftsutgifter("2024-10-05", "2024-09", "1000.00", "0.00"), "ASA 4310 §5.8"),
    ("listetall_ikke_forste_i_maned", aktiv(), listetall("2024-02-02"), "ASA 4310 §8.1"),
    ("listetall_allerede_registrert", [*aktiv(), listetall("2024-02-01", 1200)], listetall("2024-02-01", 1300),
     "ASA 4310 §8.1"),
    # ---- §15 ----
    ("sak_pagar", _SAK, uttalelse_anmodet("2024-02-02", "S-2"), "ASA 4310 §15"),
    ("sak_id_brukt", [*_VARSLET, forhold_rettet("2024-04-01")], uttalelse_anmodet("2024-04-02", "S-1"),
     "ASA 4310 §15"),
    ("svarfrist_ugyldig: svarfrist on the dato (S13)", aktiv(), uttalelse_anmodet("2024-02-01", "S-1", "2024-02-01"),
     "ASA 4310 §15 (1)"),
    ("svarfrist_ugyldig: svarfrist before the dato", aktiv(), uttalelse_anmodet("2024-02-01", "S-1", "2024-01-31"),
     "ASA 4310 §15 (1)"),
    ("sak_finnes_ikke: uttalelse_mottatt", _SAK, uttalelse_mottatt("2024-02-10", "S-9"), "ASA 4310 §15"),
    ("sak_finnes_ikke: forhold_rettet", _VARSLET, forhold_rettet("2024-03-01", "S-9"), "ASA 4310 §15"),
    ("uttalelse_allerede_mottatt", [*_SAK, uttalelse_mottatt("2024-02-10")], uttalelse_mottatt("2024-02-11"),
     "ASA 4310 §15 (1)"),
    ("uttalelse_ikke_avventet: varsel on the svarfrist without uttalelse (S13)", _SAK,
     varsel_om_retting("2024-02-15", "S-1", "2024-03-15"), "ASA 4310 §15 (1)"),
    ("rettefrist_ugyldig: rettefrist on the dato", [*_SAK, uttalelse_mottatt("2024-02-10")],
     varsel_om_retting("2024-02-20", "S-1", "2024-02-20"), "ASA 4310 §15 (1)–(2)"),
    ("varsel_allerede_gitt", _VARSLET, varsel_om_retting("2024-02-21", "S-1", "2024-03-15"), "ASA 4310 §15 (1)"),
    ("varsel_mangler: skriftlig_advarsel before varsel", _SAK, skriftlig_advarsel("2024-03-01"), "ASA 4310 §15 (1)"),
    ("varsel_mangler: forhold_rettet before varsel", _SAK, forhold_rettet("2024-03-01"), "ASA 4310 §15 (1)"),
    ("rettefrist_ikke_utlopt: skriftlig_advarsel on the rettefrist", _VARSLET, skriftlig_advarsel("2024-03-01"),
     "ASA 4310 §15 (1)–(2)"),
    ("advarsel_allerede_gitt: skriftlig_advarsel twice", _ADVART, skriftlig_advarsel("2024-03-05"), "ASA 4310 §15"),
    ("advarsel_allerede_gitt: skriftlig_advarsel after trekk", _TREKK, skriftlig_advarsel("2024-03-06"),
     "ASA 4310 §15"),
    ("forhold_allerede_rettet: skriftlig_advarsel", [*_VARSLET, forhold_rettet("2024-02-25")],
     skriftlig_advarsel("2024-03-04"), "ASA 4310 §15"),
    ("forhold_allerede_rettet: trekk_vedtatt", [*_ADVART, forhold_rettet("2024-03-05")], trekk_vedtatt("2024-03-06"),
     "ASA 4310 §15"),
    ("forhold_allerede_rettet: forhold_rettet twice", [*_VARSLET, forhold_rettet("2024-02-25")],
     forhold_rettet("2024-02-26"), "ASA 4310 §15"),
    ("advarsel_mangler: trekk in VARSLET", _VARSLET, trekk_vedtatt("2024-03-04"), "ASA 4310 §15 (3)"),
    ("advarsel_mangler: trekk in UTTALELSE_ANMODET", _SAK, trekk_vedtatt("2024-03-04"), "ASA 4310 §15 (3)"),
    ("trekk_for_tidlig: trekk on the day of the advarsel (D12)", _ADVART, trekk_vedtatt("2024-03-04"),
     "ASA 4310 §15 (3)"),
    ("trekk_allerede_vedtatt", _TREKK, trekk_vedtatt("2024-03-06"), "ASA 4310 §15 (3)"),
    ("trekk_prosent_ugyldig: 0", _ADVART, trekk_vedtatt("2024-03-05", prosent=0), "ASA 4310 §15 (3)"),
    ("trekk_prosent_ugyldig: negative", _ADVART, trekk_vedtatt("2024-03-05", prosent=-5), "ASA 4310 §15 (3)"),
    ("trekk_over_20_prosent: 25", _ADVART, trekk_vedtatt("2024-03-05", prosent=25), "ASA 4310 §15 (3)"),
    ("trekk_over_20_prosent: 20.01", _ADVART, trekk_vedtatt("2024-03-05", prosent=20.01), "ASA 4310 §15 (3)"),
    ("vedtak_finnes_ikke: klage trekk on a sak without trekk", _ADVART, klage("2024-03-05", "S-1", "trekk"), "fvl §28"),
    ("vedtak_finnes_ikke: klage trekk on an unknown sak", _TREKK, klage("2024-03-06", "S-9", "trekk"), "fvl §28"),
    ("vedtak_finnes_ikke: klage tildeling on an unknown tilbud", _OPPSAGT_T1,
     klage("2024-04-23", "T-9", "tildeling"), "fvl §28"),
]


@pytest.mark.parametrize("historikk, kommando, kode, klausul",
                         [pytest.param(h, c, k.split(":")[0], kl, id=k) for k, h, c, kl in AVVISNINGER])
def test_avvisning(historikk: list, kommando: dict, kode: str, klausul: Any) -> None:
    """§2.7 check 7 / §2.10: the step cannot happen; nothing is stored and the answer names code and clause."""
    avvist = rejected(given(*historikk), kommando)
    assert avvist.kode == kode
    _klausul(avvist, klausul)


# ---- accepted boundaries next to the rejections above ---------------------------------------------------

@pytest.mark.parametrize("historikk, kommando", [
    pytest.param(oppsagt(), utlysning("2024-03-20", "U1", soknadsfrist="2024-03-20"), id="soknadsfrist on the dato"),
    pytest.param([*oppsagt(), utlysning("2024-03-20", "U1", soknadsfrist="2024-04-15")],
                 utlysning_avsluttet("2024-04-16", "U1"), id="closing the day after the soknadsfrist (S7)"),
    pytest.param(_OPPSAGT_T1, tilbud_trukket("2024-05-28"), id="tilbud_trukket the day after the akseptfrist (D6)"),
    pytest.param(_AKSEPTERT, nemnd_begjaert("2024-05-29"), id="nemnd_begjaert the day after the prisfrist (D7)"),
    pytest.param(_VARSLET, skriftlig_advarsel("2024-03-02"), id="skriftlig_advarsel the day after the rettefrist"),
    pytest.param(_SAK, varsel_om_retting("2024-02-16", "S-1", "2024-02-17"), id="varsel the day after the svarfrist"),
    pytest.param(_ADVART, trekk_vedtatt("2024-03-05", prosent=20), id="trekk 20 % the day after the advarsel"),
    pytest.param(_ADVART, trekk_vedtatt("2024-03-05", prosent=0.01), id="trekk 0.01 %"),
    pytest.param(opprettet(), avtale_inngatt("2024-02-01", lege_=lege("L-903", fodselsdato="1954-02-02")),
                 id="lege the day before the 70th birthday"),
    pytest.param([*aktiv(), uttalelse_anmodet("2024-02-01", "S-1", "2024-02-02")], uttalelse_mottatt("2024-06-01"),
                 id="late uttalelse_mottatt (S13)"),
    pytest.param([*_OPPSAGT_T1], klage("2024-04-23", "T-1", "tildeling"), id="klage tildeling names the tilbud_id (S17)"),
    pytest.param([*_TREKK], klage("2024-03-06", "S-1", "trekk"), id="klage trekk"),
    pytest.param(_AKSEPTERT, pris_avtalt("2024-10-01"), id="pris_avtalt in LEDIG (§2.8 ✓)"),
    pytest.param([*_AKSEPTERT, nemnd_begjaert("2024-05-29")], nemnd_avgjort("2024-10-01"),
                 id="nemnd_avgjort in LEDIG with an open case (§2.8 ✓ if open)"),
])
def test_grense_godtas(historikk: list, kommando: dict) -> None:
    """§2.7: the boundary on the accepted side of each strict guard above."""
    assert when(given(*historikk), kommando).hjemmel == KEY


def test_kommunens_oppsigelse_uten_begrunnelse_under_kun_funn_godtas() -> None:
    """D2 alternative `kun_funn`: the kommune's notice without begrunnelse is stored (finding only)."""
    from hjemmel.domain.regler import Regler
    r = Regler(oppsigelse_kommune_begrunnelse="kun_funn")
    assert type(when(given(*aktiv(), regler=r), oppsigelse("2024-03-15", fra="kommune"), regler=r)).__name__ \
        == "OppsigelseMottatt"


def test_bortfall_med_blank_grunn_avvises() -> None:
    """§2.4 bortfall guard `grunn present`: a blank grunn is felt_ugyldig (ASA 4310 §16)."""
    avvist = rejected(given(*aktiv()), bortfall("2024-03-15", grunn="  "))
    assert avvist.kode == "felt_ugyldig"


def test_avvist_kommando_lagrer_ingenting() -> None:
    """interface §1, §2.7: a rejected step stores nothing — the stream is unchanged and a valid step still fits."""
    s = given(*aktiv())
    rejected(s, oppsigelse("2024-03-15", fra="kommune"))
    assert when(s, oppsigelse("2024-03-15")).versjon == 3
