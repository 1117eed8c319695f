"""Refund planning: the arithmetic that turns a request on a paid order into a plan.

Each kind of request becomes a change per line (units back, cash back, a new price); the plan
then sends the cash back along the tenders, reverses the discounts by the one standing rule,
returns or claws back points, settles the coupons and builds the order after. The rules are in
the docstring of :mod:`tuangou_core.refunds`, the planner's public face.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from tuangou_core.errors import InvalidInput, Rejected
from tuangou_core.money import Money, Rounding, allocate
from tuangou_core.pricing import Quote
from tuangou_core.refunds import _checks as check
from tuangou_core.refunds._reasons import RefundReason
from tuangou_core.refunds._requests import (
    DEFAULT_POLICY,
    AmountRefund,
    FullRefund,
    RefundPolicy,
    RefundRequest,
    TierDifference,
    UnitsRefund,
)
from tuangou_core.refunds._values import (
    DiscountShare,
    LineRefund,
    PaidLine,
    PaidOrder,
    RefundPlan,
    TenderPaid,
    TenderRefund,
    lines_of,
    standing_shares,
)


def _exceeds(message: str, **fields: object) -> Rejected:
    return Rejected("refund_exceeds_paid", message, **fields)


@attrs.define
class _Change:
    """One line's change: units returned, cash back, and its new price (a tier difference)."""

    units: int = 0
    cash: int = 0
    repriced: PaidLine | None = None  # the line at its new price; None: the price stays
    by_units: bool = False  # the cash counts toward the cumulative unit rule


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
    """The cumulative unit rule: with ``r`` of a line's ``q`` units back in all, the unit
    returns together give back ``round(due × r / q)``, never more than the line still holds."""
    # UnitsRefund holds a read-only mapping of 1 to 1 000 lines, each count a quantity.
    changes: dict[int, _Change] = {}
    for key, count in units.items():
        index = _line_index(order, key)
        line = order.lines[index]
        if index in changes or count > line.units:
            raise _exceeds(
                f"line {line.sku} holds {line.units} unit(s), {count} asked",
                order=order.order_id,
                line=line.sku,
            )
        back_in_all = rounding.divide(line.due.minor * (line.units_returned + count), line.qty)
        cash = min(back_in_all - line.unit_refunded.minor, line.cash.minor)
        changes[index] = _Change(count, max(cash, 0), by_units=True)
    return changes


def _amount_changes(order: PaidOrder, request: AmountRefund) -> dict[int, _Change]:
    amount = request.amount  # AmountRefund holds positive Money
    if amount.currency != order.currency:
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
    for index, new in enumerate(lines_of(quote)):
        line = order.lines[index]
        if new.sku != line.sku or new.qty != line.units or line.units != line.qty:
            raise InvalidInput(
                "quote_mismatch",
                f"line {index} of the repriced quote is {new.qty} × {new.sku}, the order holds "
                f"{line.units} × {line.sku}",
                field="quote",
            )
        if new.paid > line.cash:
            raise Rejected(
                "not_cheaper",
                f"line {line.sku} would cost {new.paid}, more than the {line.cash} held",
                line=line.sku,
            )
        repriced = check.rebuilt(line, due=new.paid, discounts=new.discounts)
        changes[index] = _Change(0, line.cash.minor - new.paid.minor, repriced)
    return changes


