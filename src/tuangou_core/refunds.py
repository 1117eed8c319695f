"""Refund plans (退款): what goes back, from which line, which discount, along which tender.

A :class:`PaidOrder` is what a member paid and what still stands: lines (units, cash and each
discount's share on the line), tenders (WeChat Pay, balance …), points redeemed and earned,
and coupons used. Build it from the pricing :class:`~tuangou_core.pricing.Quote` with
:meth:`PaidOrder.from_quote`. :func:`plan_refund` answers a request with a :class:`RefundPlan`
and changes nothing; :meth:`PaidOrder.apply` records a plan and returns the order after it.

The rules, chosen so that partial refunds always add up:

- *Units*: returning ``k`` of the ``u`` units still held on a line gives back
  ``held − round(held × (u − k) / u)`` of the line's cash and of each discount share, that is
  ``alloc(before) − alloc(after)`` over what remains. The last unit takes whatever is left, so
  any sequence of partial refunds returns exactly what was paid, never a cent more or less.
- *Amount without return* (小额理赔): the cash is spread over the lines by the cash they still
  hold (largest remainder); units and discount shares stay.
- *Tier difference* (差价退款): the repriced quote's line totals and shares replace the held
  ones; each line gives back what it held above its new total.
- *Full*: everything still held.
- *Tenders*: cash goes back along the original path, external channels first (WeChat Pay,
  then balance, by default; see :class:`RefundPolicy`), each up to what it still holds.
- *Points*: redeemed points return as points, in proportion to the points discount reversed;
  points earned on the order are clawed back in proportion to the cash returned.
- *Coupons*: restored when the refund ends the order for a reason the policy names (by default
  group failure, a lost lottery, leaving before forming); forfeited otherwise (a partial or
  after-sales refund keeps them spent).
- *Ids*: ``"<order id>:r<sequence>"``: planning again from the same order gives the same
  refund, so a retry is never a second refund.
- *Limits*: a request beyond what the order, a line or a tender still holds is refused with
  :class:`~tuangou_core.errors.Rejected` ``refund_exceeds_paid`` and nothing changes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final

import attrs

from tuangou_core.campaign import Funder
from tuangou_core.errors import Conflict, InvalidInput, Rejected
from tuangou_core.events import RefundReason
from tuangou_core.money import Money, Rounding, allocate
from tuangou_core.pricing import Quote

__all__ = [
    "AmountRefund",
    "DiscountShare",
    "FullRefund",
    "LineRefund",
    "PaidLine",
    "PaidOrder",
    "RefundPlan",
    "RefundPolicy",
    "RefundRequest",
    "TenderPaid",
    "TenderRefund",
    "TierDifference",
    "UnitsRefund",
    "plan_refund",
]

_RESTORING: Final = frozenset(
    {RefundReason.GROUP_FAILED, RefundReason.LOTTERY_LOST, RefundReason.CANCELLED}
)


def _exceeds(message: str, **fields: object) -> Rejected:
    return Rejected("refund_exceeds_paid", message, **fields)


def _keep(held: int, remaining: int, units: int, rounding: Rounding) -> int:
    """What stays of *held* when *units* of *remaining* go back."""
    if units >= remaining:
        return 0
    return rounding.divide(held * (remaining - units), remaining)


# -- the paid order ----------------------------------------------------------------------------


@attrs.frozen
class DiscountShare:
    """A discount's share on one line, still standing (funded by *funder*)."""

    name: str
    funder: Funder
    amount: Money
    points: bool = False  # a points redemption (积分抵扣)


@attrs.frozen
class PaidLine:
    """One paid line: what it cost and what of it the member still holds.

    ``paid`` is the line's cash as paid; ``refunded`` the cash returned so far;
    ``discounts`` the discount shares still standing on the units (and cash) held.
    """

    sku: str
    qty: int
    unit_price: Money
    paid: Money
    discounts: tuple[DiscountShare, ...] = ()
    refunded: Money = attrs.field(
        default=attrs.Factory(lambda self: Money.zero(self.paid.currency), takes_self=True)
    )
    units_returned: int = 0

    @property
    def units(self) -> int:
        """Units still held."""
        return self.qty - self.units_returned

    @property
    def cash(self) -> Money:
        """Cash still held: paid − refunded."""
        return self.paid - self.refunded


