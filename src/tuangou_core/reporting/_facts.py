"""The fold behind every metric: a log of events read once into facts per group and order.

:func:`log_facts` walks the log a single time and keeps, for each group and each order
``(group, member)``, what the metrics of :mod:`tuangou_core.reporting` need: when it opened,
joined, paid, formed, failed, shipped; whether it was withdrawn or lost a lottery; the cash it
paid and was owed back. The metrics then count over these facts instead of re-reading the log,
which is what lets :func:`~tuangou_core.reporting.report` fold a large log once.

This module reads events only; :mod:`tuangou_core.reporting` is its public face.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any, Final

import attrs

from tuangou_core.group import (
    AuthorisationReleased,
    Event,
    GroupFailed,
    GroupFormed,
    GroupOpened,
    LeaderChanged,
    MemberJoined,
    OrderCancelled,
    OrderCompleted,
    OrderPaid,
    OrderReopened,
    OrderRepriced,
    OrderShipped,
    PaymentAuthorised,
    PaymentCaptured,
    PaymentReceived,
    PaymentUnmatched,
    Projection,
    RefundDue,
    RefundReason,
    StockReleased,
    StockReserved,
    WinnersDrawn,
    amount_in,
    fold_events,
)
from tuangou_core.money import Currency, Money
from tuangou_core.reporting._records import AT_ONCE

OrderKey = tuple[str, str]
"""An order: ``(group, member)``; a member has at most one order in a group."""

# -- the fold ----------------------------------------------------------------------------------


@attrs.frozen
class GroupFacts:
    """What the log says about one group.

    ``formed_at`` is the moment it formed (``due`` when its deadline formed it).
    ``outcome`` is ``"open"``, ``"formed"`` or ``"failed"``.
    """

    group: str
    opener: str | None
    opened_at: datetime | None
    outcome: str
    formed_at: datetime | None
    failed_at: datetime | None
    size: int
    virtual: int

    @property
    def time_to_form(self) -> timedelta | None:
        """From opening to forming, when both are in the log."""
        if self.opened_at is None or self.formed_at is None:
            return None
        return self.formed_at - self.opened_at


@attrs.frozen
class OrderFacts:
    """What the log says about one order: its steps, its cash and the events behind it."""

    group: str
    member: str
    role: str
    qty: int
    joined_at: datetime | None
    paid_at: datetime | None
    withdrawn: bool  # left (refunded as cancelled) or cancelled before forming
    lottery_lost: bool
    shipped_at: datetime | None
    completed_at: datetime | None
    paid: Money
    refunded: Money
    events: tuple[int, ...]  # indexes into the log
    returned_at_once: Money | None = None  # stray payments sent straight back (in both above)
    inviter: str | None = None  # whose share brought the join, when it named one

    @property
    def key(self) -> OrderKey:
        """``(group, member)``."""
        return (self.group, self.member)

    @property
    def net(self) -> Money:
        """Cash paid minus cash owed back."""
        return self.paid - self.refunded

    @property
    def settled(self) -> Money:
        """The order's own cash: what it was paid less the stray payments sent straight back
        (a duplicate, a late or a mismatched payment), i.e. the order's part of GMV."""
        stray = 0 if self.returned_at_once is None else self.returned_at_once.minor
        return Money(self.paid.minor - stray, self.paid.currency)

    @property
    def order_refunds(self) -> Money:
        """The order's refunds (a failed group, a cancel, after-sales…), stray returns left out."""
        stray = 0 if self.returned_at_once is None else self.returned_at_once.minor
        return Money(self.refunded.minor - stray, self.paid.currency)


@attrs.frozen
class LogFacts:
    """A log folded once: its groups and orders in first-seen order, and its currency.

    *refunds* sums the orders' refunds by reason (stray returns left out); *unmatched* counts
    the payments that named no order and *unmatched_cash* sums their cash (authorisations of
    ``capture_at_close`` are not cash); each was sent straight back.
    """

    currency: str
    groups: tuple[GroupFacts, ...]
    orders: tuple[OrderFacts, ...]
    refunds: tuple[tuple[str, int], ...] = ()
    unmatched: int = 0
    unmatched_cash: int = 0
    stray_returns: int = 0

    def group(self, group: str) -> GroupFacts | None:
        """The group named *group*, or None."""
        for found in self.groups:
            if found.group == group:
                return found
        return None


