"""Events: what happened, in the past tense. Events are facts and always apply.

Every event carries the ``at`` of the command that caused it (the moment the library noticed),
and events caused by time passing also name the instant that took effect (``due``). Money
moves only in :class:`PaymentReceived` (cash in), :class:`RefundDue` (cash owed back),
:class:`PaymentCaptured` and the authorisation events of ``capture_at_close`` tiered groups;
the ledger and the statement are computed from them.
"""

from __future__ import annotations

import enum
from datetime import datetime

import attrs

from tuangou_core.money import Money
from tuangou_core.pricing import Quote
from tuangou_core.refunds import RefundReason


class OrderStatus(enum.Enum):
    """Where a member's order stands. The two paid states must never be confused."""

    PENDING_PAYMENT = "pending_payment"  # joined, holding a slot, not paid
    AWAITING_GROUP = "awaiting_group"  # 已付款未成团: paid, the group has not formed
    AWAITING_SHIPMENT = "awaiting_shipment"  # 已成团未发货: formed, not shipped
    SHIPPED = "shipped"
    COMPLETED = "completed"
    CANCELLED = "cancelled"  # never paid (or its payment was returned at once)
    REFUNDED = "refunded"  # paid, and all of it went back


class GroupStatus(enum.Enum):
    """Where a group stands."""

    OPEN = "open"
    FORMED = "formed"
    FAILED = "failed"


# -- events ------------------------------------------------------------------------------------


@attrs.frozen
class GroupOpened:
    """A group was opened by *opener*; it must form by *deadline*."""

    at: datetime
    group: str
    opener: str
    deadline: datetime


@attrs.frozen
class MemberJoined:
    """*member* took a slot (the opener too), priced by *quote*, held until *hold_until*."""

    at: datetime
    group: str
    member: str
    qty: int
    role: str  # "opener" | "joiner"
    quote: Quote
    hold_until: datetime
    coupons: tuple[str, ...] = ()


@attrs.frozen
class StockReserved:
    """*units* of campaign stock were set aside for *member*'s order."""

    at: datetime
    group: str
    member: str
    units: int


@attrs.frozen
class StockReleased:
    """*units* of campaign stock came back from *member*'s order."""

    at: datetime
    group: str
    member: str
    units: int


@attrs.frozen
class PaymentReceived:
    """Cash arrived for *member*'s order. Whatever happens next, it is recorded."""

    at: datetime
    group: str
    member: str
    payment_id: str
    amount: Money
    tender: str


@attrs.frozen
class PaymentAuthorised:
    """``capture_at_close``: *amount* was authorised (frozen on the card), not captured."""

    at: datetime
    group: str
    member: str
    payment_id: str
    amount: Money
    tender: str


@attrs.frozen
class OrderPaid:
    """The payment *payment_id* settled *member*'s order: it now awaits its group."""

    at: datetime
    group: str
    member: str
    payment_id: str


@attrs.frozen
class PaymentCaptured:
    """``capture_at_close``: *amount* of the authorisation was captured at the final price."""

    at: datetime
    group: str
    member: str
    payment_id: str
    amount: Money


@attrs.frozen
class AuthorisationReleased:
    """``capture_at_close``: *amount* of an authorisation was released, never captured."""

    at: datetime
    group: str
    member: str
    payment_id: str
    amount: Money
    reason: RefundReason


@attrs.frozen
class OrderCancelled:
    """An unpaid order ended: hold expired, left, or the group formed or failed first."""

    at: datetime
    group: str
    member: str
    reason: str  # "hold_expired" | "left" | "group_formed" | "group_failed"


@attrs.frozen
class RefundDue:
    """*amount* is owed back to *member* along the payment path of *payment_id* (原路退回).

    *refund_id* is derived from the order and a sequence number, so retrying the same
    refund is the same refund, never a second one.
    """

    at: datetime
    group: str
    member: str
    refund_id: str
    payment_id: str
    amount: Money
    reason: RefundReason
    note: str = ""  # the words the refund was asked with (e.g. "damaged_in_transit")


@attrs.frozen
class GroupFormed:
    """The group formed (成团) with *size* members, *virtual* of them fillers, at *unit_price*."""

    at: datetime
    group: str
    size: int
    virtual: int
    unit_price: Money
    due: datetime | None = None  # set when the deadline formed it (tiered, virtual)


@attrs.frozen
class OrderRepriced:
    """The group closed at a cheaper tier: *member*'s order is now priced by *quote*."""

    at: datetime
    group: str
    member: str
    quote: Quote


@attrs.frozen
class GroupFailed:
    """The group did not form by its *due* deadline; paid members are refunded in full."""

    at: datetime
    group: str
    paid_members: int
    due: datetime


@attrs.frozen
class WinnersDrawn:
    """A lottery group's winners, drawn by ``sha256(seed|group|member)`` order."""

    at: datetime
    group: str
    seed: str
    winners: tuple[str, ...]
    losers: tuple[str, ...]
    consolation_coupon: str | None = None


@attrs.frozen
class OrderShipped:
    """*member*'s order was shipped."""

    at: datetime
    group: str
    member: str


@attrs.frozen
class OrderCompleted:
    """*member* received the order."""

    at: datetime
    group: str
    member: str


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
)
