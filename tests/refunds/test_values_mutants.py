"""The refund values, exactly: every refusal of a paid line, tender, share and order whole, every
bound met and passed by one, and the defaults a backend leaves out."""

from __future__ import annotations

from typing import Any

import pytest

from tuangou_core.campaign import Funder
from tuangou_core.errors import TuangouError
from tuangou_core.money import MAX_MINOR, Money
from tuangou_core.refunds import (
    DiscountShare,
    PaidLine,
    PaidOrder,
    TenderPaid,
)

USD = "USD"


def cny(text: str) -> Money:
    return Money.parse(text)


def refused(call: Any, *args: Any, **keys: Any) -> str:
    with pytest.raises(TuangouError) as caught:
        call(*args, **keys)
    return repr(caught.value)


def tea(**extra: Any) -> PaidLine:
    """Two teas at 10.00 paid 20.00."""
    return PaidLine("tea", 2, cny("10.00"), cny("20.00"), **extra)


def wechat(paid: str = "20.00", **extra: Any) -> TenderPaid:
    return TenderPaid("wechat", "p1", cny(paid), **extra)


# -- PaidLine -----------------------------------------------------------------------------------


def test_a_line_left_at_its_defaults_is_whole_in_its_own_currency() -> None:
    """Nothing refunded or returned, in dollars for a dollar line, due what was paid."""
    line = PaidLine("tea", 2, Money(500, USD), Money(900, USD))
    assert (line.discounts, line.units_returned) == ((), 0)
    assert (line.refunded, line.unit_refunded, line.due) == (
        Money(0, USD),
        Money(0, USD),
        Money(900, USD),
    )
    assert (line.units, line.cash) == (2, Money(900, USD))


def test_a_line_part_refunded_holds_the_rest() -> None:
    """Of 2 teas and 20.00, 1 returned and 7.50 back: 1 unit and 12.50 held."""
    line = tea(refunded=cny("7.50"), units_returned=1, unit_refunded=cny("7.50"))
    assert (line.units, line.cash) == (1, cny("12.50"))


@pytest.mark.parametrize(
    "extra",
    [
        {"unit_price": Money(1000, USD)},
        {"refunded": Money(0, USD)},
        {"unit_refunded": Money(0, USD)},
        {"due": Money(2000, USD)},
        {"discounts": (DiscountShare("c", Funder.MERCHANT, Money(100, USD)),)},
    ],
)
def test_every_amount_of_a_line_is_in_the_currency_it_was_paid_in(extra: dict[str, Any]) -> None:
    """A unit price, refund, unit refund, due or share in dollars on a yuan line is refused."""
    keys = {"unit_price": cny("10.00"), **extra}
    assert refused(PaidLine, "tea", 2, paid=cny("20.00"), **keys) == (
        "InvalidInput('currency_mismatch', 'amount is in USD, the order in CNY', "
        "field='amount', value='USD')"
    )


def test_a_line_gives_back_at_most_what_was_paid_on_it() -> None:
    """20.00 refunded of 20.00 is whole; 20.01 is refused, showing both."""
    assert tea(refunded=cny("20.00")).cash == cny("0.00")
    assert refused(tea, refunded=cny("20.01")) == (
        "InvalidInput('invalid_order', 'refunded 20.01 exceeds the 20.00 paid on the line', "
        "field='refunded', value='20.01')"
    )


def test_unit_returns_gave_back_at_most_what_the_line_refunded() -> None:
    """unit_refunded equal to refunded is whole; a cent more is refused."""
    assert tea(refunded=cny("5.00"), unit_refunded=cny("5.00")).unit_refunded == cny("5.00")
    assert refused(tea, refunded=cny("5.00"), unit_refunded=cny("5.01")) == (
        "InvalidInput('invalid_order', 'unit_refunded 5.01 exceeds the 5.00 refunded', "
        "field='unit_refunded', value='5.01')"
    )


