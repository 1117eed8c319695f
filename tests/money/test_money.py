"""Exact money: the laws of Money, Rate, Rounding, allocate and split, and every refusal."""

from __future__ import annotations

import decimal
from collections.abc import Callable, Sequence
from decimal import Decimal
from fractions import Fraction
from math import floor
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import tuangou_core.money._amount as money_module
from strategies import (
    Weight,
    currencies,
    decimal_rates,
    int_weights,
    minor_amounts,
    money,
    rates,
    roundings,
    weights,
)
from tuangou_core.errors import InvalidInput, TuangouError
from tuangou_core.money import MAX_MINOR, Currency, Money, Rate, Rounding, allocate, split

# Three of these still add up within the bound, so associativity never meets overflow.
THIRD = MAX_MINOR // 3


def exact_shares(total: Money, weights: Sequence[Weight]) -> list[Fraction]:
    """Each weight's exact share of *total*, in minor units."""
    fractions = [Fraction(w) for w in weights]
    whole = sum(fractions)
    return [total.minor * f / whole for f in fractions]


def refused(code: str, action: Callable[[], object]) -> TuangouError:
    """Run *action*, expecting a refusal with *code*; hand back the error."""
    with pytest.raises(TuangouError) as caught:
        action()
    assert caught.value.code == code, repr(caught.value)
    return caught.value


# -- allocate -----------------------------------------------------------------------------------


@given(total=money(), weights=weights())
def test_allocation_sums_to_total(total: Money, weights: list[Weight]) -> None:
    """The parts of an allocation add up exactly to the total."""
    assert sum(allocate(total, weights), Money.zero(total.currency)) == total


@given(total=money(), weights=weights())
def test_allocation_has_one_part_per_weight_in_the_total_currency(
    total: Money, weights: list[Weight]
) -> None:
    """An allocation returns one part per weight, each in the total's currency."""
    parts = allocate(total, weights)
    assert len(parts) == len(weights)
    assert {part.currency for part in parts} == {total.currency}


@given(total=money(), weights=weights())
def test_each_part_is_within_one_minor_unit_of_its_exact_share(
    total: Money, weights: list[Weight]
) -> None:
    """Every part is strictly less than one minor unit from its exact proportional share."""
    for part, share in zip(allocate(total, weights), exact_shares(total, weights), strict=True):
        assert abs(part.minor - share) < 1


@given(total=money(), weights=weights())
def test_zero_weight_gets_zero(total: Money, weights: list[Weight]) -> None:
    """A part whose weight is zero is zero."""
    for part, weight in zip(allocate(total, weights), weights, strict=True):
        if weight == 0:
            assert part.is_zero


@given(total=money(), weights=weights())
def test_negative_total_mirrors_the_positive_one(total: Money, weights: list[Weight]) -> None:
    """Allocating -x gives, part by part, the negation of allocating x."""
    assert allocate(-total, weights) == tuple(-part for part in allocate(total, weights))


@given(
    total=money(bound=10**6),
    weights=int_weights(max_size=8, max_weight=12),
    data=st.data(),
)
def test_allocation_follows_a_permutation_outside_tied_remainders(
    total: Money, weights: list[int], data: st.DataObject
) -> None:
    """Permuting the weights permutes the parts, for every weight whose remainder is unique.

    Parts whose remainders tie may trade the extra unit, because ties go by position.
    """
    order = data.draw(st.permutations(range(len(weights))))
    shares = exact_shares(abs(total), weights)
    remainders = [share - floor(share) for share in shares]
    original = allocate(total, weights)
    permuted = allocate(total, [weights[i] for i in order])
    for position, source in enumerate(order):
        if remainders.count(remainders[source]) == 1:
            assert permuted[position] == original[source]


@given(total=money(bound=10**6), weights=int_weights(max_size=8, max_weight=12))
def test_tied_remainders_give_the_extra_unit_to_earlier_positions(
    total: Money, weights: list[int]
) -> None:
    """Among parts with equal remainders, a later one never gets the extra unit an earlier lacks."""
    shares = exact_shares(abs(total), weights)
    extras = [
        abs(part.minor) - floor(share)
        for part, share in zip(allocate(total, weights), shares, strict=True)
    ]
    for early in range(len(weights)):
        for late in range(early + 1, len(weights)):
            if shares[early] - floor(shares[early]) == shares[late] - floor(shares[late]):
                assert extras[early] >= extras[late]


