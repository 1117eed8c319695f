"""A plain ``decimal.Decimal`` implementation of the benchmark cart's rules, dataclass results.

What a careful engineer writes without the library: amounts as ``Decimal`` yuan quantized to
the cent, percentages rounded half up with ``quantize``, an order discount spread over the lines
by largest remainder, frozen slotted dataclasses for the lines, the steps and the quote, and a
note and a reason for every trimmed or skipped discount, as the library gives. Its figures are
the library's, checked by ``tests/pricing/test_baselines.py``; the pricing benchmark prints
the library's rate against it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import NamedTuple

from benchmarks.carts import Cart

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
VIP_RATE = Decimal("0.05")
M100_THRESHOLD = Decimal("100.00")
M100_AMOUNT = Decimal("10.00")
C10_AMOUNT = Decimal("10.00")
POINTS_PER_YUAN = 100
POINTS_SHARE = Decimal("0.5")
SHIP_THRESHOLD = Decimal("99.00")
MAX_SHARE = Decimal("0.6")
FLOOR = Decimal("0.01")


class DecimalCart(NamedTuple):
    """A cart in this implementation's own terms: prices as ``Decimal`` yuan."""

    lines: tuple[tuple[str, int, Decimal, Decimal], ...]
    member: bool
    coupon: bool
    points_balance: int
    shipping_fee: Decimal | None


def decimal_cart(cart: Cart) -> DecimalCart:
    """*cart* with its prices as ``Decimal`` yuan (built once, outside any timed loop)."""
    lines = tuple(
        (sku, qty, Decimal(unit).scaleb(-2), Decimal(listed).scaleb(-2))
        for sku, qty, unit, listed in cart.lines
    )
    fee = None if cart.shipping_fee is None else Decimal(cart.shipping_fee).scaleb(-2)
    return DecimalCart(lines, cart.member, cart.coupon, cart.points_balance, fee)


@dataclass(frozen=True, slots=True)
class DecimalLine:
    """A priced line."""

    sku: str
    qty: int
    list_price: Decimal
    unit_price: Decimal
    list_total: Decimal
    base: Decimal
    total: Decimal
    shipping: bool = False


@dataclass(frozen=True, slots=True)
class DecimalStep:
    """One discount as applied, with its share of each line."""

    kind: str
    name: str
    rule: str
    funder: str
    amount: Decimal
    shares: tuple[Decimal, ...]
    phase: str
    note: str = ""
    points: int = 0


@dataclass(frozen=True, slots=True)
class DecimalQuote:
    """The quote: every step from the list price to the amount due."""

    currency: str
    list_total: Decimal
    base: Decimal
    steps: tuple[DecimalStep, ...]
    lines: tuple[DecimalLine, ...]
    total: Decimal
    skipped: tuple[tuple[str, str], ...]


def allocate(amount: Decimal, weights: list[Decimal]) -> list[Decimal]:
    """*amount* over *weights* to the cent, largest remainder first, ties to the earlier."""
    whole = sum(weights, ZERO)
    products = [amount * weight for weight in weights]
    parts = [(product / whole).quantize(CENT, rounding=ROUND_DOWN) for product in products]
    # Rank by the exact remainders (over the same *whole*): a rounded quotient keeps more
    # fraction digits for a smaller share and would break ties the wrong way.
    remainders = [product - part * whole for product, part in zip(products, parts, strict=True)]
    leftover = int((amount - sum(parts, ZERO)) / CENT)
    order = sorted(range(len(parts)), key=remainders.__getitem__, reverse=True)
    for index in order[:leftover]:
        parts[index] += CENT
    return parts