@attrs.frozen
class TenderPaid:
    """A tender the order was paid with (``"wechat"``, ``"balance"`` …) and what it got back."""

    kind: str
    payment_id: str
    paid: Money
    refunded: Money = attrs.field(
        default=attrs.Factory(lambda self: Money.zero(self.paid.currency), takes_self=True)
    )

    @property
    def held(self) -> Money:
        """What this tender can still receive back."""
        return self.paid - self.refunded


@attrs.frozen
class PaidOrder:
    """A paid order and everything already refunded from it.

    Args:
        order_id: the order's id; refund ids derive from it.
        lines: the paid lines.
        tenders: how it was paid; their amounts sum to the lines' cash.
        points_used: points redeemed (积分抵扣) on the order.
        points_earned: points the order earned.
        coupons: coupons spent on the order, still neither restored nor forfeited.
        refunds: how many refunds were applied (the next refund's sequence is this + 1).
        points_returned: redeemed points already given back.
        points_clawed_back: earned points already taken back.
        points_value: the money value the redeemed points bought, as paid (by default the
            points shares of the lines as given).

    Raises:
        InvalidInput: ``tenders_mismatch`` when the tenders do not sum to the lines' cash,
            ``currency_mismatch``, ``invalid_order``.
    """

    order_id: str
    lines: tuple[PaidLine, ...]
    tenders: tuple[TenderPaid, ...]
    points_used: int = 0
    points_earned: int = 0
    coupons: tuple[str, ...] = ()
    refunds: int = 0
    points_returned: int = 0
    points_clawed_back: int = 0
    points_value: int = attrs.field(
        default=attrs.Factory(lambda self: _points_value(self.lines), takes_self=True)
    )

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.order_id, str) or not self.order_id:
            raise InvalidInput(
                "invalid_order", "order_id must be a non-empty string", field="order_id"
            )
        if not self.lines:
            raise InvalidInput("invalid_order", "an order needs at least one line", field="lines")
        currency = self.lines[0].paid.currency
        amounts = [line.paid for line in self.lines] + [t.paid for t in self.tenders]
        if any(m.currency != currency for m in amounts):
            raise InvalidInput(
                "currency_mismatch", "an order's lines and tenders share one currency"
            )
        cash = sum(line.cash.minor for line in self.lines)
        held = sum(t.held.minor for t in self.tenders)
        if cash != held:
            raise InvalidInput(
                "tenders_mismatch",
                f"the tenders hold {held} minor units, the lines {cash}",
                field="tenders",
                value=held,
            )
        for name in ("points_used", "points_earned"):
            value = getattr(self, name)
            if type(value) is not int or value < 0:
                raise InvalidInput(
                    "invalid_order", f"{name} must be a whole number of at least 0", field=name
                )

    @classmethod
    def from_quote(
        cls,
        order_id: str,
        quote: Quote,
        tenders: Sequence[TenderPaid | tuple[str, str, Money]],
        *,
        coupons: Sequence[str] = (),
        points_earned: int = 0,
    ) -> PaidOrder:
        """The paid order of *quote*, paid with *tenders* (``(kind, payment_id, amount)``).

        Each line keeps its share of every step (the group price step included, as a
        merchant-funded discount); the points step's shares are marked as points.
        """
        lines = []
        for index, line in enumerate(quote.lines):
            shares = tuple(
                DiscountShare(step.name, step.funder, step.shares[index], step.points > 0)
                for step in quote.steps
                if step.shares[index].minor
            )
            lines.append(PaidLine(line.sku, line.qty, line.unit_price, line.total, shares))
        paid = tuple(t if isinstance(t, TenderPaid) else TenderPaid(*t) for t in tenders)
        return cls(
            order_id,
            tuple(lines),
            paid,
            points_used=quote.points_used,
            points_earned=points_earned,
            coupons=tuple(coupons),
        )

    @property
    def currency(self) -> str:
        """The order's currency."""
        return self.lines[0].paid.currency

    @property
    def paid(self) -> Money:
        """Cash paid on the order."""
        return Money._trusted(sum(line.paid.minor for line in self.lines), self.currency)

    @property
    def refunded(self) -> Money:
        """Cash refunded so far."""
        return Money._trusted(sum(line.refunded.minor for line in self.lines), self.currency)

    @property
    def net(self) -> Money:
        """Cash the order still holds."""
        return self.paid - self.refunded

    def platform_discount(self) -> Money:
        """The platform-funded discount still standing on the order (for the split)."""
        return Money._trusted(
            sum(
                share.amount.minor
                for line in self.lines
                for share in line.discounts
                if share.funder is Funder.PLATFORM
            ),
            self.currency,
        )

    def next_refund_id(self) -> str:
        """The id the next refund of this order takes."""
        return f"{self.order_id}:r{self.refunds + 1}"

    def apply(self, plan: RefundPlan) -> PaidOrder:
        """The order after *plan*, which must be this order's next refund.

        Raises:
            Conflict: ``refund_out_of_order`` for a plan made from another state.
        """
        if plan.refund_id != self.next_refund_id() or plan.order_id != self.order_id:
            raise Conflict(
                "refund_out_of_order",
                f"refund {plan.refund_id} was not planned from this state of order "
                f"{self.order_id} (next is {self.next_refund_id()})",
                refund_id=plan.refund_id,
            )
        return plan.after


