"""The money core at its edges: exact ties, bounds met exactly, rate arithmetic, endless input.

Each test pins a behaviour that a mutant of the money core changed without failing the suite
(docs/testing.md lists the ones that are equivalent and why).
"""

from __future__ import annotations

import itertools
from decimal import Decimal
from fractions import Fraction

import pytest

from tuangou_core.errors import InvalidInput
from tuangou_core.money import Money, Rate, Rounding, allocate, allocate_minor, split


def _refusal(call: object) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        call()
    return caught.value


TIES = {  # numerator / denominator: the expected quotient in each mode
    (7, 2): {
        "half_up": 4,
        "half_even": 4,
        "half_down": 3,
        "up": 4,
        "down": 3,
        "ceiling": 4,
        "floor": 3,
    },
    (5, 2): {
        "half_up": 3,
        "half_even": 2,
        "half_down": 2,
        "up": 3,
        "down": 2,
        "ceiling": 3,
        "floor": 2,
    },
    (-7, 2): {
        "half_up": -4,
        "half_even": -4,
        "half_down": -3,
        "up": -4,
        "down": -3,
        "ceiling": -3,
        "floor": -4,
    },
    (-5, 2): {
        "half_up": -3,
        "half_even": -2,
        "half_down": -2,
        "up": -3,
        "down": -2,
        "ceiling": -2,
        "floor": -3,
    },
    (7, -2): {
        "half_up": -4,
        "half_even": -4,
        "half_down": -3,
        "up": -4,
        "down": -3,
        "ceiling": -3,
        "floor": -4,
    },
    (1, 3): {
        "half_up": 0,
        "half_even": 0,
        "half_down": 0,
        "up": 1,
        "down": 0,
        "ceiling": 1,
        "floor": 0,
    },
    (2, 3): {
        "half_up": 1,
        "half_even": 1,
        "half_down": 1,
        "up": 1,
        "down": 0,
        "ceiling": 1,
        "floor": 0,
    },
    (-2, 3): {
        "half_up": -1,
        "half_even": -1,
        "half_down": -1,
        "up": -1,
        "down": 0,
        "ceiling": 0,
        "floor": -1,
    },
    (6, 3): dict.fromkeys(
        ("half_up", "half_even", "half_down", "up", "down", "ceiling", "floor"), 2
    ),
}


@pytest.mark.parametrize("quotient", sorted(TIES), ids=str)
def test_every_mode_on_exact_ties_and_thirds(quotient: tuple[int, int]) -> None:
    """HALF_EVEN.divide(7, 2) is 4 and HALF_DOWN 3; each mode on ties, thirds and signs."""
    numerator, denominator = quotient
    for mode, expected in TIES[quotient].items():
        rounding = Rounding(mode)
        assert rounding.divide(numerator, denominator) == expected, mode
        assert rounding.round(Fraction(numerator, denominator)) == expected, mode
        decimal = Decimal(numerator) / Decimal(denominator) if denominator != 3 else None
        if decimal is not None:
            assert rounding.round(decimal) == expected, mode


def test_round_reads_decimals_up_to_its_bounds_exactly() -> None:
    """A Decimal of exponent ±64 and 128 digits is rounded; one past either bound is refused."""
    assert Rounding.DOWN.round(Decimal("1e64")) == 10**64
    assert Rounding.UP.round(Decimal("1e-64")) == 1
    assert Rounding.HALF_UP.round(Decimal(0)) == 0
    assert Rounding.HALF_UP.round(Decimal("-0.5")) == -1
    assert Rounding.DOWN.round(Decimal("1" * 64 + "." + "1" * 64)) == int("1" * 64)
    assert _refusal(lambda: Rounding.DOWN.round(Decimal("1e65"))).value == "1E+65"
    assert _refusal(lambda: Rounding.DOWN.round(Decimal("1e-65"))).value == "1E-65"
    too_long = Decimal("1." + "1" * 128)
    assert "at most 64 digits" in _refusal(lambda: Rounding.DOWN.round(too_long)).message
    long_text = Decimal("1." + "2" * 99 + "e70")
    assert _refusal(lambda: Rounding.DOWN.round(long_text)).value == str(long_text)[:80]
    assert Rounding.DOWN.round(10**64 - 1) == 10**64 - 1
    assert Rounding.DOWN.round(Fraction(10**64 - 1, 10**64 - 1)) == 1


