"""Metrics over event logs: each figure hand-computed on one worked log, and the empty log."""

from __future__ import annotations

import json
from datetime import timedelta
from fractions import Fraction

import pytest
from hypothesis import given

from strategies import EventLog, event_logs
from tuangou_core.errors import TuangouError
from tuangou_core.group import Event
from tuangou_core.money import Money, Rate
from tuangou_core.refunds import RefundReason
from tuangou_core.reporting import (
    FORMED_WITHIN_24H_TARGET,
    HEALTHY_SUCCESS_RATE,
    FunnelStep,
    InviteEntry,
    LeaderPerformance,
    fission_coefficient,
    formed_within,
    funnel,
    invite_leaderboard,
    leader_performance,
    log_facts,
    metrics_output,
    money_totals,
    nearest_rank,
    refund_rate,
    report,
    success_rate,
    time_to_form,
)


def worked_log() -> list[Event]:
    """The log of docs/metrics.md: four groups, two formed, one failed, one open.

    g1: a opens at 0, b and c join and pay; formed at 60 min; b shipped; c refunded ¥20.
    g2: d opens at 10, e pays at 11, f joins and pays at 1800; formed at 1810 (30 h).
    g3: a opens at 20, g pays; fails at its 24 h deadline; both refunded ¥70.
    g4: h opens at 30 and pays; still open.
    """
    log = EventLog()
    log.paid_group("g1", ("a", "b", "c"), 0).form("g1", 60)
    log.open("g2", "d", 10).pay("g2", "d", 10).join("g2", "e", 11).pay("g2", "e", 11)
    log.open("g3", "a", 20).pay("g3", "a", 20).join("g3", "g", 21).pay("g3", "g", 21)
    log.open("g4", "h", 30).pay("g4", "h", 30)
    log.fail("g3", 1460, 2, 1460)
    log.refund("g3", "a", 1460, 7000, RefundReason.GROUP_FAILED)
    log.refund("g3", "g", 1460, 7000, RefundReason.GROUP_FAILED)
    log.join("g2", "f", 1800).pay("g2", "f", 1810).form("g2", 1810)
    log.ship("g1", "b", 2000)
    log.refund("g1", "c", 3000, 2000)
    return log.events


def test_success_rate_excludes_open_groups() -> None:
    """2 formed and 1 failed: 2/3; the open g4 is left out."""
    assert success_rate(worked_log()) == Rate(Fraction(2, 3))


def test_time_to_form_is_nearest_rank() -> None:
    """Times 1 h and 30 h: the median is the lower one (rank ⌈1⌉), p90 the upper (rank ⌈1.8⌉)."""
    assert time_to_form(worked_log()) == (timedelta(hours=1), timedelta(hours=30))


def test_nearest_rank_picks_a_real_value() -> None:
    """Of 1..10 minutes the median is 5 and p90 is 9; of one value, every percentile is it."""
    values = [timedelta(minutes=n) for n in range(10, 0, -1)]
    assert nearest_rank(values, Fraction(1, 2)) == timedelta(minutes=5)
    assert nearest_rank(values, Fraction(9, 10)) == timedelta(minutes=9)
    assert nearest_rank(values, 1) == timedelta(minutes=10)
    assert nearest_rank([timedelta(0)], Fraction(1, 100)) == timedelta(0)


def test_nearest_rank_refuses_a_percentile_outside_the_unit_interval() -> None:
    """0, above 1, and floats are refused with invalid_percentile."""
    for bad in (0, 2, 0.5):
        with pytest.raises(TuangouError) as caught:
            nearest_rank([timedelta(0)], bad)  # type: ignore[arg-type]
        assert caught.value.code == "invalid_percentile"


def test_time_to_form_uses_the_due_instant_when_the_deadline_formed_it() -> None:
    """A group formed by its deadline at 24 h but noticed at 30 h took 24 h."""
    log = EventLog().paid_group("g1", ("a", "b"), 0).form("g1", 1800, size=2, due_minutes=1440)
    assert time_to_form(log.events) == (timedelta(hours=24), timedelta(hours=24))
    assert formed_within(log.events) == Rate(1)


