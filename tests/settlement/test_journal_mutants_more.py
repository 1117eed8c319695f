"""The journal on the edges test_journal_mutants leaves: each entry's event and instant, points
after a capture and in a currency of whole units, a capture or a refund that names no payment
settled or more cash than the order holds, and leadership passing in an empty group."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import attrs
import pytest
from test_audit_mutants import T, make, paid_pair, refund

from tuangou_core.campaign import Campaign
from tuangou_core.errors import InvalidInput
from tuangou_core.group import (
    Event,
    GroupFormed,
    GroupOpened,
    LeaderChanged,
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
from tuangou_core.settlement import Account, journal, party_balances

POINTS = {"earn_per_unit": 1, "value": "0.01", "funded_by": "platform"}
Line = tuple[str, str, str, str]


def lines(log: list[Event], campaign: Campaign) -> list[tuple[str, list[Line]]]:
    return [
        (e.id, [(p.account.value, p.side.value, str(p.amount), p.party) for p in e.postings])
        for e in journal(log, campaign)
    ]


def minute_by_minute(log: list[Event]) -> list[Event]:
    """The log with event *i* moved to *i* minutes after T, so each instant names its event."""
    return [attrs.evolve(e, at=T + timedelta(minutes=i)) for i, e in enumerate(log)]


def test_every_entry_carries_its_events_index_and_instant() -> None:
    """Each handler's entries: id ``i.n``, event ``i``, at the event's own instant."""
    campaign = make(points=POINTS)
    plain = quote_member(campaign, unit_price=Money(7000), role="opener")
    log = minute_by_minute(
        [
            *paid_pair(campaign),  # 0..7: opened, u1 and u2 join, pay, settle; formed at 7
            refund("u2", 3500),  # 8: claw back, points, sent
            OrderRepriced(T, "g1", "u1", plain),  # 9: the split's difference
            PaymentCaptured(T, "g1", "u2", "wx-u2", Money(100)),  # 10: cash, split, points
            PaymentUnmatched(T, "g9", "u9", "wx-9", Money(500), "wechat"),  # 11: owed back
            LeaderChanged(T, "g1", "u1", "u2"),  # 12: the leader payable moves
        ]
    )
    entries = journal(log, campaign)
    assert [e.id for e in entries] == [
        *("2.1", "3.1", "5.1", "6.1", "7.1", "7.2", "8.1", "8.2", "8.3", "9.1"),
        *("10.1", "10.2", "10.3", "11.1", "12.1"),
    ]
    for entry in entries:
        index = int(entry.id.split(".")[0])
        assert (entry.event, entry.at) == (index, T + timedelta(minutes=index)), entry.id


def test_a_capture_after_forming_grows_the_split_and_the_points() -> None:
    """u2 at 35.00 after a refund, then 1.00 captured on wx-u2: the split of 36.00 less that of
    35.00 (fee 0.22 - 0.21, take 1.80 - 1.75, leader 3.60 - 3.50, merchant 30.38 - 29.54),
    then 36 points for 35; and the leader share moving on is u1's 6.00 + u2's 3.60."""
    campaign = make(points=POINTS)
    plain = quote_member(campaign, unit_price=Money(7000), role="opener")
    log = [
        *paid_pair(campaign),
        refund("u2", 3500),
        OrderRepriced(T, "g1", "u1", plain),
        PaymentCaptured(T, "g1", "u2", "wx-u2", Money(100)),
        LeaderChanged(T, "g1", "u1", "u2"),
    ]
    assert lines(log, campaign)[-4:] == [
        (
            "10.1",
            [
                ("payment_clearing", "debit", "1.00", "u2"),
                ("refunds_payable", "credit", "1.00", "u2"),
            ],
        ),
        (
            "10.2",
            [
                ("refunds_payable", "debit", "1.00", "u2"),
                ("processor_fees", "credit", "0.01", ""),
                ("platform_revenue", "credit", "0.05", ""),
                ("leader_payable", "credit", "0.10", "u1"),
                ("merchant_payable", "credit", "0.84", ""),
            ],
        ),
        (
            "10.3",
            [
                ("platform_revenue", "debit", "0.01", ""),
                ("points_liability", "credit", "0.01", "u2"),
            ],
        ),
        (
            "11.1",
            [("leader_payable", "debit", "9.60", "u1"), ("leader_payable", "credit", "9.60", "u2")],
        ),
    ]


def test_a_capture_with_points_before_forming_stands_at_none() -> None:
    """Points on a capture along the settling payment are read, and none stand unformed."""
    campaign = make(points=POINTS)
    log = [e for e in paid_pair(campaign)[:7] if not isinstance(e, PaymentReceived)]
    capture = PaymentCaptured(T, "g1", "u2", "wx-u2", Money(7000))
    assert [e.id for e in journal([*log, capture], campaign)] == ["5.1", "5.2"]


def test_a_capture_naming_no_payment_on_an_unsettled_order_is_only_cash_in() -> None:
    """u2 joined and never settled: 5.00 captured under an empty payment id is owed back."""
    log = [*paid_pair(make())[:5], PaymentCaptured(T, "g1", "u2", "", Money(500))]
    assert lines(log, make())[-1] == (
        "5.1",
        [("payment_clearing", "debit", "5.00", "u2"), ("refunds_payable", "credit", "5.00", "u2")],
    )


def test_a_refund_past_the_orders_cash_claws_back_the_split_and_no_more() -> None:
    """70.01 back along u2's 70.00: its whole split (0.42, 3.50, 7.00, 59.08) comes back,
    nothing below it, and all 70.01 is sent."""
    assert lines([*paid_pair(make()), refund("u2", 7001)], make())[4:] == [
        (
            "8.1",
            [
                ("refunds_payable", "credit", "70.00", "u2"),
                ("processor_fees", "debit", "0.42", ""),
                ("platform_revenue", "debit", "3.50", ""),
                ("leader_payable", "debit", "7.00", "u1"),
                ("merchant_payable", "debit", "59.08", ""),
            ],
        ),
        (
            "8.2",
            [
                ("refunds_payable", "debit", "70.01", "u2"),
                ("payment_clearing", "credit", "70.01", "u2"),
            ],
        ),
    ]


def yen_pair() -> tuple[Campaign, list[Event]]:
    """Two members at 1 JPY (a currency of whole units), one point per yen, no fees."""
    data: dict[str, Any] = {"id": "y", "currency": "JPY", "list_price": "2", "rule": "fixed"}
    campaign = Campaign.build(
        {**data, "size": 2, "price": "1"}, points={"earn_per_unit": 1, "value": "1"}
    )
    log: list[Event] = [GroupOpened(T, "g1", "u1", T + timedelta(hours=24))]
    for member, role in (("u1", "opener"), ("u2", "joiner")):
        quote = quote_member(campaign, unit_price=Money(1, "JPY"), role=role)
        log += [
            MemberJoined(T, "g1", member, 1, role, quote, T),
            PaymentReceived(T, "g1", member, f"wx-{member}", quote.total, "wechat"),
            OrderPaid(T, "g1", member, f"wx-{member}", "wechat"),
        ]
    return campaign, [*log, GroupFormed(T, "g1", 2, 0, Money(1, "JPY"))]


def test_an_order_of_one_whole_unit_stands_at_its_point_until_refunded() -> None:
    """1 JPY paid: formed, each order stands at floor(1 / 1) × 1 = 1 point; u2's 1 JPY back
    leaves it nothing and its point goes back."""
    campaign, log = yen_pair()
    back = RefundDue(T, "g1", "u2", "r", "wx-u2", Money(1, "JPY"), RefundReason.AFTER_SALES)
    merchant, liability = "merchant_payable", "points_liability"
    assert lines([*log, back], campaign)[4:] == [
        ("7.1", [(merchant, "debit", "1", ""), (liability, "credit", "1", "u1")]),
        ("7.2", [(merchant, "debit", "1", ""), (liability, "credit", "1", "u2")]),
        ("8.1", [("refunds_payable", "credit", "1", "u2"), (merchant, "debit", "1", "")]),
        ("8.2", [(merchant, "credit", "1", ""), (liability, "debit", "1", "u2")]),
        (
            "8.3",
            [("refunds_payable", "debit", "1", "u2"), ("payment_clearing", "credit", "1", "u2")],
        ),
    ]


def test_a_drawn_winners_points_are_booked_at_the_draw() -> None:
    """The lottery's draw is event 8: u2's 70 points are entry 8.1, at the draw's instant."""
    campaign = make(rule="lottery", points=POINTS)
    log = minute_by_minute([*paid_pair(campaign), WinnersDrawn(T, "g1", "s", ("u2",), ("u1",))])
    last = journal(log, campaign)[-1]
    assert (last.id, last.event, last.at) == ("8.1", 8, T + timedelta(minutes=8))


