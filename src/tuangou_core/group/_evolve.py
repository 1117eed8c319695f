"""Applying events: one handler per event type, over a private working copy.

The working copy (``Draft``) copies each container and each order or group record the first
time it writes to it after a state was handed out, and edits it in place after that: a long
log costs O(1) per event while every state a caller holds stays unchanged. The public entry points
are :func:`tuangou_core.group.evolve`, ``Fold`` and ``replay``.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from datetime import datetime
from typing import Any, Final

import attrs

from tuangou_core.campaign import LotteryRule
from tuangou_core.group._events import (
    AuthorisationReleased,
    Event,
    GroupFailed,
    GroupFormed,
    GroupOpened,
    GroupStatus,
    LeaderChanged,
    MemberJoined,
    OrderCancelled,
    OrderCompleted,
    OrderPaid,
    OrderReopened,
    OrderRepriced,
    OrderShipped,
    OrderStatus,
    PaymentAuthorised,
    PaymentCaptured,
    PaymentReceived,
    PaymentUnmatched,
    RefundDue,
    StockReleased,
    StockReserved,
    WinnersDrawn,
)
from tuangou_core.group._projection import Projection
from tuangou_core.group._state import (
    ENDED,
    SETTERS,
    CampaignState,
    GroupState,
    Order,
    StateRecord,
    Unmatched,
    build_record,
    copy_record,
)
from tuangou_core.money import Money
from tuangou_core.refunds import ENDING_REASONS, RefundReason


class Draft:
    """A private working copy that absorbs events, copying each container once at most."""

    def __init__(self, state: CampaignState) -> None:
        self.campaign = state.campaign
        self.groups: dict[str, GroupState] = state.groups  # type: ignore[assignment]
        self.payments: dict[str, tuple[str, str, Money]] = state.payments  # type: ignore[assignment]
        self.units: dict[str, int] = state.units  # type: ignore[assignment]
        self.stock_taken = state.stock_taken
        self.clock = state.clock
        self.order_seq = state.order_seq
        self.holds: list[tuple[datetime, int, str, str]] = state.holds  # type: ignore[assignment]
        self.deadlines: list[tuple[datetime, int, str]] = state.deadlines  # type: ignore[assignment]
        self.draws: list[tuple[datetime, int, str]] = state.draws  # type: ignore[assignment]
        self.unmatched: dict[str, Unmatched] = state.unmatched  # type: ignore[assignment]
        self.refund_ids: dict[str, tuple[str, str, int, Money]] = state.refund_ids  # type: ignore[assignment]
        self._owned: dict[int, object] = {}

    def _own(self, container: Any) -> Any:
        if id(container) in self._owned:
            return container
        copy = type(container)(container) if not isinstance(container, tuple) else list(container)
        self._owned[id(copy)] = copy
        return copy

    def edit(self, record: StateRecord, **changes: Any) -> StateRecord:
        """*record* with *changes*: edited in place when this draft made it, else a copy."""
        if id(record) not in self._owned:
            record = copy_record(record)
            self._owned[id(record)] = record
        setters = SETTERS[type(record)]
        for name, value in changes.items():
            setters[name](record, value)
        return record

    def new(self, record: StateRecord) -> StateRecord:
        """*record*, made by this draft: edited in place from now on."""
        self._owned[id(record)] = record
        return record

    def owned_groups(self) -> dict[str, GroupState]:
        self.groups = self._own(self.groups)
        return self.groups

    def put_order(self, group: GroupState, order: Order, **changes: Any) -> None:
        orders = self._own(group.orders)
        orders[order.member] = order
        self.put_group(group, orders=orders, **changes)

    def put_group(self, group: GroupState, **changes: Any) -> None:
        edited = self.edit(group, **changes)
        if edited is not group or self.groups.get(group.id) is not edited:
            self.owned_groups()[group.id] = edited

    def freeze(self) -> CampaignState:
        self._owned = {}  # from now on every write copies again: the value is shared
        return CampaignState(
            self.campaign,
            self.groups,
            self.payments,
            self.units,
            self.stock_taken,
            self.clock,
            self.order_seq,
            self.holds,
            self.deadlines,
            self.draws,
            self.unmatched,
            self.refund_ids,
        )

    def apply(self, event: Event) -> None:
        handler = _EVOLVE.table.get(type(event))
        if handler is None:
            raise _EVOLVE.refuse(event)
        if self.clock is None or event.at > self.clock:
            self.clock = event.at
        handler(self, event)
        self._drop_stale(event.at)

    def _drop_stale(self, at: datetime) -> None:
        # Entries that time has reached and no longer matter are popped once, here.
        holds = self.holds
        while holds and holds[0][0] <= at:
            due, _seq, group_id, member = holds[0]
            group = self.groups[group_id]
            order = group.orders[member]
            if (
                group.status is GroupStatus.OPEN
                and order.status is OrderStatus.PENDING_PAYMENT
                and order.hold_until == due
            ):
                break
            holds = self.holds = self._own(holds)
            heapq.heappop(holds)
        deadlines = self.deadlines
        while deadlines and deadlines[0][0] <= at:
            if self.groups[deadlines[0][2]].status is GroupStatus.OPEN:
                break
            deadlines = self.deadlines = self._own(deadlines)
            heapq.heappop(deadlines)
        draws = self.draws
        while draws and draws[0][0] <= at:
            group = self.groups[draws[0][2]]
            if group.status is GroupStatus.FORMED and not group.drawn:
                break
            draws = self.draws = self._own(draws)
            heapq.heappop(draws)


def _zero(draft: Draft) -> Money:
    return Money.zero(draft.campaign.currency)


def _on_opened(draft: Draft, event: GroupOpened) -> None:
    price = draft.campaign.rule.price
    draft.owned_groups()[event.group] = draft.new(
        build_record(
            GroupState,
            (
                event.group,
                event.opener,
                event.opener,
                event.at,
                event.deadline,
                GroupStatus.OPEN,
                price,
                {},
                0,  # pending
                0,  # paid
                0,  # virtual
                (),  # winners
                False,  # drawn
                None,  # formed_at
                0,  # formed_size
                event.spill_of,
            ),
        )
    )
    deadlines = draft.deadlines = draft._own(draft.deadlines)
    draft.order_seq += 1
    heapq.heappush(deadlines, (event.deadline, draft.order_seq, event.group))


def _on_joined(draft: Draft, event: MemberJoined) -> None:
    group = draft.groups[event.group]
    draft.order_seq += 1
    zero = _zero(draft)
    order = build_record(
        Order,
        (
            event.group,
            event.member,
            draft.order_seq,
            event.role,
            event.qty,
            OrderStatus.PENDING_PAYMENT,
            event.at,
            event.hold_until,
            event.quote,
            zero,  # paid
            zero,  # refunded
            zero,  # authorised
            zero,  # after_sales
            zero,  # settled
            zero,  # returned
            zero,  # unit_refunded
            None,  # payment_id
            "wechat",  # tender
            0,  # refund_count
            0,  # units_returned
            event.coupons,
            False,  # coupons_settled
        ),
    )
    draft.put_order(group, draft.new(order), pending=group.pending + 1)
    _hold(draft, event.hold_until, event.group, event.member)


def _hold(draft: Draft, until: datetime, group: str, member: str) -> None:
    holds = draft.holds = draft._own(draft.holds)
    draft.order_seq += 1
    heapq.heappush(holds, (until, draft.order_seq, group, member))


def _on_reopened(draft: Draft, event: OrderReopened) -> None:
    group = draft.groups[event.group]
    order = draft.edit(
        group.orders[event.member],
        status=OrderStatus.PENDING_PAYMENT,
        qty=event.qty,
        quote=event.quote,
        joined_at=event.at,
        hold_until=event.hold_until,
        coupons=event.coupons,
        coupons_settled=False,
    )
    draft.put_order(group, order, pending=group.pending + 1)
    _hold(draft, event.hold_until, event.group, event.member)


def _on_reserved(draft: Draft, event: StockReserved) -> None:
    units = draft.units = draft._own(draft.units)
    units[event.member] = units.get(event.member, 0) + event.units
    draft.stock_taken += event.units


def _on_released(draft: Draft, event: StockReleased) -> None:
    units = draft.units = draft._own(draft.units)
    units[event.member] = units.get(event.member, 0) - event.units
    draft.stock_taken -= event.units


def _record_payment(draft: Draft, event: PaymentReceived | PaymentAuthorised) -> None:
    payments = draft.payments = draft._own(draft.payments)
    payments[event.payment_id] = (event.group, event.member, event.amount)


def _money_in(holding: str) -> Callable[[Draft, PaymentReceived | PaymentAuthorised], None]:
    """A handler for money arriving as *holding*: ``paid`` (cash) or ``authorised`` (a hold)."""

    def arrived(draft: Draft, event: PaymentReceived | PaymentAuthorised) -> None:
        _record_payment(draft, event)
        group = draft.groups[event.group]
        order = group.orders[event.member]
        changes = {holding: getattr(order, holding) + event.amount}
        draft.put_order(group, draft.edit(order, **changes))

    return arrived


def _on_unmatched(draft: Draft, event: PaymentUnmatched) -> None:
    payments = draft.payments = draft._own(draft.payments)
    payments[event.payment_id] = (event.group, event.member, event.amount)
    unmatched = draft.unmatched = draft._own(draft.unmatched)
    unmatched[event.payment_id] = Unmatched(
        event.group,
        event.member,
        event.payment_id,
        event.amount,
        event.tender,
        event.authorised,
        _zero(draft),
    )


def _returned_unmatched(draft: Draft, payment_id: str, amount: Money) -> None:
    unmatched = draft.unmatched = draft._own(draft.unmatched)
    stray = unmatched[payment_id]
    unmatched[payment_id] = attrs.evolve(stray, returned=stray.returned + amount)


def _on_paid(draft: Draft, event: OrderPaid) -> None:
    group = draft.groups[event.group]
    order = group.orders[event.member]
    # Cash settles the order now; an authorisation settles it only once captured.
    cash = (
        Money.zero(order.paid.currency) if order.authorised.minor else order.paid - order.refunded
    )
    draft.put_order(
        group,
        draft.edit(
            order,
            status=OrderStatus.AWAITING_GROUP,
            payment_id=event.payment_id,
            tender=event.tender,
            settled=cash,
            returned=Money.zero(cash.currency),
        ),
        pending=group.pending - 1,
        paid=group.paid + 1,
    )


def _on_captured(draft: Draft, event: PaymentCaptured) -> None:
    group = draft.groups[event.group]
    order = group.orders[event.member]
    draft.put_order(
        group,
        draft.edit(
            order,
            paid=order.paid + event.amount,
            authorised=order.authorised - event.amount,
            settled=order.settled + event.amount,
        ),
    )


def _on_released_authorisation(draft: Draft, event: AuthorisationReleased) -> None:
    if event.reason is RefundReason.UNMATCHED_PAYMENT:
        _returned_unmatched(draft, event.payment_id, event.amount)
        return
    group = draft.groups[event.group]
    order = group.orders[event.member]
    order = draft.edit(order, authorised=order.authorised - event.amount)
    _end_if(draft, group, order, event.reason)


def _end_if(draft: Draft, group: GroupState, order: Order, reason: RefundReason) -> None:
    ends = reason in ENDING_REASONS or (
        reason is RefundReason.AFTER_SALES and order.net.minor == 0 and order.authorised.minor == 0
    )
    if ends and order.status not in ENDED:
        paid = group.paid - (1 if order.status is OrderStatus.AWAITING_GROUP else 0)
        draft.put_order(group, draft.edit(order, status=OrderStatus.REFUNDED), paid=paid)
    else:
        draft.put_order(group, order)


def _on_refund(draft: Draft, event: RefundDue) -> None:
    refund_ids = draft.refund_ids = draft._own(draft.refund_ids)
    refund_ids[event.refund_id] = (event.group, event.member, event.units, event.amount)
    if event.reason is RefundReason.UNMATCHED_PAYMENT:
        _returned_unmatched(draft, event.payment_id, event.amount)
        return
    group = draft.groups[event.group]
    order = group.orders[event.member]
    along = order.payment_id is not None and event.payment_id == order.payment_id
    order = draft.edit(
        order,
        refunded=order.refunded + event.amount,
        refund_count=order.refund_count + 1,
        after_sales=order.after_sales + event.amount
        if event.reason is RefundReason.AFTER_SALES
        else order.after_sales,
        returned=order.returned + event.amount if along else order.returned,
        units_returned=order.units_returned + event.units,
        unit_refunded=order.unit_refunded + event.amount if event.units else order.unit_refunded,
        coupons_settled=order.coupons_settled
        or bool(event.coupons_restored or event.coupons_forfeited),
    )
    _end_if(draft, group, order, event.reason)


def _on_cancelled(draft: Draft, event: OrderCancelled) -> None:
    group = draft.groups[event.group]
    order = group.orders[event.member]
    draft.put_order(
        group, draft.edit(order, status=OrderStatus.CANCELLED), pending=group.pending - 1
    )


def _on_formed(draft: Draft, event: GroupFormed) -> None:
    group = draft.groups[event.group]
    lottery = isinstance(draft.campaign.rule, LotteryRule)
    orders = draft._own(group.orders)
    if not lottery:
        for member, order in orders.items():
            if order.status is OrderStatus.AWAITING_GROUP:
                orders[member] = draft.edit(order, status=OrderStatus.AWAITING_SHIPMENT)
    draft.put_group(
        group,
        orders=orders,
        status=GroupStatus.FORMED,
        unit_price=event.unit_price,
        virtual=event.virtual,
        formed_at=event.at,
        formed_size=event.size,
    )
    if event.draw_by is not None:
        draws = draft.draws = draft._own(draft.draws)
        draft.order_seq += 1
        heapq.heappush(draws, (event.draw_by, draft.order_seq, event.group))


def _on_repriced(draft: Draft, event: OrderRepriced) -> None:
    group = draft.groups[event.group]
    draft.put_order(group, draft.edit(group.orders[event.member], quote=event.quote))


def _on_failed(draft: Draft, event: GroupFailed) -> None:
    group = draft.groups[event.group]
    draft.put_group(group, status=GroupStatus.FAILED)


def _on_drawn(draft: Draft, event: WinnersDrawn) -> None:
    group = draft.groups[event.group]
    orders = draft._own(group.orders)
    for member in event.winners:
        orders[member] = draft.edit(orders[member], status=OrderStatus.AWAITING_SHIPMENT)
    draft.put_group(group, orders=orders, winners=event.winners, drawn=True)


def _on_leader_changed(draft: Draft, event: LeaderChanged) -> None:
    draft.put_group(draft.groups[event.group], leader=event.leader)


def _on_shipped(draft: Draft, event: OrderShipped) -> None:
    group = draft.groups[event.group]
    draft.put_order(group, draft.edit(group.orders[event.member], status=OrderStatus.SHIPPED))


def _on_completed(draft: Draft, event: OrderCompleted) -> None:
    group = draft.groups[event.group]
    draft.put_order(group, draft.edit(group.orders[event.member], status=OrderStatus.COMPLETED))


_EVOLVE: Final = Projection[Callable[[Draft, Any], None]](
    "the decider",
    {
        GroupOpened: _on_opened,
        MemberJoined: _on_joined,
        StockReserved: _on_reserved,
        StockReleased: _on_released,
        PaymentReceived: _money_in("paid"),
        PaymentAuthorised: _money_in("authorised"),
        OrderPaid: _on_paid,
        PaymentCaptured: _on_captured,
        AuthorisationReleased: _on_released_authorisation,
        OrderCancelled: _on_cancelled,
        RefundDue: _on_refund,
        GroupFormed: _on_formed,
        OrderRepriced: _on_repriced,
        GroupFailed: _on_failed,
        WinnersDrawn: _on_drawn,
        OrderShipped: _on_shipped,
        OrderCompleted: _on_completed,
        OrderReopened: _on_reopened,
        PaymentUnmatched: _on_unmatched,
        LeaderChanged: _on_leader_changed,
    },
)
