"""A campaign (活动): a product on group sale, and the rules its groups live by.

Everything here is a frozen value validated when it is built: a rule that cannot be run is
refused with :class:`~tuangou_core.errors.InvalidRule` naming the field, before any customer
pays. Build campaigns with :meth:`Campaign.build`, which reads plain values (decimal strings,
ISO durations) the way a scenario file or a backend sends them.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Final
from zoneinfo import ZoneInfo

import attrs

from tuangou_core._validation import (
    choice,
    money_or_none,
    raise_error,
    refuse_unknown,
    required_money,
    rule_error,
)
from tuangou_core.coupons import Coupon, CouponKind, Funder
from tuangou_core.errors import InvalidInput, InvalidRule
from tuangou_core.money import Money, Rate
from tuangou_core.windows import Calendar, Duration, deadline, may_open, require_aware, zone

__all__ = [
    "MAX_GROUP_SIZE",
    "Campaign",
    "ChargeMode",
    "Coupon",
    "CouponKind",
    "Expiry",
    "FeeSchedule",
    "FixedRule",
    "Funder",
    "GroupRule",
    "LotteryRule",
    "Overflow",
    "SeckillRule",
    "Tier",
    "TieredRule",
]

MAX_GROUP_SIZE: Final = 100_000


def _whole(value: object, field: str, minimum: int, maximum: int = MAX_GROUP_SIZE) -> int:
    if type(value) is not int:
        raise rule_error(field, f"must be a whole number, got {value!r}", value)
    if not minimum <= value <= maximum:
        raise rule_error(field, f"must be between {minimum} and {maximum}, got {value}", value)
    return value


def _positive_price(price: Money, field: str) -> Money:
    if price.minor <= 0:
        raise rule_error(field, f"must be at least one minor unit, got {price}", str(price))
    return price


class ChargeMode(enum.Enum):
    """How a tiered group charges before it knows its final tier."""

    PREPAY_HIGHEST = "prepay_highest"  # charge the first tier's price, refund the difference
    CAPTURE_AT_CLOSE = "capture_at_close"  # authorise, capture only the final price


class Expiry(enum.Enum):
    """What a group below its minimum becomes at its deadline."""

    FAIL = "fail"  # every paid member refunded in full (原路退回)
    VIRTUAL_COMPLETE = "virtual_complete"  # forms with virtual fillers (模拟成团)


class Overflow(enum.Enum):
    """What a join on a full group does."""

    REJECT = "reject"  # refused with group_full
    SPILL = "spill"  # opens a new group led by the joiner


@attrs.frozen
class Tier:
    """One step of a tiered group: from *size* paid members on, each pays *price*."""

    size: int
    price: Money

    def __attrs_post_init__(self) -> None:
        _whole(self.size, "tier.size", 2)
        _positive_price(self.price, "tier.price")


@attrs.frozen
class FixedRule:
    """普通团: the group forms when *size* members have paid, each at *price*."""

    size: int
    price: Money

    def __attrs_post_init__(self) -> None:
        _whole(self.size, "size", 2)
        _positive_price(self.price, "price")

    @property
    def min_size(self) -> int:
        """Paid members needed to form."""
        return self.size


@attrs.frozen
class TieredRule:
    """阶梯团: the unit price falls as the group grows past each tier's size."""

    tiers: tuple[Tier, ...]
    charge: ChargeMode = ChargeMode.PREPAY_HIGHEST

    def __attrs_post_init__(self) -> None:
        if not self.tiers:
            raise rule_error("tiers", "must list at least one tier", [])
        for index, (lower, upper) in enumerate(zip(self.tiers, self.tiers[1:], strict=False)):
            if upper.size <= lower.size:
                raise rule_error(
                    f"tiers[{index + 1}].size",
                    f"must be larger than the tier before ({lower.size}), got {upper.size}",
                    upper.size,
                )
            if upper.price >= lower.price:
                raise rule_error(
                    f"tiers[{index + 1}].price",
                    f"must be lower than the tier before ({lower.price}), got {upper.price}",
                    str(upper.price),
                )

    @property
    def min_size(self) -> int:
        """Paid members needed to form: the first tier's size."""
        return self.tiers[0].size

    @property
    def size(self) -> int:
        """The largest tier's size."""
        return self.tiers[-1].size

    @property
    def price(self) -> Money:
        """The first (highest) tier price: what ``prepay_highest`` charges up front."""
        return self.tiers[0].price

    def tier_for(self, paid_members: int) -> Tier | None:
        """The largest tier reached by *paid_members*, or None below the first."""
        reached = None
        for tier in self.tiers:
            if paid_members >= tier.size:
                reached = tier
        return reached


