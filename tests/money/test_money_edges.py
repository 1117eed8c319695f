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
from tuangou_core.money import (
    MAX_MINOR,
    Currency,
    Money,
    Rate,
    Rounding,
    allocate,
    allocate_minor,
    split,
)
from tuangou_core.money._amount import _Unfrozen


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


NEGATIVE_BOTH = {  # both signs negative: the slow path with a positive quotient
    (-7, -2): {
        "half_up": 4,
        "half_even": 4,
        "half_down": 3,
        "up": 4,
        "down": 3,
        "ceiling": 4,
        "floor": 3,
    },
    (-5, -2): {
        "half_up": 3,
        "half_even": 2,
        "half_down": 2,
        "up": 3,
        "down": 2,
        "ceiling": 3,
        "floor": 2,
    },
    (-1, -3): {
        "half_up": 0,
        "half_even": 0,
        "half_down": 0,
        "up": 1,
        "down": 0,
        "ceiling": 1,
        "floor": 0,
    },
}


@pytest.mark.parametrize("quotient", sorted(NEGATIVE_BOTH), ids=str)
def test_two_negative_operands_round_like_their_positive_quotient(
    quotient: tuple[int, int],
) -> None:
    """-7 / -2 is 3.5 and rounds as 3.5 does in every mode."""
    for mode, expected in NEGATIVE_BOTH[quotient].items():
        assert Rounding(mode).divide(*quotient) == expected, mode


def test_money_and_currency_text() -> None:
    """Zero prints without a sign in every minor-digit count; the known codes come sorted."""
    assert (str(Money(0)), str(Money(0, "JPY")), str(Money(0, "KWD"))) == ("0.00", "0", "0.000")
    assert (str(Money(-1)), str(Money(-1, "JPY"))) == ("-0.01", "-1")
    assert Currency.known() == tuple(sorted(Currency.known()))
    assert Currency.known()[:2] == ("CNY", "EUR") and len(Currency.known()) == 13


def test_rate_bounds_met_exactly() -> None:
    """40 digits each side pass, 41 do not, negative too; a Decimal's exponent ±30 passes."""
    assert Rate(Fraction(-(10**40) + 1, 10**40 - 1)).value < 0
    for junk in (Fraction(-(10**40), 1), Fraction(1, 10**40), Decimal("1." + "1" * 45)):
        error = _refusal(lambda junk=junk: Rate(junk))
        assert (error.code, error.field) == ("invalid_rate", "rate")
    assert Rate(Decimal("1e30")).value == 10**30
    assert Rate(Decimal("1e-30")).value == Fraction(1, 10**30)
    for text in ("1/" + "1" * 45, "0." + "1" * 45, "1" * 45 + "%"):
        assert _refusal(lambda text=text: Rate(text)).field == "rate"
    assert Rate("0.5" + "0" * 61) == Rate("1/2")  # 64 characters: read
    assert "must be like" in _refusal(lambda: Rate("0.5" + "0" * 62)).message  # 65: not
    assert _refusal(lambda: Rate("x" * 81)).value == "x" * 80
    assert _refusal(lambda: Rate([])).value == "list"
    nan = Decimal("NaN" + "1" * 90)
    assert _refusal(lambda: Rate(nan)).value == str(nan)[:80]
    assert _refusal(lambda: "x" + Rate(1)).field == "rate"


def test_rate_parse_text_and_places() -> None:
    """parse returns a Rate as it is and reads text; as_decimal takes 0 to 100 places."""
    third = Rate("1/3")
    assert Rate.parse(third) is third
    assert Rate.parse("0.5") == Rate("1/2")
    assert repr(third) == "Rate('1/3')"
    assert str(Rate(Fraction(1, 10**12))) == "0.000000000001"
    assert str(Rate(Fraction(1, 10**13))) == "1/10000000000000"
    assert Rate("3/2").as_decimal(0) == Decimal(2)
    assert Rate(0).as_decimal() == Decimal(0)
    assert Rate(Fraction(1, 10**20)).as_decimal() == Decimal(0)
    assert len(str(third.as_decimal(100))) == 102
    assert len(_refusal(lambda: third.as_decimal(10**200)).message) == 120


