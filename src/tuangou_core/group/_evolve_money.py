"""Applying the events that move money: payments, authorisations, captures and refunds.

The handlers of :mod:`tuangou_core.group._evolve` for money, over the same working copy
(``Draft``): each adds an amount to its order's running totals, in place, and records the
payment or refund id the decider reads to recognise a notification or a request seen before.
Private: the public entry points are :func:`tuangou_core.group.evolve`, ``Fold`` and
``replay``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

from tuangou_core.group._events import (
    AuthorisationReleased,
    OrderPaid,
    OrderStatus,
    PaymentAuthorised,
    PaymentCaptured,
    PaymentReceived,
    PaymentUnmatched,
    RefundDue,
)
from tuangou_core.group._state import ENDED, Unmatched
from tuangou_core.group._working import WorkingGroup, WorkingOrder
from tuangou_core.money import Money
from tuangou_core.refunds import ENDING_REASONS, RefundReason

if TYPE_CHECKING:  # _evolve imports these handlers: the working copy's type for annotations
    from tuangou_core.group._evolve import Draft


def _plus(total: Money, amount: Money) -> Money:
    # Adding to nothing keeps the amount itself: no new value for the common first payment.
    # Anything unusual (another currency, not Money) goes through + and its errors.
    if not total.minor and type(amount) is Money and amount.currency == total.currency:
        return amount
    return total + amount


def _minus(total: Money, amount: Money) -> Money:
    if not amount.minor and type(total) is Money and amount.currency == total.currency:
        return total
    return total - amount


def _record_payment(draft: Draft, event: PaymentReceived | PaymentAuthorised) -> None:
    if "payments" in draft.shared:
        draft.own("payments")
    draft.payments[event.payment_id] = (event.group, event.member, event.amount)


def on_received(draft: Draft, event: PaymentReceived) -> None:
    _record_payment(draft, event)
    order = draft.order(draft.group(event.group), event.member)
    order.paid = _plus(order.paid, event.amount)


def on_authorised(draft: Draft, event: PaymentAuthorised) -> None:
    _record_payment(draft, event)
    order = draft.order(draft.group(event.group), event.member)
    order.authorised = _plus(order.authorised, event.amount)


def on_unmatched(draft: Draft, event: PaymentUnmatched) -> None:
    draft.own("payments")
    draft.payments[event.payment_id] = (event.group, event.member, event.amount)
    draft.own("unmatched")
    draft.unmatched[event.payment_id] = Unmatched(
        event.group,
        event.member,
        event.payment_id,
        event.amount,
        event.tender,
        event.authorised,
        draft.zero,
    )


def _returned_unmatched(draft: Draft, payment_id: str, amount: Money) -> None:
    draft.own("unmatched")
    stray = draft.unmatched[payment_id]
    draft.unmatched[payment_id] = attrs.evolve(stray, returned=stray.returned + amount)


def on_paid(draft: Draft, event: OrderPaid) -> None:
    group = draft.group(event.group)
    order = draft.order(group, event.member)
    # Cash settles the order now; an authorisation settles it only once captured.
    zero = draft.zero
    cash = zero if order.authorised.minor else _minus(order.paid, order.refunded)
    order.status = OrderStatus.AWAITING_GROUP
    order.payment_id = event.payment_id
    order.tender = event.tender
    order.settled = cash
    order.returned = zero
    group.pending -= 1
    group.paid += 1


def on_captured(draft: Draft, event: PaymentCaptured) -> None:
    order = draft.order(draft.group(event.group), event.member)
    order.paid = _plus(order.paid, event.amount)
    order.authorised = order.authorised - event.amount
    order.settled = _plus(order.settled, event.amount)


def on_released_authorisation(draft: Draft, event: AuthorisationReleased) -> None:
    if event.reason is RefundReason.UNMATCHED_PAYMENT:
        _returned_unmatched(draft, event.payment_id, event.amount)
        return
    group = draft.group(event.group)
    order = draft.order(group, event.member)
    order.authorised = order.authorised - event.amount
    _end_if(group, order, event.reason)


def _end_if(group: WorkingGroup, order: WorkingOrder, reason: RefundReason) -> None:
    ends = reason in ENDING_REASONS or (
        reason is RefundReason.AFTER_SALES and order.net.minor == 0 and order.authorised.minor == 0
    )
    if ends and order.status not in ENDED:
        if order.status is OrderStatus.AWAITING_GROUP:
            group.paid -= 1
        order.status = OrderStatus.REFUNDED


def on_refund(draft: Draft, event: RefundDue) -> None:
    draft.own("refund_ids")
    draft.refund_ids[event.refund_id] = (event.group, event.member, event.units, event.amount)
    if event.reason is RefundReason.UNMATCHED_PAYMENT:
        _returned_unmatched(draft, event.payment_id, event.amount)
        return
    group = draft.group(event.group)
    order = draft.order(group, event.member)
    amount = event.amount
    order.refunded = _plus(order.refunded, amount)
    order.refund_count += 1
    if event.reason is RefundReason.AFTER_SALES:
        order.after_sales = _plus(order.after_sales, amount)
    if order.payment_id is not None and event.payment_id == order.payment_id:
        order.returned = _plus(order.returned, amount)
    order.units_returned += event.units
    if event.units:
        order.unit_refunded = _plus(order.unit_refunded, amount)
    if event.coupons_restored or event.coupons_forfeited:
        order.coupons_settled = True
    _end_if(group, order, event.reason)
