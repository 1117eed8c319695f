"""Refund plans, exactly: each request kind on one order worked by hand, every refusal whole.

The order o1: apples 3 × 10.00 less a 3.00 platform share ("p") paid 27.00, pears 2 × 7.50
less 1.50 of it paid 13.50; 40.50 in all, 10.00 from the balance and 30.50 by WeChat.
"""

from __future__ import annotations

from typing import Any

import pytest

from tuangou_core.campaign import Funder
from tuangou_core.errors import TuangouError
from tuangou_core.money import Money, Rounding
from tuangou_core.refunds import (
    AmountRefund,
    DiscountShare,
    FullRefund,
    PaidLine,
    PaidOrder,
    RefundPolicy,
    RefundReason,
    TenderPaid,
    UnitsRefund,
    plan_refund,
    plan_return,
)
from tuangou_core.refunds._standing import standing

PLATFORM = Funder.PLATFORM


def cny(text: str) -> Money:
    return Money.parse(text)


def order(**extra: Any) -> PaidOrder:
    lines = (
        PaidLine(
            "apple", 3, cny("10.00"), cny("27.00"), (DiscountShare("p", PLATFORM, cny("3.00")),)
        ),
        PaidLine(
            "pear", 2, cny("7.50"), cny("13.50"), (DiscountShare("p", PLATFORM, cny("1.50")),)
        ),
    )
    tenders = (
        TenderPaid("balance", "bal-1", cny("10.00")),
        TenderPaid("wechat", "wx-1", cny("30.50")),
    )
    return PaidOrder("o1", lines, tenders, coupons=("p",), **extra)


def refused(call: Any, *args: Any, **keys: Any) -> str:
    with pytest.raises(TuangouError) as caught:
        call(*args, **keys)
    return repr(caught.value)


def test_the_order_reads_its_totals() -> None:
    """Paid 40.50, nothing refunded, 40.50 due and held, 4.50 platform discount standing."""
    o = order()
    assert (o.currency, o.paid, o.refunded, o.net, o.due) == (
        "CNY",
        cny("40.50"),
        cny("0.00"),
        cny("40.50"),
        cny("40.50"),
    )
    assert o.platform_discount() == cny("4.50")
    assert o.next_refund_id() == "o1:r1"
    assert (o.lines[0].units, o.lines[0].cash, o.tenders[0].held) == (3, cny("27.00"), cny("10.00"))


def test_a_full_refund_for_a_failed_group_returns_everything_wechat_first() -> None:
    """40.50 back: both lines whole with their shares, WeChat's 30.50 then 10.00 of balance,
    the coupon restored."""
    plan = plan_refund(order(), FullRefund())
    assert plan.explain() == (
        "refund o1:r1 of o1 (group_failed): 40.50\n"
        "  line apple: 3 unit(s), cash 27.00\n"
        "    reverses p (platform) 3.00\n"
        "  line pear: 2 unit(s), cash 13.50\n"
        "    reverses p (platform) 1.50\n"
        "  to wechat wx-1: 30.50\n"
        "  to balance bal-1: 10.00\n"
        "  coupons restored: p"
    )
    assert (plan.seq, plan.units, plan.ends_order, plan.coupons_forfeited) == (1, 5, True, ())
    assert plan.discounts_reversed() == {"p": cny("4.50")}
    after = order().apply(plan)
    assert (after.net, after.refunds, after.coupons, after.next_refund_id()) == (
        cny("0.00"),
        1,
        (),
        "o1:r2",
    )
    assert [(t.kind, t.held) for t in after.tenders] == [
        ("balance", cny("0.00")),
        ("wechat", cny("0.00")),
    ]
    assert [(line.units, line.units_returned) for line in after.lines] == [(0, 3), (0, 2)]


def test_a_full_after_sales_refund_forfeits_the_coupon() -> None:
    """An order-ending refund for after-sales forfeits the coupon instead."""
    plan = plan_refund(order(), FullRefund(RefundReason.AFTER_SALES))
    assert (plan.coupons_restored, plan.coupons_forfeited) == ((), ("p",))
    assert plan.explain().endswith("  coupons forfeited: p")


@pytest.mark.parametrize(
    "reason",
    [
        RefundReason.GROUP_FAILED,
        RefundReason.LOTTERY_LOST,
        RefundReason.CANCELLED,
        RefundReason.DRAW_OVERDUE,
    ],
)
def test_the_ending_reasons_restore_coupons(reason: RefundReason) -> None:
    """Each reason that ends an order by no fault of the member restores its coupons."""
    assert plan_refund(order(), FullRefund(reason)).coupons_restored == ("p",)


