"""The values of a campaign's groups: every order, every group, and the campaign state.

Private: import these names from :mod:`tuangou_core.group`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Final

import attrs

from tuangou_core._records import Record, Records, amount_columns, amount_names, instant
from tuangou_core._text import html_table
from tuangou_core._validators import instance
from tuangou_core.campaign import Campaign
from tuangou_core.group._events import GroupStatus, OrderStatus
from tuangou_core.group._view import OrderView, unknown_group
from tuangou_core.money import Money
from tuangou_core.pricing import Quote
from tuangou_core.refunds import PaidLine, PaidOrder, TenderPaid, lines_of

PAID = frozenset(
    {
        OrderStatus.AWAITING_GROUP,
        OrderStatus.AWAITING_SHIPMENT,
        OrderStatus.SHIPPED,
        OrderStatus.COMPLETED,
    }
)
ENDED = frozenset({OrderStatus.CANCELLED, OrderStatus.REFUNDED})
FORMED = frozenset({OrderStatus.AWAITING_SHIPMENT, OrderStatus.SHIPPED, OrderStatus.COMPLETED})

ORDER_COLUMNS: Final = (
    "group",
    "member",
    "role",
    "qty",
    "status",
    "currency",
    *amount_names("due", "paid", "refunded", "net", "authorised"),
    "payment_id",
    "tender",
    "joined_at",
)
"""The columns of an order record (:meth:`Order.to_record`)."""


# No weak-reference slot on Order and GroupState: a Fold's working twin has exactly their slots,
# so freezing it is a change of its class, not a copy (group/_working.py).
@attrs.frozen(weakref_slot=False)
class Order:
    """One member's order in one group.

    ``paid`` is all cash received for the order (including payments returned at once),
    ``refunded`` all cash owed back, so ``net = paid - refunded`` is what the order keeps.
    With ``capture_at_close`` the money is first only ``authorised``. The payment that settled
    the order is ``payment_id`` (by ``tender``): ``settled`` is the cash it brought and
    ``returned`` the cash refunded along it; unit returns are counted apart
    (``units_returned``, ``unit_refunded``) for the contract's cumulative unit rule.
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
    settled: Money
    returned: Money
    unit_refunded: Money
    payment_id: str | None = None
    tender: str = "wechat"
    refund_count: int = 0
    units_returned: int = 0
    coupons: tuple[str, ...] = ()
    coupons_settled: bool = False  # restored or forfeited by a refund: no longer spent here

    def paid_order(self) -> PaidOrder:
        """The order as the refund planner sees it: its line at the current price, the
        settling payment as its tender, and every refund along it so far."""
        return paid_order_of(self)

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
        return self.status in PAID

    def __repr__(self) -> str:
        return (
            f"<Order {self.group}/{self.member} {self.status.value}: due {self.due}, "
            f"paid {self.paid}, refunded {self.refunded}>"
        )

    def to_record(self) -> Record:
        """The order as one flat record (:data:`ORDER_COLUMNS`), for a DataFrame: amounts as
        ``*_minor`` ints and exact Decimals, ``joined_at`` a UTC datetime."""
        return {
            "group": self.group,
            "member": self.member,
            "role": self.role,
            "qty": self.qty,
            "status": self.status.value,
            "currency": self.paid.currency,
            **amount_columns("due", self.due),
            **amount_columns("paid", self.paid),
            **amount_columns("refunded", self.refunded),
            **amount_columns("net", self.net),
            **amount_columns("authorised", self.authorised),
            "payment_id": self.payment_id,
            "tender": self.tender,
            "joined_at": instant(self.joined_at),
        }


@attrs.frozen(weakref_slot=False)
class GroupState:
    """One group: its opener and current leader, deadline, status and every member's order.

    ``orders`` is never mutated once the state is built; read it, do not write it.
    """

    id: str
    opener: str
    leader: str
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
    formed_size: int = 0
    spill_of: str | None = None

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

    def to_records(self) -> Records:
        """One flat record per order (:data:`ORDER_COLUMNS`), in the order members joined."""
        ordered = sorted(self.orders.values(), key=lambda o: o.seq)
        return Records(ORDER_COLUMNS, (o.to_record() for o in ordered))

    def _repr_html_(self) -> str:
        rows = [
            (o.member, o.status.value, o.due, o.paid, o.refunded)
            for o in sorted(self.orders.values(), key=lambda o: o.seq)
        ]
        caption = f"group {self.id}: {self.status.value}, unit price {self.unit_price}"
        return html_table(("member", "status", "due", "paid", "refunded"), rows, caption)


