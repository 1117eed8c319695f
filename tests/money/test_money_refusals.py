"""Every refusal of the money core, exactly: its class, code, message and fields.

An error is the API a backend maps and a person reads; each case pins all of it, so that a
changed message, a dropped field or a loosened bound is a failing test (mutation testing found
these unpinned: docs/testing.md).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal as D
from fractions import Fraction as F

import pytest

from tuangou_core.errors import TuangouError
from tuangou_core.money import Currency, Money, Rate, allocate, allocate_minor, split
from tuangou_core.money import Rounding as R

REFUSALS: list[tuple[str, Callable[[], object], str]] = [
    (
        "Money(1.5)",
        lambda: Money(1.5),
        "InvalidInput('float_refused', 'Money.minor must not be a float (got 1.5); pass a decimal string or Decimal', field='Money.minor', value=1.5)",
    ),
    (
        "Money('5')",
        lambda: Money("5"),
        "InvalidInput('invalid_amount', 'Money.minor must be an int, got str', field='Money.minor', value='str')",
    ),
    (
        "Money(True)",
        lambda: Money(True),
        "InvalidInput('invalid_amount', 'Money.minor must be an int, got bool', field='Money.minor', value=True)",
    ),
    (
        "Money(10**15)",
        lambda: Money(10**15),
        "InvalidInput('amount_out_of_range', 'amount of 1000000000000000 minor units is beyond the bound of ±999999999999999', field='Money.minor', value=1000000000000000)",
    ),
    (
        "Money(-(10**15))",
        lambda: Money(-(10**15)),
        "InvalidInput('amount_out_of_range', 'amount of -1000000000000000 minor units is beyond the bound of ±999999999999999', field='Money.minor', value=-1000000000000000)",
    ),
    (
        "Money(10**100)",
        lambda: Money(10**100),
        "InvalidInput('amount_out_of_range', 'amount of <int of 333 bits> minor units is beyond the bound of ±999999999999999', field='Money.minor', value='<int of 333 bits>')",
    ),
    (
        "Money(5, 'XXX')",
        lambda: Money(5, "XXX"),
        "InvalidInput('unknown_currency', \"currency must be an ISO 4217 code (CNY, EUR, GBP, HKD, JPY, KRW, KWD, MOP, MYR, SGD, THB, TWD, USD), got 'XXX'\", field='currency', value='XXX')",
    ),
    (
        "Money.parse('abc')",
        lambda: Money.parse("abc"),
        "InvalidInput('invalid_amount', \"amount must be a decimal string like '12.34', got 'abc'\", field='amount', value='abc')",
    ),
    (
        "Money.parse('1e5')",
        lambda: Money.parse("1e5"),
        "InvalidInput('invalid_amount', \"amount must be a decimal string like '12.34', got '1e5'\", field='amount', value='1e5')",
    ),
    (
        "Money.parse(1.5)",
        lambda: Money.parse(1.5),
        "InvalidInput('float_refused', 'amount must not be a float (got 1.5); pass a decimal string or Decimal', field='amount', value=1.5)",
    ),
    (
        "Money.parse(True)",
        lambda: Money.parse(True),
        "InvalidInput('invalid_amount', 'amount must be an int, got bool', field='amount', value=True)",
    ),
    (
        "Money.parse(None)",
        lambda: Money.parse(None),
        "InvalidInput('invalid_amount', 'amount must be a decimal string, Decimal or int, got NoneType', field='amount', value='NoneType')",
    ),
    (
        "Money.parse(D('NaN'))",
        lambda: Money.parse(D("NaN")),
        "InvalidInput('invalid_amount', 'amount must be finite, got NaN', field='amount', value='NaN')",
    ),
    (
        "Money.parse(D('1e15'))",
        lambda: Money.parse(D("1e15")),
        "InvalidInput('amount_out_of_range', 'amount of 100000000000000000 minor units is beyond the bound of ±999999999999999', field='Money.minor', value=100000000000000000)",
    ),
    (
        "Money.parse(D('1e16'))",
        lambda: Money.parse(D("1e16")),
        "InvalidInput('amount_out_of_range', 'amount 1.000000e+16 is beyond the bound of ±999999999999999 minor units', field='amount', value='1.000000e+16')",
    ),
    (
        "Money.parse('12.345')",
        lambda: Money.parse("12.345"),
        "InvalidInput('too_precise', 'amount 12.345 has more than 2 fraction digits for CNY; pass a rounding mode to round it', field='amount', value='12.345')",
    ),
    (
        "Money.parse('1' * 90)",
        lambda: Money.parse("1" * 90),
        "InvalidInput('invalid_amount', \"amount must be a decimal string like '12.34', got '11111111111111111111111111111111111111111111111111111111111111111111111111111111…'\", field='amount', value='11111111111111111111111111111111111111111111111111111111111111111111111111111111…')",
    ),
    (
        "Money.parse(10**13)",
        lambda: Money.parse(10**13),
        "InvalidInput('amount_out_of_range', 'amount of 1000000000000000 minor units is beyond the bound of ±999999999999999', field='Money.minor', value=1000000000000000)",
    ),
    (
        "Money.parse('1', 'JPX')",
        lambda: Money.parse("1", "JPX"),
        "InvalidInput('unknown_currency', \"currency must be an ISO 4217 code (CNY, EUR, GBP, HKD, JPY, KRW, KWD, MOP, MYR, SGD, THB, TWD, USD), got 'JPX'\", field='currency', value='JPX')",
    ),
    (
        "Money(1) + Money(1, 'USD')",
        lambda: Money(1) + Money(1, "USD"),
        "InvalidInput('currency_mismatch', 'cannot add USD and CNY amounts', field='currency', value='USD')",
    ),
    (
        "Money(1) - Money(1, 'USD')",
        lambda: Money(1) - Money(1, "USD"),
        "InvalidInput('currency_mismatch', 'cannot subtract USD and CNY amounts', field='currency', value='USD')",
    ),
    (
        "Money(1) + 1",
        lambda: Money(1) + 1,
        "InvalidInput('not_money', 'cannot add Money and int; wrap amounts in Money', field='other', value='int')",
    ),
    (
        "Money(1) + 1.5",
        lambda: Money(1) + 1.5,
        "InvalidInput('float_refused', 'amount must not be a float (got 1.5); pass a decimal string or Decimal', field='amount', value=1.5)",
    ),
    (
        "Money(1) < 1",
        lambda: Money(1) < 1,
        "InvalidInput('not_money', 'cannot compare Money and int; wrap amounts in Money', field='other', value='int')",
    ),
    (
        "Money(1) <= 1",
        lambda: Money(1) <= 1,
        "InvalidInput('not_money', 'cannot compare Money and int; wrap amounts in Money', field='other', value='int')",
    ),
    (
        "Money(1) > 1",
        lambda: Money(1) > 1,
        "InvalidInput('not_money', 'cannot compare Money and int; wrap amounts in Money', field='other', value='int')",
    ),
    (
        "Money(1) >= 1",
        lambda: Money(1) >= 1,
        "InvalidInput('not_money', 'cannot compare Money and int; wrap amounts in Money', field='other', value='int')",
    ),
    (
        "1 + Money(1)",
        lambda: 1 + Money(1),
        "InvalidInput('not_money', 'cannot add Money and int; wrap amounts in Money', field='other', value='int')",
    ),
    (
        "Money(1) * 1.5",
        lambda: Money(1) * 1.5,
        "InvalidInput('float_refused', 'a factor must not be a float (got 1.5); pass a decimal string or Decimal', field='a factor', value=1.5)",
    ),
    (
        "Money(1) * D(2)",
        lambda: Money(1) * D(2),
        "InvalidInput('invalid_factor', 'Money multiplies only by int, got Decimal; use Rate.apply(amount, rounding=...) for rates', field='factor', value='Decimal')",
    ),
    (
        "Rate(1.5)",
        lambda: Rate(1.5),
        "InvalidInput('float_refused', \"rate must not be a float (got 1.5); pass a string like '0.006' or '5%'\", field='rate', value=1.5)",
    ),
    (
        "Rate(True)",
        lambda: Rate(True),
        "InvalidInput('invalid_rate', 'rate must be a number, got a bool', field='rate', value=True)",
    ),
    (
        "Rate('abc')",
        lambda: Rate("abc"),
        "InvalidInput('invalid_rate', \"rate must be like '0.006', '5%' or '1/3', got 'abc'\", field='rate', value='abc')",
    ),
    (
        "Rate('1/0')",
        lambda: Rate("1/0"),
        "InvalidInput('invalid_rate', 'rate divides by zero', field='rate', value='1/0')",
    ),
    (
        "Rate(None)",
        lambda: Rate(None),
        "InvalidInput('invalid_rate', 'rate must be a string, Decimal, Fraction or int, got NoneType', field='rate', value='NoneType')",
    ),
    (
        "Rate(D('NaN'))",
        lambda: Rate(D("NaN")),
        "InvalidInput('invalid_rate', 'rate must be a finite, sensible number', field='rate', value='NaN')",
    ),
    (
        "Rate(D('1e31'))",
        lambda: Rate(D("1e31")),
        "InvalidInput('invalid_rate', 'rate must be a finite, sensible number', field='rate', value='1E+31')",
    ),
    (
        "Rate(D('1e-31'))",
        lambda: Rate(D("1e-31")),
        "InvalidInput('invalid_rate', 'rate must be a finite, sensible number', field='rate', value='1E-31')",
    ),
    (
        "Rate(F(1, 10**40))",
        lambda: Rate(F(1, 10**40)),
        "InvalidInput('invalid_rate', 'rate must have at most 40 digits above and below its fraction bar', field='rate', value='<Fraction>')",
    ),
    (
        "Rate(10**40)",
        lambda: Rate(10**40),
        "InvalidInput('invalid_rate', 'rate must have at most 40 digits above and below its fraction bar', field='rate', value='<Fraction>')",
    ),
    (
        "Rate('1' * 70)",
        lambda: Rate("1" * 70),
        "InvalidInput('invalid_rate', \"rate must be like '0.006', '5%' or '1/3', got '1111111111111111111111111111111111111111111111111111111111111111111111'\", field='rate', value='1111111111111111111111111111111111111111111111111111111111111111111111')",
    ),
    (
        "Rate(1).as_decimal(-1)",
        lambda: Rate(1).as_decimal(-1),
        "InvalidInput('invalid_places', 'places must be a whole number from 0 to 100, got -1', field='places', value=-1)",
    ),
    (
        "Rate(1).as_decimal(101)",
        lambda: Rate(1).as_decimal(101),
        "InvalidInput('invalid_places', 'places must be a whole number from 0 to 100, got 101', field='places', value=101)",
    ),
    (
        "Rate(1).as_decimal(True)",
        lambda: Rate(1).as_decimal(True),
        "InvalidInput('invalid_places', 'places must be a whole number from 0 to 100, got True', field='places', value='bool')",
    ),
    (
        "Rate(1).apply(5, rounding='half_up')",
        lambda: Rate(1).apply(5, rounding="half_up"),
        "InvalidInput('not_money', 'a rate applies only to Money, got int', field='amount', value='int')",
    ),
    (
        "R.HALF_UP.divide(1, 0)",
        lambda: R.HALF_UP.divide(1, 0),
        "InvalidInput('division_by_zero', 'cannot divide an amount by zero', field='denominator', value=0)",
    ),
    (
        "R.HALF_UP.divide(1.5, 2)",
        lambda: R.HALF_UP.divide(1.5, 2),
        "InvalidInput('float_refused', 'numerator must not be a float (got 1.5); pass a decimal string or Decimal', field='numerator', value=1.5)",
    ),
    (
        "R.HALF_UP.divide('1', 2)",
        lambda: R.HALF_UP.divide("1", 2),
        "InvalidInput('invalid_amount', 'numerator must be an int, got str', field='numerator', value='str')",
    ),
    (
        "R.HALF_UP.divide(True, 1)",
        lambda: R.HALF_UP.divide(True, 1),
        "InvalidInput('invalid_amount', 'numerator must be an int, got bool', field='numerator', value=True)",
    ),
    (
        "R.HALF_UP.divide(1, 2.0)",
        lambda: R.HALF_UP.divide(1, 2.0),
        "InvalidInput('float_refused', 'denominator must not be a float (got 2.0); pass a decimal string or Decimal', field='denominator', value=2.0)",
    ),
    (
        "R.HALF_UP.round('x')",
        lambda: R.HALF_UP.round("x"),
        "InvalidInput('invalid_amount', 'value to round must be a Fraction, Decimal or int, got str', field='value', value='x')",
    ),
    (
        "R.HALF_UP.round(1.5)",
        lambda: R.HALF_UP.round(1.5),
        "InvalidInput('float_refused', 'value must not be a float (got 1.5); pass a decimal string or Decimal', field='value', value=1.5)",
    ),
    (
        "R.HALF_UP.round(D('NaN'))",
        lambda: R.HALF_UP.round(D("NaN")),
        "InvalidInput('invalid_amount', 'value to round must be finite and within 10**±64, got NaN', field='value', value='NaN')",
    ),
    (
        "R.HALF_UP.round(D('1e65'))",
        lambda: R.HALF_UP.round(D("1e65")),
        "InvalidInput('invalid_amount', 'value to round must be finite and within 10**±64, got 1E+65', field='value', value='1E+65')",
    ),
    (
        "R.HALF_UP.round(D('1e-65'))",
        lambda: R.HALF_UP.round(D("1e-65")),
        "InvalidInput('invalid_amount', 'value to round must be finite and within 10**±64, got 1E-65', field='value', value='1E-65')",
    ),
    (
        "R.HALF_UP.round(F(10**64, 3))",
        lambda: R.HALF_UP.round(F(10**64, 3)),
        "InvalidInput('invalid_amount', 'value to round must have at most 64 digits', field='value', value='Fraction')",
    ),
    (
        "R.HALF_UP.round(F(3, 10**64))",
        lambda: R.HALF_UP.round(F(3, 10**64)),
        "InvalidInput('invalid_amount', 'value to round must have at most 64 digits', field='value', value='Fraction')",
    ),
    (
        "R.HALF_UP.round(10**64)",
        lambda: R.HALF_UP.round(10**64),
        "InvalidInput('invalid_amount', 'value to round must have at most 64 digits', field='value', value='int')",
    ),
    (
        "R.HALF_UP.round(-(10**64))",
        lambda: R.HALF_UP.round(-(10**64)),
        "InvalidInput('invalid_amount', 'value to round must have at most 64 digits', field='value', value='int')",
    ),
    (
        "R.parse('sideways')",
        lambda: R.parse("sideways"),
        "InvalidInput('unknown_rounding', \"rounding must be one of half_up, half_even, half_down, up, down, ceiling, floor, got 'sideways'\", field='rounding', value='sideways')",
    ),
    (
        "R.parse(5)",
        lambda: R.parse(5),
        "InvalidInput('unknown_rounding', 'rounding must be a Rounding or its name, got int', field='rounding', value='int')",
    ),
    (
        "allocate(5, [1])",
        lambda: allocate(5, [1]),
        "InvalidInput('not_money', 'allocate needs a Money total, got int', field='total', value='int')",
    ),
    (
        "allocate(Money(5), 'ab')",
        lambda: allocate(Money(5), "ab"),
        "InvalidInput('invalid_weights', 'weights must be a sequence of numbers, got str', field='weights', value='str')",
    ),
    (
        "allocate(Money(5), 5)",
        lambda: allocate(Money(5), 5),
        "InvalidInput('invalid_weights', 'weights must be a sequence of numbers, got int', field='weights', value='int')",
    ),
    (
        "allocate(Money(5), {1: 2})",
        lambda: allocate(Money(5), {1: 2}),
        "InvalidInput('invalid_weights', 'weights must be a sequence of numbers, got dict', field='weights', value='dict')",
    ),
    (
        "allocate(Money(5), [])",
        lambda: allocate(Money(5), []),
        "InvalidInput('invalid_weights', 'cannot allocate over no weights', field='weights', value=0)",
    ),
    (
        "allocate(Money(5), [-1, 2])",
        lambda: allocate(Money(5), [-1, 2]),
        "InvalidInput('invalid_weights', 'weights[0] is negative (-1)', field='weights[0]', value='-1')",
    ),
    (
        "allocate(Money(5), [1, D(-1)])",
        lambda: allocate(Money(5), [1, D(-1)]),
        "InvalidInput('invalid_weights', 'weights[1] is negative (-1)', field='weights[1]', value='-1')",
    ),
    (
        "allocate(Money(5), [0, 0])",
        lambda: allocate(Money(5), [0, 0]),
        "InvalidInput('invalid_weights', 'cannot allocate over weights that are all zero', field='weights', value=2)",
    ),
    (
        "allocate(Money(5), [1.5])",
        lambda: allocate(Money(5), [1.5]),
        "InvalidInput('float_refused', \"weights[0] must not be a float (got 1.5); pass a string like '0.006' or '5%'\", field='weights[0]', value=1.5)",
    ),
    (
        "allocate(Money(5), [1] * 100_001)",
        lambda: allocate(Money(5), [1] * 100_001),
        "InvalidInput('invalid_weights', 'cannot allocate over more than 100000 weights', field='weights', value=100001)",
    ),
    (
        "allocate_minor(5, [0, 0])",
        lambda: allocate_minor(5, [0, 0]),
        "InvalidInput('invalid_weights', 'cannot allocate over weights that are all zero', field='weights', value=2)",
    ),
    (
        "allocate_minor(5, [1, -1])",
        lambda: allocate_minor(5, [1, -1]),
        "InvalidInput('invalid_weights', 'weights[1] is negative (-1)', field='weights[1]', value='-1')",
    ),
    (
        "allocate_minor(5, [F(1, 2)])",
        lambda: allocate_minor(5, [F(1, 2)]),
        "InvalidInput('invalid_weights', 'allocate_minor weights must be ints; use allocate for Decimal or Fraction weights', field='weights', value='list')",
    ),
    (
        "allocate_minor('5', [1])",
        lambda: allocate_minor("5", [1]),
        "InvalidInput('invalid_amount', 'Money.minor must be an int, got str', field='Money.minor', value='str')",
    ),
    (
        "allocate_minor(10**15, [1])",
        lambda: allocate_minor(10**15, [1]),
        "InvalidInput('amount_out_of_range', 'amount of 1000000000000000 minor units is beyond the bound of ±999999999999999', field='Money.minor', value=1000000000000000)",
    ),
    (
        "allocate_minor(5, [1] * 100_001)",
        lambda: allocate_minor(5, [1] * 100_001),
        "InvalidInput('invalid_weights', 'cannot allocate over more than 100000 weights', field='weights', value=100001)",
    ),
    # The everyday path checks each weight inside the rule's own loop: whatever it cannot
    # take (a bool, text, a float after an int, a signalling NaN that cannot even be summed,
    # nothing at all) is refused by name, as the careful path refuses it.
    (
        "allocate_minor(5, [1, True])",
        lambda: allocate_minor(5, [1, True]),
        "InvalidInput('invalid_rate', 'weights[1] must be a number, got a bool', field='weights[1]', value=True)",
    ),
    (
        "allocate_minor(5, [1, D('sNaN')])",
        lambda: allocate_minor(5, [1, D("sNaN")]),
        "InvalidInput('invalid_rate', 'weights[1] must be a finite, sensible number', field='weights[1]', value='sNaN')",
    ),
    (
        "allocate_minor(5, [1, '2'])",
        lambda: allocate_minor(5, [1, "2"]),
        "InvalidInput('invalid_weights', 'allocate_minor weights must be ints; use allocate for Decimal or Fraction weights', field='weights', value='list')",
    ),
    (
        "allocate_minor(5, [1, 2.0])",
        lambda: allocate_minor(5, [1, 2.0]),
        "InvalidInput('float_refused', \"weights[1] must not be a float (got 2.0); pass a string like '0.006' or '5%'\", field='weights[1]', value=2.0)",
    ),
    (
        "allocate_minor(5, [])",
        lambda: allocate_minor(5, []),
        "InvalidInput('invalid_weights', 'cannot allocate over no weights', field='weights', value=0)",
    ),
    (
        "split(Money(5), 0)",
        lambda: split(Money(5), 0),
        "InvalidInput('invalid_weights', 'split needs a whole number of parts from 1 to 100000, got 0', field='n', value=0)",
    ),
    (
        "split(Money(5), True)",
        lambda: split(Money(5), True),
        "InvalidInput('invalid_weights', 'split needs a whole number of parts from 1 to 100000, got True', field='n', value='bool')",
    ),
    (
        "split(Money(5), 100_001)",
        lambda: split(Money(5), 100_001),
        "InvalidInput('invalid_weights', 'split needs a whole number of parts from 1 to 100000, got 100001', field='n', value=100001)",
    ),
    (
        "Currency.of('XXX')",
        lambda: Currency.of("XXX"),
        "InvalidInput('unknown_currency', \"currency must be an ISO 4217 code (CNY, EUR, GBP, HKD, JPY, KRW, KWD, MOP, MYR, SGD, THB, TWD, USD), got 'XXX'\", field='currency', value='XXX')",
    ),
    (
        "Currency.of(None)",
        lambda: Currency.of(None),
        "InvalidInput('unknown_currency', 'currency must be an ISO 4217 code (CNY, EUR, GBP, HKD, JPY, KRW, KWD, MOP, MYR, SGD, THB, TWD, USD), got None', field='currency', value=None)",
    ),
]


@pytest.mark.parametrize(
    ("call", "expected"), [r[1:] for r in REFUSALS], ids=[r[0] for r in REFUSALS]
)
def test_each_refusal_is_exactly_this_error(call: Callable[[], object], expected: str) -> None:
    """The refusal is this class, code, message and these fields, and nothing else."""
    with pytest.raises(TuangouError) as caught:
        call()
    assert repr(caught.value) == expected
    assert caught.value.fields.get("field")  # every refusal names its field
