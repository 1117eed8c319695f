"""The fold's handlers, exactly: the state a short log leaves, field by field (every group,
order, payment, unit, heap entry, stray payment and refund id), what time lets go of, states
handed out that later events leave alone, and the words of an event that does not fit.

drivers' milk tea at 70.00: a hold lasts 15 minutes, a deadline 24 hours.
"""

from __future__ import annotations

from typing import Any

import attrs
import pytest

from drivers import Run, at, campaign, cny
from tuangou_core.errors import InvalidInput
from tuangou_core.group import (
    CampaignState,
    Cancel,
    Complete,
    Draw,
    Fold,
    GroupStatus,
    Join,
    Open,
    OrderShipped,
    OrderStatus,
    Pay,
    PaymentReceived,
    RequestRefund,
    Ship,
    Tick,
    Unmatched,
    evolve,
    initial_state,
)

TIERS = [{"size": 3, "price": "90.00"}, {"size": 5, "price": "80.00"}]
ZERO = cny("0.00")


def order_fields(run: Run, group: str, member: str) -> dict[str, Any]:
    order = run.order(group, member)
    return {f.name: getattr(order, f.name) for f in attrs.fields(type(order)) if f.name != "quote"}


def formed_and_refunded() -> Run:
    """Size 2, stock 10: u1 opens and pays at 10:00, u2 joins and pays at 10:01 (formed);
    10.00 back to u2 at 10:02 ("damaged"); 5.00 naming no order at 10:03."""
    run = Run(campaign(size=2, stock=10))
    run.open("g1", "u1")
    run.pay("g1", "u1")
    run.join_and_pay("g1", "u2", 1)
    run.do(RequestRefund(at(2), "g1", "u2", cny("10.00"), reason="damaged"))
    run.do(Pay(at(3), "g9", "u9", "p-x", cny("5.00")))
    return run


def test_a_short_log_leaves_exactly_this_campaign_state() -> None:
    """Sequence numbers: g1's deadline 1, u1's order 2 and hold 3, u2's order 4 and hold 5;
    the clock at the last event; one unit each; the stray 5.00 returned whole."""
    s = formed_and_refunded().state
    assert s.payments == {
        "p-g1-u1": ("g1", "u1", cny("70.00")),
        "p-g1-u2": ("g1", "u2", cny("70.00")),
        "p-x": ("g9", "u9", cny("5.00")),
    }
    assert (s.units, s.stock_taken, s.clock, s.order_seq) == ({"u1": 1, "u2": 1}, 2, at(3), 5)
    assert list(s.holds) == [(at(15), 3, "g1", "u1"), (at(16), 5, "g1", "u2")]
    assert (list(s.deadlines), list(s.draws)) == ([(at(24 * 60), 1, "g1")], [])
    assert s.unmatched == {
        "p-x": Unmatched("g9", "u9", "p-x", cny("5.00"), "wechat", False, cny("5.00"))
    }
    assert s.refund_ids == {
        "g1:u2:r1": ("g1", "u2", 0, cny("10.00")),
        "unmatched:p-x": ("g9", "u9", 0, cny("5.00")),
    }


def test_a_formed_group_holds_its_opener_leader_counts_and_forming() -> None:
    """g1 opened by u1 at 10:00, formed at 10:01 with two paid, none pending or virtual."""
    group = formed_and_refunded().group("g1")
    fields = {f.name: getattr(group, f.name) for f in attrs.fields(type(group))}
    del fields["orders"]
    assert fields == {
        "id": "g1",
        "opener": "u1",
        "leader": "u1",
        "opened_at": at(0),
        "deadline": at(24 * 60),
        "status": GroupStatus.FORMED,
        "unit_price": cny("70.00"),
        "pending": 0,
        "paid": 2,
        "virtual": 0,
        "winners": (),
        "drawn": False,
        "formed_at": at(1),
        "formed_size": 2,
        "spill_of": None,
    }


