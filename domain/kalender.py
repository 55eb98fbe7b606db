"""Pure calendar rules: month arithmetic, birthdays and the Norwegian working-day calendar (§3.3)."""
from __future__ import annotations

import calendar
import functools
import re
from datetime import date, timedelta
from typing import Literal

import holidays

Skuddarsdag = Literal["februar_28", "mars_01"]

_MANED = re.compile(r"([0-9]{4})-([0-9]{2})")
_JUL_OG_NYTTAR = ((12, 24), (12, 31))
_FORFALLSDAG = 12


def add_months(d: date, n: int) -> date:
    """domain.md §3.3: the same day of the month n months later, or that month's last day (clipping).

    Always one step from the anchor, never chained month by month.
    """
    m0 = d.month - 1 + n
    year, month = d.year + m0 // 12, m0 % 12 + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def add_years(d: date, n: int) -> date:
    """domain.md §3.3: add_months(d, 12·n), so 29 February becomes 28 February in a common year."""
    return add_months(d, 12 * n)


@functools.lru_cache(maxsize=None)
def helligdager(year: int) -> frozenset[date]:
    """D14, domain.md §3.3: the public holidays of `year` (helligdager plus 1 and 17 May).

    Sundays are not listed as such (the package counts every Sunday unless told not to); the
    weekday test in `er_virkedag` covers them. 24 and 31 December are not holidays.
    """
    return frozenset(holidays.Norway(years=year, include_sundays=False).keys())


def er_virkedag(d: date, julaften_nyttarsaften_virkedag: bool = True) -> bool:
    """D14, domain.md §3.3: Monday–Friday and not a public holiday.

    With `julaften_nyttarsaften_virkedag=False` (the D14 alternative) 24 and 31 December are not
    working days either.
    """
    if d.weekday() >= 5 or d in helligdager(d.year):
        return False
    return julaften_nyttarsaften_virkedag or (d.month, d.day) not in _JUL_OG_NYTTAR


def neste_virkedag(d: date, julaften_nyttarsaften_virkedag: bool = True) -> date:
    """D14, domain.md §3.3: `d` itself if it is a working day, else the next working day."""
    while not er_virkedag(d, julaften_nyttarsaften_virkedag):
        d += timedelta(days=1)
    return d


def fodselsdag(fodselsdato: date, alder: int, skuddarsdag: Skuddarsdag = "februar_28") -> date:
    """D3, ASA 4310 §16 (3): the day the person turns `alder`.

    Someone born on 29 February has the birthday on 28 February in a common year
    (`februar_28`, the default) or on 1 March (`mars_01`, the alternative).
    """
    if skuddarsdag not in ("februar_28", "mars_01"):
        raise ValueError(f"ukjent skuddarsdag-regel: {skuddarsdag!r}")
    dag = add_years(fodselsdato, alder)
    if skuddarsdag == "mars_01" and (fodselsdato.month, fodselsdato.day) == (2, 29) and dag.day == 28:
        return dag + timedelta(days=1)
    return dag


def maned(d: date) -> str:
    """The periode of a date as the contract writes it: "YYYY-MM"."""
    return f"{d.year:04d}-{d.month:02d}"


def parse_maned(s: str) -> tuple[int, int]:
    """A contract periode "YYYY-MM" as (year, month); anything else raises ValueError."""
    treff = _MANED.fullmatch(s) if isinstance(s, str) else None
    if treff is None:
        raise ValueError(f"periode må ha formen ÅÅÅÅ-MM: {s!r}")
    year, month = int(treff.group(1)), int(treff.group(2))
    if year < 1 or not 1 <= month <= 12:
        raise ValueError(f"periode er ikke en gyldig måned: {s!r}")
    return year, month


def forste_dag(year: int, month: int) -> date:
    """The 1st of the month."""
    return date(year, month, 1)


def siste_dag(year: int, month: int) -> date:
    """The last day of the month."""
    return date(year, month, calendar.monthrange(year, month)[1])


def neste_dag12_pa_eller_etter(d: date) -> date:
    """D12, ASA 4310 §15 (7): the first 12th of a month on or after `d` (never moved, D11)."""
    if d.day <= _FORFALLSDAG:
        return d.replace(day=_FORFALLSDAG)
    return add_months(d.replace(day=_FORFALLSDAG), 1)
