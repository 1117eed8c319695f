"""The double-entry ledger: every entry balances, each account on its normal side, and the books
hold exactly the net cash: the split of each settled order, and the money owed back."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tuangou_core.campaign import Campaign
from tuangou_core.errors import InvalidInput, TuangouError
from tuangou_core.group import (
    AuthorisationReleased,
    Cancel,
    Command,
    Event,
    GroupFailed,
    GroupFormed,
    GroupOpened,
    Join,
    LeaderChanged,
    MemberJoined,
    Open,
    OrderCancelled,
    OrderPaid,
    OrderRepriced,
    Pay,
    PaymentAuthorised,
    PaymentCaptured,
    PaymentReceived,
    PaymentUnmatched,
    RefundDue,
    RequestRefund,
    Tick,
    decide,
    evolve,
    initial_state,
)
from tuangou_core.money import Money
from tuangou_core.pricing import quote_member
from tuangou_core.refunds import RefundReason
from tuangou_core.settlement import (
    Account,
    JournalEntry,
    Posting,
    Side,
    _journal,
    audit,
    balances,
    holdings,
    journal,
    journal_trial_balance,
    party_balances,
    reconcile,
    split_order,
    trial_balance,
)
from tuangou_core.settlement._balances import TrialTally

TZ = timezone(timedelta(hours=8))
T0 = datetime(2026, 3, 1, 10, tzinfo=TZ)
COUPONS = [
    {"id": "p10", "kind": "amount_off", "amount": "10.00", "funded_by": "platform"},
    {"id": "m5", "kind": "amount_off", "amount": "5.00", "funded_by": "merchant"},
    {"id": "p9z", "kind": "percent_off", "percent": "10", "funded_by": "platform"},
]


def make_campaign(
    fees: dict[str, str] | None = None, *, rule: str = "fixed", leader: str = "opener"
) -> Campaign:
    data: dict[str, Any] = {"id": "milk-tea-5", "list_price": "100.00", "rule": rule}
    if rule == "tiered":
        data["tiers"] = [{"size": 2, "price": "90.00"}, {"size": 3, "price": "80.00"}]
    else:
        data.update(size=5, price="70.00")
    schedule = {"payment_rate": "0.006", "platform_rate": "0.05", "leader_rate": "0.03"}
    return Campaign.build(
        data, fees={**schedule, **(fees or {}), "leader": leader}, coupons=COUPONS
    )


CAMPAIGN = make_campaign()
POINTS_CAMPAIGN = Campaign.build(
    {"id": "pts", "list_price": "100.00", "rule": "fixed", "size": 5, "price": "70.00"},
    fees={"payment_rate": "0.006", "platform_rate": "0.05", "leader_rate": "0.03"},
    coupons=COUPONS,
    points={"earn_per_unit": 1, "value": "0.01", "funded_by": "merchant"},
)


# -- synthetic lifecycles, built from the event classes directly ------------------------------


@st.composite
def order_lifecycles(
    draw: st.DrawFn, campaign: Campaign, group: str, member: str, role: str
) -> list[Event]:
    """The events of one member's order: join, payments, reprice and refunds, all valid.

    A stray payment (the wrong amount, a duplicate) goes back along its own payment id; the
    order's own refunds along the payment that settled it.
    """
    coupons = draw(st.sampled_from([(), ("p10",), ("m5",), ("p10", "m5"), ("p9z",)]))
    unit = campaign.rule.price
    quote = quote_member(campaign, unit_price=unit, qty=1, coupon_ids=coupons, role=role)
    at = T0
    events: list[Event] = [MemberJoined(at, group, member, 1, role, quote, at)]
    due = quote.total
    net = 0
    refunds = 0

    def refund(amount: int, reason: RefundReason, payment: str) -> None:
        nonlocal refunds
        refunds += 1
        refund_id = f"{group}:{member}:r{refunds}"
        events.append(RefundDue(at, group, member, refund_id, payment, Money(amount), reason))

    if draw(st.booleans()):  # a payment of the wrong amount, returned at once
        wrong = draw(st.integers(1, due.minor * 2).filter(lambda v: v != due.minor))
        events.append(PaymentReceived(at, group, member, f"{member}-w", Money(wrong), "wechat"))
        refund(wrong, RefundReason.AMOUNT_MISMATCH, f"{member}-w")
    if draw(st.integers(0, 4)) == 0:
        return events  # never paid
    settling = f"{member}-p"
    events.append(PaymentReceived(at, group, member, settling, due, "wechat"))
    events.append(OrderPaid(at, group, member, settling))
    net += due.minor
    if draw(st.booleans()):  # a duplicate payment, returned at once
        events.append(PaymentReceived(at, group, member, f"{member}-d", due, "wechat"))
        refund(due.minor, RefundReason.DUPLICATE_PAYMENT, f"{member}-d")
    if draw(st.booleans()):  # repriced at a cheaper unit price, the difference refunded
        cheaper = Money(draw(st.integers(100, unit.minor - 1)))
        new = quote_member(campaign, unit_price=cheaper, qty=1, coupon_ids=coupons, role=role)
        if new.total < due:
            events.append(OrderRepriced(at, group, member, new))
            refund(due.minor - new.total.minor, RefundReason.TIER_DIFFERENCE, settling)
            net = new.total.minor
    for _ in range(draw(st.integers(0, 3))):  # after-sales refunds
        if net:
            back = draw(st.integers(1, net))
            refund(back, RefundReason.AFTER_SALES, settling)
            net -= back
    if net and draw(st.booleans()):
        refund(net, RefundReason.GROUP_FAILED, settling)
    return events


@st.composite
def event_logs(draw: st.DrawFn, campaign: Campaign = CAMPAIGN) -> list[Event]:
    """A campaign's log: a few groups, several orders each, their events interleaved; a group
    may form (its paid orders then stand at points, where the campaign earns them)."""
    queues: list[list[Event]] = []
    forming: list[Event] = []
    for g in range(draw(st.integers(1, 3))):
        group = f"g{g}"
        members = [f"u{g}-{i}" for i in range(draw(st.integers(1, 5)))]
        queues.append([GroupOpened(T0, group, members[0], T0 + timedelta(hours=24))])
        for i, member in enumerate(members):
            role = "opener" if i == 0 else "joiner"
            queues.append(draw(order_lifecycles(campaign, group, member, role)))
        if draw(st.booleans()):
            forming.append(GroupFormed(T0, group, len(members), 0, campaign.rule.price))
    # Each group's opening first, then the orders' events interleaved in a drawn order.
    log: list[Event] = [q.pop(0) for q in queues if isinstance(q[0], GroupOpened)]
    live = [q for q in queues if q] + [[f] for f in forming]
    while live:
        queue = live[draw(st.integers(0, len(live) - 1))]
        log.append(queue.pop(0))
        live = [q for q in live if q]
    return log


def customers_net(events: list[Event]) -> int:
    """Cash paid minus cash refunded, read straight off the events."""
    total = 0
    for event in events:
        if isinstance(event, PaymentReceived | PaymentCaptured) or (
            isinstance(event, PaymentUnmatched) and not event.authorised
        ):
            total += event.amount.minor
        elif isinstance(event, RefundDue):
            total -= event.amount.minor
    return total


def owed_back(events: list[Event]) -> int:
    """Cash received that settled no order, less its refunds: what refunds payable holds."""
    settling = {e.payment_id for e in events if isinstance(e, OrderPaid)}
    total = 0
    for event in events:
        if isinstance(event, PaymentReceived) and event.payment_id not in settling:
            total += event.amount.minor
        elif isinstance(event, RefundDue) and event.payment_id not in settling:
            total -= event.amount.minor
    return total


# -- laws -------------------------------------------------------------------------------------


@given(event_logs())
def test_every_entry_balances_in_positive_amounts(log: list[Event]) -> None:
    """Each entry's debits equal its credits; every posting is a positive amount."""
    for entry in journal(log, CAMPAIGN):
        debits = sum(p.amount.minor for p in entry.postings if p.side is Side.DEBIT)
        credits = sum(p.amount.minor for p in entry.postings if p.side is Side.CREDIT)
        assert debits == credits > 0
        assert all(p.amount.minor > 0 for p in entry.postings)


