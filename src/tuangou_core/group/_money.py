"""The commands that move money: a payment notification, and an after-sales refund.

Money that arrives is never refused and never dropped: a payment for an order that cannot take
it (a duplicate, a late or mismatched amount, one naming no order) is recorded and sent
straight back along its own path. Only a reused payment id that says something else is
refused (``payment_conflict``), as a reused transfer id is.
"""

from __future__ import annotations

from tuangou_core.errors import Conflict, InvalidInput
from tuangou_core.group._commands import Pay, RequestRefund
from tuangou_core.group._events import (
    Event,
    GroupStatus,
    OrderPaid,
    OrderStatus,
    PaymentAuthorised,
    PaymentReceived,
    PaymentUnmatched,
    RefundDue,
)
from tuangou_core.group._outcomes import (
    captures,
    form,
    forming_price,
    order_of,
    refund,
    reject,
    release,
    return_payment,
)
from tuangou_core.group._state import ENDED, FORMED
from tuangou_core.group._view import OrderView, View, find_group
from tuangou_core.group._working import scratch
from tuangou_core.money import Money
from tuangou_core.refunds import AmountRefund, RefundReason, UnitsRefund


def check_money(view: View, amount: Money, field: str) -> Money:
    """*amount* (a command's: ``Money``, and positive or refused as nothing before) as an amount
    in the campaign's currency.

    Raises:
        InvalidInput: ``currency_mismatch`` naming *field*.
    """
    if amount.currency != view.campaign.currency:
        raise InvalidInput(
            "currency_mismatch",
            f"{field} is in {amount.currency}, the campaign in {view.campaign.currency}",
            field=field,
            value=amount.currency,
        )
    return amount


def decide_pay(view: View, command: Pay) -> list[Event]:
    """A payment notification: settles the order, or is recorded and sent straight back."""
    amount = check_money(view, command.amount, "amount")
    payment_id = command.payment_id
    tender = command.tender
    seen = view.payments.get(payment_id)
    if seen is not None:
        if seen == (command.group, command.member, amount):
            return []  # the same notification again: already applied
        raise Conflict(
            "payment_conflict",
            f"payment {payment_id!r} was applied as {seen[2]} for {seen[1]!r} in "
            f"{seen[0]!r}; now it says {amount} for {command.member!r} in {command.group!r}",
            payment_id=payment_id,
        )
    at = command.at
    capture = captures(view.campaign)
    group = view.groups.get(command.group)
    order = None if group is None else group.orders.get(command.member)
    if group is None or order is None:
        # Money naming no order is recorded and sent back whole, never refused.
        return [
            PaymentUnmatched(
                at, command.group, command.member, payment_id, amount, tender, capture
            ),
            return_payment(
                command.group,
                command.member,
                f"unmatched:{payment_id}",
                payment_id,
                tender,
                amount,
                RefundReason.UNMATCHED_PAYMENT,
                at,
                authorised=capture,
            ),
        ]
    arrived: Event
    if capture:
        arrived = PaymentAuthorised(at, group.id, order.member, payment_id, amount, tender)
    else:
        arrived = PaymentReceived(at, group.id, order.member, payment_id, amount, tender)
    reason = None
    if order.status in ENDED or group.status is GroupStatus.FAILED:
        reason = RefundReason.LATE_PAYMENT
    elif order.status is not OrderStatus.PENDING_PAYMENT:
        reason = RefundReason.DUPLICATE_PAYMENT
    elif amount != order.due:
        reason = RefundReason.AMOUNT_MISMATCH
    if reason is not None:
        refund_id = f"{group.id}:{order.member}:r{order.refund_count + 1}"
        back = return_payment(
            group.id,
            order.member,
            refund_id,
            payment_id,
            tender,
            amount,
            reason,
            at,
            authorised=capture,
        )
        return [arrived, back]
    events: list[Event] = [arrived, OrderPaid(at, group.id, order.member, payment_id, tender)]
    # A pending order lives only in an open group (forming cancels the holds left), and an
    # open group counts its paid orders (check_invariants holds it to that): a payment costs
    # the same in a group of ten thousand as in a group of three.
    paid_before = group.paid
    price = forming_price(view.campaign, paid_before + 1)
    if price is not None:
        paid_now = scratch(order, status=OrderStatus.AWAITING_GROUP)
        paid: list[OrderView] = [
            o for o in group.orders.values() if o.status is OrderStatus.AWAITING_GROUP
        ]
        paid.append(paid_now)
        pending = [
            o
            for o in group.orders.values()
            if o.status is OrderStatus.PENDING_PAYMENT and o.member != order.member
        ]
        # The settling payment's cash is part of the order now: plan its refunds from it.
        cash = Money.zero(amount.currency) if capture else amount
        settled = scratch(
            paid_now,
            payment_id=payment_id,
            tender=tender,
            settled=cash,
            returned=Money.zero(amount.currency),
            paid=order.paid + cash,
            authorised=order.authorised + amount if capture else order.authorised,
        )
        paid[-1] = settled
        events.extend(form(view, group, paid, pending, at, price, 0, None))
    return events


