"""Pricing: quote a cart under a campaign, stacking discounts as data, explaining every cent.

:func:`quote` prices cart lines under a campaign, a :class:`~tuangou_core.discounts.Context`
and a :class:`~tuangou_core.discounts.StackingPolicy`. It starts from the list price, takes the
group price (as a merchant-funded step), then runs the phases in the policy's order (item →
order → points → shipping by default). Each discount becomes a :class:`Step` that names its
funder and carries its integer share on every line; order-level discounts are spread over the
lines with :func:`~tuangou_core.money.allocate` by the lines' running amounts, so a refund of a
line can reverse exactly that line's share.

:func:`quote_member` is the one-line case the group decider uses: a member's order at the unit
price the decider chose, with the campaign's coupons applied in the order presented.

The invariants, for every quote: ``total == Σ line totals``; each step's shares sum to its
amount; no line is negative; ``list_total − discount_total == total``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from fractions import Fraction
from typing import Any, Final

import attrs

from tuangou_core._tables import html_table
from tuangou_core.campaign import Campaign, FixedRule, Funder, LotteryRule, TieredRule
from tuangou_core.discounts import (
    Audience,
    Base,
    Context,
    Discount,
    DiscountKind,
    Phase,
    Role,
    StackingPolicy,
    coupon_discount,
    percent_text,
)
from tuangou_core.errors import InvalidInput, InvalidRule, Rejected
from tuangou_core.money import Currency, Money, Rounding

__all__ = [
    "Line",
    "Quote",
    "QuoteLine",
    "Skipped",
    "Step",
    "group_unit_price",
    "quote",
    "quote_member",
]

SHIPPING_SKU: Final = "shipping"
_MEMBER_POLICY: Final = StackingPolicy()


def _quantity(value: object) -> int:
    if type(value) is not int or value < 1:
        raise InvalidInput(
            "invalid_quantity",
            f"qty must be a whole number of at least 1, got {value!r}",
            field="qty",
            value=value,
        )
    return value


def _optional_price(value: object, field: str) -> Money | None:
    if value is None:
        return None
    if not isinstance(value, Money) or value.minor < 0:
        raise InvalidInput(
            "invalid_price",
            f"{field} must be an amount of zero or more, got {value!r}",
            field=field,
            value=value,
        )
    return value


def _unit_price(value: object) -> Money | None:
    return _optional_price(value, "unit_price")


def _list_price(value: object) -> Money | None:
    return _optional_price(value, "list_price")


def _sku(value: object) -> str:
    if not isinstance(value, str) or not value:
        raise InvalidInput(
            "invalid_line", f"sku must be a non-empty string, got {value!r}", field="sku"
        )
    return value


@attrs.frozen
class Line:
    """A cart line to price.

    Args:
        sku: the product's id.
        qty: units, at least 1.
        unit_price: the price paid before discounts; the campaign's group price for the
            context's role and group size when unset.
        list_price: the single-buy unit price shown first; the campaign's list price when
            ``unit_price`` is unset, else ``unit_price``.
    """

    sku: str = attrs.field(converter=_sku)
    qty: int = attrs.field(default=1, converter=_quantity)
    unit_price: Money | None = attrs.field(default=None, converter=_unit_price)
    list_price: Money | None = attrs.field(default=None, converter=_list_price)


@attrs.frozen
class QuoteLine:
    """A priced line: list and base amounts, and the amount due after every step."""

    sku: str
    qty: int
    list_price: Money
    unit_price: Money
    list_total: Money
    base: Money
    total: Money
    shipping: bool = False


@attrs.frozen
class Step:
    """One discount as applied: its rule, its funder, its amount and its share on each line.

    ``shares`` lines up with :attr:`Quote.lines` and sums to ``amount`` (``minor_shares`` is
    the same in minor units). ``note`` records a cap or floor that trimmed it; ``points`` the
    points it redeemed.
    """

    kind: str
    name: str
    rule: str
    funder: Funder
    amount: Money
    minor_shares: tuple[int, ...]
    phase: str
    note: str = ""
    points: int = 0

    @property
    def shares(self) -> tuple[Money, ...]:
        """This step's share of each line of the quote, in line order."""
        currency = self.amount.currency
        return tuple(Money._trusted(minor, currency) for minor in self.minor_shares)


