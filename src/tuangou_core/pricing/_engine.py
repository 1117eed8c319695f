"""The engine behind :mod:`tuangou_core.pricing`: one run of the stacking rules, in minor units.

A run works on plain lists of ``int`` minor units (one entry per line, the shipping fee last
once the shipping phase adds it) and records steps and skipped discounts as tuples. It builds
no frozen value: :func:`run` returns the finished :class:`Priced`, and ``pricing`` turns that into a
``Quote`` once, at the end. What it runs, and in which order, is a memoised ``_plan``.

The public face (``Line``, ``Quote``, ``quote`` …) and the rules as a reader meets them are in
:mod:`tuangou_core.pricing` and ``docs/pricing.md``; the comments here say how, not what.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from operator import sub
from typing import Final

from tuangou_core.campaign import Campaign, Funder
from tuangou_core.errors import InvalidInput
from tuangou_core.money import Currency, Money, Rounding, allocate_minor
from tuangou_core.pricing._discounts import Audience, Base, Discount, DiscountKind, Phase, Role
from tuangou_core.pricing._offers import price_rule
from tuangou_core.pricing._plan import Unit
from tuangou_core.pricing._policy import Context, StackingPolicy

SHIPPING_SKU: Final = "shipping"

# Bound once: these are read in every loop of a run.
_ITEM: Final = Phase.ITEM
_SHIPPING: Final = Phase.SHIPPING
_PERCENT_OFF: Final = DiscountKind.PERCENT_OFF
_AMOUNT_OFF: Final = DiscountKind.AMOUNT_OFF
_THRESHOLD: Final = DiscountKind.THRESHOLD
_POINTS: Final = DiscountKind.POINTS
_ORIGINAL: Final = Base.ORIGINAL
_ANYONE: Final = Audience.ANYONE
_HALF_UP: Final = Rounding.HALF_UP
_MERCHANT: Final = Funder.MERCHANT
_BELOW_LIST: Final = ("group price", "group price below list")

# A step as a run records it: phase, kind, name, rule, funder, amount (the sum of the shares),
# shares, note, points redeemed.
StepRecord = tuple[str, str, str, str, Funder, int, list[int], str, int]


class Priced:
    """One run: its mutable state while it runs, and what it priced once finished.

    In minor units, one entry per line (the shipping fee line last, if any). ``steps`` and
    ``skipped`` are in the order they happened; a step's shares may be shorter than the lines
    when it ran before the shipping line was added (the missing shares are 0).

    ``left`` is the sum of the goods lines' running amounts, kept as each step applies, so no
    step sums the lines again; ``goods_base`` the same before any discount.
    """

    __slots__ = (
        "applied",
        "base",
        "campaign",
        "context",
        "currency",
        "floor",
        "goods",
        "goods_base",
        "left",
        "list_totals",
        "points_left",
        "policy",
        "qtys",
        "room",
        "running",
        "scale",
        "shipping_index",
        "skipped",
        "skus",
        "steps",
    )

    def __init__(
        self,
        skus: list[str],
        qtys: list[int],
        list_totals: list[int],
        base: list[int],
        campaign: Campaign,
        context: Context,
        policy: StackingPolicy,
    ) -> None:
        currency = campaign.currency
        self.campaign = campaign
        self.context = context
        self.policy = policy
        self.currency = currency
        self.scale = Currency.of(currency).scale
        self.skus = skus
        self.qtys = qtys
        self.list_totals = list_totals
        self.base = base
        self.running = list(base)
        self.goods = len(base)  # the goods lines come first; the shipping line after them
        self.goods_base = self.left = total = sum(base)
        self.steps: list[StepRecord] = []
        self.skipped: list[tuple[str, str]] = []
        self.applied: set[str] = set()
        share = policy.max_discount_share
        self.room = None if share is None else _share_of(total, share.value)
        self.floor = 0 if policy.allow_free else 1
        wanted = context.points_to_use
        self.points_left = context.points_balance if wanted is None else wanted
        self.shipping_index: int | None = None

    def targets(self, discount: Discount) -> list[int] | None:
        """The goods lines *discount* applies to, by index; None for every goods line."""
        wanted = discount.skus
        if wanted is None:
            return None
        skus = self.skus
        return [i for i in range(self.goods) if skus[i] in wanted]

    def padding(self) -> list[int]:
        """Zero shares for the lines after the goods (the shipping line, once added)."""
        return [0] * (len(self.running) - self.goods)


# -- the run ----------------------------------------------------------------------------------


def run(
    skus: list[str],
    qtys: list[int],
    list_totals: list[int],
    base: list[int],
    campaign: Campaign,
    context: Context,
    policy: StackingPolicy,
    phases: Sequence[tuple[Phase, Sequence[Unit]]],
    single: Money | None = None,
) -> Priced:
    """Price the lines (each line's sku, quantity, list total and base in minor units): the
    group price step, then each phase of *policy* with its units.

    *single* is the unit price of a one-line cart at the campaign's list price: its group
    step names the campaign's rule (``5人团 70%``) rather than "group price below list".

    The lists become the run's own: the shipping line is appended to them.

    Raises:
        InvalidInput: ``currency_mismatch`` for a shipping fee in another currency.
    """
    work = Priced(skus, qtys, list_totals, base, campaign, context, policy)
    group = list(map(sub, list_totals, base))
    if any(group):
        name, rule = _BELOW_LIST if single is None else price_rule(campaign, single, context.role)
        work.steps.append(("price", "group_price", name, rule, _MERCHANT, sum(group), group, "", 0))
        work.applied.add("group_price")
    fee = context.shipping_fee
    for phase, units in phases:
        if phase is _SHIPPING and fee is not None:
            _add_shipping(work, fee)
        for unit in units:
            if len(unit) == 1:
                _run_one(unit[0], work)
            else:
                _run_best_of(unit, work)
    return work


def _add_shipping(work: Priced, shipping_fee: Money) -> None:
    if shipping_fee.currency != work.currency:
        raise InvalidInput(
            "currency_mismatch",
            f"shipping_fee is in {shipping_fee.currency}, the campaign is in {work.currency}",
            field="shipping_fee",
            value=shipping_fee.currency,
        )
    fee = shipping_fee.minor
    if fee:
        work.shipping_index = len(work.base)
        work.base.append(fee)
        work.running.append(fee)
        work.list_totals.append(fee)
        work.qtys.append(1)
        work.skus.append(SHIPPING_SKU)


def _share_of(amount: int, share: Fraction) -> int:
    return amount * share.numerator // share.denominator


def _run_one(discount: Discount, work: Priced) -> None:
    reason = _refusal(discount, work)
    if reason is not None:
        work.skipped.append((discount.id, reason))
        return
    shares, taken, note = _evaluate(discount, work)
    if taken:
        _apply(discount, shares, taken, note, work)
    else:
        work.skipped.append((discount.id, note))


def _run_best_of(unit: Unit, work: Priced) -> None:
    """The single largest of *unit* (sorted by id), all evaluated on the same amounts.

    Ties go to the smaller id: with the candidates in id order, a later one wins only when it
    takes strictly more.
    """
    best: tuple[int, Discount, list[int], str] | None = None
    skipped = work.skipped
    for discount in unit:
        reason = _refusal(discount, work)
        if reason is not None:
            skipped.append((discount.id, reason))
            continue
        shares, taken, note = _evaluate(discount, work)
        if not taken:
            skipped.append((discount.id, note))
        elif best is None:
            best = (taken, discount, shares, note)
        elif taken > best[0]:
            skipped.append((best[1].id, f"{discount.id} is better"))
            best = (taken, discount, shares, note)
        else:
            skipped.append((discount.id, f"{best[1].id} is better"))
    if best is not None:
        _apply(best[1], best[2], best[0], best[3], work)


def _refusal(discount: Discount, work: Priced) -> str | None:
    """Why *discount* may not apply: its conditions, or a class it does not combine with."""
    if (
        discount.audience is not _ANYONE
        or discount.slot is not None
        or discount.min_stock is not None
        or discount.max_stock is not None
    ):
        reason = _ineligible(discount, work)
        if reason is not None:
            return reason
    policy = work.policy
    if policy.exclusive:
        for other in sorted(work.applied):
            if policy.excludes(discount.stack_class, other):
                return f"does not combine with {other}"
    return None


def _ineligible(discount: Discount, work: Priced) -> str | None:
    """Why *discount* does not apply in this context, or None when it does."""
    context = work.context
    audience = discount.audience
    if audience is Audience.MEMBER and not context.member:
        return "members only"
    if audience is Audience.NEW_CUSTOMER and not context.new_customer:
        return "new customers only"
    if audience is Audience.LEADER and context.role is not Role.LEADER:
        return "the opener only"
    if discount.min_stock is not None or discount.max_stock is not None:
        stock = context.remaining_stock
        if stock is None:
            return "remaining stock unknown"
        low = discount.min_stock if discount.min_stock is not None else 0
        if stock < low or (discount.max_stock is not None and stock > discount.max_stock):
            return f"remaining stock {stock} outside its range"
    if discount.slot is not None:
        if context.at is None:
            return "time of order unknown"
        if not discount.slot.contains(context.at, work.campaign.zone):
            return f"outside the slot {discount.slot}"
    return None


def _evaluate(discount: Discount, work: Priced) -> tuple[list[int], int, str]:
    """The shares *discount* would take now, trimmed by its cap, the share cap and the floor;
    their sum; and a note on any trimming, or on why it takes nothing."""
    phase = discount.phase
    if phase is _ITEM:
        shares, face, why = _item_shares(discount, work)
    elif phase is _SHIPPING:
        shares, face, why = _shipping_shares(discount, work)
    else:
        shares, face, why = _order_shares(discount, work)
    raw = sum(shares)
    if not raw:
        return shares, 0, why
    cap = discount.cap
    if phase is _SHIPPING:
        if face == raw and (cap is None or cap.minor >= raw):
            return shares, raw, ""
    else:
        room = work.room
        if (
            face == raw
            and (cap is None or cap.minor >= raw)
            and (room is None or room >= raw)
            and work.left - work.floor >= raw
        ):
            return shares, raw, ""  # the usual case: nothing trims it, no note to write
    return _trimmed(discount, work, shares, face, raw)


def _trimmed(
    discount: Discount, work: Priced, shares: list[int], face: int, raw: int
) -> tuple[list[int], int, str]:
    """*shares* trimmed by the discount's cap, the share cap and the floor, with the note."""
    limit = raw
    reasons = [] if face == raw else ["no more than the amount left"]
    cap = discount.cap
    if cap is not None and cap.minor < limit:
        limit = cap.minor
        reasons.append(f"capped at {cap}")
    if discount.phase is not _SHIPPING:
        room = work.room
        if room is not None and room < limit:
            limit = max(room, 0)
            reasons.append("total discount share cap")
        above_floor = work.left - work.floor
        if above_floor < limit:
            limit = max(above_floor, 0)
            reasons.append(f"floor {Money._trusted(work.floor, work.currency)}")
    if limit <= 0:
        return [0] * len(shares), 0, f"{reasons[-1]} reached"
    if not reasons:
        return shares, raw, ""
    money = Money._trusted
    note = f"{reasons[-1]}: {money(face, work.currency)} trimmed to {money(limit, work.currency)}"
    if limit == raw:
        return shares, raw, note
    return allocate_minor(limit, shares), limit, note


def _item_shares(discount: Discount, work: Priced) -> tuple[list[int], int, str]:
    """Each target line's take on its own amount, no more than what is left on it."""
    running = work.running
    amounts = work.base if discount.base is _ORIGINAL else running
    chosen = work.targets(discount)
    amounts = amounts[: work.goods] if chosen is None else [amounts[i] for i in chosen]
    kind = discount.kind
    if kind is _PERCENT_OFF:
        assert discount.percent is not None
        takes = _percent_of_each(amounts, discount.percent.value, work.policy.rounding)
    elif kind is _AMOUNT_OFF:
        assert discount.amount is not None
        each = discount.amount.minor
        qtys = work.qtys
        targets = range(work.goods) if chosen is None else chosen
        takes = [each * qtys[i] for i in targets]
    elif kind is _THRESHOLD:
        assert discount.amount is not None
        each = discount.amount.minor
        takes = [each * _times(discount, amount) for amount in amounts]
    else:  # unit price
        qtys = work.qtys
        targets = range(work.goods) if chosen is None else chosen
        takes = [
            _unit_price_take(discount, amount, qtys[i], work)
            for amount, i in zip(amounts, targets, strict=True)
        ]
    if chosen is None:
        shares = [take if take < left else left for take, left in zip(takes, running, strict=False)]
        if len(running) > work.goods:
            shares += work.padding()
    else:
        shares = [0] * len(running)
        for i, take in zip(chosen, takes, strict=True):
            left = running[i]
            shares[i] = take if take < left else left
    return shares, sum(takes), "" if any(shares) else "takes nothing here"


def _percent_of_each(amounts: list[int], rate: Fraction, rounding: Rounding) -> list[int]:
    """``amount × rate`` for each amount (none negative), rounded with *rounding*."""
    numerator, denominator = rate.numerator, rate.denominator
    if rounding is _HALF_UP and numerator >= 0:
        # Half up of n/d for n >= 0 is floor((2n + d) / 2d): one floor division per line, the
        # same figure Rounding.divide gives, without a method call per line.
        twice, double = 2 * numerator, 2 * denominator
        return [(amount * twice + denominator) // double for amount in amounts]
    divide = rounding.divide
    return [divide(amount * numerator, denominator) for amount in amounts]


def _unit_price_take(discount: Discount, amount: int, qty: int, work: Priced) -> int:
    assert discount.price is not None
    units = qty if discount.max_units is None else min(qty, discount.max_units)
    portion = amount if units == qty else work.policy.rounding.divide(amount * units, qty)
    return max(0, portion - discount.price.minor * units)


def _times(discount: Discount, amount: int) -> int:
    assert discount.threshold is not None
    threshold = discount.threshold.minor
    if amount < threshold:
        return 0
    if not discount.repeat:
        return 1
    times = amount // threshold
    return times if discount.max_times is None else min(times, discount.max_times)


def _order_shares(discount: Discount, work: Priced) -> tuple[list[int], int, str]:
    """One take on the target lines together, spread over them by what is left on each."""
    targets = work.targets(discount)
    if targets is None:
        weights = work.running[: work.goods]
        left = work.left
        amount = work.goods_base if discount.base is _ORIGINAL else left
    else:
        weights = [work.running[i] for i in targets]
        left = sum(weights)
        amount = sum([work.base[i] for i in targets]) if discount.base is _ORIGINAL else left
    kind = discount.kind
    note = ""
    if kind is _PERCENT_OFF:
        assert discount.percent is not None
        rate = discount.percent.value
        take = work.policy.rounding.divide(amount * rate.numerator, rate.denominator)
    elif kind is _AMOUNT_OFF:
        assert discount.amount is not None
        take = discount.amount.minor
    elif kind is _THRESHOLD:
        assert discount.amount is not None and discount.threshold is not None
        take = discount.amount.minor * _times(discount, amount)
        if not take:
            note = f"below the threshold {discount.threshold}"
    else:  # points
        take = _points_value(discount, work, amount)
        if not take:
            note = "no points to redeem"
    shares = _spread(take if take < left else left, weights, left, targets, work)
    return shares, take, note or "takes nothing here"


def _spread(
    take: int, weights: list[int], left: int, targets: list[int] | None, work: Priced
) -> list[int]:
    """*take* over the target lines in proportion to what is left on each, *weights* (summing
    to *left*), with money.allocate's rule; None targets every goods line."""
    if take <= 0 or not left:
        return [0] * len(work.running)
    parts = allocate_minor(take, weights)
    if targets is None:
        if len(work.running) > work.goods:
            parts += work.padding()
        return parts
    shares = [0] * len(work.running)
    for i, part in zip(targets, parts, strict=True):
        shares[i] = part
    return shares


def _points_value(discount: Discount, work: Priced, amount: int) -> int:
    assert discount.points_per_unit is not None and discount.percent is not None
    value = work.points_left * work.scale // discount.points_per_unit
    return min(value, _share_of(amount, discount.percent.value))


def _shipping_shares(discount: Discount, work: Priced) -> tuple[list[int], int, str]:
    """The fee, or the discount's amount of it, once the goods reach its threshold."""
    running = work.running
    shares = [0] * len(running)
    index = work.shipping_index
    if index is None or not running[index]:
        return shares, 0, "no shipping fee"
    goods = work.goods_base if discount.base is _ORIGINAL else work.left
    threshold = discount.threshold
    if threshold is not None and goods < threshold.minor:
        return shares, 0, f"below the threshold {threshold}"
    fee = running[index]
    shares[index] = fee if discount.amount is None else min(fee, discount.amount.minor)
    return shares, shares[index], ""


def _apply(discount: Discount, shares: list[int], taken: int, note: str, work: Priced) -> None:
    work.running = list(map(sub, work.running, shares))
    points = 0
    phase = discount.phase
    if discount.kind is _POINTS:
        assert discount.points_per_unit is not None
        points = -(-taken * discount.points_per_unit // work.scale)  # a part-point rounds up
        work.points_left -= points
    if phase is not _SHIPPING:
        work.left -= taken  # only the shipping phase takes from the shipping line
        if work.room is not None:
            work.room -= taken
    work.applied.add(discount.stack_class)
    work.steps.append(
        (
            phase._value_,  # the plain attribute: .value is a slower descriptor
            discount.kind._value_,
            discount.id,
            discount._text,  # describe(), without the call
            discount.funder,
            taken,
            shares,
            note,
            points,
        )
    )
