"""Pricing: quotes per second for a 10-line cart with 4 stacked discounts, against baselines.

The stack is an item-level member rate, an order-level 每满100减10, a no-threshold coupon and
points capped at 50% (with a free-shipping threshold over a shipping fee and a 60% share cap);
every order-level discount is spread over the ten lines (``benchmarks/carts.py``). The same cart
is priced in the same run by a plain ``decimal.Decimal`` implementation with dataclass results
(``decimal_cart``) and by the int floor (``int_floor_cart``), which
``tests/pricing/test_baselines.py`` checks give the library's figures; the runner prints the
ratios. ``one_line_member`` is the group decider's call: one member's order with two coupons.

Run with ``python -m benchmarks pricing`` (or this module alone).
"""

from __future__ import annotations

from benchmarks import Benchmark, Ratio
from benchmarks.baseline_decimal import DecimalQuote, decimal_cart, quote_decimal
from benchmarks.baseline_int import IntQuote, quote_int
from benchmarks.carts import BENCH_CART, CAMPAIGN, library_inputs, library_quote
from tuangou_core.money import Money
from tuangou_core.pricing import Quote, quote_member

_LINES, _CONTEXT = library_inputs(BENCH_CART)
_DECIMAL_CART = decimal_cart(BENCH_CART)
_UNIT = Money(7000)


def _cart() -> Quote:
    return library_quote(_LINES, _CONTEXT)


def _decimal() -> DecimalQuote:
    return quote_decimal(_DECIMAL_CART)


def _int_floor() -> IntQuote:
    return quote_int(BENCH_CART)


def _member() -> Quote:
    return quote_member(CAMPAIGN, unit_price=_UNIT, qty=2, coupon_ids=("m50", "c10"))


BENCHMARKS = [
    Benchmark("cart_10_lines_4_discounts", _cart, "quote"),
    Benchmark("decimal_cart", _decimal, "quote (Decimal baseline)"),
    Benchmark("int_floor_cart", _int_floor, "quote (int floor)"),
    Benchmark("one_line_member", _member, "quote"),
]

RATIOS = [
    Ratio("cart_10_lines_4_discounts", "decimal_cart"),
    Ratio("cart_10_lines_4_discounts", "int_floor_cart"),
]


if __name__ == "__main__":
    from benchmarks.__main__ import main

    raise SystemExit(main(["pricing"]))
