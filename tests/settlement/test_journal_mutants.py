"""The journal, entry by entry, on small logs worked by hand (the logs of test_audit_mutants).

Every entry is pinned whole: its id (event index and place), group and member, memo, and each
posting's account, side, amount and party. The amounts are the audit's, worked there.
"""

from __future__ import annotations

from typing import Any

import attrs
import pytest
from test_audit_mutants import T, make, paid_pair, refund

from tuangou_core.errors import InvalidInput
from tuangou_core.group import (
    Event,
    LeaderChanged,
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
from tuangou_core.settlement import Account, journal

RULE = (
    "fee 0.6% of net, platform 5% of base less subsidy, leader 10% of base, merchant the residual"
)
Line = tuple[str, str, str, str]
Entry = tuple[str, list[Line]]


def booked(log: list[Event], points: dict[str, Any] | None = None) -> list[Entry]:
    campaign = make(points=points)
    return [
        (
            f"{e.id} {e.group}/{e.member} {e.memo}",
            [(p.account.value, p.side.value, str(p.amount), p.party) for p in e.postings],
        )
        for e in journal(log, campaign)
    ]


U1_IN: Entry = (
    "2.1 g1/u1 payment wx-u1 received",
    [("payment_clearing", "debit", "60.00", "u1"), ("refunds_payable", "credit", "60.00", "u1")],
)
U1_SPLIT: Entry = (
    f"3.1 g1/u1 split of g1/u1 on net 60.00 (payment wx-u1 settles it): {RULE}",
    [
        ("refunds_payable", "debit", "60.00", "u1"),
        ("platform_subsidy", "debit", "10.00", ""),
        ("processor_fees", "credit", "0.36", ""),
        ("platform_revenue", "credit", "3.50", ""),
        ("leader_payable", "credit", "7.00", "u1"),
        ("merchant_payable", "credit", "59.14", ""),
    ],
)
U2_IN: Entry = (
    "5.1 g1/u2 payment wx-u2 received",
    [("payment_clearing", "debit", "70.00", "u2"), ("refunds_payable", "credit", "70.00", "u2")],
)
U2_SPLIT: Entry = (
    f"6.1 g1/u2 split of g1/u2 on net 70.00 (payment wx-u2 settles it): {RULE}",
    [
        ("refunds_payable", "debit", "70.00", "u2"),
        ("processor_fees", "credit", "0.42", ""),
        ("platform_revenue", "credit", "3.50", ""),
        ("leader_payable", "credit", "7.00", "u1"),
        ("merchant_payable", "credit", "59.08", ""),
    ],
)
PAIR = [U1_IN, U1_SPLIT, U2_IN, U2_SPLIT]


def test_a_formed_pair_books_cash_in_then_each_split() -> None:
    """Each payment: cash into clearing owed back, then moved into the order's split."""
    assert booked(paid_pair(make())) == PAIR


def test_a_refund_claws_back_the_split_then_is_sent() -> None:
    """35.00 back to u2: the split's difference reversed, then the cash sent along wx-u2; a
    stray payment's refund only leaves refunds payable."""
    stray = RefundDue(T, "g9", "u9", "r9", "wx-9", Money(500), RefundReason.UNMATCHED_PAYMENT)
    assert booked([*paid_pair(make()), refund("u2", 3500), stray]) == [
        *PAIR,
        (
            f"8.1 g1/u2 claw back the split of g1/u2 on net 35.00 (refund r-u2): {RULE}",
            [
                ("refunds_payable", "credit", "35.00", "u2"),
                ("processor_fees", "debit", "0.21", ""),
                ("platform_revenue", "debit", "1.75", ""),
                ("leader_payable", "debit", "3.50", "u1"),
                ("merchant_payable", "debit", "29.54", ""),
            ],
        ),
        (
            "8.2 g1/u2 refund r-u2 sent to u2 along wechat wx-u2 (after_sales)",
            [
                ("refunds_payable", "debit", "35.00", "u2"),
                ("payment_clearing", "credit", "35.00", "u2"),
            ],
        ),
        (
            "9.1 g9/u9 refund r9 sent to u9 along wechat wx-9 (unmatched_payment)",
            [
                ("refunds_payable", "debit", "5.00", "u9"),
                ("payment_clearing", "credit", "5.00", "u9"),
            ],
        ),
    ]


def test_an_unmatched_refund_on_the_orders_own_payment_leaves_its_split() -> None:
    """A refund marked unmatched_payment is never taken from the order's split."""
    back = RefundDue(T, "g1", "u2", "r", "wx-u2", Money(500), RefundReason.UNMATCHED_PAYMENT)
    assert booked([*paid_pair(make()), back])[-1][0] == (
        "8.1 g1/u2 refund r sent to u2 along wechat wx-u2 (unmatched_payment)"
    )


def test_a_refund_along_another_payment_leaves_the_split() -> None:
    """A duplicate payment's refund comes out of refunds payable, not the order's split."""
    dup = PaymentReceived(T, "g1", "u2", "wx-dup", Money(7000), "wechat")
    back = RefundDue(T, "g1", "u2", "r", "wx-dup", Money(7000), RefundReason.DUPLICATE_PAYMENT)
    assert [e[0] for e in booked([*paid_pair(make()), dup, back])[4:]] == [
        "8.1 g1/u2 payment wx-dup received",
        "9.1 g1/u2 refund r sent to u2 along wechat wx-dup (duplicate_payment)",
    ]


def test_a_refund_of_nothing_books_nothing() -> None:
    """A 0.00 refund is no entry."""
    assert booked([*paid_pair(make()), refund("u2", 0)]) == PAIR


def test_a_refund_before_any_payment_settles_the_order_is_no_claw_back() -> None:
    """A refund on an order no payment settled yet only leaves refunds payable."""
    log = [*paid_pair(make())[:6], refund("u2", 7000)]
    assert booked(log)[-1] == (
        "6.1 g1/u2 refund r-u2 sent to u2 along wechat wx-u2 (after_sales)",
        [
            ("refunds_payable", "debit", "70.00", "u2"),
            ("payment_clearing", "credit", "70.00", "u2"),
        ],
    )


def test_points_stand_when_formed_and_follow_the_net() -> None:
    """Platform-funded points: 60 and 70 at formation, then 69 after 0.50 back to u2."""
    points = {"earn_per_unit": 1, "value": "0.01", "funded_by": "platform"}
    assert booked([*paid_pair(make()), refund("u2", 50)], points)[4:] == [
        (
            "7.1 g1/u1 points of g1/u1: 60 standing (floor(net / unit) × 1) at 0.01 each, "
            "funded by platform",
            [
                ("platform_revenue", "debit", "0.60", ""),
                ("points_liability", "credit", "0.60", "u1"),
            ],
        ),
        (
            "7.2 g1/u2 points of g1/u2: 70 standing (floor(net / unit) × 1) at 0.01 each, "
            "funded by platform",
            [
                ("platform_revenue", "debit", "0.70", ""),
                ("points_liability", "credit", "0.70", "u2"),
            ],
        ),
        (
            f"8.1 g1/u2 claw back the split of g1/u2 on net 69.50 (refund r-u2): {RULE}",
            [
                ("refunds_payable", "credit", "0.50", "u2"),
                ("platform_revenue", "debit", "0.02", ""),
                ("leader_payable", "debit", "0.05", "u1"),
                ("merchant_payable", "debit", "0.43", ""),
            ],
        ),
        (
            "8.2 g1/u2 points of g1/u2: 69 standing (floor(net / unit) × 1) at 0.01 each, "
            "funded by platform",
            [
                ("platform_revenue", "credit", "0.01", ""),
                ("points_liability", "debit", "0.01", "u2"),
            ],
        ),
        (
            "8.3 g1/u2 refund r-u2 sent to u2 along wechat wx-u2 (after_sales)",
            [
                ("refunds_payable", "debit", "0.50", "u2"),
                ("payment_clearing", "credit", "0.50", "u2"),
            ],
        ),
    ]


def test_merchant_funded_points_come_off_the_merchant() -> None:
    """Merchant-funded points debit merchant_payable; a whole refund takes them all back."""
    points = {"earn_per_unit": 2, "value": "0.01", "funded_by": "merchant"}
    entries = booked([*paid_pair(make()), refund("u2", 7000)], points)
    assert entries[5][1] == [
        ("merchant_payable", "debit", "1.40", ""),
        ("points_liability", "credit", "1.40", "u2"),
    ]
    assert entries[7] == (
        "8.2 g1/u2 points of g1/u2: 0 standing (floor(net / unit) × 2) at 0.01 each, "
        "funded by merchant",
        [("merchant_payable", "credit", "1.40", ""), ("points_liability", "debit", "1.40", "u2")],
    )


def test_a_lottery_books_points_only_for_the_drawn_winner() -> None:
    """Formed but undrawn, no points; the draw gives u2 its 70."""
    campaign = make(rule="lottery", points={"earn_per_unit": 1, "value": "0.01"})
    log = [*paid_pair(campaign), WinnersDrawn(T, "g1", "seed", ("u2",), ("u1",))]
    entries = journal(log, campaign)
    assert [e.id for e in entries] == ["2.1", "3.1", "5.1", "6.1", "8.1"]
    assert entries[-1].memo.startswith("points of g1/u2: 70 standing")


def test_leadership_passing_moves_the_leaders_payable() -> None:
    """u1 to u2: the 14.00 leader share booked for u1 moves to u2, anchored on u2's order."""
    log = [*paid_pair(make()), LeaderChanged(T, "g1", "u1", "u2")]
    assert booked(log)[-1] == (
        "8.1 g1/u2 leadership of g1 passes from u1 to u2",
        [("leader_payable", "debit", "14.00", "u1"), ("leader_payable", "credit", "14.00", "u2")],
    )
    later = [*log, refund("u1", 6000)]
    assert booked(later)[-2][1][4] == ("leader_payable", "debit", "7.00", "u2")


def test_leadership_passing_before_any_split_moves_nothing() -> None:
    """Nothing booked for the leader yet: no entry; later splits credit the new leader."""
    log = paid_pair(make())
    moved = [*log[:2], LeaderChanged(T, "g1", "u1", "u9"), *log[2:]]
    entries = booked(moved)
    assert [e[0][:4] for e in entries] == ["3.1 ", "4.1 ", "6.1 ", "7.1 "]
    assert entries[1][1][4] == ("leader_payable", "credit", "7.00", "u9")
    # u2 joins after the change: its order is u9's to lead from the start.
    assert entries[3][1][3] == ("leader_payable", "credit", "7.00", "u9")


def test_a_named_leader_keeps_the_share_when_leadership_passes() -> None:
    """fees.leader names u7: every leader share is u7's and passing leadership moves none."""
    campaign = make()
    named = type(campaign.fees).build(
        {"payment_rate": "0.006", "platform_rate": "0.05", "leader_rate": "0.10", "leader": "u7"}
    )
    campaign = attrs.evolve(campaign, fees=named)
    log = [*paid_pair(campaign), LeaderChanged(T, "g1", "u1", "u2")]
    entries = journal(log, campaign)
    assert len(entries) == 4
    assert {
        p.party for e in entries for p in e.postings if p.account is Account.LEADER_PAYABLE
    } == {"u7"}


def test_a_capture_on_the_settling_payment_resplits_the_order() -> None:
    """capture_at_close: a capture before the order settles is cash in only; after OrderPaid
    names its payment, each 35.00 captured grows the split (35.00, then 70.00)."""
    log = [
        e for e in paid_pair(make()) if not (isinstance(e, PaymentReceived) and e.member == "u2")
    ]
    half = PaymentCaptured(T, "g1", "u2", "wx-u2", Money(3500))
    grows = [
        ("refunds_payable", "debit", "35.00", "u2"),
        ("processor_fees", "credit", "0.21", ""),
        ("platform_revenue", "credit", "1.75", ""),
        ("leader_payable", "credit", "3.50", "u1"),
        ("merchant_payable", "credit", "29.54", ""),
    ]
    cash_in = [
        ("payment_clearing", "debit", "35.00", "u2"),
        ("refunds_payable", "credit", "35.00", "u2"),
    ]
    assert booked([*log[:4], half, *log[4:], half, half])[2:] == [
        ("4.1 g1/u2 payment wx-u2 captured", cash_in),
        ("8.1 g1/u2 payment wx-u2 captured", cash_in),
        (f"8.2 g1/u2 split of g1/u2 on net 35.00 (payment wx-u2 captured): {RULE}", grows),
        ("9.1 g1/u2 payment wx-u2 captured", cash_in),
        (f"9.2 g1/u2 split of g1/u2 on net 70.00 (payment wx-u2 captured): {RULE}", grows),
    ]


def test_a_capture_on_another_payment_is_only_cash_in() -> None:
    """A capture naming a payment that settled nothing is cash owed back; 0.00 books nothing."""
    other = PaymentCaptured(T, "g1", "u2", "wx-other", Money(100))
    nothing = PaymentCaptured(T, "g1", "u2", "wx-u2", Money(0))
    assert booked([*paid_pair(make()), other, nothing]) == [
        *PAIR,
        (
            "8.1 g1/u2 payment wx-other captured",
            [
                ("payment_clearing", "debit", "1.00", "u2"),
                ("refunds_payable", "credit", "1.00", "u2"),
            ],
        ),
    ]


def test_unmatched_cash_is_owed_back_and_an_authorisation_books_nothing() -> None:
    """5.00 naming no order is owed back; an unmatched authorisation or 0.00 is no entry."""
    cash = PaymentUnmatched(T, "g9", "u9", "wx-9", Money(500), "wechat")
    held = PaymentUnmatched(T, "g9", "u8", "wx-8", Money(500), "wechat", authorised=True)
    empty = PaymentUnmatched(T, "g9", "u7", "wx-7", Money(0), "wechat")
    assert booked([cash, held, empty]) == [
        (
            "0.1 g9/u9 payment wx-9 received, naming no order: owed back",
            [
                ("payment_clearing", "debit", "5.00", "u9"),
                ("refunds_payable", "credit", "5.00", "u9"),
            ],
        )
    ]


def test_a_reprice_posts_the_difference_in_the_split() -> None:
    """u1 repriced to 70.00 without its coupon: its 10.00 subsidy goes, the take stays."""
    plain = quote_member(make(), unit_price=Money(7000), role="opener")
    entries = booked([*paid_pair(make()), OrderRepriced(T, "g1", "u1", plain)])
    # new split of 60.00 on due 70.00: 0.36, 3.00, 0, 6.00, 50.64 against 0.36, 3.50, 10.00,
    # 7.00, 59.14: the take less subsidy moves from -6.50 to 3.00, the rest shrinks.
    assert entries[-1] == (
        f"8.1 g1/u1 split of g1/u1 on net 60.00 (repriced): {RULE}",
        [
            ("platform_subsidy", "credit", "10.00", ""),
            ("platform_revenue", "debit", "0.50", ""),
            ("leader_payable", "debit", "1.00", "u1"),
            ("merchant_payable", "debit", "8.50", ""),
        ],
    )


def test_an_unknown_event_and_a_foreign_amount_are_refused() -> None:
    """A string in the log is unknown_event; a USD receipt is currency_mismatch."""
    with pytest.raises(InvalidInput) as unknown:
        journal([*paid_pair(make()), "x"], make())  # type: ignore[list-item]
    assert repr(unknown.value) == (
        "InvalidInput('unknown_event', 'events[8] is a str, not an event the ledger knows', "
        "field='events[8]', value='str')"
    )
    usd = PaymentReceived(T, "g1", "u2", "x", Money(5, "USD"), "wechat")
    with pytest.raises(InvalidInput) as foreign:
        journal([*paid_pair(make()), usd], make())
    assert repr(foreign.value) == (
        "InvalidInput('currency_mismatch', \"events[8] moves Money('0.05', 'USD'); the ledger is "
        "in CNY\", field='events[8].amount', value=\"Money('0.05', 'USD')\")"
    )
