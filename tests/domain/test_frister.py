"""Deadline rules of domain.md §3 and §8 A/B: D1, D3, D6, D7, D9, D13, D14, D15, S4, S5."""
from __future__ import annotations

from datetime import date

import pytest

from hjemmel.domain.frister import (
    FRISTKLASSE,
    akseptfrist,
    alder70_vindu_start,
    er_under_70,
    frist_tilstand,
    hjemfall_tidligst,
    klagefrist,
    opphor_alder_70,
    opphorsdato_oppsigelse,
    prisfrist,
)

D = date


@pytest.mark.parametrize(
    ("dato", "regel", "forventet"),
    [
        pytest.param(D(2024, 3, 15), "samme_dato_klippet", D(2024, 9, 15), id="E1 D1 Sunday not moved"),
        pytest.param(D(2024, 8, 31), "samme_dato_klippet", D(2025, 2, 28), id="E2 D1 clipped"),
        pytest.param(D(2023, 8, 31), "samme_dato_klippet", D(2024, 2, 29), id="D1 clipped leap"),
        pytest.param(D(2024, 3, 15), "fra_forste_neste_maned", D(2024, 9, 30), id="E1 D1 alternative"),
        pytest.param(D(2024, 3, 1), "fra_forste_neste_maned", D(2024, 9, 30), id="D1 alt from the 1st"),
        pytest.param(D(2024, 8, 31), "fra_forste_neste_maned", D(2025, 2, 28), id="D1 alt end Feb"),
        pytest.param(D(2024, 7, 10), "fra_forste_neste_maned", D(2025, 1, 31), id="D1 alt year wrap"),
    ],
)
def test_opphorsdato_oppsigelse(dato: date, regel: str, forventet: date) -> None:
    """D1, ASA 4310 §16 (1): six months, clipped, never moved; and the alternative."""
    assert opphorsdato_oppsigelse(dato, regel) == forventet  # type: ignore[arg-type]


def test_opphorsdato_ukjent_regel() -> None:
    """D1: only the two named readings exist."""
    with pytest.raises(ValueError):
        opphorsdato_oppsigelse(D(2024, 3, 15), "tre_maneder")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("opphorsdato", "anker", "oppsigelsesdato", "forventet"),
    [
        pytest.param(D(2024, 9, 15), "opphorsdato", None, D(2025, 3, 15), id="E1 D9 Saturday not moved"),
        pytest.param(D(2025, 2, 28), "opphorsdato", D(2024, 8, 31), D(2025, 8, 28), id="E2 D9 clipped anchor"),
        pytest.param(D(2025, 2, 28), "oppsigelsesdato_pluss_12", D(2024, 8, 31), D(2025, 8, 31),
                     id="E2 D9 alternative"),
        pytest.param(D(2024, 9, 15), "oppsigelsesdato_pluss_12", D(2024, 3, 15), D(2025, 3, 15),
                     id="E1 D9 alternative same without clipping"),
        pytest.param(D(2025, 2, 28), "oppsigelsesdato_pluss_12", None, D(2025, 8, 28),
                     id="D9 alternative without notice falls back (S2)"),
        pytest.param(D(2026, 2, 28), "opphorsdato", None, D(2026, 8, 28), id="E10 age 70"),
        pytest.param(D(2026, 3, 1), "opphorsdato", None, D(2026, 9, 1), id="E10 D3 alternative"),
    ],
)
def test_hjemfall_tidligst(opphorsdato: date, anker: str, oppsigelsesdato: date | None,
                           forventet: date) -> None:
    """D9, ASA 4310 §5.8 (1): opphorsdato + 6 months, clipped, never moved; and the alternative."""
    assert hjemfall_tidligst(opphorsdato, anker=anker, oppsigelsesdato=oppsigelsesdato) == forventet  # type: ignore[arg-type]


def test_hjemfall_tidligst_ventetid() -> None:
    """D9 key hjemfall_ventetid_maneder: a longer wait counts from the same anchor."""
    assert hjemfall_tidligst(D(2025, 2, 28), maneder=12) == D(2026, 2, 28)


def test_hjemfall_tidligst_ukjent_anker() -> None:
    """D9: only the two named anchors exist."""
    with pytest.raises(ValueError):
        hjemfall_tidligst(D(2025, 2, 28), anker="soknadsfrist")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("tilbud_dato", "flyttes", "jul", "forventet"),
    [
        pytest.param(D(2025, 3, 13), True, True, D(2025, 4, 22), id="§3.3 Skjaertorsdag to Tuesday"),
        pytest.param(D(2025, 4, 24), True, True, D(2025, 5, 30), id="E3 Kristi himmelfart"),
        pytest.param(D(2024, 11, 20), True, True, D(2024, 12, 27), id="E4 1. juledag"),
        pytest.param(D(2025, 3, 13), False, True, D(2025, 4, 17), id="D6 alt not moved"),
        pytest.param(D(2024, 11, 19), True, True, D(2024, 12, 24), id="julaften working day"),
        pytest.param(D(2024, 11, 19), True, False, D(2024, 12, 27), id="D14 alt julaften moves"),
    ],
)
def test_akseptfrist(tilbud_dato: date, flyttes: bool, jul: bool, forventet: date) -> None:
    """D6, ASA 4310 §5.6 (5): tilbud dato + 35 days, moved to the next working day (D14)."""
    assert akseptfrist(tilbud_dato, flyttes=flyttes, julaften_nyttarsaften_virkedag=jul) == forventet