def test_a_line_returns_at_most_the_units_bought() -> None:
    """Both teas returned is the whole line; three is refused."""
    assert tea(units_returned=2).units == 0
    assert refused(tea, units_returned=3) == (
        "InvalidInput('invalid_order', 'units_returned 3 exceeds the 2 bought', "
        "field='units_returned', value=3)"
    )


@pytest.mark.parametrize(
    ("field", "value", "message", "shown"),
    [
        ("paid", "20.00", "paid must be Money, got str", "20.00"),
        ("paid", cny("-0.01"), "paid must not be negative, got -0.01", "-0.01"),
        ("unit_price", 5, "unit_price must be Money, got int", 5),
        ("refunded", cny("-1.00"), "refunded must not be negative, got -1.00", "-1.00"),
        ("unit_refunded", None, "unit_refunded must be Money, got NoneType", None),
        ("due", cny("-0.01"), "due must not be negative, got -0.01", "-0.01"),
    ],
)
def test_a_line_amount_that_is_not_money_or_is_negative_is_refused(
    field: str, value: object, message: str, shown: object
) -> None:
    """Each amount of a line names itself: invalid_amount with its message and value."""
    keys: dict[str, Any] = {"unit_price": cny("10.00"), "paid": cny("20.00"), field: value}
    with pytest.raises(TuangouError) as caught:
        PaidLine("tea", 2, **keys)
    assert (caught.value.code, caught.value.message, caught.value.fields) == (
        "invalid_amount",
        message,
        {"field": field, "value": shown},
    )


def test_a_free_line_and_zero_amounts_are_whole() -> None:
    """0.00 paid, unit price and due are amounts, not refusals."""
    line = PaidLine("gift", 1, cny("0.00"), cny("0.00"), due=cny("0.00"))
    assert (line.paid, line.due, line.cash) == (cny("0.00"),) * 3


# -- counts -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (-1, "-1"),
        (MAX_MINOR + 1, str(MAX_MINOR + 1)),
        (2**64 - 1, "18446744073709551615"),
        (2**64, "<int of 65 bits>"),
        (True, "bool"),
        (1.0, "float"),
    ],
)
def test_a_count_is_a_whole_number_from_zero_to_the_money_bound(value: object, shown: str) -> None:
    """refunds -1, past 999 999 999 999 999, a bool or a float: invalid_order showing it (a
    number past 64 bits by its size)."""
    with pytest.raises(TuangouError) as caught:
        PaidOrder("o1", (tea(),), (wechat(),), refunds=value)
    assert (caught.value.code, caught.value.message, caught.value.field) == (
        "invalid_order",
        f"refunds must be a whole number from 0 to 999999999999999, got {shown}",
        "refunds",
    )


def test_the_counts_meet_their_bounds() -> None:
    """0 and 999 999 999 999 999 are counts; each count field keeps what it was given."""
    order = PaidOrder(
        "o1",
        (tea(),),
        (wechat(),),
        points_used=MAX_MINOR,
        points_earned=7,
        refunds=MAX_MINOR,
        points_returned=MAX_MINOR,
        points_clawed_back=7,
    )
    assert (
        order.points_used,
        order.points_earned,
        order.refunds,
        order.points_returned,
        order.points_clawed_back,
    ) == (MAX_MINOR, 7, MAX_MINOR, MAX_MINOR, 7)
    assert tea(units_returned=0).units_returned == 0


@pytest.mark.parametrize(
    "field", ["points_used", "points_earned", "points_returned", "points_clawed_back"]
)
def test_each_count_of_an_order_names_itself(field: str) -> None:
    """A negative count is refused naming its own field and showing the value."""
    with pytest.raises(TuangouError) as caught:
        PaidOrder("o1", (tea(),), (wechat(),), **{field: -1})
    assert (caught.value.code, caught.value.fields, caught.value.message) == (
        "invalid_order",
        {"field": field, "value": -1},
        f"{field} must be a whole number from 0 to 999999999999999, got -1",
    )


