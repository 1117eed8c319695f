"""The Fold's working records: mutable, slotted twins of ``Order`` and ``GroupState``.

A frozen attrs record costs a slot setter call per field to build, and a copy to change; a
plain slotted object is built by one ``__init__`` and changed by an ordinary attribute store.
So the working copy inside a ``Fold`` keeps mutable twins with the same fields and values
(amounts stay ``Money``: immutable values, so sharing them costs nothing) and edits them in
place, event after event. A twin has exactly its frozen record's slots, so reading the state
freezes it by changing its class (:func:`freeze`): the object becomes the frozen record, at
no cost per field, and the working copy never writes to it again (it copies a frozen record
before changing it). The twins read like the frozen records (``due``, ``net``, ``holding``,
``paid_order()``), so the decider reads either one (:mod:`tuangou_core.group._view`).

Private: the public values are :class:`~tuangou_core.group.Order` and
:class:`~tuangou_core.group.GroupState`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from operator import attrgetter
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

    __slots__ = ORDER_FIELDS  # exactly Order's: see freeze()

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
    thawed and working ones (which the working copy lists, to freeze when the state is read).
    """

    __slots__ = GROUP_FIELDS  # exactly GroupState's: see freeze()

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

    @property
    def holding(self) -> int:
        """As :attr:`GroupState.holding`."""
        return self.pending + self.paid

    def __repr__(self) -> str:
        return f"<WorkingGroup {self.id} {self.status.value}>"


# Every field's value in one C call; it reads a frozen record and its twin alike.
_ORDER_VALUES: Final[Callable[[Any], tuple[Any, ...]]] = attrgetter(*ORDER_FIELDS)
_GROUP_VALUES: Final[Callable[[Any], tuple[Any, ...]]] = attrgetter(*GROUP_FIELDS)


def thaw_order(order: Order) -> WorkingOrder:
    """A working twin of *order*."""
    return WorkingOrder(*_ORDER_VALUES(order))


def thaw_group(group: GroupState) -> WorkingGroup:
    """A working twin of *group*, with its own dict of (still frozen) orders."""
    work = WorkingGroup(*_GROUP_VALUES(group))
    work.orders = dict(group.orders)
    return work


def freeze(records: list[WorkingGroup | WorkingOrder]) -> None:
    """Make every record of *records* its frozen self, in place.

    A twin and its frozen class have the same slots and no others (a test keeps them so),
    which is exactly when CPython lets an object change its class: the values stay where they
    are, and the object refuses writes from then on. The caller must not write to a record
    after freezing it; a frozen record is thawed (copied) before it changes.
    """
    for record in records:
        record.__class__ = _FROZEN[type(record)]


_FROZEN: Final[dict[type, type]] = {WorkingOrder: Order, WorkingGroup: GroupState}


def scratch(order: OrderView, **changes: Any) -> WorkingOrder:
    """A loose working copy of *order* with *changes*: what the order would be, for deciding
    on it (it belongs to no working copy and is never frozen)."""
    work = WorkingOrder(*_ORDER_VALUES(order))
    for name, value in changes.items():
        setattr(work, name, value)
    return work
