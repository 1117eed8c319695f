"""The revised contract (SCENARIO.md, revision of 2026-12-01), rule by rule: a named test each.

Nothing vanishes: every money movement is an identified event, and the group rules close the
loopholes issue 11 found (ghost groups, trapped lottery money, scattered spills, doubled
refunds, refused money).
"""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any

import pytest

from drivers import Run, at, campaign, cny, formed_pair
from tuangou_core.campaign import Funder
from tuangou_core.errors import Conflict, Rejected, TuangouError
from tuangou_core.group import (
    Cancel,
    Draw,
    GroupFailed,
    GroupStatus,
    Join,
    LeaderChanged,
    OrderReopened,
    OrderStatus,
    Pay,
    PaymentUnmatched,
    RefundDue,
    RequestRefund,
    Tick,
)
from tuangou_core.interchange import parse, settle
from tuangou_core.refunds import RefundReason
from tuangou_core.reporting import statement_of

# -- the opener pays first ---------------------------------------------------------------------


def test_the_opener_pays_first_and_earlier_joins_are_refused() -> None:
    """A group takes joins only once its opener has paid: before, a join is opener_unpaid."""
    r = Run(campaign(size=2))
    r.open("g1", "u1")
    assert r.refused(Join(at(1), "g1", "u2")).code == "opener_unpaid"
    r.pay("g1", "u1", 2)
    r.join("g1", "u2", 3)
    assert r.status("g1", "u2") is OrderStatus.PENDING_PAYMENT


def test_an_opener_whose_hold_lapses_ends_the_group_at_once_holding_no_money() -> None:
    """The opener never pays: at the end of the hold the group fails (opener_unpaid)."""
    r = Run(campaign(size=2))
    r.open("g1", "u1")
    events = r.do(Tick(at(15)))
    failed = [e for e in events if isinstance(e, GroupFailed)]
    assert [(e.reason, e.paid_members) for e in failed] == [("opener_unpaid", 0)]
    assert r.group("g1").status is GroupStatus.FAILED
    assert not [e for e in events if isinstance(e, RefundDue)]


def test_an_unpaid_opener_who_leaves_ends_the_group() -> None:
    """An opener who cancels before paying ends the group at once: it fails."""
    r = Run(campaign(size=2))
    r.open("g1", "u1")
    r.do(Cancel(at(1), "g1", "u1"))
    assert r.group("g1").status is GroupStatus.FAILED
    assert r.status("g1", "u1") is OrderStatus.CANCELLED


def test_a_ghost_group_cannot_earn_its_opener_a_commission() -> None:
    """Issue 11's ghost group: an opener who never pays, joiners who pay. Every join is refused,
    so the opener earns nothing; the 3% leader share goes only to a paid leader."""
    data = _scenario(
        {"size": 2, "price": "70.00"},
        [
            _open("g1", "u1", 0),
            _join("g1", "u2", 1),
            _pay("g1", "u2", 2, "p2", "70.00"),
        ],
        fees={"leader_rate": "0.03"},
    )
    statement = settle(parse(data)).to_data()
    assert [r["code"] for r in statement["rejected"]] == ["opener_unpaid"]
    assert statement["leaders"] == []
    assert statement["unmatched"][0]["member"] == "u2"  # its money went straight back
    assert statement["totals"]["net"] == "0.00"


# -- leadership --------------------------------------------------------------------------------


def test_leadership_passes_to_the_earliest_joined_paid_member() -> None:
    """A paid opener leaves before forming: refunded in full; the earliest-joined paid member
    still in the group leads it (an unpaid earlier joiner is passed over)."""
    r = Run(campaign(size=4))
    r.open("g1", "u1")
    r.pay("g1", "u1")
    r.join("g1", "u2", 1)  # never pays
    r.join_and_pay("g1", "u3", 2)
    r.join_and_pay("g1", "u4", 3)
    events = r.do(Cancel(at(4), "g1", "u1"))
    assert LeaderChanged(at(4), "g1", "u1", "u3") in events
    assert [(e.member, e.reason) for e in events if isinstance(e, RefundDue)] == [
        ("u1", RefundReason.CANCELLED)
    ]
    assert r.group("g1").leader == "u3"
    assert r.group("g1").opener == "u1"