@pytest.mark.parametrize(
    ("mottatt", "flyttes", "forventet"),
    [
        pytest.param(D(2025, 4, 24), True, D(2025, 5, 30), id="E3 Kristi himmelfart"),
        pytest.param(D(2025, 4, 24), False, D(2025, 5, 29), id="D7 alt not moved"),
        pytest.param(D(2025, 3, 13), True, D(2025, 4, 22), id="§3.3 Easter"),
    ],
)
def test_prisfrist(mottatt: date, flyttes: bool, forventet: date) -> None:
    """D7, ASA 4310 §5.6 (2): tilbud_mottatt dato + 35 days, moved like D6."""
    assert prisfrist(mottatt, flyttes=flyttes) == forventet


@pytest.mark.parametrize(
    ("vedtak", "flyttes", "jul", "forventet"),
    [
        pytest.param(D(2024, 12, 4), True, True, D(2024, 12, 27), id="E4 §3.3 1. juledag"),
        pytest.param(D(2024, 12, 3), True, True, D(2024, 12, 24), id="E4 julaften is a working day"),
        pytest.param(D(2024, 12, 3), True, False, D(2024, 12, 27), id="D14 alt julaften moves"),
        pytest.param(D(2024, 12, 10), True, False, D(2025, 1, 2), id="D14 alt nyttarsaften moves"),
        pytest.param(D(2024, 12, 4), False, True, D(2024, 12, 25), id="D13 alt not moved"),
        pytest.param(D(2025, 4, 24), True, True, D(2025, 5, 15), id="E3 tildeling not moved"),
        pytest.param(D(2024, 10, 25), True, True, D(2024, 11, 15), id="E6 trekk"),
    ],
)
def test_klagefrist(vedtak: date, flyttes: bool, jul: bool, forventet: date) -> None:
    """D13, fvl §29 (ASA 4310 §15 (5), §5.5 (1)): vedtak dato + 21 days, moved (D14)."""
    assert klagefrist(vedtak, flyttes=flyttes, julaften_nyttarsaften_virkedag=jul) == forventet


def test_fristlengder_kan_settes() -> None:
    """D6/D7/D13 keys *_dager: the count is a setting."""
    assert akseptfrist(D(2025, 3, 3), dager=7) == D(2025, 3, 10)
    assert prisfrist(D(2025, 3, 3), dager=14) == D(2025, 3, 17)
    assert klagefrist(D(2025, 3, 3), dager=28) == D(2025, 3, 31)


@pytest.mark.parametrize(
    ("fodt", "regel", "slutt", "vindu"),
    [
        pytest.param(D(1956, 2, 29), "februar_28", D(2026, 2, 28), D(2025, 8, 28), id="E10 D3 S4"),
        pytest.param(D(1956, 2, 29), "mars_01", D(2026, 3, 1), D(2025, 9, 1), id="E10 D3 alternative"),
        pytest.param(D(1958, 2, 28), "februar_28", D(2028, 2, 28), D(2027, 8, 28), id="28 Feb, leap year"),
        pytest.param(D(1954, 8, 31), "februar_28", D(2024, 8, 31), D(2024, 2, 29), id="S4 window clipped"),
        pytest.param(D(1955, 6, 15), "februar_28", D(2025, 6, 15), D(2024, 12, 15), id="ordinary"),
    ],
)
def test_alder_70(fodt: date, regel: str, slutt: date, vindu: date) -> None:
    """D3, ASA 4310 §16 (3): ends on the 70th birthday; S4: window opens 6 months before, clipped."""
    assert opphor_alder_70(fodt, regel) == slutt  # type: ignore[arg-type]
    assert alder70_vindu_start(fodt, skuddarsdag=regel) == vindu  # type: ignore[arg-type]


def test_alder70_vindu_maneder() -> None:
    """S4 key alder70_utlysningsvindu_maneder: the window length is a setting."""
    assert alder70_vindu_start(D(1956, 2, 29), maneder=0) == D(2026, 2, 28)


