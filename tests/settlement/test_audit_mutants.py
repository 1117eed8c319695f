"""The independent audit, exactly: its split formula and its balances on small logs by hand.

Fees throughout: 0.6 % payment on the net, 5 % platform and 10 % leader on the base (net plus
the platform's standing subsidy), half up. Two members at 70.00; u1 carries a 10.00 platform
coupon, so pays 60.00 with 10.00 of platform discount.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tuangou_core.campaign import Campaign, FeeSchedule
from tuangou_core.errors import InvalidInput
from tuangou_core.group import (
    Event,
    GroupFormed,
    GroupOpened,
    MemberJoined,
    OrderPaid,
    OrderRepriced,
    PaymentCaptured,
    PaymentReceived,
    PaymentUnmatched,
    RefundDue,
    WinnersDrawn,
)
from tuangou_core.money import Money
from tuangou_core.pricing import quote_member
from tuangou_core.refunds import RefundReason
from tuangou_core.settlement import Account, Balance, Difference, audit, reconcile
from tuangou_core.settlement._audit import _half_up, _split

T = datetime(2026, 3, 1, 2, 0, tzinfo=UTC)
A = Account
SCHEDULE = {"payment_rate": "0.006", "platform_rate": "0.05", "leader_rate": "0.10"}
FEES = FeeSchedule.build(SCHEDULE)
COUPONS = [{"id": "p10", "kind": "amount_off", "amount": "10.00", "funded_by": "platform"}]


def make(rule: str = "fixed", points: dict[str, Any] | None = None) -> Campaign:
    data: dict[str, Any] = {"id": "c", "list_price": "100.00", "rule": rule, "size": 2}
    data["price"] = "70.00"
    if rule == "lottery":
        data["winners"] = 1
    return Campaign.build(data, fees=SCHEDULE, coupons=COUPONS, points=points)


def paid_pair(campaign: Campaign) -> list[Event]:
    """u1 (with p10) and u2 join and pay; the group forms."""
    events: list[Event] = [GroupOpened(T, "g1", "u1", T + timedelta(hours=24))]
    for member, coupons in (("u1", ("p10",)), ("u2", ())):
        role = "opener" if member == "u1" else "joiner"
        quote = quote_member(campaign, unit_price=Money(7000), role=role, coupon_ids=coupons)
        events += [
            MemberJoined(T, "g1", member, 1, role, quote, T, coupons),
            PaymentReceived(T, "g1", member, f"wx-{member}", quote.total, "wechat"),
            OrderPaid(T, "g1", member, f"wx-{member}", "wechat"),
        ]
    return [*events, GroupFormed(T, "g1", 2, 0, Money(7000))]


def refund(member: str, minor: int) -> RefundDue:
    return RefundDue(
        T, "g1", member, f"r-{member}", f"wx-{member}", Money(minor), RefundReason.AFTER_SALES
    )


def nonzero(totals: dict[Account, int]) -> dict[Account, int]:
    return {a: v for a, v in totals.items() if v}


def test_half_up_rounds_ties_away_from_zero() -> None:
    """1.5 → 2, 2.5 → 3, 1.4 → 1, 1.6 → 2, exact values stay."""
    assert [_half_up(n, 10) for n in (15, 25, 14, 16, 20, 0)] == [2, 3, 1, 2, 2, 0]
    assert _half_up(1, 2) == 1
    assert _half_up(1, 3) == 0


@pytest.mark.parametrize(
    ("net", "due", "discount", "expected"),
    [
        # 0.6 % of 70.00 is 0.42; 5 % and 10 % of 70.00 are 3.50 and 7.00; the merchant the rest.
        (7000, 7000, 0, (42, 350, 0, 700, 5908)),
        # all the 10.00 discount stands: base 70.00, fee on the 60.00 paid.
        (6000, 6000, 1000, (36, 350, 1000, 700, 5914)),
        # half refunded: half the discount stands, base 35.00.
        (3000, 6000, 1000, (18, 175, 500, 350, 2957)),
        # 0.6 % of 2.50 is 1.5 minor units → 2; 5 % is 12.5 → 13.
        (250, 250, 0, (2, 13, 0, 25, 210)),
        # the standing subsidy's tie: 1 × 1 / 2 rounds up to 1.
        (1, 2, 1, (0, 0, 1, 0, 2)),
        # nothing left: nothing stands and nothing is split.
        (0, 6000, 1000, (0, 0, 0, 0, 0)),
        (-5, 6000, 1000, (0, 0, 0, 0, -5)),
    ],
)
def test_the_audits_split_of_one_order(
    net: int, due: int, discount: int, expected: tuple[int, ...]
) -> None:
    """(fee, take, subsidy, leader, merchant) of one order, worked by hand."""
    assert _split(net, due, discount, FEES) == expected


def test_a_formed_pair_books_each_orders_split() -> None:
    """u1 (60.00, 10.00 subsidy) splits 0.36/3.50/1.00/7.00/59.14, u2 0.42/3.50/0/7.00/59.08."""
    assert nonzero(audit(paid_pair(make()), make())) == {
        A.PAYMENT_CLEARING: 13000,
        A.PROCESSOR_FEES: 78,
        A.PLATFORM_REVENUE: 700,
        A.PLATFORM_SUBSIDY: 1000,
        A.LEADER_PAYABLE: 1400,
        A.MERCHANT_PAYABLE: 11822,
    }


def test_a_partial_refund_splits_what_is_left() -> None:
    """35.00 back to u2 leaves 35.00 split 0.21/1.75/3.50/29.54; 30.00 back to u1 halves its
    standing subsidy to 5.00."""
    log = [*paid_pair(make()), refund("u2", 3500), refund("u1", 3000)]
    assert nonzero(audit(log, make())) == {
        A.PAYMENT_CLEARING: 6500,
        A.PROCESSOR_FEES: 39,
        A.PLATFORM_REVENUE: 350,
        A.PLATFORM_SUBSIDY: 500,
        A.LEADER_PAYABLE: 700,
        A.MERCHANT_PAYABLE: 5911,
    }


def test_two_refunds_along_one_payment_add_up() -> None:
    """20.00 and then 15.00 back to u2 leave it 35.00, as one refund of 35.00 does."""
    two = [*paid_pair(make()), refund("u2", 2000), refund("u2", 1500)]
    one = [*paid_pair(make()), refund("u2", 3500)]
    assert audit(two, make()) == audit(one, make())


def test_money_that_settles_no_order_sits_in_refunds_payable() -> None:
    """5.00 arriving for nobody is cash owed back until its refund is booked."""
    stray = PaymentUnmatched(T, "g9", "u9", "wx-9", Money(500), "wechat")
    log = [*paid_pair(make()), stray]
    totals = audit(log, make())
    assert (totals[A.PAYMENT_CLEARING], totals[A.REFUNDS_PAYABLE]) == (13500, 500)
    back = RefundDue(T, "g9", "u9", "r9", "wx-9", Money(500), RefundReason.UNMATCHED_PAYMENT)
    totals = audit([*log, back], make())
    assert (totals[A.PAYMENT_CLEARING], totals[A.REFUNDS_PAYABLE]) == (13000, 0)


def test_an_unmatched_authorisation_is_no_cash() -> None:
    """An authorisation naming no order brings no cash into clearing."""
    stray = PaymentUnmatched(T, "g9", "u9", "wx-9", Money(500), "wechat", authorised=True)
    assert audit([*paid_pair(make()), stray], make()) == audit(paid_pair(make()), make())


def test_a_second_payment_for_an_order_is_owed_back() -> None:
    """A duplicate 70.00 for u2 on another payment id is cash that settles nothing."""
    dup = PaymentReceived(T, "g1", "u2", "wx-dup", Money(7000), "wechat")
    totals = audit([*paid_pair(make()), dup], make())
    assert (totals[A.PAYMENT_CLEARING], totals[A.REFUNDS_PAYABLE]) == (20000, 7000)
    assert totals[A.MERCHANT_PAYABLE] == 11822


def test_captured_cash_settles_the_order_it_paid() -> None:
    """A capture adds cash along the order's payment as a receipt does; two captures add."""
    log = paid_pair(make())
    captured = [e for e in log if not isinstance(e, PaymentReceived) or e.member != "u2"]
    half = PaymentCaptured(T, "g1", "u2", "wx-u2", Money(3500))
    assert audit([*captured, half, half], make()) == audit(log, make())


