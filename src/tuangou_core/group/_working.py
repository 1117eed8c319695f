"""The Fold's working records: mutable, slotted twins of ``Order`` and ``GroupState``.

A frozen attrs record costs a slot setter call per field to build (about 90 ns each here) and
another to change; a plain slotted object is built by one ``__init__`` and changed by an
ordinary attribute store (about 15 ns). So the working copy inside a ``Fold`` keeps mutable
twins with the same fields and the same values (amounts stay ``Money``: immutable values, so
sharing them costs nothing), edits them in place event after event, and builds the frozen
record once, when the state is read. The twins read like the frozen records (``due``,
``net``, ``holding``, ``paid_order()``), so the decider reads either one
(:mod:`tuangou_core.group._view`).

Private: the public values are :class:`~tuangou_core.group.Order` and
:class:`~tuangou_core.group.GroupState`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from itertools import repeat
from operator import attrgetter, call
from typing import Any, Final

import attrs

from tuangou_core.group._events import GroupStatus, OrderStatus
from tuangou_core.group._state import GroupState, Order, paid_order_of
from tuangou_core.group._view import OrderView
from tuangou_core.money import Money
from tuangou_core.pricing import Quote
from tuangou_core.refunds import PaidOrder

ORDER_FIELDS: Final = tuple(f.name for f in attrs.fields(Order))
GROUP_FIELDS: Final = tuple(f.name for f in attrs.fields(GroupState))


class WorkingOrder:
    """An order inside a Fold's working copy: the fields of :class:`Order`, mutable."""

    __slots__ = ORDER_FIELDS

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
    settled: Money
    returned: Money
    unit_refunded: Money
    payment_id: str | None
    tender: str
    refund_count: int
    units_returned: int
    coupons: tuple[str, ...]
    coupons_settled: bool

    def __init__(
        self,
        group: str,
        member: str,
        seq: int,
        role: str,
        qty: int,
        status: OrderStatus,
        joined_at: datetime,
        hold_until: datetime,
        quote: Quote,
        paid: Money,
        refunded: Money,
        authorised: Money,
        after_sales: Money,
        settled: Money,
        returned: Money,
        unit_refunded: Money,
        payment_id: str | None,
        tender: str,
        refund_count: int,
        units_returned: int,
        coupons: tuple[str, ...],
        coupons_settled: bool,
    ) -> None:
        self.group = group
        self.member = member
        self.seq = seq
        self.role = role
        self.qty = qty
        self.status = status
        self.joined_at = joined_at
        self.hold_until = hold_until
        self.quote = quote
        self.paid = paid
        self.refunded = refunded
        self.authorised = authorised
        self.after_sales = after_sales
        self.settled = settled
        self.returned = returned
        self.unit_refunded = unit_refunded
        self.payment_id = payment_id
        self.tender = tender
        self.refund_count = refund_count
        self.units_returned = units_returned
        self.coupons = coupons
        self.coupons_settled = coupons_settled

    @property
    def due(self) -> Money:
        """As :attr:`Order.due`."""
        return self.quote.total

    @property
    def net(self) -> Money:
        """As :attr:`Order.net`."""
        return self.paid - self.refunded

    def paid_order(self) -> PaidOrder:
        """As :meth:`Order.paid_order`."""
        return paid_order_of(self)

    def __repr__(self) -> str:
        return f"<WorkingOrder {self.group}/{self.member} {self.status.value}>"


