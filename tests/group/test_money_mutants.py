"""The money commands, exactly: which payments settle an order, which go straight back and
why, and every refusal of a payment or a refund request with its code and its words."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from drivers import Run, at, campaign, cny, formed_pair
from tuangou_core.errors import TuangouError
from tuangou_core.group import (
    AuthorisationReleased,
    Cancel,
    OrderPaid,
    Pay,
    PaymentAuthorised,
    PaymentReceived,
    PaymentUnmatched,
    RefundDue,
    RequestRefund,
    StockReleased,
)
from tuangou_core.money import Money
from tuangou_core.refunds import RefundReason


def one_unpaid() -> Run:
    """Size 3 at 70.00: u1 opened and paid, u2 joined and has not paid."""
    run = Run(campaign(size=3))
    run.open("g1", "u1")
    run.pay("g1", "u1")
    run.join("g1", "u2", 1)
    return run


def refusal(run: Run, make: Callable[[], object]) -> TuangouError:
    with pytest.raises(TuangouError) as caught:
        run.do(make())  # type: ignore[arg-type]
    return caught.value


@pytest.mark.parametrize(
    ("amount", "code", "value"),
    [
        (7000, "invalid_amount", 7000),
        (Money(7000, "USD"), "currency_mismatch", "USD"),
        (Money(0), "invalid_amount", "0.00"),
        (Money(-1), "invalid_amount", "-0.01"),
    ],
)
def test_a_payment_of_no_positive_campaign_money_is_refused(
    amount: object, code: str, value: object
) -> None:
    """Not Money, another currency, zero or negative: refused naming the amount."""
    run = one_unpaid()
    error = refusal(run, lambda: Pay(at(2), "g1", "u2", "p-2", amount))
    assert (error.code, error.fields.get("field"), error.fields.get("value")) == (
        code,
        "amount",
        value,
    )


@pytest.mark.parametrize(
    ("payment_id", "tender", "code", "field"),
    [
        ("", "wechat", "invalid_payment_id", "payment_id"),
        (None, "wechat", "invalid_payment_id", "payment_id"),
        ("p-2", "", "invalid_tender", "tender"),
    ],
)
def test_a_payment_needs_an_id_and_a_tender(
    payment_id: object, tender: str, code: str, field: str
) -> None:
    """An empty or missing payment id or tender is refused naming it."""
    run = one_unpaid()
    error = refusal(
        run,
        lambda: Pay(at(2), "g1", "u2", payment_id, cny("70.00"), tender),
    )
    assert (error.code, error.fields.get("field")) == (code, field)


def test_the_same_notification_twice_is_applied_once() -> None:
    """The very same payment again decides nothing."""
    run = one_unpaid()
    run.pay("g1", "u2", 2, pid="p-2")
    assert run.do(Pay(at(3), "g1", "u2", "p-2", cny("70.00"))) == ()


def test_a_reused_payment_id_saying_something_else_is_a_conflict() -> None:
    """p-2 applied as 70.00 for u2, then claimed for u1 at 60.00: payment_conflict."""
    run = one_unpaid()
    run.pay("g1", "u2", 2, pid="p-2")
    error = refusal(run, lambda: Pay(at(3), "g1", "u1", "p-2", cny("60.00")))
    assert repr(error) == (
        "Conflict('payment_conflict', \"payment 'p-2' was applied as 70.00 for 'u2' in 'g1'; "
        "now it says 60.00 for 'u1' in 'g1'\", payment_id='p-2')"
    )


def test_money_naming_no_order_is_recorded_and_sent_back() -> None:
    """5.00 for an unknown member: recorded unmatched, returned whole along its payment."""
    run = one_unpaid()
    events = run.do(Pay(at(2), "g1", "nobody", "p-x", cny("5.00")))
    assert [type(e) for e in events] == [PaymentUnmatched, RefundDue]
    back = events[1]
    assert isinstance(back, RefundDue)
    assert (back.refund_id, back.payment_id, back.amount, back.reason) == (
        "unmatched:p-x",
        "p-x",
        cny("5.00"),
        RefundReason.UNMATCHED_PAYMENT,
    )
    again = run.do(Pay(at(3), "g9", "u1", "p-y", cny("5.00")))
    assert [type(e) for e in again] == [PaymentUnmatched, RefundDue]


@pytest.mark.parametrize(
    ("setup", "amount", "reason"),
    [
        ("paid", "70.00", RefundReason.DUPLICATE_PAYMENT),
        ("cancelled", "70.00", RefundReason.LATE_PAYMENT),
        ("unpaid", "69.99", RefundReason.AMOUNT_MISMATCH),
        ("unpaid", "70.01", RefundReason.AMOUNT_MISMATCH),
    ],
)
def test_a_payment_the_order_cannot_take_goes_straight_back(
    setup: str, amount: str, reason: RefundReason
) -> None:
    """A second payment, one after cancelling, or the wrong amount: received, then returned
    whole as the order's next refund, with its reason."""
    run = one_unpaid()
    if setup == "paid":
        run.pay("g1", "u2", 2, pid="p-2")
    if setup == "cancelled":
        run.do(Cancel(at(2), "g1", "u2"))
    events = run.do(Pay(at(3), "g1", "u2", "p-late", cny(amount)))
    assert [type(e) for e in events] == [PaymentReceived, RefundDue]
    back = events[1]
    assert isinstance(back, RefundDue)
    assert (back.refund_id, back.amount, back.reason) == ("g1:u2:r1", cny(amount), reason)


