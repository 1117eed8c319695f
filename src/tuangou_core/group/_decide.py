"""What each command causes: one handler per command type, each a short pure function.

Every handler only reads the state (a :class:`CampaignState` or the working copy of a
``Fold``) and returns events, or raises a coded refusal. Private: the public entry point is
:func:`tuangou_core.group.decide`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, Final

import attrs

from tuangou_core.campaign import Campaign, LotteryRule, Overflow, SeckillRule, check_quantity
from tuangou_core.errors import Conflict, InvalidInput
from tuangou_core.group._commands import (
    Cancel,
    Command,
    Complete,
    Draw,
    Join,
    Open,
    Pay,
    RequestRefund,
    Ship,
    Tick,
)
from tuangou_core.group._events import (
    Event,
    GroupOpened,
    GroupStatus,
    MemberJoined,
    OrderCancelled,
    OrderCompleted,
    OrderPaid,
    OrderShipped,
    OrderStatus,
    PaymentAuthorised,
    PaymentReceived,
    StockReserved,
    WinnersDrawn,
)
from tuangou_core.group._lottery import draw
from tuangou_core.group._outcomes import (
    captures,
    form,
    forming_price,
    give_back,
    member_quote,
    order_of,
    reject,
    release,
)
from tuangou_core.group._state import ENDED, PAID, View, find_group
from tuangou_core.money import Money
from tuangou_core.refunds import RefundReason
from tuangou_core.timing import require_aware


def _unit_price(campaign: Campaign, role: str) -> Money:
    if role == "opener" and campaign.leader_price is not None:
        return campaign.leader_price
    return campaign.rule.price


def _admit(view: View, member: str, qty: int, at: datetime, group: str) -> None:
    campaign = view.campaign
    check_quantity(qty)
    if isinstance(campaign.rule, SeckillRule) and at < campaign.rule.starts_at:
        raise reject(
            "before_start",
            f"the seckill starts at {campaign.rule.starts_at.isoformat()}",
            group=group,
            member=member,
        )
    limit = campaign.per_member_limit
    if limit is not None and view.units.get(member, 0) + qty > limit:
        raise reject(
            "limit_exceeded",
            f"{member!r} holds {view.units.get(member, 0)} units; {qty} more passes the limit "
            f"of {limit}",
            group=group,
            member=member,
        )
    if campaign.stock is not None and view.stock_taken + qty > campaign.stock:
        raise reject(
            "out_of_stock",
            f"{campaign.stock - view.stock_taken} units left, {qty} asked",
            group=group,
            member=member,
        )


def _joined(
    view: View,
    group: str,
    member: str,
    qty: int,
    coupons: tuple[str, ...],
    role: str,
    at: datetime,
) -> list[Event]:
    campaign = view.campaign
    quote = member_quote(
        campaign, unit_price=_unit_price(campaign, role), qty=qty, coupon_ids=coupons, role=role
    )
    hold_until = campaign.payment_timeout.after(at, campaign.zone)
    events: list[Event] = [MemberJoined(at, group, member, qty, role, quote, hold_until, coupons)]
    if campaign.stock is not None or campaign.per_member_limit is not None:
        events.append(StockReserved(at, group, member, qty))
    return events


def _decide_open(view: View, command: Open) -> list[Event]:
    if not isinstance(command.group, str) or not command.group:
        raise InvalidInput(
            "invalid_group", "group must be a non-empty string", field="group", value=command.group
        )
    if command.group in view.groups:
        raise reject(
            "group_exists", f"group {command.group!r} is already open", group=command.group
        )
    _admit(view, command.member, command.qty, command.at, command.group)
    return _open(view, command.group, command.member, command.qty, command.coupons, command.at)


def _open(
    view: View, group: str, member: str, qty: int, coupons: tuple[str, ...], at: datetime
) -> list[Event]:
    if not view.campaign.may_open(at):
        raise reject(
            "outside_slot",
            f"groups open only inside the merchant's time slots; {at.isoformat()} is outside them",
            group=group,
            member=member,
        )
    deadline = view.campaign.deadline(at)
    return [
        GroupOpened(at, group, member, deadline),
        *_joined(view, group, member, qty, coupons, "opener", at),
    ]


def _decide_join(view: View, command: Join) -> list[Event]:
    group = find_group(view, command.group)
    if group.status is not GroupStatus.OPEN:
        raise reject("group_closed", f"group {group.id!r} is {group.status.value}", group=group.id)
    if command.member in group.orders:
        raise reject(
            "already_member",
            f"{command.member!r} already has an order in group {group.id!r}",
            group=group.id,
            member=command.member,
        )
    _admit(view, command.member, command.qty, command.at, group.id)
    if group.holding < view.campaign.max_size:
        return _joined(
            view, group.id, command.member, command.qty, command.coupons, "joiner", command.at
        )
    if view.campaign.overflow is Overflow.REJECT:
        raise reject(
            "group_full",
            f"group {group.id!r} holds {group.holding} of {view.campaign.max_size} slots",
            group=group.id,
        )
    spill = _spill_id(view, group.id)
    return _open(view, spill, command.member, command.qty, command.coupons, command.at)


def _spill_id(view: View, group_id: str) -> str:
    n = 2
    while f"{group_id}-{n}" in view.groups:
        n += 1
    return f"{group_id}-{n}"


def _check_money(view: View, amount: Money, field: str) -> None:
    if not isinstance(amount, Money):
        raise InvalidInput("invalid_amount", f"{field} must be Money", field=field, value=amount)
    if amount.currency != view.campaign.currency:
        raise InvalidInput(
            "currency_mismatch",
            f"{field} is in {amount.currency}, the campaign in {view.campaign.currency}",
            field=field,
            value=amount.currency,
        )
    if amount.minor <= 0:
        raise InvalidInput(
            "invalid_amount",
            f"{field} must be positive, got {amount}",
            field=field,
            value=str(amount),
        )


def _decide_pay(view: View, command: Pay) -> list[Event]:
    _check_money(view, command.amount, "amount")
    if not isinstance(command.payment_id, str) or not command.payment_id:
        raise InvalidInput(
            "invalid_payment_id",
            "payment_id must be a non-empty string",
            field="payment_id",
            value=command.payment_id,
        )
    seen = view.payments.get(command.payment_id)
    if seen is not None:
        if seen == (command.group, command.member, command.amount):
            return []  # the same notification again: already applied
        raise Conflict(
            "payment_conflict",
            f"payment {command.payment_id!r} was applied as {seen[2]} for {seen[1]!r} in "
            f"{seen[0]!r}; now it says {command.amount} for {command.member!r} in "
            f"{command.group!r}",
            payment_id=command.payment_id,
        )
    group = find_group(view, command.group)
    order = order_of(group, command.member)
    capture = captures(view.campaign)
    at = command.at
    arrived: Event
    if capture:
        arrived = PaymentAuthorised(
            at, group.id, order.member, command.payment_id, command.amount, command.tender
        )
    else:
        arrived = PaymentReceived(
            at, group.id, order.member, command.payment_id, command.amount, command.tender
        )
    # Money that arrives is recorded, then settles the order or goes straight back along
    # the path it came by.
    cash = Money.zero(command.amount.currency) if capture else command.amount
    held = command.amount if capture else None
    reason = None
    if order.status in ENDED or group.status is GroupStatus.FAILED:
        reason = RefundReason.LATE_PAYMENT
    elif order.status is not OrderStatus.PENDING_PAYMENT:
        reason = RefundReason.DUPLICATE_PAYMENT
    elif command.amount != order.due:
        reason = RefundReason.AMOUNT_MISMATCH
    if reason is not None:
        return [arrived, *give_back(order, cash, held, reason, at, command.payment_id)]
    events: list[Event] = [arrived, OrderPaid(at, group.id, order.member, command.payment_id)]
    paid_now = attrs.evolve(
        order,
        status=OrderStatus.AWAITING_GROUP,
        paid=order.paid + cash,
        authorised=order.authorised + held if held is not None else order.authorised,
        payment_id=command.payment_id,
    )
    paid = [o for o in group.orders.values() if o.status is OrderStatus.AWAITING_GROUP]
    paid.append(paid_now)
    campaign = view.campaign
    price = forming_price(campaign, len(paid))
    if price is not None:
        pending = [
            o
            for o in group.orders.values()
            if o.status is OrderStatus.PENDING_PAYMENT and o.member != order.member
        ]
        events.extend(form(view, group, paid, pending, at, price, 0, None))
    return events


def _decide_cancel(view: View, command: Cancel) -> list[Event]:
    group = find_group(view, command.group)
    order = order_of(group, command.member)
    if group.status is not GroupStatus.OPEN:
        raise reject(
            "group_closed",
            f"group {group.id!r} is {group.status.value}; leaving is no longer possible",
            group=group.id,
            member=order.member,
        )
    if order.status in ENDED:
        raise reject(
            "order_closed",
            f"the order of {order.member!r} is already {order.status.value}",
            group=group.id,
            member=order.member,
        )
    if order.status is OrderStatus.PENDING_PAYMENT:
        return [
            OrderCancelled(command.at, group.id, order.member, "left"),
            *release(view, order, command.at),
        ]
    return [
        *give_back(order, order.net, order.authorised, RefundReason.CANCELLED, command.at),
        *release(view, order, command.at),
    ]


def _decide_tick(view: View, command: Tick) -> list[Event]:
    return []  # time passing is decided before every command


def _decide_draw(view: View, command: Draw) -> list[Event]:
    group = find_group(view, command.group)
    rule = view.campaign.rule
    if not isinstance(rule, LotteryRule):
        raise reject("not_a_lottery", f"group {group.id!r} is not a lottery group", group=group.id)
    if group.status is not GroupStatus.FORMED:
        raise reject(
            "group_not_formed",
            f"group {group.id!r} is {group.status.value}; only a formed group is drawn",
            group=group.id,
        )
    if group.drawn:
        raise reject("already_drawn", f"group {group.id!r} was drawn already", group=group.id)
    members = [o.member for o in group.orders.values() if o.status is OrderStatus.AWAITING_GROUP]
    winners, losers = draw(command.seed, group.id, members, rule.winners)
    events: list[Event] = [
        WinnersDrawn(command.at, group.id, command.seed, winners, losers, rule.consolation_coupon)
    ]
    for member in losers:
        order = group.orders[member]
        events.extend(
            give_back(order, order.net, order.authorised, RefundReason.LOTTERY_LOST, command.at)
        )
        events.extend(release(view, order, command.at))
    return events


# What each fulfilment step needs the order to be, the fact it records, and its refusal.
_FULFILMENT: Final[Mapping[type, tuple[OrderStatus, type, str, str]]] = {
    Ship: (
        OrderStatus.AWAITING_SHIPMENT,
        OrderShipped,
        "not_shippable",
        "only an order awaiting shipment ships",
    ),
    Complete: (
        OrderStatus.SHIPPED,
        OrderCompleted,
        "not_completable",
        "only a shipped order completes",
    ),
}


def _decide_fulfilment(view: View, command: Ship | Complete) -> list[Event]:
    required, fact, code, rule = _FULFILMENT[type(command)]
    group = find_group(view, command.group)
    order = order_of(group, command.member)
    if order.status is not required:
        raise reject(
            code,
            f"the order of {order.member!r} is {order.status.value}; {rule}",
            group=group.id,
            member=order.member,
        )
    event: Event = fact(command.at, group.id, order.member)
    return [event]


def _decide_refund(view: View, command: RequestRefund) -> list[Event]:
    _check_money(view, command.amount, "amount")
    group = find_group(view, command.group)
    order = order_of(group, command.member)
    if order.status not in PAID or order.status is OrderStatus.AWAITING_GROUP:
        raise reject(
            "not_refundable",
            f"the order of {order.member!r} is {order.status.value}; "
            "after-sales refunds apply to formed orders (leave an unformed group "
            "with cancel)",
            group=group.id,
            member=order.member,
        )
    if command.amount > order.net:
        raise reject(
            "refund_exceeds_paid",
            f"refund of {command.amount} exceeds the {order.net} left on the order of "
            f"{order.member!r}",
            group=group.id,
            member=order.member,
        )
    events = give_back(
        order, command.amount, None, RefundReason.AFTER_SALES, command.at, note=command.reason
    )
    if command.amount == order.net and order.status is OrderStatus.AWAITING_SHIPMENT:
        events.extend(release(view, order, command.at))
    return events


_DECIDERS: Mapping[type, Callable[[View, Any], list[Event]]] = {
    Open: _decide_open,
    Join: _decide_join,
    Pay: _decide_pay,
    Cancel: _decide_cancel,
    Tick: _decide_tick,
    Draw: _decide_draw,
    Ship: _decide_fulfilment,
    Complete: _decide_fulfilment,
    RequestRefund: _decide_refund,
}


def decide_now(view: View, command: Command) -> list[Event]:
    handler = _DECIDERS.get(type(command))
    if handler is None:
        raise InvalidInput(
            "unknown_command",
            f"{type(command).__name__} is not a command",
            value=type(command).__name__,
        )
    return handler(view, command)


def check_time(view: View, at: datetime) -> None:
    require_aware(at, "at")
    if view.clock is not None and at < view.clock:
        raise InvalidInput(
            "time_went_backwards",
            f"at {at.isoformat()} is before the last command at {view.clock.isoformat()}",
            field="at",
            value=at.isoformat(),
        )
