"""Events: what happened, in the past tense. Events are facts and always apply.

Every event carries the ``at`` of the command that caused it (the moment the library noticed),
and events caused by time passing also name the instant that took effect (``due``). Money
moves only in :class:`PaymentReceived` (cash in), :class:`RefundDue` (cash owed back),
:class:`PaymentCaptured` and the authorisation events of ``capture_at_close`` tiered groups;
the ledger and the statement are computed from them.

Every event also carries ``stamped_at``: the ``at`` of the command that caused it when that
stamp was earlier than the campaign's clock, so the command was decided at the clock instead
(time never refuses money); ``None`` otherwise.
"""

from __future__ import annotations

import enum
from datetime import datetime

import attrs

from tuangou_core.money import Money
from tuangou_core.pricing import Quote
from tuangou_core.refunds import DiscountShare, RefundReason


class OrderStatus(enum.Enum):
    """Where a member's order stands. The two paid states must never be confused."""

    PENDING_PAYMENT = "pending_payment"  # joined, holding a slot, not paid
    AWAITING_GROUP = "awaiting_group"  # 已付款未成团: paid, the group has not formed
    AWAITING_SHIPMENT = "awaiting_shipment"  # 已成团未发货: formed, not shipped
    SHIPPED = "shipped"
    COMPLETED = "completed"
    CANCELLED = "cancelled"  # never paid (or its payment was returned at once)
    REFUNDED = "refunded"  # paid, and all of it went back

    __hash__ = object.__hash__  # identity, at C speed: see settlement.Side


class GroupStatus(enum.Enum):
    """Where a group stands."""

    OPEN = "open"
    FORMED = "formed"
    FAILED = "failed"

    __hash__ = object.__hash__  # identity, at C speed: see settlement.Side


# -- events ------------------------------------------------------------------------------------


@attrs.frozen
class GroupOpened:
    """A group was opened by *opener*, its first leader; it must form by *deadline*.

    A spill group (``overflow = "spill"``) names the full group it takes joiners from.
    """

    at: datetime
    group: str
    opener: str
    deadline: datetime
    spill_of: str | None = None  # the full group whose joiners this one takes
    stamped_at: datetime | None = None


@attrs.frozen
class MemberJoined:
    """*member* took a slot (the opener too), priced by *quote*, held until *hold_until*.

    *inviter* is the member whose share brought the join, when the join named one.
    """

    at: datetime
    group: str
    member: str
    qty: int
    role: str  # "opener" | "joiner"
    quote: Quote
    hold_until: datetime
    coupons: tuple[str, ...] = ()
    stamped_at: datetime | None = None
    inviter: str | None = None


@attrs.frozen
class StockReserved:
    """*units* of campaign stock were set aside for *member*'s order."""

    at: datetime
    group: str
    member: str
    units: int
    stamped_at: datetime | None = None


@attrs.frozen
class StockReleased:
    """*units* of campaign stock came back from *member*'s order."""

    at: datetime
    group: str
    member: str
    units: int
    stamped_at: datetime | None = None


@attrs.frozen
class PaymentReceived:
    """Cash arrived for *member*'s order. Whatever happens next, it is recorded."""

    at: datetime
    group: str
    member: str
    payment_id: str
    amount: Money
    tender: str
    stamped_at: datetime | None = None


@attrs.frozen
class PaymentAuthorised:
    """``capture_at_close``: *amount* was authorised (frozen on the card), not captured."""

    at: datetime
    group: str
    member: str
    payment_id: str
    amount: Money
    tender: str
    stamped_at: datetime | None = None


@attrs.frozen
class OrderPaid:
    """The payment *payment_id* (by *tender*) settled *member*'s order: it awaits its group."""

    at: datetime
    group: str
    member: str
    payment_id: str
    tender: str = "wechat"
    stamped_at: datetime | None = None


@attrs.frozen
class PaymentCaptured:
    """``capture_at_close``: *amount* of the authorisation was captured at the final price."""

    at: datetime
    group: str
    member: str
    payment_id: str
    amount: Money
    stamped_at: datetime | None = None


@attrs.frozen
class AuthorisationReleased:
    """``capture_at_close``: *amount* of an authorisation was released, never captured."""

    at: datetime
    group: str
    member: str
    payment_id: str
    amount: Money
    reason: RefundReason
    stamped_at: datetime | None = None


@attrs.frozen
class OrderCancelled:
    """An unpaid order ended: hold expired, left, or the group formed or failed first."""

    at: datetime
    group: str
    member: str
    reason: str  # "hold_expired" | "left" | "group_formed" | "group_failed"
    stamped_at: datetime | None = None


