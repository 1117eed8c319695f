"""How groups end, event by event: every event time passing, forming, failing and refunds cause,
compared whole (each field: the instants, reasons, payment ids, notes and discount shares).

The campaign is drivers' milk tea at 70.00 (list 100.00: a 30.00 group price discount funded
by the merchant); its deadline is 24 hours after opening and a hold lasts 15 minutes.
"""

from __future__ import annotations

from typing import Any

from drivers import Run, at, campaign, cny
from tuangou_core.campaign import Funder
from tuangou_core.group import (
    AuthorisationReleased,
    GroupFailed,
    GroupFormed,
    OrderCancelled,
    OrderRepriced,
    Pay,
    PaymentCaptured,
    PaymentUnmatched,
    RefundDue,
    RequestRefund,
    StockReleased,
    Tick,
)
from tuangou_core.refunds import DiscountShare, RefundReason

DAY = 60 * 24  # minutes: the deadline
TIERS = [{"size": 3, "price": "90.00"}, {"size": 5, "price": "80.00"}]


def tiered(charge: str = "prepay_highest", **keys: Any) -> Any:
    return campaign(rule="tiered", size=None, price=None, tiers=TIERS, charge=charge, **keys)


def share(name: str, amount: str, funder: Funder = Funder.MERCHANT) -> DiscountShare:
    return DiscountShare(name, funder, cny(amount), False)


def back(member: str, minutes: float, reason: RefundReason) -> RefundDue:
    """u*'s whole 70.00 refunded along its payment: one unit, the 30.00 group discount."""
    return RefundDue(
        at(minutes),
        "g1",
        member,
        f"g1:{member}:r1",
        f"p-g1-{member}",
        cny("70.00"),
        reason,
        units=1,
        discounts=(share("group price", "30.00"),),
    )


def test_a_deadline_fails_the_group_after_the_holds_that_lapsed_before_it() -> None:
    """u3's hold lapsed at 10:17 and the deadline passed at 10:00 next day: u3 is cancelled for
    its hold (once), then the group fails on its deadline and each paid order is refunded and
    its unit released."""
    run = Run(campaign(size=3, stock=10))
    run.open("g1", "u1")
    run.pay("g1", "u1")
    run.join_and_pay("g1", "u2", 1)
    run.join("g1", "u3", 2)
    late = DAY + 60
    assert run.do(Tick(at(late))) == (
        OrderCancelled(at(late), "g1", "u3", "hold_expired"),
        StockReleased(at(late), "g1", "u3", 1),
        GroupFailed(at(late), "g1", 2, at(DAY), "deadline"),
        back("u1", late, RefundReason.GROUP_FAILED),
        StockReleased(at(late), "g1", "u1", 1),
        back("u2", late, RefundReason.GROUP_FAILED),
        StockReleased(at(late), "g1", "u2", 1),
    )


def test_a_failing_group_cancels_the_holds_still_running() -> None:
    """u3 joined five minutes before the deadline: its hold is cancelled by the failure."""
    run = Run(campaign(size=3, stock=10))
    run.open("g1", "u1")
    run.pay("g1", "u1")
    run.join("g1", "u3", DAY - 5)
    assert run.do(Tick(at(DAY))) == (
        GroupFailed(at(DAY), "g1", 1, at(DAY), "deadline"),
        OrderCancelled(at(DAY), "g1", "u3", "group_failed"),
        StockReleased(at(DAY), "g1", "u3", 1),
        back("u1", DAY, RefundReason.GROUP_FAILED),
        StockReleased(at(DAY), "g1", "u1", 1),
    )


def test_an_opener_whose_hold_lapses_ends_the_group_once() -> None:
    """The opener never paid: its hold (due 10:15) ends the group then, and the deadline that
    passed in the same step of time fails it no second time."""
    run = Run(campaign(size=3))
    run.open("g1", "u1")
    late = DAY + 60
    assert run.do(Tick(at(late))) == (
        OrderCancelled(at(late), "g1", "u1", "hold_expired"),
        GroupFailed(at(late), "g1", 0, at(15), "opener_unpaid"),
    )


def test_the_deadline_itself_ends_the_group() -> None:
    """Time reaching the deadline exactly (no hold due: u9's runs past it) fails g1."""
    run = Run(campaign(size=2))
    run.open("g1", "u1")
    run.pay("g1", "u1")
    run.open("g2", "u9", DAY - 5)  # an event after u1's hold, so that hold is let go
    assert run.do(Tick(at(DAY))) == (
        GroupFailed(at(DAY), "g1", 1, at(DAY), "deadline"),
        back("u1", DAY, RefundReason.GROUP_FAILED),
    )