def test_each_order_holds_its_join_payment_and_refunds() -> None:
    """u1 untouched since paying; u2 paid 70.00, 10.00 back after sales along its payment."""
    run = formed_and_refunded()
    common = {"group": "g1", "qty": 1, "status": OrderStatus.AWAITING_SHIPMENT}
    common |= {"authorised": ZERO, "unit_refunded": ZERO, "tender": "wechat"}
    common |= {"units_returned": 0, "coupons": (), "coupons_settled": False}
    common |= {"paid": cny("70.00"), "settled": cny("70.00")}
    assert order_fields(run, "g1", "u1") == {
        **common,
        "member": "u1",
        "seq": 2,
        "role": "opener",
        "joined_at": at(0),
        "hold_until": at(15),
        "refunded": ZERO,
        "after_sales": ZERO,
        "returned": ZERO,
        "payment_id": "p-g1-u1",
        "refund_count": 0,
    }
    assert order_fields(run, "g1", "u2") == {
        **common,
        "member": "u2",
        "seq": 4,
        "role": "joiner",
        "joined_at": at(1),
        "hold_until": at(16),
        "refunded": cny("10.00"),
        "after_sales": cny("10.00"),
        "returned": cny("10.00"),
        "payment_id": "p-g1-u2",
        "refund_count": 1,
    }


def test_time_lets_go_of_holds_deadlines_and_draws_that_no_longer_matter() -> None:
    """At 10:16 (u8 opens g2) u1's hold (due 10:15) and u2's (due then) are paid and let go,
    u8's stays; at the next day's 10:05 g1's deadline (formed) goes, and g2's (failed) too."""
    run = formed_and_refunded()
    run.open("g2", "u8", 16)
    assert list(run.state.holds) == [(at(31), 8, "g2", "u8")]
    run.do(Tick(at(24 * 60 + 16)))
    assert (list(run.state.holds), list(run.state.deadlines)) == ([], [])


def test_a_lotterys_draw_deadline_stays_until_drawn_then_goes() -> None:
    """Formed at 10:01: the draw is due by 10:01 next day; once drawn, an event at that
    instant lets it go."""
    run = Run(campaign(rule="lottery", size=2, winners=1))
    run.open("g1", "u1")
    run.pay("g1", "u1")
    run.join_and_pay("g1", "u2", 1)
    assert list(run.state.draws) == [(at(24 * 60 + 1), 6, "g1")]
    run.do(Draw(at(2), "g1", "seed"))
    run.open("g2", "u9", 24 * 60 + 1)  # exactly at the draw deadline
    assert list(run.state.draws) == []
    group = run.group("g1")
    assert (group.drawn, len(group.winners)) == (True, 1)
    (winner,) = group.winners
    assert run.status("g1", winner) is OrderStatus.AWAITING_SHIPMENT


def test_a_cancelled_order_is_reopened_by_a_new_join() -> None:
    """u2 leaves unpaid at 10:02 (cancelled, its unit back); joining again at 10:05 with two
    units makes the same order pending again beside u3's and u4's: a new hold (10:20), its quantity
    and due, its coupons not settled."""
    run = Run(campaign(size=5, stock=10))
    run.open("g1", "u1")
    run.pay("g1", "u1")
    run.join("g1", "u2", 1)
    run.join("g1", "u3", 1)
    run.join("g1", "u4", 1)
    run.do(Cancel(at(2), "g1", "u2"))
    assert (run.status("g1", "u2"), run.group("g1").pending, run.state.units["u2"]) == (
        OrderStatus.CANCELLED,
        2,
        0,
    )
    run.join("g1", "u2", 5, qty=2)
    order = run.order("g1", "u2")
    assert (order.status, order.qty, order.joined_at, order.hold_until) == (
        OrderStatus.PENDING_PAYMENT,
        2,
        at(5),
        at(20),
    )
    assert (order.coupons, order.coupons_settled) == ((), False)
    assert (order.due, run.group("g1").pending, run.state.units["u2"]) == (cny("140.00"), 3, 2)
    assert list(run.state.holds)[-1] == (at(20), 10, "g1", "u2")


