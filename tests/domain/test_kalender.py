"""Calendar rules of domain.md §3.3: clipping, the holiday table, working days, birthdays, months."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from hjemmel.domain.kalender import (
    add_months,
    add_years,
    er_virkedag,
    fodselsdag,
    forste_dag,
    helligdager,
    maned,
    neste_dag12_pa_eller_etter,
    neste_virkedag,
    parse_maned,
    siste_dag,
)

D = date


def easter(y: int) -> date:
    """The anonymous Gregorian computus, copied from domain.md §3.3 as an independent oracle."""
    a, b, c = y % 19, y // 100, y % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741 (the algorithm's own name)
    m = (a + 11 * h + 22 * l) // 451
    month, day = divmod(h + l - 7 * m + 114, 31)
    return date(y, month, day + 1)


def spec_helligdager(y: int) -> frozenset[date]:
    """The 12 holidays of domain.md §3.3 from the computus."""
    e, td = easter(y), timedelta
    return frozenset({
        D(y, 1, 1), e - td(3), e - td(2), e, e + td(1), D(y, 5, 1), D(y, 5, 17),
        e + td(39), e + td(49), e + td(50), D(y, 12, 25), D(y, 12, 26),
    })


@pytest.mark.parametrize(
    ("d", "n", "forventet"),
    [
        pytest.param(D(2024, 3, 15), 6, D(2024, 9, 15), id="E1 D1 same day"),
        pytest.param(D(2024, 8, 31), 6, D(2025, 2, 28), id="E2 D1 clipped to 28 Feb"),
        pytest.param(D(2025, 2, 28), 6, D(2025, 8, 28), id="E2 D9 anchored on clipped date"),
        pytest.param(D(2023, 8, 31), 6, D(2024, 2, 29), id="clipped to 29 Feb in leap year"),
        pytest.param(D(2024, 1, 31), 2, D(2024, 3, 31), id="one step, not chained via Feb"),
        pytest.param(D(2024, 10, 31), 1, D(2024, 11, 30), id="clipped to 30th"),
        pytest.param(D(2024, 12, 15), 1, D(2025, 1, 15), id="year wrap"),
        pytest.param(D(2024, 7, 15), 18, D(2026, 1, 15), id="more than a year"),
        pytest.param(D(2024, 5, 31), 0, D(2024, 5, 31), id="zero"),
        pytest.param(D(2026, 2, 28), -6, D(2025, 8, 28), id="E10 S4 window minus 6"),
        pytest.param(D(2025, 3, 31), -1, D(2025, 2, 28), id="negative clipped"),
        pytest.param(D(2025, 1, 15), -1, D(2024, 12, 15), id="negative year wrap"),
    ],
)
def test_add_months_klipper(d: date, n: int, forventet: date) -> None:
    """domain.md §3.3 clipping: same day n months later, else that month's last day."""
    assert add_months(d, n) == forventet


@pytest.mark.parametrize(
    ("d", "n", "forventet"),
    [
        pytest.param(D(2024, 2, 29), 1, D(2025, 2, 28), id="29 Feb to common year"),
        pytest.param(D(2024, 2, 29), 4, D(2028, 2, 29), id="29 Feb to leap year"),
        pytest.param(D(1956, 2, 29), 70, D(2026, 2, 28), id="E10 D3"),
        pytest.param(D(1960, 6, 30), 70, D(2030, 6, 30), id="ordinary"),
    ],
)
def test_add_years_er_tolv_maneder(d: date, n: int, forventet: date) -> None:
    """domain.md §3.3: add_years(X, n) = add_months(X, 12·n), D3."""
    assert add_years(d, n) == forventet == add_months(d, 12 * n)


# domain.md §3.3 "Computed holiday dates" table, written out literally.
TABELL = {
    2024: {D(2024, 1, 1), D(2024, 3, 28), D(2024, 3, 29), D(2024, 3, 31), D(2024, 4, 1),
           D(2024, 5, 1), D(2024, 5, 17), D(2024, 5, 9), D(2024, 5, 19), D(2024, 5, 20),
           D(2024, 12, 25), D(2024, 12, 26)},
    2025: {D(2025, 1, 1), D(2025, 4, 17), D(2025, 4, 18), D(2025, 4, 20), D(2025, 4, 21),
           D(2025, 5, 1), D(2025, 5, 17), D(2025, 5, 29), D(2025, 6, 8), D(2025, 6, 9),
           D(2025, 12, 25), D(2025, 12, 26)},
    2026: {D(2026, 1, 1), D(2026, 4, 2), D(2026, 4, 3), D(2026, 4, 5), D(2026, 4, 6),
           D(2026, 5, 1), D(2026, 5, 17), D(2026, 5, 14), D(2026, 5, 24), D(2026, 5, 25),
           D(2026, 12, 25), D(2026, 12, 26)},
    2027: {D(2027, 1, 1), D(2027, 3, 25), D(2027, 3, 26), D(2027, 3, 28), D(2027, 3, 29),
           D(2027, 5, 1), D(2027, 5, 17), D(2027, 5, 6), D(2027, 5, 16), D(2027, 5, 17),
           D(2027, 12, 25), D(2027, 12, 26)},
}