def test_the_groups_leader_at_the_end_earns_the_leader_share() -> None:
    """fees.leader = "opener" pays the group's leader: after u1 leaves, u2 earns all of it."""
    data = _scenario(
        {"size": 3, "price": "70.00"},
        [
            _open("g1", "u1", 0),
            _pay("g1", "u1", 0, "p1", "70.00"),
            _join("g1", "u2", 1),
            _pay("g1", "u2", 1, "p2", "70.00"),
            {"at": at(2), "type": "cancel", "group": "g1", "member": "u1"},
            _join("g1", "u3", 3),
            _pay("g1", "u3", 3, "p3", "70.00"),
            _join("g1", "u4", 4),
            _pay("g1", "u4", 4, "p4", "70.00"),
        ],
        fees={"leader_rate": "0.03"},
    )
    statement = settle(parse(data)).to_data()
    assert statement["groups"][0]["status"] == "formed"
    assert statement["groups"][0]["leader"] == "u2"
    assert statement["leaders"] == [{"leader": "u2", "commission": "6.30"}]
    assert statement["ledger"]["balanced"] is True


def test_the_last_paid_member_leaving_fails_the_group() -> None:
    """A paid leader leaves and no paid member is left: the group fails; unpaid holds end."""
    r = Run(campaign(size=3))
    r.open("g1", "u1")
    r.pay("g1", "u1")
    r.join("g1", "u2", 1)
    events = r.do(Cancel(at(2), "g1", "u1"))
    assert [e.reason for e in events if isinstance(e, GroupFailed)] == ["no_paid_member"]
    assert r.status("g1", "u2") is OrderStatus.CANCELLED


# -- a cancelled order reopens -----------------------------------------------------------------


def test_a_cancelled_member_may_join_again_and_keeps_what_it_paid_and_got_back() -> None:
    """u2's hold lapses; its late money comes back; it joins again: the same order, pending,
    a new hold; paying now settles it (paid 140.00, refunded 70.00, net 70.00)."""
    r = Run(campaign(size=3))
    r.open("g1", "u1")
    r.pay("g1", "u1")
    r.join("g1", "u2", 1)
    r.pay("g1", "u2", 20, pid="late")  # after the 15-minute hold: refunded at once
    assert r.status("g1", "u2") is OrderStatus.CANCELLED
    events = r.do(Join(at(21), "g1", "u2"))
    assert [type(e) for e in events][:1] == [OrderReopened]
    order = r.order("g1", "u2")
    assert (order.status, order.hold_until) == (OrderStatus.PENDING_PAYMENT, at(36))
    r.pay("g1", "u2", 22, pid="again")
    order = r.order("g1", "u2")
    assert (order.paid, order.refunded, order.net) == (cny("140.00"), cny("70.00"), cny("70.00"))
    assert order.status is OrderStatus.AWAITING_GROUP


def test_a_refunded_member_cannot_join_again() -> None:
    """A paid member who left is refunded, not cancelled: joining again is already_member."""
    r = Run(campaign(size=3))
    r.open("g1", "u1")
    r.pay("g1", "u1")
    r.join_and_pay("g1", "u2", 1)
    r.do(Cancel(at(2), "g1", "u2"))
    assert r.refused(Join(at(3), "g1", "u2")).code == "already_member"


# -- lottery: committed seed, draw deadline ----------------------------------------------------


def lottery(**keys: Any) -> Any:
    return campaign(rule="lottery", size=3, winners=1, **keys)


def _formed_lottery(**keys: Any) -> Run:
    r = Run(lottery(**keys))
    r.open("g1", "u1")
    r.pay("g1", "u1")
    r.join_and_pay("g1", "u2", 1)
    r.join_and_pay("g1", "u3", 2)
    assert r.group("g1").status is GroupStatus.FORMED
    return r


