"""Paid orders from quotes, the standing rule per funder and line, and applying plans, exactly.

The quotes here are built by hand (every step's share on every line given), so that each
figure below is the quote's own.
"""

from __future__ import annotations

from typing import Any

import attrs
import pytest

from tuangou_core.campaign import Funder
from tuangou_core.errors import TuangouError
from tuangou_core.money import Money, Rounding
from tuangou_core.pricing import Quote, QuoteLine, Step
from tuangou_core.refunds import (
    AmountRefund,
    DiscountShare,
    FullRefund,
    LineRefund,
    PaidLine,
    PaidOrder,
    RefundReason,
    TenderPaid,
    TierDifference,
    UnitsRefund,
    plan_refund,
)
from tuangou_core.refunds._standing import standing

MERCHANT, PLATFORM = Funder.MERCHANT, Funder.PLATFORM


def cny(text: str) -> Money:
    return Money.parse(text)


def refused(call: Any, *args: Any, **keys: Any) -> str:
    with pytest.raises(TuangouError) as caught:
        call(*args, **keys)
    return repr(caught.value)


def quoted(
    lines: list[tuple[str, int, int, int]], *steps: tuple[str, Funder, tuple[int, ...], int]
) -> Quote:
    """A quote of *lines* ``(sku, qty, unit, total)`` and *steps* ``(name, funder, shares per
    line, points)``, in minor units."""
    rows = tuple(
        QuoteLine(
            sku, qty, Money(unit), Money(unit), Money(unit * qty), Money(unit * qty), Money(total)
        )
        for sku, qty, unit, total in lines
    )
    done = tuple(
        Step("coupon", name, "amount_off", funder, Money(sum(shares)), shares, "coupons", "", pts)
        for name, funder, shares, pts in steps
    )
    gross = Money(sum(unit * qty for _, qty, unit, _ in lines))
    return Quote("CNY", gross, gross, done, rows, Money(sum(row[3] for row in lines)))


# tea 2 × 50.00 less 10.00 (group price) and 5.00 (c): 85.00; cup 20.00 less 3.00 (c) and 2.00
# bought with one point: 15.00. 100.00 in all.
QUOTE = quoted(
    [("tea", 2, 5000, 8500), ("cup", 1, 2000, 1500)],
    ("group price", MERCHANT, (1000, 0), 0),
    ("c", PLATFORM, (500, 300), 0),
    ("pts", PLATFORM, (0, 200), 1),
)
TEA = PaidLine(
    "tea",
    2,
    cny("50.00"),
    cny("85.00"),
    (
        DiscountShare("group price", MERCHANT, cny("10.00")),
        DiscountShare("c", PLATFORM, cny("5.00")),
    ),
)
CUP = PaidLine(
    "cup",
    1,
    cny("20.00"),
    cny("15.00"),
    (DiscountShare("c", PLATFORM, cny("3.00")), DiscountShare("pts", PLATFORM, cny("2.00"), True)),
)


def test_an_order_from_a_quote_keeps_every_step_on_its_lines() -> None:
    """Each line keeps its non-zero shares in step order, the points step's marked; the points
    used are the quote's; tenders given as triples or as tenders; coupons as a tuple."""
    tenders: list[TenderPaid | tuple[str, str, Money]] = [
        ("wechat", "w1", cny("70.00")),
        TenderPaid("balance", "b1", cny("30.00")),
    ]
    order = PaidOrder.from_quote("o1", QUOTE, tenders, coupons=["c"], points_earned=9)
    assert order == PaidOrder(
        "o1",
        (TEA, CUP),
        (TenderPaid("wechat", "w1", cny("70.00")), TenderPaid("balance", "b1", cny("30.00"))),
        points_used=1,
        points_earned=9,
        coupons=("c",),
    )


def test_an_order_from_a_quote_earns_nothing_and_holds_no_coupon_unless_told() -> None:
    """points_earned 0 and no coupons by default."""
    order = PaidOrder.from_quote("o1", QUOTE, [("wechat", "w1", cny("100.00"))])
    assert (order.points_earned, order.coupons, order.points_used) == (0, (), 1)


def test_an_order_from_a_quote_refuses_what_is_not_a_quote() -> None:
    """Text for the quote: invalid_input naming it and its type."""
    assert refused(PaidOrder.from_quote, "o1", "quote", []) == (
        "InvalidInput('invalid_input', 'quote must be a Quote, got str', field='quote', "
        "value='str')"
    )


