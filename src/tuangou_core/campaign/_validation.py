"""The checks every rule builder shares: each failure an InvalidRule that names its field.

Private: campaign, coupon and discount builders use these so that a bad rule is refused the
same way wherever it is written.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any, Final, TypeVar

from tuangou_core._validators import MAX_ID_LENGTH, text
from tuangou_core.errors import InvalidInput, InvalidRule
from tuangou_core.money import Money

_E = TypeVar("_E", bound=enum.Enum)


def rule_error(field: str, message: str, value: object) -> InvalidRule:
    return InvalidRule("invalid_rule", f"{field} {message}", field=field, value=value)


def choice(enum_type: type[_E], value: object, field: str) -> _E:
    """*value* as a member of *enum_type* (a member, or its value), or a rule error naming
    *field* and the values allowed."""
    if isinstance(value, enum_type):
        return value
    try:
        if not isinstance(value, str) or len(value) > MAX_ID_LENGTH:
            raise ValueError(value)
        return enum_type(value)
    except ValueError:
        names = " | ".join(repr(m.value) for m in enum_type)
        shown = value if isinstance(value, str) and len(value) <= 40 else type(value).__name__
        raise rule_error(field, f"must be {names}, got {shown!r}", shown) from None


def raise_error(error: Exception) -> Any:
    raise error


def money_or_none(value: object, currency: str, field: str) -> Money | None:
    if value is None:
        return None
    try:
        return money_field_value(value, currency, field)
    except InvalidInput as error:
        raise InvalidRule(error.code, error.message, **error.fields) from None


def required_money(value: object, currency: str, field: str) -> Money:
    if value is None:
        raise rule_error(field, "is required", None)
    found = money_or_none(value, currency, field)
    assert found is not None
    return found


def refuse_unknown(data: Mapping[str, Any], known: set[str], where: str) -> None:
    unknown = sorted(str(key)[:40] for key in set(data) - known)
    if unknown:
        raise InvalidRule(
            "unknown_key",
            f"{where}.{unknown[0]} is not a known key (known: {', '.join(sorted(known))})",
            field=f"{where}.{unknown[0]}",
            value=unknown[0],
        )


MAX_GROUP_SIZE: Final = 100_000


def whole(value: object, field: str, minimum: int, maximum: int = MAX_GROUP_SIZE) -> int:
    if type(value) is not int:
        shown = value if isinstance(value, str | bool | float) else type(value).__name__
        raise rule_error(field, f"must be a whole number, got {shown!r}"[:160], shown)
    if not minimum <= value <= maximum:
        raise rule_error(field, f"must be between {minimum} and {maximum}, got {value}", value)
    return value


def positive_price(price: Money, field: str) -> Money:
    if not isinstance(price, Money):
        raise rule_error(
            field, f"must be an amount (Money), got {type(price).__name__}", type(price).__name__
        )
    if price.minor <= 0:
        raise rule_error(field, f"must be at least one minor unit, got {price}", str(price))
    return price


def money_field_value(value: Any, currency: str, field: str) -> Money:
    """Read *value* (Money, decimal text or Decimal) as an amount of *currency* for *field*.

    Used by the rule builders so that every amount error names the field it came from.

    Raises:
        InvalidInput: with ``field`` set, for anything :meth:`Money.parse` refuses, or an
            amount in another currency.
    """
    try:
        if isinstance(value, Money):
            if value.currency != currency:
                raise InvalidInput(
                    "currency_mismatch",
                    f"is in {value.currency}, the campaign is in {currency}",
                    value=value.currency,
                )
            return value
        return Money.parse(value, currency)
    except InvalidInput as error:
        raise type(error)(
            error.code, f"{field}: {error.message}", **{**error.fields, "field": field}
        ) from None


def check_id(value: object, field: str, code: str = "invalid_value") -> str:
    """*value* as an id: text of 1 to :data:`MAX_ID_LENGTH` characters, no control characters.

    The one id rule (campaign, coupon, discount, sku; member, group, payment ids for the
    commands that carry them), so that an id a backend stores is never ``5``, ``""`` or a
    megabyte of text.

    Raises:
        InvalidInput: *code* naming *field*.
    """
    return text(field, code=code)(value)


def rule_id(value: object, field: str) -> str:
    """*value* as the id of a rule (``invalid_rule`` naming *field*): see :func:`check_id`."""
    return text(field, code="invalid_rule", error=InvalidRule)(value)


MAX_QUANTITY: Final = 1_000_000
"""The most units one order line may hold: more than any member buys, few enough to compute."""


def check_quantity(value: object, field: str = "qty") -> int:
    """*value* as a quantity of units: a whole number from 1 to :data:`MAX_QUANTITY`.

    The one quantity rule: a cart line, a member's order and a scenario's ``qty`` all read it.

    Raises:
        InvalidInput: ``invalid_quantity`` naming *field*.
    """
    if type(value) is not int or not 1 <= value <= MAX_QUANTITY:
        raise InvalidInput(
            "invalid_quantity",
            f"{field} must be a whole number from 1 to {MAX_QUANTITY}, got {value!r}",
            field=field,
            value=value,
        )
    return value