def test_an_order_paid_by_no_cash_splits_nothing() -> None:
    """OrderPaid naming a payment that brought no cash leaves the order at zero net."""
    log = [e for e in paid_pair(make()) if not isinstance(e, PaymentReceived) or e.member != "u2"]
    totals = audit(log, make())
    assert totals[A.PAYMENT_CLEARING] == 6000
    assert totals[A.MERCHANT_PAYABLE] == 5914


def test_a_reprice_changes_the_due_and_discount_the_split_reads() -> None:
    """u1 repriced to 70.00 without its coupon: no subsidy stands, its 60.00 splits plain."""
    plain = quote_member(make(), unit_price=Money(7000), role="opener")
    log = [*paid_pair(make()), OrderRepriced(T, "g1", "u1", plain)]
    totals = audit(log, make())
    # u1: net 60.00 of due 70.00, no discount: 0.36, 3.00, 6.00, 50.64.
    assert totals[A.PLATFORM_SUBSIDY] == 0
    assert totals[A.MERCHANT_PAYABLE] == 5064 + 5908
    assert totals[A.PLATFORM_REVENUE] == 300 + 350


def test_points_stand_on_formed_orders_only() -> None:
    """1 point a yuan at 0.01, merchant-funded: 60 + 70 points cost the merchant 1.30, and
    none stand before the group forms."""
    campaign = make(points={"earn_per_unit": 1, "value": "0.01", "funded_by": "merchant"})
    log = paid_pair(campaign)
    totals = audit(log, campaign)
    assert (totals[A.POINTS_LIABILITY], totals[A.MERCHANT_PAYABLE]) == (130, 11822 - 130)
    assert totals[A.PLATFORM_REVENUE] == 700
    unformed = audit(log[:-1], campaign)
    assert (unformed[A.POINTS_LIABILITY], unformed[A.MERCHANT_PAYABLE]) == (0, 11822)