@pytest.mark.parametrize(
    ("tender", "kind"),
    [(5, "int"), (("wechat", "w1"), "tuple"), (["wechat", "w1", Money(10000)], "list")],
)
def test_an_order_from_a_quote_takes_tenders_or_triples_only(tender: object, kind: str) -> None:
    """A number, a pair or a list of three is refused naming tenders and its type."""
    assert refused(PaidOrder.from_quote, "o1", QUOTE, [tender]) == (
        "InvalidInput('invalid_order', 'tenders must be TenderPaid or (kind, payment_id, "
        f"amount), got {kind}', field='tenders', value='{kind}')"
    )


def test_an_order_from_a_quote_takes_a_list_of_at_most_a_hundred_tenders() -> None:
    """Text for the tenders, or 101 of them, is refused before any is read."""
    assert refused(PaidOrder.from_quote, "o1", QUOTE, "wechat") == (
        "InvalidInput('invalid_order', 'tenders must be a list, got str', field='tenders', "
        "value='wechat')"
    )
    many = [("wechat", f"w{i}", cny("1.00")) for i in range(100)]
    assert len(PaidOrder.from_quote("o1", QUOTE, many).tenders) == 100
    assert refused(PaidOrder.from_quote, "o1", QUOTE, [*many, ("wechat", "w", cny("0.00"))]) == (
        "InvalidInput('invalid_order', 'tenders must hold at most 100 entries', "
        "field='tenders', value='<list>')"
    )


# -- the standing rule, per funder and per line -------------------------------------------------


def two_funders() -> PaidOrder:
    """a: 100.00 less 10.00 (m, merchant) and 20.00 (p, platform), paid 70.00; b: 30.00 less
    10.00 (p), paid 20.00; 90.00 by WeChat."""
    a = PaidLine(
        "a",
        1,
        cny("100.00"),
        cny("70.00"),
        (DiscountShare("m", MERCHANT, cny("10.00")), DiscountShare("p", PLATFORM, cny("20.00"))),
    )
    b = PaidLine("b", 1, cny("30.00"), cny("20.00"), (DiscountShare("p", PLATFORM, cny("10.00")),))
    return PaidOrder("o2", (a, b), (TenderPaid("wechat", "w", cny("90.00")),))


def test_each_funder_stands_by_the_order_and_spreads_by_what_each_line_keeps() -> None:
    """30.00 back from a leaves 60.00 of 90.00: the merchant's 10.00 stands at round(10.00 × 60
    / 90) = 6.67 (3.33 back); the platform's 30.00 at 20.00, spread by what each line alone
    keeps, a round(20.00 × 40 / 70) = 11.43 and b all its 10.00: 20.00 × 1143 / 2143 gives a
    10.67 (9.33 back) and b 9.33 (0.67 back, b's cash untouched)."""
    plan = plan_refund(two_funders(), AmountRefund(cny("30.00"), "a"))
    assert [(li.sku, li.cash, li.discounts) for li in plan.lines] == [
        (
            "a",
            cny("30.00"),
            (DiscountShare("m", MERCHANT, cny("3.33")), DiscountShare("p", PLATFORM, cny("9.33"))),
        ),
        ("b", cny("0.00"), (DiscountShare("p", PLATFORM, cny("0.67")),)),
    ]
    assert plan.discounts_reversed() == {"m": cny("3.33"), "p": cny("10.00")}
    assert plan.after is not None
    assert plan.after.platform_discount() == cny("20.00")
    assert plan.after.standing_discounts() == (
        (DiscountShare("m", MERCHANT, cny("6.67")), DiscountShare("p", PLATFORM, cny("10.67"))),
        (DiscountShare("p", PLATFORM, cny("9.33")),),
    )


def test_a_standing_no_line_keeps_alone_is_spread_by_the_quoted_shares() -> None:
    """x and y: 1.00 less 0.01 each, 0.59 of each 0.99 refunded. Alone each keeps round(0.01 ×
    40 / 99) = 0; the order keeps round(0.02 × 80 / 198) = 0.01, spread 1 : 1 by the quoted
    shares, the tie to the first line."""
    share = DiscountShare("p", PLATFORM, cny("0.01"))
    line = PaidLine("x", 1, cny("1.00"), cny("0.99"), (share,), refunded=cny("0.59"))
    order = PaidOrder(
        "o3",
        (line, attrs.evolve(line, sku="y")),
        (TenderPaid("wechat", "w", cny("1.98"), cny("1.18")),),
    )
    assert order.standing_discounts() == ((share,), (DiscountShare("p", PLATFORM, cny("0.00")),))


