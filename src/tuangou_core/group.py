"""The life of a campaign's groups and of every member's order, as a decider.

``decide(state, command) -> events`` says what a command causes, or raises a coded
:class:`~tuangou_core.errors.Rejected` and changes nothing. ``evolve(state, event) -> state``
applies a fact and never fails on an event that ``decide`` produced. ``replay(campaign,
events)`` folds a log. Nothing here reads a clock or draws a random number: every command
carries its ``at``, every draw its ``seed``.

Time passes before every command: first unpaid joins whose payment timeout has come are
cancelled, then open groups whose deadline has come form or fail; only then is the command
itself decided. A backend that never sends a :class:`~tuangou_core.events.Tick` still gets
the right answer.

The state is campaign-wide (stock and per-member limits span groups). It is an immutable
value; :class:`Fold` applies long streams in linear time by letting one private working copy
absorb every event (a transient, in the sense of persistent data structures), which is how
:func:`replay` and the scenario runner stay fast on logs of 100 000 events.
"""

from __future__ import annotations

import functools
import heapq
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol, TypeVar

import attrs

from tuangou_core._tables import html_table
from tuangou_core.campaign import (
    Campaign,
    ChargeMode,
    Expiry,
    LotteryRule,
    Overflow,
    SeckillRule,
    TieredRule,
)
from tuangou_core.errors import Conflict, InvalidInput, Rejected, TuangouError
from tuangou_core.events import (
    AuthorisationReleased,
    Cancel,
    Command,
    Complete,
    Draw,
    Event,
    GroupFailed,
    GroupFormed,
    GroupOpened,
    GroupStatus,
    Join,
    MemberJoined,
    Open,
    OrderCancelled,
    OrderCompleted,
    OrderPaid,
    OrderRepriced,
    OrderShipped,
    OrderStatus,
    Pay,
    PaymentAuthorised,
    PaymentCaptured,
    PaymentReceived,
    RefundDue,
    RefundReason,
    RequestRefund,
    Ship,
    StockReleased,
    StockReserved,
    Tick,
    WinnersDrawn,
)
from tuangou_core.lottery import draw
from tuangou_core.money import Money
from tuangou_core.pricing import Quote, quote_member
from tuangou_core.windows import require_aware

__all__ = [
    "CampaignState",
    "Fold",
    "GroupState",
    "InvariantViolation",
    "Order",
    "check_invariants",
    "decide",
    "evolve",
    "initial_state",
    "replay",
]

_PAID = frozenset(
    {
        OrderStatus.AWAITING_GROUP,
        OrderStatus.AWAITING_SHIPMENT,
        OrderStatus.SHIPPED,
        OrderStatus.COMPLETED,
    }
)
_ENDED = frozenset({OrderStatus.CANCELLED, OrderStatus.REFUNDED})
# Refunds that end an order whatever is left of it; the others leave its status as it was.
_ENDING_REASONS = frozenset(
    {RefundReason.GROUP_FAILED, RefundReason.LOTTERY_LOST, RefundReason.CANCELLED}
)


# Pricing is pure and its quotes are frozen values: members who join on the same terms share
# one quote instead of recomputing it. The cache is bounded and holds nothing mutable.
_quote = functools.lru_cache(maxsize=4096)(quote_member)


class InvariantViolation(TuangouError):
    """A state broke one of the library's invariants: a bug, never a user's mistake."""

    default_code = "invariant_violated"


@attrs.frozen
class Order:
    """One member's order in one group.

    ``paid`` is all cash received for the order (including payments returned at once),
    ``refunded`` all cash owed back, so ``net = paid - refunded`` is what the order keeps.
    With ``capture_at_close`` the money is first only ``authorised``.
    """

    group: str
    member: str
    seq: int
    role: str
    qty: int
    status: OrderStatus
    joined_at: datetime
    hold_until: datetime
    quote: Quote
    paid: Money
    refunded: Money
    authorised: Money
    after_sales: Money
    payment_id: str | None = None
    refund_count: int = 0
    coupons: tuple[str, ...] = ()

    @property
    def due(self) -> Money:
        """The amount due under the order's current price."""
        return self.quote.total

    @property
    def net(self) -> Money:
        """Cash the order keeps: paid − refunded."""
        return self.paid - self.refunded

    @property
    def is_paid(self) -> bool:
        """True once a payment settled the order and it has not ended."""
        return self.status in _PAID

    def __repr__(self) -> str:
        return (
            f"<Order {self.group}/{self.member} {self.status.value}: due {self.due}, "
            f"paid {self.paid}, refunded {self.refunded}>"
        )

    def to_record(self) -> dict[str, Any]:
        """The order as one flat dict, for a DataFrame."""
        return {
            "group": self.group,
            "member": self.member,
            "role": self.role,
            "qty": self.qty,
            "status": self.status.value,
            "due": str(self.due),
            "paid": str(self.paid),
            "refunded": str(self.refunded),
            "net": str(self.net),
            "authorised": str(self.authorised),
            "joined_at": self.joined_at.isoformat(),
        }