@pytest.mark.parametrize("year", sorted(TABELL), ids=lambda y: f"§3.3 table {y}")
def test_helligdager_lik_tabellen(year: int) -> None:
    """D14, domain.md §3.3: the holidays equal the table's dates exactly (no Sundays added)."""
    assert helligdager(year) == frozenset(TABELL[year])


def test_grunnlovsdag_er_2_pinsedag_i_2027() -> None:
    """domain.md §3.3 table 2027: 17 May is also 2. pinsedag, so 12 holidays on 11 dates."""
    assert len(helligdager(2027)) == 11
    assert D(2027, 5, 17) == easter(2027) + timedelta(days=50)


@pytest.mark.parametrize("year", range(1990, 2061))
def test_helligdager_lik_paskealgoritmen(year: int) -> None:
    """D14, domain.md §3.3: the holidays package agrees with the spec's Easter algorithm."""
    assert helligdager(year) == spec_helligdager(year)


@pytest.mark.parametrize(
    ("year", "paske"),
    [(2024, D(2024, 3, 31)), (2025, D(2025, 4, 20)), (2026, D(2026, 4, 5)), (2027, D(2027, 3, 28))],
)
def test_paskedag_i_tabellen(year: int, paske: date) -> None:
    """domain.md §3.3 / §9: Easter Sunday check values of the computus oracle itself."""
    assert easter(year) == paske


@pytest.mark.parametrize(
    ("d", "forventet"),
    [
        pytest.param(D(2025, 4, 16), True, id="Wednesday before Easter"),
        pytest.param(D(2025, 4, 17), False, id="Skjaertorsdag"),
        pytest.param(D(2025, 4, 18), False, id="Langfredag"),
        pytest.param(D(2025, 4, 19), False, id="Paskeaften Saturday"),
        pytest.param(D(2025, 4, 21), False, id="2. paskedag"),
        pytest.param(D(2025, 4, 22), True, id="Tuesday after Easter"),
        pytest.param(D(2025, 5, 1), False, id="1 May"),
        pytest.param(D(2024, 5, 17), False, id="17 May Friday"),
        pytest.param(D(2025, 5, 29), False, id="Kristi himmelfart"),
        pytest.param(D(2025, 6, 7), False, id="Pinseaften Saturday"),
        pytest.param(D(2025, 6, 9), False, id="2. pinsedag"),
        pytest.param(D(2024, 12, 25), False, id="1. juledag"),
        pytest.param(D(2024, 12, 26), False, id="2. juledag"),
        pytest.param(D(2024, 12, 27), True, id="27 Dec Friday"),
        pytest.param(D(2024, 12, 24), True, id="julaften weekday"),
        pytest.param(D(2024, 12, 31), True, id="nyttarsaften weekday"),
        pytest.param(D(2025, 1, 1), False, id="1. nyttarsdag"),
        pytest.param(D(2024, 9, 15), False, id="Sunday"),
        pytest.param(D(2025, 3, 15), False, id="Saturday"),
        pytest.param(D(2025, 3, 14), True, id="Friday"),
    ],
)
def test_er_virkedag(d: date, forventet: bool) -> None:
    """D14, domain.md §3.3: Monday–Friday that is not a public holiday; 24/31 Dec count."""
    assert er_virkedag(d) is forventet


@pytest.mark.parametrize("d", [D(2024, 12, 24), D(2024, 12, 31)], ids=["julaften", "nyttarsaften"])
def test_jul_og_nyttarsaften_ikke_virkedag_i_alternativet(d: date) -> None:
    """D14 alternative julaften_nyttarsaften_virkedag = false."""
    assert er_virkedag(d, julaften_nyttarsaften_virkedag=False) is False
    assert er_virkedag(d + timedelta(days=-1), julaften_nyttarsaften_virkedag=False) is True


@pytest.mark.parametrize(
    ("d", "jul_virkedag", "forventet"),
    [
        pytest.param(D(2025, 4, 17), True, D(2025, 4, 22), id="§3.3 Skjaertorsdag to Tuesday"),
        pytest.param(D(2025, 5, 29), True, D(2025, 5, 30), id="§3.3 Kristi himmelfart"),
        pytest.param(D(2024, 12, 25), True, D(2024, 12, 27), id="§3.3 1. juledag"),
        pytest.param(D(2024, 12, 24), True, D(2024, 12, 24), id="E4 julaften stays"),
        pytest.param(D(2024, 12, 24), False, D(2024, 12, 27), id="D14 alt julaften moves"),
        pytest.param(D(2024, 12, 31), False, D(2025, 1, 2), id="D14 alt nyttarsaften moves"),
        pytest.param(D(2025, 5, 15), True, D(2025, 5, 15), id="E3 working day unchanged"),
        pytest.param(D(2025, 5, 17), True, D(2025, 5, 19), id="17 May Saturday"),
        pytest.param(D(2027, 5, 15), True, D(2027, 5, 18), id="2027 weekend then 17 May"),
    ],
)
def test_neste_virkedag(d: date, jul_virkedag: bool, forventet: date) -> None:
    """D14, domain.md §3.3: d itself if a working day, else the next one."""
    assert neste_virkedag(d, julaften_nyttarsaften_virkedag=jul_virkedag) == forventet