def test_a_seed_that_does_not_hash_to_the_commitment_is_refused() -> None:
    """With seed_sha256 committed up front, a draw with another seed is seed_mismatch; trying
    seeds s0…s18 to make a chosen member win is refused every time."""
    committed = hashlib.sha256(b"the-real-seed").hexdigest()
    r = _formed_lottery(seed_sha256=committed)
    for n in range(19):
        assert r.refused(Draw(at(3), "g1", f"s{n}")).code == "seed_mismatch"
    r.do(Draw(at(4), "g1", "the-real-seed"))
    assert r.group("g1").drawn


def test_an_undrawn_lottery_group_fails_and_refunds_everyone_after_draw_within() -> None:
    """A formed lottery group still undrawn draw_within after forming fails: every member is
    refunded in full (draw_overdue), and a late draw is refused."""
    r = _formed_lottery(draw_within="PT2H")
    events = r.do(Tick(at(2 + 120)))
    assert [e.reason for e in events if isinstance(e, GroupFailed)] == ["draw_overdue"]
    backs = [(e.member, e.amount, e.reason) for e in events if isinstance(e, RefundDue)]
    assert backs == [(m, cny("70.00"), RefundReason.DRAW_OVERDUE) for m in ("u1", "u2", "u3")]
    assert r.group("g1").status is GroupStatus.FAILED
    assert r.refused(Draw(at(123), "g1", "s")).code == "group_not_formed"


def test_a_cancel_or_refund_cannot_free_undrawn_lottery_money_but_the_deadline_does() -> None:
    """Between forming and the draw, cancel is group_closed and refund not_refundable (the
    contract's rules); draw_within is what guarantees the money comes back."""
    r = _formed_lottery()
    assert r.refused(Cancel(at(3), "g1", "u1")).code == "group_closed"
    assert r.refused(RequestRefund(at(3), "g1", "u1", cny("70.00"))).code == "not_refundable"
    r.do(Tick(at(2) + timedelta(hours=24)))
    assert all(o.net.is_zero for o in r.state.orders())


# -- money naming no order ---------------------------------------------------------------------


def test_a_payment_naming_no_order_is_recorded_and_refunded_never_refused() -> None:
    """A pay for an unknown group, or a member with no order there, is recorded (unmatched) and
    refunded in full at once; the same notification again changes nothing."""
    r = Run(campaign(size=2))
    r.open("g1", "u1")
    for group, member, pid in (("ghost", "u9", "x1"), ("g1", "u9", "x2")):
        events = r.do(Pay(at(1), group, member, pid, cny("70.00")))
        assert [type(e) for e in events] == [PaymentUnmatched, RefundDue]
        refund = events[1]
        assert isinstance(refund, RefundDue)
        assert (refund.reason, refund.refund_id, refund.payment_id) == (
            RefundReason.UNMATCHED_PAYMENT,
            f"unmatched:{pid}",
            pid,
        )
    assert r.do(Pay(at(2), "ghost", "u9", "x1", cny("70.00"))) == ()
    conflict = r.refused(Pay(at(2), "ghost", "u9", "x1", cny("71.00")))
    assert (type(conflict), conflict.code) == (Conflict, "payment_conflict")
    assert {u.payment_id: u.returned for u in r.state.unmatched.values()} == {
        "x1": cny("70.00"),
        "x2": cny("70.00"),
    }


def test_unmatched_money_counts_in_the_statement_totals() -> None:
    """The statement lists an unmatched payment and counts it in paid and refunded alike."""
    data = _scenario(
        {"size": 2, "price": "70.00"},
        [_open("g1", "u1", 0), _pay("nope", "u7", 1, "p7", "70.00")],
    )
    statement = settle(parse(data)).to_data()
    assert statement["rejected"] == []
    assert statement["unmatched"] == [
        {"event": 1, "group": "nope", "member": "u7", "payment_id": "p7", "amount": "70.00"}
    ]
    assert statement["totals"] == {"paid": "70.00", "refunded": "70.00", "net": "0.00"}


