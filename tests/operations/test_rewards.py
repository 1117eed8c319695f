"""Rewards: points on net paid with clawback, care, consolation and invite coupons."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from strategies import EventLog
from tuangou_core.errors import TuangouError
from tuangou_core.group import WinnersDrawn, run
from tuangou_core.interchange import load
from tuangou_core.money import Money, Rate, Rounding
from tuangou_core.operations import (
    CouponGrant,
    InvitePolicy,
    PointsGrant,
    PointsPolicy,
    RewardPolicy,
    coupon_grants,
    points_entries,
    points_grants,
    rewards,
)
from tuangou_core.refunds import RefundReason
from tuangou_core.settlement import (
    Account,
    Side,
    balances,
    holdings,
    journal,
    party_balances,
    trial_balance,
)


def test_empty_log_grants_nothing() -> None:
    """No events: no points, no coupons, an empty balance."""
    found = rewards([], RewardPolicy(care_coupon="care5", invite=InvitePolicy("invite10")))
    assert (found.points, found.coupons) == ((), ())
    assert found.points_by_member() == {}


def test_points_are_earned_on_paid_and_clawed_back_on_refund() -> None:
    """¥70 paid earns 70 points; a ¥20 refund claws back 20, leaving 50 for ¥50 net."""
    log = EventLog().open("g1", "a").pay("g1", "a", 1).refund("g1", "a", 9, 2000)
    grants = points_grants(log.events)
    assert [(g.points, g.reason, g.event) for g in grants] == [
        (70, "earned", 3),
        (-20, "clawback", 4),
    ]
    assert rewards(log.events).points_by_member() == {"a": 50}


def test_points_round_down_on_the_running_net() -> None:
    """¥59.99 earns 59; a ¥0.99 refund leaves ¥59.00, still 59; ¥0.01 more costs 1."""
    log = EventLog().open("g1", "a").pay("g1", "a", 1, amount=5999)
    log.refund("g1", "a", 2, 99).refund("g1", "a", 3, 1, sequence=2)
    assert [g.points for g in points_grants(log.events)] == [59, -1]


def test_points_rate_and_rounding_are_configurable() -> None:
    """1.5 points per yuan half-up: ¥70.33 → 105.495 → 105; the default is 1 per yuan, down."""
    log = EventLog().open("g1", "a").pay("g1", "a", 1, amount=7033)
    policy = PointsPolicy(Rate("1.5"), Rounding.HALF_UP)
    assert [g.points for g in points_grants(log.events, policy)] == [105]
    assert PointsPolicy() == PointsPolicy(Rate(1), Rounding.DOWN)
    assert PointsPolicy(per_unit="2", rounding="half_up").points_for(Money(1999)) == 40


def test_a_full_refund_claws_back_everything() -> None:
    """A failed group refunds ¥70: the 70 points earned come back to 0."""
    log = EventLog().open("g1", "a").pay("g1", "a", 1)
    log.fail("g1", 1440, 1, 1440).refund("g1", "a", 1440, 7000, RefundReason.GROUP_FAILED)
    assert sum(g.points for g in points_grants(log.events)) == 0


def test_unsettled_cash_earns_no_points() -> None:
    """A mismatched payment refunded at once never settled the order: no points, no clawback."""
    log = EventLog().open("g1", "a").pay("g1", "a", 1, amount=6000, settles=False)
    log.refund("g1", "a", 1, 6000, RefundReason.AMOUNT_MISMATCH)
    assert points_grants(log.events) == ()


def test_points_policy_refuses_a_negative_rate() -> None:
    """−1 point per yuan is refused with invalid_rule; a float with float_refused."""
    with pytest.raises(TuangouError) as caught:
        PointsPolicy(Rate(-1))
    assert caught.value.code == "invalid_rule"
    with pytest.raises(TuangouError) as caught:
        PointsPolicy(1.5)
    assert caught.value.code == "float_refused"


def test_care_coupon_for_each_member_still_waiting_when_the_group_fails() -> None:
    """a and c waited for g1 when it failed; b left first (refunded as cancelled): no coupon."""
    log = EventLog().paid_group("g1", ("a", "b", "c"), 0)
    log.refund("g1", "b", 5, 7000, RefundReason.CANCELLED)
    log.fail("g1", 1440, 2, 1440)
    grants = coupon_grants(log.events, RewardPolicy(care_coupon="care5"))
    at = EventLog.at(1440)
    assert grants == (
        CouponGrant("a", "care5", "care", "g1", (3, 11), at),
        CouponGrant("c", "care5", "care", "g1", (9, 11), at),
    )


def test_no_care_coupon_without_a_policy_for_it() -> None:
    """By default no care coupon is named, so a failed group grants none."""
    log = EventLog().open("g1", "a").pay("g1", "a", 1).fail("g1", 1440, 1, 1440)
    assert coupon_grants(log.events, RewardPolicy()) == ()


def test_lottery_losers_get_the_consolation_coupon() -> None:
    """Losers b and c of a drawn lottery get ``sorry5``; the winner gets none."""
    log = EventLog().paid_group("g1", ("a", "b", "c"), 0).form("g1", 3)
    log.events.append(WinnersDrawn(EventLog.at(4), "g1", "s", ("a",), ("c", "b"), "sorry5"))
    grants = coupon_grants(log.events, RewardPolicy())
    assert [(g.member, g.coupon, g.reason) for g in grants] == [
        ("b", "sorry5", "consolation"),
        ("c", "sorry5", "consolation"),
    ]
    assert coupon_grants(log.events, RewardPolicy(consolation=False)) == ()


def test_invite_reward_after_three_paid_invitees() -> None:
    """邀请3人得10元无门槛券: a's third paying invitee (d) earns a the invite10."""
    log = EventLog().paid_group("g1", ("a", "b", "c"), 0)
    log.open("g2", "a", 10).pay("g2", "a", 10).join("g2", "d", 11).join("g2", "e", 12)
    log.pay("g2", "d", 13)
    grants = coupon_grants(log.events, RewardPolicy(invite=InvitePolicy("invite10")))
    assert grants == (CouponGrant("a", "invite10", "invite", "g2", (6, 9, 17), EventLog.at(13)),)