@attrs.frozen
class GroupState:
    """One group: its opener, deadline, status and every member's order.

    ``orders`` is never mutated once the state is built; read it, do not write it.
    """

    id: str
    opener: str
    opened_at: datetime
    deadline: datetime
    status: GroupStatus
    unit_price: Money
    orders: Mapping[str, Order]
    pending: int = 0
    paid: int = 0
    virtual: int = 0
    winners: tuple[str, ...] = ()
    drawn: bool = False
    formed_at: datetime | None = None

    @property
    def holding(self) -> int:
        """Slots taken: unpaid holds and paid orders."""
        return self.pending + self.paid

    @property
    def members(self) -> int:
        """Orders that are not cancelled (the statement's ``members``)."""
        return sum(1 for o in self.orders.values() if o.status is not OrderStatus.CANCELLED)

    def __repr__(self) -> str:
        return (
            f"<GroupState {self.id} {self.status.value}: {self.paid} paid, {self.pending} "
            f"holding, unit {self.unit_price}, deadline {self.deadline.isoformat()}>"
        )

    def to_records(self) -> list[dict[str, Any]]:
        """One flat dict per order, in the order members joined, for a DataFrame."""
        return [o.to_record() for o in sorted(self.orders.values(), key=lambda o: o.seq)]

    def _repr_html_(self) -> str:
        rows = [
            (o.member, o.status.value, o.due, o.paid, o.refunded)
            for o in sorted(self.orders.values(), key=lambda o: o.seq)
        ]
        caption = f"group {self.id}: {self.status.value}, unit price {self.unit_price}"
        return html_table(("member", "status", "due", "paid", "refunded"), rows, caption)


@attrs.frozen
class CampaignState:
    """Every group of a campaign, the payments seen, and the stock taken.

    Build the first one with :func:`initial_state`; then only :func:`evolve` makes new ones.
    """

    campaign: Campaign
    groups: Mapping[str, GroupState]
    payments: Mapping[str, tuple[str, str, Money]]
    units: Mapping[str, int]
    stock_taken: int
    clock: datetime | None
    order_seq: int
    holds: Sequence[tuple[datetime, int, str, str]]
    deadlines: Sequence[tuple[datetime, int, str]]

    def group(self, group_id: str) -> GroupState:
        """The group *group_id*.

        Raises:
            Rejected: ``unknown_group``.
        """
        return _group(self, group_id)

    def orders(self) -> tuple[Order, ...]:
        """Every order, in the order members joined."""
        found = [o for g in self.groups.values() for o in g.orders.values()]
        return tuple(sorted(found, key=lambda o: o.seq))

    def __repr__(self) -> str:
        counts: dict[str, int] = {}
        for group in self.groups.values():
            counts[group.status.value] = counts.get(group.status.value, 0) + 1
        summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items())) or "none"
        return (
            f"<CampaignState {self.campaign.id}: groups {summary}; "
            f"{sum(len(g.orders) for g in self.groups.values())} orders>"
        )

    def to_records(self) -> list[dict[str, Any]]:
        """One flat dict per order across every group, in join order, for a DataFrame."""
        return [o.to_record() for o in self.orders()]

    def _repr_html_(self) -> str:
        rows = [
            (o.group, o.member, o.status.value, o.due, o.paid, o.refunded) for o in self.orders()
        ]
        return html_table(
            ("group", "member", "status", "due", "paid", "refunded"), rows, repr(self)
        )


def initial_state(campaign: Campaign) -> CampaignState:
    """The state of a campaign before anything happened."""
    return CampaignState(campaign, {}, {}, {}, 0, None, 0, (), ())


class _View(Protocol):
    """What deciding reads: a CampaignState, or the working copy inside a Fold."""

    @property
    def campaign(self) -> Campaign: ...
    @property
    def groups(self) -> Mapping[str, GroupState]: ...
    @property
    def payments(self) -> Mapping[str, tuple[str, str, Money]]: ...
    @property
    def units(self) -> Mapping[str, int]: ...
    @property
    def stock_taken(self) -> int: ...
    @property
    def clock(self) -> datetime | None: ...
    @property
    def holds(self) -> Sequence[tuple[datetime, int, str, str]]: ...
    @property
    def deadlines(self) -> Sequence[tuple[datetime, int, str]]: ...


# -- deciding ----------------------------------------------------------------------------------


def _reject(code: str, message: str, **fields: Any) -> Rejected:
    return Rejected(code, message, **fields)


def _group(view: _View, group_id: str) -> GroupState:
    group = view.groups.get(group_id)
    if group is None:
        raise _reject("unknown_group", f"there is no group {group_id!r}", group=group_id)
    return group


def _order(group: GroupState, member: str) -> Order:
    order = group.orders.get(member)
    if order is None:
        raise _reject(
            "not_a_member",
            f"{member!r} has no order in group {group.id!r}",
            group=group.id,
            member=member,
        )
    return order


