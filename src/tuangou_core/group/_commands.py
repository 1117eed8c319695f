"""Commands: what someone asks of a campaign's groups. A command may be refused.

Every command carries its ``at``; a draw carries its ``seed``. Nothing here reads a clock.
"""

from __future__ import annotations

from datetime import datetime

import attrs

from tuangou_core.money import Money


@attrs.frozen
class Open:
    """Open group *group*; *member* is its opener (团长) and first member."""

    at: datetime
    group: str
    member: str
    qty: int = 1
    coupons: tuple[str, ...] = ()


@attrs.frozen
class Join:
    """Take a slot in *group*, holding it until paid or the payment timeout.

    *inviter* (optional) is the member whose share brought this join (邀请), a fact the
    fission metrics count; it changes nothing about the order.
    """

    at: datetime
    group: str
    member: str
    qty: int = 1
    coupons: tuple[str, ...] = ()
    inviter: str | None = None


@attrs.frozen
class Pay:
    """A payment notification for *member*'s order in *group*; may be duplicated or late."""

    at: datetime
    group: str
    member: str
    payment_id: str
    amount: Money
    tender: str = "wechat"


@attrs.frozen
class Cancel:
    """The member leaves: unpaid, the slot is released; paid and not formed, refunded."""

    at: datetime
    group: str
    member: str


@attrs.frozen
class Tick:
    """Time passes to *at*: payment timeouts and deadlines up to *at* take effect."""

    at: datetime


@attrs.frozen
class Draw:
    """Draw the winners of a formed lottery group with *seed*."""

    at: datetime
    group: str
    seed: str


@attrs.frozen
class Ship:
    """The member's order is shipped."""

    at: datetime
    group: str
    member: str


@attrs.frozen
class Complete:
    """The member received the order (确认收货)."""

    at: datetime
    group: str
    member: str


@attrs.frozen
class RequestRefund:
    """An after-sales refund on a formed order: *amount* back (小额理赔), or the goods of
    *units* units returned. Exactly one of the two.

    *refund_id* is the caller's idempotency key: the same id asking the same again changes
    nothing; asking something else is refused (``refund_conflict``). Without it, every request
    is a new refund. *reason* is the caller's words, kept on the refund as its note.
    """

    at: datetime
    group: str
    member: str
    amount: Money | None = None
    units: int | None = None
    refund_id: str | None = None
    reason: str = "after_sales"


Command = Open | Join | Pay | Cancel | Tick | Draw | Ship | Complete | RequestRefund