def test_platform_funded_points_come_off_its_revenue() -> None:
    """2 points a yuan at 0.05, platform-funded: 260 points, 13.00 off the platform's take."""
    campaign = make(points={"earn_per_unit": 2, "value": "0.05", "funded_by": "platform"})
    totals = audit(paid_pair(campaign), campaign)
    assert (totals[A.POINTS_LIABILITY], totals[A.PLATFORM_REVENUE]) == (1300, 700 - 1300)
    assert totals[A.MERCHANT_PAYABLE] == 11822


def test_points_count_whole_yuan_of_the_net() -> None:
    """u2 refunded 0.50 keeps 69.50: 69 points, not 70."""
    campaign = make(points={"earn_per_unit": 1, "value": "0.01", "funded_by": "merchant"})
    totals = audit([*paid_pair(campaign), refund("u2", 50)], campaign)
    assert totals[A.POINTS_LIABILITY] == 60 + 69


def test_a_lottery_formed_group_earns_points_only_for_its_winners() -> None:
    """A lottery forms without points; the draw gives them to the winner u2 alone."""
    campaign = make(rule="lottery", points={"earn_per_unit": 1, "value": "0.01"})
    log = paid_pair(campaign)
    assert audit(log, campaign)[A.POINTS_LIABILITY] == 0
    drawn = WinnersDrawn(T, "g1", "seed", ("u2",), ("u1",))
    assert audit([*log, drawn], campaign)[A.POINTS_LIABILITY] == 70


def test_an_amount_in_another_currency_is_refused() -> None:
    """A USD receipt in a CNY campaign's log: currency_mismatch."""
    log = [*paid_pair(make()), PaymentReceived(T, "g1", "u2", "x", Money(5, "USD"), "wechat")]
    with pytest.raises(InvalidInput) as caught:
        audit(log, make())
    assert caught.value.code == "currency_mismatch"


def test_reconcile_names_each_account_that_differs() -> None:
    """Journal 1.00 against audit 0.90 on the merchant: one difference, gap 0.10."""
    mine = {a: Balance(a, 0, 0, "USD") for a in Account}
    mine[A.MERCHANT_PAYABLE] = Balance(A.MERCHANT_PAYABLE, 0, 100, "USD")
    theirs = dict.fromkeys(Account, 0)
    theirs[A.MERCHANT_PAYABLE] = 90
    (diff,) = reconcile(mine, theirs)
    assert diff == Difference(A.MERCHANT_PAYABLE, 100, 90, "USD")
    assert diff.gap == 10
    assert str(diff) == "merchant_payable: the journal says 1.00, the audit 0.90 (gap 0.10)"