@attrs.frozen
class Skipped:
    """A discount that was in play but took nothing, and why."""

    name: str
    reason: str


@attrs.frozen
class Quote:
    """What an order costs and how: every step from the list price to the amount due.

    ``list_total − discount_total == total == Σ line totals``.
    """

    currency: str
    list_total: Money
    base: Money
    steps: tuple[Step, ...]
    lines: tuple[QuoteLine, ...]
    total: Money
    skipped: tuple[Skipped, ...] = ()

    @property
    def discount_total(self) -> Money:
        """Every step together: the group price below list included."""
        return Money._trusted(sum(s.amount.minor for s in self.steps), self.currency)

    @property
    def points_used(self) -> int:
        """Points redeemed by this order."""
        return sum(s.points for s in self.steps)

    def funded_by(self, funder: Funder | str) -> Money:
        """The discounts paid for by *funder* (merchant, platform or leader)."""
        who = funder if isinstance(funder, Funder) else _funder(funder)
        return Money._trusted(
            sum(s.amount.minor for s in self.steps if s.funder is who), self.currency
        )

    def step(self, name: str) -> Step | None:
        """The step named *name* (a discount or coupon id, or ``"group price"``), or None."""
        for step in self.steps:
            if step.name == name:
                return step
        return None

    def line_shares(self, index: int) -> tuple[tuple[str, Money], ...]:
        """Line *index*'s share of each step, by step name (zero shares left out)."""
        return tuple(
            (s.name, Money._trusted(s.minor_shares[index], self.currency))
            for s in self.steps
            if s.minor_shares[index]
        )

    def explain(self) -> str:
        """The steps as a finance reader follows them; the last line sums the lines above."""
        rows: list[tuple[str, Money, str]] = []
        for line in self.lines:
            if line.shipping:
                rows.append(("shipping fee", line.list_total, ""))
            else:
                rows.append(
                    (f"list price {line.sku} {line.qty} × {line.list_price}", line.list_total, "")
                )
        for step in self.steps:
            note = f"funded by {step.funder.value}"
            if step.points:
                note += f", {step.points} points"
            if step.note:
                note += f"; {step.note}"
            rows.append((f"{step.name} ({step.rule})", -step.amount, note))
        rows.append(("due", self.total, ""))
        width = max(_width(label) for label, _, _ in rows) + 2
        out = []
        for label, amount, note in rows:
            text = str(amount).replace("-", "−")
            pad = " " * (width - _width(label))
            out.append(f"{label}{pad}{text:>12}{'   ' + note if note else ''}")
        out.extend(f"(skipped {s.name}: {s.reason})" for s in self.skipped)
        return "\n".join(out)

    def to_records(self) -> list[dict[str, Any]]:
        """One flat dict per line, with that line's share of every step, for a DataFrame."""
        records = []
        for index, line in enumerate(self.lines):
            record: dict[str, Any] = {
                "sku": line.sku,
                "qty": line.qty,
                "list_total": str(line.list_total),
                "base": str(line.base),
                "total": str(line.total),
            }
            for step in self.steps:
                record[step.name] = str(Money._trusted(step.minor_shares[index], self.currency))
            records.append(record)
        return records

    def __repr__(self) -> str:
        return (
            f"<Quote {self.total} due: list {self.list_total}, {len(self.steps)} steps, "
            f"{len(self.lines)} lines>"
        )

    def _repr_html_(self) -> str:
        rows: list[tuple[str, str, str]] = [
            (f"{line.sku} {line.qty} × {line.list_price}", str(line.list_total), "")
            for line in self.lines
        ]
        rows += [
            (f"{step.name} ({step.rule})", f"−{step.amount}", step.funder.value)
            for step in self.steps
        ]
        rows.append(("due", str(self.total), ""))
        return html_table(("step", "amount", "funded by"), rows)

    def to_data(self) -> dict[str, Any]:
        """A JSON-safe dict: amounts as decimal strings, enums as their values."""
        return {
            "currency": self.currency,
            "list_total": str(self.list_total),
            "base": str(self.base),
            "discount_total": str(self.discount_total),
            "total": str(self.total),
            "points_used": self.points_used,
            "funded_by": {f.value: str(self.funded_by(f)) for f in Funder},
            "lines": [
                {
                    "sku": line.sku,
                    "qty": line.qty,
                    "list_price": str(line.list_price),
                    "unit_price": str(line.unit_price),
                    "list_total": str(line.list_total),
                    "base": str(line.base),
                    "total": str(line.total),
                    "shipping": line.shipping,
                }
                for line in self.lines
            ],
            "steps": [
                {
                    "kind": s.kind,
                    "name": s.name,
                    "rule": s.rule,
                    "funder": s.funder.value,
                    "phase": s.phase,
                    "amount": str(s.amount),
                    "shares": [str(m) for m in s.shares],
                    "note": s.note,
                    "points": s.points,
                }
                for s in self.steps
            ],
            "skipped": [{"name": s.name, "reason": s.reason} for s in self.skipped],
        }