@attrs.frozen
class Unmatched:
    """A payment that named no order: what arrived and what went back (all of it, at once)."""

    group: str
    member: str
    payment_id: str
    amount: Money
    tender: str
    authorised: bool
    returned: Money


@attrs.frozen
class CampaignState:
    """Every group of a campaign, the payments and refund ids seen, and the stock taken.

    ``holds``, ``deadlines`` and ``draws`` are binary heaps of what time will end: unpaid
    holds, open groups' deadlines and formed lottery groups' draw deadlines. ``unmatched``
    holds payments that named no order; ``refund_ids`` each after-sales refund id with what it
    asked (group, member, units, amount).

    Build the first one with :func:`initial_state`; then only :func:`evolve` makes new ones.
    """

    campaign: Campaign
    groups: Mapping[str, GroupState]
    payments: Mapping[str, tuple[str, str, Money]]
    units: Mapping[str, int]
    stock_taken: int
    clock: datetime | None
    order_seq: int
    # Heaps: a tuple or a list by history (a working copy turns a tuple into a list when it
    # first writes), so they compare by their entries, never by their container.
    holds: Sequence[tuple[datetime, int, str, str]] = attrs.field(eq=tuple)
    deadlines: Sequence[tuple[datetime, int, str]] = attrs.field(eq=tuple)
    draws: Sequence[tuple[datetime, int, str]] = attrs.field(default=(), eq=tuple)
    unmatched: Mapping[str, Unmatched] = attrs.field(factory=dict)
    refund_ids: Mapping[str, tuple[str, str, int, Money]] = attrs.field(factory=dict)

    def group(self, group_id: str) -> GroupState:
        """The group *group_id*.

        Raises:
            Rejected: ``unknown_group``.
        """
        group = self.groups.get(group_id)
        if group is None:
            raise unknown_group(group_id)
        return group

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

    def to_records(self) -> Records:
        """One flat record per order across every group (:data:`ORDER_COLUMNS`), in join
        order; ``.to_frame()`` makes the pandas frame."""
        return Records(ORDER_COLUMNS, (o.to_record() for o in self.orders()))

    def _repr_html_(self) -> str:
        rows = [
            (o.group, o.member, o.status.value, o.due, o.paid, o.refunded) for o in self.orders()
        ]
        return html_table(
            ("group", "member", "status", "due", "paid", "refunded"), rows, repr(self)
        )


def paid_order_of(order: OrderView) -> PaidOrder:
    """*order* as the refund planner sees it (:meth:`Order.paid_order`), for an order or its
    working twin alike."""
    quote = order.quote
    known = _QUOTED_LINES.get(id(quote))
    if known is None:
        # Members who joined on the same terms share one quote: its paid line is made once.
        (line,) = lines_of(quote)
        if len(_QUOTED_LINES) >= _MAX_QUOTED_LINES:
            _QUOTED_LINES.clear()
        known = _QUOTED_LINES[id(quote)] = (quote, line)
    line = attrs.evolve(
        known[1],
        paid=order.settled,
        due=order.quote.total,
        refunded=order.returned,
        units_returned=order.units_returned,
        unit_refunded=order.unit_refunded,
    )
    tender = TenderPaid(order.tender, order.payment_id or "", order.settled, order.returned)
    return PaidOrder(
        f"{order.group}:{order.member}",
        (line,),
        (tender,),
        coupons=() if order.coupons_settled else order.coupons,
        refunds=order.refund_count,
    )


# Keyed by the quote's identity, the quote kept beside its line: no other object can take the
# id while its quote is held here, and hashing a whole quote costs more than the line it finds.
_QUOTED_LINES: dict[int, tuple[Quote, PaidLine]] = {}
_MAX_QUOTED_LINES: Final = 4096

_CAMPAIGN: Final = instance(Campaign, "campaign", code="invalid_input")


def initial_state(campaign: Campaign) -> CampaignState:
    """The state of a campaign before anything happened.

    Raises:
        InvalidInput: ``invalid_input`` for a *campaign* that is not a :class:`Campaign`.
    """
    _CAMPAIGN(campaign)
    return CampaignState(campaign, {}, {}, {}, 0, None, 0, (), ())