@given(event_logs())
def test_every_prefix_balances_and_is_a_prefix_of_the_journal(log: list[Event]) -> None:
    """The journal of any prefix balances, starts the full one, and its cash is held."""
    full = journal(log, CAMPAIGN)
    for cut in range(len(log) + 1):
        part = journal(log[:cut], CAMPAIGN)
        assert part == full[: len(part)]
        assert trial_balance(part).balanced
        cash, held = holdings(balances(part))
        assert cash == held == customers_net(log[:cut])


@given(event_logs())
def test_refunds_payable_holds_exactly_the_money_that_settles_no_order(log: list[Event]) -> None:
    """On every prefix, refunds payable is the stray cash not yet sent back."""
    for cut in range(len(log) + 1):
        sums = balances(journal(log[:cut], CAMPAIGN))
        assert sums[Account.REFUNDS_PAYABLE].amount == owed_back(log[:cut])


@given(event_logs())
def test_journal_agrees_with_the_independent_audit(log: list[Event]) -> None:
    """The journal's balances equal the auditor's, on every prefix."""
    for cut in range(len(log) + 1):
        prefix = log[:cut]
        assert reconcile(balances(journal(prefix, CAMPAIGN)), audit(prefix, CAMPAIGN)) == ()


@given(event_logs(POINTS_CAMPAIGN))
def test_points_and_the_split_agree_with_the_audit(log: list[Event]) -> None:
    """With [points], the points liability and its funding agree with the audit too."""
    for cut in range(0, len(log) + 1, 2):
        prefix = log[:cut]
        sums = balances(journal(prefix, POINTS_CAMPAIGN))
        assert reconcile(sums, audit(prefix, POINTS_CAMPAIGN)) == ()
        assert trial_balance(journal(prefix, POINTS_CAMPAIGN)).balanced