@attrs.frozen
class RefundDue:
    """*amount* is owed back to *member* along *tender* / *payment_id* (原路退回).

    Planned by the one refund planner (:mod:`tuangou_core.refunds`): *units* the goods given
    back, *discounts* each discount's share reversed (by the standing rule the split uses),
    *points_returned* redeemed points given back as points, and the coupons restored or
    forfeited by policy. *refund_id* is the caller's (an after-sales ``refund_id``) or the
    library's ``<group>:<member>:r<n>`` (``unmatched:<payment_id>`` for money naming no order),
    so retrying the same refund is the same refund, never a second one.
    """

    at: datetime
    group: str
    member: str
    refund_id: str
    payment_id: str
    amount: Money
    reason: RefundReason
    note: str = ""  # the words the refund was asked with (e.g. "damaged_in_transit")
    tender: str = "wechat"
    units: int = 0
    discounts: tuple[DiscountShare, ...] = ()
    points_returned: int = 0
    coupons_restored: tuple[str, ...] = ()
    coupons_forfeited: tuple[str, ...] = ()
    stamped_at: datetime | None = None


@attrs.frozen
class GroupFormed:
    """The group formed (成团) with *size* members, *virtual* of them fillers, at *unit_price*."""

    at: datetime
    group: str
    size: int
    virtual: int
    unit_price: Money
    due: datetime | None = None  # set when the deadline formed it (tiered, virtual)
    draw_by: datetime | None = None  # lottery: an undrawn group fails at this instant
    stamped_at: datetime | None = None


@attrs.frozen
class OrderRepriced:
    """The group closed at a cheaper tier: *member*'s order is now priced by *quote*."""

    at: datetime
    group: str
    member: str
    quote: Quote
    stamped_at: datetime | None = None


@attrs.frozen
class GroupFailed:
    """The group failed at *due*; every paid member is refunded in full.

    *reason*: its deadline passed below the minimum (``deadline``), its opener's order ended
    before it was paid (``opener_unpaid``), its last paid member left (``no_paid_member``),
    or a formed lottery group was not drawn within ``draw_within`` (``draw_overdue``).
    """

    at: datetime
    group: str
    paid_members: int
    due: datetime
    reason: str = "deadline"  # "deadline" | "opener_unpaid" | "no_paid_member" | "draw_overdue"
    stamped_at: datetime | None = None


@attrs.frozen
class WinnersDrawn:
    """A lottery group's winners, drawn by ``sha256(seed|group|member)`` order."""

    at: datetime
    group: str
    seed: str
    winners: tuple[str, ...]
    losers: tuple[str, ...]
    consolation_coupon: str | None = None
    stamped_at: datetime | None = None


@attrs.frozen
class OrderShipped:
    """*member*'s order was shipped."""

    at: datetime
    group: str
    member: str
    stamped_at: datetime | None = None


@attrs.frozen
class OrderCompleted:
    """*member* received the order."""

    at: datetime
    group: str
    member: str
    stamped_at: datetime | None = None


@attrs.frozen
class OrderReopened:
    """A member whose order here was cancelled joined again: the order holds a slot again,
    priced by *quote*, until *hold_until*; what it paid and got back stays on it."""

    at: datetime
    group: str
    member: str
    qty: int
    quote: Quote
    hold_until: datetime
    coupons: tuple[str, ...] = ()
    stamped_at: datetime | None = None


@attrs.frozen
class PaymentUnmatched:
    """Money arrived naming a group or member with no order there. It is recorded here and
    sent straight back (a :class:`RefundDue`, or an :class:`AuthorisationReleased` for an
    authorisation), never refused and never dropped."""

    at: datetime
    group: str
    member: str
    payment_id: str
    amount: Money
    tender: str
    authorised: bool = False  # capture_at_close: an authorisation, not cash
    stamped_at: datetime | None = None


@attrs.frozen
class LeaderChanged:
    """The group's leader left before it formed: leadership passed from *previous* to
    *leader*, the earliest-joined paid member still in it."""

    at: datetime
    group: str
    previous: str
    leader: str
    stamped_at: datetime | None = None


Event = (
    GroupOpened
    | MemberJoined
    | StockReserved
    | StockReleased
    | PaymentReceived
    | PaymentAuthorised
    | OrderPaid
    | PaymentCaptured
    | AuthorisationReleased
    | OrderCancelled
    | RefundDue
    | GroupFormed
    | OrderRepriced
    | GroupFailed
    | WinnersDrawn
    | OrderShipped
    | OrderCompleted
    | OrderReopened
    | PaymentUnmatched
    | LeaderChanged
)
