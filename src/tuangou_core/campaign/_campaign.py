"""The campaign (活动): a product on group sale and every rule its groups follow."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any, Final
from zoneinfo import ZoneInfo

import attrs

from tuangou_core._validators import instance, items, text
from tuangou_core.campaign._build import campaign_fields
from tuangou_core.campaign._coupons import Coupon
from tuangou_core.campaign._fees import FeeSchedule
from tuangou_core.campaign._points import PointsRule
from tuangou_core.campaign._rules import (
    Expiry,
    FixedRule,
    GroupRule,
    LotteryRule,
    Overflow,
    SeckillRule,
    TieredRule,
)
from tuangou_core.campaign._validation import choice, positive_price, rule_error, rule_id, whole
from tuangou_core.errors import InvalidInput, InvalidRule
from tuangou_core.money import Money
from tuangou_core.timing import Calendar, Duration, deadline, may_open, zone

_DEFAULT_WINDOW: Final = Duration(seconds=24 * 3600)
_PLAIN_CALENDAR: Final = Calendar()
_DEFAULT_PAYMENT_TIMEOUT: Final = Duration(seconds=15 * 60)
_NO_FEES: Final = FeeSchedule()


def _default_max_size(rule: GroupRule) -> int:
    return rule.size


# The converters of the fields: each refuses a value of the wrong kind with an InvalidRule naming
# the field, before __attrs_post_init__ checks how the fields fit together.


def _id(value: str) -> str:
    return rule_id(value, "campaign.id")


def _list_price(value: Money) -> Money:
    return _MONEY_LIST(value)


def _rule(value: GroupRule) -> GroupRule:
    return _RULE(value)


def _timezone(value: str) -> str:
    return _TIMEZONE(value)


def _window(value: Duration | str) -> Duration:
    return _duration(value, "campaign.window")


def _payment_timeout(value: Duration | str) -> Duration:
    return _duration(value, "campaign.payment_timeout")


def _duration(value: object, field: str) -> Duration:
    if isinstance(value, Duration):
        return value
    try:
        return Duration.parse(value, field)  # type: ignore[arg-type]
    except InvalidInput as error:
        raise InvalidRule(error.code, error.message, **error.fields) from None


def _on_expiry(value: Expiry | str) -> Expiry:
    return choice(Expiry, value, "campaign.on_expiry")


def _overflow(value: Overflow | str) -> Overflow:
    return choice(Overflow, value, "campaign.overflow")


def _optional_count(field: str) -> Callable[[object], int | None]:
    def convert(value: object) -> int | None:
        return None if value is None else whole(value, field, -(10**15), 10**15)

    return convert


_virtual_min = _optional_count("campaign.virtual_min")
_stock = _optional_count("campaign.stock")
_per_member_limit = _optional_count("campaign.per_member_limit")


def _virtual_min_of(value: int | None) -> int | None:
    return _virtual_min(value)


def _stock_of(value: int | None) -> int | None:
    return _stock(value)


def _per_member_limit_of(value: int | None) -> int | None:
    return _per_member_limit(value)


def _max_size(value: int) -> int:
    return whole(value, "campaign.max_size", -(10**15), 10**15)


def _leader_price(value: Money | None) -> Money | None:
    return None if value is None else _MONEY_LEADER(value)


def _fees(value: FeeSchedule) -> FeeSchedule:
    return _FEES(value)


def _coupons(value: Iterable[Coupon]) -> tuple[Coupon, ...]:
    return _COUPONS(value)


def _calendar(value: Calendar) -> Calendar:
    return _CALENDAR(value)


def _points(value: PointsRule | None) -> PointsRule | None:
    return None if value is None else _POINTS(value)


_MONEY_LIST: Final = instance(
    Money, "campaign.list_price", code="invalid_rule", error=InvalidRule, what="an amount (Money)"
)
_MONEY_LEADER: Final = instance(
    Money, "campaign.leader_price", code="invalid_rule", error=InvalidRule, what="an amount (Money)"
)
_RULE: Final[Callable[[object], GroupRule]] = instance(
    (FixedRule, TieredRule, LotteryRule, SeckillRule),
    "campaign.rule",
    code="invalid_rule",
    error=InvalidRule,
    what="a group rule (FixedRule, TieredRule, LotteryRule or SeckillRule)",
)
_TIMEZONE: Final = text("campaign.timezone", code="unknown_timezone", error=InvalidRule)
_FEES: Final = instance(FeeSchedule, "campaign.fees", code="invalid_rule", error=InvalidRule)
_COUPONS: Final = items(
    "coupons",
    instance(Coupon, "coupons", code="invalid_rule", error=InvalidRule),
    code="invalid_rule",
    error=InvalidRule,
    max_items=1000,
)
_CALENDAR: Final = instance(Calendar, "campaign.calendar", code="invalid_rule", error=InvalidRule)
_POINTS: Final = instance(PointsRule, "campaign.points", code="invalid_rule", error=InvalidRule)


@attrs.frozen(cache_hash=True)  # hashed on every memoised quote: compute it once
class Campaign:
    """A product on group sale and every rule its groups follow.

    Args:
        id: the campaign's id.
        list_price: the single-buy price (单独购买价).
        rule: the group rule: fixed, tiered, lottery or seckill.
        timezone: the IANA zone whose calendar the windows follow.
        window: the formation window from a group's opening.
        payment_timeout: how long a join holds its slot unpaid.
        on_expiry: fail, or virtual completion (fixed rule only).
        virtual_min: with virtual completion, the paid members needed at the deadline.
        max_size: the most members a group holds (default: the rule's size).
        overflow: a join on a full group is rejected or spills into a new group.
        leader_price: the opener's unit price, if the opener has one.
        stock: units available to the whole campaign, if limited.
        per_member_limit: units one member may hold across the campaign, if limited.
        fees: the fee schedule for the split.
        coupons: the coupons members may present.
        calendar: the merchant's calendar: extensions, quiet hours, opening slots.
        points: the member points a formed order earns, if any.

    Raises:
        InvalidRule: naming the field, for any rule that cannot be run.
    """

    id: str = attrs.field(converter=_id)
    list_price: Money = attrs.field(converter=_list_price)
    rule: GroupRule = attrs.field(converter=_rule)
    timezone: str = attrs.field(default="Asia/Shanghai", converter=_timezone)
    window: Duration = attrs.field(default=_DEFAULT_WINDOW, converter=_window)
    payment_timeout: Duration = attrs.field(
        default=_DEFAULT_PAYMENT_TIMEOUT, converter=_payment_timeout
    )
    on_expiry: Expiry = attrs.field(default=Expiry.FAIL, converter=_on_expiry)
    virtual_min: int | None = attrs.field(default=None, converter=_virtual_min_of)
    max_size: int = attrs.field(
        default=attrs.Factory(lambda self: _default_max_size(self.rule), takes_self=True),
        converter=_max_size,
    )
    overflow: Overflow = attrs.field(default=Overflow.REJECT, converter=_overflow)
    leader_price: Money | None = attrs.field(default=None, converter=_leader_price)
    stock: int | None = attrs.field(default=None, converter=_stock_of)
    per_member_limit: int | None = attrs.field(default=None, converter=_per_member_limit_of)
    fees: FeeSchedule = attrs.field(default=_NO_FEES, converter=_fees)
    coupons: tuple[Coupon, ...] = attrs.field(default=(), converter=_coupons)
    calendar: Calendar = attrs.field(default=_PLAIN_CALENDAR, converter=_calendar)
    points: PointsRule | None = attrs.field(default=None, converter=_points)

    def __attrs_post_init__(self) -> None:
        try:
            zone(self.timezone, "campaign.timezone")
        except InvalidInput as error:
            raise InvalidRule(error.code, error.message, **error.fields) from None
        positive_price(self.list_price, "campaign.list_price")
        currency = self.list_price.currency
        prices = [("rule.price", self.rule.price)]
        if isinstance(self.rule, TieredRule):
            prices = [(f"tiers[{i}].price", t.price) for i, t in enumerate(self.rule.tiers)]
        if self.leader_price is not None:
            prices.append(
                (
                    "campaign.leader_price",
                    positive_price(self.leader_price, "campaign.leader_price"),
                )
            )
        for field, price in prices:
            if price.currency != currency:
                raise rule_error(
                    field, f"must be in {currency}, got {price.currency}", price.currency
                )
            if price >= self.list_price:
                raise rule_error(
                    field,
                    f"must be below the list price {self.list_price}, got {price}",
                    str(price),
                )
        whole(self.max_size, "campaign.max_size", self.rule.size)
        if self.on_expiry is Expiry.VIRTUAL_COMPLETE:
            if not isinstance(self.rule, FixedRule):
                raise rule_error(
                    "campaign.on_expiry",
                    "'virtual_complete' is allowed only for fixed groups",
                    self.on_expiry.value,
                )
            if self.virtual_min is None:
                raise rule_error("campaign.virtual_min", "is required with virtual_complete", None)
            whole(self.virtual_min, "campaign.virtual_min", 1, self.rule.size)
        elif self.virtual_min is not None:
            raise rule_error(
                "campaign.virtual_min", "applies only with virtual_complete", self.virtual_min
            )
        if self.stock is not None:
            whole(self.stock, "campaign.stock", 0, 10**12)
        if self.per_member_limit is not None:
            whole(self.per_member_limit, "campaign.per_member_limit", 1, 10**6)
        seen: set[str] = set()
        for coupon in self.coupons:
            if coupon.id in seen:
                raise rule_error("coupons.id", f"{coupon.id!r} is listed twice", coupon.id)
            seen.add(coupon.id)
            for money in (coupon.amount, coupon.threshold):
                if money is not None and money.currency != currency:
                    raise rule_error(
                        f"coupons[{coupon.id}]", f"must be in {currency}", money.currency
                    )
        if self.points is not None and self.points.value.currency != currency:
            raise rule_error("points.value", f"must be in {currency}", self.points.value.currency)

    @property
    def currency(self) -> str:
        """The campaign's ISO 4217 currency."""
        return self.list_price.currency

    @property
    def zone(self) -> ZoneInfo:
        """The campaign's time zone."""
        return zone(self.timezone)

    @property
    def min_size(self) -> int:
        """Paid members a group needs to form."""
        return self.rule.min_size

    def coupon(self, coupon_id: str) -> Coupon | None:
        """The campaign's coupon named *coupon_id*, or None."""
        for coupon in self.coupons:
            if coupon.id == coupon_id:
                return coupon
        return None

    def deadline(self, opened_at: datetime) -> datetime:
        """When a group opened at *opened_at* must have formed."""
        return deadline(opened_at, self.window, self.zone, self.calendar)

    def may_open(self, at: datetime) -> bool:
        """True when the merchant's calendar lets a group open at *at*."""
        return may_open(at, self.zone, self.calendar)

    @classmethod
    def build(
        cls,
        data: Mapping[str, Any],
        *,
        fees: Mapping[str, Any] | None = None,
        coupons: Sequence[Mapping[str, Any]] = (),
        points: Mapping[str, Any] | None = None,
    ) -> Campaign:
        """Read a campaign from plain values, as the scenario file's ``[campaign]`` table.

        Args:
            data: the campaign keys of ../SCENARIO (``id``, ``list_price``, ``rule``, ...).
            fees: the ``[fees]`` table.
            coupons: the ``[[coupons]]`` tables.
            points: the ``[points]`` table, if the campaign earns points.

        Returns:
            The validated campaign.

        Raises:
            InvalidRule: naming the key, for a missing, unknown or invalid one.
        """
        return cls(**campaign_fields(data, fees, coupons, points))
