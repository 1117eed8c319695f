"""The values of a compliance lint: findings, their severity, the context, and the thresholds."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any, Final

import attrs

from tuangou_core.errors import InvalidInput
from tuangou_core.money import Money, Rate

INFLATED_LIST_PRICE_MARGIN: Final = Rate("30%")
"""A list price more than this above the recent actual price is 虚标原价 (price fraud)."""

SHARE_DETECTION_THRESHOLD: Final = 200
"""Shares by one user in one day at which WeChat's 诱导分享 detection fires (seed 004)."""

SUGGESTED_GROUP_PRICE_SHARE: Final = (Rate("60%"), Rate("70%"))
"""The group price the seeds suggest, as a share of the list price (拼团价为零售价60-70%)."""


class Severity(enum.Enum):
    """How bad a finding is: errors get a mini-program punished, infos are advice."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """0 for errors, 1 for warnings, 2 for infos: the order findings are listed in."""
        return RANKS[self]


RANKS: Final = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


@attrs.frozen
class Finding:
    """One problem: a stable *code*, its *severity*, a *message* and the *field* at fault."""

    code: str
    severity: Severity
    message: str
    field: str

    @property
    def sort_key(self) -> tuple[int, str, str, str]:
        """Severity first, then code, field and message: the same order every run."""
        return (self.severity.rank, self.code, self.field, self.message)

    def to_data(self) -> dict[str, str]:
        """The finding as JSON-safe values."""
        return {
            "code": self.code,
            "severity": self.severity.value,
            "field": self.field,
            "message": self.message,
        }


def _optional_count(field: str) -> Any:
    def check(_instance: object, _attribute: object, value: object) -> None:
        if value is None:
            return
        if type(value) is not int or value < 0:
            raise InvalidInput(
                "invalid_input",
                f"{field} must be a whole number of zero or more, got {value!r}",
                field=field,
                value=value,
            )

    return check


def _prices(value: object) -> tuple[Money, ...]:
    if isinstance(value, Money):
        return (value,)
    if isinstance(value, str | bytes) or not isinstance(value, tuple | list):
        raise InvalidInput(
            "invalid_input",
            "context.recent_prices must be a sequence of Money",
            field="context.recent_prices",
            value=repr(value),
        )
    for index, price in enumerate(value):
        if not isinstance(price, Money):
            raise InvalidInput(
                "invalid_input",
                f"context.recent_prices[{index}] must be Money, got {type(price).__name__}",
                field=f"context.recent_prices[{index}]",
                value=repr(price),
            )
    return tuple(value)


@attrs.frozen
class LintContext:
    """What the campaign alone cannot say, for :func:`lint`.

    Args:
        recent_prices: actual selling prices of the product before the campaign (e.g. the
            last 7 days). The list price is compared with the highest of them. Empty: the
            虚标原价 check cannot run and says so (an info).
        lottery_odds_disclosed: whether the page shows a lottery group's odds K/N.
        refund_deadline: the stated refund deadline (e.g. ``"7 days after pickup"``);
            None or blank means not stated.
        refund_path: the stated refund path (e.g. ``"original"``, 原路退回); None or blank
            means not stated.
        required_shares: shares or invites a user must make to unlock a reward beyond the
            group itself (分享N个群领券). 0 when none.
        max_required_shares: the most such shares allowed before it counts as 诱导分享.
            0 by default: WeChat forbids making a reward depend on sharing at all.
        share_cap_per_day: the most shares per user per day the campaign counts or rewards;
            None when it counts none.
    """

    recent_prices: tuple[Money, ...] = attrs.field(default=(), converter=_prices)
    lottery_odds_disclosed: bool = False
    refund_deadline: str | None = None
    refund_path: str | None = None
    required_shares: int = attrs.field(default=0, validator=_optional_count("required_shares"))
    max_required_shares: int = attrs.field(
        default=0, validator=_optional_count("max_required_shares")
    )
    share_cap_per_day: int | None = attrs.field(
        default=None, validator=_optional_count("share_cap_per_day")
    )


_CONTEXT_KEYS: Final = (
    "recent_prices",
    "lottery_odds_disclosed",
    "refund_deadline",
    "refund_path",
    "required_shares",
    "max_required_shares",
    "share_cap_per_day",
)


def lint_context(table: Mapping[str, Any], currency: str = "CNY") -> LintContext:
    """Read a :class:`LintContext` from plain values, as a scenario's ``[lint]`` table.

    Prices are decimal strings in *currency*; the other keys are as :class:`LintContext`.

    Raises:
        InvalidInput: naming ``lint.<key>`` for an unknown key or a value of the wrong kind;
            ``invalid_value`` when *table* is not a table; ``unknown_currency``.
    """
    if not isinstance(table, Mapping):
        raise InvalidInput(
            "invalid_value",
            f"lint must be a table, got {type(table).__name__}",
            field="lint",
            value=type(table).__name__,
        )
    Money.zero(currency)  # an unknown currency is refused before the table is read
    unknown = sorted(str(key)[:40] for key in set(table) - set(_CONTEXT_KEYS))
    if unknown:
        raise InvalidInput(
            "unknown_key",
            f"lint.{unknown[0]} is not a key of [lint] ({', '.join(_CONTEXT_KEYS)})",
            field=f"lint.{unknown[0]}",
        )
    values = dict(table)
    prices = values.get("recent_prices", [])
    if not isinstance(prices, list):
        raise InvalidInput(
            "invalid_value",
            "lint.recent_prices must be a list of amounts",
            field="lint.recent_prices",
        )
    try:
        values["recent_prices"] = tuple(Money.parse(p, currency) for p in prices)
    except InvalidInput as error:
        raise InvalidInput(
            error.code, f"lint.recent_prices: {error.message}", field="lint.recent_prices"
        ) from None
    for key in ("lottery_odds_disclosed",):
        if key in values and not isinstance(values[key], bool):
            raise InvalidInput(
                "invalid_value", f"lint.{key} must be true or false", field=f"lint.{key}"
            )
    for key in ("refund_deadline", "refund_path"):
        if key in values and not isinstance(values[key], str):
            raise InvalidInput("invalid_value", f"lint.{key} must be a string", field=f"lint.{key}")
    for key in ("required_shares", "max_required_shares", "share_cap_per_day"):
        if key in values and type(values[key]) is not int:
            raise InvalidInput(
                "invalid_value", f"lint.{key} must be a whole number", field=f"lint.{key}"
            )
    return LintContext(**values)


@attrs.frozen
class Facts:
    """What the checks read, taken from a Campaign or a raw table."""

    currency: str
    list_price: Money | None
    group_prices: tuple[tuple[str, Money], ...]
    lottery: tuple[int, int] | None  # (winners, size)
    levels: int
