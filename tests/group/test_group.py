"""The group decider, rule by rule: each seed story and each rule of SCENARIO.md a named test.

Every test drives the pure path (``decide`` then ``evolve``) from commands, the way a backend
would, and reads the outcome off the state. Refusals are checked for their code and for having
changed nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import pytest

from drivers import Run, at, campaign, cny, formed_pair
from tuangou_core.campaign import Campaign
from tuangou_core.errors import Conflict, InvalidInput, Rejected
from tuangou_core.group import (
    AuthorisationReleased,
    CampaignState,
    Cancel,
    Command,
    Complete,
    Draw,
    Event,
    Fold,
    GroupFailed,
    GroupFormed,
    GroupStatus,
    Join,
    Open,
    OrderCancelled,
    OrderRepriced,
    OrderStatus,
    Pay,
    PaymentAuthorised,
    PaymentCaptured,
    RefundDue,
    RequestRefund,
    Ship,
    Tick,
    WinnersDrawn,
    decide,
    draw_order,
    evolve,
    initial_state,
    replay,
)
from tuangou_core.interchange import parse, settle
from tuangou_core.money import Money
from tuangou_core.refunds import RefundReason


def five_paid(run: Run, group: str = "g1", count: int = 5) -> None:
    """*count* members open/join *group* and pay at once, a minute apart."""
    run.open(group, "u1")
    run.pay(group, "u1")
    for i in range(2, count + 1):
        run.join_and_pay(group, f"u{i}", i)


def refunds(events: Sequence[Event]) -> list[tuple[str, Money, RefundReason]]:
    return [(e.member, e.amount, e.reason) for e in events if isinstance(e, RefundDue)]


# -- seed stories ------------------------------------------------------------------------------


def test_milk_tea_group_forms_the_moment_the_fifth_member_pays() -> None:
    """A 5-person group at 70.00 forms on the fifth payment, at 70.00, with no virtual fillers."""
    run = Run(campaign())
    five_paid(run, count=4)
    assert run.group("g1").status is GroupStatus.OPEN
    events = run.join_and_pay("g1", "u5", 5)
    formed = [e for e in events if isinstance(e, GroupFormed)]
    assert formed == [GroupFormed(at(5), "g1", 5, 0, cny("70.00"))]
    assert all(o.net == cny("70.00") for o in run.group("g1").orders.values())


def test_paid_not_formed_is_never_confused_with_formed_not_shipped() -> None:
    """已付款未成团 is awaiting_group; only forming makes it 已成团未发货 (awaiting_shipment)."""
    run = Run(campaign())
    five_paid(run, count=4)
    assert {o.status for o in run.group("g1").orders.values()} == {OrderStatus.AWAITING_GROUP}
    run.refused(Ship(at(4), "g1", "u1"))
    run.join_and_pay("g1", "u5", 5)
    assert {o.status for o in run.group("g1").orders.values()} == {OrderStatus.AWAITING_SHIPMENT}


def test_unfilled_group_fails_at_its_deadline_and_everyone_is_refunded_in_full() -> None:
    """An expired group below its size is failed, never formed (litemall #159), all refunded."""
    run = Run(campaign())
    five_paid(run, count=3)
    events = run.do(Tick(at(24 * 60)))
    assert [type(e) for e in events][:1] == [GroupFailed]
    assert refunds(events) == [
        (m, cny("70.00"), RefundReason.GROUP_FAILED) for m in ("u1", "u2", "u3")
    ]
    assert run.group("g1").status is GroupStatus.FAILED
    assert all(o.status is OrderStatus.REFUNDED and o.net.is_zero for o in run.state.orders())


def test_group_fails_at_its_deadline_without_any_tick() -> None:
    """Time passes before every command: the next command, not a tick, expires the group."""
    run = Run(campaign())
    five_paid(run, count=2)
    run.open("g2", "u9", 24 * 60 + 1)
    assert run.group("g1").status is GroupStatus.FAILED
    assert run.status("g1", "u1") is OrderStatus.REFUNDED


def test_capacity_is_checked_at_join_so_no_group_holds_more_than_its_size() -> None:
    """A paid opener and four unpaid holds fill the group: a sixth join is refused (litemall let
    it through)."""
    run = Run(campaign())
    run.open("g1", "u1")
    run.pay("g1", "u1")
    for i in range(2, 6):
        run.join("g1", f"u{i}", 1)
    assert run.refused(Join(at(2), "g1", "u6")).code == "group_full"


def test_two_joins_racing_for_the_last_slot_one_wins_one_is_refused() -> None:
    """At the same instant, the first join takes the last slot; the second gets group_full."""
    run = Run(campaign())
    five_paid(run, count=4)
    run.join("g1", "winner", 10)
    assert run.refused(Join(at(10), "g1", "loser")).code == "group_full"
    assert run.group("g1").holding == 5


def test_refund_goes_to_the_group_it_names() -> None:
    """A member in two groups is refunded in the group the command names (likeshop's bug)."""
    run = Run(campaign(size=2))
    run.open("g1", "u1")
    run.pay("g1", "u1")
    run.join_and_pay("g1", "u2", 1)
    run.open("g2", "u1", 2)
    run.pay("g2", "u1", 2, pid="p-second")
    events = run.do(RequestRefund(at(3), "g1", "u1", cny("70.00")))
    assert [(e.group, e.payment_id) for e in events if isinstance(e, RefundDue)] == [
        ("g1", "p-g1-u1")
    ]
    assert run.status("g1", "u1") is OrderStatus.REFUNDED
    assert run.status("g2", "u1") is OrderStatus.AWAITING_GROUP


def test_refund_ids_are_stable_so_a_failed_refund_can_be_retried() -> None:
    """Refund ids come from the order and a sequence: replaying the log gives the same ids."""
    run = Run(campaign(size=2))
    run.open("g1", "u1")
    run.pay("g1", "u1")
    run.join_and_pay("g1", "u2", 1)
    first = run.do(RequestRefund(at(2), "g1", "u1", cny("10.00")))
    second = run.do(RequestRefund(at(3), "g1", "u1", cny("10.00")))
    ids = [e.refund_id for e in (*first, *second) if isinstance(e, RefundDue)]
    assert ids == ["g1:u1:r1", "g1:u1:r2"]
    again = Run(campaign(size=2))
    for event in run.log:
        again.state = evolve(again.state, event)
    assert again.state == run.state


# -- tiered ------------------------------------------------------------------------------------

TIERS = [{"size": 3, "price": "90.00"}, {"size": 5, "price": "80.00"}]


def tiered(charge: str = "prepay_highest", **keys: Any) -> Campaign:
    return campaign(rule="tiered", size=None, price=None, tiers=TIERS, charge=charge, **keys)


def test_tiered_prepay_highest_charges_the_first_tier_up_front() -> None:
    """With prepay_highest every member pays the first (highest) tier price when paying."""
    run = Run(tiered())
    run.open("g1", "u1")
    assert run.order("g1", "u1").due == cny("90.00")


def test_tiered_forms_at_max_size_and_refunds_the_difference() -> None:
    """Five paid: the group forms at once at 80.00 and each member gets 10.00 back (差价退款)."""
    run = Run(tiered())
    run.open("g1", "u1")
    run.pay("g1", "u1")
    for i in range(2, 5):
        run.join_and_pay("g1", f"u{i}", i)
    events = run.join_and_pay("g1", "u5", 5)
    assert GroupFormed(at(5), "g1", 5, 0, cny("80.00")) in events
    assert refunds(events) == [
        (f"u{i}", cny("10.00"), RefundReason.TIER_DIFFERENCE) for i in range(1, 6)
    ]
    assert all(o.net == cny("80.00") and o.due == cny("80.00") for o in run.state.orders())
    assert {o.status for o in run.state.orders()} == {OrderStatus.AWAITING_SHIPMENT}


def test_tiered_forms_at_its_deadline_at_the_largest_tier_reached() -> None:
    """Four paid at the deadline: the group forms at the 3-person tier, nothing refunded."""
    run = Run(tiered())
    run.open("g1", "u1")
    run.pay("g1", "u1")
    for i in range(2, 5):
        run.join_and_pay("g1", f"u{i}", i)
    events = run.do(Tick(at(24 * 60)))
    assert GroupFormed(at(24 * 60), "g1", 4, 0, cny("90.00"), at(24 * 60)) in events
    assert refunds(events) == []
    assert run.group("g1").status is GroupStatus.FORMED


def test_tiered_below_the_first_tier_fails_at_its_deadline() -> None:
    """Two paid of a first tier of three: the group fails and both are refunded in full."""
    run = Run(tiered())
    run.open("g1", "u1")
    run.pay("g1", "u1")
    run.join_and_pay("g1", "u2", 1)
    events = run.do(Tick(at(24 * 60)))
    assert refunds(events) == [
        ("u1", cny("90.00"), RefundReason.GROUP_FAILED),
        ("u2", cny("90.00"), RefundReason.GROUP_FAILED),
    ]


def test_tiered_price_protection_never_charges_more_than_already_charged() -> None:
    """满90减10 qualifies at 90.00 (due 80.00) but not at 85.00: the member keeps 80.00, the
    5.00 gap a discount funded by the coupon's funder."""
    coupons = [{"id": "t90", "kind": "threshold", "threshold": "90.00", "amount": "10.00"}]
    tiers = [{"size": 2, "price": "90.00"}, {"size": 3, "price": "85.00"}]
    c = campaign(rule="tiered", size=None, price=None, tiers=tiers, coupons=coupons)
    run = Run(c)
    run.open("g1", "u1", coupons=("t90",))
    assert run.order("g1", "u1").due == cny("80.00")
    run.pay("g1", "u1")
    run.join_and_pay("g1", "u2", 1)
    events = run.join_and_pay("g1", "u3", 2)
    (repriced,) = [e for e in events if isinstance(e, OrderRepriced) and e.member == "u1"]
    assert repriced.quote.total == cny("80.00")  # at the tier, a protection step keeps 80.00
    assert repriced.quote.step("price protection (t90)") is not None
    assert not [e for e in events if isinstance(e, RefundDue) and e.member == "u1"]
    assert run.order("g1", "u1").net == cny("80.00")
    assert run.order("g1", "u2").net == cny("85.00")  # no coupon: the tier price


def test_tiered_capture_at_close_authorises_then_captures_the_final_price() -> None:
    """capture_at_close: 90.00 is only authorised; at close 80.00 is captured, 10.00 released."""
    run = Run(tiered("capture_at_close"))
    run.open("g1", "u1")
    events = run.pay("g1", "u1")
    assert any(isinstance(e, PaymentAuthorised) for e in events)
    assert run.order("g1", "u1").paid.is_zero
    assert run.order("g1", "u1").authorised == cny("90.00")
    for i in range(2, 6):
        events = run.join_and_pay("g1", f"u{i}", i)
    captured = [e.amount for e in events if isinstance(e, PaymentCaptured)]
    released = [e.amount for e in events if isinstance(e, AuthorisationReleased)]
    assert captured == [cny("80.00")] * 5
    assert released == [cny("10.00")] * 5
    assert refunds(events) == []
    for order in run.state.orders():
        assert (order.paid, order.refunded, order.authorised) == (cny("80.00"), cny("0"), cny("0"))


def test_tiered_capture_at_close_failure_releases_the_authorisation() -> None:
    """A capture_at_close group that fails captures nothing and releases every authorisation."""
    run = Run(tiered("capture_at_close"))
    run.open("g1", "u1")
    run.pay("g1", "u1")
    events = run.do(Tick(at(24 * 60)))
    assert [e.amount for e in events if isinstance(e, AuthorisationReleased)] == [cny("90.00")]
    order = run.order("g1", "u1")
    assert (order.status, order.paid, order.authorised) == (
        OrderStatus.REFUNDED,
        cny("0"),
        cny("0"),
    )


# -- lottery -----------------------------------------------------------------------------------


def lottery(**keys: Any) -> Campaign:
    return campaign(rule="lottery", size=3, winners=1, **keys)


def test_lottery_members_stay_awaiting_group_until_the_draw() -> None:
    """A formed lottery group's orders stay awaiting_group; nothing ships before the draw."""
    run = Run(lottery())
    five_paid(run, count=3)
    assert run.group("g1").status is GroupStatus.FORMED
    assert {o.status for o in run.state.orders()} == {OrderStatus.AWAITING_GROUP}
    assert run.refused(Ship(at(4), "g1", "u1")).code == "not_shippable"


def test_lottery_draw_follows_sha256_order_and_refunds_the_losers() -> None:
    """Winners are the first by sha256(seed|group|member); losers get everything back."""
    run = Run(lottery())
    five_paid(run, count=3)
    expected = draw_order("seed-42", "g1", ["u1", "u2", "u3"])
    events = run.do(Draw(at(10), "g1", "seed-42"))
    drawn = next(e for e in events if isinstance(e, WinnersDrawn))
    assert (drawn.winners, drawn.losers) == (expected[:1], expected[1:])
    assert sorted(refunds(events)) == sorted(
        (m, cny("70.00"), RefundReason.LOTTERY_LOST) for m in expected[1:]
    )
    assert run.status("g1", expected[0]) is OrderStatus.AWAITING_SHIPMENT
    assert all(run.status("g1", m) is OrderStatus.REFUNDED for m in expected[1:])
    assert run.group("g1").winners == expected[:1]


# -- seckill, stock and limits -----------------------------------------------------------------


def seckill(**keys: Any) -> Campaign:
    return campaign(rule="seckill", size=2, starts_at=at(30), **keys)


def test_seckill_refuses_joins_before_its_start() -> None:
    """No open or join before starts_at (before_start); at starts_at it opens."""
    run = Run(seckill(stock=10))
    assert run.refused(Open(at(29), "g1", "u1")).code == "before_start"
    run.open("g1", "u1", 30)
    assert run.group("g1").opened_at == at(30)


def test_seckill_stock_is_never_oversold() -> None:
    """Stock 3: three units reserved by joins, the fourth is out_of_stock."""
    run = Run(seckill(stock=3))
    run.open("g1", "u1", 30)
    run.pay("g1", "u1", 30)
    run.join("g1", "u2", 30)
    run.open("g2", "u3", 31)
    run.pay("g2", "u3", 31)
    assert run.refused(Join(at(31), "g2", "u4")).code == "out_of_stock"
    assert run.state.stock_taken == 3


def test_stock_comes_back_when_a_hold_expires() -> None:
    """An unpaid hold's units return after the payment timeout, and someone else can buy."""
    run = Run(seckill(stock=2))
    run.open("g1", "u1", 30)
    run.pay("g1", "u1", 30)
    run.join("g1", "u2", 31)
    assert run.refused(Open(at(32), "g2", "u3")).code == "out_of_stock"
    run.open("g2", "u3", 31 + 15)
    assert run.status("g1", "u2") is OrderStatus.CANCELLED
    assert run.state.stock_taken == 2


def test_per_member_limit_spans_groups() -> None:
    """per_member_limit 1: a member holding a unit in one group is refused in another."""
    run = Run(seckill(per_member_limit=1))
    run.open("g1", "u1", 30)
    assert run.refused(Open(at(31), "g2", "u1")).code == "limit_exceeded"
    assert run.refused(Join(at(31), "g1", "u2", qty=2)).code == "limit_exceeded"


# -- capacity, holds, expiry -------------------------------------------------------------------


def test_overflow_spill_opens_a_new_group_led_by_the_joiner() -> None:
    """With overflow = spill a join on a full group opens g1-2 with the joiner as its opener,
    at the group price: the spill opener took a joiner's place, not a leader's."""
    run = Run(campaign(size=2, overflow="spill", leader_price="60.00"))
    run.open("g1", "u1")
    run.pay("g1", "u1")
    run.join("g1", "u2", 1)
    events = run.do(Join(at(2), "g1", "u3"))
    assert run.group("g1-2").opener == "u3"
    assert run.group("g1-2").spill_of == "g1"
    assert run.order("g1-2", "u3").role == "opener"
    assert run.order("g1-2", "u3").due == cny("70.00")
    assert "u3" not in run.group("g1").orders
    assert events[0].group == "g1-2"


def test_unpaid_hold_is_released_after_the_payment_timeout_without_a_tick() -> None:
    """A hold older than PT15M is cancelled before the next command, freeing its slot."""
    run = Run(campaign(size=2))
    run.open("g1", "u1")
    run.pay("g1", "u1")
    run.join("g1", "u2", 1)
    assert run.refused(Join(at(15.9), "g1", "u3")).code == "group_full"
    events = run.do(Join(at(16), "g1", "u3"))
    assert OrderCancelled(at(16), "g1", "u2", "hold_expired") in events
    assert run.status("g1", "u2") is OrderStatus.CANCELLED


def test_holds_expire_before_deadlines_are_judged() -> None:
    """At the deadline an expired hold is cancelled first, then the group is judged."""
    run = Run(campaign(size=2, window="PT1H"))
    run.open("g1", "u1", 30)
    run.pay("g1", "u1", 30)
    run.join("g1", "u2", 80)
    events = run.do(Tick(at(100)))
    kinds = [type(e).__name__ for e in events]
    assert kinds.index("OrderCancelled") < kinds.index("GroupFailed")
    assert OrderCancelled(at(100), "g1", "u2", "hold_expired") in events


def test_virtual_complete_forms_with_fillers_at_the_deadline() -> None:
    """virtual_complete, virtual_min 4: four paid at the deadline form with one virtual filler."""
    run = Run(campaign(on_expiry="virtual_complete", virtual_min=4))
    five_paid(run, count=4)
    events = run.do(Tick(at(24 * 60)))
    assert GroupFormed(at(24 * 60), "g1", 5, 1, cny("70.00"), at(24 * 60)) in events
    assert run.group("g1").virtual == 1
    assert {o.status for o in run.state.orders()} == {OrderStatus.AWAITING_SHIPMENT}


def test_virtual_complete_below_virtual_min_fails() -> None:
    """virtual_complete, virtual_min 4: three paid at the deadline is a failure, all refunded."""
    run = Run(campaign(on_expiry="virtual_complete", virtual_min=4))
    five_paid(run, count=3)
    run.do(Tick(at(24 * 60)))
    assert run.group("g1").status is GroupStatus.FAILED
    assert all(o.net.is_zero for o in run.state.orders())


def test_forming_cancels_the_unpaid_joins() -> None:
    """max_size above size: the group forms when size members paid; the unpaid are cancelled."""
    run = Run(campaign(size=2, max_size=3))
    run.open("g1", "u1")
    run.pay("g1", "u1", 1)
    run.join("g1", "u2", 1)
    events = run.join_and_pay("g1", "u3", 3)
    assert OrderCancelled(at(3), "g1", "u2", "group_formed") in events
    assert run.status("g1", "u2") is OrderStatus.CANCELLED


def test_leader_price_is_the_openers_due() -> None:
    """With leader_price the opener's due is that price; joiners pay the group price."""
    run = Run(campaign(leader_price="60.00"))
    run.open("g1", "u1")
    run.pay("g1", "u1")
    run.join("g1", "u2", 1)
    assert (run.order("g1", "u1").due, run.order("g1", "u2").due) == (cny("60.00"), cny("70.00"))


def test_coupons_apply_to_the_amount_due_in_the_order_listed() -> None:
    """A 10% coupon then 5.00 off: 70.00 → 63.00 → 58.00."""
    coupons = [
        {"id": "p10", "kind": "percent_off", "percent": "10"},
        {"id": "off5", "kind": "amount_off", "amount": "5.00"},
    ]
    run = Run(campaign(coupons=coupons))
    run.open("g1", "u1", coupons=("p10", "off5"))
    assert run.order("g1", "u1").due == cny("58.00")


# -- money arrival -----------------------------------------------------------------------------


def test_duplicate_payment_notification_changes_nothing() -> None:
    """The same payment_id with the same amount again produces no events."""
    run = Run(campaign())
    run.open("g1", "u1")
    run.pay("g1", "u1")
    assert run.pay("g1", "u1", 1) == ()
    assert run.order("g1", "u1").paid == cny("70.00")


def test_reused_payment_id_with_another_amount_is_a_payment_conflict() -> None:
    """The same payment_id with a different amount is refused with payment_conflict."""
    run = Run(campaign())
    run.open("g1", "u1")
    run.pay("g1", "u1")
    error = run.refused(Pay(at(1), "g1", "u1", "p-g1-u1", cny("71.00")))
    assert isinstance(error, Conflict)
    assert error.code == "payment_conflict"


def test_reused_payment_id_for_another_member_is_a_payment_conflict() -> None:
    """A payment_id already applied to one member cannot pay another member's order."""
    run = Run(campaign())
    run.open("g1", "u1")
    run.pay("g1", "u1", 1, pid="shared")
    run.join("g1", "u2", 1)
    assert run.refused(Pay(at(2), "g1", "u2", "shared", cny("70.00"))).code == "payment_conflict"


def test_wrong_amount_is_recorded_and_refunded_and_the_order_stays_pending() -> None:
    """69.99 for a 70.00 due: recorded, refunded in full at once, still pending_payment."""
    run = Run(campaign())
    run.open("g1", "u1")
    events = run.pay("g1", "u1", amount="69.99")
    assert refunds(events) == [("u1", cny("69.99"), RefundReason.AMOUNT_MISMATCH)]
    order = run.order("g1", "u1")
    assert (order.status, order.paid, order.refunded) == (
        OrderStatus.PENDING_PAYMENT,
        cny("69.99"),
        cny("69.99"),
    )
    run.pay("g1", "u1", 1, pid="p-right")
    assert run.status("g1", "u1") is OrderStatus.AWAITING_GROUP


def test_second_payment_with_a_new_id_is_refunded_at_once() -> None:
    """An order already paid that receives a new payment_id gets that money straight back."""
    run = Run(campaign())
    run.open("g1", "u1")
    run.pay("g1", "u1")
    events = run.pay("g1", "u1", 1, pid="p-again")
    assert refunds(events) == [("u1", cny("70.00"), RefundReason.DUPLICATE_PAYMENT)]
    assert [e.payment_id for e in events if isinstance(e, RefundDue)] == ["p-again"]
    assert run.order("g1", "u1").net == cny("70.00")


def test_payment_for_a_cancelled_order_is_refunded_never_swallowed() -> None:
    """Money for an order whose hold expired is recorded and refunded in full at once."""
    run = Run(campaign())
    run.open("g1", "u1")
    events = run.pay("g1", "u1", 20)
    assert refunds(events) == [("u1", cny("70.00"), RefundReason.LATE_PAYMENT)]
    assert run.status("g1", "u1") is OrderStatus.CANCELLED
    assert run.order("g1", "u1").paid == cny("70.00")


def test_payment_for_a_failed_group_is_refunded_never_swallowed() -> None:
    """Money that arrives after the group failed is recorded and refunded at once."""
    run = Run(campaign(payment_timeout="PT48H"))
    run.open("g1", "u1")
    events = run.pay("g1", "u1", 24 * 60 + 5)
    assert run.group("g1").status is GroupStatus.FAILED
    assert refunds(events) == [("u1", cny("70.00"), RefundReason.LATE_PAYMENT)]


def test_payment_after_the_group_formed_is_refunded() -> None:
    """An unpaid join cancelled by forming that then pays gets its money back at once."""
    run = Run(campaign(size=2, max_size=3))
    run.open("g1", "u1")
    run.pay("g1", "u1", 1)
    run.join("g1", "late", 1)
    run.join_and_pay("g1", "u2", 2)
    events = run.pay("g1", "late", 3)
    assert refunds(events) == [("late", cny("70.00"), RefundReason.LATE_PAYMENT)]


# -- cancel, ship, complete, refund ------------------------------------------------------------


def test_cancel_unpaid_releases_the_slot() -> None:
    """An unpaid member who leaves is cancelled and the slot is free again."""
    run = Run(campaign(size=2))
    run.open("g1", "u1")
    run.pay("g1", "u1")
    run.join("g1", "u2", 1)
    run.do(Cancel(at(2), "g1", "u2"))
    assert run.status("g1", "u2") is OrderStatus.CANCELLED
    run.join("g1", "u3", 3)


def test_cancel_paid_before_forming_is_refunded_in_full() -> None:
    """A paid member who leaves an open group is refunded in full; the order is refunded."""
    run = Run(campaign())
    run.open("g1", "u1")
    run.pay("g1", "u1")
    events = run.do(Cancel(at(1), "g1", "u1"))
    assert refunds(events) == [("u1", cny("70.00"), RefundReason.CANCELLED)]
    assert run.status("g1", "u1") is OrderStatus.REFUNDED


def test_partial_after_sales_refund_keeps_the_status_and_a_full_one_ends_the_order() -> None:
    """A partial refund leaves the order's status; one bringing the net to zero refunds it."""
    run = Run(campaign(size=2))
    run.open("g1", "u1")
    run.pay("g1", "u1")
    run.join_and_pay("g1", "u2", 1)
    run.do(Ship(at(2), "g1", "u1"))
    run.do(RequestRefund(at(3), "g1", "u1", cny("20.00")))
    assert run.status("g1", "u1") is OrderStatus.SHIPPED
    run.do(RequestRefund(at(4), "g1", "u1", cny("50.00")))
    assert run.status("g1", "u1") is OrderStatus.REFUNDED


def test_ship_then_complete() -> None:
    """A formed order ships, then completes."""
    run = Run(campaign(size=2))
    run.open("g1", "u1")
    run.pay("g1", "u1")
    run.join_and_pay("g1", "u2", 1)
    run.do(Ship(at(2), "g1", "u1"))
    run.do(Complete(at(3), "g1", "u1"))
    assert run.status("g1", "u1") is OrderStatus.COMPLETED


# -- every code --------------------------------------------------------------------------------


def test_code_group_full() -> None:
    """A join on a group holding max_size slots is refused with group_full."""
    run = Run(campaign(size=2))
    run.open("g1", "u1")
    run.pay("g1", "u1")
    run.join("g1", "u2")
    error = run.refused(Join(at(1), "g1", "u3"))
    assert (type(error), error.code) == (Rejected, "group_full")


def test_code_group_closed() -> None:
    """Joining or leaving a formed group is refused with group_closed."""
    run = formed_pair()
    assert run.refused(Join(at(2), "g1", "u3")).code == "group_closed"
    assert run.refused(Cancel(at(2), "g1", "u1")).code == "group_closed"


def test_code_unknown_group() -> None:
    """Any command naming a group never opened is refused with unknown_group."""
    run = formed_pair()
    for command in (
        Join(at(2), "nope", "u3"),
        Cancel(at(2), "nope", "u3"),
        Ship(at(2), "nope", "u3"),
        RequestRefund(at(2), "nope", "u3", cny("1.00")),
    ):
        assert run.refused(command).code == "unknown_group"


def test_code_already_member() -> None:
    """A second join by a member whose order there is not cancelled is already_member: a held,
    a paid or a refunded order alike."""
    run = Run(campaign())
    run.open("g1", "u1")
    run.pay("g1", "u1")
    run.join("g1", "u2")
    assert run.refused(Join(at(1), "g1", "u2")).code == "already_member"
    run.pay("g1", "u2", 1)
    assert run.refused(Join(at(2), "g1", "u2")).code == "already_member"
    run.do(Cancel(at(3), "g1", "u2"))
    assert run.status("g1", "u2") is OrderStatus.REFUNDED
    assert run.refused(Join(at(4), "g1", "u2")).code == "already_member"


def test_code_not_a_member() -> None:
    """A pay, cancel, ship or refund for someone without an order there is not_a_member."""
    run = formed_pair()
    for command in (
        Cancel(at(2), "g1", "u9"),
        Ship(at(2), "g1", "u9"),
        Complete(at(2), "g1", "u9"),
        RequestRefund(at(2), "g1", "u9", cny("1.00")),
    ):
        assert run.refused(command).code == "not_a_member"


def test_code_before_start() -> None:
    """A seckill join before starts_at is refused with before_start."""
    run = Run(seckill())
    assert run.refused(Open(at(0), "g1", "u1")).code == "before_start"


def test_code_limit_exceeded() -> None:
    """A join taking a member past per_member_limit is refused with limit_exceeded."""
    run = Run(campaign(per_member_limit=1))
    assert run.refused(Open(at(0), "g1", "u1", qty=2)).code == "limit_exceeded"


def test_code_out_of_stock() -> None:
    """A join for more units than the campaign has left is refused with out_of_stock."""
    run = Run(campaign(stock=1))
    run.open("g1", "u1")
    assert run.refused(Join(at(1), "g1", "u2")).code == "out_of_stock"


def test_code_payment_conflict() -> None:
    """A reused payment_id with another amount is refused with payment_conflict."""
    run = Run(campaign())
    run.open("g1", "u1")
    run.pay("g1", "u1", amount="1.00", pid="p1")
    assert run.refused(Pay(at(1), "g1", "u1", "p1", cny("70.00"))).code == "payment_conflict"


def test_code_refund_exceeds_paid() -> None:
    """An after-sales refund above what the order keeps is refused with refund_exceeds_paid."""
    run = formed_pair()
    run.do(RequestRefund(at(2), "g1", "u1", cny("60.00")))
    error = run.refused(RequestRefund(at(3), "g1", "u1", cny("10.01")))
    assert error.code == "refund_exceeds_paid"


def test_code_group_exists() -> None:
    """Opening a group id already used is refused with group_exists."""
    run = Run(campaign())
    run.open("g1", "u1")
    assert run.refused(Open(at(1), "g1", "u2")).code == "group_exists"


def test_code_order_closed() -> None:
    """Leaving twice is refused the second time with order_closed."""
    run = Run(campaign())
    run.open("g1", "u1")
    run.pay("g1", "u1")
    run.join("g1", "u2")
    run.do(Cancel(at(1), "g1", "u2"))
    assert run.refused(Cancel(at(2), "g1", "u2")).code == "order_closed"


def test_code_not_a_lottery() -> None:
    """A draw on a group that is not a lottery is refused with not_a_lottery."""
    run = formed_pair()
    assert run.refused(Draw(at(2), "g1", "s")).code == "not_a_lottery"


def test_code_group_not_formed() -> None:
    """A draw on an open lottery group is refused with group_not_formed."""
    run = Run(lottery())
    run.open("g1", "u1")
    assert run.refused(Draw(at(1), "g1", "s")).code == "group_not_formed"


def test_code_already_drawn() -> None:
    """A second draw of the same group is refused with already_drawn."""
    run = Run(lottery())
    five_paid(run, count=3)
    run.do(Draw(at(5), "g1", "s"))
    assert run.refused(Draw(at(6), "g1", "other")).code == "already_drawn"


def test_code_not_shippable() -> None:
    """Shipping an order that is not awaiting shipment is refused with not_shippable."""
    run = Run(campaign())
    run.open("g1", "u1")
    assert run.refused(Ship(at(1), "g1", "u1")).code == "not_shippable"


def test_code_not_completable() -> None:
    """Completing an order that was not shipped is refused with not_completable."""
    run = formed_pair()
    assert run.refused(Complete(at(2), "g1", "u1")).code == "not_completable"


def test_code_not_refundable() -> None:
    """An after-sales refund on an order not yet formed is refused with not_refundable."""
    run = Run(campaign())
    run.open("g1", "u1")
    run.pay("g1", "u1")
    assert run.refused(RequestRefund(at(1), "g1", "u1", cny("1.00"))).code == "not_refundable"


def test_code_unknown_coupon() -> None:
    """A coupon the campaign does not have is refused with unknown_coupon."""
    run = Run(campaign())
    assert run.refused(Open(at(0), "g1", "u1", coupons=("ghost",))).code == "unknown_coupon"


def test_code_time_went_backwards() -> None:
    """A scenario file whose events go back in time is refused with time_went_backwards (the
    file must be in time order; through the API a late command is decided at the clock)."""
    events = [
        {"at": at(10), "type": "open", "group": "g1", "member": "u1"},
        {"at": at(9), "type": "tick"},
    ]
    data = {
        "schema": 1,
        "campaign": {
            "id": "s",
            "list_price": "100.00",
            "rule": "fixed",
            "size": 2,
            "price": "70.00",
        },
        "events": events,
    }
    with pytest.raises(InvalidInput) as caught:
        parse(data)
    assert caught.value.code == "time_went_backwards"


def test_code_naive_datetime() -> None:
    """A command whose at carries no UTC offset is refused with naive_datetime when built."""
    with pytest.raises(InvalidInput) as caught:
        Open(datetime(2026, 3, 1, 10), "g1", "u1")
    assert (caught.value.code, caught.value.field) == ("naive_datetime", "at")


# -- paths agree -------------------------------------------------------------------------------


def test_fold_gives_the_same_events_and_state_as_decide_and_evolve() -> None:
    """The fast path (Fold) and the pure path produce equal events and equal states."""
    commands: list[Command] = [Open(at(0), "g1", "u1"), Pay(at(0), "g1", "u1", "p1", cny("70"))]
    commands += [Join(at(i), "g1", f"u{i}") for i in range(2, 6)]
    commands += [Pay(at(6), "g1", f"u{i}", f"p{i}", cny("70")) for i in range(2, 6)]
    commands += [Ship(at(7), "g1", "u1"), RequestRefund(at(8), "g1", "u2", cny("5"))]
    run, fold = Run(campaign()), Fold(campaign())
    for command in commands:
        assert fold.execute(command) == run.do(command)
    assert fold.state == run.state
    assert replay(run.campaign, run.log) == run.state


def test_replay_of_the_log_equals_the_state_built_step_by_step() -> None:
    """replay(campaign, log) rebuilds exactly the state the commands built."""
    run = Run(lottery())
    five_paid(run, count=3)
    run.do(Draw(at(9), "g1", "s"))
    assert replay(run.campaign, run.log) == run.state


def test_evolve_leaves_its_input_state_unchanged() -> None:
    """evolve returns a new state; the one passed in is untouched."""
    run = Run(campaign())
    run.open("g1", "u1")
    before: CampaignState = run.state
    snapshot = replay(run.campaign, run.log)
    events = decide(before, Pay(at(1), "g1", "u1", "p1", cny("70.00")))
    for event in events:
        evolve(before, event)
    assert before == snapshot
    assert before.groups["g1"].orders["u1"].status is OrderStatus.PENDING_PAYMENT


# -- through the scenario contract -------------------------------------------------------------


def test_scenario_statement_lists_rejections_and_the_two_paid_states() -> None:
    """A scenario file's refused join is listed under rejected with its index and code."""

    def pay(member: str) -> dict[str, Any]:
        return {
            "at": at(4),
            "type": "pay",
            "group": "g1",
            "member": member,
            "payment_id": member,
            "amount": "70.00",
        }

    events = [{"at": at(0), "type": "open", "group": "g1", "member": "u1"}, pay("u1")]
    events += [{"at": at(4), "type": "join", "group": "g1", "member": f"u{i}"} for i in (2, 3)]
    events += [pay("u2")]
    data = {
        "schema": 1,
        "campaign": {"id": "s", "list_price": "100.00", "rule": "fixed", "size": 2, "price": "70"},
        "events": events,
    }
    statement = settle(parse(data)).to_data()
    assert statement["rejected"] == [{"event": 3, "code": "group_full"}]
    assert statement["groups"][0]["status"] == "formed"
    assert [o["status"] for o in statement["orders"]] == ["awaiting_shipment"] * 2


def test_fold_and_pure_path_decide_a_late_command_alike() -> None:
    """A quiet tick moves neither clock, so Fold and decide+evolve judge a later command alike."""
    campaign_ = campaign()
    state = initial_state(campaign_)
    fold = Fold(campaign_)
    commands = (
        Open(at(0), "g1", "u1"),
        Pay(at(1), "g1", "u1", "p1", cny("70.00")),
        Tick(at(5)),
        Join(at(4), "g1", "u2"),
    )
    for command in commands:
        events = decide(state, command)
        for event in events:
            state = evolve(state, event)
        assert fold.execute(command) == events
    assert fold.state == state
