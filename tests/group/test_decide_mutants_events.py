"""What the group decider's commands cause, event by event: opening, spilling, joining again,
leaving (paid, unpaid, the opener, the last payer) and the draw. Every figure is the seed's
milk-tea campaign (list 100.00, group price 70.00) worked by hand."""

from __future__ import annotations

from typing import Any

from drivers import Run, at, campaign, cny
from tuangou_core.group import (
    Cancel,
    Draw,
    Event,
    GroupFailed,
    GroupOpened,
    Join,
    LeaderChanged,
    MemberJoined,
    Open,
    OrderCancelled,
    OrderReopened,
    RefundDue,
    StockReleased,
    StockReserved,
    WinnersDrawn,
)
from tuangou_core.refunds import RefundReason

OFF5 = {"id": "off5", "kind": "amount_off", "amount": "5.00"}


def joined(events: tuple[Event, ...]) -> MemberJoined:
    (event,) = [e for e in events if isinstance(e, MemberJoined)]
    return event


def test_an_open_records_the_group_the_opener_and_the_reserved_units() -> None:
    """With a leader price of 60.00 and stock, u1 opening with 2 units and a 5.00 coupon: the
    group opens at 10:00 with a deadline 24 hours on, u1 joins as its opener at 2 × 60.00 −
    5.00 = 115.00, held unpaid until 10:15, and 2 units are reserved."""
    run = Run(campaign(leader_price="60.00", stock=10, coupons=[OFF5]))
    events = run.do(Open(at(0), "g1", "u1", qty=2, coupons=("off5",)))
    assert events[0] == GroupOpened(at(0), "g1", "u1", at(24 * 60), None)
    member = joined(events)
    assert (member.group, member.member, member.qty, member.role) == ("g1", "u1", 2, "opener")
    assert (member.hold_until, member.coupons, member.inviter) == (at(15), ("off5",), None)
    assert member.quote.total == cny("115.00")
    assert events[2:] == (StockReserved(at(0), "g1", "u1", 2),)
    assert len(events) == 3


def test_an_openers_quote_names_the_leader_price() -> None:
    """The opener is quoted as the leader: its price step is 'leader price' (团长价 60%), not
    the 5-person group price a joiner's 60.00 would be named."""
    run = Run(campaign(leader_price="60.00"))
    step = joined(run.do(Open(at(0), "g1", "u1"))).quote.steps[0]
    assert (step.name, step.rule, step.amount) == ("leader price", "团长价 60%", cny("40.00"))


def test_units_are_reserved_only_when_stock_or_a_limit_counts_them() -> None:
    """Without stock or a per-member limit nothing is reserved; with either, the open's units
    are."""
    plain = Run(campaign()).do(Open(at(0), "g1", "u1"))
    assert [type(e) for e in plain] == [GroupOpened, MemberJoined]
    limited = Run(campaign(per_member_limit=5)).do(Open(at(0), "g1", "u1", qty=3))
    assert limited[-1] == StockReserved(at(0), "g1", "u1", 3)


def spilling(**keys: Any) -> Run:
    """Size 2 with spill and a leader price of 60.00: a opened and paid g1, b holds its last
    slot."""
    run = Run(campaign(size=2, overflow="spill", leader_price="60.00", stock=10, **keys))
    run.open("g1", "a")
    run.pay("g1", "a")
    run.join("g1", "b", 1)
    return run


def test_a_spilled_join_opens_a_group_of_the_root_at_the_group_price() -> None:
    """c, invited by a, joins full g1: g1-2 opens for c, spilled from g1, c its opener at the
    group price 70.00 (it took a joiner's place, not a leader's), the inviter kept, and c's
    unit reserved in g1-2."""
    run = spilling()
    events = run.do(Join(at(2), "g1", "c", inviter="a"))
    assert events[0] == GroupOpened(at(2), "g1-2", "c", at(2 + 24 * 60), "g1")
    member = joined(events)
    assert (member.group, member.member, member.role, member.inviter) == (
        "g1-2",
        "c",
        "opener",
        "a",
    )
    assert member.quote.total == cny("70.00")
    assert events[2:] == (StockReserved(at(2), "g1-2", "c", 1),)


def test_a_join_into_a_full_spill_group_spills_from_the_root() -> None:
    """g1 and its spill g1-2 full: a join naming g1-2 opens g1-3, spilled from g1 (the root),
    not from g1-2; a join into g1-2 while it has room lands there as a joiner, its inviter
    kept."""
    run = spilling()
    run.join("g1", "c", 2)
    run.pay("g1-2", "c", 2)
    member = joined(run.do(Join(at(3), "g1", "d", inviter="c")))
    assert (member.group, member.role, member.inviter) == ("g1-2", "joiner", "c")
    events = run.do(Join(at(4), "g1-2", "e"))
    assert events[0] == GroupOpened(at(4), "g1-3", "e", at(4 + 24 * 60), "g1")


