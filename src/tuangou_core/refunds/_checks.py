"""The boundary checks of the refund values: attrs converters that raise coded errors.

A paid order arrives from a backend's own records (or from :meth:`PaidOrder.from_quote`), so
every field is checked where it is built: amounts are :class:`Money` and never negative, what
went back never exceeds what was paid, counts are whole numbers, ids are text. The planner's
own rebuilds of an order (:func:`rebuilt`) skip the checks: they are made from checked values
by arithmetic that keeps every bound.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Final, TypeVar

import attrs

from tuangou_core._validators import fail, flag, instance, items, member, text
from tuangou_core.campaign import Funder, check_quantity
from tuangou_core.errors import InvalidInput
from tuangou_core.money import MAX_MINOR, Money, Rounding
from tuangou_core.refunds._reasons import RefundReason

V = TypeVar("V")

MAX_LINES: Final = 1000
"""The most lines of a paid order (as many as a quote may hold)."""

MAX_TENDERS: Final = 100
"""The most tenders one order was paid with."""

_REASON: Final = member(RefundReason, "reason", code="invalid_request")
_ROUNDING: Final = member(Rounding, "rounding", code="invalid_policy")
_FUNDER: Final = member(Funder, "funder", code="invalid_funder")
_POINTS: Final = flag("points", code="invalid_order")
_SHARE_NAME: Final = text("name", code="invalid_order", max_length=1000)
_SKU: Final = text("sku", code="invalid_order")
_ORDER_ID: Final = text("order_id", code="invalid_order")
_KIND: Final = text("kind", code="invalid_tender")
_PAYMENT_ID: Final = text("payment_id", code="invalid_payment_id", empty=True)
_REFUND_ID: Final = text("refund_id", code="invalid_refund_id")
_SKU_NAMED: Final = text("sku", code="unknown_line")
_COUPONS: Final = items(
    "coupons",
    text("coupons", code="invalid_coupons"),
    code="invalid_coupons",
    max_items=100,
)
_TENDER_KINDS: Final = items(
    "tender_order", text("tender_order", code="invalid_policy"), code="invalid_policy"
)
_RESTORING: Final = items(
    "restore_coupons_on",
    member(RefundReason, "restore_coupons_on", code="invalid_policy"),
    code="invalid_policy",
)


def money_at_least_zero(value: object, field: str) -> Money:
    """*value* as an amount that is not negative.

    Raises:
        InvalidInput: ``invalid_amount`` naming *field*.
    """
    if not isinstance(value, Money):
        raise fail(
            InvalidInput,
            "invalid_amount",
            field,
            f"must be Money, got {type(value).__name__}",
            value,
        )
    if value.minor < 0:
        raise fail(
            InvalidInput, "invalid_amount", field, f"must not be negative, got {value}", str(value)
        )
    return value


def count(value: object, field: str) -> int:
    """*value* as a count from 0 (points, refunds applied, units returned).

    Raises:
        InvalidInput: ``invalid_order`` naming *field*.
    """
    if type(value) is int and 0 <= value <= MAX_MINOR:
        return value
    raise fail(
        InvalidInput,
        "invalid_order",
        field,
        f"must be a whole number from 0 to {MAX_MINOR}, got {_shown(value)}",
        value,
    )


def _shown(value: object) -> str:
    if type(value) is int:
        return str(value) if value.bit_length() <= 64 else f"<int of {value.bit_length()} bits>"
    return type(value).__name__


def same_currency(field: str, amounts: list[Money], currency: str) -> None:
    """Refuse amounts of *field* in another currency than *currency*."""
    for amount in amounts:
        if amount.currency != currency:
            raise InvalidInput(
                "currency_mismatch",
                f"{field} is in {amount.currency}, the order in {currency}",
                field=field,
                value=amount.currency,
            )


def not_above(field: str, part: Money, whole_: Money, what: str) -> None:
    """Refuse *part* (of *field*) above *whole_*: nothing goes back beyond what came in."""
    if part.minor > whole_.minor:
        raise InvalidInput(
            "invalid_order",
            f"{field} {part} exceeds the {whole_} {what}",
            field=field,
            value=str(part),
        )


def reason(value: object) -> RefundReason:
    """*value* (a :class:`RefundReason` or its text) as a reason (``invalid_request``)."""
    found: RefundReason = _REASON(value)
    return found


def rounding(value: object) -> Rounding:
    """*value* (a :class:`Rounding` or its text) as a rounding mode (``invalid_policy``)."""
    found: Rounding = _ROUNDING(value)
    return found


def funder(value: object) -> Funder:
    """*value* (a :class:`Funder` or its text) as a funder (``invalid_funder``)."""
    found: Funder = _FUNDER(value)
    return found


def points_flag(value: object) -> bool:
    """``True`` or ``False`` for a share's points mark (``invalid_order``)."""
    return _POINTS(value)


def share_name(value: object) -> str:
    """The name of a discount share: text of 1 to 1 000 characters (``invalid_order``)."""
    return _SHARE_NAME(value)


def sku(value: object) -> str:
    """A paid line's sku: an id (``invalid_order``)."""
    return _SKU(value)