def test_a_refunded_order_has_nothing_to_refund() -> None:
    """A second full refund is nothing_to_refund naming the order."""
    done = order().apply(plan_refund(order(), FullRefund()))
    assert refused(plan_refund, done, FullRefund()) == (
        "Rejected('nothing_to_refund', 'order o1 was already refunded in full', order='o1')"
    )


def test_a_full_refund_after_a_claim_took_all_the_cash_returns_the_units() -> None:
    """40.50 taken by a claim leaves the units: a full refund returns them with no cash."""
    claimed = order().apply(plan_refund(order(), AmountRefund(cny("40.50"))))
    plan = plan_refund(claimed, FullRefund())
    assert (plan.amount, plan.units, plan.tenders, plan.ends_order) == (cny("0.00"), 5, (), True)


def test_one_apple_back_gives_a_third_of_its_line() -> None:
    """1 of 3 apples: round(27.00 × 1 / 3) = 9.00; the coupon stands at round(4.50 × 31.50 /
    40.50) = 3.50, the 1.00 gone all from apples (apples alone keep 2.00, pears 1.50)."""
    plan = plan_refund(order(), UnitsRefund({"apple": 1}))
    assert plan.explain() == (
        "refund o1:r1 of o1 (after_sales): 9.00\n"
        "  line apple: 1 unit(s), cash 9.00\n"
        "    reverses p (platform) 1.00\n"
        "  to wechat wx-1: 9.00\n"
        "  coupons forfeited: p"
    )
    assert plan.ends_order is False
    after = plan.after
    assert after is not None
    apple = after.lines[0]
    assert (apple.units_returned, apple.refunded, apple.unit_refunded) == (
        1,
        cny("9.00"),
        cny("9.00"),
    )
    second = plan_refund(after, UnitsRefund({0: 2}))
    assert second.amount == cny("18.00")
    assert second.refund_id == "o1:r2"


def test_unit_returns_after_a_claim_count_only_unit_cash() -> None:
    """A 20.00 claim on apples leaves 7.00: one apple back gives min(9.00, 7.00) = 7.00."""
    claimed = order().apply(plan_refund(order(), AmountRefund(cny("20.00"), "apple")))
    assert claimed.lines[0].unit_refunded == cny("0.00")
    assert plan_refund(claimed, UnitsRefund({"apple": 1})).amount == cny("7.00")
    emptied = claimed.apply(plan_refund(claimed, AmountRefund(cny("7.00"), "apple")))
    assert refused(plan_refund, emptied, UnitsRefund({"apple": 1})) == (
        "Rejected('refund_exceeds_paid', 'order o1 has no cash left for the units asked', "
        "order='o1')"
    )


def test_every_unit_of_a_line_may_go_back_but_no_more() -> None:
    """3 apples back is the whole line; 4 is refused naming the line."""
    assert plan_refund(order(), UnitsRefund({"apple": 3})).amount == cny("27.00")
    assert refused(plan_refund, order(), UnitsRefund({"apple": 4})) == (
        "Rejected('refund_exceeds_paid', 'line apple holds 3 unit(s), 4 asked', order='o1', "
        "line='apple')"
    )
    assert refused(plan_refund, order(), UnitsRefund({"apple": 1, 0: 1})) == (
        "Rejected('refund_exceeds_paid', 'line apple holds 3 unit(s), 1 asked', order='o1', "
        "line='apple')"
    )


@pytest.mark.parametrize(
    ("units", "expected"),
    [
        (
            {"kiwi": 1},
            "InvalidInput('unknown_line', \"order o1 has no single line 'kiwi'\", field='units')",
        ),
        ({2: 1}, "InvalidInput('unknown_line', 'order o1 has no single line 2', field='units')"),
    ],
)
def test_a_units_request_naming_no_line_of_the_order_is_refused_exactly(
    units: Any, expected: str
) -> None:
    """A sku or an index the order does not have: unknown_line when planned."""
    assert refused(plan_refund, order(), UnitsRefund(units)) == expected


