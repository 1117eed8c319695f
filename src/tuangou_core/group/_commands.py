"""Commands: what someone asks of a campaign's groups. A command may be refused.

Every command carries its ``at``; a draw carries its ``seed``. Nothing here reads a clock.

A command is checked when it is built, so that a backend sees a malformed request as a coded
:class:`~tuangou_core.errors.InvalidInput` naming the field, at once and before any state is
read: ids are text of 1 to 128 characters (the one id rule, ``check_id``), ``at`` an aware
datetime in range, ``qty`` a quantity (``check_quantity``), amounts :class:`Money`, coupons a
list of ids read into a tuple.
Commands are what callers build; the decider builds events, which are never checked (they are
facts the decider made from checked commands), so replaying a log pays nothing for this.
"""

from __future__ import annotations

from datetime import datetime
from typing import Final

import attrs

from tuangou_core._validators import fail, instance, items, text, whole
from tuangou_core.campaign import MAX_QUANTITY, check_id, check_quantity
from tuangou_core.errors import InvalidInput
from tuangou_core.money import Money
from tuangou_core.timing import require_aware

MAX_COUPONS: Final = 100
"""The most coupons one command presents (the same bound as a quote's context)."""

MAX_NOTE_LENGTH: Final = 1000
"""The longest free text a command carries: a draw's seed, a refund's reason."""


_GROUP: Final = text("group", code="invalid_group")
_MEMBER: Final = text("member", code="invalid_member")
_INVITER: Final = text("inviter", code="invalid_inviter")
_PAYMENT_ID: Final = text("payment_id", code="invalid_payment_id")
_TENDER: Final = text("tender", code="invalid_tender")
_REFUND_ID: Final = text("refund_id", code="invalid_refund_id")
_SEED: Final = text("seed", code="invalid_seed", max_length=MAX_NOTE_LENGTH, empty=True)
_REASON: Final = text("reason", code="invalid_request", max_length=MAX_NOTE_LENGTH)
_UNITS: Final = whole("units", 0, MAX_QUANTITY, code="invalid_quantity")
_AMOUNT: Final = instance(Money, "amount", code="invalid_amount")
# A JSON list arrives as a list: any iterable of ids is read into a tuple, so that the command
# stays hashable and nothing downstream meets a list.
_COUPONS: Final = items(
    "coupons",
    lambda ident: check_id(ident, "coupons", "invalid_coupons"),
    code="invalid_coupons",
    max_items=MAX_COUPONS,
)


def _at(value: object) -> datetime:
    return require_aware(value, "at")


def _group(value: object) -> str:
    return _GROUP(value)


def _member(value: object) -> str:
    return _MEMBER(value)


def _inviter(value: object) -> str | None:
    return None if value is None else _INVITER(value)


def _payment_id(value: object) -> str:
    return _PAYMENT_ID(value)


def _tender(value: object) -> str:
    return _TENDER(value)


def _refund_id(value: object) -> str | None:
    return None if value is None else _REFUND_ID(value)


def _seed(value: object) -> str:
    # A seed is hashed, not shown: any text a merchant committed to (spaces and tabs too), but
    # not empty, and only characters UTF-8 can encode (the draw hashes its UTF-8 bytes).
    if type(value) is str and value and len(value) <= MAX_NOTE_LENGTH:
        try:
            value.encode()
        except UnicodeEncodeError:
            raise fail(InvalidInput, "invalid_seed", "seed", "must be UTF-8 text", value) from None
        return value
    seed: str = _SEED(value)
    raise fail(InvalidInput, "invalid_seed", "seed", "must not be empty", seed)


def _reason(value: object) -> str:
    return _REASON(value)


def _units(value: object) -> int | None:
    return None if value is None else _UNITS(value)


def _coupons(value: object) -> tuple[str, ...]:
    if value == () and type(value) is tuple:  # most commands present no coupon
        return ()
    return _COUPONS(value)


def _qty(value: object) -> int:
    return check_quantity(value, "qty")


def _checked_amount(value: object, minimum: int, what: str) -> Money:
    amount: Money = _AMOUNT(value)
    if amount.minor < minimum:
        raise fail(
            InvalidInput, "invalid_amount", "amount", f"must be {what}, got {amount}", str(amount)
        )
    return amount


def _payment(value: object) -> Money:
    return _checked_amount(value, 1, "positive")


def _refund_amount(value: object) -> Money | None:
    return None if value is None else _checked_amount(value, 0, "at least zero")