# -- refunds: one planner, ids, units ----------------------------------------------------------


def test_the_same_refund_id_twice_is_one_refund() -> None:
    """Two identical after-sales refunds under one refund_id pay out once; the same id asking
    another amount is refund_conflict."""
    r = formed_pair()
    first = r.do(RequestRefund(at(2), "g1", "u2", cny("10.00"), refund_id="r-1"))
    assert [e.refund_id for e in first if isinstance(e, RefundDue)] == ["r-1"]
    assert r.do(RequestRefund(at(3), "g1", "u2", cny("10.00"), refund_id="r-1")) == ()
    conflict = r.refused(RequestRefund(at(4), "g1", "u2", cny("11.00"), refund_id="r-1"))
    assert (type(conflict), conflict.code) == (Conflict, "refund_conflict")
    assert r.order("g1", "u2").refunded == cny("10.00")


def test_without_a_refund_id_every_request_is_a_new_refund() -> None:
    """Two refund events without refund_id are two refunds, each with the library's own id."""
    r = formed_pair()
    ids = []
    for minute in (2, 3):
        events = r.do(RequestRefund(at(minute), "g1", "u2", cny("10.00")))
        ids += [e.refund_id for e in events if isinstance(e, RefundDue)]
    assert ids == ["g1:u2:r1", "g1:u2:r2"]
    assert r.order("g1", "u2").refunded == cny("20.00")


def test_unit_returns_follow_the_contracts_cumulative_rule() -> None:
    """3 × 1.00 less a 0.01 coupon (2.99 due): units back one by one give 1.00, 0.99, 1.00."""
    coupons = [{"id": "c1", "kind": "amount_off", "amount": "0.01"}]
    c = campaign(size=2, list_price="2.00", price="1.00", coupons=coupons)
    r = Run(c)
    r.open("g1", "u1", qty=3, coupons=("c1",))
    r.pay("g1", "u1")
    r.join_and_pay("g1", "u2", 1)
    backs = []
    for minute in (2, 3, 4):
        events = r.do(RequestRefund(at(minute), "g1", "u1", units=1))
        backs += [(e.amount, e.units) for e in events if isinstance(e, RefundDue)]
    assert backs == [(cny("1.00"), 1), (cny("0.99"), 1), (cny("1.00"), 1)]
    assert r.status("g1", "u1") is OrderStatus.REFUNDED


def test_a_refund_of_nothing_or_of_more_units_than_are_left_is_refused() -> None:
    """Zero, more units than held, or more than the net left: refund_exceeds_paid."""
    r = formed_pair()
    for command in (
        RequestRefund(at(2), "g1", "u2", cny("0.00")),
        RequestRefund(at(2), "g1", "u2", units=0),
        RequestRefund(at(2), "g1", "u2", units=2),
        RequestRefund(at(2), "g1", "u2", cny("70.01")),
    ):
        error = r.refused(command)
        assert (type(error), error.code) == (Rejected, "refund_exceeds_paid")


def test_refunds_go_back_along_the_tender_and_payment_that_brought_the_money() -> None:
    """Paid from the balance, refunded to the balance, along the same payment id."""
    r = Run(campaign(size=2))
    r.open("g1", "u1")
    r.do(Pay(at(0), "g1", "u1", "bal-1", cny("70.00"), tender="balance"))
    r.join_and_pay("g1", "u2", 1)
    events = r.do(RequestRefund(at(2), "g1", "u1", cny("5.00")))
    (refund,) = [e for e in events if isinstance(e, RefundDue)]
    assert (refund.tender, refund.payment_id) == ("balance", "bal-1")


