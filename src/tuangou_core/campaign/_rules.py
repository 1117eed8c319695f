"""The group rules: fixed, tiered, lottery and seckill, and the modes a campaign runs them in."""

from __future__ import annotations

import enum
import hashlib
import re
from collections.abc import Iterable
from datetime import datetime
from typing import Final

import attrs

from tuangou_core._validators import listed
from tuangou_core.campaign._validation import choice, positive_price, rule_error, rule_id, whole
from tuangou_core.errors import InvalidRule
from tuangou_core.money import Money, Rate
from tuangou_core.timing import Duration, require_aware

_SHA256_HEX: Final = re.compile(r"[0-9a-f]{64}")
_DRAW_WITHIN: Final = Duration(seconds=24 * 3600)  # an undrawn formed group fails after this


class ChargeMode(enum.Enum):
    """How a tiered group charges before it knows its final tier."""

    PREPAY_HIGHEST = "prepay_highest"  # charge the first tier's price, refund the difference
    CAPTURE_AT_CLOSE = "capture_at_close"  # authorise, capture only the final price

    __hash__ = object.__hash__  # identity, at C speed: see settlement.Side


class Expiry(enum.Enum):
    """What a group below its minimum becomes at its deadline."""

    FAIL = "fail"  # every paid member refunded in full (原路退回)
    VIRTUAL_COMPLETE = "virtual_complete"  # forms with virtual fillers (模拟成团)

    __hash__ = object.__hash__  # identity, at C speed: see settlement.Side


class Overflow(enum.Enum):
    """What a join on a full group does."""

    REJECT = "reject"  # refused with group_full
    SPILL = "spill"  # opens a new group led by the joiner

    __hash__ = object.__hash__  # identity, at C speed: see settlement.Side


@attrs.frozen
class Tier:
    """One step of a tiered group: from *size* paid members on, each pays *price*."""

    size: int
    price: Money

    def __attrs_post_init__(self) -> None:
        whole(self.size, "tier.size", 2)
        positive_price(self.price, "tier.price")


@attrs.frozen
class FixedRule:
    """普通团: the group forms when *size* members have paid, each at *price*."""

    size: int
    price: Money

    def __attrs_post_init__(self) -> None:
        whole(self.size, "size", 2)
        positive_price(self.price, "price")

    @property
    def min_size(self) -> int:
        """Paid members needed to form."""
        return self.size


def _tiers(value: Iterable[Tier]) -> tuple[Tier, ...]:
    tiers = listed(value, "tiers", code="invalid_rule", error=InvalidRule, max_items=100)
    for index, tier in enumerate(tiers):
        if not isinstance(tier, Tier):
            raise rule_error(f"tiers[{index}]", "must be a Tier", type(tier).__name__)
    return tuple(tiers)


def _charge(value: ChargeMode | str) -> ChargeMode:
    return choice(ChargeMode, value, "campaign.charge")


@attrs.frozen
class TieredRule:
    """阶梯团: the unit price falls as the group grows past each tier's size."""

    tiers: tuple[Tier, ...] = attrs.field(converter=_tiers)
    charge: ChargeMode = attrs.field(default=ChargeMode.PREPAY_HIGHEST, converter=_charge)

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
    seed_sha256: str | None = None
    draw_within: Duration = _DRAW_WITHIN

    def __attrs_post_init__(self) -> None:
        whole(self.size, "size", 2)
        positive_price(self.price, "price")
        whole(self.winners, "winners", 1, self.size - 1)
        if self.consolation_coupon is not None:
            rule_id(self.consolation_coupon, "campaign.consolation_coupon")
        commitment = self.seed_sha256
        if commitment is not None and (
            not isinstance(commitment, str) or not _SHA256_HEX.fullmatch(commitment)
        ):
            raise rule_error(
                "campaign.seed_sha256", "must be 64 lowercase hex digits (a sha256)", commitment
            )
        if not isinstance(self.draw_within, Duration):
            raise rule_error("campaign.draw_within", "must be a Duration", self.draw_within)

    def seed_matches(self, seed: str) -> bool:
        """True when *seed* is the committed one (sha256 of its UTF-8 bytes), or none was."""
        if self.seed_sha256 is None:
            return True
        return hashlib.sha256(seed.encode("utf-8")).hexdigest() == self.seed_sha256

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
        whole(self.size, "size", 2)
        positive_price(self.price, "price")
        require_aware(self.starts_at, "starts_at")

    @property
    def min_size(self) -> int:
        """Paid members needed to form."""
        return self.size


GroupRule = FixedRule | TieredRule | LotteryRule | SeckillRule
