"""A campaign (活动): a product on group sale, and the rules its groups live by.

Everything here is a frozen value validated when it is built: a rule that cannot be run is
refused with :class:`~tuangou_core.errors.InvalidRule` naming the field, before any customer
pays. Build campaigns with :meth:`Campaign.build`, which reads plain values (decimal strings,
ISO durations) the way a scenario file or a backend sends them.
"""

from __future__ import annotations

from tuangou_core.campaign._campaign import Campaign
from tuangou_core.campaign._coupons import Coupon, CouponKind, Funder
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
    MAX_GROUP_SIZE,
    MAX_QUANTITY,
    check_id,
    check_quantity,
    choice,
    money_field_value,
    rule_error,
)

__all__ = [
    "MAX_GROUP_SIZE",
    "MAX_QUANTITY",
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
    "PointsRule",
    "SeckillRule",
    "Tier",
    "TieredRule",
    "check_id",
    "check_quantity",
    "choice",
    "money_field_value",
    "rule_error",
]