def test_an_opener_who_never_paid_earns_no_invite_reward() -> None:
    """A ghost group's opener (who never paid) gets no invite coupon for the joiners' payments."""
    log = EventLog().paid_group("g1", ("b", "c", "d"), 0)
    log.open("g2", "a", 10).join("g2", "x", 11).join("g2", "y", 12).join("g2", "z", 13)
    log.pay("g2", "x", 14).pay("g2", "y", 14).pay("g2", "z", 14)
    assert coupon_grants(log.events, RewardPolicy(invite=InvitePolicy("invite10"))) == ()


def test_invites_count_distinct_paying_joiners_only() -> None:
    """A joiner who has not paid, and the same friend paying twice, do not make three."""
    log = EventLog().paid_group("g1", ("a", "b", "c"), 0)
    log.open("g2", "a", 10).join("g2", "b", 11).pay("g2", "b", 12).join("g2", "x", 13)
    assert coupon_grants(log.events, RewardPolicy(invite=InvitePolicy("invite10"))) == ()


def test_invite_reward_repeats_every_n_only_when_asked() -> None:
    """Six paying invitees: one reward by default, two with repeat."""
    log = EventLog().paid_group("g1", ("a", "b", "c", "d", "e", "f", "g"), 0)
    once = coupon_grants(log.events, RewardPolicy(invite=InvitePolicy("i", 3)))
    again = coupon_grants(log.events, RewardPolicy(invite=InvitePolicy("i", 3, repeat=True)))
    assert (len(once), len(again)) == (1, 2)


def test_invite_policy_refuses_zero_invitees() -> None:
    """invitees = 0 is refused, naming invite.invitees."""
    with pytest.raises(TuangouError) as caught:
        InvitePolicy("invite10", 0)
    assert caught.value.fields["field"] == "invite.invitees"


def test_grant_data_is_json_safe() -> None:
    """Points and coupon grants serialise to plain values with ISO datetimes."""
    at = EventLog.at(0)
    assert PointsGrant("g1", "a", 70, "earned", 3, at).to_data()["at"] == at.isoformat()
    assert CouponGrant("a", "c", "care", "g1", (1,), at).to_data()["events"] == [1]


EXAMPLES = sorted(
    p
    for p in (Path(__file__).resolve().parents[2] / "examples").iterdir()
    if p.suffix in (".toml", ".json")
    and ".expected" not in p.name
    and "[points]" not in p.read_text(encoding="utf-8")  # a campaign's own points: the journal's
)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_points_flow_through_the_points_liability_and_the_ledger_still_balances(
    path: Path,
) -> None:
    """Journal plus points entries balance; the cash in clearing is what the holders hold, the
    points liability included; each member's points liability is their points' value."""
    scenario = load(path)
    steps, _fold = run(scenario.campaign, scenario.commands)
    events = [event for step in steps for event in step.events]
    granted = rewards(events, currency=scenario.campaign.currency)
    fen = Money(1, scenario.campaign.currency)
    entries = journal(events, scenario.campaign) + points_entries(granted.points, fen)
    assert trial_balance(entries, scenario.campaign.currency).balanced
    cash, held = holdings(balances(entries, scenario.campaign.currency))
    assert cash == held
    by_member = party_balances(entries)
    for member, points in granted.points_by_member().items():
        found = by_member.get((Account.POINTS_LIABILITY, member))
        assert (found.amount if found else 0) == fen.minor * points


def test_points_funded_by_the_platform_come_out_of_its_revenue() -> None:
    """With the platform funding points, platform revenue gives up their value, not the merchant."""
    grant = PointsGrant("g1", "u1", 22, "earned", 3, datetime(2026, 3, 1, 10, tzinfo=UTC))
    (entry,) = points_entries([grant], Money(1), funded_by=Account.PLATFORM_REVENUE)
    assert {(p.account, p.side, p.amount) for p in entry.postings} == {
        (Account.POINTS_LIABILITY, Side.CREDIT, Money(22)),
        (Account.PLATFORM_REVENUE, Side.DEBIT, Money(22)),
    }


@pytest.mark.parametrize(
    ("value", "funder", "code"),
    [
        (Money(0), Account.MERCHANT_PAYABLE, "invalid_point_value"),
        (Money(-1), Account.MERCHANT_PAYABLE, "invalid_point_value"),
        (Money(1), Account.PAYMENT_CLEARING, "invalid_funder"),
    ],
)
def test_points_entries_refuse_a_bad_value_or_funder(
    value: Money, funder: Account, code: str
) -> None:
    """A point worth nothing or less, or funded by the cash itself, is refused with a code."""
    with pytest.raises(TuangouError) as caught:
        points_entries([], value, funded_by=funder)
    assert caught.value.code == code
