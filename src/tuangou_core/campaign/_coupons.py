"""Coupons (优惠券) a member may present, and who funds a discount.

A coupon is campaign data: the scenario's ``[[coupons]]`` tables, checked when the campaign is
built. The pricing engine turns each into a discount step; who funds it decides the split.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any

import attrs

from tuangou_core.campaign._validation import (
    choice,
    money_or_none,
    raise_error,
    refuse_unknown,
    rule_error,
)
from tuangou_core.errors import InvalidInput, InvalidRule
from tuangou_core.money import Money, Rate


class Funder(enum.Enum):
    """Who pays for a discount; settlement depends on it."""

    MERCHANT = "merchant"
    PLATFORM = "platform"
    LEADER = "leader"


class CouponKind(enum.Enum):
    """The coupon shapes of a scenario file."""

    AMOUNT_OFF = "amount_off"  # 无门槛券: take `amount` off
    PERCENT_OFF = "percent_off"  # take `percent`% off, rounded half-up
    THRESHOLD = "threshold"  # 满 threshold 减 amount


@attrs.frozen
class Coupon:
    """A coupon a member may present when opening or joining.

    Args:
        id: the coupon's id, named in ``open``/``join`` commands.
        kind: amount off (无门槛券), percent off, or threshold (满 threshold 减 amount).
        funded_by: who pays for it: merchant or platform.
        amount: for amount off and threshold.
        threshold: for threshold: the order amount that qualifies.
        percent: for percent off, e.g. ``Rate("10%")``.
    """

    id: str
    kind: CouponKind
    funded_by: Funder = Funder.MERCHANT
    amount: Money | None = None
    threshold: Money | None = None
    percent: Rate | None = None

    def __attrs_post_init__(self) -> None:
        field = f"coupons[{self.id}]"
        if not isinstance(self.id, str) or not self.id:
            raise rule_error("coupons.id", "must be a non-empty string", self.id)
        if self.kind in (CouponKind.AMOUNT_OFF, CouponKind.THRESHOLD) and (
            self.amount is None or self.amount.minor <= 0
        ):
            raise rule_error(f"{field}.amount", "must be a positive amount", self.amount)
        if self.kind is CouponKind.THRESHOLD and (
            self.threshold is None or self.threshold.minor < 0
        ):
            raise rule_error(
                f"{field}.threshold", "must be an amount of zero or more", self.threshold
            )
        if self.kind is CouponKind.PERCENT_OFF and (
            self.percent is None or not 0 < self.percent.value <= 1
        ):
            raise rule_error(f"{field}.percent", "must be above 0 and at most 100", self.percent)
        if self.funded_by is Funder.LEADER:
            raise rule_error(
                f"{field}.funded_by", "must be 'merchant' or 'platform'", self.funded_by.value
            )

    @classmethod
    def build(cls, data: Mapping[str, Any], currency: str) -> Coupon:
        """Read a coupon from plain values, as a scenario's ``[[coupons]]`` table writes it."""
        data = dict(data)
        ident = data.get("id")
        field = f"coupons[{ident}]"
        refuse_unknown(data, {"id", "kind", "amount", "threshold", "percent", "funded_by"}, field)
        kind = choice(CouponKind, data.get("kind"), f"{field}.kind")
        percent = data.get("percent")
        return cls(
            id=ident
            if isinstance(ident, str)
            else raise_error(rule_error("coupons.id", "must be a non-empty string", ident)),
            kind=kind,
            funded_by=choice(Funder, data.get("funded_by", "merchant"), f"{field}.funded_by"),
            amount=money_or_none(data.get("amount"), currency, f"{field}.amount"),
            threshold=money_or_none(
                data.get("threshold", "0" if kind is CouponKind.THRESHOLD else None),
                currency,
                f"{field}.threshold",
            ),
            percent=None if percent is None else _percent(percent, f"{field}.percent"),
        )

    def describe(self) -> str:
        """The rule in the words a finance reader uses (满50减10, 9折, 无门槛10)."""
        if self.kind is CouponKind.THRESHOLD:
            return f"满{self.threshold}减{self.amount}"
        if self.kind is CouponKind.PERCENT_OFF:
            assert self.percent is not None
            return f"{self.percent.percent()} off"
        return f"无门槛{self.amount}"


def _percent(value: object, field: str) -> Rate:
    if isinstance(value, str) and not value.strip().endswith("%"):
        value = value.strip() + "%"
    elif isinstance(value, int) and not isinstance(value, bool):
        value = f"{value}%"
    try:
        return Rate.parse(value)  # type: ignore[arg-type]
    except InvalidInput as error:
        raise InvalidRule(
            error.code, f"{field}: {error.message}", field=field, value=value
        ) from None