class WorkingGroup:
    """A group inside a Fold's working copy: the fields of :class:`GroupState`, mutable.

    ``orders`` is the group's own dict, holding frozen orders not touched since the group was
    thawed and working ones (listed in ``fresh``, to freeze when the state is read).
    """

    __slots__ = (*GROUP_FIELDS, "fresh")

    id: str
    opener: str
    leader: str
    opened_at: datetime
    deadline: datetime
    status: GroupStatus
    unit_price: Money
    orders: dict[str, Order | WorkingOrder]
    pending: int
    paid: int
    virtual: int
    winners: tuple[str, ...]
    drawn: bool
    formed_at: datetime | None
    formed_size: int
    spill_of: str | None
    fresh: list[WorkingOrder]

    def __init__(
        self,
        id: str,
        opener: str,
        leader: str,
        opened_at: datetime,
        deadline: datetime,
        status: GroupStatus,
        unit_price: Money,
        orders: dict[str, Order | WorkingOrder],
        pending: int,
        paid: int,
        virtual: int,
        winners: tuple[str, ...],
        drawn: bool,
        formed_at: datetime | None,
        formed_size: int,
        spill_of: str | None,
    ) -> None:
        self.id = id
        self.opener = opener
        self.leader = leader
        self.opened_at = opened_at
        self.deadline = deadline
        self.status = status
        self.unit_price = unit_price
        self.orders = orders
        self.pending = pending
        self.paid = paid
        self.virtual = virtual
        self.winners = winners
        self.drawn = drawn
        self.formed_at = formed_at
        self.formed_size = formed_size
        self.spill_of = spill_of
        self.fresh = []

    @property
    def holding(self) -> int:
        """As :attr:`GroupState.holding`."""
        return self.pending + self.paid

    def working(self, member: str) -> WorkingOrder:
        """*member*'s order, made a working one (a copy of the frozen one) if it was not."""
        order = self.orders[member]
        if isinstance(order, WorkingOrder):
            return order
        work = WorkingOrder(*_ORDER_VALUES(order))
        self.add(work)
        return work

    def add(self, order: WorkingOrder) -> None:
        """Put a working order in the group, to be frozen when the state is read."""
        self.orders[order.member] = order
        self.fresh.append(order)

    def __repr__(self) -> str:
        return f"<WorkingGroup {self.id} {self.status.value}>"


# Every field's value in one C call; it reads a frozen record and its twin alike.
_ORDER_VALUES: Final[Callable[[Any], tuple[Any, ...]]] = attrgetter(*ORDER_FIELDS)
_GROUP_VALUES: Final[Callable[[Any], tuple[Any, ...]]] = attrgetter(*GROUP_FIELDS)
# A frozen class refuses setattr, and object.__setattr__ looks each name up on every call:
# each slot's own setter is the cheapest way in (attrs' __init__ goes through
# object.__setattr__). Order and GroupState have no converters or validators: the decider
# made every value, so setting the slots gives the value __init__ would.
_ORDER_SETTERS: Final = tuple(Order.__dict__[name].__set__ for name in ORDER_FIELDS)
_GROUP_SETTERS: Final = tuple(GroupState.__dict__[name].__set__ for name in GROUP_FIELDS)
_NEW: Final = object.__new__


def thaw_group(group: GroupState) -> WorkingGroup:
    """A working twin of *group*, with its own dict of (still frozen) orders."""
    work = WorkingGroup(*_GROUP_VALUES(group))
    work.orders = dict(group.orders)
    return work


def freeze_order(order: WorkingOrder) -> Order:
    """The frozen :class:`Order` with *order*'s values."""
    frozen: Order = _NEW(Order)
    # One C loop over the setters (each returns None, so any() runs them all): a third
    # cheaper than a Python loop calling them, and a read builds one per changed order.
    any(map(call, _ORDER_SETTERS, repeat(frozen), _ORDER_VALUES(order)))
    return frozen


def freeze_group(group: WorkingGroup) -> GroupState:
    """The frozen :class:`GroupState` with *group*'s values; its working orders are frozen
    first, and its dict of orders becomes the frozen group's (so *group* is done with)."""
    orders = group.orders
    for order in group.fresh:
        if orders.get(order.member) is order:  # not replaced by a later join of the member
            orders[order.member] = freeze_order(order)
    group.fresh = []
    frozen: GroupState = _NEW(GroupState)
    any(map(call, _GROUP_SETTERS, repeat(frozen), _GROUP_VALUES(group)))
    return frozen


def scratch(order: OrderView, **changes: Any) -> WorkingOrder:
    """A loose working copy of *order* with *changes*: what the order would be, for deciding
    on it (it belongs to no working copy and is never frozen)."""
    work = WorkingOrder(*_ORDER_VALUES(order))
    for name, value in changes.items():
        setattr(work, name, value)
    return work