@given(event_logs())
def test_ledger_holds_the_sum_of_the_per_order_splits(log: list[Event]) -> None:
    """Each split account equals the sum over settled orders of the contract's split."""
    settling = {e.payment_id: (e.group, e.member) for e in log if isinstance(e, OrderPaid)}
    cash: dict[tuple[str, str], int] = {}
    quotes: dict[tuple[str, str], Any] = {}
    for event in log:
        key = (getattr(event, "group", ""), getattr(event, "member", ""))
        if isinstance(event, MemberJoined | OrderRepriced):
            quotes[key] = event.quote
        elif isinstance(event, PaymentReceived) and event.payment_id in settling:
            cash[key] = cash.get(key, 0) + event.amount.minor
        elif isinstance(event, RefundDue) and event.payment_id in settling:
            cash[key] -= event.amount.minor
    splits = [
        split_order(Money(net), quotes[key].total, quotes[key].funded_by("platform"), CAMPAIGN.fees)
        for key, net in cash.items()
    ]
    sums = balances(journal(log, CAMPAIGN))
    assert sums[Account.PROCESSOR_FEES].amount == sum(s.payment_fee.minor for s in splits)
    assert sums[Account.LEADER_PAYABLE].amount == sum(s.leader.minor for s in splits)
    assert sums[Account.MERCHANT_PAYABLE].amount == sum(s.merchant.minor for s in splits)
    assert sums[Account.PLATFORM_SUBSIDY].amount == sum(s.subsidy.minor for s in splits)
    platform = sums[Account.PLATFORM_REVENUE].amount - sums[Account.PLATFORM_SUBSIDY].amount
    assert platform == sum(s.platform.minor for s in splits)


# -- examples ---------------------------------------------------------------------------------


def five_paid(campaign: Campaign = CAMPAIGN) -> list[Event]:
    events: list[Event] = [GroupOpened(T0, "g1", "u1", T0 + timedelta(hours=24))]
    for i in range(1, 6):
        role = "opener" if i == 1 else "joiner"
        quote = quote_member(campaign, unit_price=campaign.rule.price, role=role)
        member = f"u{i}"
        events += [
            MemberJoined(T0, "g1", member, 1, role, quote, T0),
            PaymentReceived(T0, "g1", member, f"wx{i}", quote.total, "wechat"),
            OrderPaid(T0, "g1", member, f"wx{i}"),
        ]
    events.append(GroupFormed(T0, "g1", 5, 0, campaign.rule.price))
    return events


def amounts(entries: tuple[JournalEntry, ...]) -> dict[Account, str]:
    """Each account's balance for people, with its side."""
    return {a: b.text() for a, b in balances(entries).items() if b.debits or b.credits}