@pytest.mark.parametrize(
    ("dato", "regel", "forventet"),
    [
        pytest.param(D(2026, 2, 27), "februar_28", True, id="E10 day before"),
        pytest.param(D(2026, 2, 28), "februar_28", False, id="E10 birthday"),
        pytest.param(D(2026, 2, 28), "mars_01", True, id="E10 alternative 28 Feb"),
        pytest.param(D(2026, 3, 1), "mars_01", False, id="E10 alternative birthday"),
    ],
)
def test_er_under_70(dato: date, regel: str, forventet: bool) -> None:
    """D3, ASA 4310 §16 (3): younger than 70 means before the 70th birthday."""
    assert er_under_70(D(1956, 2, 29), dato, regel) is forventet  # type: ignore[arg-type]


def test_fristklasser() -> None:
    """S5, domain.md §3.1: every frist code with its class."""
    assert FRISTKLASSE == {
        "opphor_oppsigelse": "B", "soknadsfrist": "B", "akseptfrist": "A", "prisfrist": "A",
        "hjemfall_tidligst": "B", "svarfrist_uttalelse": "A", "rettefrist": "A",
        "klagefrist": "A", "opphor_alder_70": "B",
    }


F = D(2025, 5, 30)  # a frist date (E3 akseptfrist)


@pytest.mark.parametrize(
    ("as_of", "utfort", "bortfalt", "forventet"),
    [
        pytest.param(D(2025, 5, 1), None, None, "apen", id="before"),
        pytest.param(F, None, None, "apen", id="on the frist day"),
        pytest.param(D(2025, 5, 31), None, None, "oversittet", id="day after"),
        pytest.param(D(2025, 5, 1), D(2025, 5, 1), None, "overholdt", id="act early"),
        pytest.param(D(2025, 6, 30), F, None, "overholdt", id="act on the day"),
        pytest.param(D(2025, 6, 30), D(2025, 5, 31), None, "oversittet", id="act late"),
        pytest.param(D(2025, 5, 10), None, D(2025, 5, 10), "bortfalt", id="ended before"),
        pytest.param(D(2025, 6, 30), None, F, "bortfalt", id="ended on the day"),
        pytest.param(D(2025, 6, 30), None, D(2025, 6, 1), "oversittet", id="ended after the frist"),
        pytest.param(D(2025, 6, 30), D(2025, 5, 2), D(2025, 5, 1), "overholdt", id="act wins first"),
        pytest.param(D(2025, 5, 10), D(2025, 5, 20), None, "apen", id="act after as_of unknown"),
    ],
)
def test_frist_tilstand_klasse_a(as_of: date, utfort: date | None, bortfalt: date | None,
                                 forventet: str) -> None:
    """D15 class A, domain.md §3.2 (S5): overholdt, bortfalt, oversittet, apen; first match wins."""
    assert frist_tilstand("A", F, as_of, utfort, bortfalt) == forventet


@pytest.mark.parametrize(
    ("as_of", "utfort", "bortfalt", "forventet"),
    [
        pytest.param(D(2025, 5, 1), None, None, "apen", id="before"),
        pytest.param(F, None, None, "overholdt", id="on the date"),
        pytest.param(D(2025, 9, 1), None, None, "overholdt", id="after: never oversittet"),
        pytest.param(D(2025, 5, 10), None, D(2025, 5, 10), "bortfalt", id="ended before"),
        pytest.param(D(2025, 9, 1), None, F, "bortfalt", id="ended on the date"),
        pytest.param(D(2025, 9, 1), None, D(2025, 6, 1), "overholdt", id="ended after the date"),
        pytest.param(D(2025, 5, 1), D(2025, 5, 1), None, "apen", id="an act does not end a period"),
        pytest.param(D(2025, 5, 10), None, D(2025, 5, 20), "apen", id="end after as_of unknown"),
    ],
)
def test_frist_tilstand_klasse_b(as_of: date, utfort: date | None, bortfalt: date | None,
                                 forventet: str) -> None:
    """D15 class B, domain.md §3.2 (S5): bortfalt, overholdt when as_of ≥ date, else apen."""
    assert frist_tilstand("B", F, as_of, utfort, bortfalt) == forventet


def test_e1_frister() -> None:
    """E1 (D1, D9, S5): as of 2024-10-01 opphor_oppsigelse overholdt, hjemfall_tidligst apen."""
    opphor = opphorsdato_oppsigelse(D(2024, 3, 15))
    as_of = D(2024, 10, 1)
    assert frist_tilstand(FRISTKLASSE["opphor_oppsigelse"], opphor, as_of, None, None) == "overholdt"
    hjemfall = hjemfall_tidligst(opphor)
    assert frist_tilstand(FRISTKLASSE["hjemfall_tidligst"], hjemfall, as_of, None, None) == "apen"


def test_frist_tilstand_ukjent_klasse() -> None:
    """S5: only classes A and B exist."""
    with pytest.raises(ValueError):
        frist_tilstand("C", F, F, None, None)