def test_the_draw_deadline_itself_fails_an_undrawn_lottery() -> None:
    """Formed at 10:01 with an hour to draw: at 11:01 exactly it fails, draw_overdue."""
    run = Run(campaign(rule="lottery", size=2, winners=1, draw_within="PT1H"))
    run.open("g1", "u1")
    run.pay("g1", "u1")
    run.join_and_pay("g1", "u2", 1)
    run.open("g2", "u9", 55)  # u2's hold let go; u9's runs past 11:01
    assert run.do(Tick(at(61))) == (
        GroupFailed(at(61), "g1", 2, at(61), "draw_overdue"),
        back("u1", 61, RefundReason.DRAW_OVERDUE),
        back("u2", 61, RefundReason.DRAW_OVERDUE),
    )


def test_every_hold_due_lapses_in_join_order() -> None:
    """Five unpaid joins (10:02 to 10:06) all lapse by 11:40, each once, in the order joined."""
    run = Run(campaign(size=6))
    run.open("g1", "u1")
    run.pay("g1", "u1")
    for i in range(2, 7):
        run.join("g1", f"u{i}", i)
    assert run.do(Tick(at(100))) == tuple(
        OrderCancelled(at(100), "g1", f"u{i}", "hold_expired") for i in range(2, 7)
    )


def test_money_naming_no_order_goes_back_whole() -> None:
    """Cash for no order is a planned refund, no note; an authorisation is released."""
    cash = Run(campaign(size=2)).do(Pay(at(1), "g9", "u1", "p-y", cny("5.00")))
    assert cash[1] == RefundDue(
        at(1), "g9", "u1", "unmatched:p-y", "p-y", cny("5.00"), RefundReason.UNMATCHED_PAYMENT
    )
    run = Run(tiered("capture_at_close"))
    run.open("g1", "u1")
    run.pay("g1", "u1")
    assert run.do(Pay(at(1), "g1", "nobody", "p-x", cny("5.00"))) == (
        PaymentUnmatched(at(1), "g1", "nobody", "p-x", cny("5.00"), "wechat", authorised=True),
        AuthorisationReleased(
            at(1), "g1", "nobody", "p-x", cny("5.00"), RefundReason.UNMATCHED_PAYMENT
        ),
    )


def test_capture_at_close_captures_the_tier_and_releases_the_rest() -> None:
    """Five authorised at 90.00 form at 80.00: u1 repriced, 80.00 captured, 10.00 released."""
    run = Run(tiered("capture_at_close"))
    run.open("g1", "u1")
    run.pay("g1", "u1")
    for i in range(2, 5):
        run.join_and_pay("g1", f"u{i}", i)
    events = run.join_and_pay("g1", "u5", 5)
    assert isinstance(events[3], OrderRepriced) and events[3].quote.total == cny("80.00")
    assert events[4:6] == (
        PaymentCaptured(at(5), "g1", "u1", "p-g1-u1", cny("80.00")),
        AuthorisationReleased(
            at(5), "g1", "u1", "p-g1-u1", cny("10.00"), RefundReason.TIER_DIFFERENCE
        ),
    )


def test_forming_at_the_price_charged_moves_no_money_back() -> None:
    """Three paid at the deadline form at the first tier, 90.00, what each was charged: a
    capture of all of it and no release; prepaid, nothing at all."""
    captured = Run(tiered("capture_at_close"))
    prepaid = Run(tiered())
    for run in (captured, prepaid):
        run.open("g1", "u1")
        run.pay("g1", "u1")
        for i in (2, 3):
            run.join_and_pay("g1", f"u{i}", i)
    formed = GroupFormed(at(DAY), "g1", 3, 0, cny("90.00"), at(DAY))
    assert captured.do(Tick(at(DAY))) == (
        formed,
        *(PaymentCaptured(at(DAY), "g1", f"u{i}", f"p-g1-u{i}", cny("90.00")) for i in (1, 2, 3)),
    )
    assert prepaid.do(Tick(at(DAY))) == (formed,)


def test_a_failed_capture_at_close_group_releases_the_authorisation() -> None:
    """Nothing was captured: the whole 90.00 is released along u1's payment."""
    run = Run(tiered("capture_at_close"))
    run.open("g1", "u1")
    run.pay("g1", "u1")
    assert run.do(Tick(at(DAY))) == (
        GroupFailed(at(DAY), "g1", 1, at(DAY), "deadline"),
        AuthorisationReleased(
            at(DAY), "g1", "u1", "p-g1-u1", cny("90.00"), RefundReason.GROUP_FAILED
        ),
    )


