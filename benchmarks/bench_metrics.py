"""Metrics, risk, rewards and pickup over one large log: 2 000 groups of 5, built once."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from benchmarks import Benchmark
from tuangou_core.campaign import Campaign, FixedRule
from tuangou_core.group import (
    Event,
    GroupFailed,
    GroupFormed,
    GroupOpened,
    MemberJoined,
    OrderPaid,
    OrderShipped,
    PaymentReceived,
    RefundDue,
)
from tuangou_core.money import Money
from tuangou_core.operations import (
    InvitePolicy,
    PickupPoint,
    RewardPolicy,
    assess,
    pickup_day,
    rewards,
)
from tuangou_core.pricing import quote_member
from tuangou_core.refunds import RefundReason
from tuangou_core.reporting import report

_GROUPS = 2_000
_SIZE = 5
_START = datetime(2026, 3, 1, 10, 0, tzinfo=timezone(timedelta(hours=8)))
_CAMPAIGN = Campaign("bench", Money(10_000), FixedRule(_SIZE, Money(7_000)))
_QUOTE = quote_member(_CAMPAIGN, unit_price=Money(7_000))


def _group_events(g: int) -> list[Event]:
    group, opened = f"g{g}", _START + timedelta(minutes=g)
    members = [f"u{(g * _SIZE + i) % 3_000}" for i in range(_SIZE)]
    events: list[Event] = [GroupOpened(opened, group, members[0], opened + timedelta(hours=24))]
    fails = g % 3 == 0  # a third of the groups fail with four paid members
    for i, member in enumerate(members[: _SIZE - 1] if fails else members):
        at = opened + timedelta(minutes=i * 7)
        role = "opener" if i == 0 else "joiner"
        pid = f"p-{group}-{member}"
        events += [
            MemberJoined(at, group, member, 1, role, _QUOTE, at + timedelta(minutes=15)),
            PaymentReceived(at, group, member, pid, Money(7_000), "wechat"),
            OrderPaid(at, group, member, pid),
        ]
    if fails:
        due = opened + timedelta(hours=24)
        events.append(GroupFailed(due, group, _SIZE - 1, due))
        for member in members[: _SIZE - 1]:
            pid = f"p-{group}-{member}"
            events.append(
                RefundDue(
                    due, group, member, pid + "-r1", pid, Money(7_000), RefundReason.GROUP_FAILED
                )
            )
    else:
        formed = opened + timedelta(minutes=(g % 50) * 60)
        events.append(GroupFormed(formed, group, _SIZE, 0, Money(7_000)))
        events.extend(OrderShipped(formed, group, m) for m in members)
    return events


_LOG: list[Event] = [e for g in range(_GROUPS) for e in _group_events(g)]
_EVENTS = len(_LOG)
_ATTRIBUTES = {f"u{i}": {"device": f"d{i % 700}", "address": f"a{i % 900}"} for i in range(3_000)}
_POLICY = RewardPolicy(care_coupon="care5", invite=InvitePolicy("invite10"))
_POINTS = tuple(PickupPoint(f"P{i}") for i in range(20))
_POINT_OF = {f"u{i}": f"P{i % 20}" for i in range(3_000)}
_UNIT = f"log of {_EVENTS} events"

BENCHMARKS = [
    Benchmark("report", lambda: report(_LOG), _UNIT),
    Benchmark("risk_default_rules", lambda: assess(_LOG, _ATTRIBUTES), _UNIT),
    Benchmark("rewards", lambda: rewards(_LOG, _POLICY), _UNIT),
    Benchmark("pickup_day", lambda: pickup_day(_LOG, _POINT_OF, _POINTS, date(2026, 3, 3)), _UNIT),
]