def test_formed_within_24h_share() -> None:
    """One of the two formed groups (g1 in 1 h; g2 in 30 h) formed within 24 h: 1/2."""
    assert formed_within(worked_log()) == Rate("1/2")


def test_formed_within_counts_exactly_24h_as_within() -> None:
    """A group formed exactly 24 h after opening is within the window."""
    log = EventLog().paid_group("g1", ("a", "b", "c"), 0).form("g1", 1440)
    assert formed_within(log.events) == Rate(1)


def test_fission_is_joiners_per_group_opened() -> None:
    """Joiners b, c, e, f, g over 4 groups opened: 5/4."""
    assert fission_coefficient(worked_log()) == Rate("1.25")


def test_funnel_counts_orders_at_each_stage() -> None:
    """opened 4 → joined 9 → paid 9 → formed 6 → shipped 1, with each stage's conversion."""
    assert funnel(worked_log()) == (
        FunnelStep("opened", 4, None),
        FunnelStep("joined", 9, Rate("9/4")),
        FunnelStep("paid", 9, Rate(1)),
        FunnelStep("formed", 6, Rate("2/3")),
        FunnelStep("shipped", 1, Rate("1/6")),
    )


def test_funnel_leaves_out_withdrawn_and_lottery_losers() -> None:
    """A member who left before forming and a lottery loser are paid but not formed."""
    log = EventLog().paid_group("g1", ("a", "b", "c"), 0)
    log.refund("g1", "c", 5, 7000, RefundReason.CANCELLED)
    log.form("g1", 10, size=2)
    log.refund("g1", "b", 11, 7000, RefundReason.LOTTERY_LOST)
    assert [(s.stage, s.orders) for s in funnel(log.events)] == [
        ("opened", 1),
        ("joined", 3),
        ("paid", 3),
        ("formed", 1),
        ("shipped", 0),
    ]


def test_money_totals_and_refund_rate() -> None:
    """GMV 9 × ¥70 = ¥630; refunded ¥20 + 2 × ¥70 = ¥160; net ¥470; refund rate 160/630."""
    assert money_totals(worked_log()) == (Money(63000), Money(16000), Money(47000))
    assert refund_rate(worked_log()) == Rate(Fraction(16, 63))


def test_unsettled_cash_counts_in_gmv_and_its_refund_too() -> None:
    """A mismatched payment refunded at once adds to GMV and refunds, not to net."""
    log = EventLog().open("g1", "a").pay("g1", "a", 1, amount=6000, settles=False)
    log.refund("g1", "a", 1, 6000, RefundReason.AMOUNT_MISMATCH)
    assert money_totals(log.events) == (Money(6000), Money(6000), Money(0))
    assert refund_rate(log.events) == Rate(1)


def test_leader_performance_per_opener() -> None:
    """a: 2 groups, 1 formed, 5 paid members, net ¥190; d: 1, 1, 3, ¥210; h: 1, 0, 1, ¥70."""
    assert leader_performance(worked_log()) == (
        LeaderPerformance("a", 2, 1, 5, Money(19000)),
        LeaderPerformance("d", 1, 1, 3, Money(21000)),
        LeaderPerformance("h", 1, 0, 1, Money(7000)),
    )


def test_invite_leaderboard_ranks_by_joiners_then_id() -> None:
    """a brought 3 (b, c, g), d 2 (e, f), h none; top 2 keeps a and d."""
    events = worked_log()
    assert invite_leaderboard(events) == (
        InviteEntry("a", 3),
        InviteEntry("d", 2),
        InviteEntry("h", 0),
    )
    assert invite_leaderboard(events, top=2) == (InviteEntry("a", 3), InviteEntry("d", 2))


def test_invite_leaderboard_breaks_ties_by_opener_id() -> None:
    """Two openers with one joiner each are listed in id order."""
    log = EventLog().open("g2", "z").join("g2", "y", 1).open("g1", "b", 2).join("g1", "x", 3)
    assert invite_leaderboard(log.events) == (InviteEntry("b", 1), InviteEntry("z", 1))


def test_invite_leaderboard_refuses_a_top_below_one() -> None:
    """top=0 is refused with invalid_top."""
    with pytest.raises(TuangouError) as caught:
        invite_leaderboard([], top=0)
    assert caught.value.code == "invalid_top"


