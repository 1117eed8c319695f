"""The checks every rule builder shares: each failure an InvalidRule that names its field.

Private: campaign, coupon and discount builders use these so that a bad rule is refused the
same way wherever it is written.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any, TypeVar

from tuangou_core.errors import InvalidInput, InvalidRule
from tuangou_core.money import Money, money_field_value

_E = TypeVar("_E", bound=enum.Enum)

__all__ = [
    "choice",
    "money_or_none",
    "raise_error",
    "refuse_unknown",
    "required_money",
    "rule_error",
]


def rule_error(field: str, message: str, value: object) -> InvalidRule:
    return InvalidRule("invalid_rule", f"{field} {message}", field=field, value=value)


def choice(enum_type: type[_E], value: object, field: str) -> _E:
    """*value* as a member of *enum_type* (a member, or its value), or a rule error naming
    *field* and the values allowed."""
    if isinstance(value, enum_type):
        return value
    try:
        return enum_type(value)
    except ValueError:
        names = " | ".join(repr(m.value) for m in enum_type)
        raise rule_error(field, f"must be {names}, got {value!r}", value) from None


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
    unknown = sorted(set(data) - known)
    if unknown:
        raise InvalidRule(
            "unknown_key",
            f"{where}.{unknown[0]} is not a known key (known: {', '.join(sorted(known))})",
            field=f"{where}.{unknown[0]}",
            value=unknown[0],
        )