def test_the_amount_due_settles_the_order() -> None:
    """70.00 exactly: received, then the order is paid with that payment."""
    run = one_unpaid()
    events = run.do(Pay(at(2), "g1", "u2", "p-2", cny("70.00"), "alipay"))
    assert [type(e) for e in events] == [PaymentReceived, OrderPaid]
    paid = events[1]
    assert isinstance(paid, OrderPaid)
    assert (paid.payment_id, paid.tender) == ("p-2", "alipay")


def test_a_refund_names_exactly_one_of_amount_and_units() -> None:
    """Both, or neither: invalid_request."""
    run = formed_pair()
    for make in (
        lambda: RequestRefund(at(2), "g1", "u2"),
        lambda: RequestRefund(at(2), "g1", "u2", cny("1.00"), 1),
    ):
        error = refusal(run, make)
        assert (error.code, error.fields.get("field")) == ("invalid_request", "amount")


def test_a_refund_id_must_be_text() -> None:
    """An empty refund id is invalid_refund_id."""
    error = refusal(
        formed_pair(), lambda: RequestRefund(at(2), "g1", "u2", cny("1.00"), refund_id="")
    )
    assert (error.code, error.fields.get("field")) == ("invalid_refund_id", "refund_id")


def test_a_refund_id_reused_for_another_request_is_a_conflict() -> None:
    """r-1 for 10.00 then r-1 for 3 units, or for another member: refund_conflict."""
    run = formed_pair()
    run.do(RequestRefund(at(2), "g1", "u2", cny("10.00"), refund_id="r-1"))
    assert run.do(RequestRefund(at(3), "g1", "u2", cny("10.00"), refund_id="r-1")) == ()
    error = refusal(run, lambda: RequestRefund(at(3), "g1", "u2", units=1, refund_id="r-1"))
    assert repr(error) == (
        "Conflict('refund_conflict', \"refund 'r-1' was applied to 'u2' in 'g1'; this request "
        "asks something else\", refund_id='r-1')"
    )
    other = refusal(run, lambda: RequestRefund(at(3), "g1", "u1", cny("10.00"), refund_id="r-1"))
    assert other.code == "refund_conflict"


def test_a_units_refund_id_repeated_is_applied_once() -> None:
    """r-u for 1 unit twice: the second changes nothing; for 2 units it conflicts."""
    run = formed_pair()
    run.do(RequestRefund(at(2), "g1", "u2", units=1, refund_id="r-u"))
    assert run.do(RequestRefund(at(3), "g1", "u2", units=1, refund_id="r-u")) == ()
    error = refusal(run, lambda: RequestRefund(at(4), "g1", "u2", units=2, refund_id="r-u"))
    assert error.code == "refund_conflict"
    amount = refusal(run, lambda: RequestRefund(at(4), "g1", "u2", cny("0.01"), refund_id="r-u"))
    assert amount.code == "refund_conflict"


def test_an_unformed_order_takes_no_after_sales_refund() -> None:
    """u1's order still awaits its group: not_refundable naming the status."""
    run = one_unpaid()
    error = refusal(run, lambda: RequestRefund(at(2), "g1", "u1", cny("1.00")))
    assert repr(error) == (
        "Rejected('not_refundable', \"the order of 'u1' is awaiting_group; after-sales refunds "
        "apply to formed orders (leave an unformed group with cancel)\", group='g1', "
        "member='u1')"
    )