def test_a_refund_reverses_the_discounts_by_the_splits_standing_rule() -> None:
    """A 20.00 small claim on a 60.00 order with a 10.00 platform coupon reverses 3.33 of it:
    the coupon stands at round(10.00 × 40.00 / 60.00) = 6.67, the split's subsidy."""
    coupons = [{"id": "p10", "kind": "amount_off", "amount": "10.00", "funded_by": "platform"}]
    r = Run(campaign(size=2, coupons=coupons))
    r.open("g1", "u1", coupons=("p10",))
    r.pay("g1", "u1")
    r.join_and_pay("g1", "u2", 1)
    events = r.do(RequestRefund(at(2), "g1", "u1", cny("20.00")))
    (refund,) = [e for e in events if isinstance(e, RefundDue)]
    reversed_ = {d.name: d.amount for d in refund.discounts}
    assert reversed_["p10"] == cny("3.33")


def test_a_failed_group_restores_the_coupons_it_refunds() -> None:
    """A full refund for a failed group carries the coupons restored by policy."""
    coupons = [{"id": "new10", "kind": "amount_off", "amount": "10.00"}]
    r = Run(campaign(size=2, coupons=coupons))
    r.open("g1", "u1", coupons=("new10",))
    r.pay("g1", "u1")
    events = r.do(Tick(at(24 * 60)))
    (refund,) = [e for e in events if isinstance(e, RefundDue)]
    assert (refund.reason, refund.coupons_restored) == (RefundReason.GROUP_FAILED, ("new10",))


# -- spill fills -------------------------------------------------------------------------------


def test_spill_fills_one_group_before_opening_another() -> None:
    """Size 2, g1 full: joiners c and d fill one spill group (g1-2), e opens the next (g1-3)."""
    r = Run(campaign(size=2, overflow="spill"))
    r.open("g1", "a")
    r.pay("g1", "a")
    r.join("g1", "b", 1)
    r.join("g1", "c", 2)
    r.pay("g1-2", "c", 2)
    r.join("g1", "d", 3)
    r.join("g1", "e", 4)
    assert sorted(r.group("g1-2").orders) == ["c", "d"]
    assert sorted(r.group("g1-3").orders) == ["e"]
    assert r.order("g1-2", "d").role == "joiner"


def test_a_join_into_a_spill_group_waits_for_its_opener_to_pay() -> None:
    """The spill group with room takes joins once its opener paid, like any group."""
    r = Run(campaign(size=2, overflow="spill"))
    r.open("g1", "a")
    r.pay("g1", "a")
    r.join("g1", "b", 1)
    r.join("g1", "c", 2)
    assert r.refused(Join(at(3), "g1", "d")).code == "opener_unpaid"


# -- time never refuses money ------------------------------------------------------------------


def test_a_payment_stamped_before_the_clock_is_decided_at_the_clock() -> None:
    """A 10:04 payment arriving after another group's 10:05 event is recorded at 10:05, its own
    stamp kept as stamped_at; nothing is refused for its time."""
    r = Run(campaign(size=2))
    r.open("g1", "u1", 0)
    r.open("g2", "u2", 5)
    events = r.do(Pay(at(4), "g1", "u1", "p1", cny("70.00")))
    assert events
    assert all((e.at, e.stamped_at) == (at(5), at(4)) for e in events)
    assert r.status("g1", "u1") is OrderStatus.AWAITING_GROUP


def test_a_payment_exactly_at_the_end_of_its_hold_is_late_and_refunded() -> None:
    """A hold ends at its instant: a payment at 10:15:00 for a 10:00 join is refunded."""
    r = Run(campaign(size=2))
    r.open("g1", "u1", 0)
    events = r.do(Pay(at(15), "g1", "u1", "p1", cny("70.00")))
    assert [(e.reason) for e in events if isinstance(e, RefundDue)] == [RefundReason.LATE_PAYMENT]


# -- price protection --------------------------------------------------------------------------