def test_reconcile_counts_a_missing_account_as_zero() -> None:
    """Accounts absent on either side are zero there; no journal balances print in CNY."""
    assert reconcile({}, {}) == ()
    (diff,) = reconcile({}, {A.PLATFORM_REVENUE: -5})
    assert (diff.journal, diff.audit, diff.gap, diff.currency) == (0, -5, 5, "CNY")
    assert str(diff) == "platform_revenue: the journal says 0.00, the audit -0.05 (gap 0.05)"
    clearing = Balance(A.PAYMENT_CLEARING, 300, 0, "CNY")
    assert reconcile({A.PAYMENT_CLEARING: clearing}, {A.PAYMENT_CLEARING: 300}) == ()


@pytest.mark.parametrize(
    "event",
    [
        PaymentReceived(T, "g1", "u2", "x", Money(5, "USD"), "wechat"),
        PaymentUnmatched(T, "g9", "u9", "x", Money(5, "USD"), "wechat"),
        RefundDue(T, "g1", "u2", "r", "wx-u2", Money(5, "USD"), RefundReason.AFTER_SALES),
    ],
)
def test_a_foreign_amount_is_refused_naming_the_event_and_the_audit(event: Event) -> None:
    """A receipt, a stray payment or a refund in USD at index 8: the audit names both."""
    with pytest.raises(InvalidInput) as caught:
        audit([*paid_pair(make()), event], make())
    assert repr(caught.value) == (
        "InvalidInput('currency_mismatch', \"events[8] moves Money('0.05', 'USD'); the audit is "
        "in CNY\", field='events[8].amount', value=\"Money('0.05', 'USD')\")"
    )


def test_a_group_formed_with_no_order_in_the_log_counts_nothing() -> None:
    """GroupFormed for a group no join reached (a hand-built log): no order forms, no error."""
    totals = audit(
        [GroupFormed(T, "g7", 2, 0, Money(7000))],
        make(points={"earn_per_unit": 1, "value": "0.01", "funded_by": "platform"}),
    )
    assert set(totals.values()) == {0}


def test_an_amount_that_is_not_money_is_refused_by_the_audit_too() -> None:
    """A hand-built receipt of the int 500 (not Money) is refused, coded, naming the event."""
    bare = PaymentReceived(T, "g9", "u9", "wx-9", 500, "wechat")  # type: ignore[arg-type]
    with pytest.raises(InvalidInput) as caught:
        audit([bare], make())
    assert repr(caught.value) == (
        "InvalidInput('currency_mismatch', 'events[0] moves 500; the audit is in CNY', "
        "field='events[0].amount', value='500')"
    )


def test_an_order_paid_without_a_quote_splits_with_no_discount() -> None:
    """A payment settling an order no join quoted: 70.00 split as with nothing discounted."""
    log: list[Event] = [
        PaymentReceived(T, "g1", "u5", "wx-5", Money(7000), "wechat"),
        OrderPaid(T, "g1", "u5", "wx-5", "wechat"),
    ]
    assert nonzero(audit(log, make())) == {
        A.PAYMENT_CLEARING: 7000,
        A.PROCESSOR_FEES: 42,
        A.PLATFORM_REVENUE: 350,
        A.LEADER_PAYABLE: 700,
        A.MERCHANT_PAYABLE: 5908,
    }


def test_an_order_refunded_beyond_its_cash_splits_nothing() -> None:
    """80.00 back on u2's 70.00: u2 splits nothing, clearing holds u1's 60.00 less the 10.00."""
    totals = audit([*paid_pair(make()), refund("u2", 8000)], make())
    assert totals[A.MERCHANT_PAYABLE] == 5914
    assert (totals[A.PAYMENT_CLEARING], totals[A.REFUNDS_PAYABLE]) == (5000, 0)


def test_no_net_and_no_due_leaves_no_subsidy() -> None:
    """Nothing paid on nothing due: no subsidy stands, whatever was discounted."""
    assert _split(0, 0, 1000, FEES) == (0, 0, 0, 0, 0)
