"""Pure deadline rules (domain.md §3, D1, D3, D6, D7, D9, D13–D15, S4, S5)."""
from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache
from typing import Literal

from hjemmel.domain.kalender import (
    Skuddarsdag,
    add_months,
    fodselsdag,
    neste_virkedag,
    siste_dag,
)

Klasse = Literal["A", "B"]
Tilstand = Literal["overholdt", "bortfalt", "oversittet", "apen"]

OPPSIGELSESTID_MANEDER = 6  # ASA 4310 §16 (1)
ALDERSGRENSE = 70  # ASA 4310 §16 (3)

FRISTKLASSE: dict[str, str] = {
    "opphor_oppsigelse": "B",
    "soknadsfrist": "B",
    "akseptfrist": "A",
    "prisfrist": "A",
    "hjemfall_tidligst": "B",
    "svarfrist_uttalelse": "A",
    "rettefrist": "A",
    "klagefrist": "A",
    "opphor_alder_70": "B",
}
"""S5, domain.md §3.1: A = a party must act by it; B = a period or window ends on it."""


def opphorsdato_oppsigelse(
    dato: date,
    regel: Literal["samme_dato_klippet", "fra_forste_neste_maned"] = "samme_dato_klippet",
) -> date:
    """D1, ASA 4310 §16 (1): the end of the 6-month notice period; a period end, never moved.

    `samme_dato_klippet`: the day of receipt + 6 months, clipped (2024-08-31 → 2025-02-28).
    `fra_forste_neste_maned`: the period runs from the 1st of the next month and ends on the last
    day of the sixth month (2024-03-15 → 2024-09-30).
    """
    if regel == "samme_dato_klippet":
        return add_months(dato, OPPSIGELSESTID_MANEDER)
    if regel == "fra_forste_neste_maned":
        slutt = add_months(dato, OPPSIGELSESTID_MANEDER)
        return siste_dag(slutt.year, slutt.month)
    raise ValueError(f"ukjent opphor_oppsigelse_regel: {regel!r}")


def hjemfall_tidligst(
    opphorsdato: date,
    maneder: int = 6,
    anker: Literal["opphorsdato", "oppsigelsesdato_pluss_12"] = "opphorsdato",
    oppsigelsesdato: date | None = None,
) -> date:
    """D9, ASA 4310 §5.8 (1): the earliest hjemfall date; a period end, never moved.

    `opphorsdato`: opphorsdato + `maneder`, clipped, anchored on the (maybe clipped) opphorsdato.
    `oppsigelsesdato_pluss_12`: oppsigelsesdato + notice period + `maneder` (12 by default) in one
    step; without an oppsigelsesdato (heving, bortfall, age 70: S2) it falls back to the default.
    Pass `oppsigelsesdato` only when the opphorsdato is the end of that notice.
    """
    if anker == "opphorsdato":
        return add_months(opphorsdato, maneder)
    if anker == "oppsigelsesdato_pluss_12":
        if oppsigelsesdato is None:
            return add_months(opphorsdato, maneder)
        return add_months(oppsigelsesdato, OPPSIGELSESTID_MANEDER + maneder)
    raise ValueError(f"ukjent hjemfall_anker: {anker!r}")


def _handlingsfrist(dato: date, dager: int, flyttes: bool, julaften_nyttarsaften_virkedag: bool) -> date:
    """D14, domain.md §3.3: dato + N calendar days, moved to the next working day if `flyttes`."""
    frist = dato + timedelta(days=dager)
    return neste_virkedag(frist, julaften_nyttarsaften_virkedag) if flyttes else frist


def akseptfrist(
    tilbud_dato: date,
    dager: int = 35,
    flyttes: bool = True,
    julaften_nyttarsaften_virkedag: bool = True,
) -> date:
    """D6, ASA 4310 §5.6 (5): tilbud dato + 5 weeks, moved to the next working day (D14)."""
    return _handlingsfrist(tilbud_dato, dager, flyttes, julaften_nyttarsaften_virkedag)


def prisfrist(
    mottatt_dato: date,
    dager: int = 35,
    flyttes: bool = True,
    julaften_nyttarsaften_virkedag: bool = True,
) -> date:
    """D7, ASA 4310 §5.6 (2): tilbud_mottatt dato + 5 weeks, moved to the next working day (D14)."""
    return _handlingsfrist(mottatt_dato, dager, flyttes, julaften_nyttarsaften_virkedag)


def klagefrist(
    vedtak_dato: date,
    dager: int = 21,
    flyttes: bool = True,
    julaften_nyttarsaften_virkedag: bool = True,
) -> date:
    """D13, fvl §29 (ASA 4310 §15 (5), §5.5 (1)): vedtak dato + 3 weeks, moved (D14)."""
    return _handlingsfrist(vedtak_dato, dager, flyttes, julaften_nyttarsaften_virkedag)


@lru_cache(maxsize=8192)  # pure, and asked for on every fold step of a holder (S1 date-driven ends)
def opphor_alder_70(fodselsdato: date, skuddarsdag: Skuddarsdag = "februar_28") -> date:
    """D3, ASA 4310 §16 (3): the avtale ends on the 70th birthday; a period end, never moved."""
    return fodselsdag(fodselsdato, ALDERSGRENSE, skuddarsdag)


@lru_cache(maxsize=8192)
def alder70_vindu_start(
    fodselsdato: date,
    maneder: int = 6,
    skuddarsdag: Skuddarsdag = "februar_28",
) -> date:
    """S4 (D3, ASA 4310 §16 (3)): the age-70 vacancy opens at the 70th birthday − 6 months, clipped."""
    return add_months(opphor_alder_70(fodselsdato, skuddarsdag), -maneder)


def er_under_70(fodselsdato: date, dato: date, skuddarsdag: Skuddarsdag = "februar_28") -> bool:
    """D3, ASA 4310 §16 (3): the lege is younger than 70 on `dato` (before the 70th birthday)."""
    return dato < opphor_alder_70(fodselsdato, skuddarsdag)


def frist_tilstand(
    klasse: str,
    frist_dato: date,
    as_of: date,
    utfort: date | None,
    bortfalt: date | None,
) -> Tilstand:
    """D15 read per class (S5), domain.md §3.2: the state of a frist at the end of day `as_of`.

    `utfort` is the date of the act that meets a class A frist; `bortfalt` the date its process
    ended otherwise. A date after `as_of` is not yet a fact at `as_of` and is ignored.
    Class A, first match wins: overholdt, bortfalt, oversittet (as_of > frist, a late act too), apen.
    Class B (nobody must act, so never oversittet): bortfalt, overholdt (as_of ≥ frist), apen.
    """
    utfort = utfort if utfort is not None and utfort <= as_of else None
    bortfalt = bortfalt if bortfalt is not None and bortfalt <= as_of else None
    if klasse == "A":
        if utfort is not None and utfort <= frist_dato:
            return "overholdt"
        if bortfalt is not None and bortfalt <= frist_dato:
            return "bortfalt"
        return "oversittet" if as_of > frist_dato else "apen"
    if klasse == "B":
        if bortfalt is not None and bortfalt <= frist_dato:
            return "bortfalt"
        return "overholdt" if as_of >= frist_dato else "apen"
    raise ValueError(f"ukjent fristklasse: {klasse!r}")