def test_five_members_at_seventy_book_the_contract_split() -> None:
    """5 × 70.00: clearing holds 350.00 (Dr); processor 2.10, platform 17.50, leader 10.50 (to
    u1) and merchant 319.90 are credits; refunds payable took and gave 350.00."""
    entries = journal(five_paid(), CAMPAIGN)
    assert amounts(entries) == {
        Account.PAYMENT_CLEARING: "350.00 Dr",
        Account.REFUNDS_PAYABLE: "0.00 Cr",
        Account.PROCESSOR_FEES: "2.10 Cr",
        Account.PLATFORM_REVENUE: "17.50 Cr",
        Account.LEADER_PAYABLE: "10.50 Cr",
        Account.MERCHANT_PAYABLE: "319.90 Cr",
    }
    assert party_balances(entries)[(Account.LEADER_PAYABLE, "u1")].amount == 1050
    assert len(entries) == 10
    tb = trial_balance(entries)
    assert (tb.debits, tb.credits, tb.balanced) == (35000, 35000, True)


def test_every_account_sits_on_its_normal_side() -> None:
    """Assets and expenses are debit-normal, liabilities and revenue credit-normal."""
    normal = {a.value: (a.type.value, a.normal.value) for a in Account}
    assert normal == {
        "payment_clearing": ("asset", "debit"),
        "platform_subsidy": ("expense", "debit"),
        "merchant_payable": ("liability", "credit"),
        "leader_payable": ("liability", "credit"),
        "processor_fees": ("liability", "credit"),
        "refunds_payable": ("liability", "credit"),
        "points_liability": ("liability", "credit"),
        "platform_revenue": ("revenue", "credit"),
    }


def test_named_leader_earns_the_commission() -> None:
    """With fees.leader a host id, leader payable is booked to that host, not the opener."""
    campaign = make_campaign(leader="host-7")
    parties = party_balances(journal(five_paid(campaign), campaign))
    assert parties[(Account.LEADER_PAYABLE, "host-7")].amount == 1050
    assert (Account.LEADER_PAYABLE, "u1") not in parties


def test_events_that_move_no_money_book_nothing() -> None:
    """Openings, joins, authorisations, cancellations and failures produce no entries."""
    quote = quote_member(CAMPAIGN, unit_price=CAMPAIGN.rule.price)
    events: list[Event] = [
        GroupOpened(T0, "g1", "u1", T0),
        MemberJoined(T0, "g1", "u1", 1, "opener", quote, T0),
        PaymentAuthorised(T0, "g1", "u1", "wx1", quote.total, "wechat"),
        OrderPaid(T0, "g1", "u1", "wx1"),
        AuthorisationReleased(T0, "g1", "u1", "wx1", quote.total, RefundReason.GROUP_FAILED),
        OrderCancelled(T0, "g1", "u2", "hold_expired"),
        GroupFailed(T0, "g1", 1, T0),
    ]
    assert journal(events, CAMPAIGN) == ()
    assert all(v == 0 for v in audit(events, CAMPAIGN).values())


def test_capture_is_cash_in_and_settles_the_authorised_order() -> None:
    """A captured authorisation books cash in and, on the settling payment, the split."""
    quote = quote_member(CAMPAIGN, unit_price=CAMPAIGN.rule.price)
    events: list[Event] = [
        GroupOpened(T0, "g1", "u1", T0),
        MemberJoined(T0, "g1", "u1", 1, "opener", quote, T0),
        PaymentAuthorised(T0, "g1", "u1", "wx1", quote.total, "wechat"),
        OrderPaid(T0, "g1", "u1", "wx1"),
        PaymentCaptured(T0, "g1", "u1", "wx1", quote.total),
    ]
    sums = balances(journal(events, CAMPAIGN))
    assert sums[Account.PAYMENT_CLEARING].amount == quote.total.minor
    assert sums[Account.MERCHANT_PAYABLE].text() == "63.98 Cr"


def test_a_refund_claws_the_split_back_then_is_sent_along_its_path() -> None:
    """A refund's claw-back entry comes first, then the refund is paid out of clearing; the
    clearing account never goes below zero."""
    events = five_paid()
    events.append(
        RefundDue(T0, "g1", "u2", "g1:u2:r1", "wx2", Money.parse("70.00"), RefundReason.AFTER_SALES)
    )
    entries = journal(events, CAMPAIGN)
    clawback, refund = entries[-2:]
    assert clawback.memo.startswith("claw back the split of g1/u2")
    assert refund.memo.startswith("refund g1:u2:r1 sent to u2 along wechat wx2")
    running = 0
    for entry in entries:
        for p in entry.postings:
            if p.account is Account.PAYMENT_CLEARING:
                running += p.debit - p.credit
        assert running >= 0
    assert "payment_clearing" in refund.explain()


