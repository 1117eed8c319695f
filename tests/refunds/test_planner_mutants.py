"""The planner's arguments, stray returns, tender order and the unit rule's edges, exactly."""

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
    RefundPlan,
    RefundPolicy,
    RefundReason,
    TenderPaid,
    TenderRefund,
    UnitsRefund,
    plan_refund,
    plan_return,
)


def cny(text: str) -> Money:
    return Money.parse(text)


def refused(call: Any, *args: Any, **keys: Any) -> str:
    with pytest.raises(TuangouError) as caught:
        call(*args, **keys)
    return repr(caught.value)


def tea_order(**line: Any) -> PaidOrder:
    """Two teas paid 20.00 by WeChat."""
    tea = PaidLine("tea", 2, cny("10.00"), cny("20.00"), **line)
    held = cny("20.00") - tea.refunded
    return PaidOrder("o1", (tea,), (TenderPaid("wechat", "w", held),))


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        (
            (None, FullRefund()),
            "InvalidInput('invalid_input', 'order must be a PaidOrder, got NoneType', "
            "field='order', value='NoneType')",
        ),
        (
            (tea_order(), "all"),
            "InvalidInput('invalid_request', 'request must be a refund request, got str', "
            "field='request', value='str')",
        ),
        (
            (tea_order(), FullRefund(), "p"),
            "InvalidInput('invalid_policy', 'policy must be a RefundPolicy, got str', "
            "field='policy', value='str')",
        ),
    ],
    ids=["order", "request", "policy"],
)
def test_the_planner_refuses_junk_arguments_naming_each(arguments: Any, expected: str) -> None:
    """An order, request or policy of the wrong type: its own code, field and type."""
    assert refused(plan_refund, *arguments) == expected


def test_a_caller_refund_id_is_text() -> None:
    """refund_id 5 or empty is refused; None takes the order's next id."""
    assert refused(plan_refund, tea_order(), FullRefund(), refund_id=5) == (
        "InvalidInput('invalid_refund_id', 'refund_id must be text, got int', "
        "field='refund_id', value=5)"
    )
    assert "'refund_id must not be empty'" in refused(
        plan_refund, tea_order(), FullRefund(), refund_id=""
    )
    assert plan_refund(tea_order(), FullRefund(), refund_id=None).refund_id == "o1:r1"


def test_a_unit_return_never_gives_back_less_than_nothing() -> None:
    """A line whose unit returns already took 15.00 of 20.00 (none returned): one tea back
    would give round(20.00 × 1 / 2) − 15.00 = −5.00, so nothing, and the request is refused."""
    order = tea_order(refunded=cny("15.00"), unit_refunded=cny("15.00"))
    assert refused(plan_refund, order, UnitsRefund({"tea": 1})) == (
        "Rejected('refund_exceeds_paid', 'order o1 has no cash left for the units asked', "
        "order='o1')"
    )


def test_the_unit_rule_rounds_as_the_policy_says() -> None:
    """One of two units of 0.05: round(2.5) is 0.03 half up, 0.02 half even."""
    order = PaidOrder(
        "o1", (PaidLine("x", 2, cny("0.03"), cny("0.05")),), (TenderPaid("w", "w", cny("0.05")),)
    )
    assert plan_refund(order, UnitsRefund({"x": 1})).amount == cny("0.03")
    even = RefundPolicy(rounding=Rounding.HALF_EVEN)
    assert plan_refund(order, UnitsRefund({"x": 1}), even).amount == cny("0.02")


def test_a_tender_that_holds_nothing_is_passed_over() -> None:
    """WeChat already gave back its 10.00: 5.00 more comes from the balance alone."""
    tea = PaidLine("tea", 2, cny("10.00"), cny("20.00"), refunded=cny("10.00"))
    tenders = (
        TenderPaid("wechat", "w", cny("10.00"), cny("10.00")),
        TenderPaid("balance", "b", cny("10.00")),
    )
    plan = plan_refund(PaidOrder("o1", (tea,), tenders), AmountRefund(cny("5.00")))
    assert plan.tenders == (TenderRefund("balance", "b", cny("5.00")),)