def test_a_free_line_given_back_keeps_no_discount() -> None:
    """The gift (0.00 due) was returned: 7.50 back from the tea leaves 5.00 of the platform's
    10.00 standing, all on the tea (alone it keeps 2.50, the gift nothing): the gift's 5.00
    is what goes back."""
    gift = PaidLine(
        "gift",
        1,
        cny("5.00"),
        cny("0.00"),
        (DiscountShare("p", PLATFORM, cny("5.00")),),
        units_returned=1,
    )
    tea = PaidLine(
        "tea", 1, cny("20.00"), cny("15.00"), (DiscountShare("p", PLATFORM, cny("5.00")),)
    )
    order = PaidOrder("o4", (gift, tea), (TenderPaid("wechat", "w", cny("15.00")),))
    plan = plan_refund(order, AmountRefund(cny("7.50")))
    assert [(li.sku, li.cash, li.discounts) for li in plan.lines] == [
        ("gift", cny("0.00"), (DiscountShare("p", PLATFORM, cny("5.00")),)),
        ("tea", cny("7.50"), ()),
    ]


def test_the_standing_rounding_is_the_one_named() -> None:
    """0.01 of 0.02 refunded on a 0.01 share: half up keeps round(0.5) = 0.01, half even 0."""
    share = DiscountShare("p", PLATFORM, cny("0.01"))
    line = PaidLine("x", 1, cny("0.03"), cny("0.02"), (share,), refunded=cny("0.01"))
    order = PaidOrder("o5", (line,), (TenderPaid("wechat", "w", cny("0.02"), cny("0.01")),))
    assert order.standing_discounts() == ((share,),)
    assert order.standing_discounts(Rounding.HALF_EVEN) == (
        (DiscountShare("p", PLATFORM, cny("0.00")),),
    )


def test_nothing_stands_without_cash_whatever_is_due() -> None:
    """No net cash keeps no discount, even where nothing is due or the due is below it."""
    assert standing(300, 0, 0) == 0
    assert standing(300, -5, -10) == 0
    assert standing(300, 1, 0) == 300


# -- applying plans and explaining them ---------------------------------------------------------


def order() -> PaidOrder:
    tea = PaidLine("tea", 2, cny("10.00"), cny("20.00"))
    return PaidOrder("o1", (tea,), (TenderPaid("wechat", "w", cny("20.00")),), coupons=("a", "b"))


def test_only_a_plan_applies() -> None:
    """A request for the plan: invalid_input naming it and its type."""
    assert refused(order().apply, FullRefund()) == (
        "InvalidInput('invalid_input', 'plan must be a RefundPlan, got FullRefund', "
        "field='plan', value='FullRefund')"
    )


def test_a_plan_without_an_order_after_never_applies() -> None:
    """A plan of the right order and sequence that carries no order after is out of order."""
    plan = attrs.evolve(plan_refund(order(), FullRefund()), after=None)
    assert refused(order().apply, plan) == (
        "Conflict('refund_out_of_order', 'refund o1:r1 was not planned from this state of "
        "order o1 (next is o1:r1)', refund_id='o1:r1')"
    )


def test_a_plan_explains_every_coupon() -> None:
    """Two coupons are listed with a comma, restored or forfeited."""
    restored = plan_refund(order(), FullRefund()).explain()
    assert restored.splitlines()[-1] == "  coupons restored: a, b"
    forfeited = plan_refund(order(), FullRefund(RefundReason.AFTER_SALES)).explain()
    assert forfeited.splitlines()[-1] == "  coupons forfeited: a, b"


# -- tier differences ---------------------------------------------------------------------------


CUP_ROW = ("cup", 1, 2000, 2000)


def tier_order() -> PaidOrder:
    """tea 2 × 50.00 less a 10.00 group price (merchant): 90.00; cup 20.00; 110.00 by WeChat."""
    first = quoted(
        [("tea", 2, 5000, 9000), ("cup", 1, 2000, 2000)], ("group price", MERCHANT, (1000, 0), 0)
    )
    return PaidOrder.from_quote("g1:u1", first, [("wechat", "w", cny("110.00"))])