def test_platform_coupon_books_a_subsidy_as_an_expense() -> None:
    """A platform coupon books the subsidy as the platform's expense (a debit)."""
    quote = quote_member(CAMPAIGN, unit_price=CAMPAIGN.rule.price, coupon_ids=("p10",))
    events: list[Event] = [
        GroupOpened(T0, "g1", "u1", T0),
        MemberJoined(T0, "g1", "u1", 1, "opener", quote, T0),
        PaymentReceived(T0, "g1", "u1", "wx1", quote.total, "wechat"),
        OrderPaid(T0, "g1", "u1", "wx1"),
    ]
    assert amounts(journal(events, CAMPAIGN)) == {
        Account.PAYMENT_CLEARING: "60.00 Dr",
        Account.PLATFORM_SUBSIDY: "10.00 Dr",
        Account.REFUNDS_PAYABLE: "0.00 Cr",
        Account.PROCESSOR_FEES: "0.36 Cr",
        Account.PLATFORM_REVENUE: "3.50 Cr",
        Account.LEADER_PAYABLE: "2.10 Cr",
        Account.MERCHANT_PAYABLE: "64.04 Cr",
    }


def test_leadership_passing_moves_the_leader_payable() -> None:
    """When leadership passes, the leader share booked on the group's orders moves too."""
    events = five_paid()[:-1]  # not formed yet
    events.append(LeaderChanged(T0, "g1", "u1", "u2"))
    parties = party_balances(journal(events, CAMPAIGN))
    assert parties[(Account.LEADER_PAYABLE, "u1")].amount == 0
    assert parties[(Account.LEADER_PAYABLE, "u2")].amount == 1050


def test_unmatched_money_sits_in_refunds_payable_until_it_is_sent_back() -> None:
    """A payment naming no order is owed back until its refund; then clearing is zero."""
    pay = PaymentUnmatched(T0, "ghost", "u9", "x1", Money.parse("70.00"), "wechat")
    back = RefundDue(
        T0, "ghost", "u9", "unmatched:x1", "x1", pay.amount, RefundReason.UNMATCHED_PAYMENT
    )
    halfway = balances(journal([pay], CAMPAIGN))
    assert halfway[Account.REFUNDS_PAYABLE].text() == "70.00 Cr"
    after = balances(journal([pay, back], CAMPAIGN))
    assert after[Account.PAYMENT_CLEARING].amount == after[Account.REFUNDS_PAYABLE].amount == 0


def test_unknown_event_is_refused() -> None:
    """An object that is not a ledger event raises unknown_event in journal and audit."""
    log: list[Any] = [Tick(T0)]
    with pytest.raises(InvalidInput) as by_journal:
        journal(log, CAMPAIGN)
    assert by_journal.value.code == "unknown_event"
    with pytest.raises(InvalidInput) as by_audit:
        audit(log, CAMPAIGN)
    assert by_audit.value.code == "unknown_event"


def test_an_unbalanced_entry_cannot_be_built() -> None:
    """A JournalEntry whose debits and credits differ is refused."""
    with pytest.raises(InvalidInput) as error:
        JournalEntry(
            "0.1",
            0,
            T0,
            "bad",
            (
                Posting(Account.PAYMENT_CLEARING, Side.DEBIT, Money(5)),
                Posting(Account.MERCHANT_PAYABLE, Side.CREDIT, Money(4)),
            ),
        )
    assert error.value.code == "unbalanced_entry"


def test_a_trial_balance_of_corrupted_entries_is_out_of_balance() -> None:
    """Entries corrupted after they were built (read back from a damaged store, say) are
    caught: the debit and credit columns are summed apart, and each entry is checked."""
    (entry, *_rest) = journal(five_paid(), CAMPAIGN)
    broken = object.__new__(JournalEntry)
    for field in attrs.fields(JournalEntry):
        object.__setattr__(broken, field.name, getattr(entry, field.name))
    first = entry.postings[0]
    object.__setattr__(
        broken,
        "postings",
        (attrs.evolve(first, amount=first.amount + Money(1)), *entry.postings[1:]),
    )
    tb = trial_balance([broken])
    assert not tb.balanced
    assert tb.unbalanced == (entry.id,)
    assert tb.debits - tb.credits == 1
    assert "OUT OF BALANCE by 0.01" in tb.explain()


