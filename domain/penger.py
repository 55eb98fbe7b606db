"""Money: the one place that rounds, formats and parses amounts (domain.md §4.1), Decimal only."""
from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation

ORE = Decimal("0.01")

# A fixed context, so rounding never depends on a thread's current decimal context.
_KONTEKST = Context(prec=28, rounding=ROUND_HALF_UP, traps=[InvalidOperation])
_BELOP = re.compile(r"[0-9]+(?:\.[0-9]{1,2})?")


def rund(x: Decimal) -> Decimal:
    """D11, domain.md §4.1: round once to øre, ROUND_HALF_UP (half away from zero for negatives).

    A negative zero comes back as 0.00, so it never prints or encodes as "-0.00".
    """
    if not isinstance(x, Decimal):
        raise TypeError(f"beløp må være Decimal, ikke {type(x).__name__}")
    if not x.is_finite():
        raise ValueError(f"beløp må være endelig: {x}")
    try:
        avrundet = x.quantize(ORE, context=_KONTEKST)
    except InvalidOperation:
        raise ValueError(f"beløpet er for stort: {x}") from None
    return avrundet.copy_abs() if avrundet.is_zero() else avrundet


def formater(x: Decimal) -> str:
    """domain.md §4.1: exactly two decimals, '.' separator, no grouping, '-' for negatives."""
    return f"{rund(x):f}"


def parse_belop(value: object) -> Decimal:
    """domain.md §4.1: an input amount is a JSON string of a non-negative decimal, at most two decimals.

    JSON numbers are refused because a float (or msgspec's decoding of one) is never money.
    """
    if not isinstance(value, str):
        raise ValueError("beløp må være en tekst, ikke et tall")
    if _BELOP.fullmatch(value) is None:
        raise ValueError(f"beløp må være et desimaltall uten fortegn, med høyst to desimaler: {value!r}")
    return rund(Decimal(value))


def parse_prosent(value: object) -> Decimal:
    """S25, ASA 4310 §15 (3): trekk `prosent` is a JSON number with at most two decimals.

    The value is msgspec's exact Decimal of the JSON text, or an int; strings, booleans and floats
    are refused. The range 0 < p ≤ 20 is checked by the decision, not here.
    """
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        raise ValueError("prosent må være et JSON-tall")
    prosent = Decimal(value)
    if not prosent.is_finite():
        raise ValueError(f"prosent må være endelig: {value}")
    eksponent = prosent.as_tuple().exponent
    if not isinstance(eksponent, int) or eksponent < -2:
        raise ValueError(f"prosent kan ha høyst to desimaler: {value}")
    if eksponent <= 0:
        return prosent
    try:  # an exponent form such as 1E+1 is shown as 10
        return prosent.quantize(Decimal(1), context=_KONTEKST)
    except InvalidOperation:
        raise ValueError(f"prosent er for stor: {value}") from None