@given(total=money(), weights=int_weights(), factor=st.integers(1, 1000))
def test_scaling_every_weight_changes_nothing(
    total: Money, weights: list[int], factor: int
) -> None:
    """Weights are proportions: multiplying them all by one factor gives the same parts."""
    assert allocate(total, [w * factor for w in weights]) == allocate(total, weights)


@given(total=money(), weights=int_weights())
def test_decimal_and_fraction_weights_match_their_int_equals(
    total: Money, weights: list[int]
) -> None:
    """A weight's type does not matter, only its value."""
    expected = allocate(total, weights)
    assert allocate(total, [Decimal(w) for w in weights]) == expected
    assert allocate(total, [Fraction(w, 7) for w in weights]) == expected


def test_allocation_of_a_cent_over_three_equal_weights_goes_to_the_first() -> None:
    """With every remainder tied, the leftover unit goes to the earliest position."""
    assert allocate(Money(1), [1, 1, 1]) == (Money(1), Money(0), Money(0))


def test_allocation_example_from_the_docs() -> None:
    """¥100.00 over 1:2:3 gives 16.67, 33.33, 50.00."""
    parts = allocate(Money.parse("100"), [1, 2, 3])
    assert [str(p) for p in parts] == ["16.67", "33.33", "50.00"]


# -- split --------------------------------------------------------------------------------------


@given(total=money(), n=st.integers(1, 50))
def test_split_parts_differ_by_at_most_one_larger_first(total: Money, n: int) -> None:
    """Split parts are within one minor unit of each other, the larger magnitudes first."""
    magnitudes = [abs(part.minor) for part in split(total, n)]
    assert max(magnitudes) - min(magnitudes) <= 1
    assert magnitudes == sorted(magnitudes, reverse=True)


@given(total=money(), n=st.integers(1, 50))
def test_split_sums_to_total(total: Money, n: int) -> None:
    """The n parts of a split add up to the total."""
    parts = split(total, n)
    assert len(parts) == n
    assert sum(parts, Money.zero(total.currency)) == total


# -- Money: text --------------------------------------------------------------------------------


@given(amount=money())
def test_parse_of_str_round_trips_for_every_currency(amount: Money) -> None:
    """Money.parse(str(m), currency) gives back m, whatever the currency's minor digits."""
    assert Money.parse(str(amount), amount.currency) == amount


@given(amount=money())
def test_parse_of_amount_round_trips(amount: Money) -> None:
    """Money.parse(m.amount, currency) gives back m: the Decimal view is exact."""
    assert Money.parse(amount.amount, amount.currency) == amount


@given(amount=money(), code=currencies())
def test_str_has_the_currency_minor_digits(amount: Money, code: str) -> None:
    """str() shows exactly as many fraction digits as the currency has."""
    text = str(Money(amount.minor, code))
    digits = Currency.of(code).minor_digits
    assert ("." in text) == (digits > 0)
    assert len(text.partition(".")[2]) == digits


@pytest.mark.parametrize(
    ("text", "currency", "minor"),
    [
        ("12.34", "CNY", 1234),
        ("-0.05", "CNY", -5),
        ("+7", "CNY", 700),
        (" 0.1 ", "CNY", 10),
        ("1.000", "CNY", 100),
        ("500", "JPY", 500),
        ("1.234", "KWD", 1234),
        ("9999999999999.99", "CNY", MAX_MINOR),
        ("-999999999999999", "JPY", -MAX_MINOR),
    ],
)
def test_parse_reads_decimal_text(text: str, currency: str, minor: int) -> None:
    """Decimal text in major units becomes the exact number of minor units."""
    assert Money.parse(text, currency) == Money(minor, currency)


def test_parse_reads_ints_as_major_units() -> None:
    """An int given to parse counts whole yuan, not fen."""
    assert Money.parse(12) == Money(1200)


def test_parse_reads_a_zero_with_a_huge_exponent_as_zero() -> None:
    """A zero is zero whatever its exponent, and costs nothing to read."""
    assert Money.parse(Decimal("0E+999999999")) == Money.zero()


@pytest.mark.parametrize(
    ("mode", "expected"),
    [("half_up", 3), ("half_even", 2), ("down", 2), ("up", 3), (Rounding.FLOOR, 2)],
)
def test_parse_rounds_extra_digits_only_with_a_named_mode(
    mode: Rounding | str, expected: int
) -> None:
    """Too many fraction digits round with the mode named, and with no other."""
    assert Money.parse("0.025", rounding=mode) == Money(expected)