def test_a_journal_in_two_currencies_is_refused() -> None:
    """Entries in CNY and JPY do not add: balances refuses them with currency_mismatch."""
    cny = journal(five_paid(), CAMPAIGN)
    yen = Posting(Account.PAYMENT_CLEARING, Side.DEBIT, Money(5, "JPY"))
    other = JournalEntry(
        "9.1",
        9,
        T0,
        "yen",
        (yen, attrs.evolve(yen, account=Account.MERCHANT_PAYABLE, side=Side.CREDIT)),
    )
    with pytest.raises(InvalidInput) as caught:
        balances((*cny, other))
    assert caught.value.code == "currency_mismatch"


def test_a_yen_journal_prints_whole_yen() -> None:
    """JPY has no minor digits: balances print as whole yen, never as 0.00."""
    yen = Campaign.build(
        {
            "id": "y",
            "list_price": "1000",
            "rule": "fixed",
            "size": 2,
            "price": "700",
            "currency": "JPY",
        }
    )
    sums = balances(journal(five_paid(yen), yen), "JPY")
    assert sums[Account.PAYMENT_CLEARING].text() == "3500 Dr"
    assert balances([], "JPY")[Account.MERCHANT_PAYABLE].text() == "0 Cr"


def test_reconcile_names_the_accounts_that_differ() -> None:
    """reconcile lists each disagreeing account with both balances and the gap."""
    sums = balances(journal(five_paid(), CAMPAIGN))
    audited = audit(five_paid(), CAMPAIGN)
    wrong = {**audited, Account.MERCHANT_PAYABLE: audited[Account.MERCHANT_PAYABLE] + 1}
    (difference,) = reconcile(sums, wrong)
    assert difference.account is Account.MERCHANT_PAYABLE
    assert difference.gap == -1
    assert "merchant_payable: the journal says 319.90, the audit 319.91" in str(difference)


def test_the_audit_catches_a_wrong_split_in_the_journal(monkeypatch: pytest.MonkeyPatch) -> None:
    """The journal's split broken on purpose (a cent moved from merchant to platform): the
    audit, which shares no code with it, disagrees on both accounts."""
    from tuangou_core.settlement import _journal  # noqa: PLC0415

    def wrong(*args: Any, **kwargs: Any) -> Any:
        right = split_order(*args, **kwargs)
        return attrs.evolve(
            right, platform=right.platform + Money(1), merchant=right.merchant - Money(1)
        )

    monkeypatch.setattr(_journal, "split_order", wrong)
    differences = reconcile(balances(journal(five_paid(), CAMPAIGN)), audit(five_paid(), CAMPAIGN))
    assert {d.account for d in differences} == {
        Account.PLATFORM_REVENUE,
        Account.MERCHANT_PAYABLE,
    }


def test_the_audit_is_caught_when_it_is_wrong(monkeypatch: pytest.MonkeyPatch) -> None:
    """And the reverse: the audit's own split broken on purpose disagrees with the journal."""
    from tuangou_core.settlement import _audit  # noqa: PLC0415

    right = _audit._split

    def wrong(*args: Any) -> tuple[int, ...]:
        fee, take, subsidy, leader, merchant = right(*args)
        return fee + 1, take, subsidy, leader, merchant - 1

    monkeypatch.setattr(_audit, "_split", wrong)
    differences = reconcile(balances(journal(five_paid(), CAMPAIGN)), audit(five_paid(), CAMPAIGN))
    assert {d.account for d in differences} == {
        Account.PROCESSOR_FEES,
        Account.MERCHANT_PAYABLE,
    }


def test_points_are_booked_on_forming_and_clawed_back_by_refunds() -> None:
    """[points] 1 per yuan at 0.01: forming books 70 points per order from the merchant's
    share; a 20.50 refund claws 21 back (49 left)."""
    events = five_paid(POINTS_CAMPAIGN)
    entries = journal(events, POINTS_CAMPAIGN)
    assert balances(entries)[Account.POINTS_LIABILITY].text() == "3.50 Cr"
    events.append(
        RefundDue(T0, "g1", "u2", "g1:u2:r1", "wx2", Money.parse("20.50"), RefundReason.AFTER_SALES)
    )
    entries = journal(events, POINTS_CAMPAIGN)
    parties = party_balances(entries)
    assert parties[(Account.POINTS_LIABILITY, "u2")].amount == 49
    assert balances(entries)[Account.POINTS_LIABILITY].amount == 4 * 70 + 49
    assert reconcile(balances(entries), audit(events, POINTS_CAMPAIGN)) == ()
    assert any(e.memo.startswith("points of g1/u2: 49 standing") for e in entries)


