"""What a pricing run works on: the discounts in play, and what depends only on the campaign.

:func:`discounts_in_play` checks the offers and the coupons presented before any line is
priced (``_plan`` memoises it). The campaign's coupons as discounts and the group step's rule
text depend on the campaign alone, so they are computed once per campaign (``Campaign`` caches
its hash) and memoised.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from fractions import Fraction

from tuangou_core.campaign import Campaign, FixedRule, LotteryRule, TieredRule
from tuangou_core.errors import InvalidRule, Rejected
from tuangou_core.money import Money
from tuangou_core.pricing._discounts import Discount, Role, coupon_discount, percent_text

# -- what a run reads from the campaign, memoised ----------------------------------------------


@functools.lru_cache(maxsize=1024)
def campaign_coupons(campaign: Campaign) -> Mapping[str, Discount]:
    """The campaign's coupons as order-phase discounts, by id (read only: it is shared)."""
    return {coupon.id: coupon_discount(coupon) for coupon in campaign.coupons}


@functools.lru_cache(maxsize=4096)
def price_rule(campaign: Campaign, unit: Money, role: Role) -> tuple[str, str]:
    """The name and rule text of the step from the campaign's list price to *unit*."""
    share = percent_text(Fraction(unit.minor, campaign.list_price.minor))
    if role is Role.LEADER and unit == campaign.leader_price:
        return "leader price", f"团长价 {share}"
    rule = campaign.rule
    if isinstance(rule, TieredRule):
        for tier in rule.tiers:
            if tier.price == unit:
                return "group price", f"阶梯团 {tier.size}人 {share}"
        return "group price", f"阶梯团 {share}"
    if isinstance(rule, FixedRule):
        return "group price", f"{rule.size}人团 {share}"
    if isinstance(rule, LotteryRule):
        return "group price", f"抽奖团 {rule.size}人 {share}"
    return "group price", f"秒杀 {share}"


def discounts_in_play(
    campaign: Campaign, coupon_ids: Sequence[str], offers: Sequence[Discount]
) -> list[Discount]:
    """The offers in force plus the coupons presented (by *coupon_ids*), in listed order.

    Raises:
        InvalidRule: an offer that is not a Discount, repeats an id or is in another currency.
        Rejected: ``duplicate_coupon``, ``unknown_coupon``.
    """
    currency = campaign.currency
    coupons = campaign_coupons(campaign)
    offered: dict[str, Discount] = {}  # offers presented by id, like coupons
    chosen: list[Discount] = []
    seen: set[str] = set()
    for index, offer in enumerate(offers):
        if not isinstance(offer, Discount):
            raise InvalidRule(
                "invalid_rule", f"offers[{index}] must be a Discount", field=f"offers[{index}]"
            )
        if offer.id in seen or offer.id in coupons:
            raise InvalidRule(
                "invalid_rule",
                f"offers[{index}].id {offer.id!r} is used twice",
                field=f"offers[{index}].id",
                value=offer.id,
            )
        if offer.currency not in (None, currency):
            raise InvalidRule(
                "invalid_rule",
                f"offers[{index}] must be in {currency}, got {offer.currency}",
                field=f"offers[{index}]",
                value=offer.currency,
            )
        seen.add(offer.id)
        if offer.coupon:
            offered[offer.id] = offer
        else:
            chosen.append(offer)
    presented: set[str] = set()
    for ident in coupon_ids:
        if ident in presented:
            raise Rejected("duplicate_coupon", f"coupon {ident!r} is presented twice", coupon=ident)
        presented.add(ident)
        found = coupons.get(ident) or offered.get(ident)
        if found is None:
            raise Rejected(
                "unknown_coupon",
                f"coupon {ident!r} is not a coupon of campaign {campaign.id}",
                coupon=ident,
            )
        chosen.append(found)
    return chosen