def _funder(value: object) -> Funder:
    try:
        return Funder(value)
    except ValueError:
        raise InvalidInput(
            "invalid_funder",
            f"funder must be 'merchant', 'platform' or 'leader', got {value!r}",
            field="funder",
            value=value,
        ) from None


def _width(text: str) -> int:
    """Columns *text* takes in a terminal: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


# -- choosing the group price -----------------------------------------------------------------


def group_unit_price(campaign: Campaign, context: Context | None = None) -> Money:
    """The unit price the campaign charges in *context*.

    The opener pays the leader price when the campaign has one. A tiered campaign charges the
    tier reached by ``context.group_size``, or the first (highest) tier when the size is
    unknown or below the first tier (what ``prepay_highest`` charges up front).
    """
    context = context or Context()
    if context.role is Role.LEADER and campaign.leader_price is not None:
        return campaign.leader_price
    rule = campaign.rule
    if isinstance(rule, TieredRule) and context.group_size is not None:
        tier = rule.tier_for(context.group_size)
        if tier is not None:
            return tier.price
    return rule.price


def _price_rule(campaign: Campaign, unit: Money, role: Role) -> tuple[str, str]:
    """The name and rule text of the step from list price to *unit*."""
    share = percent_text(Fraction(unit.minor, campaign.list_price.minor))
    if role is Role.LEADER and unit == campaign.leader_price:
        return "leader price", f"团长价 {share}"
    rule = campaign.rule
    if isinstance(rule, TieredRule):
        for tier in rule.tiers:
            if tier.price == unit:
                return "group price", f"阶梯团 {tier.size}人 {share}"
        return "group price", f"阶梯团 {share}"
    if isinstance(rule, FixedRule):
        return "group price", f"{rule.size}人团 {share}"
    if isinstance(rule, LotteryRule):
        return "group price", f"抽奖团 {rule.size}人 {share}"
    return "group price", f"秒杀 {share}"


# -- the engine -------------------------------------------------------------------------------


@attrs.define
class _Work:
    """The mutable state of one pricing run, in minor units."""

    currency: str
    scale: int
    policy: StackingPolicy
    context: Context
    campaign: Campaign
    skus: list[str]
    qtys: list[int]
    base: list[int]
    running: list[int]
    steps: list[tuple[Discount | None, str, str, str, Funder, list[int], str, int]]
    skipped: list[Skipped]
    applied: set[str]
    room: int | None  # what the share cap still allows
    floor: int
    points_left: int
    shipping_index: int | None = None

    def goods(self, discount: Discount) -> list[int]:
        wanted = discount.skus
        last = len(self.base) if self.shipping_index is None else self.shipping_index
        return [i for i in range(last) if wanted is None or self.skus[i] in wanted]


def _eligible(discount: Discount, work: _Work) -> str | None:
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


def _rate_of(discount: Discount, amount: int, rounding: Rounding) -> int:
    assert discount.percent is not None
    value = discount.percent.value
    return rounding.divide(amount * value.numerator, value.denominator)


def _times(discount: Discount, amount: int) -> int:
    assert discount.threshold is not None
    threshold = discount.threshold.minor
    if amount < threshold:
        return 0
    if not discount.repeat:
        return 1
    times = amount // threshold
    return times if discount.max_times is None else min(times, discount.max_times)


def _item_shares(discount: Discount, work: _Work) -> tuple[list[int], int, str]:
    shares = [0] * len(work.base)
    face = 0
    rounding = work.policy.rounding
    kind = discount.kind
    original = discount.base is Base.ORIGINAL
    for i in work.goods(discount):
        amount = work.base[i] if original else work.running[i]
        qty = work.qtys[i]
        if kind is DiscountKind.PERCENT_OFF:
            take = _rate_of(discount, amount, rounding)
        elif kind is DiscountKind.AMOUNT_OFF:
            assert discount.amount is not None
            take = discount.amount.minor * qty
        elif kind is DiscountKind.THRESHOLD:
            assert discount.amount is not None
            take = discount.amount.minor * _times(discount, amount)
        else:  # unit price
            assert discount.price is not None
            units = qty if discount.max_units is None else min(qty, discount.max_units)
            portion = amount if units == qty else rounding.divide(amount * units, qty)
            take = max(0, portion - discount.price.minor * units)
        face += take
        shares[i] = min(take, work.running[i])
    return shares, face, "" if any(shares) else "takes nothing here"


def _order_shares(discount: Discount, work: _Work) -> tuple[list[int], int, str]:
    targets = work.goods(discount)
    running = sum(work.running[i] for i in targets)
    amount = sum(work.base[i] for i in targets) if discount.base is Base.ORIGINAL else running
    kind = discount.kind
    note = ""
    if kind is DiscountKind.PERCENT_OFF:
        take = _rate_of(discount, amount, work.policy.rounding)
    elif kind is DiscountKind.AMOUNT_OFF:
        assert discount.amount is not None
        take = discount.amount.minor
    elif kind is DiscountKind.THRESHOLD:
        assert discount.amount is not None and discount.threshold is not None
        take = discount.amount.minor * _times(discount, amount)
        if not take:
            note = f"below the threshold {discount.threshold}"
    else:  # points
        take = _points_value(discount, work, amount)
        if not take:
            note = "no points to redeem"
    return _spread(min(take, running), targets, work), take, note or "takes nothing here"


def _points_value(discount: Discount, work: _Work, amount: int) -> int:
    assert discount.points_per_unit is not None and discount.percent is not None
    value = work.points_left * work.scale // discount.points_per_unit
    share = discount.percent.value
    return min(value, amount * share.numerator // share.denominator)


def _points_for(discount: Discount, work: _Work, taken: int) -> int:
    assert discount.points_per_unit is not None
    return -(-taken * discount.points_per_unit // work.scale)


def _spread(take: int, targets: list[int], work: _Work) -> list[int]:
    shares = [0] * len(work.base)
    weights = [work.running[i] for i in targets]
    if take <= 0 or not any(weights):
        return shares
    if len(targets) == 1:
        shares[targets[0]] = take
        return shares
    for i, part in zip(targets, _allocate(take, weights), strict=True):
        shares[i] = part
    return shares


def _allocate(total: int, weights: list[int]) -> list[int]:
    """:func:`~tuangou_core.money.allocate` in minor units, for non-negative *total* and
    weights not all zero: the same largest-remainder rule, without building Money on the hot
    path (a test holds the two equal)."""
    whole = sum(weights)
    parts = []
    remainders = []
    for weight in weights:
        share, remainder = divmod(total * weight, whole)
        parts.append(share)
        remainders.append(remainder)
    leftover = total - sum(parts)
    if leftover:
        order = sorted(range(len(parts)), key=lambda i: (-remainders[i], i))
        for index in order[:leftover]:
            parts[index] += 1
    return parts


def _shipping_shares(discount: Discount, work: _Work) -> tuple[list[int], int, str]:
    shares = [0] * len(work.base)
    index = work.shipping_index
    if index is None or not work.running[index]:
        return shares, 0, "no shipping fee"
    goods = range(index)
    if discount.base is Base.ORIGINAL:
        amount = sum(work.base[i] for i in goods)
    else:
        amount = sum(work.running[i] for i in goods)
    if discount.threshold is not None and amount < discount.threshold.minor:
        return shares, 0, f"below the threshold {discount.threshold}"
    fee = work.running[index]
    shares[index] = fee if discount.amount is None else min(fee, discount.amount.minor)
    return shares, shares[index], ""


def _evaluate(discount: Discount, work: _Work) -> tuple[list[int], str]:
    """The shares *discount* would take now, trimmed by its cap, the share cap and the floor;
    and a note on any trimming, or on why it takes nothing."""
    phase = discount.phase
    if phase is Phase.ITEM:
        shares, face, why = _item_shares(discount, work)
    elif phase is Phase.SHIPPING:
        shares, face, why = _shipping_shares(discount, work)
    else:
        shares, face, why = _order_shares(discount, work)
    raw = sum(shares)
    if not raw:
        return shares, why
    limit = raw
    reasons = [] if face == raw else ["no more than the amount left"]
    if discount.cap is not None and discount.cap.minor < limit:
        limit = discount.cap.minor
        reasons.append(f"capped at {discount.cap}")
    if phase is not Phase.SHIPPING:
        if work.room is not None and work.room < limit:
            limit = max(work.room, 0)
            reasons.append("total discount share cap")
        goods_end = len(work.base) if work.shipping_index is None else work.shipping_index
        above_floor = sum(work.running[:goods_end]) - work.floor
        if above_floor < limit:
            limit = max(above_floor, 0)
            reasons.append(f"floor {Money._trusted(work.floor, work.currency)}")
    if limit <= 0:
        return [0] * len(shares), f"{reasons[-1]} reached"
    money = Money._trusted
    note = f"{reasons[-1]}: {money(face, work.currency)} trimmed to" if reasons else ""
    note = f"{note} {money(limit, work.currency)}" if note else ""
    if limit == raw:
        return shares, note
    return _allocate(limit, shares), note


def _apply(discount: Discount, shares: list[int], note: str, work: _Work) -> None:
    taken = sum(shares)
    for i, share in enumerate(shares):
        if share:
            work.running[i] -= share
    points = 0
    if discount.kind is DiscountKind.POINTS:
        points = _points_for(discount, work, taken)
        work.points_left -= points
    if discount.phase is not Phase.SHIPPING and work.room is not None:
        work.room -= taken
    work.applied.add(discount.stack_class)
    kind = discount.kind.value
    work.steps.append(
        (discount, kind, discount.id, discount.describe(), discount.funder, shares, note, points)
    )


def _excluded(discount: Discount, work: _Work) -> str | None:
    for other in sorted(work.applied):
        if work.policy.excludes(discount.stack_class, other):
            return f"does not combine with {other}"
    return None


def _run_phase(phase: Phase, discounts: list[Discount], work: _Work) -> None:
    """Apply the discounts of *phase*: each best-of class as one unit, others one by one."""
    units: list[tuple[tuple[int, int, str, int], list[Discount]]] = []
    classes: dict[str, list[Discount]] = {}
    for index, discount in enumerate(discounts):
        if discount.phase is not phase:
            continue
        if discount.stack_class in work.policy.best_of:
            classes.setdefault(discount.stack_class, []).append(discount)
        else:
            units.append(((discount.priority, 1, "", index), [discount]))
    for name, members in classes.items():
        ordered = sorted(members, key=lambda d: d.id)  # best-of ignores the listed order
        units.append(((min(d.priority for d in members), 0, name, 0), ordered))
    units.sort(key=lambda unit: unit[0])
    for _, members in units:
        best: tuple[int, str, Discount, list[int], str] | None = None
        for discount in members:
            reason = _eligible(discount, work) or _excluded(discount, work)
            if reason is not None:
                work.skipped.append(Skipped(discount.id, reason))
                continue
            shares, note = _evaluate(discount, work)
            taken = sum(shares)
            if not taken:
                work.skipped.append(Skipped(discount.id, note))
                continue
            candidate = (taken, discount.id, discount, shares, note)
            if best is None or (taken, _reverse(discount.id)) > (best[0], _reverse(best[1])):
                if best is not None:
                    work.skipped.append(Skipped(best[1], f"{discount.id} is better"))
                best = candidate
            else:
                work.skipped.append(Skipped(discount.id, f"{best[1]} is better"))
        if best is not None:
            _apply(best[2], best[3], best[4], work)


def _reverse(text: str) -> tuple[int, ...]:
    # Ties in best-of go to the smaller id: compare negated code points.
    return (*(-ord(c) for c in text), 1)


def _collect(
    campaign: Campaign, context: Context, offers: Sequence[Discount], currency: str
) -> list[Discount]:
    """The offers in play plus the coupons presented, in listed order; refuse bad ids."""
    coupons: dict[str, Discount] = {}
    for coupon in campaign.coupons:
        coupons[coupon.id] = coupon_discount(coupon)
    chosen: list[Discount] = []
    seen: set[str] = set()
    for index, offer in enumerate(offers):
        if not isinstance(offer, Discount):
            raise InvalidRule(
                "invalid_rule", f"offers[{index}] must be a Discount", field=f"offers[{index}]"
            )
        if offer.id in seen or offer.id in coupons:
            raise InvalidRule(
                "invalid_rule",
                f"offers[{index}].id {offer.id!r} is used twice",
                field=f"offers[{index}].id",
                value=offer.id,
            )
        if offer.currency not in (None, currency):
            raise InvalidRule(
                "invalid_rule",
                f"offers[{index}] must be in {currency}, got {offer.currency}",
                field=f"offers[{index}]",
                value=offer.currency,
            )
        seen.add(offer.id)
        if offer.coupon:
            coupons[offer.id] = offer
        else:
            chosen.append(offer)
    presented: set[str] = set()
    for ident in context.coupons:
        if ident in presented:
            raise Rejected("duplicate_coupon", f"coupon {ident!r} is presented twice", coupon=ident)
        presented.add(ident)
        found = coupons.get(ident)
        if found is None:
            raise Rejected(
                "unknown_coupon",
                f"coupon {ident!r} is not a coupon of campaign {campaign.id}",
                coupon=ident,
            )
        chosen.append(found)
    return chosen


def _money_in(value: Money, currency: str, field: str) -> Money:
    if value.currency != currency:
        raise InvalidInput(
            "currency_mismatch",
            f"{field} is in {value.currency}, the campaign is in {currency}",
            field=field,
            value=value.currency,
        )
    return value


def quote(
    lines: Sequence[Line],
    campaign: Campaign,
    context: Context | None = None,
    policy: StackingPolicy | None = None,
    *,
    offers: Sequence[Discount] = (),
) -> Quote:
    """Price *lines* under *campaign*: group price, then each phase of *policy*.

    Args:
        lines: the cart, at least one line.
        campaign: its currency, list price, group rule, zone and coupons.
        context: who buys, when, with which coupons and points; a plain joiner by default.
        policy: how discounts stack; :class:`StackingPolicy()` by default.
        offers: the discounts in force besides the campaign's coupons. Those marked
            ``coupon=True`` apply only when presented by id in ``context.coupons``.

    Returns:
        The quote, with one step per discount that took something.

    Raises:
        InvalidInput: ``invalid_line`` for an empty cart, ``currency_mismatch``.
        InvalidRule: for offers that cannot be run (a duplicate id, another currency).
        Rejected: ``unknown_coupon`` or ``duplicate_coupon`` for the coupons presented;
            ``insufficient_points`` for more points than the balance.
    """
    context = context or Context()
    policy = policy or _MEMBER_POLICY
    if isinstance(lines, str) or not isinstance(lines, Sequence) or not lines:
        raise InvalidInput("invalid_line", "a quote needs at least one line", field="lines")
    currency = campaign.currency
    discounts = _collect(campaign, context, offers, currency)
    if context.points_to_use is not None and context.points_to_use > context.points_balance:
        raise Rejected(
            "insufficient_points",
            f"cannot redeem {context.points_to_use} points from a balance of "
            f"{context.points_balance}",
            field="points_to_use",
            value=context.points_to_use,
        )
    resolved = [_resolve(index, line, campaign, context) for index, line in enumerate(lines)]
    return _price(
        resolved, campaign, context, policy=policy, discounts=discounts, currency=currency
    )


def _resolve(
    index: int, line: Line, campaign: Campaign, context: Context
) -> tuple[str, int, Money, Money]:
    if not isinstance(line, Line):
        raise InvalidInput(
            "invalid_line", f"lines[{index}] must be a Line", field=f"lines[{index}]"
        )
    currency = campaign.currency
    if line.unit_price is None:
        unit = group_unit_price(campaign, context)
        listed = line.list_price or campaign.list_price
    else:
        unit = _money_in(line.unit_price, currency, f"lines[{index}].unit_price")
        listed = line.list_price or unit
    _money_in(listed, currency, f"lines[{index}].list_price")
    if unit > listed:
        raise InvalidInput(
            "invalid_price",
            f"lines[{index}].unit_price {unit} is above its list price {listed}",
            field=f"lines[{index}].unit_price",
            value=str(unit),
        )
    return line.sku, line.qty, listed, unit


def _price(
    resolved: list[tuple[str, int, Money, Money]],
    campaign: Campaign,
    context: Context,
    *,
    policy: StackingPolicy,
    discounts: list[Discount],
    currency: str,
) -> Quote:
    list_totals = [listed.minor * qty for _, qty, listed, _ in resolved]
    base = [unit.minor * qty for _, qty, _, unit in resolved]
    share = policy.max_discount_share
    work = _Work(
        currency=currency,
        scale=Currency.of(currency).scale,
        policy=policy,
        context=context,
        campaign=campaign,
        skus=[sku for sku, _, _, _ in resolved],
        qtys=[qty for _, qty, _, _ in resolved],
        base=base,
        running=list(base),
        steps=[],
        skipped=[],
        applied=set(),
        room=None if share is None else _share_of(sum(base), share.value),
        floor=0 if policy.allow_free else 1,
        points_left=context.points_balance
        if context.points_to_use is None
        else context.points_to_use,
    )
    group = [lt - b for lt, b in zip(list_totals, base, strict=True)]
    if any(group):
        name, rule = _group_step_text(resolved, campaign, context.role)
        work.steps.append((None, "group_price", name, rule, Funder.MERCHANT, group, "", 0))
        work.applied.add("group_price")
    for phase in policy.phases:
        if phase is Phase.SHIPPING and context.shipping_fee is not None:
            fee = _money_in(context.shipping_fee, currency, "shipping_fee").minor
            if fee:
                work.shipping_index = len(work.base)
                for values in (work.base, work.running, list_totals, work.qtys):
                    values.append(fee if values is not work.qtys else 1)
                work.skus.append(SHIPPING_SKU)
        _run_phase(phase, discounts, work)
    return _build(resolved, list_totals, work)


def _share_of(amount: int, share: Fraction) -> int:
    return amount * share.numerator // share.denominator


def _group_step_text(
    resolved: list[tuple[str, int, Money, Money]], campaign: Campaign, role: Role
) -> tuple[str, str]:
    if len(resolved) == 1 and resolved[0][2] == campaign.list_price:
        return _price_rule(campaign, resolved[0][3], role)
    return "group price", "group price below list"


def _build(
    resolved: list[tuple[str, int, Money, Money]], list_totals: list[int], work: _Work
) -> Quote:
    currency = work.currency
    n = len(work.base)

    def money(minor: int) -> Money:
        return Money._trusted(minor, currency)

    lines = [
        QuoteLine(
            sku=sku,
            qty=qty,
            list_price=listed,
            unit_price=unit,
            list_total=money(list_totals[i]),
            base=money(work.base[i]),
            total=money(work.running[i]),
        )
        for i, (sku, qty, listed, unit) in enumerate(resolved)
    ]
    if work.shipping_index is not None:
        fee = money(work.base[work.shipping_index])
        lines.append(
            QuoteLine(
                sku=SHIPPING_SKU,
                qty=1,
                list_price=fee,
                unit_price=fee,
                list_total=fee,
                base=fee,
                total=money(work.running[work.shipping_index]),
                shipping=True,
            )
        )
    steps = tuple(
        Step(
            kind=kind,
            name=name,
            rule=rule,
            funder=funder,
            amount=money(sum(shares)),
            minor_shares=(*shares, *(0,) * (n - len(shares))),
            phase="price" if discount is None else discount.phase.value,
            note=note,
            points=points,
        )
        for discount, kind, name, rule, funder, shares, note, points in work.steps
    )
    return Quote(
        currency=currency,
        list_total=money(sum(list_totals)),
        base=money(sum(work.base)),
        steps=steps,
        lines=tuple(lines),
        total=money(sum(work.running)),
        skipped=tuple(work.skipped),
    )


def quote_member(
    campaign: Campaign,
    *,
    unit_price: Money,
    qty: int = 1,
    coupon_ids: Sequence[str] = (),
    role: str = "joiner",
) -> Quote:
    """Price one member's order in a group.

    The base is ``unit_price × qty`` (the group, tier or leader price the caller chose); the
    list price ``campaign.list_price × qty`` is shown first and the difference is a
    merchant-funded ``group price`` step. The campaign's coupons named by *coupon_ids* then
    apply in the order listed, each on the running amount: amount off takes its amount,
    percent off takes the running amount × percent rounded half up, 满X减Y takes its amount
    only when the running amount reaches X. No coupon takes the amount due below one minor
    unit; a coupon so trimmed says so in its step's note.

    Raises:
        InvalidInput: ``invalid_quantity``, ``invalid_price``, ``invalid_role``,
            ``invalid_coupons``, ``currency_mismatch``.
        Rejected: ``unknown_coupon`` or ``duplicate_coupon`` (with ``coupon=`` the id).
    """
    qty = _quantity(qty)
    if not isinstance(unit_price, Money) or unit_price.minor <= 0:
        raise InvalidInput(
            "invalid_price",
            f"unit_price must be a positive amount, got {unit_price!r}",
            field="unit_price",
            value=unit_price,
        )
    context = Context(role=role, coupons=coupon_ids)
    line = Line(campaign.id, qty, unit_price, campaign.list_price)
    return quote((line,), campaign, context, _MEMBER_POLICY)