def _due_entries(heap: Sequence[Any], at: datetime) -> list[Any]:
    # Read-only walk of a binary heap: visit a child only when its parent is due.
    found: list[Any] = []
    stack = [0] if heap else []
    while stack:
        index = stack.pop()
        entry = heap[index]
        if entry[0] <= at:
            found.append(entry)
            stack.extend(i for i in (2 * index + 1, 2 * index + 2) if i < len(heap))
    found.sort()
    return found


def _elapse(view: _View, at: datetime) -> list[Event]:
    """What time passing to *at* causes: expired holds first, then expired groups."""
    events: list[Event] = []
    for _due, _seq, group_id, member in _due_entries(view.holds, at):
        group = view.groups[group_id]
        order = group.orders[member]
        if order.status is OrderStatus.PENDING_PAYMENT and group.status is GroupStatus.OPEN:
            events.append(OrderCancelled(at, group_id, member, "hold_expired"))
            events.extend(_release(view, order, at))
    expired = [view.groups[g] for _due, _seq, g in _due_entries(view.deadlines, at)]
    if not expired:
        return events
    # Apply the hold expiries before judging the groups, so counts are current.
    released = {(e.group, e.member) for e in events if isinstance(e, OrderCancelled)}
    for group in expired:
        if group.status is GroupStatus.OPEN:
            events.extend(_expire(view, group, at, released))
    return events


def _release(view: _View, order: Order, at: datetime) -> list[Event]:
    if view.campaign.stock is None and view.campaign.per_member_limit is None:
        return []
    return [StockReleased(at, order.group, order.member, order.qty)]


def _expire(
    view: _View, group: GroupState, at: datetime, released: set[tuple[str, str]]
) -> list[Event]:
    campaign = view.campaign
    paid = [o for o in group.orders.values() if o.status is OrderStatus.AWAITING_GROUP]
    pending = [
        o
        for o in group.orders.values()
        if o.status is OrderStatus.PENDING_PAYMENT and (o.group, o.member) not in released
    ]
    rule = campaign.rule
    if isinstance(rule, TieredRule):
        tier = rule.tier_for(len(paid))
        if tier is not None:
            return _form(view, group, paid, pending, at, tier.price, 0, group.deadline)
    elif campaign.on_expiry is Expiry.VIRTUAL_COMPLETE and len(paid) >= (campaign.virtual_min or 1):
        return _form(
            view, group, paid, pending, at, rule.price, rule.size - len(paid), group.deadline
        )
    return _fail(view, group, paid, pending, at)


def _fail(
    view: _View, group: GroupState, paid: list[Order], pending: list[Order], at: datetime
) -> list[Event]:
    events: list[Event] = [GroupFailed(at, group.id, len(paid), group.deadline)]
    for order in pending:
        events.append(OrderCancelled(at, group.id, order.member, "group_failed"))
        events.extend(_release(view, order, at))
    for order in paid:
        events.extend(_give_back(order, order.net, order.authorised, RefundReason.GROUP_FAILED, at))
        events.extend(_release(view, order, at))
    return events


def _give_back(
    order: Order,
    cash: Money,
    authorised: Money | None,
    reason: RefundReason,
    at: datetime,
    payment_id: str | None = None,
    note: str = "",
) -> list[Event]:
    """Return *cash* (a refund) and release *authorised* (never captured) to the member,
    along the path of *payment_id* (the order's own payment unless named)."""
    path = payment_id or order.payment_id or ""
    events: list[Event] = []
    if cash.minor:
        refund_id = f"{order.group}:{order.member}:r{order.refund_count + 1}"
        events.append(RefundDue(at, order.group, order.member, refund_id, path, cash, reason, note))
    if authorised is not None and authorised.minor:
        events.append(
            AuthorisationReleased(at, order.group, order.member, path, authorised, reason)
        )
    return events


def _form(
    view: _View,
    group: GroupState,
    paid: list[Order],
    pending: list[Order],
    at: datetime,
    unit_price: Money,
    virtual: int,
    due: datetime | None,
) -> list[Event]:
    campaign = view.campaign
    events: list[Event] = [GroupFormed(at, group.id, len(paid) + virtual, virtual, unit_price, due)]
    for order in pending:
        events.append(OrderCancelled(at, group.id, order.member, "group_formed"))
        events.extend(_release(view, order, at))
    rule = campaign.rule
    if isinstance(rule, TieredRule):
        capture = rule.charge is ChargeMode.CAPTURE_AT_CLOSE
        for order in paid:
            events.extend(_settle_tier(campaign, order, unit_price, capture, at))
    return events


def _settle_tier(
    campaign: Campaign, order: Order, tier_price: Money, capture: bool, at: datetime
) -> list[Event]:
    unit = tier_price
    if order.role == "opener" and campaign.leader_price is not None:
        unit = min(unit, campaign.leader_price)
    quote = _quote(
        campaign,
        unit_price=unit,
        qty=order.qty,
        coupon_ids=order.coupons,
        role=order.role,
    )
    charged = order.authorised if capture else order.net
    events: list[Event] = []
    # Price protection: a member never pays more than already charged, even when a coupon
    # threshold no longer qualifies at the lower price; such an order keeps its price.
    if quote.total < charged:
        events.append(OrderRepriced(at, order.group, order.member, quote))
        final = quote.total
    else:
        final = charged
    if capture:
        events.append(PaymentCaptured(at, order.group, order.member, order.payment_id or "", final))
        events.extend(
            _give_back(
                order, Money.zero(final.currency), charged - final, RefundReason.TIER_DIFFERENCE, at
            )
        )
    elif final < charged:
        events.extend(_give_back(order, charged - final, None, RefundReason.TIER_DIFFERENCE, at))
    return events