# -- requests and policy -----------------------------------------------------------------------


@attrs.frozen
class FullRefund:
    """Everything the order still holds goes back (group failed, lottery lost, cancelled)."""

    reason: RefundReason = RefundReason.GROUP_FAILED


@attrs.frozen
class UnitsRefund:
    """Return units: ``{line: units}``, a line named by its sku or its index."""

    units: Mapping[str | int, int]
    reason: RefundReason = RefundReason.AFTER_SALES


@attrs.frozen
class AmountRefund:
    """小额理赔: *amount* back without a return, from line *sku* or spread over all lines."""

    amount: Money
    sku: str | None = None
    reason: RefundReason = RefundReason.AFTER_SALES


@attrs.frozen
class TierDifference:
    """差价退款: the group closed cheaper; *quote* is the order repriced at the final tier."""

    quote: Quote
    reason: RefundReason = RefundReason.TIER_DIFFERENCE


RefundRequest = FullRefund | UnitsRefund | AmountRefund | TierDifference


def _tender_order(value: object) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise InvalidInput("invalid_policy", "tender_order must be a sequence of tender kinds")
    return tuple(str(v) for v in value)


@attrs.frozen
class RefundPolicy:
    """How refunds go back.

    Args:
        tender_order: which tenders are refunded first; tenders not listed follow in the
            order they were paid. Default: ``wechat`` before ``balance``: an external
            channel's refund window closes (WeChat Pay takes refunds for a year), the balance
            never does, and returning cash where it came from keeps stored value low.
        restore_coupons_on: the reasons whose order-ending refund restores the coupons;
            any other refund forfeits them.
        rounding: the rounding of proportional shares.
    """

    tender_order: tuple[str, ...] = attrs.field(
        default=("wechat", "balance"), converter=_tender_order
    )
    restore_coupons_on: frozenset[RefundReason] = _RESTORING
    rounding: Rounding = Rounding.HALF_UP


# -- the plan ----------------------------------------------------------------------------------


@attrs.frozen
class LineRefund:
    """What one line gives back: units, cash and each discount share reversed."""

    index: int
    sku: str
    units: int
    cash: Money
    discounts: tuple[DiscountShare, ...]


@attrs.frozen
class TenderRefund:
    """Cash going back along one tender (原路退回)."""

    kind: str
    payment_id: str
    amount: Money


