"""Money rules of domain.md §4.1: half-up rounding to øre, output format, strict input parsing."""
from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_EVEN, Decimal, localcontext

import msgspec
import pytest

from hjemmel.domain.penger import ORE, formater, parse_belop, parse_prosent, rund

M = Decimal


@pytest.mark.parametrize(
    ("x", "forventet"),
    [
        pytest.param(M("75100.025"), M("75100.03"), id="E15 half up"),
        pytest.param(M("-75100.025"), M("-75100.03"), id="half away from zero"),
        pytest.param(M("11265.0045"), M("11265.00"), id="E15 trekk"),
        pytest.param(M("0.005"), M("0.01"), id="half a øre"),
        pytest.param(M("-0.005"), M("-0.01"), id="minus half a øre"),
        pytest.param(M("0.0049999"), M("0.00"), id="below half"),
        pytest.param(M("84180"), M("84180.00"), id="E5 whole"),
        pytest.param(M("1E+3"), M("1000.00"), id="exponent form"),
    ],
)
def test_rund_half_up(x: Decimal, forventet: Decimal) -> None:
    """D11, domain.md §4.1: ROUND_HALF_UP to 0.01, half away from zero for negatives."""
    resultat = rund(x)
    assert resultat == forventet
    assert resultat.as_tuple().exponent == -2


def test_e15_avrunding() -> None:
    """E15, D11/D12: 1001 × 900.30 / 12 = 75100.025 → 75100.03; 15 % of it → 11265.00."""
    eksakt = M(1001) * M("900.30") / M(12)
    assert eksakt == M("75100.025")
    basistilskudd = rund(eksakt)
    assert basistilskudd == M("75100.03")
    assert eksakt.quantize(ORE, rounding=ROUND_HALF_EVEN) == M("75100.02")  # the wrong mode
    assert -rund(M(15) / M(100) * basistilskudd) == M("-11265.00")


def test_e5_basistilskudd_og_trekk() -> None:
    """E5, D11/D12: 1200 × 841.80 / 12 = 84180.00; 20 % trekk = -16836.00."""
    b = rund(M(1200) * M("841.80") / M(12))
    assert formater(b) == "84180.00"
    assert formater(-rund(M(20) / M(100) * b)) == "-16836.00"


def test_rund_uavhengig_av_trådens_kontekst() -> None:
    """domain.md §4.1: the rounding does not depend on the caller's decimal context."""
    with localcontext() as ctx:
        ctx.prec, ctx.rounding = 3, ROUND_DOWN
        assert rund(M("75100.025")) == M("75100.03")


def test_rund_negativ_null_blir_null() -> None:
    """domain.md §4.1: a rounded negative zero never carries a sign."""
    assert str(rund(M("-0.004"))) == "0.00"
    assert not rund(M("-0.00")).is_signed()


@pytest.mark.parametrize("x", [0.1, 1, "1.00", None])
def test_rund_tar_bare_decimal(x: object) -> None:
    """domain.md §4.1: Decimal only, never float."""
    with pytest.raises(TypeError):
        rund(x)  # type: ignore[arg-type]


@pytest.mark.parametrize("x", [M("NaN"), M("Infinity"), M("-Infinity"), M("1E+40")])
def test_rund_avviser_ikke_endelige_og_enorme(x: Decimal) -> None:
    """domain.md §4.1: no NaN, infinity or amounts beyond 28 digits."""
    with pytest.raises(ValueError):
        rund(x)


@pytest.mark.parametrize(
    ("x", "forventet"),
    [
        pytest.param(M("16836.00"), "16836.00", id="E5 positive"),
        pytest.param(M("-16836.00"), "-16836.00", id="E5 negative"),
        pytest.param(M("-0.00"), "0.00", id="negative zero"),
        pytest.param(M("-0.004"), "0.00", id="rounds to negative zero"),
        pytest.param(M("0"), "0.00", id="zero"),
        pytest.param(M("5"), "5.00", id="whole"),
        pytest.param(M("12.5"), "12.50", id="one decimal"),
        pytest.param(M("1E+6"), "1000000.00", id="no exponent, no grouping"),
        pytest.param(M("1234567.891"), "1234567.89", id="rounded once"),
        pytest.param(M("75100.025"), "75100.03", id="E15 half up"),
    ],
)
def test_formater(x: Decimal, forventet: str) -> None:
    """domain.md §4.1 output: two decimals, '.', no thousands separator, leading '-'."""
    assert formater(x) == forventet


