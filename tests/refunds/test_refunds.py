"""Refund plans: partial refunds add up exactly, and nothing ever exceeds what was paid."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tuangou_core.campaign import Campaign, Funder
from tuangou_core.errors import Conflict, InvalidInput, Rejected
from tuangou_core.money import Money, allocate
from tuangou_core.pricing import Context, Discount, Line, StackingPolicy, quote, quote_member
from tuangou_core.refunds import (
    AmountRefund,
    DiscountShare,
    FullRefund,
    PaidLine,
    PaidOrder,
    RefundPlan,
    RefundPolicy,
    RefundReason,
    RefundRequest,
    TenderPaid,
    TierDifference,
    UnitsRefund,
    plan_refund,
)

CAMPAIGN = Campaign.build(
    {"id": "fruit", "list_price": "100.00", "rule": "fixed", "size": 3, "price": "70.00"},
    coupons=[
        {"id": "p10", "kind": "amount_off", "amount": "10.00", "funded_by": "platform"},
        {"id": "m3", "kind": "amount_off", "amount": "3.00", "funded_by": "merchant"},
    ],
)


def cny(text: str) -> Money:
    return Money.parse(text)


def line(sku: str, qty: int, unit: str, *shares: tuple[str, Funder, str]) -> PaidLine:
    """A paid line of *qty* × *unit* with the discount *shares* taken off."""
    discounts = tuple(DiscountShare(n, f, cny(a)) for n, f, a in shares)
    total = cny(unit) * qty - sum((d.amount for d in discounts), Money(0))
    return PaidLine(sku, qty, cny(unit), total, discounts)


def two_line_order(**extra: Any) -> PaidOrder:
    """Apples 3 × 10.00 and pears 2 × 7.50 with a 4.50 platform coupon, wechat + balance."""
    lines = (
        line("apple", 3, "10.00", ("p", Funder.PLATFORM, "3.00")),
        line("pear", 2, "7.50", ("p", Funder.PLATFORM, "1.50")),
    )
    tenders = (
        TenderPaid("balance", "bal-1", cny("10.00")),
        TenderPaid("wechat", "wx-1", cny("30.50")),
    )
    return PaidOrder("o1", lines, tenders, **extra)


@st.composite
def paid_orders(draw: st.DrawFn) -> PaidOrder:
    """Orders of 1–4 lines with discount shares, paid over one to three tenders."""
    lines = []
    for index in range(draw(st.integers(1, 4))):
        qty = draw(st.integers(1, 6))
        unit = draw(st.integers(1, 50_000))
        gross = unit * qty
        a = draw(st.integers(0, gross))
        b = draw(st.integers(0, gross - a))
        drawn = (
            DiscountShare("coupon", Funder.PLATFORM, Money(a)),
            DiscountShare("points", Funder.PLATFORM, Money(b), points=True),
        )
        shares = tuple(s for s in drawn if s.amount.minor)
        lines.append(PaidLine(f"sku{index}", qty, Money(unit), Money(gross - a - b), shares))
    total = sum(line.paid.minor for line in lines)
    kinds = draw(st.lists(st.sampled_from(["wechat", "balance", "alipay"]), min_size=1, max_size=3))
    weights = draw(st.lists(st.integers(0, 100), min_size=len(kinds), max_size=len(kinds)))
    if not any(weights):
        weights[0] = 1
    amounts = allocate(Money(total), weights)
    tenders = tuple(
        TenderPaid(k, f"pay-{i}", m) for i, (k, m) in enumerate(zip(kinds, amounts, strict=True))
    )
    has_points = any(s.points for line in lines for s in line.discounts)
    return PaidOrder(
        "o-gen",
        tuple(lines),
        tenders,
        points_used=draw(st.integers(1, 5000)) if has_points else 0,
        points_earned=draw(st.integers(0, 500)),
        coupons=("c1",),
    )


@st.composite
def request_sequences(draw: st.DrawFn, order: PaidOrder) -> list[RefundRequest]:
    """A few unit and amount refunds (their sizes drawn, clipped later to what remains)."""
    requests: list[RefundRequest] = []
    for _ in range(draw(st.integers(0, 6))):
        index = draw(st.integers(0, len(order.lines) - 1))
        if draw(st.booleans()):
            requests.append(UnitsRefund({index: draw(st.integers(1, 3))}))
        else:
            requests.append(AmountRefund(Money(draw(st.integers(1, 20_000)))))
    return requests


def apply_all(
    order: PaidOrder, requests: list[RefundRequest]
) -> tuple[PaidOrder, list[RefundPlan]]:
    """Apply *requests* in turn, skipping those refused, then a full refund."""
    plans = []
    for request in requests:
        try:
            plan = plan_refund(order, request)
        except Rejected as error:
            assert error.code == "refund_exceeds_paid"
            continue
        plans.append(plan)
        order = order.apply(plan)
    if order.net.minor or any(line.units for line in order.lines):
        plan = plan_refund(order, FullRefund(RefundReason.AFTER_SALES))
        plans.append(plan)
        order = order.apply(plan)
    return order, plans


# -- laws -------------------------------------------------------------------------------------


@given(data=st.data())
def test_partial_refunds_that_return_everything_return_exactly_what_was_paid(
    data: st.DataObject,
) -> None:
    """Any sequence of partial refunds closed by a full one returns the paid cash exactly, and
    reverses exactly the discounts that stood (all of them on an order that took cash)."""
    order = data.draw(paid_orders())
    final, plans = apply_all(order, data.draw(request_sequences(order)))
    assert sum(p.amount.minor for p in plans) == order.paid.minor
    assert final.net.minor == 0
    standing_at_sale = order.standing_discounts()
    for index, paid_line in enumerate(order.lines):
        back = sum(r.cash.minor for p in plans for r in p.lines if r.index == index)
        assert back == paid_line.paid.minor
        units = sum(r.units for p in plans for r in p.lines if r.index == index)
        assert units == paid_line.qty
        for share in standing_at_sale[index]:
            reversed_ = sum(
                d.amount.minor
                for p in plans
                for r in p.lines
                if r.index == index
                for d in r.discounts
                if d.name == share.name
            )
            assert reversed_ == share.amount.minor
    for tender in order.tenders:
        back = sum(
            t.amount.minor for p in plans for t in p.tenders if t.payment_id == tender.payment_id
        )
        assert back == tender.paid.minor
    assert sum(p.points_returned for p in plans) == order.points_used
    assert sum(p.points_clawed_back for p in plans) == order.points_earned


@given(data=st.data())
def test_refunds_never_exceed_what_was_paid(data: st.DataObject) -> None:
    """After every refund, per order, per line and per tender, refunded ≤ paid."""
    order = data.draw(paid_orders())
    for request in data.draw(request_sequences(order)):
        try:
            plan = plan_refund(order, request)
        except Rejected:
            continue
        assert plan.amount == sum((t.amount for t in plan.tenders), Money(0))
        assert plan.amount == sum((r.cash for r in plan.lines), Money(0))
        order = order.apply(plan)
        assert 0 <= order.refunded.minor <= order.paid.minor
        for paid_line in order.lines:
            assert 0 <= paid_line.refunded.minor <= paid_line.paid.minor
            assert 0 <= paid_line.units <= paid_line.qty
        for tender in order.tenders:
            assert 0 <= tender.refunded.minor <= tender.paid.minor
        assert 0 <= order.points_returned <= order.points_used
        assert 0 <= order.points_clawed_back <= order.points_earned


@given(order=paid_orders(), extra=st.integers(1, 1000))
def test_asking_for_more_than_is_held_is_refused(order: PaidOrder, extra: int) -> None:
    """An amount above the net or more units than a line holds is refund_exceeds_paid."""
    with pytest.raises(Rejected) as by_amount:
        plan_refund(order, AmountRefund(order.net + Money(extra)))
    assert by_amount.value.code == "refund_exceeds_paid"
    with pytest.raises(Rejected) as by_units:
        plan_refund(order, UnitsRefund({0: order.lines[0].qty + extra}))
    assert by_units.value.code == "refund_exceeds_paid"


# -- examples ---------------------------------------------------------------------------------


def test_one_of_three_apples_reverses_its_share_of_the_coupon() -> None:
    """One apple of three gives back 9.00 cash and 1.00 of the coupon, wechat first."""
    plan = plan_refund(two_line_order(), UnitsRefund({"apple": 1}))
    (apple,) = plan.lines
    assert apple.cash == cny("9.00")
    assert plan.discounts_reversed() == {"p": cny("1.00")}
    assert [(t.kind, t.amount) for t in plan.tenders] == [("wechat", cny("9.00"))]
    assert plan.refund_id == "o1:r1"


def test_units_one_at_a_time_add_up_to_the_line() -> None:
    """Returning three apples one by one gives back 9.00 + 9.00 + 9.00 = 27.00."""
    order = two_line_order()
    backs = []
    for _ in range(3):
        plan = plan_refund(order, UnitsRefund({0: 1}))
        backs.append(plan.amount)
        order = order.apply(plan)
    assert backs == [cny("9.00")] * 3
    assert order.lines[0].cash.is_zero


def test_unit_returns_follow_the_cumulative_rule() -> None:
    """10.00 over 3 units: with r back in all, round(10.00 × r / 3): 3.33, 3.34, 3.33."""
    order = PaidOrder(
        "o3",
        (PaidLine("x", 3, cny("10.00"), cny("10.00")),),
        (TenderPaid("wechat", "w", cny("10.00")),),
    )
    amounts = []
    for _ in range(3):
        plan = plan_refund(order, UnitsRefund({"x": 1}))
        amounts.append(plan.amount)
        order = order.apply(plan)
    assert amounts == [cny("3.33"), cny("3.34"), cny("3.33")]


def test_unit_returns_one_by_one_never_drift() -> None:
    """3 × 1.00 less a 0.01 coupon (2.99 due) gives back 1.00, 0.99, 1.00: 2.99 in all."""
    order = PaidOrder(
        "o-drift",
        (
            PaidLine(
                "x",
                3,
                cny("1.00"),
                cny("2.99"),
                (DiscountShare("c", Funder.MERCHANT, cny("0.01")),),
            ),
        ),
        (TenderPaid("wechat", "w", cny("2.99")),),
    )
    amounts = []
    for _ in range(3):
        plan = plan_refund(order, UnitsRefund({0: 1}))
        amounts.append(plan.amount)
        order = order.apply(plan)
    assert amounts == [cny("1.00"), cny("0.99"), cny("1.00")]
    assert order.net.is_zero


def test_a_unit_return_never_gives_more_than_is_left() -> None:
    """After a 60.00 small claim on 2 × 50.00, one unit back gives the 40.00 left, then none."""
    order = PaidOrder(
        "o-cap",
        (PaidLine("x", 2, cny("50.00"), cny("100.00")),),
        (TenderPaid("wechat", "w", cny("100.00")),),
    )
    order = order.apply(plan_refund(order, AmountRefund(cny("60.00"))))
    plan = plan_refund(order, UnitsRefund({0: 1}))
    assert plan.amount == cny("40.00")
    order = order.apply(plan)
    with pytest.raises(Rejected) as refused:
        plan_refund(order, UnitsRefund({0: 1}))
    assert refused.value.code == "refund_exceeds_paid"


def test_wechat_goes_back_before_balance() -> None:
    """A 35.00 refund fills wechat's 30.50 first, then 4.50 of the balance."""
    plan = plan_refund(two_line_order(), AmountRefund(cny("35.00")))
    assert [(t.kind, t.amount) for t in plan.tenders] == [
        ("wechat", cny("30.50")),
        ("balance", cny("4.50")),
    ]
    balance_first = plan_refund(
        two_line_order(), AmountRefund(cny("35.00")), RefundPolicy(tender_order=("balance",))
    )
    assert balance_first.tenders[0].kind == "balance"