def test_trial_balance_explains_itself() -> None:
    """The trial balance prints every account with its type, the totals and the verdict."""
    text = trial_balance(journal(five_paid(), CAMPAIGN)).explain()
    assert "merchant_payable" in text
    assert "liability" in text
    assert "10 entries, balanced" in text
    assert trial_balance([]).debits == 0


# -- the real decider --------------------------------------------------------------------------


def run(campaign: Campaign, commands: list[Command]) -> list[Event]:
    """Decide and evolve *commands*, skipping refused ones, and return the event log."""
    state = initial_state(campaign)
    log: list[Event] = []
    for command in commands:
        try:
            events = decide(state, command)
        except TuangouError:
            continue
        for event in events:
            state = evolve(state, event)
        log.extend(events)
    return log


@st.composite
def command_scripts(draw: st.DrawFn, campaign: Campaign) -> list[Command]:
    """Commands for a couple of groups: opens, joins, right and wrong payments, refunds."""
    members = [f"u{i}" for i in range(4)]
    price = campaign.rule.price
    chosen: dict[tuple[str, str], tuple[str, ...]] = {}
    commands: list[Command] = []
    at = T0
    for step in range(draw(st.integers(1, 50))):
        at = at + timedelta(minutes=draw(st.sampled_from([0, 0, 0, 1])))
        group = draw(st.sampled_from(["g1", "g1", "g1", "g2"]))
        member = draw(st.sampled_from(members))
        kind = draw(st.sampled_from("oojjjppppcrrt"))
        if kind in "oj":
            coupons = draw(st.sampled_from([(), ("p10",), ("m5",)]))
            chosen[(group, member)] = coupons
            maker = Open if kind == "o" else Join
            commands.append(maker(at, group, member, coupons=coupons))
        elif kind == "p":
            coupons = chosen.get((group, member), ())
            amount = price - Money.parse({(): "0", ("p10",): "10", ("m5",): "5"}[coupons])
            if draw(st.integers(0, 5)) == 0:
                amount = amount + Money(draw(st.integers(1, 500)))
            pay_id = draw(st.sampled_from([f"pay-{step}", f"pay-{group}-{member}"]))
            commands.append(Pay(at, group, member, pay_id, amount))
        elif kind == "c":
            commands.append(Cancel(at, group, member))
        elif kind == "r":
            cents = draw(st.integers(1, 7000))
            commands.append(RequestRefund(at, group, member, Money(cents)))
        else:
            at = at + timedelta(hours=draw(st.sampled_from([0, 0, 1, 30])))
            commands.append(Tick(at))
    return commands


@pytest.mark.parametrize("rule", ["fixed", "tiered"])
@given(data=st.data())
def test_decider_logs_journal_and_audit_agree(rule: str, data: st.DataObject) -> None:
    """Real decider logs balance on every prefix, agree with the audit and conserve cash."""
    campaign = make_campaign(rule=rule)
    log = run(campaign, data.draw(command_scripts(campaign)))
    full = journal(log, campaign)
    for cut in range(len(log) + 1):
        prefix = log[:cut]
        entries = journal(prefix, campaign)
        assert entries == full[: len(entries)]
        sums = balances(entries)
        assert trial_balance(entries).balanced
        assert reconcile(sums, audit(prefix, campaign)) == ()
        cash, held = holdings(sums)
        assert cash == held == customers_net(prefix)


def test_decider_group_of_five_with_a_platform_coupon_and_refunds() -> None:
    """A formed group with a duplicate payment and an after-sales refund reconciles."""
    commands: list[Command] = [
        Open(T0, "g1", "u1"),
        Pay(T0, "g1", "u1", "wx1", Money.parse("70.00")),
    ]
    commands += [Join(T0, "g1", f"u{i}", coupons=("p10",) if i == 2 else ()) for i in range(2, 6)]
    for i in range(2, 6):
        commands.append(
            Pay(T0, "g1", f"u{i}", f"wx{i}", Money.parse("60.00" if i == 2 else "70.00"))
        )
    commands.append(Pay(T0, "g1", "u3", "wx-dup", Money.parse("70.00")))
    commands.append(RequestRefund(T0, "g1", "u2", Money.parse("20.00")))
    log = run(CAMPAIGN, commands)
    entries = journal(log, CAMPAIGN)
    sums = balances(entries)
    assert reconcile(sums, audit(log, CAMPAIGN)) == ()
    assert sums[Account.PAYMENT_CLEARING].text() == "320.00 Dr"
    # u2 keeps 40.00 of 60.00 due: subsidy round(10.00 × 2/3) = 6.67.
    assert sums[Account.PLATFORM_SUBSIDY].text() == "6.67 Dr"


