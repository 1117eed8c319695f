"""Metrics over event logs: each figure of docs/metrics.md computed by hand on the worked
day (examples/metrics_worked_day.toml, replayed through the decider), the edges each
definition decides, and the law that counts add across campaigns."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from fractions import Fraction
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given

from strategies import EventLog, event_logs
from tuangou_core.errors import TuangouError
from tuangou_core.group import Event, MemberJoined, run
from tuangou_core.interchange import load, settle
from tuangou_core.money import Money, Rate
from tuangou_core.refunds import RefundReason
from tuangou_core.reporting import (
    FORMED_WITHIN_24H_TARGET,
    HEALTHY_SUCCESS_RATE,
    FunnelStep,
    InviteEntry,
    LeaderPerformance,
    MetricCounts,
    Metrics,
    TimeHistogram,
    combine,
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

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
WORKED = EXAMPLES / "metrics_worked_day.toml"
SCENARIOS = sorted(
    p for p in EXAMPLES.iterdir() if p.suffix in (".toml", ".json") and ".expected" not in p.name
)


def _log(path: Path) -> list[Event]:
    scenario = load(path)
    steps, _fold = run(scenario.campaign, scenario.commands)
    return [event for step in steps for event in step.events]


def worked() -> Metrics:
    return report(_log(WORKED))


# -- the worked day, figure by figure (docs/metrics.md, "Worked example") ---------------------


def test_success_rate_counts_real_groups_of_the_closed_ones() -> None:
    """g1 formed by its members; g2 virtually; g3 failed; g4 open, left out: 1/3 and 1/3."""
    m = worked()
    c = m.counts
    assert (c.groups_opened, c.groups_formed, c.groups_formed_virtual) == (4, 1, 1)
    assert (c.groups_failed, c.groups_open, c.virtual_fillers) == (1, 1, 1)
    assert m.success_rate == Rate(Fraction(1, 3))
    assert m.virtual_rate == Rate(Fraction(1, 3))
    assert m.success_rate_healthy is False  # 33.33% is below 45–60%


def test_time_to_form_counts_real_formations_only() -> None:
    """g1 opened 10:00 and formed 10:44: 44 min; g2's virtual completion is not a formation
    by people and is left out: median = p90 = 44 min, 1 of 1 within 24 h."""
    m = worked()
    assert (m.time_to_form_median, m.time_to_form_p90) == (timedelta(minutes=44),) * 2
    assert m.formed_within_24h == Rate(1)
    assert m.formed_within_24h_on_target is True


def test_funnels_are_one_unit_each() -> None:
    """Groups: opened 4 → formed 1. Orders: joined 8 → paid 7 (i never paid) → formed 5
    (g1's 3 and g2's 2) → shipped 1 (b)."""
    m = worked()
    assert m.group_funnel == (
        FunnelStep("groups", "opened", 4, None),
        FunnelStep("groups", "formed", 1, Rate("1/4")),
    )
    assert m.order_funnel == (
        FunnelStep("orders", "joined", 8, None),
        FunnelStep("orders", "paid", 7, Rate("7/8")),
        FunnelStep("orders", "formed", 5, Rate("5/7")),
        FunnelStep("orders", "shipped", 1, Rate("1/5")),
    )
    assert funnel(_log(WORKED)) == m.group_funnel + m.order_funnel


def test_fission_is_invited_joins_per_share() -> None:
    """Shares: 4 openings, and b (in g1) and z (in g4) named as inviters who are not the
    opener = 6. Joins naming an inviter: b (a), c (b), e (d), i (z) = 4: 4/6 = 2/3."""
    m = worked()
    assert (m.counts.shares, m.counts.invited_joins, m.counts.invited_paid) == (6, 4, 3)
    assert m.fission == Rate("2/3")
    assert m.invited_share == Rate(1)
    assert m.invite_conversion == Rate("3/4")
    assert fission_coefficient(_log(WORKED)) == Rate("2/3")


def test_gmv_is_the_orders_own_cash_and_stray_money_is_apart() -> None:
    """7 settled orders × 70 = 490.00; e's duplicate and x's payment naming no order
    (140.00, 2 payments) are neither GMV nor refunds. Refunded: f 70 (group failed) + c 20
    (after-sales) = 90.00; net 400.00; refund rate 90/490 = 9/49."""
    m = worked()
    assert (m.gmv, m.refunded, m.net) == (Money(49000), Money(9000), Money(40000))
    assert m.refund_rate == Rate(Fraction(9, 49))
    assert m.refunds_by_reason == (("after_sales", Money(2000)), ("group_failed", Money(7000)))
    assert (m.stray, m.counts.stray_payments) == (Money(14000), 2)
    assert money_totals(_log(WORKED)) == (Money(49000), Money(9000), Money(40000))
    assert refund_rate(_log(WORKED)) == Rate(Fraction(9, 49))


def test_leaders_and_invites_of_the_worked_day() -> None:
    """Openers a, d, f, h with their groups' paid orders and net; inviters a, b, d, z with one
    join each (z's did not pay), ranked by joins then id."""
    assert leader_performance(_log(WORKED)) == (
        LeaderPerformance("a", 1, 1, 3, Money(19000)),
        LeaderPerformance("d", 1, 1, 2, Money(14000)),
        LeaderPerformance("f", 1, 0, 1, Money(0)),
        LeaderPerformance("h", 1, 0, 1, Money(7000)),
    )
    assert invite_leaderboard(_log(WORKED)) == (
        InviteEntry("a", 1, 1),
        InviteEntry("b", 1, 1),
        InviteEntry("d", 1, 1),
        InviteEntry("z", 1, 0),
    )
    assert invite_leaderboard(_log(WORKED), top=2) == (
        InviteEntry("a", 1, 1),
        InviteEntry("b", 1, 1),
    )


def test_the_worked_day_in_json_and_text() -> None:
    """The data carries every figure and the counts behind it; the text the healthy ranges."""
    m = worked()
    data = m.to_data()
    assert json.loads(json.dumps(data)) == data
    assert data["success_rate"] == "1/3"
    assert data["virtual_rate"] == "1/3"
    assert data["groups"]["closed"] == 3
    assert data["time_to_form_seconds"] == {"median": 2640, "p90": 2640}
    assert data["time_to_form_minutes"] == [[44, 1]]
    assert data["fission"]["coefficient"] == "2/3"
    assert data["funnel"]["orders"][1] == {"stage": "paid", "count": 7, "conversion": "0.875"}
    assert (data["gmv"], data["refunded"], data["net"]) == ("490.00", "90.00", "400.00")
    assert data["stray"] == {"payments": 2, "amount": "140.00"}
    assert data["healthy_success_rate"] == ["0.45", "0.6"]
    text = m.text()
    assert "33.33% (1 of 3 closed groups)" in text
    assert "healthy 45%–60%: below" in text and "target >70%: met" in text
    assert "opened 4 → formed 1 (25.00%)" in text
    assert "joined 8 → paid 7 (87.50%) → formed 5 (71.43%) → shipped 1 (20.00%)" in text
    assert "140.00 in 2 payments" in text


def test_metric_records_carry_each_figure_with_its_counts() -> None:
    """One record per figure: the rate with its exact numerator and denominator, amounts in
    minor units, the healthy range beside the success rate."""
    records = {r["figure"]: r for r in worked().to_records()}
    success = records["success_rate"]
    assert (success["numerator"], success["denominator"]) == (1, 3)
    assert success["rate"] == 1 / 3
    assert (success["healthy"], success["on_target"]) == ("45%–60%", False)
    assert records["gmv"]["amount_minor"] == 49000
    assert records["time_to_form_median"]["seconds"] == 2640
    assert records["funnel_orders_shipped"]["count"] == 1
    assert records["invite_conversion"]["denominator"] == 4


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.name)
def test_every_example_agrees_with_its_statement(path: Path) -> None:
    """Net is the statement's net; GMV plus stray money is what the statement says was paid;
    refunded plus stray money is what it says went back."""
    statement = settle(load(path))
    m = report(_log(path), currency=statement.currency)
    assert m.net.minor == statement.net.minor
    assert m.gmv.minor + m.stray.minor == statement.paid.minor
    assert m.refunded.minor + m.stray.minor == statement.refunded.minor