@pytest.mark.parametrize(
    ("units", "expected"),
    [
        (
            {},
            "InvalidInput('invalid_request', 'units must map 1 to 1000 lines to their units', "
            "field='units', value='<dict>')",
        ),
        (
            [1],
            "InvalidInput('invalid_request', 'units must map 1 to 1000 lines to their units', "
            "field='units', value='<list>')",
        ),
        (
            {-1: 1},
            "InvalidInput('unknown_line', 'units names lines by sku or index', field='units', "
            "value=-1)",
        ),
        (
            {True: 1},
            "InvalidInput('unknown_line', 'units names lines by sku or index', field='units', "
            "value=True)",
        ),
        (
            {"apple": 0},
            "InvalidInput('invalid_quantity', 'units must be a whole number from 1 to 1000000, "
            "got 0', field='units', value=0)",
        ),
        (
            {1: 1.0},
            "InvalidInput('invalid_quantity', 'units must be a whole number from 1 to 1000000, "
            "got 1.0', field='units', value=1.0)",
        ),
    ],
)
def test_a_malformed_units_request_is_refused_when_built(units: Any, expected: str) -> None:
    """No lines, not a mapping, a negative index, a bool, a count below 1 or not an int:
    refused by UnitsRefund itself, before any plan."""
    assert refused(UnitsRefund, units) == expected


def test_a_sku_on_two_lines_names_no_single_line() -> None:
    """Two lines of apples: the sku is ambiguous, the index is not."""
    apple = PaidLine("apple", 1, cny("1.00"), cny("1.00"))
    twice = PaidOrder("o2", (apple, apple), (TenderPaid("wechat", "w", cny("2.00")),))
    assert refused(plan_refund, twice, UnitsRefund({"apple": 1})) == (
        "InvalidInput('unknown_line', \"order o2 has no single line 'apple'\", field='units')"
    )
    assert plan_refund(twice, UnitsRefund({1: 1})).lines[0].index == 1


def test_a_claim_on_the_order_spreads_over_its_lines_by_cash() -> None:
    """4.05 over 27.00 and 13.50: 2.70 and 1.35, the units kept."""
    plan = plan_refund(order(), AmountRefund(cny("4.05")))
    assert [(li.sku, li.units, li.cash) for li in plan.lines] == [
        ("apple", 0, cny("2.70")),
        ("pear", 0, cny("1.35")),
    ]
    assert plan.units == 0


def test_a_claim_of_all_the_cash_ends_the_order() -> None:
    """40.50 claimed ends the order and forfeits the coupon; 40.51 is refused."""
    plan = plan_refund(order(), AmountRefund(cny("40.50")))
    assert (plan.ends_order, plan.coupons_forfeited) == (True, ("p",))
    assert refused(plan_refund, order(), AmountRefund(cny("40.51"))) == (
        "Rejected('refund_exceeds_paid', 'order o1 holds 40.50, 40.51 asked', order='o1')"
    )


def test_a_claim_on_one_line_is_bounded_by_that_line() -> None:
    """13.50 from pears is all they hold; 13.51 is refused naming the line."""
    plan = plan_refund(order(), AmountRefund(cny("13.50"), "pear"))
    # Apples alone keep their 3.00 and pears none: the 1.50 standing gone is all pears'.
    assert [(li.index, li.units, li.cash, li.discounts) for li in plan.lines] == [
        (1, 0, cny("13.50"), (DiscountShare("p", PLATFORM, cny("1.50")),))
    ]
    assert refused(plan_refund, order(), AmountRefund(cny("13.51"), "pear")) == (
        "Rejected('refund_exceeds_paid', 'line pear holds 13.50, 13.51 asked', order='o1', "
        "line='pear')"
    )


@pytest.mark.parametrize(
    ("amount", "message", "value"),
    [
        (Money(0), "amount must be positive, got 0.00", "0.00"),
        (Money(-1), "amount must not be negative, got -0.01", "-0.01"),
        (5, "amount must be Money, got int", 5),
    ],
)
def test_a_claim_of_no_positive_money_is_refused_when_built(
    amount: Any, message: str, value: object
) -> None:
    """Zero, negative or not Money: invalid_amount from AmountRefund itself, showing it."""
    with pytest.raises(TuangouError) as caught:
        AmountRefund(amount)
    assert (caught.value.code, caught.value.message, caught.value.fields) == (
        "invalid_amount",
        message,
        {"field": "amount", "value": value},
    )