def _full_changes(order: PaidOrder) -> dict[int, _Change]:
    return {
        i: _Change(line.units, line.cash.minor)
        for i, line in enumerate(order.lines)
        if line.units or line.cash.minor
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
    # Every change gives back at most its line's cash, and the tenders hold the lines' cash
    # (PaidOrder checks it), so *amount* is always covered.
    return out


def plan_refund(
    order: PaidOrder,
    request: RefundRequest,
    policy: RefundPolicy | None = None,
    *,
    refund_id: str | None = None,
) -> RefundPlan:
    """Plan *request* on *order*; nothing changes until :meth:`PaidOrder.apply`.

    Args:
        order: the paid order as it stands (with earlier refunds applied).
        request: a :class:`FullRefund`, :class:`UnitsRefund`, :class:`AmountRefund` or
            :class:`TierDifference`.
        policy: tender order, coupon rule and rounding; :class:`RefundPolicy` by default.
        refund_id: the id the caller gives the refund (an idempotency key); by default
            ``"<order id>:r<n>"``.

    Returns:
        The plan, with its refund id and the order after it.

    Raises:
        Rejected: ``refund_exceeds_paid`` for more than a line, a tender or the order still
            holds, or a unit return that would give back nothing; ``nothing_to_refund`` for an
            order already fully refunded; ``not_cheaper`` for a tier difference that would
            charge more.
        InvalidInput: ``unknown_line``, ``invalid_quantity``, ``invalid_amount``,
            ``quote_mismatch``, ``invalid_request``; for junk arguments ``invalid_input``
            (*order*), ``invalid_request`` (*request*), ``invalid_policy`` (*policy*),
            ``invalid_refund_id``, each naming the argument.
    """
    _check_arguments(order, request, policy)
    refund_id = check.refund_id(refund_id)
    if policy is None:
        policy = DEFAULT_POLICY
    if isinstance(request, FullRefund):
        if order.net.minor == 0 and not any(line.units for line in order.lines):
            raise Rejected(
                "nothing_to_refund",
                f"order {order.order_id} was already refunded in full",
                order=order.order_id,
            )
        changes = _full_changes(order)
    elif isinstance(request, UnitsRefund):
        changes = _units_changes(order, request.units, policy.rounding)
        if not any(change.cash for change in changes.values()):
            raise _exceeds(
                f"order {order.order_id} has no cash left for the units asked",
                order=order.order_id,
            )
    elif isinstance(request, AmountRefund):
        changes = _amount_changes(order, request)
    else:  # a TierDifference: _check_arguments let only the four requests through
        changes = _tier_changes(order, request.quote)
    return _build(order, request.reason, changes, policy, refund_id)


_REQUESTS = (FullRefund, UnitsRefund, AmountRefund, TierDifference)


def _check_arguments(order: object, request: object, policy: object) -> None:
    for value, kind, code, field, what in (
        (order, PaidOrder, "invalid_input", "order", "a PaidOrder"),
        (request, _REQUESTS, "invalid_request", "request", "a refund request"),
        (policy, (RefundPolicy, type(None)), "invalid_policy", "policy", "a RefundPolicy"),
    ):
        if not isinstance(value, kind):
            raise InvalidInput(
                code,
                f"{field} must be {what}, got {type(value).__name__}",
                field=field,
                value=type(value).__name__,
            )


def _build(
    order: PaidOrder,
    reason: RefundReason,
    changes: dict[int, _Change],
    policy: RefundPolicy,
    refund_id: str | None,
) -> RefundPlan:
    currency = order.currency
    rounding = policy.rounding
    new_lines = list(order.lines)
    for index, change in changes.items():
        line = change.repriced or order.lines[index]
        cash = Money._trusted(change.cash, currency)
        new_lines[index] = check.rebuilt(
            line,
            refunded=line.refunded + cash,
            units_returned=line.units_returned + change.units,
            unit_refunded=line.unit_refunded + cash if change.by_units else line.unit_refunded,
        )
    amount = sum(change.cash for change in changes.values())
    tenders = _tenders(order, amount, policy)
    new_tenders = list(order.tenders)
    for i, back_to in tenders:
        new_tenders[i] = check.rebuilt(
            new_tenders[i], refunded=new_tenders[i].refunded + back_to.amount
        )
    before = order.standing_discounts(rounding)
    net_after = order.net.minor - amount
    due_after = sum(line.due.minor for line in new_lines)
    after_shares = standing_shares(new_lines, net_after, due_after, rounding)
    refunds: list[LineRefund] = []
    for index, line in enumerate(order.lines):
        moved = changes.get(index, _Change())
        back = _share_delta(before[index], after_shares[index])
        if back or moved.units or moved.cash:
            cash = Money._trusted(moved.cash, currency)
            refunds.append(LineRefund(index, line.sku, moved.units, cash, back))
    ends = net_after == 0
    points_back, clawed = _points(order, after_shares, net_after, ends, rounding)
    restored: tuple[str, ...] = ()
    forfeited: tuple[str, ...] = ()
    if order.coupons and (ends or reason is RefundReason.AFTER_SALES):
        if ends and reason in policy.restore_coupons_on:
            restored = order.coupons
        else:
            forfeited = order.coupons
    seq = order.refunds + 1
    after = check.rebuilt(
        order,
        lines=tuple(new_lines),
        tenders=tuple(new_tenders),
        coupons=() if restored or forfeited else order.coupons,
        refunds=seq,
        points_returned=order.points_returned + points_back,
        points_clawed_back=order.points_clawed_back + clawed,
    )
    return RefundPlan(
        refund_id=refund_id or f"{order.order_id}:r{seq}",
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


def _points(
    order: PaidOrder,
    after_shares: tuple[tuple[DiscountShare, ...], ...],
    net_after: int,
    ends: bool,
    rounding: Rounding,
) -> tuple[int, int]:
    """(redeemed points returned, earned points clawed back) by this refund.

    Redeemed points come back with the points discount they bought: the points still spent are
    ``round(points used × points discount standing / points discount quoted)``. Earned points
    go back with the cash: those kept are ``round(points earned × net / paid)``. An order whose
    net reaches zero returns and claws back everything that is left.
    """
    held_points = order.points_used - order.points_returned
    earned_held = order.points_earned - order.points_clawed_back
    if ends:
        return held_points, earned_held
    quoted = sum(s.amount.minor for line in order.lines for s in line.discounts if s.points)
    still = sum(s.amount.minor for line in after_shares for s in line if s.points)
    spent = rounding.divide(order.points_used * still, quoted) if quoted else order.points_used
    # Some cash stands (the order does not end), so some was paid.
    kept = rounding.divide(order.points_earned * net_after, order.paid.minor)
    return held_points - min(spent, held_points), earned_held - min(kept, earned_held)


def _share_delta(
    before: tuple[DiscountShare, ...], after: tuple[DiscountShare, ...]
) -> tuple[DiscountShare, ...]:
    """Each discount's share reversed: before − after, by name (zeros left out)."""
    left = {s.name: s.amount for s in after}
    out = []
    for share in before:
        gone = share.amount - left.pop(share.name, Money.zero(share.amount.currency))
        if gone.minor:
            out.append(check.rebuilt(share, amount=gone))
    out.extend(
        check.rebuilt(s, amount=-amount)
        for s in after
        if (amount := left.get(s.name)) is not None and amount.minor
    )
    return tuple(out)


def plan_return(
    refund_id: str,
    order_id: str,
    payment: TenderPaid,
    reason: RefundReason,
) -> RefundPlan:
    """Plan sending a stray payment back whole, along the tender it came by.

    A payment that settles nothing (a duplicate, a late or mismatched amount, one naming no
    order) is returned as it came: one tender, no line, no discount, no points.

    Args:
        refund_id: the refund's id.
        order_id: the order the payment named (``"<group>:<member>"``), for the record.
        payment: the payment to send back; what it still holds goes back.
        reason: why (``duplicate_payment``, ``late_payment``, ``amount_mismatch``,
            ``unmatched_payment``).

    Raises:
        Rejected: ``nothing_to_refund`` for a payment already returned.
        InvalidInput: ``invalid_refund_id``, ``invalid_order``, ``invalid_input`` (a *payment*
            that is not a :class:`TenderPaid`), ``invalid_request`` (*reason*).
    """
    refund_id = check.refund_id(refund_id) or ""
    if not refund_id:
        raise InvalidInput("invalid_refund_id", "refund_id is required", field="refund_id")
    order_id = check.order_id(order_id)
    reason = check.reason(reason)
    if not isinstance(payment, TenderPaid):
        raise InvalidInput(
            "invalid_input",
            f"payment must be a TenderPaid, got {type(payment).__name__}",
            field="payment",
            value=type(payment).__name__,
        )
    if payment.held.minor <= 0:
        raise Rejected(
            "nothing_to_refund",
            f"payment {payment.payment_id} was already returned",
            order=order_id,
        )
    back = TenderRefund(payment.kind, payment.payment_id, payment.held)
    return RefundPlan(
        refund_id=refund_id,
        order_id=order_id,
        seq=0,
        reason=reason,
        amount=payment.held,
        lines=(),
        tenders=(back,),
        points_returned=0,
        points_clawed_back=0,
        coupons_restored=(),
        coupons_forfeited=(),
        ends_order=False,
        after=None,
    )
