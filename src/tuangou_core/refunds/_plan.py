"""Refund planning: the arithmetic that turns a request on a paid order into a plan.

Each kind of request becomes a change per line (units back, cash back, the discount shares
after); :func:`plan_refund` then sends the cash back along the tenders, returns or claws back
points, settles the coupons and builds the order after. The rules are in the docstring of
:mod:`tuangou_core.refunds`, the planner's public face.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from tuangou_core.errors import InvalidInput, Rejected
from tuangou_core.money import Money, Rounding, allocate
from tuangou_core.pricing import Quote
from tuangou_core.refunds._reasons import RefundReason
from tuangou_core.refunds._values import (
    AmountRefund,
    DiscountShare,
    FullRefund,
    LineRefund,
    PaidOrder,
    RefundPlan,
    RefundPolicy,
    RefundRequest,
    TenderRefund,
    TierDifference,
    UnitsRefund,
    redeemed_points_value,
)


def _exceeds(message: str, **fields: object) -> Rejected:
    return Rejected("refund_exceeds_paid", message, **fields)


def _keep(held: int, remaining: int, units: int, rounding: Rounding) -> int:
    """What stays of *held* when *units* of *remaining* go back."""
    if units >= remaining:
        return 0
    return rounding.divide(held * (remaining - units), remaining)


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
    value_after = redeemed_points_value(new_lines)
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