# -- the edges each definition decides --------------------------------------------------------


def test_three_callbacks_for_one_order_are_one_order_of_gmv() -> None:
    """The issue's case: an order of 70.00 paid three times. GMV 70.00, no refund rate from
    the two duplicates, which are stray money sent straight back."""
    log = EventLog().open("g1", "a").pay("g1", "a", 1)
    for n in (2, 3):
        log.pay("g1", "a", n, settles=False)
        log.refund("g1", "a", n, 7000, RefundReason.DUPLICATE_PAYMENT, sequence=n)
    m = report(log.events)
    assert (m.gmv, m.refunded, m.refund_rate) == (Money(7000), Money(0), Rate(0))
    assert (m.stray, m.counts.stray_payments) == (Money(14000), 2)


def test_a_mismatched_payment_is_stray_not_gmv() -> None:
    """A wrong amount sent straight back adds nothing to GMV, refunds or net."""
    log = EventLog().open("g1", "a").pay("g1", "a", 1, amount=6000, settles=False)
    log.refund("g1", "a", 1, 6000, RefundReason.AMOUNT_MISMATCH)
    assert money_totals(log.events) == (Money(0), Money(0), Money(0))
    assert refund_rate(log.events) is None
    assert report(log.events).stray == Money(6000)


def test_success_rate_excludes_open_groups() -> None:
    """One formed, one failed, one open: 1/2."""
    log = EventLog().paid_group("g1", ("a", "b", "c"), 0).form("g1", 60)
    log.paid_group("g2", ("d",), 10).fail("g2", 1450, 1, 1450)
    log.paid_group("g3", ("e",), 20)
    assert success_rate(log.events) == Rate("1/2")