@pytest.mark.parametrize(
    ("value", "forventet"),
    [
        ("780000", M("780000.00")),
        ("780000.5", M("780000.50")),
        ("780000.00", M("780000.00")),
        ("0", M("0.00")),
        ("0.01", M("0.01")),
        ("007", M("7.00")),
    ],
)
def test_parse_belop(value: str, forventet: Decimal) -> None:
    """domain.md §4.1 input money: decimal string, at most two decimals, no sign."""
    resultat = parse_belop(value)
    assert resultat == forventet
    assert resultat.as_tuple().exponent == -2


@pytest.mark.parametrize(
    "value",
    [
        pytest.param(780000, id="JSON int"),
        pytest.param(780000.0, id="float"),
        pytest.param(M("780000"), id="Decimal from a JSON number"),
        pytest.param(True, id="bool"),
        pytest.param(None, id="null"),
        pytest.param("", id="empty"),
        pytest.param(" 1", id="leading space"),
        pytest.param("1 ", id="trailing space"),
        pytest.param("1\n", id="trailing newline"),
        pytest.param("+1", id="plus sign"),
        pytest.param("-1", id="minus sign"),
        pytest.param("1e3", id="exponent"),
        pytest.param("NaN", id="NaN"),
        pytest.param("Infinity", id="Infinity"),
        pytest.param("1.234", id="three decimals"),
        pytest.param("1.", id="dangling point"),
        pytest.param(".5", id="no integer part"),
        pytest.param("1,5", id="comma"),
        pytest.param("1 000", id="grouping"),
        pytest.param("١٢", id="non-ASCII digits"),
        pytest.param("9" * 40, id="too large"),
    ],
)
def test_parse_belop_avviser(value: object) -> None:
    """domain.md §4.1: only a plain non-negative decimal string; JSON numbers are refused."""
    with pytest.raises(ValueError):
        parse_belop(value)


@pytest.mark.parametrize(
    ("value", "forventet"),
    [
        pytest.param(10, M(10), id="whole int"),
        pytest.param(M("12.5"), M("12.5"), id="one decimal"),
        pytest.param(M("12.50"), M("12.50"), id="two decimals"),
        pytest.param(M("0.01"), M("0.01"), id="small"),
        pytest.param(M("1E+1"), M("10"), id="exponent form shown whole"),
        pytest.param(M("-5"), M("-5"), id="range is checked elsewhere"),
    ],
)
def test_parse_prosent(value: object, forventet: Decimal) -> None:
    """S25, ASA 4310 §15 (3): a JSON number with at most two decimals, read exactly."""
    resultat = parse_prosent(value)
    assert resultat == forventet
    assert str(resultat) == str(forventet)


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("10", id="string"),
        pytest.param(True, id="true"),
        pytest.param(False, id="false"),
        pytest.param(10.0, id="float"),
        pytest.param(None, id="null"),
        pytest.param(M("12.345"), id="three decimals"),
        pytest.param(M("12.500"), id="three decimals in the text"),
        pytest.param(M("NaN"), id="NaN"),
        pytest.param(M("Infinity"), id="Infinity"),
    ],
)
def test_parse_prosent_avviser(value: object) -> None:
    """S25: a string, a boolean or more than two decimals is felt_ugyldig."""
    with pytest.raises(ValueError):
        parse_prosent(value)


@pytest.mark.parametrize(
    ("json", "forventet"),
    [(b"10", "10"), (b"12.5", "12.5"), (b"12.50", "12.50"), (b"1e1", "10")],
)
def test_parse_prosent_fra_json_tekst(json: bytes, forventet: str) -> None:
    """S25: msgspec with float_hook=Decimal keeps the exact JSON text of a number."""
    verdi = msgspec.json.Decoder(float_hook=Decimal).decode(json)
    assert str(parse_prosent(verdi)) == forventet


def test_parse_prosent_json_streng_avvises() -> None:
    """S25: a JSON string stays a str under that decoder and is refused."""
    verdi = msgspec.json.Decoder(float_hook=Decimal).decode(b'"12.5"')
    with pytest.raises(ValueError):
        parse_prosent(verdi)