def test_a_partial_refund_for_a_reason_that_is_not_after_sales_keeps_the_coupons() -> None:
    """A 5.00 claim for a cancelled order that does not end it neither restores nor forfeits."""
    order = PaidOrder(
        "o1",
        (PaidLine("tea", 2, cny("10.00"), cny("20.00")),),
        (TenderPaid("wechat", "w", cny("20.00")),),
        coupons=("c1",),
    )
    plan = plan_refund(order, AmountRefund(cny("5.00"), reason=RefundReason.CANCELLED))
    assert (plan.coupons_restored, plan.coupons_forfeited, plan.ends_order) == ((), (), False)
    assert plan.after is not None
    assert plan.after.coupons == ("c1",)


# -- stray payments -----------------------------------------------------------------------------


def test_a_stray_cent_goes_back_as_the_whole_plan_says() -> None:
    """0.01 still held goes back: the plan is one tender and nothing else, its reason read
    from its text."""
    payment = TenderPaid("wechat", "wx", cny("0.01"))
    assert plan_return("r1", "g1:u1", payment, "late_payment") == RefundPlan(  # type: ignore[arg-type]
        refund_id="r1",
        order_id="g1:u1",
        seq=0,
        reason=RefundReason.LATE_PAYMENT,
        amount=cny("0.01"),
        lines=(),
        tenders=(TenderRefund("wechat", "wx", cny("0.01")),),
        points_returned=0,
        points_clawed_back=0,
        coupons_restored=(),
        coupons_forfeited=(),
        ends_order=False,
        after=None,
    )


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        (
            (None, "g1:u1", TenderPaid("w", "p", cny("1.00")), RefundReason.LATE_PAYMENT),
            "InvalidInput('invalid_refund_id', 'refund_id is required', field='refund_id')",
        ),
        (
            ("", "g1:u1", TenderPaid("w", "p", cny("1.00")), RefundReason.LATE_PAYMENT),
            "InvalidInput('invalid_refund_id', 'refund_id must not be empty', "
            "field='refund_id', value='')",
        ),
        (
            ("r1", 5, TenderPaid("w", "p", cny("1.00")), RefundReason.LATE_PAYMENT),
            "InvalidInput('invalid_order', 'order_id must be text, got int', field='order_id', "
            "value=5)",
        ),
        (
            ("r1", "g1:u1", ("wechat", "p", cny("1.00")), RefundReason.LATE_PAYMENT),
            "InvalidInput('invalid_input', 'payment must be a TenderPaid, got tuple', "
            "field='payment', value='tuple')",
        ),
    ],
    ids=["no refund id", "empty refund id", "order id", "payment"],
)
def test_a_stray_return_refuses_junk_arguments_naming_each(arguments: Any, expected: str) -> None:
    """No refund id, an empty one, an order id that is not text, a payment that is not one."""
    assert refused(plan_return, *arguments) == expected


def test_a_stray_return_names_a_known_reason() -> None:
    """A reason that is no RefundReason is invalid_request naming reason."""
    with pytest.raises(TuangouError) as caught:
        plan_return("r1", "g1:u1", TenderPaid("w", "p", cny("1.00")), "late")  # type: ignore[arg-type]
    assert (caught.value.code, caught.value.field, caught.value.fields["value"]) == (
        "invalid_request",
        "reason",
        "late",
    )


def test_a_units_request_names_at_most_a_thousand_lines() -> None:
    """1 000 lines are a request, 1 001 are refused."""
    assert len(UnitsRefund(dict.fromkeys(range(1000), 1)).units) == 1000
    assert refused(UnitsRefund, dict.fromkeys(range(1001), 1)) == (
        "InvalidInput('invalid_request', 'units must map 1 to 1000 lines to their units', "
        "field='units', value='<dict>')"
    )