def test_parse_rounds_from_the_true_value_not_a_truncated_one() -> None:
    """A value just below a half rounds down even with more digits than a context carries."""
    assert Money.parse("0.4" + "9" * 61, "JPY", rounding="half_up") == Money(0, "JPY")


def test_display_puts_the_sign_before_the_symbol() -> None:
    """display() writes ¥12.34 and -¥0.50."""
    assert Money(1234).display() == "¥12.34"
    assert Money(-50).display() == "-¥0.50"


def test_repr_shows_major_units_and_currency() -> None:
    """repr() reads like the call that would make the amount."""
    assert repr(Money(1234)) == "Money('12.34', 'CNY')"


# -- Money: arithmetic --------------------------------------------------------------------------


@given(a=money("CNY", bound=THIRD), b=money("CNY", bound=THIRD), c=money("CNY", bound=THIRD))
def test_addition_is_associative(a: Money, b: Money, c: Money) -> None:
    """(a + b) + c == a + (b + c)."""
    assert (a + b) + c == a + (b + c)


@given(a=money("CNY", bound=THIRD), b=money("CNY", bound=THIRD))
def test_addition_is_commutative(a: Money, b: Money) -> None:
    """a + b == b + a."""
    assert a + b == b + a


@given(a=money())
def test_zero_is_the_identity(a: Money) -> None:
    """a + 0 == a == 0 + a, with 0 of a's currency."""
    zero = Money.zero(a.currency)
    assert a + zero == a == zero + a


@given(a=money())
def test_negation_is_the_additive_inverse(a: Money) -> None:
    """a + (-a) is zero."""
    assert a + -a == Money.zero(a.currency)


@given(a=money("CNY", bound=THIRD), b=money("CNY", bound=THIRD))
def test_subtraction_adds_the_negation(a: Money, b: Money) -> None:
    """a - b == a + (-b)."""
    assert a - b == a + -b


@given(a=money("CNY", bound=10**9), b=money("CNY", bound=10**9), k=st.integers(-1000, 1000))
def test_int_multiplication_distributes_over_addition(a: Money, b: Money, k: int) -> None:
    """(a + b) * k == a * k + b * k."""
    assert (a + b) * k == a * k + b * k


@given(a=money("CNY", bound=10**9), k=st.integers(-1000, 1000))
def test_int_multiplication_is_repeated_addition(a: Money, k: int) -> None:
    """k * a == a * k == a's minor units times k, from either side."""
    assert k * a == a * k == Money(a.minor * k)


@given(amounts=st.lists(money("CNY", bound=10**9), max_size=30))
def test_sum_starting_from_int_zero_adds_the_minor_units(amounts: list[Money]) -> None:
    """sum() of amounts, starting from the int 0, adds their minor units."""
    total = sum(amounts) if amounts else Money.zero()
    assert total == Money(sum(a.minor for a in amounts))


@given(a=money("CNY"), b=money("CNY"))
def test_order_follows_the_minor_units(a: Money, b: Money) -> None:
    """Comparisons of same-currency amounts agree with their minor units."""
    assert (a < b, a <= b, a > b, a >= b, a == b) == (
        a.minor < b.minor,
        a.minor <= b.minor,
        a.minor > b.minor,
        a.minor >= b.minor,
        a.minor == b.minor,
    )


@given(a=money())
def test_abs_drops_the_sign(a: Money) -> None:
    """abs(a) has a's magnitude and currency and is never negative."""
    assert abs(a) == Money(abs(a.minor), a.currency)


@given(a=money())
def test_double_negation_is_identity(a: Money) -> None:
    """Negating twice gives back a, as does unary plus."""
    negated = -a
    assert -negated == a == +a


# -- Rate and Rounding --------------------------------------------------------------------------


def exact_context() -> decimal.Context:
    # Enough digits that the quotients below are rounded once, by quantize, never before.
    return decimal.Context(prec=80, traps=[decimal.InvalidOperation])