def decide_refund(view: View, command: RequestRefund) -> list[Event]:
    """An after-sales refund (小额理赔 by amount, or units returned) on a formed order."""
    group = find_group(view, command.group)
    order = order_of(group, command.member)
    refund_id = command.refund_id
    if refund_id is not None:
        seen = view.refund_ids.get(refund_id)
        if seen is not None:
            if _same_request(seen, command):
                return []  # the same refund asked again: already applied
            raise Conflict(
                "refund_conflict",
                f"refund {refund_id!r} was applied to {seen[1]!r} in {seen[0]!r}; this request "
                "asks something else",
                refund_id=refund_id,
            )
    if order.status not in FORMED:
        raise reject(
            "not_refundable",
            f"the order of {order.member!r} is {order.status.value}; "
            "after-sales refunds apply to formed orders (leave an unformed group "
            "with cancel)",
            group=group.id,
            member=order.member,
        )
    request: AmountRefund | UnitsRefund
    if command.units is not None:
        units = command.units
        if units == 0:
            raise _exceeds(order.member, group.id, "a refund of no units")
        if units > order.qty - order.units_returned:
            raise _exceeds(
                order.member,
                group.id,
                f"{units} unit(s) asked, {order.qty - order.units_returned} left",
            )
        request = UnitsRefund({0: units})
    else:
        amount = command.amount
        assert amount is not None  # a request names exactly one of units and amount
        if amount.currency == view.campaign.currency and not amount.minor:
            raise _exceeds(order.member, group.id, "a refund of nothing")
        amount = check_money(view, amount, "amount")
        if amount > order.net:
            raise _exceeds(
                order.member, group.id, f"refund of {amount} exceeds the {order.net} left"
            )
        request = AmountRefund(amount)
    events = refund(order, request, command.at, note=command.reason, refund_id=command.refund_id)
    if not events:
        raise _exceeds(order.member, group.id, "the units asked have no cash left on the order")
    back = sum(e.amount.minor for e in events if isinstance(e, RefundDue))
    if back == order.net.minor and order.status is OrderStatus.AWAITING_SHIPMENT:
        events.extend(release(view, order, command.at))
    return events


def _same_request(seen: tuple[str, str, int, Money], command: RequestRefund) -> bool:
    group, member, units, amount = seen
    if (group, member) != (command.group, command.member):
        return False
    if command.units is not None:
        return units == command.units
    return units == 0 and amount == command.amount


def _exceeds(member: str, group: str, why: str) -> Exception:
    return reject(
        "refund_exceeds_paid",
        f"{why} on the order of {member!r} in {group!r}",
        group=group,
        member=member,
    )
