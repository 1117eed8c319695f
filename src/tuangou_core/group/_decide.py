"""What each command causes: one handler per command type, each a short pure function.

Every handler only reads the state (a :class:`CampaignState` or the working copy of a
``Fold``) and returns events, or raises a coded refusal. A command's fields were checked when
it was built (``_commands``), so a handler refuses only what the state decides. The money
commands (pay, refund) are in ``_money``; the outcomes they share (forming, failing, refunds)
in ``_outcomes``. The public entry point is :func:`tuangou_core.group.decide`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, Final

import attrs

from tuangou_core.campaign import Campaign, LotteryRule, Overflow, SeckillRule
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
    LeaderChanged,
    MemberJoined,
    OrderCancelled,
    OrderCompleted,
    OrderReopened,
    OrderShipped,
    OrderStatus,
    StockReserved,
    WinnersDrawn,
)
from tuangou_core.group._lottery import draw
from tuangou_core.group._money import decide_pay, decide_refund
from tuangou_core.group._outcomes import fail, give_back, member_quote, order_of, reject, release
from tuangou_core.group._state import ENDED
from tuangou_core.group._view import GroupView, OrderView, View, find_group
from tuangou_core.money import Money
from tuangou_core.pricing import Quote
from tuangou_core.refunds import RefundReason
from tuangou_core.timing import require_aware


def _unit_price(campaign: Campaign, role: str, *, spill: bool) -> Money:
    # A spill group's opener took a joiner's place: the group price, not the leader price.
    if role == "opener" and not spill and campaign.leader_price is not None:
        return campaign.leader_price
    return campaign.rule.price


def _admit(view: View, member: str, qty: int, at: datetime, group: str) -> None:
    campaign = view.campaign
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


def _priced(
    view: View, qty: int, coupons: tuple[str, ...], role: str, at: datetime, *, spill: bool
) -> tuple[Quote, datetime]:
    campaign = view.campaign
    unit = _unit_price(campaign, role, spill=spill)
    quote = member_quote(campaign, unit_price=unit, qty=qty, coupon_ids=coupons, role=role)
    return quote, campaign.payment_timeout.after(at, campaign.zone)


def _reserved(view: View, group: str, member: str, qty: int, at: datetime) -> list[Event]:
    if view.campaign.stock is None and view.campaign.per_member_limit is None:
        return []
    return [StockReserved(at, group, member, qty)]


def _joined(
    view: View,
    group: str,
    member: str,
    qty: int,
    coupons: tuple[str, ...],
    role: str,
    at: datetime,
    *,
    spill: bool = False,
    inviter: str | None = None,
) -> list[Event]:
    quote, hold_until = _priced(view, qty, coupons, role, at, spill=spill)
    return [
        MemberJoined(at, group, member, qty, role, quote, hold_until, coupons, inviter=inviter),
        *_reserved(view, group, member, qty, at),
    ]


def _reopened(
    view: View, group: str, order: OrderView, qty: int, coupons: tuple[str, ...], at: datetime
) -> list[Event]:
    quote, hold_until = _priced(view, qty, coupons, order.role, at, spill=False)
    return [
        OrderReopened(at, group, order.member, qty, quote, hold_until, coupons),
        *_reserved(view, group, order.member, qty, at),
    ]


def _decide_open(view: View, command: Open) -> list[Event]:
    group = command.group
    member = command.member
    if group in view.groups:
        raise reject("group_exists", f"group {group!r} is already open", group=group)
    _admit(view, member, command.qty, command.at, group)
    return _open(view, group, member, command.qty, command.coupons, command.at)


def _open(
    view: View,
    group: str,
    member: str,
    qty: int,
    coupons: tuple[str, ...],
    at: datetime,
    spill_of: str | None = None,
    inviter: str | None = None,
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
        GroupOpened(at, group, member, deadline, spill_of),
        *_joined(
            view,
            group,
            member,
            qty,
            coupons,
            "opener",
            at,
            spill=spill_of is not None,
            inviter=inviter,
        ),
    ]


def _decide_join(view: View, command: Join) -> list[Event]:
    member = command.member
    inviter = command.inviter
    group = find_group(view, command.group)
    if group.status is not GroupStatus.OPEN:
        raise reject("group_closed", f"group {group.id!r} is {group.status.value}", group=group.id)
    _check_not_member(group, member)
    _admit(view, member, command.qty, command.at, group.id)
    target = group
    if group.holding >= view.campaign.max_size:
        if view.campaign.overflow is Overflow.REJECT:
            raise reject(
                "group_full",
                f"group {group.id!r} holds {group.holding} of {view.campaign.max_size} slots",
                group=group.id,
            )
        root = group.spill_of or group.id
        found = _spill_target(view, root)
        if isinstance(found, str):
            return _open(
                view, found, member, command.qty, command.coupons, command.at, root, inviter
            )
        target = found
        _check_not_member(target, member)
    if not _leader_paid(target):
        raise reject(
            "opener_unpaid",
            f"group {target.id!r} takes joins once its opener {target.leader!r} has paid",
            group=target.id,
            member=member,
        )
    order = target.orders.get(member)
    if order is not None:  # cancelled: the same order, holding a slot again
        return _reopened(view, target.id, order, command.qty, command.coupons, command.at)
    return _joined(
        view,
        target.id,
        member,
        command.qty,
        command.coupons,
        "joiner",
        command.at,
        inviter=inviter,
    )


def _check_not_member(group: GroupView, member: str) -> None:
    order = group.orders.get(member)
    if order is not None and order.status is not OrderStatus.CANCELLED:
        raise reject(
            "already_member",
            f"{member!r} already has an order in group {group.id!r} ({order.status.value})",
            group=group.id,
            member=member,
        )


def _leader_paid(group: GroupView) -> bool:
    leader = group.orders.get(group.leader)
    return leader is not None and leader.status is OrderStatus.AWAITING_GROUP


def _spill_target(view: View, root: str) -> GroupView | str:
    """The open spill group of *root* with room, oldest first, or the id a new one takes."""
    n = 2
    while (candidate := f"{root}-{n}") in view.groups:
        group = view.groups[candidate]
        if (
            group.spill_of == root
            and group.status is GroupStatus.OPEN
            and group.holding < view.campaign.max_size
        ):
            return group
        n += 1
    return candidate


def _decide_cancel(view: View, command: Cancel) -> list[Event]:
    group = find_group(view, command.group)
    order = order_of(group, command.member)
    at = command.at
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
    leader = order.member == group.leader
    if order.status is OrderStatus.PENDING_PAYMENT:
        events: list[Event] = [
            OrderCancelled(at, group.id, order.member, "left"),
            *release(view, order, at),
        ]
        if leader:  # an opener who never paid ends the group at once
            events += fail(view, group, at, at, "opener_unpaid", {(group.id, order.member)})
        return events
    events = [*give_back(order, RefundReason.CANCELLED, at), *release(view, order, at)]
    if leader:
        events += _pass_leadership(view, group, order, at)
    return events


def _pass_leadership(view: View, group: GroupView, leaving: OrderView, at: datetime) -> list[Event]:
    """A paid leader left: the earliest-joined paid member still in the group leads it; with
    none left, the group fails."""
    paid = [
        o
        for o in group.orders.values()
        if o.status is OrderStatus.AWAITING_GROUP and o.member != leaving.member
    ]
    if not paid:
        return fail(view, group, at, at, "no_paid_member", leaving=leaving.member)
    successor = min(paid, key=lambda o: (o.joined_at, o.seq))
    return [LeaderChanged(at, group.id, leaving.member, successor.member)]


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
    if not rule.seed_matches(command.seed):
        raise reject(
            "seed_mismatch",
            f"the seed of group {group.id!r} does not hash to the campaign's committed "
            f"seed_sha256 {rule.seed_sha256}",
            group=group.id,
        )
    members = [o.member for o in group.orders.values() if o.status is OrderStatus.AWAITING_GROUP]
    winners, losers = draw(command.seed, group.id, members, rule.winners)
    events: list[Event] = [
        WinnersDrawn(command.at, group.id, command.seed, winners, losers, rule.consolation_coupon)
    ]
    for member in losers:
        order = group.orders[member]
        events.extend(give_back(order, RefundReason.LOTTERY_LOST, command.at))
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


_DECIDERS: Mapping[type, Callable[[View, Any], list[Event]]] = {
    Open: _decide_open,
    Join: _decide_join,
    Pay: decide_pay,
    Cancel: _decide_cancel,
    Tick: _decide_tick,
    Draw: _decide_draw,
    Ship: _decide_fulfilment,
    Complete: _decide_fulfilment,
    RequestRefund: decide_refund,
}


def decide_now(view: View, command: Command) -> list[Event]:
    """What *command* itself causes (time has already passed to its ``at``).

    A command stamped before the campaign's clock is decided at the clock: time never refuses
    money. Its own stamp stays on the events it causes, as ``stamped_at``.
    """
    # Every caller refused a non-command first (``check_command``), before reading its ``at``.
    handler = _DECIDERS[type(command)]
    clock = view.clock
    if clock is None or command.at >= clock:
        return handler(view, command)
    stamped = command.at
    events = handler(view, attrs.evolve(command, at=clock))
    return [attrs.evolve(event, stamped_at=stamped) for event in events]


def effective_time(view: View, at: datetime) -> datetime:
    """The instant a command stamped *at* is decided at: *at*, or the clock if it is later.

    Raises:
        InvalidInput: ``naive_datetime`` or ``invalid_datetime`` for *at*.
    """
    require_aware(at, "at")
    clock = view.clock
    return clock if clock is not None and at < clock else at
