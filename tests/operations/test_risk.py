"""Risk rules: order bursts by device, IP or address; self-filled groups; new-customer
coupon abuse; each finding with its reason and event indexes."""

from __future__ import annotations

from datetime import timedelta

import pytest

from strategies import EventLog
from tuangou_core.errors import TuangouError
from tuangou_core.operations import (
    DEFAULT_RULES,
    LinkedAccountsFill,
    NewCustomerCouponAbuse,
    OrderBurst,
    RiskFinding,
    assess,
)


def test_empty_log_has_no_findings() -> None:
    """No events, no attributes: nothing to suspect, under every rule."""
    rules = (*DEFAULT_RULES, NewCustomerCouponAbuse({"new10"}))
    assert assess([], {}, rules) == ()


def test_four_orders_from_one_device_within_a_day() -> None:
    """Joins at 0, 60, 120 and 1439 min from device d1: 4 within 24 h, more than 3."""
    log = EventLog().open("g1", "a", 0).join("g1", "b", 60).open("g2", "c", 120)
    log.join("g2", "d", 1439)
    attributes = {m: {"device": "d1"} for m in "abcd"}
    found = assess(log.events, attributes, (OrderBurst("device", 3),))
    assert found == (
        RiskFinding(
            "orders_per_device",
            "4 orders from device d1 within 24 h (more than 3), by a, b, c, d",
            ("a", "b", "c", "d"),
            (1, 2, 4, 5),
        ),
    )


def test_an_order_exactly_a_window_later_is_outside_it() -> None:
    """Joins at 0, 60, 120 and 1440 min: the window is half-open, so at most 3 together."""
    log = EventLog().open("g1", "a", 0).join("g1", "b", 60).open("g2", "c", 120)
    log.join("g2", "d", 1440)
    attributes = {m: {"device": "d1"} for m in "abcd"}
    assert assess(log.events, attributes, (OrderBurst("device", 3),)) == ()


def test_an_order_entry_wins_over_its_member_entry() -> None:
    """u's order in g2 carries its own IP, so only 2 orders share 10.0.0.1."""
    log = EventLog().open("g1", "u", 0).open("g2", "u", 1).open("g3", "v", 2)
    attributes = {"u": {"ip": "10.0.0.1"}, ("g2", "u"): {"ip": "10.9.9.9"}, "v": {"ip": "10.0.0.1"}}
    assert assess(log.events, attributes, (OrderBurst("ip", 1),))[0].events == (1, 5)


def test_leader_filling_their_group_from_linked_accounts() -> None:
    """Opener a shares a device with b and an address with c: 2 linked joiners, flagged."""
    log = EventLog().open("g1", "a", 0).join("g1", "b", 1).join("g1", "c", 2).join("g1", "d", 3)
    attributes = {
        "a": {"device": "d1", "address": "x"},
        "b": {"device": "d1", "address": "y"},
        "c": {"device": "d2", "address": "x"},
        "d": {"device": "d3", "address": "z"},
    }
    found = assess(log.events, attributes, (LinkedAccountsFill(),))
    assert found == (
        RiskFinding(
            "self_filled_group",
            "leader a filled group g1 with 2 accounts linked to them: b (device), c (address)",
            ("a", "b", "c"),
            (0, 2, 3),
        ),
    )


def test_one_linked_joiner_is_below_the_default_threshold() -> None:
    """One joiner on the leader's device is a household, not a fill: min_linked is 2."""
    log = EventLog().open("g1", "a", 0).join("g1", "b", 1)
    attributes = {"a": {"device": "d1"}, "b": {"device": "d1"}}
    assert assess(log.events, attributes, (LinkedAccountsFill(),)) == ()
    assert len(assess(log.events, attributes, (LinkedAccountsFill(min_linked=1),))) == 1


def test_new_customer_coupon_used_twice_by_one_member() -> None:
    """b takes new10 in g1 and again in g2: one finding by member."""
    log = EventLog().open("g1", "a").join("g1", "b", 1, ("new10",))
    log.open("g2", "c", 2).join("g2", "b", 3, ("new10",))
    found = assess(log.events, {}, (NewCustomerCouponAbuse({"new10"}),))
    assert found == (
        RiskFinding(
            "new_customer_coupon_abuse",
            "b used a new-customer coupon in 2 orders (g1, g2)",
            ("b",),
            (2, 5),
        ),
    )


def test_new_customer_coupons_farmed_from_one_device() -> None:
    """b, c and d each take new10 once, all from device d9: 3 accounts, at most 1 allowed."""
    log = EventLog().open("g1", "a")
    for offset, member in enumerate("bcd", start=1):
        log.join("g1", member, offset, ("new10",))
    attributes = {m: {"device": "d9"} for m in "bcd"}
    found = assess(log.events, attributes, (NewCustomerCouponAbuse({"new10"}),))
    assert [(f.rule, f.members, f.events) for f in found] == [
        ("new_customer_coupon_abuse", ("b", "c", "d"), (2, 3, 4))
    ]
    assert found[0].reason.startswith("3 accounts took new-customer coupons from device d9")


def test_other_coupons_do_not_count_as_new_customer() -> None:
    """Joins without the new-customer coupon are not coupon abuse."""
    log = EventLog().open("g1", "a").join("g1", "b", 1).join("g1", "c", 2)
    attributes = {m: {"device": "d9"} for m in "bc"}
    assert assess(log.events, attributes, (NewCustomerCouponAbuse({"new10"}),)) == ()


def test_findings_are_sorted_by_rule_then_first_event() -> None:
    """Several rules at once come back in rule-code order."""
    log = EventLog().open("g1", "a", 0).join("g1", "b", 1).join("g1", "c", 2)
    log.join("g1", "d", 3, ("new10",)).join("g1", "e", 4, ("new10",))
    attributes = {m: {"device": "d1"} for m in "abcde"}
    rules = (NewCustomerCouponAbuse({"new10"}), *DEFAULT_RULES)
    assert [f.rule for f in assess(log.events, attributes, rules)] == [
        "new_customer_coupon_abuse",
        "orders_per_device",
        "self_filled_group",
    ]


def test_finding_data_is_json_safe() -> None:
    """to_data gives lists and strings only."""
    finding = RiskFinding("r", "why", ("a",), (1, 2))
    assert finding.to_data() == {"rule": "r", "reason": "why", "members": ["a"], "events": [1, 2]}


def test_rules_refuse_bad_settings() -> None:
    """A zero threshold, a non-positive window, no link attributes or no coupons: invalid_rule."""
    for build in (
        lambda: OrderBurst("device", 0),
        lambda: OrderBurst("device", 3, timedelta(0)),
        lambda: LinkedAccountsFill(()),
        lambda: NewCustomerCouponAbuse(()),
    ):
        with pytest.raises(TuangouError) as caught:
            build()
        assert caught.value.code == "invalid_rule"


def test_attributes_must_be_a_mapping() -> None:
    """A list of attributes is refused with invalid_attributes."""
    with pytest.raises(TuangouError) as caught:
        assess([], [])  # type: ignore[arg-type]
    assert caught.value.code == "invalid_attributes"