def test_units_returned_is_a_count_too() -> None:
    """units_returned -1 on a line is invalid_order naming it."""
    with pytest.raises(TuangouError) as caught:
        tea(units_returned=-1)
    assert (caught.value.code, caught.value.field) == ("invalid_order", "units_returned")


# -- TenderPaid ---------------------------------------------------------------------------------


def test_a_tender_left_at_its_defaults_holds_all_it_was_paid() -> None:
    """Nothing refunded, in the tender's own currency."""
    tender = TenderPaid("card", "c1", Money(700, USD))
    assert (tender.refunded, tender.held) == (Money(0, USD), Money(700, USD))
    assert wechat(refunded=cny("5.00")).held == cny("15.00")


def test_a_tender_refunds_in_its_own_currency_and_at_most_what_it_took() -> None:
    """Dollars back on a yuan tender, or 20.01 of 20.00, are refused; 20.00 is whole."""
    assert refused(wechat, refunded=Money(0, USD)) == (
        "InvalidInput('currency_mismatch', 'refunded is in USD, the order in CNY', "
        "field='refunded', value='USD')"
    )
    assert refused(wechat, refunded=cny("20.01")) == (
        "InvalidInput('invalid_order', 'refunded 20.01 exceeds the 20.00 paid with the tender', "
        "field='refunded', value='20.01')"
    )
    assert wechat(refunded=cny("20.00")).held == cny("0.00")


def test_a_paid_tender_names_its_payment() -> None:
    """0.01 paid with no payment id is refused showing the amount; 0.00 may have none."""
    assert refused(TenderPaid, "wechat", "", cny("0.01")) == (
        "InvalidInput('invalid_payment_id', 'payment_id must name the payment of 0.01', "
        "field='payment_id', value='')"
    )
    assert TenderPaid("wechat", "", cny("0.00")).payment_id == ""


def test_a_tender_kind_and_payment_id_are_text() -> None:
    """A kind of 5 or an empty kind, a payment id of 7: refused with their own codes."""
    assert refused(TenderPaid, "", "p1", cny("1.00")) == (
        "InvalidInput('invalid_tender', 'kind must not be empty', field='kind', value='')"
    )
    assert refused(TenderPaid, "wechat", 7, cny("1.00")) == (
        "InvalidInput('invalid_payment_id', 'payment_id must be text, got int', "
        "field='payment_id', value=7)"
    )


# -- DiscountShare ------------------------------------------------------------------------------


def test_a_share_is_cash_off_unless_marked_as_points() -> None:
    """points defaults to False; a share's funder reads from its text; a negative amount is a
    share too (a plan's reversal may be)."""
    share = DiscountShare("c", "merchant", cny("-0.01"))
    assert (share.funder, share.amount, share.points) == (Funder.MERCHANT, cny("-0.01"), False)
    assert DiscountShare("pts", Funder.PLATFORM, cny("1.00"), True).points is True


def test_a_share_name_is_text_of_at_most_a_thousand_characters() -> None:
    """1 000 characters are a name, 1 001 are refused; so is an empty one."""
    assert len(DiscountShare("n" * 1000, Funder.PLATFORM, cny("1.00")).name) == 1000
    with pytest.raises(TuangouError) as caught:
        DiscountShare("n" * 1001, Funder.PLATFORM, cny("1.00"))
    assert (caught.value.code, caught.value.message) == (
        "invalid_order",
        "name must be at most 1000 characters",
    )
    assert refused(DiscountShare, "", Funder.PLATFORM, cny("1.00")) == (
        "InvalidInput('invalid_order', 'name must not be empty', field='name', value='')"
    )