@pytest.mark.parametrize(
    ("fodt", "alder", "regel", "forventet"),
    [
        pytest.param(D(1956, 2, 29), 70, "februar_28", D(2026, 2, 28), id="E10 D3 default"),
        pytest.param(D(1956, 2, 29), 70, "mars_01", D(2026, 3, 1), id="E10 D3 alternative"),
        pytest.param(D(1956, 2, 29), 68, "februar_28", D(2024, 2, 29), id="leap target"),
        pytest.param(D(1956, 2, 29), 68, "mars_01", D(2024, 2, 29), id="leap target alt"),
        pytest.param(D(1955, 2, 28), 70, "mars_01", D(2025, 2, 28), id="28 Feb not affected"),
        pytest.param(D(1955, 3, 1), 70, "februar_28", D(2025, 3, 1), id="1 Mar not affected"),
        pytest.param(D(1956, 7, 14), 70, "februar_28", D(2026, 7, 14), id="ordinary"),
    ],
)
def test_fodselsdag(fodt: date, alder: int, regel: str, forventet: date) -> None:
    """D3, ASA 4310 §16 (3): birthday of a lege born 29 Feb per skuddarsdag_fodselsdag."""
    assert fodselsdag(fodt, alder, regel) == forventet  # type: ignore[arg-type]


def test_fodselsdag_ukjent_regel() -> None:
    """D3: only februar_28 and mars_01 exist."""
    with pytest.raises(ValueError):
        fodselsdag(D(1956, 2, 29), 70, "mars_02")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("d", "forventet"),
    [(D(2025, 1, 8), "2025-01"), (D(2024, 12, 31), "2024-12"), (D(999, 3, 1), "0999-03")],
)
def test_maned(d: date, forventet: str) -> None:
    """Contract periode YYYY-MM (domain.md §4.1)."""
    assert maned(d) == forventet


@pytest.mark.parametrize(("s", "forventet"), [("2025-01", (2025, 1)), ("2024-12", (2024, 12))])
def test_parse_maned(s: str, forventet: tuple[int, int]) -> None:
    """Contract periode YYYY-MM (domain.md §4.1) round-trips with maned."""
    assert parse_maned(s) == forventet
    assert maned(forste_dag(*forventet)) == s


@pytest.mark.parametrize(
    "s",
    ["2025-1", "2025-13", "2025-00", "2025-01-01", " 2025-01", "2025-01\n", "0000-01", "25-01",
     "2025/01", "", "２０２５-01", 202501, None],
)
def test_parse_maned_avviser(s: object) -> None:
    """Anything but a valid YYYY-MM raises ValueError."""
    with pytest.raises(ValueError):
        parse_maned(s)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("year", "month", "forste", "siste"),
    [
        (2024, 2, D(2024, 2, 1), D(2024, 2, 29)),
        (2025, 2, D(2025, 2, 1), D(2025, 2, 28)),
        (2025, 4, D(2025, 4, 1), D(2025, 4, 30)),
        (2025, 12, D(2025, 12, 1), D(2025, 12, 31)),
    ],
)
def test_forste_og_siste_dag(year: int, month: int, forste: date, siste: date) -> None:
    """First and last day of a month (D10 periode, D1 alternative)."""
    assert forste_dag(year, month) == forste
    assert siste_dag(year, month) == siste


@pytest.mark.parametrize(
    ("d", "forventet"),
    [
        pytest.param(D(2025, 1, 8), D(2025, 1, 12), id="before the 12th"),
        pytest.param(D(2025, 1, 12), D(2025, 1, 12), id="on the 12th"),
        pytest.param(D(2025, 1, 13), D(2025, 2, 12), id="after the 12th"),
        pytest.param(D(2025, 1, 31), D(2025, 2, 12), id="last of month"),
        pytest.param(D(2024, 12, 13), D(2025, 1, 12), id="year wrap"),
        pytest.param(D(2025, 1, 1), D(2025, 1, 12), id="first of month"),
        pytest.param(D(2025, 4, 12), D(2025, 4, 12), id="12th on a Saturday is not moved (D11)"),
    ],
)
def test_neste_dag12(d: date, forventet: date) -> None:
    """D12, ASA 4310 §15 (7): tilbakebetaling forfall is the first 12th on or after the retting."""
    assert neste_dag12_pa_eller_etter(d) == forventet
