"""check_invariants, exactly: each broken state named by the one message its invariant gives.

The corruptions start from sound states built by real commands (drivers), then change one
field; the message names the group, the member and the numbers, worked by hand below.
"""

from __future__ import annotations

from typing import Any

import attrs
import pytest

from drivers import Run, campaign, cny, formed_pair
from tuangou_core.group import (
    CampaignState,
    Draw,
    GroupState,
    GroupStatus,
    InvariantViolation,
    OrderStatus,
    check_invariants,
)


def _group(state: CampaignState, group_id: str = "g1", **changes: Any) -> CampaignState:
    group = attrs.evolve(state.groups[group_id], **changes)
    return attrs.evolve(state, groups={**state.groups, group_id: group})


def _order(state: CampaignState, member: str, **changes: Any) -> CampaignState:
    group: GroupState = state.groups["g1"]
    order = attrs.evolve(group.orders[member], **changes)
    return _group(state, orders={**group.orders, member: order})


def _message(state: CampaignState) -> str:
    with pytest.raises(InvariantViolation) as caught:
        check_invariants(state)
    assert caught.value.code == "invariant_violated"
    return caught.value.message


def open_of_three() -> Run:
    """Size 3: u1 opened and paid, u2 joined and paid, u3 joined and holds a slot unpaid."""
    run = Run(campaign(size=3))
    run.open("g1", "u1")
    run.pay("g1", "u1")
    run.join_and_pay("g1", "u2", 1)
    run.join("g1", "u3", 2)
    return run


def test_open_group_counters_must_match_its_orders() -> None:
    """Counters of 1 pending and 1 paid against orders of 1 pending and 2 paid are named."""
    state = _group(open_of_three().state, paid=1)
    assert _message(state) == "group g1: counters 1/1 but orders say 1/2"


def test_open_group_pending_counter_must_match_too() -> None:
    """A pending counter of 0 with one unpaid hold in the orders is caught."""
    state = _group(open_of_three().state, pending=0)
    assert _message(state) == "group g1: counters 0/2 but orders say 1/2"


def test_a_formed_group_keeps_no_counters_check() -> None:
    """Counters are checked only while the group is open: a formed group's stale ones pass."""
    check_invariants(_group(formed_pair().state, pending=7))


def test_open_group_may_not_hold_more_slots_than_its_size() -> None:
    """Counters and orders agreeing on 4 slots of 3 is caught as too many slots."""
    run = open_of_three()
    state = run.state
    extra = attrs.evolve(state.groups["g1"].orders["u3"], member="u4", seq=99)
    orders = {**state.groups["g1"].orders, "u4": extra}
    state = _group(state, orders=orders, pending=2)
    assert _message(state) == "group g1 holds 4 > 3 slots"


def test_an_open_group_at_its_size_is_sound() -> None:
    """Three slots held of three (one unpaid) is allowed: holding equal to the size passes."""
    check_invariants(open_of_three().state)


def test_refunded_beyond_paid_is_named_with_both_amounts() -> None:
    """A refund of 70.01 on an order paid 70.00 names the order and both amounts."""
    state = _order(formed_pair().state, "u2", refunded=cny("70.01"))
    assert _message(state) == "g1/u2: refunded 70.01 > paid 70.00"


def test_net_cash_must_match_the_outcome() -> None:
    """A formed order refunded 0.01 holds 69.99 net where 70.00 is due: both are named."""
    state = _order(formed_pair().state, "u2", refunded=cny("0.01"))
    assert _message(state) == (
        "g1/u2 (awaiting_shipment): net 69.99 and 0.00 authorised, expected 70.00 and 0.00"
    )


def test_an_unpaid_order_must_hold_nothing() -> None:
    """An unpaid hold showing 70.00 paid is expected to hold nothing."""
    state = _order(open_of_three().state, "u3", paid=cny("70.00"))
    assert _message(state) == (
        "g1/u3 (pending_payment): net 70.00 and 0.00 authorised, expected 0.00 and 0.00"
    )


def test_a_failed_groups_orders_must_hold_nothing() -> None:
    """Once its group failed, a paid order still holding 70.00 is caught."""
    run = Run(campaign(size=3))
    run.open("g1", "u1")
    run.pay("g1", "u1")
    state = _group(run.state, status=GroupStatus.FAILED)
    assert _message(state) == (
        "g1/u1 (awaiting_group): net 70.00 and 0.00 authorised, expected 0.00 and 0.00"
    )


