"""tuangou_core: the money and group rules of group buying (拼团 / 团购)."""

from tuangou_core.campaign import (
    Campaign,
    ChargeMode,
    Coupon,
    CouponKind,
    Expiry,
    FeeSchedule,
    FixedRule,
    Funder,
    LotteryRule,
    Overflow,
    SeckillRule,
    Tier,
    TieredRule,
)
from tuangou_core.errors import Conflict, InvalidInput, InvalidRule, Rejected, TuangouError
from tuangou_core.money import Currency, Money, Rate, Rounding, allocate, split
from tuangou_core.windows import Duration

__all__ = [
    "Campaign",
    "ChargeMode",
    "Conflict",
    "Coupon",
    "CouponKind",
    "Currency",
    "Duration",
    "Expiry",
    "FeeSchedule",
    "FixedRule",
    "Funder",
    "InvalidInput",
    "InvalidRule",
    "LotteryRule",
    "Money",
    "Overflow",
    "Rate",
    "Rejected",
    "Rounding",
    "SeckillRule",
    "Tier",
    "TieredRule",
    "TuangouError",
    "allocate",
    "split",
]

__version__ = "0.1.0"