@pytest.mark.parametrize(
    ("amount", "units", "why"),
    [
        (None, 0, "a refund of no units"),
        (None, 2, "2 unit(s) asked, 1 left"),
        (Money(0), None, "a refund of nothing"),
        (Money(7001), None, "refund of 70.01 exceeds the 70.00 left"),
    ],
)
def test_a_refund_beyond_the_order_is_refused(
    amount: Money | None, units: int | None, why: str
) -> None:
    """No units, more units than held, nothing, or more than the net: refund_exceeds_paid."""
    error = refusal(formed_pair(), lambda: RequestRefund(at(2), "g1", "u2", amount, units))
    assert repr(error) == (
        f"Rejected('refund_exceeds_paid', \"{why} on the order of 'u2' in 'g1'\", group='g1', "
        "member='u2')"
    )


def test_a_refund_of_everything_left_releases_the_stock() -> None:
    """With stock tracked, the whole 70.00 back returns the unit; a part keeps it."""
    run = formed_pair(stock=10)
    part = run.do(RequestRefund(at(2), "g1", "u2", cny("30.00")))
    assert not any(isinstance(e, StockReleased) for e in part)
    rest = run.do(RequestRefund(at(3), "g1", "u2", cny("40.00")))
    assert [type(e) for e in rest] == [RefundDue, StockReleased]
    assert run.state.stock_taken == 1


def test_a_whole_refund_without_stock_releases_nothing() -> None:
    """No stock or limit tracked: a whole refund is the refund alone."""
    events = formed_pair().do(RequestRefund(at(2), "g1", "u2", cny("70.00")))
    assert [type(e) for e in events] == [RefundDue]


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        (7000, "amount must be Money, got int"),
        (Money(7000, "USD"), "amount is in USD, the campaign in CNY"),
        (Money(0), "amount must be positive, got 0.00"),
    ],
)
def test_a_bad_payment_amount_says_what_is_wrong(amount: object, message: str) -> None:
    """The refusal's words name the field and what it must be."""
    error = refusal(one_unpaid(), lambda: Pay(at(2), "g1", "u2", "p-2", amount))
    assert error.message == message


def test_a_missing_payment_id_says_so_with_its_value() -> None:
    """An empty payment id: the words and the value given."""
    error = refusal(one_unpaid(), lambda: Pay(at(2), "g1", "u2", "", cny("70.00")))
    assert (error.message, error.fields) == (
        "payment_id must not be empty",
        {"field": "payment_id", "value": ""},
    )


def test_a_refund_naming_neither_amount_nor_units_says_so() -> None:
    """The words of invalid_request, and no value."""
    error = refusal(formed_pair(), lambda: RequestRefund(at(2), "g1", "u2"))
    assert (error.message, error.fields) == (
        "amount or units: a refund names exactly one of the two",
        {"field": "amount", "value": None},
    )


def test_unmatched_money_keeps_its_tender_and_names_its_order() -> None:
    """5.00 by alipay for nobody: recorded with its group, member and tender, as cash."""
    events = one_unpaid().do(Pay(at(2), "g1", "nobody", "p-x", cny("5.00"), "alipay"))
    stray, back = events
    assert isinstance(stray, PaymentUnmatched)
    assert isinstance(back, RefundDue)
    assert (stray.group, stray.member, stray.tender, stray.authorised) == (
        "g1",
        "nobody",
        "alipay",
        False,
    )
    assert (back.group, back.member, back.tender) == ("g1", "nobody", "alipay")


def test_a_payment_received_keeps_its_tender() -> None:
    """A settling payment by alipay is received and paid as alipay; a stray one too."""
    run = one_unpaid()
    received, _paid = run.do(Pay(at(2), "g1", "u2", "p-2", cny("70.00"), "alipay"))
    assert isinstance(received, PaymentReceived)
    assert received.tender == "alipay"
    again, back = run.do(Pay(at(3), "g1", "u2", "p-3", cny("70.00"), "alipay"))
    assert isinstance(again, PaymentReceived) and isinstance(back, RefundDue)
    assert (again.tender, back.tender) == ("alipay", "alipay")


TIERS = [{"size": 3, "price": "90.00"}, {"size": 5, "price": "80.00"}]


def four_paid_of_five(charge: str) -> Run:
    """Tiers 3 at 90.00 and 5 at 80.00: u1…u4 paid 90.00 each, u5 holds the last slot."""
    run = Run(campaign(rule="tiered", size=None, price=None, tiers=TIERS, charge=charge))
    run.open("g1", "u1")
    run.pay("g1", "u1")
    for i in range(2, 5):
        run.join_and_pay("g1", f"u{i}", i)
    run.join("g1", "u5", 5)
    return run