@attrs.frozen
class RefundPlan:
    """A refund, fully specified: per line, per discount, per tender, points and coupons.

    ``amount == Σ line cash == Σ tender amounts``. ``after`` is the order once it is applied.
    """

    refund_id: str
    order_id: str
    seq: int
    reason: RefundReason
    amount: Money
    lines: tuple[LineRefund, ...]
    tenders: tuple[TenderRefund, ...]
    points_returned: int
    points_clawed_back: int
    coupons_restored: tuple[str, ...]
    coupons_forfeited: tuple[str, ...]
    ends_order: bool
    after: PaidOrder = attrs.field(repr=False)

    def discounts_reversed(self) -> dict[str, Money]:
        """Each discount's reversed amount over all lines, by discount name."""
        found: dict[str, Money] = {}
        for line in self.lines:
            for share in line.discounts:
                found[share.name] = found.get(share.name, Money.zero(self.amount.currency)) + (
                    share.amount
                )
        return found

    def explain(self) -> str:
        """The plan line by line; the tender lines sum to the amount."""
        out = [f"refund {self.refund_id} of {self.order_id} ({self.reason.value}): {self.amount}"]
        for line in self.lines:
            out.append(f"  line {line.sku}: {line.units} unit(s), cash {line.cash}")
            out.extend(
                f"    reverses {s.name} ({s.funder.value}) {s.amount}" for s in line.discounts
            )
        out.extend(f"  to {t.kind} {t.payment_id}: {t.amount}" for t in self.tenders)
        if self.points_returned:
            out.append(f"  points returned: {self.points_returned}")
        if self.points_clawed_back:
            out.append(f"  points earned clawed back: {self.points_clawed_back}")
        if self.coupons_restored:
            out.append(f"  coupons restored: {', '.join(self.coupons_restored)}")
        if self.coupons_forfeited:
            out.append(f"  coupons forfeited: {', '.join(self.coupons_forfeited)}")
        return "\n".join(out)


# -- planning ----------------------------------------------------------------------------------


@attrs.define
class _Change:
    """One line's change: units returned, cash back and the new shares."""

    units: int = 0
    cash: int = 0
    shares: tuple[DiscountShare, ...] | None = None  # the shares after; None: unchanged


def _line_index(order: PaidOrder, key: str | int) -> int:
    if isinstance(key, int) and not isinstance(key, bool):
        if 0 <= key < len(order.lines):
            return key
    elif isinstance(key, str):
        found = [i for i, line in enumerate(order.lines) if line.sku == key]
        if len(found) == 1:
            return found[0]
    raise InvalidInput(
        "unknown_line", f"order {order.order_id} has no single line {key!r}", field="units"
    )


def _units_changes(
    order: PaidOrder, units: Mapping[str | int, int], rounding: Rounding
) -> dict[int, _Change]:
    if not isinstance(units, Mapping) or not units:
        raise InvalidInput("invalid_request", "units must name at least one line", field="units")
    changes: dict[int, _Change] = {}
    for key, count in units.items():
        index = _line_index(order, key)
        line = order.lines[index]
        if type(count) is not int or count < 1:
            raise InvalidInput(
                "invalid_quantity", f"units for {key!r} must be at least 1", field="units"
            )
        if index in changes or count > line.units:
            raise _exceeds(
                f"line {line.sku} holds {line.units} unit(s), {count} asked",
                order=order.order_id,
                line=line.sku,
            )
        held = line.units
        keep_cash = _keep(line.cash.minor, held, count, rounding)
        shares = tuple(
            attrs.evolve(
                s,
                amount=Money._trusted(
                    _keep(s.amount.minor, held, count, rounding), s.amount.currency
                ),
            )
            for s in line.discounts
        )
        changes[index] = _Change(count, line.cash.minor - keep_cash, shares)
    return changes


def _amount_changes(order: PaidOrder, request: AmountRefund) -> dict[int, _Change]:
    amount = request.amount
    if not isinstance(amount, Money) or amount.currency != order.currency or amount.minor <= 0:
        raise InvalidInput(
            "invalid_amount",
            f"a refund amount must be a positive {order.currency} amount, got {amount!r}",
            field="amount",
        )
    if request.sku is not None:
        index = _line_index(order, request.sku)
        line = order.lines[index]
        if amount > line.cash:
            raise _exceeds(
                f"line {line.sku} holds {line.cash}, {amount} asked",
                order=order.order_id,
                line=line.sku,
            )
        return {index: _Change(cash=amount.minor)}
    if amount > order.net:
        raise _exceeds(
            f"order {order.order_id} holds {order.net}, {amount} asked", order=order.order_id
        )
    parts = allocate(amount, [line.cash.minor for line in order.lines])
    return {i: _Change(cash=p.minor) for i, p in enumerate(parts) if p.minor}