@given(amount=money("CNY", bound=10**12), rate=decimal_rates(), mode=roundings())
def test_rate_apply_agrees_with_decimal_quantize(
    amount: Money, rate: Decimal, mode: Rounding
) -> None:
    """Rate.apply rounds like Decimal.quantize in the matching rounding mode."""
    context = exact_context()
    product = context.multiply(Decimal(amount.minor), rate)
    expected = product.quantize(Decimal(1), rounding=mode.decimal_mode, context=context)
    assert Rate(rate).apply(amount, rounding=mode) == Money(int(expected))


@given(
    numerator=st.integers(-(10**15), 10**15),
    denominator=st.integers(-(10**6), 10**6).filter(bool),
    mode=roundings(),
)
def test_rounding_divide_agrees_with_decimal(
    numerator: int, denominator: int, mode: Rounding
) -> None:
    """Rounding.divide matches Decimal rounding for every mode and every sign."""
    context = exact_context()
    # 80 digits leave the quotient's fraction far more exact than its distance from any
    # rounding boundary (at least 1/(2*10**6)), so quantize decides as on the true value.
    quotient = context.divide(Decimal(numerator), Decimal(denominator))
    expected = quotient.quantize(Decimal(1), rounding=mode.decimal_mode, context=context)
    assert mode.divide(numerator, denominator) == int(expected)


@given(value=st.fractions(max_denominator=1000), mode=roundings())
def test_rounding_round_is_divide_on_the_fraction(value: Fraction, mode: Rounding) -> None:
    """Rounding.round(x) rounds the exact fraction x as divide does."""
    assert mode.round(value) == mode.divide(value.numerator, value.denominator)


@given(rate=rates())
def test_rate_str_round_trips(rate: Rate) -> None:
    """Rate(str(r)) == r, whether str gives a decimal or a fraction."""
    assert Rate(str(rate)) == rate


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("0.006", Fraction(6, 1000)),
        ("5%", Fraction(1, 20)),
        ("1/3", Fraction(1, 3)),
        (Decimal("0.25"), Fraction(1, 4)),
        (Fraction(2, 7), Fraction(2, 7)),
        (1, Fraction(1)),
    ],
)
def test_rate_reads_text_decimals_fractions_and_ints(text: Any, value: Fraction) -> None:
    """A rate is read exactly from each accepted spelling."""
    assert Rate(text).value == value


def test_rate_str_of_a_large_rate() -> None:
    """A rate beyond 28 significant digits still prints (no decimal error escapes)."""
    assert str(Rate(Decimal("1e20"))) == "100000000000000000000"


def test_rounding_parse_reads_names_and_passes_modes_through() -> None:
    """Rounding.parse takes a mode's name in any case, or the mode itself."""
    assert Rounding.parse("HALF_EVEN") is Rounding.HALF_EVEN
    assert Rounding.parse(Rounding.UP) is Rounding.UP


# -- refusals -----------------------------------------------------------------------------------

CNY1 = Money(100)

FLOAT_USES: dict[str, Callable[[], object]] = {
    "Money(1.0)": lambda: Money(1.0),
    "Money.parse(1.0)": lambda: Money.parse(1.0),  # type: ignore[arg-type]
    "Money * 1.5": lambda: CNY1 * 1.5,  # type: ignore[operator]
    "1.5 * Money": lambda: 1.5 * CNY1,  # type: ignore[operator]
    "Money + 1.0": lambda: CNY1 + 1.0,  # type: ignore[operator]
    "Money < 1.0": lambda: CNY1 < 1.0,  # type: ignore[operator]
    "Rate(0.5)": lambda: Rate(0.5),
    "Rate + 0.5": lambda: Rate("5%") + 0.5,  # type: ignore[operator]
    "allocate weight": lambda: allocate(CNY1, [1, 0.5]),  # type: ignore[list-item]
    "Rounding.round(0.5)": lambda: Rounding.HALF_UP.round(0.5),  # type: ignore[arg-type]
    "Rounding.divide(1.0, 2)": lambda: Rounding.HALF_UP.divide(1.0, 2),  # type: ignore[arg-type]
}


@pytest.mark.parametrize("action", FLOAT_USES.values(), ids=FLOAT_USES.keys())
def test_floats_are_refused_everywhere(action: Callable[[], object]) -> None:
    """Every door a float could enter by refuses it with float_refused."""
    assert isinstance(refused("float_refused", action), InvalidInput)


@given(value=st.floats())
def test_any_float_amount_is_refused(value: float) -> None:
    """Money refuses a float of any value, NaN and infinities included."""
    refused("float_refused", lambda: Money(value))