def repriced(tea: tuple[str, int, int, int], cup: tuple[str, int, int, int] | None) -> Quote:
    """The order at a new price: the tea line as given (its group price what its total leaves),
    the cup as given or left out."""
    lines = [tea] if cup is None else [tea, cup]
    off = tea[1] * tea[2] - tea[3]
    return quoted(lines, ("group price", MERCHANT, (off,) + (0,) * (len(lines) - 1), 0))


def test_a_cheaper_tier_gives_back_each_lines_difference() -> None:
    """tea repriced at 84.00 (16.00 off) gives back 6.00, its group price reversed by -6.00
    (more discount now stands); the cup at the same 20.00 gives back nothing and is not
    listed; the tea's due is its new price, the units kept."""
    plan = plan_refund(tier_order(), TierDifference(repriced(("tea", 2, 5000, 8400), CUP_ROW)))
    assert (plan.amount, plan.reason, plan.units) == (
        cny("6.00"),
        RefundReason.TIER_DIFFERENCE,
        0,
    )
    assert plan.lines == (
        LineRefund(
            0, "tea", 0, cny("6.00"), (DiscountShare("group price", MERCHANT, cny("-6.00")),)
        ),
    )
    assert plan.after is not None
    tea, cup = plan.after.lines
    assert (tea.due, tea.refunded, tea.unit_refunded, tea.units, tea.discounts) == (
        cny("84.00"),
        cny("6.00"),
        cny("0.00"),
        2,
        (DiscountShare("group price", MERCHANT, cny("16.00")),),
    )
    assert cup == tier_order().lines[1]
    assert (plan.after.due, plan.after.net) == (cny("104.00"), cny("104.00"))


def test_a_tier_that_costs_more_on_any_line_is_refused() -> None:
    """tea at 95.00 is more than the 90.00 it holds: not_cheaper naming the line."""
    assert refused(
        plan_refund, tier_order(), TierDifference(repriced(("tea", 2, 5000, 9500), CUP_ROW))
    ) == (
        "Rejected('not_cheaper', 'line tea would cost 95.00, more than the 90.00 held', line='tea')"
    )


@pytest.mark.parametrize(
    ("tea", "cup", "message"),
    [
        (
            ("tea", 2, 5000, 8400),
            None,
            "InvalidInput('quote_mismatch', \"the repriced quote must have the order's lines\", "
            "field='quote')",
        ),
        (
            ("tea", 2, 5000, 8400),
            ("mug", 1, 2000, 2000),
            "InvalidInput('quote_mismatch', 'line 1 of the repriced quote is 1 × mug, the order "
            "holds 1 × cup', field='quote')",
        ),
        (
            ("tea", 3, 5000, 12000),
            CUP_ROW,
            "InvalidInput('quote_mismatch', 'line 0 of the repriced quote is 3 × tea, the order "
            "holds 2 × tea', field='quote')",
        ),
    ],
    ids=["a line short", "another sku", "another quantity"],
)
def test_a_repriced_quote_has_the_orders_lines(tea: Any, cup: Any, message: str) -> None:
    """Fewer lines, another sku or another quantity: quote_mismatch saying which line."""
    assert refused(plan_refund, tier_order(), TierDifference(repriced(tea, cup))) == message


@pytest.mark.parametrize("qty", [1, 2])
def test_a_line_with_units_given_back_takes_no_tier_difference(qty: int) -> None:
    """One tea returned: a quote of 1 or of 2 teas is refused, saying the order holds 1."""
    order = tier_order()
    order = order.apply(plan_refund(order, UnitsRefund({"tea": 1})))
    quote = repriced(("tea", qty, 5000, 4200 * qty), CUP_ROW)
    assert refused(plan_refund, order, TierDifference(quote)) == (
        f"InvalidInput('quote_mismatch', 'line 0 of the repriced quote is {qty} × tea, the "
        "order holds 1 × tea', field='quote')"
    )


def test_a_tier_that_renames_a_discount_reverses_the_old_and_the_new() -> None:
    """The new quote calls the tea's 16.00 off "tier": the group price's 10.00 is reversed
    whole and the tier's 16.00 negatively (it stands now), still 6.00 back."""
    quote = quoted([("tea", 2, 5000, 8400), CUP_ROW], ("tier", MERCHANT, (1600, 0), 0))
    plan = plan_refund(tier_order(), TierDifference(quote))
    assert plan.lines == (
        LineRefund(
            0,
            "tea",
            0,
            cny("6.00"),
            (
                DiscountShare("group price", MERCHANT, cny("10.00")),
                DiscountShare("tier", MERCHANT, cny("-16.00")),
            ),
        ),
    )