def test_time_to_form_uses_the_due_instant_when_the_deadline_formed_it() -> None:
    """A group formed by its deadline at 24 h but noticed at 30 h took 24 h."""
    log = EventLog().paid_group("g1", ("a", "b"), 0).form("g1", 1800, size=2, due_minutes=1440)
    assert time_to_form(log.events) == (timedelta(hours=24), timedelta(hours=24))
    assert formed_within(log.events) == Rate(1)


def test_times_are_counted_in_whole_minutes_rounded_up() -> None:
    """24 h and one second is 1441 minutes, past the 24 h target; 59 s is 1 minute."""
    histogram = TimeHistogram.of([timedelta(hours=24, seconds=1), timedelta(seconds=59)])
    assert histogram.buckets == ((1, 1), (1441, 1))
    assert histogram.within(timedelta(hours=24)) == 1
    assert histogram.percentile(1) == timedelta(minutes=1441)
    assert histogram.percentile(Fraction(1, 2)) == timedelta(minutes=1)


def test_the_histogram_median_is_the_nearest_rank() -> None:
    """Of 1..10 minutes the median is 5 and p90 is 9, as nearest_rank over the values."""
    values = [timedelta(minutes=n) for n in range(10, 0, -1)]
    histogram = TimeHistogram.of(values)
    for p in (Fraction(1, 2), Fraction(9, 10), 1, Fraction(1, 100)):
        assert histogram.percentile(p) == nearest_rank(values, p)
    assert histogram.percentile(Fraction(1, 2)) == timedelta(minutes=5)


def test_percentiles_outside_the_unit_interval_are_refused() -> None:
    """0, above 1, and floats are refused with invalid_percentile, by both readers."""
    bad: Any
    for bad in (0, 2, 0.5):
        with pytest.raises(TuangouError) as caught:
            nearest_rank([timedelta(0)], bad)
        assert caught.value.code == "invalid_percentile"
        with pytest.raises(TuangouError) as caught:
            TimeHistogram().percentile(bad)
        assert caught.value.code == "invalid_percentile"


def test_a_histogram_of_junk_is_refused() -> None:
    """Buckets are (minutes, count) pairs of whole numbers, not negative."""
    for bad in ([(1, -1)], [(1.5, 1)], [(1,)], 7):
        with pytest.raises(TuangouError) as caught:
            TimeHistogram(bad)
        assert caught.value.code == "invalid_histogram"


def test_funnel_leaves_out_withdrawn_and_lottery_losers() -> None:
    """A member who left before forming and a lottery loser are paid but not formed."""
    log = EventLog().paid_group("g1", ("a", "b", "c"), 0)
    log.refund("g1", "c", 5, 7000, RefundReason.CANCELLED)
    log.form("g1", 10, size=2)
    log.refund("g1", "b", 11, 7000, RefundReason.LOTTERY_LOST)
    assert [(s.stage, s.count) for s in report(log.events).order_funnel] == [
        ("joined", 3),
        ("paid", 3),
        ("formed", 1),
        ("shipped", 0),
    ]


def test_a_log_without_inviters_has_no_fission_facts() -> None:
    """Joins that name no inviter bring no invited joins: fission 0 of the openings, and the
    invited share says the log carries no invite facts at all."""
    log = EventLog().paid_group("g1", ("a", "b", "c"), 0)
    m = report(log.events)
    assert (m.fission, m.invited_share, m.invite_conversion) == (Rate(0), Rate(0), None)
    assert m.invites == ()


def test_an_invite_by_the_opener_is_not_a_second_share() -> None:
    """The opener's invite is the opening's share; another member's invite is a new one."""
    log = EventLog().open("g1", "a")
    for member, inviter in (("b", "a"), ("c", "a"), ("d", "b")):
        log.join("g1", member, 1)
        joined = log.events[-1]
        assert isinstance(joined, MemberJoined)
        log.events[-1] = attrs.evolve(joined, inviter=inviter)
    m = report(log.events)
    assert (m.counts.shares, m.counts.invited_joins) == (2, 3)
    assert m.fission == Rate("3/2")