@pytest.mark.parametrize(
    "value",
    [
        "",
        "abc",
        "12.3.4",
        "12.",
        ".5",
        "1_000",
        "1e5",
        "1e999999999",
        "NaN",
        "inf",
        "-Infinity",
        "12 34",
        Decimal("NaN"),
        Decimal("sNaN"),
        Decimal("Infinity"),
        Decimal("-Infinity"),
        True,
        None,
        [],
        "1" * 65,
    ],
    ids=repr,
)
def test_junk_amounts_are_refused_as_invalid_amount(value: Any) -> None:
    """Text that is not a plain decimal, and non-finite Decimals, are invalid_amount."""
    refused("invalid_amount", lambda: Money.parse(value))


@pytest.mark.parametrize("minor", ["12", True, Decimal(12), Fraction(12), None], ids=repr)
def test_money_minor_must_be_an_int(minor: Any) -> None:
    """Money's minor units must be an int; anything else is invalid_amount."""
    refused("invalid_amount", lambda: Money(minor))


@pytest.mark.parametrize(
    ("value", "currency"),
    [
        ("0.001", "CNY"),
        ("0.5", "JPY"),
        ("0.0001", "KWD"),
        (Decimal("1." + "0" * 100 + "1"), "CNY"),
        (Decimal("1e-999999999"), "CNY"),
    ],
    ids=repr,
)
def test_extra_fraction_digits_are_too_precise(value: Any, currency: str) -> None:
    """A fraction finer than the currency's minor unit, however far out, is too_precise."""
    refused("too_precise", lambda: Money.parse(value, currency))


OUT_OF_RANGE: dict[str, Callable[[], object]] = {
    "Money(10**15)": lambda: Money(10**15),
    "Money(-10**15)": lambda: Money(-(10**15)),
    "parse 10**13 yuan": lambda: Money.parse("10000000000000"),
    "parse int 10**13": lambda: Money.parse(10**13),
    "parse int 10**400": lambda: Money.parse(10**400),
    "Decimal 1e999999999": lambda: Money.parse(Decimal("1e999999999")),
    "text 9*40": lambda: Money.parse("9" * 40),
    "Decimal 9*40": lambda: Money.parse(Decimal("9" * 40)),
    "max + 1": lambda: Money(MAX_MINOR) + Money(1),
    "-max - 1": lambda: Money(-MAX_MINOR) - Money(1),
    "max * 2": lambda: Money(MAX_MINOR) * 2,
    "rate 2 of max": lambda: Rate(2).apply(Money(MAX_MINOR), rounding="half_up"),
}


@pytest.mark.parametrize("action", OUT_OF_RANGE.values(), ids=OUT_OF_RANGE.keys())
def test_amounts_beyond_the_bound_are_refused(action: Callable[[], object]) -> None:
    """Any amount beyond ±MAX_MINOR minor units is amount_out_of_range."""
    refused("amount_out_of_range", action)


@given(minor=st.integers(min_value=MAX_MINOR + 1) | st.integers(max_value=-MAX_MINOR - 1))
def test_every_minor_beyond_the_bound_is_refused(minor: int) -> None:
    """Money refuses every int beyond ±MAX_MINOR."""
    refused("amount_out_of_range", lambda: Money(minor))


@given(minor=minor_amounts())
def test_every_minor_within_the_bound_is_accepted(minor: int) -> None:
    """Money accepts every int within ±MAX_MINOR, the bound itself included."""
    assert Money(minor).minor == minor