def test_a_claim_in_another_currency_is_refused_when_planned() -> None:
    """1.00 USD on a CNY order: invalid_amount showing the value."""
    with pytest.raises(TuangouError) as caught:
        plan_refund(order(), AmountRefund(Money(100, "USD")))
    assert (caught.value.code, caught.value.message, caught.value.fields) == (
        "invalid_amount",
        "a refund amount must be a positive CNY amount, got Money('1.00', 'USD')",
        {"field": "amount"},
    )


def test_a_policy_can_send_the_balance_back_first() -> None:
    """balance before wechat: 15.00 takes the 10.00 balance, then 5.00 of WeChat."""
    policy = RefundPolicy(tender_order=["balance", "wechat"])
    plan = plan_refund(order(), AmountRefund(cny("15.00")), policy)
    assert [(t.kind, t.amount) for t in plan.tenders] == [
        ("balance", cny("10.00")),
        ("wechat", cny("5.00")),
    ]


def test_tenders_not_in_the_policy_follow_in_the_order_paid() -> None:
    """With only alipay listed, the balance (paid first) goes back before WeChat."""
    plan = plan_refund(order(), AmountRefund(cny("15.00")), RefundPolicy(tender_order=("alipay",)))
    assert [(t.kind, t.amount) for t in plan.tenders] == [
        ("balance", cny("10.00")),
        ("wechat", cny("5.00")),
    ]


def test_a_refund_stops_at_the_first_tender_that_covers_it() -> None:
    """30.50 is WeChat's whole: the balance is not named."""
    plan = plan_refund(order(), AmountRefund(cny("30.50")))
    assert [(t.kind, t.payment_id, t.amount) for t in plan.tenders] == [
        ("wechat", "wx-1", cny("30.50"))
    ]


@pytest.mark.parametrize("value", ["wechat", 5])
def test_a_tender_order_must_be_a_sequence(value: Any) -> None:
    """A bare string or a number is not a tender order."""
    assert refused(RefundPolicy, tender_order=value) == (
        f"InvalidInput('invalid_policy', 'tender_order must be a list, got "
        f"{type(value).__name__}', field='tender_order', value={value!r})"
    )


def test_the_default_policy() -> None:
    """WeChat before balance, the four ending reasons restore, half up."""
    policy = RefundPolicy()
    assert policy.tender_order == ("wechat", "balance")
    assert policy.restore_coupons_on == {
        RefundReason.GROUP_FAILED,
        RefundReason.LOTTERY_LOST,
        RefundReason.CANCELLED,
        RefundReason.DRAW_OVERDUE,
    }
    assert policy.rounding is Rounding.HALF_UP


def test_a_caller_named_refund_id_is_kept() -> None:
    """refund_id given: the plan carries it, the sequence still counts."""
    plan = plan_refund(order(), FullRefund(), refund_id="rf-9")
    assert (plan.refund_id, plan.seq, plan.order_id) == ("rf-9", 1, "o1")


def points_order() -> PaidOrder:
    """One line of 100.00 less 10.00 bought with 1 000 points, earning 90 points; wechat."""
    share = DiscountShare("points", PLATFORM, cny("10.00"), points=True)
    line = PaidLine("tea", 2, cny("50.00"), cny("90.00"), (share,))
    tender = TenderPaid("wechat", "wx", cny("90.00"))
    return PaidOrder("o3", (line,), (tender,), points_used=1000, points_earned=90)


def test_half_the_cash_back_returns_half_the_points_both_ways() -> None:
    """45.00 of 90.00 back: the points discount stands at 5.00, so 500 of 1 000 redeemed points
    return; round(90 × 45 / 90) = 45 earned points are kept, 45 clawed back."""
    plan = plan_refund(points_order(), AmountRefund(cny("45.00")))
    assert (plan.points_returned, plan.points_clawed_back) == (500, 45)
    assert plan.explain().splitlines()[-2:] == [
        "  points returned: 500",
        "  points earned clawed back: 45",
    ]
    after = plan.after
    assert after is not None
    assert (after.points_returned, after.points_clawed_back) == (500, 45)
    rest = plan_refund(after, UnitsRefund({"tea": 2}))
    assert (rest.points_returned, rest.points_clawed_back, rest.ends_order) == (500, 45, True)


def test_a_small_claim_returns_points_by_the_rounded_standing() -> None:
    """0.10 back of 90.00: the points discount stands at round(10.00 × 89.90 / 90.00) = 9.99,
    so round(1 000 × 999 / 1 000) = 999 stay spent and 1 point returns; round(90 × 8990 /
    9000) = 90 earned points are kept."""
    plan = plan_refund(points_order(), AmountRefund(cny("0.10")))
    assert (plan.points_returned, plan.points_clawed_back) == (1, 0)


