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
    refuse_unknown,
    rule_error,
    rule_id,
)
from tuangou_core.errors import InvalidInput, InvalidRule
from tuangou_core.money import Money, Rate


class Funder(enum.Enum):
    """Who pays for a discount; settlement depends on it."""

    MERCHANT = "merchant"
    PLATFORM = "platform"
    LEADER = "leader"

    __hash__ = object.__hash__  # identity, at C speed: see settlement.Side


class CouponKind(enum.Enum):
    """The coupon shapes of a scenario file."""

    AMOUNT_OFF = "amount_off"  # 无门槛券: take `amount` off
    PERCENT_OFF = "percent_off"  # take `percent`% off, rounded half-up
    THRESHOLD = "threshold"  # 满 threshold 减 amount

    __hash__ = object.__hash__  # identity, at C speed: see settlement.Side


def _id(value: str) -> str:
    return rule_id(value, "coupons.id")


def _kind(value: CouponKind | str) -> CouponKind:
    return choice(CouponKind, value, "coupon.kind")


def _funded_by(value: Funder | str) -> Funder:
    return choice(Funder, value, "coupon.funded_by")


def _optional_money(value: object, field: str) -> Money | None:
    if value is None or isinstance(value, Money):
        return value
    raise rule_error(field, f"must be an amount (Money), got {type(value).__name__}", None)


def _amount(value: Money | None) -> Money | None:
    return _optional_money(value, "coupon.amount")


def _threshold(value: Money | None) -> Money | None:
    return _optional_money(value, "coupon.threshold")


def _percent_of(value: Rate | None) -> Rate | None:
    if value is None or isinstance(value, Rate):
        return value
    raise rule_error("coupon.percent", f"must be a Rate, got {type(value).__name__}", None)


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

    id: str = attrs.field(converter=_id)
    kind: CouponKind = attrs.field(converter=_kind)
    funded_by: Funder = attrs.field(default=Funder.MERCHANT, converter=_funded_by)
    amount: Money | None = attrs.field(default=None, converter=_amount)
    threshold: Money | None = attrs.field(default=None, converter=_threshold)
    percent: Rate | None = attrs.field(default=None, converter=_percent_of)

    def __attrs_post_init__(self) -> None:
        field = f"coupons[{self.id}]"
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
        """Read a coupon from plain values, as a scenario's ``[[coupons]]`` table writes it.

        Raises:
            InvalidRule: naming the key, for a missing, unknown or invalid one.
        """
        if not isinstance(data, Mapping):
            raise rule_error("coupons", "must be a list of tables", type(data).__name__)
        data = {str(key): value for key, value in data.items()}
        ident = rule_id(data.get("id"), "coupons.id")
        field = f"coupons[{ident}]"
        refuse_unknown(data, {"id", "kind", "amount", "threshold", "percent", "funded_by"}, field)
        kind = choice(CouponKind, data.get("kind"), f"{field}.kind")
        percent = data.get("percent")
        return cls(
            id=ident,
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