def _tier_changes(order: PaidOrder, quote: Quote) -> dict[int, _Change]:
    if len(quote.lines) != len(order.lines):
        raise InvalidInput(
            "quote_mismatch", "the repriced quote must have the order's lines", field="quote"
        )
    changes: dict[int, _Change] = {}
    for index, (line, new) in enumerate(zip(order.lines, quote.lines, strict=True)):
        if new.sku != line.sku or new.qty != line.units or line.units != line.qty:
            raise InvalidInput(
                "quote_mismatch",
                f"line {index} of the repriced quote is {new.qty} × {new.sku}, the order holds "
                f"{line.units} × {line.sku}",
                field="quote",
            )
        if new.total > line.cash:
            raise Rejected(
                "not_cheaper",
                f"line {line.sku} would cost {new.total}, more than the {line.cash} held",
                line=line.sku,
            )
        shares = tuple(
            DiscountShare(step.name, step.funder, step.shares[index], step.points > 0)
            for step in quote.steps
            if step.shares[index].minor
        )
        changes[index] = _Change(0, line.cash.minor - new.total.minor, shares)
    return changes


def _full_changes(order: PaidOrder) -> dict[int, _Change]:
    return {
        i: _Change(line.units, line.cash.minor, ())
        for i, line in enumerate(order.lines)
        if line.units or line.cash.minor or line.discounts
    }


def _tenders(order: PaidOrder, amount: int, policy: RefundPolicy) -> list[tuple[int, TenderRefund]]:
    rank = {kind: i for i, kind in enumerate(policy.tender_order)}
    ordered = sorted(
        range(len(order.tenders)),
        key=lambda i: (rank.get(order.tenders[i].kind, len(rank)), i),
    )
    left = amount
    out: list[tuple[int, TenderRefund]] = []
    for i in ordered:
        if not left:
            break
        tender = order.tenders[i]
        take = min(left, tender.held.minor)
        if take > 0:
            money = Money._trusted(take, order.currency)
            out.append((i, TenderRefund(tender.kind, tender.payment_id, money)))
            left -= take
    if left:
        raise _exceeds(
            f"the tenders of order {order.order_id} hold less than {amount} minor units",
            order=order.order_id,
        )
    return out


def _points_value(lines: Sequence[PaidLine]) -> int:
    return sum(s.amount.minor for line in lines for s in line.discounts if s.points)


def plan_refund(
    order: PaidOrder, request: RefundRequest, policy: RefundPolicy | None = None
) -> RefundPlan:
    """Plan *request* on *order*; nothing changes until :meth:`PaidOrder.apply`.

    Args:
        order: the paid order as it stands (with earlier refunds applied).
        request: a :class:`FullRefund`, :class:`UnitsRefund`, :class:`AmountRefund` or
            :class:`TierDifference`.
        policy: tender order, coupon rule and rounding; :class:`RefundPolicy` by default.

    Returns:
        The plan, with the refund id ``"<order id>:r<n>"`` and the order after it.

    Raises:
        Rejected: ``refund_exceeds_paid`` for more than a line, a tender or the order still
            holds, ``nothing_to_refund`` for an order already fully refunded,
            ``not_cheaper`` for a tier difference that would charge more.
        InvalidInput: ``unknown_line``, ``invalid_quantity``, ``invalid_amount``,
            ``quote_mismatch``, ``invalid_request``.
    """
    policy = policy or RefundPolicy()
    rounding = policy.rounding
    if isinstance(request, FullRefund):
        changes = _full_changes(order)
        if order.net.minor == 0 and not any(line.units for line in order.lines):
            raise Rejected(
                "nothing_to_refund",
                f"order {order.order_id} was already refunded in full",
                order=order.order_id,
            )
    elif isinstance(request, UnitsRefund):
        changes = _units_changes(order, request.units, rounding)
    elif isinstance(request, AmountRefund):
        changes = _amount_changes(order, request)
    elif isinstance(request, TierDifference):
        changes = _tier_changes(order, request.quote)
    else:
        raise InvalidInput("invalid_request", f"unknown refund request {type(request).__name__}")
    return _build(order, request.reason, changes, policy)