def test_a_tier_reprices_each_order_by_its_role_units_and_coupons() -> None:
    """At 80.00: the opener keeps its 75.00 leader price (no event); u2's two units go from
    180.00 to 160.00 (20.00 back); u3's 90.00 less 5.00 off becomes 75.00 (10.00 back)."""
    coupons = [{"id": "off5", "kind": "amount_off", "amount": "5.00"}]
    run = Run(tiered(leader_price="75.00", coupons=coupons))
    run.open("g1", "u1")
    run.pay("g1", "u1")
    run.join("g1", "u2", 1, qty=2)
    run.pay("g1", "u2", 1)
    run.join("g1", "u3", 2, coupons=("off5",))
    run.pay("g1", "u3", 2)
    run.join_and_pay("g1", "u4", 3)
    events = run.join_and_pay("g1", "u5", 4)
    assert not [e for e in events[3:] if getattr(e, "member", "") == "u1"]
    mine = [e for e in events if getattr(e, "member", "") in ("u2", "u3")]
    repriced = [(e.member, e.quote.total) for e in mine if isinstance(e, OrderRepriced)]
    assert repriced == [("u2", cny("160.00")), ("u3", cny("75.00"))]
    assert [e for e in mine if isinstance(e, RefundDue)] == [
        RefundDue(
            at(4),
            "g1",
            "u2",
            "g1:u2:r1",
            "p-g1-u2",
            cny("20.00"),
            RefundReason.TIER_DIFFERENCE,
            discounts=(share("group price", "-20.00"),),
        ),
        RefundDue(
            at(4),
            "g1",
            "u3",
            "g1:u3:r1",
            "p-g1-u3",
            cny("10.00"),
            RefundReason.TIER_DIFFERENCE,
            discounts=(share("group price", "-10.00"),),
        ),
    ]


def test_price_protection_funds_only_the_coupon_that_lapsed() -> None:
    """u1 pays 75.00 at 90.00 (10.00 off at 90.00, platform; 5.00 off, merchant). At 85.00
    the threshold lapses, 85.00 - 5.00 = 80.00 > 75.00: the platform's lapsed coupon funds the
    5.00 gap; the 5.00 off still applies as itself."""
    coupons = [
        {"id": "t90", "kind": "threshold", "threshold": "90.00", "amount": "10.00"},
        {"id": "off5", "kind": "amount_off", "amount": "5.00"},
    ]
    coupons[0]["funded_by"] = "platform"
    tiers = [{"size": 2, "price": "90.00"}, {"size": 3, "price": "85.00"}]
    run = Run(campaign(rule="tiered", size=None, price=None, tiers=tiers, coupons=coupons))
    run.open("g1", "u1", coupons=("t90", "off5"))
    run.pay("g1", "u1")
    run.join_and_pay("g1", "u2", 1)
    (repriced,) = [
        e
        for e in run.join_and_pay("g1", "u3", 2)
        if isinstance(e, OrderRepriced) and e.member == "u1"
    ]
    assert [(s.name, s.funder, s.amount) for s in repriced.quote.steps] == [
        ("group price", Funder.MERCHANT, cny("15.00")),
        ("off5", Funder.MERCHANT, cny("5.00")),
        ("price protection (t90)", Funder.PLATFORM, cny("5.00")),
    ]


def test_a_tier_reached_at_the_deadline_cancels_the_holds_still_running() -> None:
    """Three paid at the deadline form at 90.00; u4, joined five minutes before, is cancelled
    by the forming and its unit released."""
    run = Run(tiered(stock=10))
    run.open("g1", "u1")
    run.pay("g1", "u1")
    for i in (2, 3):
        run.join_and_pay("g1", f"u{i}", i)
    run.join("g1", "u4", DAY - 5)
    assert run.do(Tick(at(DAY))) == (
        GroupFormed(at(DAY), "g1", 3, 0, cny("90.00"), at(DAY)),
        OrderCancelled(at(DAY), "g1", "u4", "group_formed"),
        StockReleased(at(DAY), "g1", "u4", 1),
    )


def test_an_after_sales_refund_carries_its_note_and_forfeits_the_coupon() -> None:
    """10.00 back of u1's 65.00 (30.00 group price, 5.00 off): the shares 30 × 10 / 65 = 4.61
    and 5 × 10 / 65 = 0.77 go back, the words asked with are the note, the coupon forfeited."""
    run = Run(campaign(size=2, coupons=[{"id": "off5", "kind": "amount_off", "amount": "5.00"}]))
    run.open("g1", "u1", coupons=("off5",))
    run.pay("g1", "u1")
    run.join_and_pay("g1", "u2", 1)
    events = run.do(RequestRefund(at(2), "g1", "u1", cny("10.00"), reason="damaged"))
    assert events == (
        RefundDue(
            at(2),
            "g1",
            "u1",
            "g1:u1:r1",
            "p-g1-u1",
            cny("10.00"),
            RefundReason.AFTER_SALES,
            "damaged",
            discounts=(share("group price", "4.61"), share("off5", "0.77")),
            coupons_forfeited=("off5",),
        ),
    )


def test_a_refund_for_a_member_without_an_order_is_refused_naming_both() -> None:
    """u7 has no order in g1: not_a_member, with the group and the member."""
    run = Run(campaign(size=2))
    run.open("g1", "u1")
    run.pay("g1", "u1")
    error = run.refused(RequestRefund(at(2), "g1", "u7", cny("10.00")))
    assert repr(error) == (
        "Rejected('not_a_member', \"'u7' has no order in group 'g1'\", group='g1', member='u7')"
    )