def test_an_authorised_payment_keeps_its_tender() -> None:
    """capture_at_close: u5's 90.00 by alipay is authorised as alipay."""
    run = four_paid_of_five("capture_at_close")
    events = run.do(Pay(at(6), "g1", "u5", "p5", cny("90.00"), "alipay"))
    assert events[0] == PaymentAuthorised(at(6), "g1", "u5", "p5", cny("90.00"), "alipay")


def test_the_forming_payment_gets_its_tier_difference_back_along_itself() -> None:
    """u5's 90.00 by alipay forms the group at 80.00: u5's 10.00 goes back along p5 by
    alipay, its first refund (r1), as the others' go back along their own."""
    run = four_paid_of_five("prepay_highest")
    events = run.do(Pay(at(6), "g1", "u5", "p5", cny("90.00"), "alipay"))
    backs = {e.member: e for e in events if isinstance(e, RefundDue)}
    u5, u1 = backs["u5"], backs["u1"]
    assert (u5.amount, u5.reason, u5.payment_id, u5.tender, u5.refund_id) == (
        cny("10.00"),
        RefundReason.TIER_DIFFERENCE,
        "p5",
        "alipay",
        "g1:u5:r1",
    )
    assert (u1.payment_id, u1.tender) == ("p-g1-u1", "wechat")


def test_under_capture_at_close_money_that_cannot_settle_is_authorised_and_released() -> None:
    """capture_at_close: 5.00 by alipay naming nobody is recorded as authorised and its
    authorisation released (unmatched); u1's second 90.00 (p2) is authorised and released
    (duplicate): no cash moved, so nothing is refunded."""
    run = four_paid_of_five("capture_at_close")
    assert run.do(Pay(at(6), "g1", "nobody", "p-x", cny("5.00"), "alipay")) == (
        PaymentUnmatched(at(6), "g1", "nobody", "p-x", cny("5.00"), "alipay", True),
        AuthorisationReleased(
            at(6), "g1", "nobody", "p-x", cny("5.00"), RefundReason.UNMATCHED_PAYMENT
        ),
    )
    assert run.do(Pay(at(7), "g1", "u1", "p2", cny("90.00"))) == (
        PaymentAuthorised(at(7), "g1", "u1", "p2", cny("90.00"), "wechat"),
        AuthorisationReleased(
            at(7), "g1", "u1", "p2", cny("90.00"), RefundReason.DUPLICATE_PAYMENT
        ),
    )


def three_units() -> Run:
    """A formed pair: u1 one unit at 70.00, u2 three units at 210.00, all paid."""
    run = Run(campaign(size=2))
    run.open("g1", "u1")
    run.pay("g1", "u1")
    run.join("g1", "u2", 1, qty=3)
    run.pay("g1", "u2", 1)
    return run


def test_the_units_left_are_those_not_yet_returned() -> None:
    """u2 returned 1 of 3 units: 3 more is refused (2 left); the 2 left go back, 140.00."""
    run = three_units()
    run.do(RequestRefund(at(2), "g1", "u2", units=1))
    error = run.refused(RequestRefund(at(3), "g1", "u2", units=3))
    assert repr(error) == (
        "Rejected('refund_exceeds_paid', \"3 unit(s) asked, 2 left on the order of 'u2' in "
        "'g1'\", group='g1', member='u2')"
    )
    (back,) = run.do(RequestRefund(at(3), "g1", "u2", units=2))
    assert isinstance(back, RefundDue)
    assert (back.amount, back.units) == (cny("140.00"), 2)


def test_a_refund_in_another_currency_is_refused_naming_the_amount() -> None:
    """1.00 USD against a CNY campaign: currency_mismatch for amount, valued USD."""
    error = three_units().refused(RequestRefund(at(2), "g1", "u2", Money(100, "USD")))
    assert repr(error) == (
        "InvalidInput('currency_mismatch', 'amount is in USD, the campaign in CNY', "
        "field='amount', value='USD')"
    )


def test_a_refund_keeps_the_callers_reason_as_its_note() -> None:
    """A 5.00 claim 'cup cracked' is refunded with that note; by default 'after_sales'."""
    run = three_units()
    (claim,) = run.do(RequestRefund(at(2), "g1", "u2", cny("5.00"), reason="cup cracked"))
    (plain,) = run.do(RequestRefund(at(3), "g1", "u2", cny("5.00")))
    assert isinstance(claim, RefundDue) and isinstance(plain, RefundDue)
    assert (claim.note, plain.note) == ("cup cracked", "after_sales")