def _unit_price(campaign: Campaign, role: str) -> Money:
    if role == "opener" and campaign.leader_price is not None:
        return campaign.leader_price
    return campaign.rule.price


def _admit(view: _View, member: str, qty: int, at: datetime, group: str) -> None:
    campaign = view.campaign
    if type(qty) is not int or qty < 1:
        raise InvalidInput(
            "invalid_quantity",
            f"qty must be a whole number of at least 1, got {qty!r}",
            field="qty",
            value=qty,
        )
    if isinstance(campaign.rule, SeckillRule) and at < campaign.rule.starts_at:
        raise _reject(
            "before_start",
            f"the seckill starts at {campaign.rule.starts_at.isoformat()}",
            group=group,
            member=member,
        )
    limit = campaign.per_member_limit
    if limit is not None and view.units.get(member, 0) + qty > limit:
        raise _reject(
            "limit_exceeded",
            f"{member!r} holds {view.units.get(member, 0)} units; {qty} more passes the limit "
            f"of {limit}",
            group=group,
            member=member,
        )
    if campaign.stock is not None and view.stock_taken + qty > campaign.stock:
        raise _reject(
            "out_of_stock",
            f"{campaign.stock - view.stock_taken} units left, {qty} asked",
            group=group,
            member=member,
        )


def _joined(
    view: _View,
    group: str,
    member: str,
    qty: int,
    coupons: tuple[str, ...],
    role: str,
    at: datetime,
) -> list[Event]:
    campaign = view.campaign
    quote = _quote(
        campaign, unit_price=_unit_price(campaign, role), qty=qty, coupon_ids=coupons, role=role
    )
    hold_until = campaign.payment_timeout.after(at, campaign.zone)
    events: list[Event] = [MemberJoined(at, group, member, qty, role, quote, hold_until, coupons)]
    if campaign.stock is not None or campaign.per_member_limit is not None:
        events.append(StockReserved(at, group, member, qty))
    return events


def _decide_open(view: _View, command: Open) -> list[Event]:
    if not isinstance(command.group, str) or not command.group:
        raise InvalidInput(
            "invalid_group", "group must be a non-empty string", field="group", value=command.group
        )
    if command.group in view.groups:
        raise _reject(
            "group_exists", f"group {command.group!r} is already open", group=command.group
        )
    _admit(view, command.member, command.qty, command.at, command.group)
    return _open(view, command.group, command.member, command.qty, command.coupons, command.at)