def test_small_claim_keeps_units_and_reverses_discounts_with_the_cash() -> None:
    """小额理赔 of 5.00 on pears keeps the units; the platform coupon stands in proportion to the
    cash, round(4.50 × 35.50 / 40.50) = 3.94, so the pears' share gives back 0.56."""
    order = two_line_order()
    plan = plan_refund(order, AmountRefund(cny("5.00"), sku="pear"))
    (pear,) = plan.lines
    assert (pear.units, pear.cash) == (0, cny("5.00"))
    assert plan.discounts_reversed() == {"p": cny("0.56")}
    assert plan.after is not None
    assert plan.after.lines[1].units == 2
    assert plan.after.platform_discount() == cny("3.94")
    assert not plan.ends_order


def test_group_failure_restores_coupons_and_returns_points() -> None:
    """A full refund for a failed group restores the coupons, returns and claws back points."""
    order = two_line_order(coupons=("new10",), points_used=300, points_earned=40)
    plan = plan_refund(order, FullRefund(RefundReason.GROUP_FAILED))
    assert plan.amount == cny("40.50")
    assert plan.coupons_restored == ("new10",)
    assert plan.points_returned == 300
    assert plan.points_clawed_back == 40
    assert plan.ends_order
    assert "coupons restored: new10" in plan.explain()