def test_a_share_refuses_junk_naming_each_field() -> None:
    """A funder nobody is, an amount not Money, a points mark of 1: each refusal whole."""
    assert refused(DiscountShare, "c", "nobody", cny("1.00")) == (
        "InvalidInput('invalid_funder', \"funder must be 'merchant' | 'platform' | 'leader', "
        "got 'nobody'\", field='funder', value='nobody')"
    )
    assert refused(DiscountShare, "c", Funder.PLATFORM, "1.00") == (
        "InvalidInput('invalid_amount', 'amount must be Money, got str', field='amount', "
        "value='1.00')"
    )
    assert refused(DiscountShare, "c", Funder.PLATFORM, cny("1.00"), 1) == (
        "InvalidInput('invalid_order', 'points must be true or false, got 1', field='points', "
        "value=1)"
    )


# -- PaidOrder ----------------------------------------------------------------------------------


def test_an_order_needs_a_line() -> None:
    """No lines: invalid_order naming lines."""
    assert refused(PaidOrder, "o1", (), (wechat(),)) == (
        "InvalidInput('invalid_order', 'an order needs at least one line', field='lines')"
    )


@pytest.mark.parametrize(
    ("lines", "tenders"),
    [
        ((PaidLine("tea", 2, Money(1000, USD), Money(2000, USD)),), (wechat(),)),
        ((tea(), PaidLine("cup", 1, Money(0, USD), Money(0, USD))), (wechat(),)),
        ((tea(),), (wechat("15.00"), TenderPaid("card", "c1", Money(500, USD)))),
    ],
    ids=["first line", "second line", "second tender"],
)
def test_an_order_is_in_one_currency(lines: Any, tenders: Any) -> None:
    """A line or a tender in dollars beside yuan is refused, whichever it is."""
    assert refused(PaidOrder, "o1", lines, tenders) == (
        "InvalidInput('currency_mismatch', \"an order's lines and tenders share one currency\")"
    )


def test_the_tenders_hold_exactly_the_lines_cash() -> None:
    """19.99 held for 20.00 of cash, or 20.01, is refused showing the held minor units."""
    assert refused(PaidOrder, "o1", (tea(),), (wechat("19.99"),)) == (
        "InvalidInput('tenders_mismatch', 'the tenders hold 1999 minor units, the lines 2000', "
        "field='tenders', value=1999)"
    )
    assert "the tenders hold 2001 minor units" in refused(
        PaidOrder, "o1", (tea(),), (wechat("20.01"),)
    )


def test_what_went_back_counts_on_both_sides() -> None:
    """A line 5.00 refunded holds 15.00: a tender 5.00 refunded balances it, a whole one not."""
    line = tea(refunded=cny("5.00"))
    order = PaidOrder("o1", (line,), (wechat(refunded=cny("5.00")),))
    assert (order.paid, order.refunded, order.net, order.due) == (
        cny("20.00"),
        cny("5.00"),
        cny("15.00"),
        cny("20.00"),
    )
    assert "'the tenders hold 2000 minor units, the lines 1500'" in refused(
        PaidOrder, "o1", (line,), (wechat(),)
    )


def test_a_payment_id_names_one_tender_but_unpaid_tenders_may_share_none() -> None:
    """p1 twice is refused naming it; two tenders of 0.00 with no id are an unpaid order."""
    twice = (wechat("10.00"), TenderPaid("balance", "p1", cny("10.00")))
    assert refused(PaidOrder, "o1", (tea(),), twice) == (
        "InvalidInput('invalid_order', \"tenders name payment 'p1' twice\", field='tenders', "
        "value='p1')"
    )
    free = PaidLine("gift", 1, cny("0.00"), cny("0.00"))
    unpaid = (TenderPaid("wechat", "", cny("0.00")), TenderPaid("balance", "", cny("0.00")))
    assert PaidOrder("o1", (free,), unpaid).tenders == unpaid