def _open(
    view: _View, group: str, member: str, qty: int, coupons: tuple[str, ...], at: datetime
) -> list[Event]:
    if not view.campaign.may_open(at):
        raise _reject(
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


def _decide_join(view: _View, command: Join) -> list[Event]:
    group = _group(view, command.group)
    if group.status is not GroupStatus.OPEN:
        raise _reject("group_closed", f"group {group.id!r} is {group.status.value}", group=group.id)
    if command.member in group.orders:
        raise _reject(
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
        raise _reject(
            "group_full",
            f"group {group.id!r} holds {group.holding} of {view.campaign.max_size} slots",
            group=group.id,
        )
    spill = _spill_id(view, group.id)
    return _open(view, spill, command.member, command.qty, command.coupons, command.at)


def _spill_id(view: _View, group_id: str) -> str:
    n = 2
    while f"{group_id}-{n}" in view.groups:
        n += 1
    return f"{group_id}-{n}"


def _check_money(view: _View, amount: Money, field: str) -> None:
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


def _decide_pay(view: _View, command: Pay) -> list[Event]:
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
    group = _group(view, command.group)
    order = _order(group, command.member)
    capture = _captures(view.campaign)
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
    if order.status in _ENDED or group.status is GroupStatus.FAILED:
        reason = RefundReason.LATE_PAYMENT
    elif order.status is not OrderStatus.PENDING_PAYMENT:
        reason = RefundReason.DUPLICATE_PAYMENT
    elif command.amount != order.due:
        reason = RefundReason.AMOUNT_MISMATCH
    if reason is not None:
        return [arrived, *_give_back(order, cash, held, reason, at, command.payment_id)]
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
    price = _forming_price(campaign, len(paid))
    if price is not None:
        pending = [
            o
            for o in group.orders.values()
            if o.status is OrderStatus.PENDING_PAYMENT and o.member != order.member
        ]
        events.extend(_form(view, group, paid, pending, at, price, 0, None))
    return events


def _forming_price(campaign: Campaign, paid: int) -> Money | None:
    """The unit price a group forms at the moment *paid* members have paid, or None."""
    rule = campaign.rule
    if isinstance(rule, TieredRule):
        tier = rule.tier_for(paid)
        return tier.price if tier is not None and paid >= campaign.max_size else None
    return rule.price if paid >= rule.size else None


def _captures(campaign: Campaign) -> bool:
    rule = campaign.rule
    return isinstance(rule, TieredRule) and rule.charge is ChargeMode.CAPTURE_AT_CLOSE


def _decide_cancel(view: _View, command: Cancel) -> list[Event]:
    group = _group(view, command.group)
    order = _order(group, command.member)
    if group.status is not GroupStatus.OPEN:
        raise _reject(
            "group_closed",
            f"group {group.id!r} is {group.status.value}; leaving is no longer possible",
            group=group.id,
            member=order.member,
        )
    if order.status in _ENDED:
        raise _reject(
            "order_closed",
            f"the order of {order.member!r} is already {order.status.value}",
            group=group.id,
            member=order.member,
        )
    if order.status is OrderStatus.PENDING_PAYMENT:
        return [
            OrderCancelled(command.at, group.id, order.member, "left"),
            *_release(view, order, command.at),
        ]
    return [
        *_give_back(order, order.net, order.authorised, RefundReason.CANCELLED, command.at),
        *_release(view, order, command.at),
    ]


def _decide_tick(view: _View, command: Tick) -> list[Event]:
    return []  # time passing is decided before every command


def _decide_draw(view: _View, command: Draw) -> list[Event]:
    group = _group(view, command.group)
    rule = view.campaign.rule
    if not isinstance(rule, LotteryRule):
        raise _reject("not_a_lottery", f"group {group.id!r} is not a lottery group", group=group.id)
    if group.status is not GroupStatus.FORMED:
        raise _reject(
            "group_not_formed",
            f"group {group.id!r} is {group.status.value}; only a formed group is drawn",
            group=group.id,
        )
    if group.drawn:
        raise _reject("already_drawn", f"group {group.id!r} was drawn already", group=group.id)
    members = [o.member for o in group.orders.values() if o.status is OrderStatus.AWAITING_GROUP]
    winners, losers = draw(command.seed, group.id, members, rule.winners)
    events: list[Event] = [
        WinnersDrawn(command.at, group.id, command.seed, winners, losers, rule.consolation_coupon)
    ]
    for member in losers:
        order = group.orders[member]
        events.extend(
            _give_back(order, order.net, order.authorised, RefundReason.LOTTERY_LOST, command.at)
        )
        events.extend(_release(view, order, command.at))
    return events


def _decide_ship(view: _View, command: Ship) -> list[Event]:
    group = _group(view, command.group)
    order = _order(group, command.member)
    if order.status is not OrderStatus.AWAITING_SHIPMENT:
        raise _reject(
            "not_shippable",
            f"the order of {order.member!r} is {order.status.value}; only "
            "an order awaiting shipment ships",
            group=group.id,
            member=order.member,
        )
    return [OrderShipped(command.at, group.id, order.member)]


def _decide_complete(view: _View, command: Complete) -> list[Event]:
    group = _group(view, command.group)
    order = _order(group, command.member)
    if order.status is not OrderStatus.SHIPPED:
        raise _reject(
            "not_completable",
            f"the order of {order.member!r} is {order.status.value}; "
            "only a shipped order completes",
            group=group.id,
            member=order.member,
        )
    return [OrderCompleted(command.at, group.id, order.member)]


def _decide_refund(view: _View, command: RequestRefund) -> list[Event]:
    _check_money(view, command.amount, "amount")
    group = _group(view, command.group)
    order = _order(group, command.member)
    if order.status not in _PAID or order.status is OrderStatus.AWAITING_GROUP:
        raise _reject(
            "not_refundable",
            f"the order of {order.member!r} is {order.status.value}; "
            "after-sales refunds apply to formed orders (leave an unformed group "
            "with cancel)",
            group=group.id,
            member=order.member,
        )
    if command.amount > order.net:
        raise _reject(
            "refund_exceeds_paid",
            f"refund of {command.amount} exceeds the {order.net} left on the order of "
            f"{order.member!r}",
            group=group.id,
            member=order.member,
        )
    events = _give_back(
        order, command.amount, None, RefundReason.AFTER_SALES, command.at, note=command.reason
    )
    if command.amount == order.net and order.status is OrderStatus.AWAITING_SHIPMENT:
        events.extend(_release(view, order, command.at))
    return events


_DECIDERS: Mapping[type, Callable[[_View, Any], list[Event]]] = {
    Open: _decide_open,
    Join: _decide_join,
    Pay: _decide_pay,
    Cancel: _decide_cancel,
    Tick: _decide_tick,
    Draw: _decide_draw,
    Ship: _decide_ship,
    Complete: _decide_complete,
    RequestRefund: _decide_refund,
}


def _decide_now(view: _View, command: Command) -> list[Event]:
    handler = _DECIDERS.get(type(command))
    if handler is None:
        raise InvalidInput(
            "unknown_command",
            f"{type(command).__name__} is not a command",
            value=type(command).__name__,
        )
    return handler(view, command)


def _check_time(view: _View, at: datetime) -> None:
    require_aware(at, "at")
    if view.clock is not None and at < view.clock:
        raise InvalidInput(
            "time_went_backwards",
            f"at {at.isoformat()} is before the last command at {view.clock.isoformat()}",
            field="at",
            value=at.isoformat(),
        )


def decide(state: CampaignState, command: Command) -> tuple[Event, ...]:
    """What *command* causes in *state*: time passing to ``command.at``, then the command.

    Args:
        state: the campaign's current state.
        command: an ``Open``, ``Join``, ``Pay``, ``Cancel``, ``Tick``, ``Draw``, ``Ship``,
            ``Complete`` or ``RequestRefund``.

    Returns:
        The events, in the order to apply them (possibly none: a duplicate payment).

    Raises:
        Rejected: a coded refusal (``group_full``, ``already_member``, ...); nothing changed.
        Conflict: ``payment_conflict``.
        InvalidInput: a malformed command (naive time, time going backwards, bad amount).
    """
    _check_time(state, command.at)
    elapsed = _elapse(state, command.at)
    after = state
    for event in elapsed:
        after = evolve(after, event)
    return (*elapsed, *_decide_now(after, command))


# -- evolving ----------------------------------------------------------------------------------


class _Draft:
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
        self._owned: dict[int, object] = {}

    def _own(self, container: Any) -> Any:
        if id(container) in self._owned:
            return container
        copy = type(container)(container) if not isinstance(container, tuple) else list(container)
        self._owned[id(copy)] = copy
        return copy

    def edit(self, record: _R, **changes: Any) -> _R:
        """*record* with *changes*: edited in place when this draft made it, else a copy."""
        if id(record) not in self._owned:
            record = _copy(record)
            self._owned[id(record)] = record
        for name, value in changes.items():
            object.__setattr__(record, name, value)
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
        )

    def apply(self, event: Event) -> None:
        handler = _EVOLVERS.get(type(event))
        if handler is None:
            raise InvalidInput(
                "unknown_event",
                f"{type(event).__name__} is not an event",
                value=type(event).__name__,
            )
        if self.clock is None or event.at > self.clock:
            self.clock = event.at
        handler(self, event)
        self._drop_stale(event.at)

    def _drop_stale(self, at: datetime) -> None:
        # Entries that time has reached and no longer matter are popped once, here.
        holds = self.holds
        while holds and holds[0][0] <= at:
            _due, _seq, group_id, member = holds[0]
            group = self.groups[group_id]
            if (
                group.status is GroupStatus.OPEN
                and group.orders[member].status is OrderStatus.PENDING_PAYMENT
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


_R = TypeVar("_R", Order, GroupState)
_FIELD_NAMES: dict[type, tuple[str, ...]] = {
    cls: tuple(f.name for f in attrs.fields(cls)) for cls in (Order, GroupState)
}


def _copy(record: _R) -> _R:
    # attrs.evolve re-runs __init__ through introspection; a record without validators
    # copies field by field at a fraction of the cost.
    copy = object.__new__(type(record))
    for name in _FIELD_NAMES[type(record)]:
        object.__setattr__(copy, name, getattr(record, name))
    return copy


def _zero(draft: _Draft) -> Money:
    return Money.zero(draft.campaign.currency)


def _on_opened(draft: _Draft, event: GroupOpened) -> None:
    price = draft.campaign.rule.price
    draft.owned_groups()[event.group] = GroupState(
        event.group, event.opener, event.at, event.deadline, GroupStatus.OPEN, price, {}
    )
    deadlines = draft.deadlines = draft._own(draft.deadlines)
    draft.order_seq += 1
    heapq.heappush(deadlines, (event.deadline, draft.order_seq, event.group))


def _on_joined(draft: _Draft, event: MemberJoined) -> None:
    group = draft.groups[event.group]
    draft.order_seq += 1
    zero = _zero(draft)
    order = Order(
        event.group,
        event.member,
        draft.order_seq,
        event.role,
        event.qty,
        OrderStatus.PENDING_PAYMENT,
        event.at,
        event.hold_until,
        event.quote,
        zero,
        zero,
        zero,
        zero,
        coupons=event.coupons,
    )
    draft.put_order(group, order, pending=group.pending + 1)
    holds = draft.holds = draft._own(draft.holds)
    heapq.heappush(holds, (event.hold_until, draft.order_seq, event.group, event.member))


def _on_reserved(draft: _Draft, event: StockReserved) -> None:
    units = draft.units = draft._own(draft.units)
    units[event.member] = units.get(event.member, 0) + event.units
    draft.stock_taken += event.units


def _on_released(draft: _Draft, event: StockReleased) -> None:
    units = draft.units = draft._own(draft.units)
    units[event.member] = units.get(event.member, 0) - event.units
    draft.stock_taken -= event.units


def _record_payment(draft: _Draft, event: PaymentReceived | PaymentAuthorised) -> None:
    payments = draft.payments = draft._own(draft.payments)
    payments[event.payment_id] = (event.group, event.member, event.amount)


def _on_received(draft: _Draft, event: PaymentReceived) -> None:
    _record_payment(draft, event)
    group = draft.groups[event.group]
    order = group.orders[event.member]
    draft.put_order(
        group,
        draft.edit(
            order, paid=order.paid + event.amount, payment_id=order.payment_id or event.payment_id
        ),
    )


def _on_authorised(draft: _Draft, event: PaymentAuthorised) -> None:
    _record_payment(draft, event)
    group = draft.groups[event.group]
    order = group.orders[event.member]
    draft.put_order(
        group,
        draft.edit(
            order,
            authorised=order.authorised + event.amount,
            payment_id=order.payment_id or event.payment_id,
        ),
    )


def _on_paid(draft: _Draft, event: OrderPaid) -> None:
    group = draft.groups[event.group]
    order = group.orders[event.member]
    draft.put_order(
        group,
        draft.edit(order, status=OrderStatus.AWAITING_GROUP, payment_id=event.payment_id),
        pending=group.pending - 1,
        paid=group.paid + 1,
    )


def _on_captured(draft: _Draft, event: PaymentCaptured) -> None:
    group = draft.groups[event.group]
    order = group.orders[event.member]
    draft.put_order(
        group,
        draft.edit(
            order, paid=order.paid + event.amount, authorised=order.authorised - event.amount
        ),
    )


def _on_released_authorisation(draft: _Draft, event: AuthorisationReleased) -> None:
    group = draft.groups[event.group]
    order = group.orders[event.member]
    order = draft.edit(order, authorised=order.authorised - event.amount)
    _end_if(draft, group, order, event.reason)


def _end_if(draft: _Draft, group: GroupState, order: Order, reason: RefundReason) -> None:
    ends = reason in _ENDING_REASONS or (
        reason is RefundReason.AFTER_SALES and order.net.minor == 0 and order.authorised.minor == 0
    )
    if ends and order.status not in _ENDED:
        paid = group.paid - (1 if order.status is OrderStatus.AWAITING_GROUP else 0)
        draft.put_order(group, draft.edit(order, status=OrderStatus.REFUNDED), paid=paid)
    else:
        draft.put_order(group, order)


def _on_refund(draft: _Draft, event: RefundDue) -> None:
    group = draft.groups[event.group]
    order = group.orders[event.member]
    order = draft.edit(
        order,
        refunded=order.refunded + event.amount,
        refund_count=order.refund_count + 1,
        after_sales=order.after_sales + event.amount
        if event.reason is RefundReason.AFTER_SALES
        else order.after_sales,
    )
    _end_if(draft, group, order, event.reason)


def _on_cancelled(draft: _Draft, event: OrderCancelled) -> None:
    group = draft.groups[event.group]
    order = group.orders[event.member]
    draft.put_order(
        group, draft.edit(order, status=OrderStatus.CANCELLED), pending=group.pending - 1
    )


def _on_formed(draft: _Draft, event: GroupFormed) -> None:
    group = draft.groups[event.group]
    lottery = isinstance(draft.campaign.rule, LotteryRule)
    orders = draft._own(group.orders)
    if not lottery:
        for member, order in orders.items():
            if order.status is OrderStatus.AWAITING_GROUP:
                orders[member] = draft.edit(order, status=OrderStatus.AWAITING_SHIPMENT)
    draft.owned_groups()[group.id] = draft.edit(
        group,
        orders=orders,
        status=GroupStatus.FORMED,
        unit_price=event.unit_price,
        virtual=event.virtual,
        formed_at=event.at,
    )


def _on_repriced(draft: _Draft, event: OrderRepriced) -> None:
    group = draft.groups[event.group]
    draft.put_order(group, draft.edit(group.orders[event.member], quote=event.quote))


def _on_failed(draft: _Draft, event: GroupFailed) -> None:
    group = draft.groups[event.group]
    draft.owned_groups()[group.id] = draft.edit(group, status=GroupStatus.FAILED)


def _on_drawn(draft: _Draft, event: WinnersDrawn) -> None:
    group = draft.groups[event.group]
    orders = draft._own(group.orders)
    for member in event.winners:
        orders[member] = draft.edit(orders[member], status=OrderStatus.AWAITING_SHIPMENT)
    draft.owned_groups()[group.id] = draft.edit(
        group, orders=orders, winners=event.winners, drawn=True
    )


def _on_shipped(draft: _Draft, event: OrderShipped) -> None:
    group = draft.groups[event.group]
    draft.put_order(group, draft.edit(group.orders[event.member], status=OrderStatus.SHIPPED))


def _on_completed(draft: _Draft, event: OrderCompleted) -> None:
    group = draft.groups[event.group]
    draft.put_order(group, draft.edit(group.orders[event.member], status=OrderStatus.COMPLETED))


_EVOLVERS: Mapping[type, Callable[[_Draft, Any], None]] = {
    GroupOpened: _on_opened,
    MemberJoined: _on_joined,
    StockReserved: _on_reserved,
    StockReleased: _on_released,
    PaymentReceived: _on_received,
    PaymentAuthorised: _on_authorised,
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
}


def evolve(state: CampaignState, event: Event) -> CampaignState:
    """The state after *event*; *state* itself is unchanged.

    Raises:
        InvalidInput: ``unknown_event`` for an object that is not an event.
    """
    draft = _Draft(state)
    draft.apply(event)
    return draft.freeze()


class Fold:
    """Decides and applies a long stream of commands or events in linear time.

    The working copy is private: :attr:`state` hands out an immutable value, after which
    further work copies what it touches again.

    Args:
        campaign: the campaign, or a state to continue from.
    """

    def __init__(self, campaign: Campaign | CampaignState) -> None:
        state = campaign if isinstance(campaign, CampaignState) else initial_state(campaign)
        self._draft = _Draft(state)

    @property
    def state(self) -> CampaignState:
        """The state so far, as an immutable value."""
        return self._draft.freeze()

    def apply(self, events: Iterable[Event]) -> None:
        """Apply facts (never fails on events that ``decide`` produced)."""
        for event in events:
            self._draft.apply(event)

    def advance(self, at: datetime) -> tuple[Event, ...]:
        """Let time pass to *at*: expired holds, then expired groups. Returns what it caused.

        Raises:
            InvalidInput: ``naive_datetime`` or ``time_went_backwards``.
        """
        draft = self._draft
        _check_time(draft, at)
        elapsed = _elapse(draft, at)
        self.apply(elapsed)
        # The clock moves only with events, exactly as on the pure path (decide + evolve):
        # a quiet tick leaves no trace, so both paths refuse the same commands.
        return tuple(elapsed)

    def execute(self, command: Command) -> tuple[Event, ...]:
        """Decide *command* as :func:`decide` would, apply its events, and return them.

        Time passing to ``command.at`` is applied even when the command is then refused.

        Raises:
            Rejected, Conflict, InvalidInput: as :func:`decide`; the command changed nothing.
        """
        elapsed = self.advance(command.at)
        events = _decide_now(self._draft, command)
        self.apply(events)
        return (*elapsed, *events)


def replay(campaign: Campaign, events: Iterable[Event]) -> CampaignState:
    """Fold an event log into the state it leads to, in time linear in the log."""
    fold = Fold(campaign)
    fold.apply(events)
    return fold.state


# -- invariants --------------------------------------------------------------------------------


def _expected_net(order: Order, group: GroupState) -> Money | None:
    zero = order.paid - order.paid
    if order.status in _ENDED or order.status is OrderStatus.PENDING_PAYMENT:
        return zero
    if group.status is GroupStatus.FAILED:
        return zero
    if _is_authorisation_only(order):
        return None
    return order.due - order.after_sales


def _is_authorisation_only(order: Order) -> bool:
    return order.authorised.minor > 0


def check_invariants(state: CampaignState) -> None:
    """Check every invariant of *state*; the stateful tests call it after every step.

    Per order: paid − refunded equals the amount due under the current outcome (zero when
    failed, cancelled, lost or unpaid; the due less after-sales refunds otherwise); nothing
    refunded beyond what was paid; nothing authorised left on an ended order. Per group: at
    most ``max_size`` slots held, counters equal to the orders. Campaign: stock taken within
    stock, per-member units within the limit, no negative counts.

    Raises:
        InvariantViolation: naming the first invariant broken.
    """
    campaign = state.campaign
    for group in state.groups.values():
        pending = sum(1 for o in group.orders.values() if o.status is OrderStatus.PENDING_PAYMENT)
        paid = sum(1 for o in group.orders.values() if o.status is OrderStatus.AWAITING_GROUP)
        if group.status is GroupStatus.OPEN and (pending, paid) != (group.pending, group.paid):
            _violated(
                f"group {group.id}: counters {group.pending}/{group.paid} but orders say "
                f"{pending}/{paid}"
            )
        if group.status is GroupStatus.OPEN and group.holding > campaign.max_size:
            _violated(f"group {group.id} holds {group.holding} > {campaign.max_size} slots")
        for order in group.orders.values():
            if order.refunded > order.paid:
                _violated(
                    f"{order.group}/{order.member}: refunded {order.refunded} > paid {order.paid}"
                )
            expected = _expected_net(order, group)
            if expected is not None and order.net != expected:
                _violated(
                    f"{order.group}/{order.member} ({order.status.value}): net "
                    f"{order.net}, expected {expected}"
                )
            if order.status in _ENDED and order.authorised.minor:
                _violated(f"{order.group}/{order.member}: {order.authorised} still authorised")
    if campaign.stock is not None and not 0 <= state.stock_taken <= campaign.stock:
        _violated(f"stock taken {state.stock_taken} outside 0..{campaign.stock}")
    for member, units in state.units.items():
        if units < 0 or (
            campaign.per_member_limit is not None and units > campaign.per_member_limit
        ):
            _violated(f"{member} holds {units} units")


def _violated(message: str) -> None:
    raise InvariantViolation("invariant_violated", message)