def test_price_protection_is_funded_by_the_coupon_that_stopped_applying() -> None:
    """Tiers 2@90, 3@80, a platform-funded 满90减15: the protected member keeps 75.00, the 5.00
    gap is a platform-funded discount, and every order of the group gives the merchant 76.00
    at a 5% platform rate, exactly as the members who paid 80.00 do."""
    coupons = [
        {
            "id": "m90",
            "kind": "threshold",
            "threshold": "90.00",
            "amount": "15.00",
            "funded_by": "platform",
        }
    ]
    tiers = [{"size": 2, "price": "90.00"}, {"size": 3, "price": "80.00"}]
    c = campaign(
        rule="tiered",
        size=None,
        price=None,
        tiers=tiers,
        coupons=coupons,
        fees={"platform_rate": "0.05"},
    )
    r = Run(c)
    r.open("g1", "u1", coupons=("m90",))
    r.pay("g1", "u1")
    r.join_and_pay("g1", "u2", 1)
    r.join_and_pay("g1", "u3", 2)
    protected = r.order("g1", "u1")
    assert (protected.due, protected.net) == (cny("75.00"), cny("75.00"))
    step = protected.quote.step("price protection (m90)")
    assert step is not None and (step.funder, step.amount) == (Funder.PLATFORM, cny("5.00"))
    statement = statement_of([], r.state)
    merchants = {o.member: o.split.merchant for o in statement.orders}
    assert merchants == {"u1": cny("76.00"), "u2": cny("76.00"), "u3": cny("76.00")}
    assert statement.orders[0].split.subsidy == cny("5.00")


# -- scenario files ----------------------------------------------------------------------------


def test_an_amount_written_as_a_json_number_is_refused() -> None:
    """ "amount": 2200 could be fen or yuan: only decimal text is read (invalid_amount)."""
    data = _scenario({"size": 2, "price": "70.00"}, [_open("g1", "u1", 0)])
    data["events"].append(
        {
            "at": at(1),
            "type": "pay",
            "group": "g1",
            "member": "u1",
            "payment_id": "p",
            "amount": 2200,
        }
    )
    with pytest.raises(TuangouError) as caught:
        parse(data)
    assert caught.value.code == "invalid_amount"
    data = _scenario({"size": 2, "price": 70}, [])
    with pytest.raises(TuangouError) as caught:
        parse(data)
    assert (caught.value.code, caught.value.field) == ("invalid_amount", "campaign.price")


def test_points_stand_on_formed_orders_and_are_clawed_back_by_refunds() -> None:
    """[points] earn 1 per yuan on formed orders: 70.00 → 70 points; a 20.50 refund leaves
    49.50 → 49 points; the liability is points × value, funded by the merchant."""
    data = _scenario(
        {"size": 2, "price": "70.00"},
        [
            _open("g1", "u1", 0),
            _pay("g1", "u1", 0, "p1", "70.00"),
            _join("g1", "u2", 1),
            _pay("g1", "u2", 1, "p2", "70.00"),
            {
                "at": at(2),
                "type": "refund",
                "group": "g1",
                "member": "u2",
                "amount": "20.50",
            },
        ],
        points={"earn_per_unit": 1, "value": "0.01", "funded_by": "merchant"},
    )
    statement = settle(parse(data)).to_data()
    assert [o["points"] for o in statement["orders"]] == [70, 49]
    assert statement["points"] == {"standing": 119, "liability": "1.19", "funded_by": "merchant"}


# -- helpers -----------------------------------------------------------------------------------


def _scenario(rule: dict[str, Any], events: list[dict[str, Any]], **tables: Any) -> dict[str, Any]:
    campaign_table = {"id": "c", "list_price": "100.00", "rule": "fixed", **rule}
    return {"schema": 1, "campaign": campaign_table, "events": events, **tables}


def _open(group: str, member: str, minute: float) -> dict[str, Any]:
    return {"at": at(minute), "type": "open", "group": group, "member": member}


def _join(group: str, member: str, minute: float) -> dict[str, Any]:
    return {"at": at(minute), "type": "join", "group": group, "member": member}


def _pay(group: str, member: str, minute: float, pid: str, amount: str) -> dict[str, Any]:
    return {
        "at": at(minute),
        "type": "pay",
        "group": group,
        "member": member,
        "payment_id": pid,
        "amount": amount,
    }