@attrs.frozen
class LotteryRule:
    """抽奖团: *size* members pay *price*; *winners* of them are drawn, the rest refunded."""

    size: int
    price: Money
    winners: int
    consolation_coupon: str | None = None

    def __attrs_post_init__(self) -> None:
        _whole(self.size, "size", 2)
        _positive_price(self.price, "price")
        _whole(self.winners, "winners", 1, self.size - 1)

    @property
    def min_size(self) -> int:
        """Paid members needed to form."""
        return self.size

    @property
    def odds(self) -> Rate:
        """The chance of winning, K/N, which must be disclosed."""
        return Rate(f"{self.winners}/{self.size}")


@attrs.frozen
class SeckillRule:
    """秒杀团: no join before *starts_at*; the campaign's stock is a hard limit."""

    size: int
    price: Money
    starts_at: datetime

    def __attrs_post_init__(self) -> None:
        _whole(self.size, "size", 2)
        _positive_price(self.price, "price")
        require_aware(self.starts_at, "starts_at")

    @property
    def min_size(self) -> int:
        """Paid members needed to form."""
        return self.size


GroupRule = FixedRule | TieredRule | LotteryRule | SeckillRule


def _rate_in_unit(value: object, field: str) -> Rate:
    try:
        rate = Rate.parse(value)  # type: ignore[arg-type]
    except InvalidInput as error:
        raise InvalidRule(
            error.code, f"{field}: {error.message}", field=field, value=error.fields.get("value")
        ) from None
    if not 0 <= rate.value <= 1:
        raise rule_error(field, f"must be between 0 and 1, got {rate}", str(rate))
    return rate


@attrs.frozen
class FeeSchedule:
    """Who takes what from each payment (分账).

    Args:
        payment_rate: the processor's fee on cash paid (e.g. 0.6%).
        platform_rate: the platform's take on the merchant price.
        leader_rate: the community leader's commission on the merchant price.
        leader: who earns ``leader_rate``: ``"opener"`` (the group's opener) or a member or
            host id.
        levels: commission levels; only 1 is allowed (三级分销 is forbidden).
    """

    payment_rate: Rate = attrs.field(default=Rate(0))
    platform_rate: Rate = attrs.field(default=Rate(0))
    leader_rate: Rate = attrs.field(default=Rate(0))
    leader: str = "opener"
    levels: int = 1

    def __attrs_post_init__(self) -> None:
        for name in ("payment_rate", "platform_rate", "leader_rate"):
            _rate_in_unit(getattr(self, name), f"fees.{name}")
        total = self.payment_rate + self.platform_rate + self.leader_rate
        if total >= 1:
            raise rule_error(
                "fees",
                f"rates must sum to less than 1 (payment + platform + leader = {total})",
                str(total),
            )
        if not isinstance(self.leader, str) or not self.leader:
            raise rule_error("fees.leader", "must be 'opener' or a member or host id", self.leader)
        if self.levels != 1:
            raise InvalidRule(
                "multi_level_commission",
                f"fees.levels must be 1: commission over {self.levels} levels (多级分销) is "
                "not allowed",
                field="fees.levels",
                value=self.levels,
            )

    @classmethod
    def build(cls, data: Mapping[str, Any] | None = None) -> FeeSchedule:
        """Read a fee schedule from plain values (rates as strings)."""
        data = dict(data or {})
        known = {"payment_rate", "platform_rate", "leader_rate", "leader", "levels"}
        refuse_unknown(data, known, "fees")
        return cls(
            payment_rate=_rate_in_unit(data.get("payment_rate", "0"), "fees.payment_rate"),
            platform_rate=_rate_in_unit(data.get("platform_rate", "0"), "fees.platform_rate"),
            leader_rate=_rate_in_unit(data.get("leader_rate", "0"), "fees.leader_rate"),
            leader=data.get("leader", "opener"),
            levels=data.get("levels", 1),
        )