def test_partial_after_sales_forfeits_coupons() -> None:
    """A partial after-sales refund forfeits the coupons; a later full one cannot restore them."""
    order = two_line_order(coupons=("new10",))
    plan = plan_refund(order, UnitsRefund({"pear": 1}))
    assert plan.coupons_forfeited == ("new10",)
    later = plan_refund(order.apply(plan), FullRefund(RefundReason.GROUP_FAILED))
    assert later.coupons_restored == ()


def test_earned_points_are_clawed_back_with_the_cash() -> None:
    """Half the cash back claws back half the earned points."""
    order = PaidOrder(
        "o4",
        (PaidLine("x", 2, cny("50.00"), cny("100.00")),),
        (TenderPaid("wechat", "w", cny("100.00")),),
        points_earned=101,
    )
    plan = plan_refund(order, UnitsRefund({"x": 1}))
    assert plan.points_clawed_back == 50  # keeps round(101 / 2) = 51


def test_retry_is_the_same_refund() -> None:
    """Planning the same request from the same order twice gives the same plan and id."""
    order = two_line_order()
    assert plan_refund(order, UnitsRefund({0: 1})) == plan_refund(order, UnitsRefund({0: 1}))
    plan = plan_refund(order, UnitsRefund({0: 1}))
    after = order.apply(plan)
    assert after.next_refund_id() == "o1:r2"
    with pytest.raises(Conflict) as error:
        after.apply(plan)
    assert error.value.code == "refund_out_of_order"


