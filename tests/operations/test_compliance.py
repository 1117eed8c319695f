"""Compliance lint: 虚标原价, lottery odds, multi-level commission, refund terms, group price,
诱导分享; each with a hand-computed threshold."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tuangou_core.campaign import Campaign, FeeSchedule, FixedRule, LotteryRule, Tier, TieredRule
from tuangou_core.errors import TuangouError
from tuangou_core.money import Money
from tuangou_core.operations import (
    SHARE_DETECTION_THRESHOLD,
    LintContext,
    Severity,
    lint,
    lint_output,
)

CLEAN = LintContext(
    recent_prices=(Money(10000), Money(9000)),
    refund_deadline="7 days after pickup",
    refund_path="original",
)


def fixed(list_price: int = 10000, price: int = 6500) -> Campaign:
    """A 3-person fixed campaign (fen amounts)."""
    return Campaign("c1", Money(list_price), FixedRule(3, Money(price)))


def codes(campaign: Campaign | dict[str, Any], context: LintContext = CLEAN) -> list[str]:
    """The codes of the findings, in lint's order."""
    return [f.code for f in lint(campaign, context)]


def test_a_clean_campaign_has_no_findings() -> None:
    """List ¥100 against a recent ¥100, group price 65%, refund terms stated: nothing."""
    assert lint(fixed(), CLEAN) == ()


def test_list_price_thirty_percent_above_is_allowed() -> None:
    """¥130 against a highest recent price of ¥100 is exactly 30% above: not flagged."""
    assert codes(fixed(13000, 8000)) == []


def test_list_price_more_than_thirty_percent_above_is_flagged() -> None:
    """¥130.01 is 30.01% above ¥100 (the highest recent price, not the ¥90): 虚标原价."""
    findings = lint(fixed(13001, 8000), CLEAN)
    assert [(f.code, f.severity, f.field) for f in findings] == [
        ("inflated_list_price", Severity.ERROR, "campaign.list_price")
    ]
    assert "30.01% above the highest recent actual price 100.00" in findings[0].message


def test_missing_price_history_is_an_info() -> None:
    """Without recent prices the check cannot run, and lint says so."""
    context = LintContext(refund_deadline="7d", refund_path="original")
    findings = lint(fixed(), context)
    assert [(f.code, f.severity) for f in findings] == [("price_history_missing", Severity.INFO)]


def test_undisclosed_lottery_odds_are_an_error() -> None:
    """A 1-in-5 lottery without its odds shown is flagged; disclosed, it is clean."""
    lottery = Campaign("c1", Money(10000), LotteryRule(5, Money(6500), 1))
    findings = lint(lottery, CLEAN)
    assert [f.code for f in findings] == ["lottery_odds_undisclosed"]
    assert "1 of 5 win" in findings[0].message
    disclosed = LintContext(
        recent_prices=CLEAN.recent_prices,
        lottery_odds_disclosed=True,
        refund_deadline="7d",
        refund_path="original",
    )
    assert lint(lottery, disclosed) == ()


def test_construction_already_refuses_multi_level_commission() -> None:
    """A Campaign cannot carry two levels: FeeSchedule refuses with multi_level_commission."""
    with pytest.raises(TuangouError) as caught:
        FeeSchedule(levels=2)
    assert caught.value.code == "multi_level_commission"


def test_raw_table_with_two_commission_levels_is_an_error() -> None:
    """A raw campaign whose fees say levels = 3 is reported, not raised."""
    raw = {"id": "c1", "list_price": "100.00", "rule": "fixed", "size": 3, "price": "65.00"}
    findings = lint({"campaign": raw, "fees": {"levels": 3}}, CLEAN)
    assert [(f.code, f.field) for f in findings] == [("multi_level_commission", "fees.levels")]


def test_missing_refund_terms_name_each_missing_part() -> None:
    """No deadline and a blank path: two errors, by field."""
    context = LintContext(recent_prices=(Money(10000),), refund_path="  ")
    findings = lint(fixed(), context)
    assert [(f.code, f.field) for f in findings] == [
        ("refund_terms_missing", "context.refund_deadline"),
        ("refund_terms_missing", "context.refund_path"),
    ]


def test_construction_already_refuses_a_group_price_not_below_list() -> None:
    """Campaign refuses a group price equal to the list price at build time."""
    with pytest.raises(TuangouError) as caught:
        fixed(10000, 10000)
    assert caught.value.code == "invalid_rule"
    assert caught.value.fields["field"] == "rule.price"


def test_raw_table_with_group_price_at_list_is_an_error() -> None:
    """Raw tiers at ¥100 and ¥120 against list ¥100: both tiers flagged, nothing raised."""
    raw = {
        "id": "c1",
        "list_price": "100.00",
        "rule": "tiered",
        "tiers": [{"size": 3, "price": "100.00"}, {"size": 5, "price": "120.00"}],
    }
    findings = lint(raw, CLEAN)
    assert [(f.code, f.field) for f in findings] == [
        ("group_price_not_below_list", "campaign.tiers[0].price"),
        ("group_price_not_below_list", "campaign.tiers[1].price"),
    ]