def test_report_of_the_worked_log() -> None:
    """The report gathers every figure above, and its JSON data says the same."""
    metrics = report(worked_log())
    assert (metrics.groups_opened, metrics.groups_formed) == (4, 2)
    assert (metrics.groups_failed, metrics.groups_open) == (1, 1)
    assert metrics.success_rate_healthy is False  # 66.67% is above 45–60%
    assert metrics.formed_within_24h_on_target is False  # 50% is not above 70%
    data = metrics.to_data()
    assert data["success_rate"] == "2/3"
    assert data["time_to_form_seconds"] == {"median": 3600, "p90": 108000}
    assert data["fission"] == "1.25"
    assert data["refund_rate"] == "16/63"
    assert (data["gmv"], data["refunded"], data["net"]) == ("630.00", "160.00", "470.00")
    assert data["leaders"][0] == {
        "leader": "a",
        "groups_opened": 2,
        "groups_formed": 1,
        "members": 5,
        "net": "190.00",
    }
    assert json.loads(json.dumps(data)) == data


def test_report_text_reads_the_figures() -> None:
    """The text shows the rates as percentages beside the healthy ranges."""
    text = report(worked_log()).text()
    assert "success rate  66.67%   (healthy 45%–60%, open groups excluded)" in text
    assert "median 1h00m00s, p90 30h00m00s" in text
    assert "within 24 h   50.00%" in text
    assert "opened 4 → joined 9 (225.00%)" in text
    assert "refund rate 25.40%" in text
    assert "invites       a 3, d 2, h 0" in text


def test_empty_log_defines_every_metric() -> None:
    """No events: counts and amounts zero, rates and times None, no rows."""
    metrics = report([])
    assert (metrics.groups_opened, metrics.groups_formed, metrics.groups_failed) == (0, 0, 0)
    assert metrics.success_rate is None
    assert metrics.success_rate_healthy is None
    assert (metrics.time_to_form_median, metrics.time_to_form_p90) == (None, None)
    assert metrics.formed_within_24h is None
    assert metrics.formed_within_24h_on_target is None
    assert metrics.fission is None
    assert [(s.orders, s.conversion) for s in metrics.funnel] == [(0, None)] * 5
    assert (metrics.gmv, metrics.refunded, metrics.net) == (Money(0), Money(0), Money(0))
    assert metrics.refund_rate is None
    assert (metrics.leaders, metrics.invites) == ((), ())
    text, data = metrics_output([])
    assert "success rate  —" in text
    assert data["success_rate"] is None and data["gmv"] == "0.00"


def test_report_in_another_currency_refuses_cny_amounts() -> None:
    """A JPY report over a CNY log is refused with currency_mismatch, naming the event."""
    with pytest.raises(TuangouError) as caught:
        report(worked_log(), currency="JPY")
    assert caught.value.code == "currency_mismatch"
    assert caught.value.fields["field"] == "events[2].amount"


def test_an_item_that_is_not_an_event_is_refused() -> None:
    """A dict in the log is refused with unknown_event, naming its index."""
    with pytest.raises(TuangouError) as caught:
        log_facts([{"type": "open"}])  # type: ignore[list-item]
    assert caught.value.code == "unknown_event"
    assert caught.value.fields["field"] == "events[0]"


def test_healthy_reference_values_are_the_seeds() -> None:
    """成团率 45–60% and 24小时成团占比 above 70%, as exact rates."""
    assert [str(rate) for rate in HEALTHY_SUCCESS_RATE] == ["0.45", "0.6"]
    assert str(FORMED_WITHIN_24H_TARGET) == "0.7"


@given(events=event_logs())
def test_funnel_never_grows_after_paid(events: list[Event]) -> None:
    """paid ≥ formed ≥ shipped, and every defined rate lies in [0, 1]."""
    steps = {s.stage: s.orders for s in funnel(events)}
    assert steps["paid"] >= steps["formed"] >= steps["shipped"]
    metrics = report(events)
    for rate in (metrics.success_rate, metrics.formed_within_24h, metrics.refund_rate):
        assert rate is None or Rate(0) <= rate <= Rate(1)
    assert metrics.net == metrics.gmv - metrics.refunded
