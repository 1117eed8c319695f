"""The compliance checks, one function per rule of the seeds; each returns its findings."""

from __future__ import annotations

from fractions import Fraction
from typing import Final

from tuangou_core.money import Rate
from tuangou_core.operations._findings import (
    INFLATED_LIST_PRICE_MARGIN,
    SHARE_DETECTION_THRESHOLD,
    SUGGESTED_GROUP_PRICE_SHARE,
    Facts,
    Finding,
    LintContext,
    Severity,
)


def _inflated_list_price(facts: Facts, context: LintContext) -> list[Finding]:
    if facts.list_price is None:
        return []
    recent = [p for p in context.recent_prices if p.currency == facts.currency]
    if not recent:
        return [
            Finding(
                "price_history_missing",
                Severity.INFO,
                "no recent actual prices given: the 虚标原价 check (list price at most 30% "
                "above the recent actual price) did not run",
                "context.recent_prices",
            )
        ]
    reference = max(recent)
    ceiling = Fraction(reference.minor) * (1 + INFLATED_LIST_PRICE_MARGIN.value)
    if facts.list_price.minor <= ceiling:
        return []
    excess = Rate(Fraction(facts.list_price.minor - reference.minor, reference.minor))
    return [
        Finding(
            "inflated_list_price",
            Severity.ERROR,
            f"list price {facts.list_price} is {excess.as_decimal(4) * 100:.2f}% above the "
            f"highest recent actual price {reference}; more than "
            f"{INFLATED_LIST_PRICE_MARGIN.percent()} is 虚标原价",
            "campaign.list_price",
        )
    ]


def _lottery_odds(facts: Facts, context: LintContext) -> list[Finding]:
    if facts.lottery is None or context.lottery_odds_disclosed:
        return []
    winners, size = facts.lottery
    return [
        Finding(
            "lottery_odds_undisclosed",
            Severity.ERROR,
            f"a lottery group must show its odds ({winners} of {size} win) before joining",
            "context.lottery_odds_disclosed",
        )
    ]


def _commission_levels(facts: Facts, _context: LintContext) -> list[Finding]:
    if facts.levels <= 1:
        return []
    return [
        Finding(
            "multi_level_commission",
            Severity.ERROR,
            f"commission over {facts.levels} levels (多级分销) is forbidden; only one level",
            "fees.levels",
        )
    ]


def _refund_terms(_facts: Facts, context: LintContext) -> list[Finding]:
    missing = []
    if not (context.refund_deadline or "").strip():
        missing.append(("refund_deadline", "deadline", "by when a refund may be asked"))
    if not (context.refund_path or "").strip():
        missing.append(("refund_path", "path", "where the money goes back (原路退回)"))
    return [
        Finding(
            "refund_terms_missing",
            Severity.ERROR,
            f"the refund {what} is not stated: the rules must say {why}",
            f"context.{name}",
        )
        for name, what, why in missing
    ]


def _group_price(facts: Facts, _context: LintContext) -> list[Finding]:
    if facts.list_price is None:
        return []
    found = []
    low, high = SUGGESTED_GROUP_PRICE_SHARE
    for field, price in facts.group_prices:
        if price.currency != facts.currency:
            continue
        if price >= facts.list_price:
            found.append(
                Finding(
                    "group_price_not_below_list",
                    Severity.ERROR,
                    f"group price {price} must be below the single price {facts.list_price}",
                    field,
                )
            )
            continue
        if field.endswith("leader_price") or facts.list_price.minor <= 0:
            continue
        share = Rate(Fraction(price.minor, facts.list_price.minor))
        if not low <= share <= high:
            found.append(
                Finding(
                    "group_price_outside_suggested_band",
                    Severity.INFO,
                    f"group price {price} is {share.as_decimal(4) * 100:.2f}% of the list "
                    f"price; the seeds suggest {low.percent()}–{high.percent()}",
                    field,
                )
            )
    return found


def _share_inducement(_facts: Facts, context: LintContext) -> list[Finding]:
    found = []
    if context.required_shares > context.max_required_shares:
        found.append(
            Finding(
                "induced_sharing",
                Severity.ERROR,
                f"a reward requires {context.required_shares} shares or invites, more than the "
                f"{context.max_required_shares} allowed (诱导分享)",
                "context.required_shares",
            )
        )
    cap = context.share_cap_per_day
    if cap is not None and cap >= SHARE_DETECTION_THRESHOLD:
        found.append(
            Finding(
                "share_cap_at_detection_threshold",
                Severity.WARNING,
                f"the campaign counts up to {cap} shares per user per day; WeChat's "
                f"诱导分享 detection fires at {SHARE_DETECTION_THRESHOLD}",
                "context.share_cap_per_day",
            )
        )
    return found


CHECKS: Final = (
    _inflated_list_price,
    _lottery_odds,
    _commission_levels,
    _refund_terms,
    _group_price,
    _share_inducement,
)