def test_points_without_a_points_discount_all_stay_spent() -> None:
    """Points used with no points share on any line: none come back until the order ends."""
    o = order(points_used=40)
    assert plan_refund(o, AmountRefund(cny("1.00"))).points_returned == 0
    assert plan_refund(o, FullRefund()).points_returned == 40


def test_a_stray_payment_goes_back_whole() -> None:
    """plan_return: one tender, no line, no points, no order after."""
    payment = TenderPaid("wechat", "wx-9", cny("5.00"), cny("1.00"))
    plan = plan_return("g1:u9:r1", "g1:u9", payment, RefundReason.DUPLICATE_PAYMENT)
    assert (plan.refund_id, plan.order_id, plan.seq, plan.amount) == (
        "g1:u9:r1",
        "g1:u9",
        0,
        cny("4.00"),
    )
    assert [(t.kind, t.payment_id, t.amount) for t in plan.tenders] == [
        ("wechat", "wx-9", cny("4.00"))
    ]
    assert (plan.lines, plan.after, plan.ends_order, plan.units) == ((), None, False, 0)
    assert plan.explain() == (
        "refund g1:u9:r1 of g1:u9 (duplicate_payment): 4.00\n  to wechat wx-9: 4.00"
    )


def test_a_returned_payment_cannot_go_back_again() -> None:
    """A payment holding nothing is nothing_to_refund naming the order."""
    payment = TenderPaid("wechat", "wx-9", cny("5.00"), cny("5.00"))
    assert refused(plan_return, "r", "g1:u9", payment, RefundReason.LATE_PAYMENT) == (
        "Rejected('nothing_to_refund', 'payment wx-9 was already returned', order='g1:u9')"
    )


def test_a_plan_applies_only_to_the_state_it_was_made_from() -> None:
    """A plan applied twice, or to another order, or a stray return, is refund_out_of_order."""
    plan = plan_refund(order(), AmountRefund(cny("1.00")))
    after = order().apply(plan)
    assert refused(after.apply, plan) == (
        "Conflict('refund_out_of_order', 'refund o1:r1 was not planned from this state of order "
        "o1 (next is o1:r2)', refund_id='o1:r1')"
    )
    other = PaidOrder("o9", order().lines, order().tenders)
    assert "refund_out_of_order" in refused(other.apply, plan)
    stray = plan_return(
        "s", "o1", TenderPaid("wechat", "w", cny("1.00")), RefundReason.LATE_PAYMENT
    )
    assert "refund_out_of_order" in refused(order().apply, stray)


def test_the_standing_rule() -> None:
    """All while net covers due, none at zero net or zero discount, the proportion between."""
    assert standing(300, 4050, 4050) == 300
    assert standing(300, 5000, 4050) == 300
    assert standing(300, 0, 4050) == 0
    assert standing(300, -1, 4050) == 0
    assert standing(0, 100, 4050) == 0
    assert standing(450, 3150, 4050) == 350
    assert standing(1, 1, 2) == 1
    assert standing(1, 1, 2, Rounding.HALF_EVEN) == 0


def test_a_free_line_keeps_its_discount_while_it_keeps_its_units() -> None:
    """A line discounted to 0.00 beside a paid one: refunding the paid line's cash leaves the
    free line's discount standing by its units, and allocates the platform's standing there."""
    free = PaidLine(
        "gift", 1, cny("5.00"), cny("0.00"), (DiscountShare("p", PLATFORM, cny("5.00")),)
    )
    paid = PaidLine(
        "tea", 1, cny("20.00"), cny("15.00"), (DiscountShare("p", PLATFORM, cny("5.00")),)
    )
    o = PaidOrder("o4", (free, paid), (TenderPaid("wechat", "w", cny("15.00")),))
    plan = plan_refund(o, AmountRefund(cny("7.50")))
    # standing of 10.00 at 7.50 of 15.00: 5.00; tea alone keeps 2.50, the gift 5.00: 5 : 2.5.
    assert plan.discounts_reversed() == {"p": cny("5.00")}
    assert [(li.sku, [s.amount for s in li.discounts]) for li in plan.lines] == [
        ("gift", [cny("1.67")]),
        ("tea", [cny("3.33")]),
    ]