def test_stock_taken_beyond_stock_is_named() -> None:
    """Stock 10 with 11 taken is outside 0..10; exactly 10 is sound."""
    run = Run(campaign(size=3, stock=10))
    run.open("g1", "u1")
    check_invariants(attrs.evolve(run.state, stock_taken=10))
    assert _message(attrs.evolve(run.state, stock_taken=11)) == "stock taken 11 outside 0..10"
    assert _message(attrs.evolve(run.state, stock_taken=-1)) == "stock taken -1 outside 0..10"


def test_units_per_member_stay_within_the_limit() -> None:
    """A limit of 2: 2 units pass, 3 or a negative count are named with the member."""
    run = Run(campaign(size=3, per_member_limit=2))
    run.open("g1", "u1")
    check_invariants(attrs.evolve(run.state, units={"u1": 2}))
    check_invariants(attrs.evolve(run.state, units={"u1": 0}))
    assert _message(attrs.evolve(run.state, units={"u1": 3})) == "u1 holds 3 units"
    assert _message(attrs.evolve(run.state, units={"u1": -1})) == "u1 holds -1 units"


def test_without_a_limit_only_negative_units_are_wrong() -> None:
    """No per-member limit: 1000 units pass, -1 does not."""
    run = Run(campaign(size=3, stock=None))
    run.open("g1", "u1")
    check_invariants(attrs.evolve(run.state, units={"u1": 1000}))
    assert _message(attrs.evolve(run.state, units={"u1": -1})) == "u1 holds -1 units"


def test_a_leader_without_an_order_is_named() -> None:
    """A leader who has no order in the group is named by id."""
    state = _group(formed_pair().state, leader="nobody")
    assert _message(state) == "group g1: its leader 'nobody' has no order in it"


def test_an_open_group_with_its_size_paid_should_have_formed() -> None:
    """Two paid in an open group of two: it should have formed at 2."""
    state = _group(formed_pair().state, status=GroupStatus.OPEN, pending=0, paid=2)
    state = _order(state, "u1", status=OrderStatus.AWAITING_GROUP)
    state = _order(state, "u2", status=OrderStatus.AWAITING_GROUP)
    assert _message(state) == ("group g1 is open with 2 paid members: it should have formed at 2")


def test_an_open_group_one_short_of_its_size_is_sound() -> None:
    """Two paid in an open group of three is allowed."""
    run = Run(campaign(size=3))
    run.open("g1", "u1")
    run.pay("g1", "u1")
    run.join_and_pay("g1", "u2", 1)
    check_invariants(run.state)


def test_an_open_tiered_group_forms_only_at_its_largest_tier() -> None:
    """Tiered 3/5: an open group with 4 paid is sound (it forms at 5 or at the deadline)."""
    tiers = [{"size": 3, "price": "90.00"}, {"size": 5, "price": "80.00"}]
    run = Run(campaign(rule="tiered", size=None, price=None, tiers=tiers))
    run.open("g1", "u1")
    run.pay("g1", "u1")
    for i, member in enumerate(("u2", "u3", "u4"), start=1):
        run.join_and_pay("g1", member, i)
    assert run.group("g1").status is GroupStatus.OPEN
    check_invariants(run.state)


def test_an_open_groups_leader_must_have_paid_once_others_are_in() -> None:
    """Others in the group and the leader unpaid: the leader's status is named."""
    state = _order(open_of_three().state, "u1", status=OrderStatus.PENDING_PAYMENT)
    state = _group(state, pending=2, paid=1)
    state = _order(state, "u1", paid=cny("0.00"))
    assert _message(state) == (
        "group g1 takes members but its leader 'u1' is pending_payment, not a paid member"
    )


def test_an_open_group_of_one_unpaid_leader_is_sound() -> None:
    """The opener alone, not yet paid, is a sound open group."""
    run = Run(campaign(size=3))
    run.open("g1", "u1")
    check_invariants(run.state)


def test_a_formed_group_holds_no_order_still_awaiting_it() -> None:
    """A formed fixed group with one order still awaiting_group says how many wait."""
    state = _order(formed_pair().state, "u2", status=OrderStatus.AWAITING_GROUP)
    assert _message(state) == "group g1 formed but 1 order(s) still await it"