def _build(
    order: PaidOrder, reason: RefundReason, changes: dict[int, _Change], policy: RefundPolicy
) -> RefundPlan:
    currency = order.currency
    new_lines = list(order.lines)
    refunds: list[LineRefund] = []
    for index in sorted(changes):
        change = changes[index]
        line = order.lines[index]
        shares = line.discounts if change.shares is None else change.shares
        back = _share_delta(line.discounts, shares)
        cash = Money._trusted(change.cash, currency)
        new_lines[index] = attrs.evolve(
            line,
            refunded=line.refunded + cash,
            units_returned=line.units_returned + change.units,
            discounts=shares,
        )
        if change.units or change.cash or back:
            refunds.append(LineRefund(index, line.sku, change.units, cash, back))
    amount = sum(change.cash for change in changes.values())
    tenders = _tenders(order, amount, policy)
    new_tenders = list(order.tenders)
    for i, back_to in tenders:
        new_tenders[i] = attrs.evolve(
            new_tenders[i], refunded=new_tenders[i].refunded + back_to.amount
        )
    cash_after = sum(line.cash.minor for line in new_lines)
    ends = cash_after == 0  # net zero: the order is refunded
    # Points redeemed come back with the points discount they bought.
    value_total = order.points_value
    value_after = _points_value(new_lines)
    held_points = order.points_used - order.points_returned
    keep_points = (
        policy.rounding.divide(order.points_used * value_after, value_total) if value_total else 0
    )
    points_back = max(0, held_points - min(keep_points, held_points))
    if ends:
        points_back = held_points
    # Points earned go back with the cash.
    paid_total = order.paid.minor
    earned_held = order.points_earned - order.points_clawed_back
    keep_earned = (
        policy.rounding.divide(order.points_earned * cash_after, paid_total) if paid_total else 0
    )
    clawed = 0 if not order.points_earned else max(0, earned_held - min(keep_earned, earned_held))
    if ends:
        clawed = earned_held
    restored: tuple[str, ...] = ()
    forfeited: tuple[str, ...] = ()
    if order.coupons and (ends or reason is RefundReason.AFTER_SALES):
        if ends and reason in policy.restore_coupons_on:
            restored = order.coupons
        else:
            forfeited = order.coupons
    seq = order.refunds + 1
    after = attrs.evolve(
        order,
        lines=tuple(new_lines),
        tenders=tuple(new_tenders),
        coupons=() if restored or forfeited else order.coupons,
        refunds=seq,
        points_returned=order.points_returned + points_back,
        points_clawed_back=order.points_clawed_back + clawed,
    )
    return RefundPlan(
        refund_id=f"{order.order_id}:r{seq}",
        order_id=order.order_id,
        seq=seq,
        reason=reason,
        amount=Money._trusted(amount, currency),
        lines=tuple(refunds),
        tenders=tuple(t for _, t in tenders),
        points_returned=points_back,
        points_clawed_back=clawed,
        coupons_restored=restored,
        coupons_forfeited=forfeited,
        ends_order=ends,
        after=after,
    )


def _share_delta(
    before: tuple[DiscountShare, ...], after: tuple[DiscountShare, ...]
) -> tuple[DiscountShare, ...]:
    """Each discount's share reversed: before − after, by name (zeros left out)."""
    left = {s.name: s.amount for s in after}
    out = []
    for share in before:
        gone = share.amount - left.pop(share.name, Money.zero(share.amount.currency))
        if gone.minor:
            out.append(attrs.evolve(share, amount=gone))
    out.extend(
        attrs.evolve(s, amount=-amount)
        for s in after
        if (amount := left.get(s.name)) is not None and amount.minor
    )
    return tuple(out)