def test_tier_difference_from_quotes() -> None:
    """A member's 70.00 − 10.00 platform coupon order repriced at 60.00 gets 10.00 back."""
    first = quote_member(CAMPAIGN, unit_price=cny("70.00"), coupon_ids=("p10",))
    order = PaidOrder.from_quote("g1:u1", first, [("wechat", "wx1", first.total)], coupons=("p10",))
    assert order.platform_discount() == cny("10.00")
    cheaper = quote_member(CAMPAIGN, unit_price=cny("60.00"), coupon_ids=("p10",))
    plan = plan_refund(order, TierDifference(cheaper))
    assert plan.amount == cny("10.00")
    assert plan.discounts_reversed() == {"group price": cny("-10.00")}
    assert plan.coupons_restored == plan.coupons_forfeited == ()
    assert plan.after is not None
    assert plan.after.coupons == ("p10",)
    with pytest.raises(Rejected) as error:
        plan_refund(plan.after, TierDifference(first))
    assert error.value.code == "not_cheaper"


def test_order_from_a_multi_line_quote_refunds_its_order_discount_by_line() -> None:
    """An order-level coupon allocated over two lines is reversed by the line returned."""
    coupon = Discount("off6", "amount_off", funder="platform", amount="6.00")
    lines = (Line("a", 1, cny("20.00")), Line("b", 1, cny("40.00")))
    priced = quote(lines, CAMPAIGN, Context(), StackingPolicy(), offers=(coupon,))
    assert priced.funded_by(Funder.PLATFORM) == cny("6.00")
    order = PaidOrder.from_quote("o5", priced, [("wechat", "w", priced.total)])
    plan = plan_refund(order, UnitsRefund({0: 1}))
    assert plan.amount == order.lines[0].paid == cny("18.00")
    assert plan.discounts_reversed() == {"off6": cny("2.00")}


def test_bad_orders_and_requests_are_coded_errors() -> None:
    """Tenders that do not cover the lines, unknown lines and bad amounts are refused."""
    with pytest.raises(InvalidInput) as mismatch:
        PaidOrder("o", (PaidLine("x", 1, cny("1.00"), cny("1.00")),), ())
    assert mismatch.value.code == "tenders_mismatch"
    with pytest.raises(InvalidInput) as unknown:
        plan_refund(two_line_order(), UnitsRefund({"kiwi": 1}))
    assert unknown.value.code == "unknown_line"
    with pytest.raises(InvalidInput) as amount:
        plan_refund(two_line_order(), AmountRefund(Money(0)))
    assert amount.value.code == "invalid_amount"
    done = two_line_order()
    done = done.apply(plan_refund(done, FullRefund()))
    with pytest.raises(Rejected) as nothing:
        plan_refund(done, FullRefund())
    assert nothing.value.code == "nothing_to_refund"
