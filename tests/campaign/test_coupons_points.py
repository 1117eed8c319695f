"""Coupons and member points built directly: each bad field refused naming it, and the words
a finance reader sees."""

from __future__ import annotations

from typing import Any

import pytest

from tuangou_core.campaign import Coupon, CouponKind, Funder, PointsRule
from tuangou_core.errors import InvalidRule
from tuangou_core.money import Money, Rate


def rule_field(make: Any) -> tuple[object, object]:
    with pytest.raises(InvalidRule) as caught:
        make()
    return caught.value.fields.get("field"), caught.value.code


@pytest.mark.parametrize(
    ("keys", "field"),
    [
        ({"kind": CouponKind.AMOUNT_OFF}, "coupons[c].amount"),
        ({"kind": CouponKind.AMOUNT_OFF, "amount": Money(0)}, "coupons[c].amount"),
        ({"kind": CouponKind.THRESHOLD, "amount": Money(100)}, "coupons[c].threshold"),
        (
            {"kind": CouponKind.THRESHOLD, "amount": Money(100), "threshold": Money(-1)},
            "coupons[c].threshold",
        ),
        ({"kind": CouponKind.PERCENT_OFF}, "coupons[c].percent"),
        ({"kind": CouponKind.PERCENT_OFF, "percent": Rate.parse("101%")}, "coupons[c].percent"),
        ({"kind": CouponKind.PERCENT_OFF, "percent": Rate.parse("0%")}, "coupons[c].percent"),
        (
            {"kind": CouponKind.AMOUNT_OFF, "amount": Money(100), "funded_by": Funder.LEADER},
            "coupons[c].funded_by",
        ),
    ],
)
def test_a_coupon_missing_what_its_kind_needs_is_refused(keys: dict[str, Any], field: str) -> None:
    """An amount-off without a positive amount, a threshold without one of zero or more, a
    percentage outside (0, 100], or a leader funding it: refused naming the field."""
    assert rule_field(lambda: Coupon("c", **keys))[0] == field


def test_coupons_describe_themselves() -> None:
    """满50.00减10.00, 10% off, 无门槛5.00."""
    threshold = Coupon("t", CouponKind.THRESHOLD, amount=Money(1000), threshold=Money(5000))
    assert threshold.describe() == "满50.00减10.00"
    assert Coupon("p", CouponKind.PERCENT_OFF, percent=Rate.parse("10%")).describe() == "10% off"
    assert Coupon("a", CouponKind.AMOUNT_OFF, amount=Money(500)).describe() == "无门槛5.00"
    assert Coupon("z", CouponKind.THRESHOLD, amount=Money(1), threshold=Money(0)).describe() == (
        "满0.00减0.01"
    )


def test_a_coupon_table_that_is_not_a_table_is_refused() -> None:
    """Coupon.build of a list: coupons must be a list of tables."""
    assert rule_field(lambda: Coupon.build(["x"], "CNY")) == ("coupons", "invalid_rule")  # type: ignore[arg-type]


def test_a_coupon_percent_reads_bare_numbers_as_percent() -> None:
    """ "15" and 15 both mean 15 %; "abc" is refused naming the field."""
    text = Coupon.build({"id": "p", "kind": "percent_off", "percent": "15"}, "CNY")
    number = Coupon.build({"id": "p", "kind": "percent_off", "percent": 15}, "CNY")
    assert text == number
    assert text.percent is not None and str(text.percent.percent()) == "15%"
    assert (
        rule_field(
            lambda: Coupon.build({"id": "p", "kind": "percent_off", "percent": "abc"}, "CNY")
        )[0]
        == "coupons[p].percent"
    )


@pytest.mark.parametrize(
    ("keys", "field"),
    [
        ({"earn_per_unit": -1, "value": Money(1)}, "points.earn_per_unit"),
        ({"earn_per_unit": 1_000_001, "value": Money(1)}, "points.earn_per_unit"),
        ({"earn_per_unit": True, "value": Money(1)}, "points.earn_per_unit"),
        ({"earn_per_unit": 1, "value": Money(0)}, "points.value"),
        ({"earn_per_unit": 1, "value": 1}, "points.value"),
        ({"earn_per_unit": 1, "value": Money(1), "funded_by": Funder.LEADER}, "points.funded_by"),
    ],
)
def test_a_bad_points_rule_is_refused(keys: dict[str, Any], field: str) -> None:
    """A rate outside 0..1 000 000 or not an int, a value not positive Money, a leader
    funding them: refused naming the field."""
    assert rule_field(lambda: PointsRule(**keys))[0] == field


def test_points_bounds_are_accepted() -> None:
    """0 and 1 000 000 points a unit are both rules."""
    assert PointsRule(0, Money(1)).standing(Money(500)) == 0
    assert PointsRule(1_000_000, Money(1)).standing(Money(250)) == 2_000_000


def test_a_points_table_that_is_not_a_table_is_refused() -> None:
    """PointsRule.build of a string: points must be a table."""
    assert rule_field(lambda: PointsRule.build("x", "CNY"))[0] == "points"  # type: ignore[arg-type]


def test_points_stand_on_whole_units_and_cost_their_value() -> None:
    """2 a yuan: 69.99 stands at 138 points, nothing at 0.00; 138 points at 0.05 are 6.90."""
    rule = PointsRule.build({"earn_per_unit": 2, "value": "0.05"}, "CNY")
    assert (rule.standing(Money(6999)), rule.standing(Money(0)), rule.standing(Money(-5))) == (
        138,
        0,
        0,
    )
    assert rule.liability(138) == Money(690)
    assert rule.funded_by is Funder.MERCHANT