def test_bounded_refusals_keep_short_values() -> None:
    """A long Decimal past the digit bound is named by type; a long rounding name is cut."""
    assert _refusal(lambda: Rounding.DOWN.round(Decimal("1." + "1" * 128))).value == "Decimal"
    assert _refusal(lambda: Rounding.parse("x" * 41)).value == "x" * 40
    assert "got '" + "x" * 40 + "'" in _refusal(lambda: Rounding.parse("x" * 41)).message


def test_the_last_edges_of_money_and_rates() -> None:
    """as_decimal's default is 10 places; an unhashable currency code and a 256-bit amount
    are refused with their short forms; long rate junk is cut at 80 in the message too."""
    assert Rate("1/3").as_decimal() == Decimal("0.3333333333")
    assert _refusal(lambda: Currency.of([])).code == "unknown_currency"
    assert _refusal(lambda: Money(2**255)).value == 2**255
    assert _refusal(lambda: Money(2**256)).value == "<int of 257 bits>"
    assert "got '" + "x" * 80 + "'" in _refusal(lambda: Rate("x" * 81)).message
    assert _refusal(lambda: Rate([])).message.endswith("got list")


def test_money_built_inside_the_library_is_a_money_with_exactly_its_slots() -> None:
    """The results of arithmetic are built as a mutable twin that changes class: the twin has
    exactly Money's slots, and what it becomes is a Money, equal and hashed as one."""
    slots = Money.__dict__["__slots__"]
    assert sorted(_Unfrozen.__slots__) == sorted(slots) == ["currency", "minor"]
    total = Money(250) + Money(175)
    assert type(total) is Money
    assert (total, hash(total)) == (Money(425), hash(Money(425)))


def test_zero_is_one_value_per_currency_and_a_subclass_gets_its_own() -> None:
    """Money.zero() is CNY 0.00, the same object each time; each currency has its own zero
    with its own code; a subclass's zero is of the subclass and not shared; a code the
    library does not know, or a non-text one, is refused as Money refuses it."""
    assert Money.zero() is Money.zero("CNY")
    assert (Money.zero().minor, Money.zero().currency) == (0, "CNY")
    yen = Money.zero("JPY")
    assert (yen.minor, yen.currency, yen is Money.zero("JPY")) == (0, "JPY", True)
    assert yen != Money.zero()

    class Tagged(Money):
        pass

    tagged = Tagged.zero("USD")
    assert (type(tagged), tagged.minor, tagged.currency) == (Tagged, 0, "USD")
    assert Tagged.zero("USD") is not tagged
    assert Money.zero("USD") is not tagged
    assert type(Money.zero("USD")) is Money
    for code in ("XXX", 5):
        with pytest.raises(InvalidInput) as refused:
            Money.zero(code)
        assert refused.value.code == "unknown_currency"


def test_amounts_differ_by_their_minor_units_or_their_currency() -> None:
    """!= is true for another amount or another currency, false for the same amount, and
    leaves other types to them (NotImplemented: a Money is never equal to an int)."""
    assert (Money(1) != Money(2), Money(1) != Money(1), Money(1) != Money(1, "USD")) == (
        True,
        False,
        True,
    )
    assert Money(1).__ne__(1) is NotImplemented
    assert Money(1) != 1
    assert hash(Money(1)) == hash(Money(1))
    assert len({hash(Money(n)) for n in range(100)}) == 100


def test_arithmetic_reaches_the_bound_exactly_and_no_further() -> None:
    """Sums and negations up to ±MAX_MINOR are amounts; one minor unit past is refused."""
    top = Money(MAX_MINOR - 1) + Money(1)
    assert top.minor == MAX_MINOR
    assert (-top).minor == -MAX_MINOR
    assert (Money(-MAX_MINOR + 1) - Money(1)).minor == -MAX_MINOR
    with pytest.raises(InvalidInput) as above:
        top + Money(1)
    with pytest.raises(InvalidInput) as below:
        -top - Money(1)
    assert above.value.code == below.value.code == "amount_out_of_range"


def test_a_rate_reads_as_a_percentage_and_as_a_float() -> None:
    """percent() is the rate times 100 with a %; float() is numerator over denominator (for
    display only: the library never computes with it)."""
    assert [Rate(r).percent() for r in ("0.05", "0.006", "1/3", "1")] == [
        "5%",
        "0.6%",
        "100/3%",
        "100%",
    ]
    assert (float(Rate("1/4")), float(Rate("3/8")), float(Rate("0"))) == (0.25, 0.375, 0.0)
