"""Reading a campaign from plain values, as a scenario file or a backend writes them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

from tuangou_core._validators import listed
from tuangou_core.campaign._coupons import Coupon
from tuangou_core.campaign._fees import FeeSchedule
from tuangou_core.campaign._points import PointsRule
from tuangou_core.campaign._rules import (
    ChargeMode,
    Expiry,
    FixedRule,
    GroupRule,
    LotteryRule,
    Overflow,
    SeckillRule,
    Tier,
    TieredRule,
)
from tuangou_core.campaign._validation import (
    choice,
    money_or_none,
    raise_error,
    refuse_unknown,
    required_money,
    rule_error,
    whole,
)
from tuangou_core.errors import InvalidInput, InvalidRule
from tuangou_core.money import Money
from tuangou_core.timing import Calendar, Duration, require_aware


def campaign_fields(
    data: Mapping[str, Any],
    fees: Mapping[str, Any] | None,
    coupons: Sequence[Mapping[str, Any]],
    points: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The keyword arguments of a :class:`Campaign` read from its plain tables.

    Raises:
        InvalidRule: naming the key, for a missing, unknown or invalid one.
    """
    if not isinstance(data, Mapping):
        raise rule_error("campaign", "must be a table", type(data).__name__)
    data = {str(key): value for key, value in data.items()}
    coupon_rows = listed(coupons, "coupons", code="invalid_rule", error=InvalidRule, max_items=1000)
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
    return {
        "id": data.get("id", ""),
        "list_price": required_money(data.get("list_price"), currency, "campaign.list_price"),
        "rule": rule,
        "timezone": timezone,
        "window": _duration(data.get("window", "PT24H"), "campaign.window"),
        "payment_timeout": _duration(
            data.get("payment_timeout", "PT15M"), "campaign.payment_timeout"
        ),
        "on_expiry": choice(Expiry, data.get("on_expiry", "fail"), "campaign.on_expiry"),
        "virtual_min": data.get("virtual_min"),
        "max_size": max_size,
        "overflow": choice(Overflow, data.get("overflow", "reject"), "campaign.overflow"),
        "leader_price": money_or_none(data.get("leader_price"), currency, "campaign.leader_price"),
        "stock": data.get("stock"),
        "per_member_limit": data.get("per_member_limit"),
        "fees": FeeSchedule.build(fees),
        "coupons": tuple(
            Coupon.build(c, currency)
            if isinstance(c, Mapping)
            else raise_error(rule_error("coupons", "must be a list of tables", type(c).__name__))
            for c in coupon_rows
        ),
        "calendar": _calendar(data.get("calendar")),
        "points": None if points is None else PointsRule.build(points, currency),
    }


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
    "seed_sha256",
    "draw_within",
    "calendar",
}

_RULE_KEYS: Final = {
    "fixed": {"size", "price"},
    "tiered": {"tiers", "charge"},
    "lottery": {"size", "price", "winners", "consolation_coupon", "seed_sha256", "draw_within"},
    "seckill": {"size", "price", "starts_at"},
}


def _duration(value: object, field: str) -> Duration:
    try:
        return Duration.parse(value, field)  # type: ignore[arg-type]
    except InvalidInput as error:
        raise InvalidRule(error.code, error.message, **error.fields) from None


def _build_rule(name: object, data: Mapping[str, Any], currency: str) -> GroupRule:
    if not isinstance(name, str) or name not in _RULE_KEYS:
        name = name if isinstance(name, str | None) else type(name).__name__
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
            size = whole(tier["size"], f"campaign.tiers[{index}].size", 2)
            built.append(
                Tier(
                    size, required_money(tier["price"], currency, f"campaign.tiers[{index}].price")
                )
            )
        return TieredRule(
            tuple(built),
            choice(ChargeMode, data.get("charge", "prepay_highest"), "campaign.charge"),
        )
    size = whole(data.get("size"), "campaign.size", 2)
    price = required_money(data.get("price"), currency, "campaign.price")
    if name == "fixed":
        return FixedRule(size, price)
    if name == "lottery":
        winners = whole(data.get("winners"), "campaign.winners", 1, size - 1)
        return LotteryRule(
            size,
            price,
            winners,
            data.get("consolation_coupon"),
            data.get("seed_sha256"),
            _duration(data.get("draw_within", "PT24H"), "campaign.draw_within"),
        )
    starts_at = data.get("starts_at")
    if starts_at is None:
        raise rule_error("campaign.starts_at", "is required for a seckill group", None)
    try:
        require_aware(starts_at, "campaign.starts_at")
    except InvalidInput as error:
        raise InvalidRule(error.code, error.message, **error.fields) from None
    return SeckillRule(size, price, starts_at)