class _Pricing:
    """One run over the cart: the running amount of each line, the steps, what was skipped."""

    def __init__(self, cart: DecimalCart) -> None:
        self.cart = cart
        self.goods = len(cart.lines)
        self.units = [unit for _, _, unit, _ in cart.lines]
        self.listed = [listed for _, _, _, listed in cart.lines]
        self.list_totals = [
            p * qty for p, (_, qty, _, _) in zip(self.listed, cart.lines, strict=True)
        ]
        self.base = [p * qty for p, (_, qty, _, _) in zip(self.units, cart.lines, strict=True)]
        self.running = list(self.base)
        self.room = (sum(self.base, ZERO) * MAX_SHARE).quantize(CENT, rounding=ROUND_DOWN)
        self.steps: list[DecimalStep] = []
        self.skipped: list[tuple[str, str]] = []
        # The shipping line comes last when there is a fee: the goods' steps take nothing of it.
        self.pad = (ZERO,) if cart.shipping_fee else ()

    def goods_left(self) -> Decimal:
        return sum(self.running[: self.goods], ZERO)

    def limit(self, face: Decimal, raw: Decimal) -> tuple[Decimal, list[str]]:
        """What a discount may take of *raw* under the share cap and the floor, and why not
        more."""
        reasons = [] if face == raw else ["no more than the amount left"]
        limit = raw
        if self.room < limit:
            limit = max(self.room, ZERO)
            reasons.append("total discount share cap")
        above_floor = self.goods_left() - FLOOR
        if above_floor < limit:
            limit = max(above_floor, ZERO)
            reasons.append(f"floor {FLOOR}")
        return limit, reasons

    def take(
        self,
        spec: tuple[str, str, str, str, str],
        shares: list[Decimal],
        face: Decimal,
        why: str,
        points_per_yuan: int = 0,
    ) -> None:
        """Apply a discount of *shares* (trimmed by the cap and floor), or skip it."""
        kind, name, rule, funder, phase = spec
        raw = sum(shares, ZERO)
        if not raw:
            self.skipped.append((name, why))
            return
        limit, reasons = self.limit(face, raw)
        if limit <= 0:
            self.skipped.append((name, f"{reasons[-1]} reached"))
            return
        note = f"{reasons[-1]}: {face} trimmed to {limit}" if reasons else ""
        if limit != raw:
            shares = allocate(limit, shares)
        self.running = [left - share for left, share in zip(self.running, shares, strict=True)]
        self.room -= limit
        points = int((limit * points_per_yuan).to_integral_value(rounding=ROUND_CEILING))
        self.steps.append(
            DecimalStep(kind, name, rule, funder, limit, (*shares, *self.pad), phase, note, points)
        )

    def spread(self, take: Decimal) -> list[Decimal]:
        left = self.goods_left()
        if take <= 0 or not left:
            return [ZERO] * len(self.running)
        return allocate(min(take, left), list(self.running))


def quote_decimal(cart: DecimalCart) -> DecimalQuote:
    """The cart priced: group price, vip, m100, the coupon, points, free shipping."""
    run = _Pricing(cart)
    group = [a - b for a, b in zip(run.list_totals, run.base, strict=True)]
    if any(group):
        run.steps.append(
            DecimalStep(
                "group_price",
                "group price",
                "group price below list",
                "merchant",
                sum(group, ZERO),
                (*group, *run.pad),
                "price",
            )
        )
    vip = ("percent_off", "vip", "5% off", "merchant", "item")
    if not cart.member:
        run.skipped.append(("vip", "members only"))
    else:
        takes = [(left * VIP_RATE).quantize(CENT, rounding=ROUND_HALF_UP) for left in run.running]
        shares = [min(take, left) for take, left in zip(takes, run.running, strict=True)]
        run.take(vip, shares, sum(takes, ZERO), "takes nothing here")
    left = run.goods_left()
    take = M100_AMOUNT * int(left / M100_THRESHOLD) if left >= M100_THRESHOLD else ZERO
    m100 = ("threshold", "m100", "每满100减10", "merchant", "order")
    run.take(m100, run.spread(take), take, f"below the threshold {M100_THRESHOLD}")
    if cart.coupon:
        c10 = ("amount_off", "c10", "无门槛10", "platform", "order")
        run.take(c10, run.spread(C10_AMOUNT), C10_AMOUNT, "takes nothing here")
    value = (Decimal(cart.points_balance) / POINTS_PER_YUAN).quantize(CENT, rounding=ROUND_DOWN)
    cap = (run.goods_left() * POINTS_SHARE).quantize(CENT, rounding=ROUND_DOWN)
    take = min(value, cap)
    points = ("points", "points", "100积分抵1, ≤50%", "platform", "points")
    run.take(points, run.spread(take), take, "no points to redeem", POINTS_PER_YUAN)
    lines = [
        DecimalLine(sku, qty, listed, unit, list_total, base, total)
        for (sku, qty, _, _), listed, unit, list_total, base, total in zip(
            cart.lines, run.listed, run.units, run.list_totals, run.base, run.running, strict=True
        )
    ]
    fee = ZERO if cart.shipping_fee is None else cart.shipping_fee
    if not fee:
        run.skipped.append(("ship", "no shipping fee"))
    else:
        total = fee
        if run.goods_left() < SHIP_THRESHOLD:
            run.skipped.append(("ship", f"below the threshold {SHIP_THRESHOLD}"))
        else:
            to_fee = (*(ZERO,) * run.goods, fee)
            ship = DecimalStep(
                "free_shipping", "ship", "满99包邮", "merchant", fee, to_fee, "shipping"
            )
            run.steps.append(ship)
            total = ZERO
        run.list_totals.append(fee)
        run.base.append(fee)
        lines.append(DecimalLine("shipping", 1, fee, fee, fee, fee, total, shipping=True))
    return DecimalQuote(
        "CNY",
        sum(run.list_totals, ZERO),
        sum(run.base, ZERO),
        tuple(run.steps),
        tuple(lines),
        sum((line.total for line in lines), ZERO),
        tuple(run.skipped),
    )