def test_a_units_request_cannot_change_after_it_was_checked() -> None:
    """The request holds its own read-only copy: changing the mapping given changes nothing,
    and its own refuses a write."""
    given = {"tea": 1}
    request = UnitsRefund(given)
    given["tea"] = 0
    assert request.units == {"tea": 1}
    with pytest.raises(TypeError):
        request.units["tea"] = 0  # type: ignore[index]


# -- the standing rule's edges ------------------------------------------------------------------

M = DiscountShare


def test_a_funder_whose_discount_still_stands_whole_does_not_stop_the_next() -> None:
    """100.00 paid after 0.01 (merchant) and 10.00 (platform) off; 10.00 back leaves 90 of 100:
    the merchant's round(0.01 × 0.9) = 0.01 stands whole, the platform's 9.00, so 1.00 of it
    is reversed."""
    line = PaidLine(
        "x",
        1,
        cny("110.01"),
        cny("100.00"),
        (M("m", Funder.MERCHANT, cny("0.01")), M("p", Funder.PLATFORM, cny("10.00"))),
    )
    order = PaidOrder("o1", (line,), (TenderPaid("wechat", "w", cny("100.00")),))
    plan = plan_refund(order, AmountRefund(cny("10.00")))
    assert plan.lines[0].discounts == (M("p", Funder.PLATFORM, cny("1.00")),)


def test_a_line_due_one_cent_and_refunded_keeps_nothing_alone() -> None:
    """a: 0.01 due, refunded whole; b: 10.00 due, 5.00 refunded; 1.00 off each (platform). The
    order keeps round(2.00 × 5.00 / 10.01) = 1.00, spread by what each keeps alone: a nothing
    (no cash), b round(1.00 × 5.00 / 10.00) = 0.50, so all 1.00 on b."""
    p = M("p", Funder.PLATFORM, cny("1.00"))
    a = PaidLine("a", 1, cny("1.01"), cny("0.01"), (p,), refunded=cny("0.01"))
    b = PaidLine("b", 1, cny("11.00"), cny("10.00"), (p,), refunded=cny("5.00"))
    order = PaidOrder("o1", (a, b), (TenderPaid("wechat", "w", cny("10.01"), cny("5.01")),))
    assert order.standing_discounts() == ((M("p", Funder.PLATFORM, cny("0.00")),), (p,))


def test_what_each_line_keeps_alone_rounds_as_named_too() -> None:
    """x: 0.01 off, 0.01 of 0.02 left; y: 0.04 off, 0.60 of 1.00 left. The order keeps
    round(0.05 × 0.61 / 1.02) = 0.03 either way; alone x keeps round(0.5) (1 half up, 0 half
    even) and y round(2.4) = 2: half up spreads 3 as 1 : 2, half even all on y."""
    x = PaidLine(
        "x",
        1,
        cny("0.03"),
        cny("0.02"),
        (M("p", Funder.PLATFORM, cny("0.01")),),
        refunded=cny("0.01"),
    )
    y = PaidLine(
        "y",
        1,
        cny("1.04"),
        cny("1.00"),
        (M("p", Funder.PLATFORM, cny("0.04")),),
        refunded=cny("0.40"),
    )
    order = PaidOrder("o1", (x, y), (TenderPaid("wechat", "w", cny("1.02"), cny("0.41")),))
    assert order.standing_discounts() == (
        (M("p", Funder.PLATFORM, cny("0.01")),),
        (M("p", Funder.PLATFORM, cny("0.02")),),
    )
    assert order.standing_discounts(Rounding.HALF_EVEN) == (
        (M("p", Funder.PLATFORM, cny("0.00")),),
        (M("p", Funder.PLATFORM, cny("0.03")),),
    )
