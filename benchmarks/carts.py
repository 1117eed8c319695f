"""The benchmark cart's rules, carts as plain data, and the library's quote of them.

The pricing benchmark times the library against two baselines of the same rules (a plain
``decimal.Decimal`` implementation with dataclass results, ``baseline_decimal``; and the same
arithmetic on plain ints and lists, ``baseline_int``). All three take a :class:`Cart`, and all
three must give the same figures: ``tests/pricing/test_baselines.py`` checks it on the benchmark
cart and on a few thousand random carts (:func:`random_cart`), so a ratio printed by the
benchmark compares implementations of one thing, not of two.

The rules are the benchmark cart's: a campaign with a no-threshold coupon ``c10`` (10 off, paid
by the platform), offers ``vip`` (members: 5% off each line, item phase), ``m100`` (每满100减10
on the order), ``points`` (100 points a yuan, at most 50% of the order, paid by the platform)
and ``ship`` (满99包邮), under a policy that caps the discounts at 60% of the order's base, keeps
an order at 0.01 or more, and rounds half up.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import NamedTuple

from tuangou_core.campaign import Campaign
from tuangou_core.money import Money
from tuangou_core.pricing import Context, Discount, Line, Quote, StackingPolicy, quote

CAMPAIGN = Campaign.build(
    {"id": "bench", "list_price": "100.00", "rule": "fixed", "size": 5, "price": "70.00"},
    coupons=[
        {"id": "c10", "kind": "amount_off", "amount": "10", "funded_by": "platform"},
        {"id": "m50", "kind": "threshold", "threshold": "50", "amount": "5"},
    ],
)
OFFERS = [  # a list, as a caller passes them
    Discount("vip", "percent_off", phase="item", percent="5%", audience="member"),
    Discount("m100", "threshold", threshold=Money(10000), amount=Money(1000), repeat=True),
    Discount("points", "points", points_per_unit=100, percent="50%", funder="platform"),
    Discount("ship", "free_shipping", threshold=Money(9900)),
]
POLICY = StackingPolicy(max_discount_share="60%")


class Cart(NamedTuple):
    """A cart as plain data: lines of (sku, qty, unit price, list price) in fen, and who buys.

    ``shipping_fee`` is in fen, or None for an order without one.
    """

    lines: tuple[tuple[str, int, int, int], ...]
    member: bool = True
    coupon: bool = True
    points_balance: int = 5_000
    shipping_fee: int | None = 800


BENCH_CART = Cart(
    tuple((f"sku{i}", 1 + i % 3, 1999 + 731 * i, 2999 + 731 * i) for i in range(10)),
)


def library_inputs(cart: Cart) -> tuple[list[Line], Context]:
    """The library's lines and context for *cart* (built once, outside any timed loop)."""
    lines = [Line(sku, qty, Money(unit), Money(listed)) for sku, qty, unit, listed in cart.lines]
    fee = None if cart.shipping_fee is None else Money(cart.shipping_fee)
    context = Context(
        member=cart.member,
        coupons=["c10"] if cart.coupon else [],
        points_balance=cart.points_balance,
        shipping_fee=fee,
    )
    return lines, context


def library_quote(lines: Sequence[Line], context: Context) -> Quote:
    """The library's quote of the cart: what the benchmark times."""
    return quote(lines, CAMPAIGN, context, POLICY, offers=OFFERS)


def random_cart(rng: random.Random) -> Cart:
    """A cart that reaches every branch of the rules: tiny orders the share cap trims, large
    ones several 满减 apply to, no points or no fee, lines at their list price."""
    size = rng.randint(1, 12)
    scale = rng.choice((1, 50, 1_000, 10_000, 40_000))
    lines = []
    for i in range(size):
        unit = rng.randint(1, scale)
        listed = unit + rng.choice((0, 0, rng.randint(1, scale)))
        if size == 1 and listed == CAMPAIGN.list_price.minor:
            listed += 1  # one line at the campaign's list price names its group rule instead
        lines.append((f"s{i}", rng.randint(1, 4), unit, listed))
    return Cart(
        tuple(lines),
        member=rng.random() < 0.7,
        coupon=rng.random() < 0.7,
        points_balance=rng.choice((0, 1, 99, 5_000, rng.randint(0, 100_000))),
        shipping_fee=rng.choice((None, 0, 1, 800, 1_200)),
    )