def test_round_shows_short_text_and_names_the_rest_by_type() -> None:
    """A refused value is kept when it is text of at most 80 characters, else by its type."""
    assert _refusal(lambda: Rounding.UP.round("x" * 80)).value == "x" * 80
    assert _refusal(lambda: Rounding.UP.round("x" * 81)).value == "str"
    assert _refusal(lambda: Rounding.UP.round([])).value == "list"
    assert _refusal(lambda: Money.parse([])).value == "list"
    assert "got list" in _refusal(lambda: Money.parse([])).message
    assert _refusal(lambda: Money.parse("x" * 80)).value == "x" * 80
    assert _refusal(lambda: Money.parse("x" * 81)).value == "x" * 80 + "…"


def test_rate_arithmetic_is_exact() -> None:
    """Rates add, subtract (both ways), multiply and compare exactly, equal ones included."""
    half, third = Rate("1/2"), Rate("1/3")
    assert half - third == Rate("1/6")
    assert 1 - third == Rate("2/3")
    assert half + third == Rate("5/6")
    assert 1 + third == Rate("4/3")
    assert 2 * third == Rate("2/3")
    assert third * half == Rate("1/6")
    same = Rate(Fraction(1, 3))
    assert (third < same, third <= same, third > same, third >= same) == (
        False,
        True,
        False,
        True,
    )
    assert (third < half, half > third, half >= 1, half <= 0) == (True, True, False, False)


@pytest.mark.parametrize(
    "operation",
    [
        lambda r: r + "x",
        lambda r: r - "x",
        lambda r: "x" - r,
        lambda r: r * "x",
        lambda r: r < "x",
        lambda r: r <= "x",
        lambda r: r > "x",
        lambda r: r >= "x",
    ],
)
def test_rate_arithmetic_names_the_operand(operation: object) -> None:
    """A junk operand of a rate operator is an invalid_rate naming 'rate'."""
    error = _refusal(lambda: operation(Rate("1/3")))
    assert (error.code, error.field) == ("invalid_rate", "rate")
    assert error.message.startswith("rate must be like")


def test_sums_and_parses_keep_the_amounts_and_currency() -> None:
    """Money added from the right keeps both amounts; parse of an int keeps its currency."""
    assert Money(2).__radd__(Money(5)) == Money(7)
    assert sum([Money(2), Money(5)]) == Money(7)
    assert Money.parse(5, "USD") == Money(500, "USD")
    assert Money.parse(5, "JPY") == Money(5, "JPY")


def test_weights_at_their_bound_and_past_it() -> None:
    """100 000 weights allocate, 100 001 do not; an endless iterator is refused, not read."""
    parts = allocate(Money(100_000), [1] * 100_000)
    assert set(parts) == {Money(1)}
    assert split(Money(100_000), 100_000) == parts
    assert _refusal(lambda: allocate(Money(5), itertools.repeat(1))).code == "invalid_weights"
    assert _refusal(lambda: split(Money(5), 100_001)).field == "n"
    assert allocate(Money(10), (w for w in [1, 3])) == (Money(3), Money(7))
    assert allocate_minor(10, (1, 3)) == [3, 7]
    assert allocate_minor(-10, [1, 3]) == [-3, -7]
    assert allocate_minor(5, [1, 1]) == [3, 2]  # ties to the earlier position
    assert allocate_minor(10**15 - 1, [1]) == [10**15 - 1]