def test_leadership_passing_in_a_group_no_one_joined_books_nothing() -> None:
    """A group opened and handed on before any order: no entry, no error."""
    log: list[Event] = [
        GroupOpened(T, "g1", "u1", T + timedelta(hours=24)),
        LeaderChanged(T, "g1", "u1", "u2"),
    ]
    assert journal(log, make()) == ()


def test_each_entry_says_what_it_books_in_words() -> None:
    """The memos of two paid orders: each payment received, then its split by the fee
    schedule's rule in words (fee 0.6% of net, platform 5% and leader 10% of base)."""
    campaign = make()
    rule = (
        "fee 0.6% of net, platform 5% of base less subsidy, leader 10% of base, "
        "merchant the residual"
    )
    assert [(e.id, e.memo) for e in journal(paid_pair(campaign), campaign)] == [
        ("2.1", "payment wx-u1 received"),
        ("3.1", f"split of g1/u1 on net 60.00 (payment wx-u1 settles it): {rule}"),
        ("5.1", "payment wx-u2 received"),
        ("6.1", f"split of g1/u2 on net 70.00 (payment wx-u2 settles it): {rule}"),
    ]


def test_a_one_fen_rise_in_a_share_is_posted_on_its_growing_side() -> None:
    """u1 (60.00 due, 10.00 platform discount) refunded to 30.03, then 0.06 captured: the
    subsidy, the platform's take and the leader's share each rise by exactly 0.01, and each
    is posted as 0.01 on its growing side, never as −0.01 on the other."""
    log = [
        *paid_pair(make()),
        refund("u1", 2997),
        PaymentCaptured(T, "g1", "u1", "wx-u1", Money(6)),
    ]
    assert lines(log, make())[-1] == (
        "9.2",
        [
            ("refunds_payable", "debit", "0.06", "u1"),
            ("platform_subsidy", "debit", "0.01", ""),
            ("platform_revenue", "credit", "0.01", ""),
            ("leader_payable", "credit", "0.01", "u1"),
            ("merchant_payable", "credit", "0.05", ""),
        ],
    )