def test_leadership_shipping_and_completion_change_their_fields_only() -> None:
    """The paid leader leaves: u2 leads, u1 refunded; then u2's order ships and completes."""
    run = Run(campaign(size=3))
    run.open("g1", "u1")
    run.pay("g1", "u1")
    run.join_and_pay("g1", "u2", 1)
    run.do(Cancel(at(2), "g1", "u1"))
    assert (run.group("g1").leader, run.group("g1").opener, run.group("g1").paid) == (
        "u2",
        "u1",
        1,
    )
    assert (run.status("g1", "u1"), run.order("g1", "u1").refunded) == (
        OrderStatus.REFUNDED,
        cny("70.00"),
    )
    run.join_and_pay("g1", "u3", 3)
    run.join_and_pay("g1", "u4", 3)
    run.do(Ship(at(4), "g1", "u2"))
    assert run.status("g1", "u2") is OrderStatus.SHIPPED
    run.do(Complete(at(5), "g1", "u2"))
    assert run.status("g1", "u2") is OrderStatus.COMPLETED


def test_capture_at_close_moves_the_authorisation_into_paid() -> None:
    """Five authorised at 90.00: 80.00 each captured (paid and settled), 10.00 released, none
    left authorised; a stray authorisation is recorded and returned whole."""
    run = Run(
        campaign(rule="tiered", size=None, price=None, tiers=TIERS, charge="capture_at_close")
    )
    run.open("g1", "u1")
    run.pay("g1", "u1")
    assert (run.order("g1", "u1").authorised, run.order("g1", "u1").settled) == (
        cny("90.00"),
        ZERO,
    )
    for i in range(2, 6):
        run.join_and_pay("g1", f"u{i}", i)
    order = run.order("g1", "u1")
    assert (order.paid, order.authorised, order.settled, order.refunded) == (
        cny("80.00"),
        ZERO,
        cny("80.00"),
        ZERO,
    )
    run.do(Pay(at(6), "g1", "nobody", "p-x", cny("5.00")))
    stray = run.state.unmatched["p-x"]
    assert (stray.authorised, stray.returned) == (True, cny("5.00"))


def test_a_state_handed_out_stays_as_it_was_while_the_fold_goes_on() -> None:
    """Read after the first payment, the state is unchanged by every later kind of write
    (groups, payments, units, holds, deadlines, stray payments, refund ids)."""
    fold = Fold(campaign(size=2, stock=10))
    fold.execute(Open(at(0), "g1", "u1"))
    fold.execute(Pay(at(0), "g1", "u1", "p1", cny("70.00")))
    early = fold.state
    copy = attrs.evolve(early)
    fold.execute(Join(at(1), "g1", "u2"))
    fold.execute(Pay(at(1), "g1", "u2", "p2", cny("70.00")))
    fold.execute(RequestRefund(at(2), "g1", "u2", cny("10.00")))
    fold.execute(Pay(at(3), "g9", "u9", "p-x", cny("5.00")))
    fold.execute(Open(at(30), "g2", "u8"))
    assert early == copy
    assert (len(early.payments), early.units, list(early.holds)) == (
        1,
        {"u1": 1},
        [(at(15), 3, "g1", "u1")],
    )
    assert (early.unmatched, early.refund_ids, set(early.groups)) == ({}, {}, {"g1"})
    assert early.groups["g1"].paid == 1 and set(early.groups["g1"].orders) == {"u1"}


def test_evolve_leaves_its_input_state_alone() -> None:
    """evolve returns a new state; the one given is not written to."""
    state = initial_state(campaign(size=2))
    run = Run(campaign(size=2))
    run.open("g1", "u1")
    after = evolve(state, run.log[0])
    assert (state.groups, list(state.deadlines), state.order_seq) == ({}, [], 0)
    assert isinstance(after, CampaignState) and set(after.groups) == {"g1"}


