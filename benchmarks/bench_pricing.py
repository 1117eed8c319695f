"""Pricing: quotes per second for a 10-line cart with 4 stacked discounts.

The stack is an item-level member rate, an order-level 每满100减10, a no-threshold coupon and
points capped at 50% (with a free-shipping threshold over a shipping fee and a 60% share cap);
every order-level discount is spread over the ten lines. ``one_line_member`` is the group
decider's call: one member's order with two coupons.

Run with ``python -m benchmarks pricing`` (or this module alone).
"""

from __future__ import annotations

from benchmarks import Benchmark
from tuangou_core.campaign import Campaign
from tuangou_core.money import Money
from tuangou_core.pricing import Context, Discount, Line, Quote, StackingPolicy, quote, quote_member

_CAMPAIGN = Campaign.build(
    {"id": "bench", "list_price": "100.00", "rule": "fixed", "size": 5, "price": "70.00"},
    coupons=[
        {"id": "c10", "kind": "amount_off", "amount": "10", "funded_by": "platform"},
        {"id": "m50", "kind": "threshold", "threshold": "50", "amount": "5"},
    ],
)
_LINES = [
    Line(f"sku{i}", 1 + i % 3, Money(1999 + 731 * i), Money(2999 + 731 * i)) for i in range(10)
]
_OFFERS = [
    Discount("vip", "percent_off", phase="item", percent="5%", audience="member"),
    Discount("m100", "threshold", threshold=Money(10000), amount=Money(1000), repeat=True),
    Discount("points", "points", points_per_unit=100, percent="50%", funder="platform"),
    Discount("ship", "free_shipping", threshold=Money(9900)),
]
_CONTEXT = Context(member=True, coupons=["c10"], points_balance=5_000, shipping_fee=Money(800))
_POLICY = StackingPolicy(max_discount_share="60%")
_UNIT = Money(7000)


def _cart() -> Quote:
    return quote(_LINES, _CAMPAIGN, _CONTEXT, _POLICY, offers=_OFFERS)


def _member() -> Quote:
    return quote_member(_CAMPAIGN, unit_price=_UNIT, qty=2, coupon_ids=("m50", "c10"))


BENCHMARKS = [
    Benchmark("cart_10_lines_4_discounts", _cart, "quote"),
    Benchmark("one_line_member", _member, "quote"),
]


if __name__ == "__main__":
    from benchmarks.__main__ import main

    raise SystemExit(main(["pricing"]))
