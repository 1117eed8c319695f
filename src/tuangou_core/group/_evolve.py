"""Applying events: one handler per event type, over a private working copy.

The working copy (``Draft``) holds the campaign's containers and its touched groups and
orders as mutable twins (``_working``), edited in place event after event; the immutable
:class:`CampaignState` is built when it is read (``freeze``), from what changed since the last
read: the frozen records of untouched groups and orders are shared, never copied. A container
handed out in a state is copied before its next write, so every state a caller holds stays
unchanged. The public entry points are :func:`tuangou_core.group.evolve`, ``Fold`` and
``replay``.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any, Final, cast

from tuangou_core.campaign import LotteryRule
from tuangou_core.errors import InvalidInput, TuangouError
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
from tuangou_core.group._evolve_money import (
    on_authorised,
    on_captured,
    on_paid,
    on_received,
    on_refund,
    on_released_authorisation,
    on_unmatched,
)
from tuangou_core.group._projection import Projection
from tuangou_core.group._state import CampaignState, GroupState, Unmatched
from tuangou_core.group._working import (
    WorkingGroup,
    WorkingOrder,
    freeze,
    thaw_group,
    thaw_order,
)
from tuangou_core.money import Money

# What a handler raises when an event does not fit the state (a group or order it names is
# missing, a field of the wrong kind): the decider's own events in their order never do.
_MISFITS = (LookupError, AttributeError, TypeError, ValueError, ArithmeticError)


def _misfit(event: object, error: Exception) -> InvalidInput:
    return InvalidInput(
        "event_misfit",
        f"the state cannot take this {type(event).__name__} ({type(error).__name__}: {error}); "
        "events apply in the order decide produced them, to the state they were decided on",
        field="event",
        value=type(event).__name__,
    )


# The containers a state shares with the draft it came from: each is copied before the
# draft's first write to it after the state was handed out (or taken in).
_CONTAINERS: Final = frozenset(
    {"groups", "payments", "units", "holds", "deadlines", "draws", "unmatched", "refund_ids"}
)


class Draft:
    """A private working copy that absorbs events and freezes into a state when read.

    Invariants: every :class:`WorkingGroup` in ``groups`` and every :class:`WorkingOrder` in
    a group's ``orders`` is listed once in ``fresh``, so ``freeze`` finds what changed without
    a scan; a container named in ``shared`` belongs to a state handed out and is not written.
    """

    __slots__ = (
        "campaign",
        "clock",
        "deadlines",
        "draws",
        "fresh",
        "groups",
        "holds",
        "order_seq",
        "payments",
        "refund_ids",
        "shared",
        "state",
        "stock_taken",
        "units",
        "unmatched",
        "zero",
    )

    def __init__(self, state: CampaignState) -> None:
        self.campaign = state.campaign
        self.zero = Money.zero(state.campaign.currency)
        self.groups: dict[str, GroupState | WorkingGroup] = state.groups  # type: ignore[assignment]
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
        self.fresh: list[WorkingGroup | WorkingOrder] = []
        self.shared = set(_CONTAINERS)
        self.state: CampaignState | None = state  # the last state handed out, if still current

    def own(self, name: str) -> None:
        """Copy the container *name* if a state handed out still shares it."""
        if name in self.shared:
            self.shared.discard(name)
            value = getattr(self, name)
            setattr(self, name, dict(value) if isinstance(value, Mapping) else list(value))

    def group(self, group_id: str) -> WorkingGroup:
        """The group *group_id*, made a working one (a copy of the frozen one) if it was not."""
        group = self.groups[group_id]
        if type(group) is WorkingGroup:
            return group
        work = thaw_group(group)  # type: ignore[arg-type]  # not working: frozen
        self.put(work)
        return work

    def order(self, group: WorkingGroup, member: str) -> WorkingOrder:
        """*member*'s order in the working *group*, made a working one if it was not."""
        order = group.orders[member]
        if type(order) is WorkingOrder:
            return order
        work = thaw_order(order)  # type: ignore[arg-type]  # not working: frozen
        self.add(group, work)
        return work

    def add(self, group: WorkingGroup, order: WorkingOrder) -> None:
        """Put a working order in the working *group*, to be frozen when the state is read."""
        group.orders[order.member] = order
        self.fresh.append(order)

    def put(self, group: WorkingGroup) -> None:
        """Put a working group in the campaign, to be frozen when the state is read."""
        if "groups" in self.shared:
            self.own("groups")
        self.groups[group.id] = group
        self.fresh.append(group)

    def push(self, heap: str, entry: tuple[Any, ...]) -> None:
        """Push *entry* on the heap *heap* (``holds``, ``deadlines`` or ``draws``)."""
        if heap in self.shared:
            self.own(heap)
        heapq.heappush(getattr(self, heap), entry)

    def freeze(self) -> CampaignState:
        """The state so far, as an immutable value; nothing the draft does later changes it."""
        state = self.state
        if state is not None:
            return state
        if self.fresh:
            freeze(self.fresh)  # each working group and order becomes its frozen self
            self.fresh = []
        self.shared = set(_CONTAINERS)
        state = self.state = CampaignState(
            self.campaign,
            cast("dict[str, GroupState]", self.groups),  # every group frozen, just above
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
        return state

    def apply(self, events: Iterable[Event]) -> None:
        """Apply *events* in order (never fails on events that ``decide`` produced).

        Raises:
            InvalidInput: ``unknown_event`` for an object that is not an event, ``event_misfit``
                for one the state cannot take (a payment for an order never placed); the
                events before it are applied, and the draft is part-way through that one.
        """
        # The hot loop of every replay: one pass, no call per event but the handler's (and
        # the try costs nothing while no event raises).
        table = _TABLE
        event: object = None
        try:
            for event in events:
                handler = table.get(type(event))
                if handler is None:
                    raise _EVOLVE.refuse(event)
                self.state = None  # before the handler: one that raises leaves no stale state
                at = event.at
                clock = self.clock
                if clock is None or at > clock:
                    self.clock = at
                handler(self, event)
                # Entries that time has reached and no longer matter are popped once, here;
                # most events reach none, so the heads are looked at before any call.
                holds = self.holds
                if holds and holds[0][0] <= at:
                    self._drop_holds(at)
                deadlines = self.deadlines
                if deadlines and deadlines[0][0] <= at:
                    self._drop_deadlines(at)
                draws = self.draws
                if draws and draws[0][0] <= at:
                    self._drop_draws(at)
        except TuangouError:
            raise
        except _MISFITS as error:
            raise _misfit(event, error) from None

    def _drop_holds(self, at: datetime) -> None:
        while self.holds and self.holds[0][0] <= at:
            due, _seq, group_id, member = self.holds[0]
            group = self.groups[group_id]
            order = group.orders[member]
            if (
                group.status is GroupStatus.OPEN
                and order.status is OrderStatus.PENDING_PAYMENT
                and order.hold_until == due
            ):
                return
            if "holds" in self.shared:
                self.own("holds")
            heapq.heappop(self.holds)

    def _drop_deadlines(self, at: datetime) -> None:
        while self.deadlines and self.deadlines[0][0] <= at:
            if self.groups[self.deadlines[0][2]].status is GroupStatus.OPEN:
                return
            self.own("deadlines")
            heapq.heappop(self.deadlines)

    def _drop_draws(self, at: datetime) -> None:
        while self.draws and self.draws[0][0] <= at:
            group = self.groups[self.draws[0][2]]
            if group.status is GroupStatus.FORMED and not group.drawn:
                return
            self.own("draws")
            heapq.heappop(self.draws)


def _on_opened(draft: Draft, event: GroupOpened) -> None:
    draft.put(
        WorkingGroup(
            event.group,
            event.opener,
            event.opener,
            event.at,
            event.deadline,
            GroupStatus.OPEN,
            draft.campaign.rule.price,
            {},
            0,  # pending
            0,  # paid
            0,  # virtual
            (),  # winners
            False,  # drawn
            None,  # formed_at
            0,  # formed_size
            event.spill_of,
        )
    )
    draft.order_seq += 1
    draft.push("deadlines", (event.deadline, draft.order_seq, event.group))


def _on_joined(draft: Draft, event: MemberJoined) -> None:
    group = draft.group(event.group)
    draft.order_seq += 1
    zero = draft.zero
    draft.add(
        group,
        WorkingOrder(
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
    group.pending += 1
    _hold(draft, event.hold_until, event.group, event.member)


def _hold(draft: Draft, until: datetime, group: str, member: str) -> None:
    draft.order_seq += 1
    draft.push("holds", (until, draft.order_seq, group, member))


def _on_reopened(draft: Draft, event: OrderReopened) -> None:
    group = draft.group(event.group)
    order = draft.order(group, event.member)
    order.status = OrderStatus.PENDING_PAYMENT
    order.qty = event.qty
    order.quote = event.quote
    order.joined_at = event.at
    order.hold_until = event.hold_until
    order.coupons = event.coupons
    order.coupons_settled = False
    group.pending += 1
    _hold(draft, event.hold_until, event.group, event.member)


def _on_reserved(draft: Draft, event: StockReserved) -> None:
    draft.own("units")
    units = draft.units
    units[event.member] = units.get(event.member, 0) + event.units
    draft.stock_taken += event.units


def _on_released(draft: Draft, event: StockReleased) -> None:
    draft.own("units")
    units = draft.units
    units[event.member] = units.get(event.member, 0) - event.units
    draft.stock_taken -= event.units


def _on_cancelled(draft: Draft, event: OrderCancelled) -> None:
    group = draft.group(event.group)
    draft.order(group, event.member).status = OrderStatus.CANCELLED
    group.pending -= 1


def _on_formed(draft: Draft, event: GroupFormed) -> None:
    group = draft.group(event.group)
    if not isinstance(draft.campaign.rule, LotteryRule):
        waiting = [m for m, o in group.orders.items() if o.status is OrderStatus.AWAITING_GROUP]
        for member in waiting:
            draft.order(group, member).status = OrderStatus.AWAITING_SHIPMENT
    group.status = GroupStatus.FORMED
    group.unit_price = event.unit_price
    group.virtual = event.virtual
    group.formed_at = event.at
    group.formed_size = event.size
    if event.draw_by is not None:
        draft.order_seq += 1
        draft.push("draws", (event.draw_by, draft.order_seq, event.group))


def _on_repriced(draft: Draft, event: OrderRepriced) -> None:
    draft.order(draft.group(event.group), event.member).quote = event.quote


def _on_failed(draft: Draft, event: GroupFailed) -> None:
    draft.group(event.group).status = GroupStatus.FAILED


def _on_drawn(draft: Draft, event: WinnersDrawn) -> None:
    group = draft.group(event.group)
    for member in event.winners:
        draft.order(group, member).status = OrderStatus.AWAITING_SHIPMENT
    group.winners = event.winners
    group.drawn = True


def _on_leader_changed(draft: Draft, event: LeaderChanged) -> None:
    draft.group(event.group).leader = event.leader


def _on_shipped(draft: Draft, event: OrderShipped) -> None:
    draft.order(draft.group(event.group), event.member).status = OrderStatus.SHIPPED


def _on_completed(draft: Draft, event: OrderCompleted) -> None:
    draft.order(draft.group(event.group), event.member).status = OrderStatus.COMPLETED


_EVOLVE: Final = Projection[Callable[[Draft, Any], None]](
    "the decider",
    {
        GroupOpened: _on_opened,
        MemberJoined: _on_joined,
        StockReserved: _on_reserved,
        StockReleased: _on_released,
        PaymentReceived: on_received,
        PaymentAuthorised: on_authorised,
        OrderPaid: on_paid,
        PaymentCaptured: on_captured,
        AuthorisationReleased: on_released_authorisation,
        OrderCancelled: _on_cancelled,
        RefundDue: on_refund,
        GroupFormed: _on_formed,
        OrderRepriced: _on_repriced,
        GroupFailed: _on_failed,
        WinnersDrawn: _on_drawn,
        OrderShipped: _on_shipped,
        OrderCompleted: _on_completed,
        OrderReopened: _on_reopened,
        PaymentUnmatched: on_unmatched,
        LeaderChanged: _on_leader_changed,
    },
)
_TABLE: Final = _EVOLVE.table