def test_huge_exponent_text_is_refused_before_any_decimal_is_built(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """'1e999999999' is refused by its shape, before a Decimal is made from it."""

    def no_decimal(*args: object) -> Decimal:
        raise AssertionError("a Decimal was built from the text")

    monkeypatch.setattr(money_module, "Decimal", no_decimal)
    refused("invalid_amount", lambda: Money.parse("1e999999999"))


def test_huge_exponent_decimal_is_refused_before_any_arithmetic(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Decimal('1e999999999') is refused by its exponent, before it is scaled."""

    def no_context() -> object:
        raise AssertionError("decimal arithmetic was attempted")

    # money.py reaches decimal arithmetic only through localcontext.
    monkeypatch.setattr(decimal, "localcontext", no_context)
    refused("amount_out_of_range", lambda: Money.parse(Decimal("1e999999999")))


MISMATCHES: dict[str, Callable[[], object]] = {
    "add": lambda: Money(1) + Money(1, "USD"),
    "subtract": lambda: Money(1) - Money(1, "USD"),
    "compare": lambda: Money(1) < Money(1, "JPY"),
    "sum": lambda: sum([Money(1), Money(1, "HKD")]),
}


@pytest.mark.parametrize("action", MISMATCHES.values(), ids=MISMATCHES.keys())
def test_mixing_currencies_is_refused(action: Callable[[], object]) -> None:
    """Arithmetic across two currencies is currency_mismatch."""
    refused("currency_mismatch", action)


@pytest.mark.parametrize("code", ["XXX", "cny", "", None, 156], ids=repr)
def test_unknown_currencies_are_refused(code: Any) -> None:
    """A currency the table does not know is unknown_currency, naming the field."""
    assert refused("unknown_currency", lambda: Money(1, code)).field == "currency"
    refused("unknown_currency", lambda: Money.parse("1", code))


@pytest.mark.parametrize(
    "bad",
    [[], [0], [0, 0, Decimal(0)], [1, -1], [Decimal("-0.5"), 2], [Fraction(-1, 3), 1], "12"],
    ids=repr,
)
def test_empty_zero_or_negative_weights_are_refused(bad: Any) -> None:
    """Weights that are empty, all zero, or negative somewhere are invalid_weights."""
    refused("invalid_weights", lambda: allocate(CNY1, bad))


def test_a_negative_weight_is_named_by_its_position() -> None:
    """The error for a negative weight names which one."""
    assert refused("invalid_weights", lambda: allocate(CNY1, [3, 1, -2])).field == "weights[2]"


@pytest.mark.parametrize("n", [0, -1, True, "2", 2.0], ids=repr)
def test_split_needs_a_positive_int(n: Any) -> None:
    """split refuses a count that is not a positive int."""
    refused("invalid_weights", lambda: split(CNY1, n))


@pytest.mark.parametrize("other", [1, Decimal(1), "1", None], ids=repr)
def test_adding_a_non_money_is_refused(other: Any) -> None:
    """Only Money adds to Money; an int other than a leading 0 is not_money."""
    refused("not_money", lambda: CNY1 + other)
    refused("not_money", lambda: other + CNY1)


@pytest.mark.parametrize("factor", [Decimal("1.5"), Fraction(1, 2), True, "2"], ids=repr)
def test_multiplying_by_a_non_int_is_refused(factor: Any) -> None:
    """Money multiplies only by an int; rates go through Rate.apply."""
    refused("invalid_factor", lambda: CNY1 * factor)


@pytest.mark.parametrize(
    "value",
    ["abc", "1/0", "5%%", "", Decimal("NaN"), Decimal("1e99"), True, None, "1" * 65],
    ids=repr,
)
def test_junk_rates_are_refused(value: Any) -> None:
    """A rate that cannot be read exactly is invalid_rate."""
    refused("invalid_rate", lambda: Rate(value))


def test_rate_apply_needs_money() -> None:
    """Applying a rate to a bare number is not_money."""
    refused("not_money", lambda: Rate("5%").apply(100, rounding="half_up"))  # type: ignore[arg-type]


def test_unknown_rounding_is_refused() -> None:
    """A rounding name that is not a mode is unknown_rounding."""
    refused("unknown_rounding", lambda: Rate("5%").apply(CNY1, rounding="bankers"))


def test_division_by_zero_is_refused() -> None:
    """Rounding.divide by zero is division_by_zero, not ZeroDivisionError."""
    refused("division_by_zero", lambda: Rounding.HALF_UP.divide(1, 0))


@pytest.mark.parametrize("text", ["１２.３４", "١٢", "12.３"])
def test_only_ascii_digits_make_an_amount(text: str) -> None:
    """Full-width and other non-ASCII digits are refused, not read as an amount."""
    refused("invalid_amount", lambda: Money.parse(text))


def test_rates_multiply_and_sum_from_either_side() -> None:
    """An int times a rate and sum() over rates work like their mirror images."""
    assert 2 * Rate("5%") == Rate("5%") * 2 == Rate("10%")
    assert sum([Rate("1%"), Rate("2%")]) == Rate("3%")


def test_split_refuses_absurd_part_counts() -> None:
    """split() refuses more parts than any order could have, instead of building them."""
    refused("invalid_weights", lambda: split(Money(100), 10**9))