def test_a_cancelled_member_joins_again_on_the_same_order() -> None:
    """u2 held 2 units and left (its 2 units released); joining again with 3 units and the
    5.00 coupon reopens the same order at 3 × 70.00 − 5.00 = 205.00, held until 10:18, and
    reserves 3 units."""
    run = Run(campaign(stock=10, coupons=[OFF5]))
    run.open("g1", "u1")
    run.pay("g1", "u1")
    run.join("g1", "u2", 1, qty=2)
    assert run.do(Cancel(at(2), "g1", "u2")) == (
        OrderCancelled(at(2), "g1", "u2", "left"),
        StockReleased(at(2), "g1", "u2", 2),
    )
    reopened, reserved = run.do(Join(at(3), "g1", "u2", qty=3, coupons=("off5",)))
    assert isinstance(reopened, OrderReopened)
    assert (reopened.group, reopened.member, reopened.qty) == ("g1", "u2", 3)
    assert (reopened.hold_until, reopened.coupons) == (at(18), ("off5",))
    assert reopened.quote.total == cny("205.00")
    assert reserved == StockReserved(at(3), "g1", "u2", 3)


def test_an_unpaid_opener_leaving_ends_the_group_then_and_there() -> None:
    """u1 opened g1 with 2 units and leaves unpaid at 10:01: its order is cancelled (left), its
    units released, and g1 fails at 10:01 (opener_unpaid, none paid); nothing else."""
    run = Run(campaign(stock=10))
    run.open("g1", "u1", qty=2)
    assert run.do(Cancel(at(1), "g1", "u1")) == (
        OrderCancelled(at(1), "g1", "u1", "left"),
        StockReleased(at(1), "g1", "u1", 2),
        GroupFailed(at(1), "g1", 0, at(1), "opener_unpaid"),
    )


def test_the_last_paid_member_leaving_fails_the_group_at_once() -> None:
    """u1, the only payer, leaves at 10:01: 70.00 back (cancelled), its unit released, and g1
    fails at 10:01 with no paid member."""
    run = Run(campaign(stock=10))
    run.open("g1", "u1")
    run.pay("g1", "u1")
    events = run.do(Cancel(at(1), "g1", "u1"))
    refund, released, failed = events
    assert isinstance(refund, RefundDue)
    assert (refund.member, refund.amount, refund.reason) == (
        "u1",
        cny("70.00"),
        RefundReason.CANCELLED,
    )
    assert released == StockReleased(at(1), "g1", "u1", 1)
    assert failed == GroupFailed(at(1), "g1", 0, at(1), "no_paid_member")


def test_a_paid_leader_leaving_passes_the_group_to_the_earliest_paid_joiner() -> None:
    """u1 paid, u2 and u3 joined and paid at 10:01 and 10:02, u4 holds unpaid: u1 leaving
    gives u2 the lead."""
    run = Run(campaign())
    run.open("g1", "u1")
    run.pay("g1", "u1")
    for minute, member in ((1, "u2"), (2, "u3")):
        run.join_and_pay("g1", member, minute)
    run.join("g1", "u4", 3)
    events = run.do(Cancel(at(4), "g1", "u1"))
    assert events[-1] == LeaderChanged(at(4), "g1", "u1", "u2")


def test_a_draw_names_its_seed_winners_losers_and_the_consolation_coupon() -> None:
    """One winner of three with seed 's': the tickets sha256('s|g1|u…') start 02b7ce (u1),
    ff2ad9 (u2) and 5617d1 (u3), so u1 wins and u3, u2 lose, in that order; each loser gets
    70.00 back (lottery_lost) and its unit released, and losers get the consolation coupon."""
    run = Run(campaign(rule="lottery", size=3, winners=1, stock=10, consolation_coupon="sorry5"))
    run.open("g1", "u1")
    run.pay("g1", "u1")
    for minute, member in ((1, "u2"), (2, "u3")):
        run.join_and_pay("g1", member, minute)
    drawn, *rest = run.do(Draw(at(3), "g1", "s"))
    assert drawn == WinnersDrawn(at(3), "g1", "s", ("u1",), ("u3", "u2"), "sorry5")
    lost_u3, released_u3, lost_u2, released_u2 = rest
    assert (released_u3, released_u2) == (
        StockReleased(at(3), "g1", "u3", 1),
        StockReleased(at(3), "g1", "u2", 1),
    )
    for refund, member in ((lost_u3, "u3"), (lost_u2, "u2")):
        assert isinstance(refund, RefundDue)
        assert (refund.member, refund.amount, refund.reason) == (
            member,
            cny("70.00"),
            RefundReason.LOTTERY_LOST,
        )
