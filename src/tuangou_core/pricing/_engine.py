"""The engine behind :mod:`tuangou_core.pricing`: one run of the stacking rules, in minor units.

A run works on plain lists of ``int`` minor units (one entry per line, the shipping fee last
once the shipping phase adds it) and records steps and skipped discounts as tuples. It builds
no frozen value: :func:`run` returns a :class:`Priced`, and ``pricing`` turns that into a
``Quote`` once, at the end. The discounts it runs come from ``_pricing_offers``.

The public face (``Line``, ``Quote``, ``quote`` …) and the rules as a reader meets them are in
:mod:`tuangou_core.pricing` and ``docs/pricing.md``; the comments here say how, not what.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from operator import itemgetter, sub
from typing import Final, NamedTuple

from tuangou_core.campaign import Campaign, Funder
from tuangou_core.errors import InvalidInput
from tuangou_core.money import Currency, Money, allocate_minor
from tuangou_core.pricing._discounts import (
    Audience,
    Base,
    Discount,
    DiscountKind,
    Phase,
    Role,
)
from tuangou_core.pricing._offers import price_rule
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
_BY_KEY: Final = itemgetter(0)

# A step as a run records it: phase, kind, name, rule, funder, shares, note, points redeemed.
StepRecord = tuple[str, str, str, str, Funder, list[int], str, int]
# A cart line once resolved: sku, quantity, list price and unit price.
Resolved = tuple[str, int, Money, Money]
# What runs as one: a single discount, or the members of a best-of class.
Unit = list[Discount]


class Priced(NamedTuple):
    """A finished run, in minor units, one entry per line (the shipping fee line last, if any).

    ``steps`` and ``skipped`` are in the order they happened; a step's shares may be shorter
    than the lines when it ran before the shipping line was added (the missing shares are 0).
    """

    currency: str
    list_totals: list[int]
    base: list[int]
    running: list[int]
    shipping_index: int | None
    steps: list[StepRecord]
    skipped: list[tuple[str, str]]


class _Run:
    """The mutable state of one run."""

    __slots__ = (
        "applied",
        "base",
        "campaign",
        "context",
        "currency",
        "floor",
        "goods",
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
        resolved: Sequence[Resolved],
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
        self.skus = [sku for sku, _, _, _ in resolved]
        self.qtys = [qty for _, qty, _, _ in resolved]
        self.base = [unit.minor * qty for _, qty, _, unit in resolved]
        self.running = list(self.base)
        self.goods = len(resolved)  # the goods lines come first; the shipping line after them
        self.steps: list[StepRecord] = []
        self.skipped: list[tuple[str, str]] = []
        self.applied: set[str] = set()
        share = policy.max_discount_share
        self.room = None if share is None else _share_of(sum(self.base), share.value)
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
    resolved: Sequence[Resolved],
    campaign: Campaign,
    context: Context,
    policy: StackingPolicy,
    discounts: Sequence[Discount],
) -> Priced:
    """Price *resolved* lines: the group price, then each phase of *policy* in its order.

    Raises:
        InvalidInput: ``currency_mismatch`` for a shipping fee in another currency.
    """
    work = _Run(resolved, campaign, context, policy)
    list_totals = [listed.minor * qty for _, qty, listed, _ in resolved]
    group = [listed - base for listed, base in zip(list_totals, work.base, strict=True)]
    if any(group):
        name, rule = _group_step_text(resolved, campaign, context.role)
        work.steps.append(("price", "group_price", name, rule, Funder.MERCHANT, group, "", 0))
        work.applied.add("group_price")
    schedule = _schedule(discounts, policy.best_of)
    for phase in policy.phases:
        if phase is _SHIPPING and context.shipping_fee is not None:
            _add_shipping(work, list_totals, context.shipping_fee)
        for unit in schedule.get(phase._value_, ()):
            if len(unit) == 1:
                _run_one(unit[0], work)
            else:
                _run_best_of(unit, work)
    return Priced(
        work.currency,
        list_totals,
        work.base,
        work.running,
        work.shipping_index,
        work.steps,
        work.skipped,
    )


def _group_step_text(
    resolved: Sequence[Resolved], campaign: Campaign, role: Role
) -> tuple[str, str]:
    if len(resolved) == 1 and resolved[0][2] == campaign.list_price:
        return price_rule(campaign, resolved[0][3], role)
    return "group price", "group price below list"


def _add_shipping(work: _Run, list_totals: list[int], shipping_fee: Money) -> None:
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
        list_totals.append(fee)
        work.qtys.append(1)
        work.skus.append(SHIPPING_SKU)


def _share_of(amount: int, share: Fraction) -> int:
    return amount * share.numerator // share.denominator


def _schedule(discounts: Sequence[Discount], best_of: frozenset[str]) -> dict[str, list[Unit]]:
    """Each phase's units (by the phase's value) in the order they run.

    A unit is one discount, or a best-of class whose members are sorted by id (best-of ignores
    the listed order). Units run by priority, a best-of class (at its members' lowest priority)
    ahead of single discounts of the same priority, then in the listed order.
    """
    by_phase: dict[str, list[tuple[int, Discount]]] = {}
    plain = True  # one priority and no best-of class: each discount alone, in listed order
    for index, discount in enumerate(discounts):
        by_phase.setdefault(discount.phase._value_, []).append((index, discount))
        if discount.priority != discounts[0].priority or discount.stack_class in best_of:
            plain = False
    if plain:
        return {phase: [[d] for _, d in members] for phase, members in by_phase.items()}
    return {phase: _units(members, best_of) for phase, members in by_phase.items()}


def _units(members: list[tuple[int, Discount]], best_of: frozenset[str]) -> list[Unit]:
    keyed: list[tuple[tuple[int, int, str, int], Unit]] = []
    classes: dict[str, list[Discount]] = {}
    for index, discount in members:
        if discount.stack_class in best_of:
            classes.setdefault(discount.stack_class, []).append(discount)
        else:
            keyed.append(((discount.priority, 1, "", index), [discount]))
    for name, group in classes.items():
        ordered = sorted(group, key=lambda d: d.id)
        keyed.append(((min(d.priority for d in group), 0, name, 0), ordered))
    keyed.sort(key=_BY_KEY)
    return [unit for _, unit in keyed]


def _run_one(discount: Discount, work: _Run) -> None:
    reason = _refusal(discount, work)
    if reason is not None:
        work.skipped.append((discount.id, reason))
        return
    shares, taken, note = _evaluate(discount, work)
    if taken:
        _apply(discount, shares, taken, note, work)
    else:
        work.skipped.append((discount.id, note))


def _run_best_of(unit: list[Discount], work: _Run) -> None:
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


def _refusal(discount: Discount, work: _Run) -> str | None:
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


def _ineligible(discount: Discount, work: _Run) -> str | None:
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


def _evaluate(discount: Discount, work: _Run) -> tuple[list[int], int, str]:
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
    limit = raw
    reasons = [] if face == raw else ["no more than the amount left"]
    cap = discount.cap
    if cap is not None and cap.minor < limit:
        limit = cap.minor
        reasons.append(f"capped at {cap}")
    if phase is not _SHIPPING:
        room = work.room
        if room is not None and room < limit:
            limit = max(room, 0)
            reasons.append("total discount share cap")
        above_floor = sum(work.running[: work.goods]) - work.floor
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


def _item_shares(discount: Discount, work: _Run) -> tuple[list[int], int, str]:
    """Each target line's take on its own amount, no more than what is left on it."""
    running = work.running
    amounts = work.base if discount.base is _ORIGINAL else running
    qtys = work.qtys
    chosen = work.targets(discount)
    targets = range(work.goods) if chosen is None else chosen
    kind = discount.kind
    if kind is _PERCENT_OFF:
        assert discount.percent is not None
        rate = discount.percent.value
        numerator, denominator = rate.numerator, rate.denominator
        divide = work.policy.rounding.divide
        takes = [divide(amounts[i] * numerator, denominator) for i in targets]
    elif kind is _AMOUNT_OFF:
        assert discount.amount is not None
        each = discount.amount.minor
        takes = [each * qtys[i] for i in targets]
    elif kind is _THRESHOLD:
        assert discount.amount is not None
        each = discount.amount.minor
        takes = [each * _times(discount, amounts[i]) for i in targets]
    else:  # unit price
        takes = [_unit_price_take(discount, amounts[i], qtys[i], work) for i in targets]
    if isinstance(targets, range):
        shares = [take if take < left else left for take, left in zip(takes, running, strict=False)]
        shares += work.padding()
    else:
        shares = [0] * len(running)
        for i, take in zip(targets, takes, strict=True):
            left = running[i]
            shares[i] = take if take < left else left
    return shares, sum(takes), "" if any(shares) else "takes nothing here"


def _unit_price_take(discount: Discount, amount: int, qty: int, work: _Run) -> int:
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


def _order_shares(discount: Discount, work: _Run) -> tuple[list[int], int, str]:
    """One take on the target lines together, spread over them by what is left on each."""
    targets = work.targets(discount)
    goods = range(work.goods) if targets is None else targets
    weights = [work.running[i] for i in goods]
    left = sum(weights)
    amount = sum([work.base[i] for i in goods]) if discount.base is _ORIGINAL else left
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
    shares = _spread(min(take, left), weights, targets, work)
    return shares, take, note or "takes nothing here"


def _spread(take: int, weights: list[int], targets: list[int] | None, work: _Run) -> list[int]:
    """*take* over the target lines in proportion to what is left on each, *weights*, with
    money.allocate's rule; None targets every goods line."""
    if take <= 0 or not any(weights):
        return [0] * len(work.running)
    parts = allocate_minor(take, weights)
    if targets is None:
        return parts + work.padding()
    shares = [0] * len(work.running)
    for i, part in zip(targets, parts, strict=True):
        shares[i] = part
    return shares


def _points_value(discount: Discount, work: _Run, amount: int) -> int:
    assert discount.points_per_unit is not None and discount.percent is not None
    value = work.points_left * work.scale // discount.points_per_unit
    return min(value, _share_of(amount, discount.percent.value))


def _shipping_shares(discount: Discount, work: _Run) -> tuple[list[int], int, str]:
    """The fee, or the discount's amount of it, once the goods reach its threshold."""
    running = work.running
    shares = [0] * len(running)
    index = work.shipping_index
    if index is None or not running[index]:
        return shares, 0, "no shipping fee"
    amounts = work.base if discount.base is _ORIGINAL else running
    threshold = discount.threshold
    if threshold is not None and sum(amounts[:index]) < threshold.minor:
        return shares, 0, f"below the threshold {threshold}"
    fee = running[index]
    shares[index] = fee if discount.amount is None else min(fee, discount.amount.minor)
    return shares, shares[index], ""


def _apply(discount: Discount, shares: list[int], taken: int, note: str, work: _Run) -> None:
    work.running = list(map(sub, work.running, shares))
    points = 0
    if discount.kind is _POINTS:
        assert discount.points_per_unit is not None
        points = -(-taken * discount.points_per_unit // work.scale)  # a part-point rounds up
        work.points_left -= points
    if discount.phase is not _SHIPPING and work.room is not None:
        work.room -= taken
    work.applied.add(discount.stack_class)
    work.steps.append(
        (
            discount.phase._value_,  # the plain attribute: .value is a slower descriptor
            discount.kind._value_,
            discount.id,
            discount.describe(),
            discount.funder,
            shares,
            note,
            points,
        )
    )