def test_decider_tiered_group_reprices_and_refunds_the_difference() -> None:
    """A tiered group closing at 80.00 refunds 10.00 each; journal and audit agree on it."""
    campaign = make_campaign(rule="tiered")
    commands: list[Command] = [
        Open(T0, "g1", "u1"),
        Pay(T0, "g1", "u1", "p1", Money.parse("90.00")),
    ]
    commands += [Join(T0, "g1", "u2"), Join(T0, "g1", "u3")]
    commands += [Pay(T0, "g1", f"u{i}", f"p{i}", Money.parse("90.00")) for i in (2, 3)]
    commands.append(RequestRefund(T0 + timedelta(minutes=1), "g1", "u3", Money.parse("80.00")))
    log = run(campaign, commands)
    assert sum(isinstance(e, OrderRepriced) for e in log) == 3
    entries = journal(log, campaign)
    sums = balances(entries)
    assert reconcile(sums, audit(log, campaign)) == ()
    assert sums[Account.PAYMENT_CLEARING].text() == "160.00 Dr"
    one = split_order(Money.parse("80.00"), Money.parse("80.00"), Money(0), campaign.fees)
    assert sums[Account.MERCHANT_PAYABLE].amount == one.merchant.minor * 2


@given(event_logs())
def test_the_tallied_trial_balance_is_the_trial_balance_of_the_journal(log: list[Event]) -> None:
    """Tallied as made, the books come to exactly the trial balance of the kept entries."""
    assert journal_trial_balance(log, CAMPAIGN) == trial_balance(journal(log, CAMPAIGN), "CNY")


@given(event_logs(POINTS_CAMPAIGN))
def test_the_tallied_trial_balance_counts_points_too(log: list[Event]) -> None:
    """The points entries are tallied like the rest."""
    tallied = journal_trial_balance(log, POINTS_CAMPAIGN)
    assert tallied == trial_balance(journal(log, POINTS_CAMPAIGN), "CNY")


def test_the_tallied_trial_balance_refuses_what_the_journal_refuses() -> None:
    """An object that is not an event is refused by the tally as by the journal."""
    with pytest.raises(InvalidInput) as error:
        journal_trial_balance([*five_paid(), "junk"], CAMPAIGN)  # type: ignore[list-item]
    assert error.value.code == "unknown_event"


def test_an_unsound_entry_fails_the_tally_as_it_fails_the_journal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A split posted off by a fen makes an unbalanced entry: the tally counts nothing of it
    and the entry itself is refused, as when the journal keeps its entries."""
    real = _journal._Journal.add

    def off_by_one(self: Any, at: Any, memo: str, lines: list[Any], book: Any) -> None:
        lines = [
            (account, side, minor + (account is Account.MERCHANT_PAYABLE), party)
            for account, side, minor, party in lines
        ]
        real(self, at, memo, lines, book)

    monkeypatch.setattr(_journal._Journal, "add", off_by_one)
    for book in (journal, journal_trial_balance):
        with pytest.raises(InvalidInput) as error:
            book(five_paid(), CAMPAIGN)
        assert error.value.code == "unbalanced_entry"


def test_a_tally_takes_only_sound_entries() -> None:
    """Fewer than two lines, an amount not positive or unequal sides are refused, uncounted."""
    tally = TrialTally("CNY")
    clearing = (Account.PAYMENT_CLEARING, Side.DEBIT, 5, "u1")
    assert not tally.post([clearing])
    assert not tally.post([clearing, (Account.MERCHANT_PAYABLE, Side.CREDIT, 4, "")])
    zero = (Account.PLATFORM_SUBSIDY, Side.DEBIT, 0, "")
    assert not tally.post([clearing, zero, (Account.MERCHANT_PAYABLE, Side.CREDIT, 5, "")])
    assert tally.post([clearing, (Account.MERCHANT_PAYABLE, Side.CREDIT, 5, "")])
    books = tally.trial_balance()
    assert (books.entries, books.debits, books.credits, books.balanced) == (1, 5, 5, True)
    assert books.rows[0].currency == "CNY"