def quantity(value: object) -> int:
    """A paid line's units: a quantity (``invalid_quantity``)."""
    return check_quantity(value)  # named qty, check_quantity's default field


def order_id(value: object) -> str:
    """A paid order's id: an id (``invalid_order``)."""
    return _ORDER_ID(value)


def tender_kind(value: object) -> str:
    """A tender's kind (``"wechat"``, ``"balance"``): an id (``invalid_tender``)."""
    return _KIND(value)


def payment_id(value: object) -> str:
    """A tender's payment id: text of at most 128 characters; empty only for a tender that
    carried nothing (an order not yet paid), which :class:`TenderPaid` checks."""
    return _PAYMENT_ID(value)


def refund_id(value: object) -> str | None:
    """The id a caller gives a refund, or ``None`` (``invalid_refund_id``)."""
    return None if value is None else _REFUND_ID(value)


def line_sku(value: object) -> str | None:
    """The sku an amount refund names, or ``None`` (``unknown_line``)."""
    return None if value is None else _SKU_NAMED(value)


def coupons(value: object) -> tuple[str, ...]:
    """Coupon ids spent on an order, as a tuple (``invalid_coupons``)."""
    return _COUPONS(value)


def tender_order(value: object) -> tuple[str, ...]:
    """The tender kinds refunded first, as a tuple (``invalid_policy``)."""
    return _TENDER_KINDS(value)


def restoring(value: object) -> frozenset[RefundReason]:
    """The reasons whose order-ending refund restores the coupons (``invalid_policy``)."""
    return frozenset(_RESTORING(value))


def entries(kind: type[V], field: str, max_items: int) -> Any:
    """A converter reading a list of *kind* into a tuple (``invalid_order`` naming *field*)."""
    return items(
        field,
        instance(kind, field, code="invalid_order"),
        code="invalid_order",
        max_items=max_items,
    )


def share_amount(value: object) -> Money:
    """The amount of a discount share: Money of either sign (``invalid_amount``). A plan's
    reversal of a share is a share too, and rounding may make one line's reversal negative
    (the share stands a cent more after the refund) while its funder's total is not."""
    if not isinstance(value, Money):
        raise fail(
            InvalidInput,
            "invalid_amount",
            "amount",
            f"must be Money, got {type(value).__name__}",
            value,
        )
    return value


def unit_price(value: object) -> Money:
    """The converter of *unit_price*."""
    return money_at_least_zero(value, "unit_price")


def paid(value: object) -> Money:
    """The converter of *paid*."""
    return money_at_least_zero(value, "paid")


def refunded(value: object) -> Money:
    """The converter of *refunded*."""
    return money_at_least_zero(value, "refunded")


def unit_refunded(value: object) -> Money:
    """The converter of *unit_refunded*."""
    return money_at_least_zero(value, "unit_refunded")


def due(value: object) -> Money:
    """The converter of *due*."""
    return money_at_least_zero(value, "due")


def units_returned(value: object) -> int:
    """The converter of *units_returned*."""
    return count(value, "units_returned")


def points_used(value: object) -> int:
    """The converter of *points_used*."""
    return count(value, "points_used")


def points_earned(value: object) -> int:
    """The converter of *points_earned*."""
    return count(value, "points_earned")


def refunds(value: object) -> int:
    """The converter of *refunds*."""
    return count(value, "refunds")


def points_returned(value: object) -> int:
    """The converter of *points_returned*."""
    return count(value, "points_returned")


def points_clawed_back(value: object) -> int:
    """The converter of *points_clawed_back*."""
    return count(value, "points_clawed_back")


def positive_amount(value: object) -> Money:
    """An amount to refund: positive :class:`Money` (``invalid_amount``)."""
    amount = money_at_least_zero(value, "amount")
    if not amount.minor:
        raise fail(
            InvalidInput, "invalid_amount", "amount", f"must be positive, got {amount}", str(amount)
        )
    return amount


def units(value: object) -> Mapping[str | int, int]:
    """Units to return by line (a sku or an index), copied into a read-only mapping (the
    planner trusts what the request checked, so it must not change after).

    Raises:
        InvalidInput: ``invalid_request`` for anything but a mapping of 1 to 1 000 lines,
            ``unknown_line`` for a key that is neither text nor an index, ``invalid_quantity``
            for a count that is not a quantity.
    """
    if not isinstance(value, Mapping) or not 1 <= len(value) <= MAX_LINES:
        raise fail(
            InvalidInput,
            "invalid_request",
            "units",
            f"must map 1 to {MAX_LINES} lines to their units",
            value,
        )
    found: dict[str | int, int] = {}
    for key, number in value.items():
        if not (type(key) is int and key >= 0) and type(key) is not str:
            raise fail(InvalidInput, "unknown_line", "units", "names lines by sku or index", key)
        found[key] = check_quantity(number, "units")
    return MappingProxyType(found)


def rebuilt(value: V, **changes: Any) -> V:
    """*value* with *changes*, the converters and checks skipped: for the planner's own
    rebuilds of values it checked, in the hot path of every refund."""
    copy = object.__new__(type(value))
    for field in attrs.fields(type(value)):  # type: ignore[arg-type]
        name = field.name
        object.__setattr__(copy, name, changes[name] if name in changes else getattr(value, name))
    return copy