class _Group:
    __slots__ = ("failed_at", "formed_at", "group", "opened_at", "opener", "size", "virtual")

    def __init__(self, group: str) -> None:
        self.group = group
        self.opener: str | None = None
        self.opened_at: datetime | None = None
        self.formed_at: datetime | None = None
        self.failed_at: datetime | None = None
        self.size = 0
        self.virtual = 0


class _Order:
    __slots__ = (
        "at_once",
        "completed_at",
        "events",
        "group",
        "inviter",
        "joined_at",
        "lost",
        "member",
        "paid",
        "paid_at",
        "qty",
        "refunded",
        "role",
        "shipped_at",
        "withdrawn",
    )

    def __init__(self, group: str, member: str) -> None:
        self.group = group
        self.member = member
        self.role = "joiner"
        self.qty = 0
        self.joined_at: datetime | None = None
        self.paid_at: datetime | None = None
        self.withdrawn = False
        self.lost = False
        self.shipped_at: datetime | None = None
        self.completed_at: datetime | None = None
        self.paid = 0
        self.refunded = 0
        self.at_once = 0
        self.inviter: str | None = None
        self.events: list[int] = []


class _Fold:
    def __init__(self, currency: str) -> None:
        self.currency = currency
        self.groups: dict[str, _Group] = {}
        self.orders: dict[OrderKey, _Order] = {}
        self.refunds: dict[str, int] = {}
        self.unmatched = 0
        self.unmatched_cash = 0
        self.stray_returns = 0

    def group(self, group: str) -> _Group:
        found = self.groups.get(group)
        if found is None:
            found = self.groups[group] = _Group(group)
        return found

    def order(self, group: str, member: str, index: int) -> _Order:
        key = (group, member)
        found = self.orders.get(key)
        if found is None:
            self.group(group)
            found = self.orders[key] = _Order(group, member)
        found.events.append(index)
        return found

    def cash(self, amount: Money, index: int) -> int:
        return amount_in(amount, self.currency, index, "the report")


def _opened(fold: _Fold, event: GroupOpened, _index: int) -> None:
    group = fold.group(event.group)
    group.opener = event.opener
    group.opened_at = event.at


def _joined(fold: _Fold, event: MemberJoined, index: int) -> None:
    order = fold.order(event.group, event.member, index)
    order.role = event.role
    order.qty = event.qty
    order.joined_at = event.at
    if order.inviter is None:
        order.inviter = event.inviter


def _received(fold: _Fold, event: PaymentReceived | PaymentCaptured, index: int) -> None:
    fold.order(event.group, event.member, index).paid += fold.cash(event.amount, index)


def _paid(fold: _Fold, event: OrderPaid, index: int) -> None:
    order = fold.order(event.group, event.member, index)
    if order.paid_at is None:
        order.paid_at = event.at


def _refund(fold: _Fold, event: RefundDue, index: int) -> None:
    amount = fold.cash(event.amount, index)
    if event.reason is RefundReason.UNMATCHED_PAYMENT:
        return  # money that named no order is no order's: counted by _unmatched
    order = fold.order(event.group, event.member, index)
    order.refunded += amount
    if event.reason in AT_ONCE:
        order.at_once += amount
        fold.stray_returns += 1
    else:
        reason = event.reason.value
        fold.refunds[reason] = fold.refunds.get(reason, 0) + amount
    if event.reason is RefundReason.CANCELLED:
        order.withdrawn = True
    elif event.reason is RefundReason.LOTTERY_LOST:
        order.lost = True


def _reopened(fold: _Fold, event: OrderReopened, index: int) -> None:
    order = fold.order(event.group, event.member, index)
    order.withdrawn = False
    order.qty = event.qty


def _cancelled(fold: _Fold, event: OrderCancelled, index: int) -> None:
    fold.order(event.group, event.member, index).withdrawn = True