_DEFAULT_WINDOW: Final = Duration(seconds=24 * 3600)
_PLAIN_CALENDAR: Final = Calendar()
_DEFAULT_PAYMENT_TIMEOUT: Final = Duration(seconds=15 * 60)


def _default_max_size(rule: GroupRule) -> int:
    return rule.size


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

    Raises:
        InvalidRule: naming the field, for any rule that cannot be run.
    """

    id: str
    list_price: Money
    rule: GroupRule
    timezone: str = "Asia/Shanghai"
    window: Duration = _DEFAULT_WINDOW
    payment_timeout: Duration = _DEFAULT_PAYMENT_TIMEOUT
    on_expiry: Expiry = Expiry.FAIL
    virtual_min: int | None = None
    max_size: int = attrs.field(
        default=attrs.Factory(lambda self: _default_max_size(self.rule), takes_self=True)
    )
    overflow: Overflow = Overflow.REJECT
    leader_price: Money | None = None
    stock: int | None = None
    per_member_limit: int | None = None
    fees: FeeSchedule = FeeSchedule()
    coupons: tuple[Coupon, ...] = ()
    calendar: Calendar = _PLAIN_CALENDAR

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.id, str) or not self.id.strip():
            raise rule_error("campaign.id", "must be a non-empty string", self.id)
        zone(self.timezone, "campaign.timezone")
        _positive_price(self.list_price, "campaign.list_price")
        currency = self.list_price.currency
        prices = [("rule.price", self.rule.price)]
        if isinstance(self.rule, TieredRule):
            prices = [(f"tiers[{i}].price", t.price) for i, t in enumerate(self.rule.tiers)]
        if self.leader_price is not None:
            prices.append(
                (
                    "campaign.leader_price",
                    _positive_price(self.leader_price, "campaign.leader_price"),
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
        _whole(self.max_size, "campaign.max_size", self.rule.size)
        if self.on_expiry is Expiry.VIRTUAL_COMPLETE:
            if not isinstance(self.rule, FixedRule):
                raise rule_error(
                    "campaign.on_expiry",
                    "'virtual_complete' is allowed only for fixed groups",
                    self.on_expiry.value,
                )
            if self.virtual_min is None:
                raise rule_error("campaign.virtual_min", "is required with virtual_complete", None)
            _whole(self.virtual_min, "campaign.virtual_min", 1, self.rule.size)
        elif self.virtual_min is not None:
            raise rule_error(
                "campaign.virtual_min", "applies only with virtual_complete", self.virtual_min
            )
        if self.stock is not None:
            _whole(self.stock, "campaign.stock", 0, 10**12)
        if self.per_member_limit is not None:
            _whole(self.per_member_limit, "campaign.per_member_limit", 1, 10**6)
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
    ) -> Campaign:
        """Read a campaign from plain values, as the scenario file's ``[campaign]`` table.

        Args:
            data: the campaign keys of ../SCENARIO (``id``, ``list_price``, ``rule``, ...).
            fees: the ``[fees]`` table.
            coupons: the ``[[coupons]]`` tables.

        Returns:
            The validated campaign.

        Raises:
            InvalidRule: naming the key, for a missing, unknown or invalid one.
        """
        if not isinstance(data, Mapping):
            raise rule_error("campaign", "must be a table", type(data).__name__)
        data = dict(data)
        refuse_unknown(data, _CAMPAIGN_KEYS, "campaign")
        currency = data.get("currency", "CNY")
        if not isinstance(currency, str):
            raise rule_error("campaign.currency", "must be an ISO 4217 code", currency)
        try:
            currency = Money.zero(currency).currency
        except InvalidInput:
            raise rule_error(
                "campaign.currency", "must be an ISO 4217 code this library knows", currency
            ) from None
        rule_name = data.get("rule")
        rule = _build_rule(rule_name, data, currency)
        timezone = data.get("timezone", "Asia/Shanghai")
        max_size = data.get("max_size", rule.size)
        return cls(
            id=data.get("id", ""),
            list_price=required_money(data.get("list_price"), currency, "campaign.list_price"),
            rule=rule,
            timezone=timezone,
            window=_duration(data.get("window", "PT24H"), "campaign.window"),
            payment_timeout=_duration(
                data.get("payment_timeout", "PT15M"), "campaign.payment_timeout"
            ),
            on_expiry=choice(Expiry, data.get("on_expiry", "fail"), "campaign.on_expiry"),
            virtual_min=data.get("virtual_min"),
            max_size=max_size,
            overflow=choice(Overflow, data.get("overflow", "reject"), "campaign.overflow"),
            leader_price=money_or_none(data.get("leader_price"), currency, "campaign.leader_price"),
            stock=data.get("stock"),
            per_member_limit=data.get("per_member_limit"),
            fees=FeeSchedule.build(fees),
            coupons=tuple(
                Coupon.build(c, currency)
                if isinstance(c, Mapping)
                else raise_error(rule_error("coupons", "must be a list of tables", c))
                for c in coupons
            ),
            calendar=_calendar(data.get("calendar")),
        )


def _calendar(value: object) -> Calendar:
    try:
        return Calendar.build(value)  # type: ignore[arg-type]
    except InvalidInput as error:
        raise InvalidRule(error.code, f"campaign.{error.message}", **error.fields) from None


_CAMPAIGN_KEYS: Final = {
    "id",
    "currency",
    "timezone",
    "list_price",
    "rule",
    "size",
    "tiers",
    "price",
    "max_size",
    "window",
    "payment_timeout",
    "on_expiry",
    "virtual_min",
    "charge",
    "winners",
    "leader_price",
    "starts_at",
    "stock",
    "per_member_limit",
    "overflow",
    "consolation_coupon",
    "calendar",
}

_RULE_KEYS: Final = {
    "fixed": {"size", "price"},
    "tiered": {"tiers", "charge"},
    "lottery": {"size", "price", "winners", "consolation_coupon"},
    "seckill": {"size", "price", "starts_at"},
}


def _duration(value: object, field: str) -> Duration:
    try:
        return Duration.parse(value, field)  # type: ignore[arg-type]
    except InvalidInput as error:
        raise InvalidRule(error.code, error.message, **error.fields) from None


def _build_rule(name: object, data: Mapping[str, Any], currency: str) -> GroupRule:
    if name not in _RULE_KEYS:
        raise rule_error("campaign.rule", "must be 'fixed', 'tiered', 'lottery' or 'seckill'", name)
    assert isinstance(name, str)
    for other, keys in _RULE_KEYS.items():
        for key in sorted(keys - _RULE_KEYS[name] - {"size", "price"}):
            if key in data:
                raise rule_error(
                    f"campaign.{key}",
                    f"does not apply to a {name} group (it belongs to {other})",
                    data[key],
                )
    if name == "tiered":
        for key in ("size", "price"):
            if key in data:
                raise rule_error(
                    f"campaign.{key}", "does not apply to a tiered group (use tiers)", data[key]
                )
        tiers = data.get("tiers")
        if not isinstance(tiers, list | tuple) or not tiers:
            raise rule_error("campaign.tiers", "must be a list of {size, price} tables", tiers)
        built = []
        for index, tier in enumerate(tiers):
            if not isinstance(tier, Mapping) or set(tier) != {"size", "price"}:
                raise rule_error(
                    f"campaign.tiers[{index}]", "must have exactly size and price", tier
                )
            size = _whole(tier["size"], f"campaign.tiers[{index}].size", 2)
            built.append(
                Tier(
                    size, required_money(tier["price"], currency, f"campaign.tiers[{index}].price")
                )
            )
        return TieredRule(
            tuple(built),
            choice(ChargeMode, data.get("charge", "prepay_highest"), "campaign.charge"),
        )
    size = _whole(data.get("size"), "campaign.size", 2)
    price = required_money(data.get("price"), currency, "campaign.price")
    if name == "fixed":
        return FixedRule(size, price)
    if name == "lottery":
        winners = _whole(data.get("winners"), "campaign.winners", 1, size - 1)
        return LotteryRule(size, price, winners, data.get("consolation_coupon"))
    starts_at = data.get("starts_at")
    if starts_at is None:
        raise rule_error("campaign.starts_at", "is required for a seckill group", None)
    try:
        require_aware(starts_at, "campaign.starts_at")
    except InvalidInput as error:
        raise InvalidRule(error.code, error.message, **error.fields) from None
    return SeckillRule(size, price, starts_at)
