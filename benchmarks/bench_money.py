"""Money: the arithmetic every quote, refund and split is made of."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from benchmarks import Benchmark
from tuangou_core.money import Money, allocate

_A = Money(12_345)
_B = Money(6_789)
_TOTAL = Money.parse("9876.54")
# Uneven weights so the leftover units really are handed out by remainder.
_WEIGHTS_10 = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3]
_WEIGHTS_1000 = [(i * 7919) % 997 + 1 for i in range(1000)]
_WEIGHTS_MIXED: list[int | Decimal | Fraction] = [
    Decimal("0.25"),
    Fraction(1, 3),
    2,
    Decimal("1.5"),
    Fraction(5, 7),
] * 2
_AMOUNTS = [Money(i * 37 % 10_000) for i in range(1000)]

BENCHMARKS = [
    Benchmark("allocate_10", lambda: allocate(_TOTAL, _WEIGHTS_10), "allocation"),
    Benchmark("allocate_1000", lambda: allocate(_TOTAL, _WEIGHTS_1000), "allocation"),
    Benchmark("allocate_10_mixed", lambda: allocate(_TOTAL, _WEIGHTS_MIXED), "allocation"),
    Benchmark("add", lambda: _A + _B),
    Benchmark("sub", lambda: _A - _B),
    Benchmark("mul_int", lambda: _A * 3),
    Benchmark("parse_text", lambda: Money.parse("12.34")),
    Benchmark("parse_decimal", lambda: Money.parse(Decimal("12.34"))),
    Benchmark("sum_1000", lambda: sum(_AMOUNTS, Money.zero()), "sum of 1000"),
]