def lottery_formed() -> Run:
    """A lottery of three, one winner: formed, not yet drawn."""
    run = Run(campaign(rule="lottery", size=3, winners=1))
    run.open("g1", "u1")
    run.pay("g1", "u1")
    run.join_and_pay("g1", "u2", 1)
    run.join_and_pay("g1", "u3", 2)
    return run


def test_an_undrawn_lottery_group_may_hold_awaiting_orders() -> None:
    """Formed and undrawn, every order awaits the draw: sound."""
    run = lottery_formed()
    assert run.group("g1").status is GroupStatus.FORMED
    check_invariants(run.state)


def test_a_drawn_lottery_group_holds_no_awaiting_order() -> None:
    """After the draw, an order still awaiting the group is caught."""
    run = lottery_formed()
    run.do(Draw(run.group("g1").opened_at, "g1", "seed"))
    winner = run.group("g1").winners[0]
    state = _order(run.state, winner, status=OrderStatus.AWAITING_GROUP)
    assert _message(state) == "group g1 formed but 1 order(s) still await it"


def test_a_formed_group_needs_its_rules_members() -> None:
    """Formed with 1 of the 2 the rule needs is named with both counts."""
    state = _group(formed_pair().state, formed_size=1)
    assert _message(state) == "group g1 formed with 1 members, fewer than the 2 its rule needs"


def test_a_formed_groups_real_members_are_its_orders() -> None:
    """Formed at 3 with no virtual member but 2 orders: 3 real members named against 2."""
    state = _group(formed_pair().state, formed_size=3)
    assert _message(state) == "group g1 formed with 3 real members but holds 2 orders"


def test_virtual_members_need_no_order() -> None:
    """Formed at 3 of which 1 virtual, with 2 orders, is sound."""
    check_invariants(_group(formed_pair().state, formed_size=3, virtual=1))


def test_a_formed_groups_leader_is_a_paid_member() -> None:
    """A formed group led by an unpaid order names the leader's status."""
    state = _order(formed_pair().state, "u1", status=OrderStatus.PENDING_PAYMENT, paid=cny("0.00"))
    assert _message(state) == (
        "group g1 formed with leader 'u1' pending_payment, not a paid member"
    )


def test_a_formed_groups_leader_may_be_refunded() -> None:
    """A leader refunded in full after paying still leads the formed group."""
    state = _order(formed_pair().state, "u1", status=OrderStatus.REFUNDED, refunded=cny("70.00"))
    check_invariants(state)


def test_a_fixed_group_forms_at_its_size_not_its_capacity() -> None:
    """Size 2 of at most 3: an open group with 2 paid should have formed at 2."""
    state = _group(formed_pair(max_size=3).state, status=GroupStatus.OPEN, pending=0, paid=2)
    state = _order(state, "u1", status=OrderStatus.AWAITING_GROUP)
    state = _order(state, "u2", status=OrderStatus.AWAITING_GROUP)
    assert _message(state) == "group g1 is open with 2 paid members: it should have formed at 2"


def test_a_tiered_group_forms_at_its_capacity_not_its_largest_tier() -> None:
    """Tiers 3 and 5 with room for 6: five paid in an open group is sound."""
    tiers = [{"size": 3, "price": "90.00"}, {"size": 5, "price": "80.00"}]
    run = Run(campaign(rule="tiered", size=None, price=None, tiers=tiers, max_size=6))
    run.open("g1", "u1")
    run.pay("g1", "u1")
    for i, member in enumerate(("u2", "u3", "u4", "u5"), start=1):
        run.join_and_pay("g1", member, i)
    assert (run.group("g1").status, run.group("g1").paid) == (GroupStatus.OPEN, 5)
    check_invariants(run.state)


def test_a_second_member_needs_a_paid_leader() -> None:
    """Two orders, the leader's unpaid: the leader's status is named."""
    run = Run(campaign(size=3))
    run.open("g1", "u1")
    run.pay("g1", "u1")
    run.join("g1", "u2", 1)
    state = _order(run.state, "u1", status=OrderStatus.PENDING_PAYMENT, paid=cny("0.00"))
    state = _group(state, pending=2, paid=0)
    assert _message(state) == (
        "group g1 takes members but its leader 'u1' is pending_payment, not a paid member"
    )


def test_real_members_are_the_formed_size_less_the_virtual_ones() -> None:
    """Formed at 4 with 1 virtual and 2 orders: 3 real members named against 2 orders."""
    state = _group(formed_pair().state, formed_size=4, virtual=1)
    assert _message(state) == "group g1 formed with 3 real members but holds 2 orders"
