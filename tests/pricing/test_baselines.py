"""The pricing benchmark's baselines compute exactly what the library computes.

``benchmarks/bench_pricing.py`` prints the library's quote rate against a plain ``Decimal``
implementation and an int floor of the same rules; the ratios mean something only if the three
agree to the cent. They are compared here figure for figure (every line's amounts, every step's
amount, shares and points) on the benchmark cart and on a few thousand random carts; the
Decimal baseline's notes and skipped reasons too.
"""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

import pytest
from benchmarks.baseline_decimal import DecimalQuote, DecimalStep, decimal_cart, quote_decimal
from benchmarks.baseline_int import IntQuote, quote_int
from benchmarks.carts import BENCH_CART, Cart, library_inputs, library_quote, random_cart

from tuangou_core.pricing import Quote, Step

CARTS = 3_000


def _fen(value: Decimal) -> int:
    cents = value * 100
    assert cents == cents.to_integral_value(), value
    return int(cents)


def _tail(step: Step | DecimalStep) -> tuple[str, str, int]:
    return step.phase, step.note, step.points


def _library(quote: Quote) -> dict[str, Any]:
    return {
        "lines": [
            (
                line.sku,
                line.qty,
                line.list_price.minor,
                line.unit_price.minor,
                line.list_total.minor,
                line.base.minor,
                line.total.minor,
                line.shipping,
            )
            for line in quote.lines
        ],
        "steps": [
            (s.kind, s.name, s.rule, s.funder.value, s.amount.minor, s.minor_shares, *_tail(s))
            for s in quote.steps
        ],
        "totals": (quote.list_total.minor, quote.base.minor, quote.total.minor),
        "skipped": [(s.name, s.reason) for s in quote.skipped],
    }


def _decimal(quote: DecimalQuote) -> dict[str, Any]:
    return {
        "lines": [
            (
                line.sku,
                line.qty,
                *map(_fen, (line.list_price, line.unit_price, line.list_total, line.base)),
                _fen(line.total),
                line.shipping,
            )
            for line in quote.lines
        ],
        "steps": [
            (
                s.kind,
                s.name,
                s.rule,
                s.funder,
                _fen(s.amount),
                tuple(map(_fen, s.shares)),
                *_tail(s),
            )
            for s in quote.steps
        ],
        "totals": (_fen(quote.list_total), _fen(quote.base), _fen(quote.total)),
        "skipped": list(quote.skipped),
    }


def _int_figures(quote: IntQuote) -> tuple[Any, ...]:
    list_totals, base, running, steps, total = quote
    n = len(running)
    padded = [
        (name, tuple(shares) + (0,) * (n - len(shares)), points) for name, shares, points in steps
    ]
    return list_totals, base, running, padded, total


def _library_int_figures(quote: Quote) -> tuple[Any, ...]:
    return (
        [line.list_total.minor for line in quote.lines],
        [line.base.minor for line in quote.lines],
        [line.total.minor for line in quote.lines],
        [(s.name, s.minor_shares, s.points) for s in quote.steps],
        quote.total.minor,
    )


def _check(cart: Cart) -> Quote:
    expected = library_quote(*library_inputs(cart))
    assert _decimal(quote_decimal(decimal_cart(cart))) == _library(expected), cart
    assert _int_figures(quote_int(cart)) == _library_int_figures(expected), cart
    return expected


def test_the_baselines_price_the_benchmark_cart_as_the_library_does() -> None:
    """The benchmark cart: 814.99 due after six steps, by all three."""
    quote = _check(BENCH_CART)
    assert str(quote.total) == "814.99"
    assert len(quote.steps) == 6


@pytest.mark.parametrize("seed", range(3))
def test_the_baselines_price_random_carts_as_the_library_does(seed: int) -> None:
    """Random carts (tiny to large, members or not, with or without coupon, points, fee)."""
    rng = random.Random(seed)
    for _ in range(CARTS // 3):
        _check(random_cart(rng))


def test_the_random_carts_reach_every_branch() -> None:
    """The random carts trim by the share cap, skip discounts for each reason they can have
    here and apply every discount: the comparison above is not of easy carts only."""
    rng = random.Random(0)
    notes: set[str] = set()
    skipped: set[str] = set()
    applied: set[str] = set()
    for _ in range(CARTS // 3):
        quote = library_quote(*library_inputs(random_cart(rng)))
        notes.update(s.note.split(":")[0] for s in quote.steps if s.note)
        skipped.update(f"{s.name}: {s.reason.split(':')[0]}" for s in quote.skipped)
        applied.update(s.name for s in quote.steps)
    assert "total discount share cap" in notes
    assert {"group price", "vip", "m100", "c10", "points", "ship"} <= applied
    assert {
        "vip: members only",
        "vip: takes nothing here",
        "m100: below the threshold 100.00",
        "points: no points to redeem",
        "points: total discount share cap reached",
        "ship: no shipping fee",
        "ship: below the threshold 99.00",
    } <= skipped