def test_a_share_that_does_not_move_gets_no_line() -> None:
    """u1 refunded to 30.03, then 0.01 captured: only the leader's share rises (0.01); the fee,
    the take, the subsidy and the merchant's share stay, and get no line, not even of 0.00."""
    log = [
        *paid_pair(make()),
        refund("u1", 2997),
        PaymentCaptured(T, "g1", "u1", "wx-u1", Money(1)),
    ]
    assert lines(log, make())[-1] == (
        "9.2",
        [("refunds_payable", "debit", "0.01", "u1"), ("leader_payable", "credit", "0.01", "u1")],
    )


def test_money_naming_a_group_before_it_opens_leaves_the_leader_share_with_its_opener() -> None:
    """u2 pays 5.00 to g1 before u1 opens it (recorded, sent back), then joins and pays: the
    leader payable of both orders is u1's, none of it booked to no one."""
    campaign = make()
    log = [
        PaymentUnmatched(T, "g1", "u2", "wx-early", Money(500), "wechat"),
        RefundDue(
            T,
            "g1",
            "u2",
            "unmatched:wx-early",
            "wx-early",
            Money(500),
            RefundReason.UNMATCHED_PAYMENT,
        ),
        *paid_pair(campaign),
    ]
    leader_lines = [
        (party, amount)
        for _entry, postings in lines(log, campaign)
        for account, _side, amount, party in postings
        if account == "leader_payable"
    ]
    assert leader_lines == [("u1", "7.00"), ("u1", "7.00")]
    parties = party_balances(journal(log, campaign))
    assert parties[(Account.LEADER_PAYABLE, "u1")].amount == 1400
    assert (Account.LEADER_PAYABLE, "") not in parties


def test_cash_naming_an_order_the_log_never_joined_is_owed_back_to_its_member() -> None:
    """A log that starts with u9's 5.00 received in g9 (no join before it): cash in, owed
    back to u9 in g9, as any cash that settles no order."""
    [entry] = journal([PaymentReceived(T, "g9", "u9", "wx-9", Money(500), "wechat")], make())
    assert (entry.group, entry.member) == ("g9", "u9")
    assert [(p.account.value, p.side.value, p.amount.minor, p.party) for p in entry.postings] == [
        ("payment_clearing", "debit", 500, "u9"),
        ("refunds_payable", "credit", 500, "u9"),
    ]


def test_an_order_paid_before_the_log_joined_it_splits_what_is_captured_on_it() -> None:
    """OrderPaid opens u9's book in g9 with no cash; 5.00 then captured on its payment is cash
    in and, settling it, that order's split: fee 0.03, take 0.25, leader 0.50, merchant 4.22."""
    log: list[Event] = [
        OrderPaid(T, "g9", "u9", "wx-9", "wechat"),
        PaymentCaptured(T, "g9", "u9", "wx-9", Money(500)),
    ]
    entries = journal(log, make())
    assert [(e.id, e.group, e.member) for e in entries] == [
        ("1.1", "g9", "u9"),
        ("1.2", "g9", "u9"),
    ]
    assert entries[1].memo.startswith("split of g9/u9 on net 5.00 (payment wx-9 captured)")
    # No quote and no discount: the base is the net. No GroupOpened named a leader.
    assert lines(log, make())[1][1] == [
        ("refunds_payable", "debit", "5.00", "u9"),
        ("processor_fees", "credit", "0.03", ""),
        ("platform_revenue", "credit", "0.25", ""),
        ("leader_payable", "credit", "0.50", ""),
        ("merchant_payable", "credit", "4.22", ""),
    ]


def test_an_amount_that_is_not_money_is_refused_as_the_ledger_refuses_any_foreign_amount() -> None:
    """A hand-built receipt of the int 500 (not Money) is refused, coded, naming the event."""
    bare = PaymentReceived(T, "g9", "u9", "wx-9", 500, "wechat")  # type: ignore[arg-type]
    with pytest.raises(InvalidInput) as refused:
        journal([bare], make())
    assert repr(refused.value) == (
        "InvalidInput('currency_mismatch', 'events[0] moves 500; the ledger is in CNY', "
        "field='events[0].amount', value='500')"
    )