def test_empty_log_defines_every_metric() -> None:
    """No events: counts and amounts zero, rates and times None, no rows."""
    m = report([])
    assert m.closed == 0
    assert (m.success_rate, m.virtual_rate, m.success_rate_healthy) == (None, None, None)
    assert (m.time_to_form_median, m.time_to_form_p90) == (None, None)
    assert (m.formed_within_24h, m.formed_within_24h_on_target) == (None, None)
    assert (m.fission, m.refund_rate) == (None, None)
    assert [(s.count, s.conversion) for s in m.group_funnel + m.order_funnel] == [(0, None)] * 6
    assert (m.gmv, m.refunded, m.net, m.stray) == (Money(0),) * 4
    assert (m.leaders, m.invites) == ((), ())
    text, data = metrics_output([])
    assert "success rate     — (0 of 0 closed groups)" in text
    assert data["success_rate"] is None and data["gmv"] == "0.00"


def test_report_in_another_currency_refuses_cny_amounts() -> None:
    """A JPY report over a CNY log is refused with currency_mismatch, naming the event."""
    with pytest.raises(TuangouError) as caught:
        report(_log(WORKED), currency="JPY")
    assert caught.value.code == "currency_mismatch"
    assert caught.value.fields["field"].startswith("events[")


def test_an_item_that_is_not_an_event_is_refused() -> None:
    """A dict in the log is refused with unknown_event, naming its index."""
    with pytest.raises(TuangouError) as caught:
        log_facts([{"type": "open"}])  # type: ignore[list-item]
    assert caught.value.code == "unknown_event"
    assert caught.value.fields["field"] == "events[0]"


def test_top_below_one_is_refused() -> None:
    """top=0 is refused with invalid_top, by the leaderboard and the report."""
    for call in (lambda: invite_leaderboard([], top=0), lambda: report([], top=0)):
        with pytest.raises(TuangouError) as caught:
            call()
        assert caught.value.code == "invalid_top"


def test_healthy_reference_values_are_the_seeds() -> None:
    """成团率 45–60% and 24小时成团占比 above 70%, as exact rates."""
    assert [str(rate) for rate in HEALTHY_SUCCESS_RATE] == ["0.45", "0.6"]
    assert str(FORMED_WITHIN_24H_TARGET) == "0.7"


# -- mergeable: counts add across campaigns --------------------------------------------------


def _renamed(events: list[Event], prefix: str) -> list[Event]:
    renamed: list[Event] = []
    for event in events:
        changes: dict[str, object] = {"group": prefix + event.group}
        renamed.append(attrs.evolve(event, **changes))  # type: ignore[arg-type]
    return renamed


@given(first=event_logs(), second=event_logs())
def test_counts_of_two_logs_add_up_to_the_counts_of_both(
    first: list[Event], second: list[Event]
) -> None:
    """report(A) + report(B) has exactly the counts of report(A then B): every figure of a
    day of campaigns is read off summed counts, medians off the summed histogram."""
    second = _renamed(second, "B-")
    both = report([*first, *second]).counts
    added = combine([report(first), report(second)]).counts
    assert attrs.evolve(added, campaigns=1) == both
    assert added.campaigns == 2
    assert (report(first) + report(second)).counts == added


def test_combining_two_campaigns_reads_figures_off_the_sums() -> None:
    """The worked day and the milk-tea shop together: successes and closed groups add, the
    success rate is their quotient (not the mean of the two rates), GMV adds."""
    day, shop = worked(), report(_log(EXAMPLES / "milk_tea_shanghai.toml"))
    both = combine([day, shop])
    formed = day.counts.groups_formed + shop.counts.groups_formed
    assert both.success_rate == Rate(Fraction(formed, day.closed + shop.closed))
    assert both.gmv == day.gmv + shop.gmv
    assert both.counts.formation.total == day.counts.formation.total + shop.counts.formation.total


def test_combining_nothing_or_mixed_currencies_is_refused() -> None:
    """No reports, a non-report, or two currencies: invalid_reports."""
    jpy = Metrics(MetricCounts("JPY"))
    for bad in ([], ["nope"], [worked(), jpy]):
        with pytest.raises(TuangouError) as caught:
            combine(bad)  # type: ignore[arg-type]
        assert caught.value.code == "invalid_reports"


@given(events=event_logs())
def test_funnel_never_grows_after_paid(events: list[Event]) -> None:
    """paid ≥ formed ≥ shipped, every defined rate lies in [0, 1], net = GMV − refunded."""
    m = report(events)
    steps = {s.stage: s.count for s in m.order_funnel}
    assert steps["paid"] >= steps["formed"] >= steps["shipped"]
    for rate in (m.success_rate, m.virtual_rate, m.formed_within_24h, m.refund_rate):
        assert rate is None or Rate(0) <= rate <= Rate(1)
    assert m.net == m.gmv - m.refunded


def test_a_datetime_is_needed_for_every_instant() -> None:
    """The worked day's instants are aware datetimes (the records' UTC conversion needs it)."""
    assert all(isinstance(e.at, datetime) and e.at.tzinfo for e in _log(WORKED))