@attrs.frozen
class Open:
    """Open group *group*; *member* is its opener (团长) and first member."""

    at: datetime = attrs.field(converter=_at)
    group: str = attrs.field(converter=_group)
    member: str = attrs.field(converter=_member)
    qty: int = attrs.field(default=1, converter=_qty)
    coupons: tuple[str, ...] = attrs.field(default=(), converter=_coupons)


def _no_self_invite(command: Join, attribute: attrs.Attribute[str | None], value: object) -> None:
    if value is not None and value == command.member:
        raise InvalidInput(
            "invalid_inviter",
            f"inviter must be another member than the joiner {command.member!r}",
            field="inviter",
            value=value,
        )


@attrs.frozen
class Join:
    """Take a slot in *group*, holding it until paid or the payment timeout.

    *inviter* (optional) is the member whose share brought this join (邀请), a fact the
    fission metrics count; it changes nothing about the order.
    """

    at: datetime = attrs.field(converter=_at)
    group: str = attrs.field(converter=_group)
    member: str = attrs.field(converter=_member)
    qty: int = attrs.field(default=1, converter=_qty)
    coupons: tuple[str, ...] = attrs.field(default=(), converter=_coupons)
    inviter: str | None = attrs.field(default=None, converter=_inviter, validator=_no_self_invite)


@attrs.frozen
class Pay:
    """A payment notification for *member*'s order in *group*; may be duplicated or late.

    *amount* is positive; whether it is in the campaign's currency and what it settles is the
    decider's to say.
    """

    at: datetime = attrs.field(converter=_at)
    group: str = attrs.field(converter=_group)
    member: str = attrs.field(converter=_member)
    payment_id: str = attrs.field(converter=_payment_id)
    amount: Money = attrs.field(converter=_payment)
    tender: str = attrs.field(default="wechat", converter=_tender)


@attrs.frozen
class Cancel:
    """The member leaves: unpaid, the slot is released; paid and not formed, refunded."""

    at: datetime = attrs.field(converter=_at)
    group: str = attrs.field(converter=_group)
    member: str = attrs.field(converter=_member)


@attrs.frozen
class Tick:
    """Time passes to *at*: payment timeouts and deadlines up to *at* take effect."""

    at: datetime = attrs.field(converter=_at)


@attrs.frozen
class Draw:
    """Draw the winners of a formed lottery group with *seed*."""

    at: datetime = attrs.field(converter=_at)
    group: str = attrs.field(converter=_group)
    seed: str = attrs.field(converter=_seed)


@attrs.frozen
class Ship:
    """The member's order is shipped."""

    at: datetime = attrs.field(converter=_at)
    group: str = attrs.field(converter=_group)
    member: str = attrs.field(converter=_member)


@attrs.frozen
class Complete:
    """The member received the order (确认收货)."""

    at: datetime = attrs.field(converter=_at)
    group: str = attrs.field(converter=_group)
    member: str = attrs.field(converter=_member)


@attrs.frozen
class RequestRefund:
    """An after-sales refund on a formed order: *amount* back (小额理赔), or the goods of
    *units* units returned. Exactly one of the two.

    *refund_id* is the caller's idempotency key: the same id asking the same again changes
    nothing; asking something else is refused (``refund_conflict``). Without it, every request
    is a new refund. *reason* is the caller's words, kept on the refund as its note.

    A zero amount or zero units is well formed and refused by the decider
    (``refund_exceeds_paid``: a refund of nothing), as a scenario's is.
    """

    at: datetime = attrs.field(converter=_at)
    group: str = attrs.field(converter=_group)
    member: str = attrs.field(converter=_member)
    amount: Money | None = attrs.field(default=None, converter=_refund_amount)
    units: int | None = attrs.field(default=None, converter=_units)
    refund_id: str | None = attrs.field(default=None, converter=_refund_id)
    reason: str = attrs.field(default="after_sales", converter=_reason)

    def __attrs_post_init__(self) -> None:
        if (self.amount is None) == (self.units is None):
            raise InvalidInput(
                "invalid_request",
                "amount or units: a refund names exactly one of the two",
                field="amount",
                value=None,
            )


Command = Open | Join | Pay | Cancel | Tick | Draw | Ship | Complete | RequestRefund

COMMAND_TYPES: Final = frozenset(
    {Open, Join, Pay, Cancel, Tick, Draw, Ship, Complete, RequestRefund}
)
"""Every command type, for the entry points that refuse anything else (``unknown_command``)."""