def _formed(fold: _Fold, event: GroupFormed, _index: int) -> None:
    group = fold.group(event.group)
    group.formed_at = event.due or event.at
    group.size = event.size
    group.virtual = event.virtual


def _failed(fold: _Fold, event: GroupFailed, _index: int) -> None:
    fold.group(event.group).failed_at = event.due


def _unmatched(fold: _Fold, event: PaymentUnmatched, index: int) -> None:
    amount = fold.cash(event.amount, index)
    fold.unmatched += 1
    if not event.authorised:
        fold.unmatched_cash += amount


def _drawn(fold: _Fold, event: WinnersDrawn, index: int) -> None:
    for member in event.losers:
        fold.order(event.group, member, index).lost = True


def _shipped(fold: _Fold, event: OrderShipped, index: int) -> None:
    order = fold.order(event.group, event.member, index)
    if order.shipped_at is None:
        order.shipped_at = event.at


def _completed(fold: _Fold, event: OrderCompleted, index: int) -> None:
    order = fold.order(event.group, event.member, index)
    if order.completed_at is None:
        order.completed_at = event.at


def _order_event(
    fold: _Fold,
    event: StockReserved
    | StockReleased
    | PaymentAuthorised
    | AuthorisationReleased
    | OrderRepriced,
    index: int,
) -> None:
    fold.order(event.group, event.member, index)


_FACTS: Final = Projection[Callable[[_Fold, Any, int], None]](
    "the metrics",
    {
        GroupOpened: _opened,
        MemberJoined: _joined,
        StockReserved: _order_event,
        StockReleased: _order_event,
        PaymentReceived: _received,
        PaymentAuthorised: _order_event,
        OrderPaid: _paid,
        PaymentCaptured: _received,
        AuthorisationReleased: _order_event,
        OrderCancelled: _cancelled,
        RefundDue: _refund,
        GroupFormed: _formed,
        OrderRepriced: _order_event,
        GroupFailed: _failed,
        WinnersDrawn: _drawn,
        OrderShipped: _shipped,
        OrderCompleted: _completed,
        OrderReopened: _reopened,
        PaymentUnmatched: _unmatched,
    },
    ignore=(LeaderChanged,),
)


def _check_currency(currency: object) -> str:
    return Currency.of(currency).code  # type: ignore[arg-type]


def log_facts(events: Iterable[Event], currency: str = "CNY") -> LogFacts:
    """Fold *events* once into what every metric reads.

    Args:
        events: a log in time order, as the group decider produced it.
        currency: the currency of every amount in the log.

    Raises:
        InvalidInput: ``unknown_event`` for an item that is not an event,
            ``currency_mismatch`` for an amount in another currency, ``unknown_currency``.
    """
    fold = _Fold(_check_currency(currency))
    fold_events(_FACTS, fold, events)
    code = fold.currency
    groups = tuple(
        GroupFacts(
            group=g.group,
            opener=g.opener,
            opened_at=g.opened_at,
            outcome="formed" if g.formed_at else "failed" if g.failed_at else "open",
            formed_at=g.formed_at,
            failed_at=g.failed_at,
            size=g.size,
            virtual=g.virtual,
        )
        for g in fold.groups.values()
    )
    orders = tuple(
        OrderFacts(
            group=o.group,
            member=o.member,
            role=o.role,
            qty=o.qty,
            joined_at=o.joined_at,
            paid_at=o.paid_at,
            withdrawn=o.withdrawn,
            lottery_lost=o.lost,
            shipped_at=o.shipped_at,
            completed_at=o.completed_at,
            # Sums of amounts the decider already checked: trusted, as a fold of 40 000 events
            # builds three per order.
            paid=Money._trusted(o.paid, code),
            refunded=Money._trusted(o.refunded, code),
            events=tuple(o.events),
            returned_at_once=Money._trusted(o.at_once, code),
            inviter=o.inviter,
        )
        for o in fold.orders.values()
    )
    return LogFacts(
        code,
        groups,
        orders,
        tuple(sorted(fold.refunds.items())),
        fold.unmatched,
        fold.unmatched_cash,
        fold.stray_returns,
    )