def test_an_event_that_does_not_fit_is_refused_in_words() -> None:
    """A payment for an order never placed: event_misfit naming the event and the lookup."""
    event = PaymentReceived(at(0), "g1", "u1", "p1", cny("70.00"), "wechat")
    with pytest.raises(InvalidInput) as caught:
        evolve(initial_state(campaign(size=2)), event)
    assert repr(caught.value) == (
        "InvalidInput('event_misfit', \"the state cannot take this PaymentReceived (KeyError: "
        "'g1'); events apply in the order decide produced them, to the state they were decided "
        "on\", field='event', value='PaymentReceived')"
    )


def money_of(run: Run, member: str) -> tuple[Any, ...]:
    o = run.order("g1", member)
    return (o.status, o.paid, o.refunded, o.after_sales, o.settled, o.returned, o.unit_refunded)


def test_cash_returned_before_an_order_settles_is_not_its_settled_cash() -> None:
    """u2 pays 50.00 short (returned), then 70.00: paid 120.00, refunded 50.00, settled 70.00;
    leaving before forming refunds the 70.00 along its payment, its unit counted back."""
    run = Run(campaign(size=3))
    run.open("g1", "u1")
    run.pay("g1", "u1")
    run.join("g1", "u2", 1)
    run.pay("g1", "u2", 1, amount="50.00", pid="short")
    run.pay("g1", "u2", 2, pid="full")
    assert money_of(run, "u2") == (
        OrderStatus.AWAITING_GROUP,
        *(cny("120.00"), cny("50.00"), ZERO, cny("70.00"), ZERO, ZERO),
    )
    assert (run.order("g1", "u2").refund_count, run.group("g1").paid) == (1, 2)
    run.do(Cancel(at(3), "g1", "u2"))
    assert money_of(run, "u2") == (
        OrderStatus.REFUNDED,
        *(cny("120.00"), cny("120.00"), ZERO, cny("70.00"), cny("70.00"), cny("70.00")),
    )
    order = run.order("g1", "u2")
    assert (order.refund_count, order.units_returned, run.group("g1").paid) == (2, 1, 1)


def test_after_sales_refunds_add_up_until_the_order_ends() -> None:
    """u2's two units cost 135.00 (140.00 less 5.00 off): one unit back is 67.50 (the coupon
    forfeited), then 5.00, then the last 62.50 ends the order; the group stays formed."""
    coupons = [{"id": "off5", "kind": "amount_off", "amount": "5.00"}]
    run = Run(campaign(size=2, coupons=coupons))
    run.open("g1", "u1")
    run.pay("g1", "u1")
    run.join("g1", "u2", 1, qty=2, coupons=("off5",))
    run.pay("g1", "u2", 1)
    run.do(RequestRefund(at(2), "g1", "u2", units=1))
    half = cny("67.50")
    shipped = OrderStatus.AWAITING_SHIPMENT
    assert money_of(run, "u2") == (shipped, cny("135.00"), half, half, cny("135.00"), half, half)
    assert (run.order("g1", "u2").units_returned, run.order("g1", "u2").coupons_settled) == (
        1,
        True,
    )
    run.do(RequestRefund(at(3), "g1", "u2", cny("5.00")))
    more = cny("72.50")
    assert money_of(run, "u2") == (shipped, cny("135.00"), more, more, cny("135.00"), more, half)
    run.do(RequestRefund(at(4), "g1", "u2", cny("62.50")))
    whole = cny("135.00")
    assert money_of(run, "u2") == (OrderStatus.REFUNDED, whole, whole, whole, whole, whole, half)
    assert (run.order("g1", "u2").refund_count, run.group("g1").paid) == (3, 2)