def test_points_given_back_never_exceed_the_points_of_the_order() -> None:
    """All points back is whole; one more returned or clawed back is refused showing both."""
    whole = PaidOrder(
        "o1",
        (tea(),),
        (wechat(),),
        points_used=5,
        points_returned=5,
        points_earned=3,
        points_clawed_back=3,
    )
    assert (whole.points_returned, whole.points_clawed_back) == (5, 3)
    assert refused(PaidOrder, "o1", (tea(),), (wechat(),), points_used=5, points_returned=6) == (
        "InvalidInput('invalid_order', 'points_returned 6 exceeds points_used 5', "
        "field='points_returned', value=6)"
    )
    assert refused(
        PaidOrder, "o1", (tea(),), (wechat(),), points_earned=3, points_clawed_back=4
    ) == (
        "InvalidInput('invalid_order', 'points_clawed_back 4 exceeds points_earned 3', "
        "field='points_clawed_back', value=4)"
    )


def test_an_orders_lists_are_refused_entry_by_entry() -> None:
    """An entry that is not a line or a tender is refused naming the list and its type."""
    assert refused(PaidOrder, "o1", [5], (wechat(),)) == (
        "InvalidInput('invalid_order', 'lines must be PaidLine, got int', field='lines', value=5)"
    )
    assert refused(PaidOrder, "o1", (tea(),), [tea()]) == (
        "InvalidInput('invalid_order', 'tenders must be TenderPaid, got PaidLine', "
        "field='tenders', value='<PaidLine>')"
    )
    assert refused(tea, discounts=["c"]) == (
        "InvalidInput('invalid_order', 'discounts must be DiscountShare, got str', "
        "field='discounts', value='c')"
    )
    assert refused(PaidOrder, "o1", (tea(),), (wechat(),), coupons="c1") == (
        "InvalidInput('invalid_coupons', 'coupons must be a list, got str', field='coupons', "
        "value='c1')"
    )


def test_an_order_holds_at_most_a_thousand_lines_and_a_hundred_tenders() -> None:
    """1 000 lines of 0.01 paid by 100 tenders of 0.10 are an order; 1 001 lines or 101
    tenders are refused."""
    cent = PaidLine("x", 1, cny("0.01"), cny("0.01"))
    tenders = tuple(TenderPaid("wechat", f"p{i}", cny("0.10")) for i in range(100))
    order = PaidOrder("o1", (cent,) * 1000, tenders)
    assert (len(order.lines), len(order.tenders)) == (1000, 100)
    assert refused(PaidOrder, "o1", (cent,) * 1001, tenders) == (
        "InvalidInput('invalid_order', 'lines must hold at most 1000 entries', field='lines', "
        "value='<tuple>')"
    )
    more = (*tenders, TenderPaid("wechat", "p100", cny("0.00")))
    assert refused(PaidOrder, "o1", (cent,) * 1000, more) == (
        "InvalidInput('invalid_order', 'tenders must hold at most 100 entries', "
        "field='tenders', value='<tuple>')"
    )


def test_a_line_holds_at_most_a_thousand_shares() -> None:
    """1 000 shares of 0.01 on a line are whole; 1 001 are refused."""
    share = DiscountShare("c", Funder.PLATFORM, cny("0.01"))
    assert len(tea(discounts=(share,) * 1000).discounts) == 1000
    assert refused(tea, discounts=(share,) * 1001) == (
        "InvalidInput('invalid_order', 'discounts must hold at most 1000 entries', "
        "field='discounts', value='<tuple>')"
    )


def test_an_order_holds_at_most_a_hundred_coupons() -> None:
    """100 coupons are whole, 101 refused; an order id must be text."""
    ids = tuple(f"c{i}" for i in range(101))
    assert len(PaidOrder("o1", (tea(),), (wechat(),), coupons=ids[:100]).coupons) == 100
    assert refused(PaidOrder, "o1", (tea(),), (wechat(),), coupons=ids) == (
        "InvalidInput('invalid_coupons', 'coupons must hold at most 100 entries', "
        "field='coupons', value='<tuple>')"
    )
    assert refused(PaidOrder, 1, (tea(),), (wechat(),)) == (
        "InvalidInput('invalid_order', 'order_id must be text, got int', field='order_id', value=1)"
    )