def test_group_price_outside_the_suggested_band_is_an_info() -> None:
    """Tiers at 90% and 50% of list are outside 60–70%; the leader price is not checked."""
    tiered = Campaign(
        "c1",
        Money(10000),
        TieredRule((Tier(3, Money(9000)), Tier(5, Money(5000)))),
        leader_price=Money(1000),
    )
    findings = lint(tiered, CLEAN)
    assert [(f.code, f.field, f.severity) for f in findings] == [
        ("group_price_outside_suggested_band", "campaign.tiers[0].price", Severity.INFO),
        ("group_price_outside_suggested_band", "campaign.tiers[1].price", Severity.INFO),
    ]
    assert "90.00% of the list price" in findings[0].message


def test_a_reward_requiring_shares_is_induced_sharing() -> None:
    """Share to 3 groups for a coupon: flagged by default, allowed with a limit of 3."""
    strict = LintContext(
        recent_prices=(Money(10000),), refund_deadline="7d", refund_path="o", required_shares=3
    )
    assert codes(fixed(), strict) == ["induced_sharing"]
    lenient = LintContext(
        recent_prices=(Money(10000),),
        refund_deadline="7d",
        refund_path="o",
        required_shares=3,
        max_required_shares=3,
    )
    assert codes(fixed(), lenient) == []


def test_share_cap_at_the_detection_threshold_is_a_warning() -> None:
    """199 shares a day passes; 200, WeChat's detection threshold, is a warning."""

    def context(cap: int) -> LintContext:
        """A clean context with a share cap."""
        return LintContext(
            recent_prices=(Money(10000),),
            refund_deadline="7d",
            refund_path="o",
            share_cap_per_day=cap,
        )

    assert SHARE_DETECTION_THRESHOLD == 200
    assert codes(fixed(), context(199)) == []
    assert [(f.code, f.severity) for f in lint(fixed(), context(200))] == [
        ("share_cap_at_detection_threshold", Severity.WARNING)
    ]


def test_findings_are_sorted_by_severity_code_and_field() -> None:
    """Errors before warnings before infos; within a severity, by code then field."""
    lottery = Campaign("c1", Money(10000), LotteryRule(5, Money(9500), 1))
    context = LintContext(share_cap_per_day=500)
    assert codes(lottery, context) == [
        "lottery_odds_undisclosed",
        "refund_terms_missing",
        "refund_terms_missing",
        "share_cap_at_detection_threshold",
        "group_price_outside_suggested_band",
        "price_history_missing",
    ]


def test_raw_tables_report_other_construction_errors() -> None:
    """A raw table Campaign refuses for another reason (size 1) is one invalid_rule finding."""
    raw = {"id": "c1", "list_price": "100.00", "rule": "fixed", "size": 1, "price": "65.00"}
    findings = lint(raw, CLEAN)
    assert [(f.code, f.field) for f in findings] == [("invalid_rule", "campaign.size")]


def test_raw_tables_report_unreadable_amounts() -> None:
    """A float price in a raw table is an invalid_value finding naming the key."""
    raw = {"id": "c1", "list_price": 100.0, "rule": "fixed", "size": 3, "price": "65.00"}
    findings = lint(raw, CLEAN)
    assert [(f.code, f.field) for f in findings] == [("invalid_value", "campaign.list_price")]


def test_lint_refuses_what_is_not_a_campaign() -> None:
    """A list is neither a Campaign nor a table: invalid_input."""
    with pytest.raises(TuangouError) as caught:
        lint([], CLEAN)  # type: ignore[arg-type]
    assert caught.value.code == "invalid_input"


def test_context_refuses_a_negative_share_count() -> None:
    """required_shares = -1 is refused, naming the field."""
    with pytest.raises(TuangouError) as caught:
        LintContext(required_shares=-1)
    assert caught.value.fields["field"] == "required_shares"


def test_lint_output_gives_text_and_json_data() -> None:
    """The CLI's text lists each finding and a count line; the data is JSON-safe."""
    text, data = lint_output(fixed(13001, 8000), CLEAN)
    assert text.splitlines()[-1] == "1 error, 0 warning, 0 info"
    assert text.startswith("error    inflated_list_price")
    assert data["clean"] is False
    assert data["counts"] == {"error": 1, "warning": 0, "info": 0}
    assert json.loads(json.dumps(data)) == data
    clean_text, clean_data = lint_output(fixed(), CLEAN)
    assert clean_text.splitlines()[0] == "no findings"
    assert clean_data["clean"] is True and clean_data["findings"] == []