def test_a_failed_capture_at_close_order_ends_with_nothing_held() -> None:
    """The whole 90.00 authorisation released: nothing authorised, the order refunded."""
    run = Run(
        campaign(rule="tiered", size=None, price=None, tiers=TIERS, charge="capture_at_close")
    )
    run.open("g1", "u1")
    run.pay("g1", "u1")
    run.do(Tick(at(24 * 60)))
    order = run.order("g1", "u1")
    assert (order.status, order.authorised, order.paid, run.group("g1").paid) == (
        OrderStatus.REFUNDED,
        ZERO,
        ZERO,
        0,
    )


def test_a_group_and_an_order_before_anything_settles() -> None:
    """Just opened, g1 is at the campaign's 70.00 with no virtual member and no forming size;
    u1's order, unpaid, has settled and returned nothing and its tender is wechat."""
    run = Run(campaign(size=3))
    run.open("g1", "u1")
    group = run.group("g1")
    assert (group.unit_price, group.virtual, group.formed_size, group.pending) == (
        cny("70.00"),
        0,
        0,
        1,
    )
    order = run.order("g1", "u1")
    assert (order.settled, order.returned, order.tender, order.payment_id) == (
        ZERO,
        ZERO,
        "wechat",
        None,
    )


def test_a_duplicate_payments_refund_is_not_returned_along_the_order() -> None:
    """u1 pays 70.00 twice: the second goes back (refunded 70.00), nothing along p-g1-u1."""
    run = Run(campaign(size=3))
    run.open("g1", "u1")
    run.pay("g1", "u1")
    run.pay("g1", "u1", 1, pid="dup")
    order = run.order("g1", "u1")
    assert (order.paid, order.refunded, order.settled, order.returned) == (
        cny("140.00"),
        cny("70.00"),
        cny("70.00"),
        ZERO,
    )


def test_an_event_earlier_than_the_clock_leaves_it() -> None:
    """The state's clock stays at 10:03 when an event stamped 10:01 is applied."""
    state = formed_and_refunded().state
    assert evolve(state, OrderShipped(at(1), "g1", "u1")).clock == at(3)


def test_junk_is_refused_naming_its_type() -> None:
    """A string is no event: unknown_event, named a str."""
    with pytest.raises(InvalidInput) as caught:
        evolve(initial_state(campaign(size=2)), "junk")  # type: ignore[arg-type]
    assert repr(caught.value) == (
        "InvalidInput('unknown_event', 'the event is a str, not an event the decider knows', "
        "field='event', value='str')"
    )


def test_holds_go_at_their_due_instant_and_only_once_they_no_longer_hold() -> None:
    """Size 3, u1 paid (hold due 10:15), u2 unpaid (due 10:16): an event at 10:15 lets u1's
    go, even though g1 is still open; u2's stays until it lapses."""
    run = Run(campaign(size=3))
    run.open("g1", "u1")
    run.pay("g1", "u1")
    run.join("g1", "u2", 1)
    run.open("g2", "u8", 15)
    assert list(run.state.holds) == [(at(16), 5, "g1", "u2"), (at(30), 8, "g2", "u8")]


def test_a_draw_let_go_leaves_a_state_handed_out_alone() -> None:
    """Read at forming, the state keeps its draw entry after the fold draws and lets it go."""
    fold = Fold(campaign(rule="lottery", size=2, winners=1))
    fold.execute(Open(at(0), "g1", "u1"))
    fold.execute(Pay(at(0), "g1", "u1", "p1", cny("70.00")))
    fold.execute(Join(at(1), "g1", "u2"))
    fold.execute(Pay(at(1), "g1", "u2", "p2", cny("70.00")))
    early = fold.state
    fold.execute(Draw(at(2), "g1", "seed"))
    fold.execute(Open(at(24 * 60 + 1), "g2", "u9"))
    assert list(fold.state.draws) == []
    assert list(early.draws) == [(at(24 * 60 + 1), 6, "g1")]
