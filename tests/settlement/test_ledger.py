"""The double-entry ledger: every entry balances and the books hold exactly the net cash."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

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
    HOLDERS,
    Account,
    JournalEntry,
    Posting,
    audit,
    balances,
    journal,
    party_balances,
    reconcile,
    split_order,
    trial_balance,
)

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


# -- synthetic lifecycles, built from the event classes directly ------------------------------


@st.composite
def order_lifecycles(
    draw: st.DrawFn, campaign: Campaign, group: str, member: str, role: str
) -> list[Event]:
    """The events of one member's order: join, payments, reprice and refunds, all valid."""
    coupons = draw(st.sampled_from([(), ("p10",), ("m5",), ("p10", "m5"), ("p9z",)]))
    unit = campaign.rule.price
    quote = quote_member(campaign, unit_price=unit, qty=1, coupon_ids=coupons, role=role)
    at = T0
    events: list[Event] = [MemberJoined(at, group, member, 1, role, quote, at)]
    due = quote.total
    net = 0
    refunds = 0

    def refund(amount: int, reason: RefundReason) -> None:
        nonlocal net, refunds
        refunds += 1
        events.append(
            RefundDue(
                at, group, member, f"{group}:{member}:r{refunds}", "wx", Money(amount), reason
            )
        )
        net -= amount

    if draw(st.booleans()):  # a payment of the wrong amount, returned at once
        wrong = draw(st.integers(1, due.minor * 2).filter(lambda v: v != due.minor))
        events.append(PaymentReceived(at, group, member, f"{member}-w", Money(wrong), "wechat"))
        net += wrong
        refund(wrong, RefundReason.AMOUNT_MISMATCH)
    if draw(st.integers(0, 4)) == 0:
        return events  # never paid
    events.append(PaymentReceived(at, group, member, f"{member}-p", due, "wechat"))
    events.append(OrderPaid(at, group, member, f"{member}-p"))
    net += due.minor
    if draw(st.booleans()):  # a duplicate payment, returned at once
        events.append(PaymentReceived(at, group, member, f"{member}-d", due, "wechat"))
        net += due.minor
        refund(due.minor, RefundReason.DUPLICATE_PAYMENT)
    if draw(st.booleans()):  # repriced at a cheaper unit price, the difference refunded
        cheaper = Money(draw(st.integers(100, unit.minor - 1)))
        new = quote_member(campaign, unit_price=cheaper, qty=1, coupon_ids=coupons, role=role)
        if new.total < due:
            events.append(OrderRepriced(at, group, member, new))
            refund(due.minor - new.total.minor, RefundReason.TIER_DIFFERENCE)
    for _ in range(draw(st.integers(0, 3))):  # after-sales refunds
        if net:
            refund(draw(st.integers(1, net)), RefundReason.AFTER_SALES)
    if net and draw(st.booleans()):
        refund(net, RefundReason.GROUP_FAILED)
    return events


@st.composite
def event_logs(draw: st.DrawFn, campaign: Campaign = CAMPAIGN) -> list[Event]:
    """A campaign's log: a few groups, several orders each, their events interleaved."""
    queues: list[list[Event]] = []
    for g in range(draw(st.integers(1, 3))):
        group = f"g{g}"
        members = [f"u{g}-{i}" for i in range(draw(st.integers(1, 5)))]
        queues.append([GroupOpened(T0, group, members[0], T0 + timedelta(hours=24))])
        for i, member in enumerate(members):
            role = "opener" if i == 0 else "joiner"
            queues.append(draw(order_lifecycles(campaign, group, member, role)))
    # Each group's opening first, then the orders' events interleaved in a drawn order.
    log: list[Event] = [q.pop(0) for q in queues if isinstance(q[0], GroupOpened)]
    live = [q for q in queues if q]
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


def holders(sums: dict[Account, Money]) -> int:
    return sum(sums[account].minor for account in HOLDERS)


# -- laws -------------------------------------------------------------------------------------


@given(event_logs())
def test_every_entry_balances(log: list[Event]) -> None:
    """Each journal entry's postings sum to zero."""
    for entry in journal(log, CAMPAIGN):
        assert sum(p.amount.minor for p in entry.postings) == 0


@given(event_logs())
def test_every_prefix_balances_and_is_a_prefix_of_the_journal(log: list[Event]) -> None:
    """The journal of any prefix of a log has a zero trial balance and starts the full one."""
    full = journal(log, CAMPAIGN)
    for cut in range(len(log) + 1):
        part = journal(log[:cut], CAMPAIGN)
        assert part == full[: len(part)]
        assert trial_balance(part).balanced
        assert balances(part)[Account.PAYMENT_CLEARING].is_zero


@given(event_logs())
def test_customers_net_cash_is_what_the_holders_hold(log: list[Event]) -> None:
    """Paid − refunded = processor + platform (net of subsidy) + leader + merchant."""
    for cut in range(0, len(log) + 1, 3):
        sums = balances(journal(log[:cut], CAMPAIGN))
        assert -sums[Account.CUSTOMER].minor == customers_net(log[:cut]) == holders(sums)


@given(event_logs())
def test_journal_agrees_with_the_independent_audit(log: list[Event]) -> None:
    """The journal's balances equal the auditor's, on every prefix."""
    for cut in range(len(log) + 1):
        prefix = log[:cut]
        assert reconcile(balances(journal(prefix, CAMPAIGN)), audit(prefix, CAMPAIGN)) == ()


@given(event_logs())
def test_ledger_holds_the_sum_of_the_per_order_splits(log: list[Event]) -> None:
    """Each holder account equals the sum over orders of the contract's split."""
    cash: dict[tuple[str, str], int] = {}
    quotes: dict[tuple[str, str], Any] = {}
    for event in log:
        key = (getattr(event, "group", ""), getattr(event, "member", ""))
        if isinstance(event, MemberJoined | OrderRepriced):
            quotes[key] = event.quote
        elif isinstance(event, PaymentReceived):
            cash[key] = cash.get(key, 0) + event.amount.minor
        elif isinstance(event, RefundDue):
            cash[key] -= event.amount.minor
    splits = [
        split_order(Money(net), quotes[key].total, quotes[key].funded_by("platform"), CAMPAIGN.fees)
        for key, net in cash.items()
    ]
    sums = balances(journal(log, CAMPAIGN))
    assert sums[Account.PROCESSOR_FEES].minor == sum(s.payment_fee.minor for s in splits)
    assert sums[Account.LEADER_PAYABLE].minor == sum(s.leader.minor for s in splits)
    assert sums[Account.MERCHANT_PAYABLE].minor == sum(s.merchant.minor for s in splits)
    platform = sums[Account.PLATFORM_REVENUE] + sums[Account.PLATFORM_SUBSIDY]
    assert platform.minor == sum(s.platform.minor for s in splits)


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


def test_five_members_at_seventy_book_the_contract_split() -> None:
    """5 × 70.00 books processor 2.10, platform 17.50, leader 10.50 (to u1), merchant 319.90."""
    entries = journal(five_paid(), CAMPAIGN)
    sums = balances(entries)
    assert sums[Account.CUSTOMER] == Money.parse("-350.00")
    assert sums[Account.PROCESSOR_FEES] == Money.parse("2.10")
    assert sums[Account.PLATFORM_REVENUE] == Money.parse("17.50")
    assert sums[Account.LEADER_PAYABLE] == Money.parse("10.50")
    assert sums[Account.MERCHANT_PAYABLE] == Money.parse("319.90")
    assert party_balances(entries)[(Account.LEADER_PAYABLE, "u1")] == Money.parse("10.50")
    assert len(entries) == 10
    assert trial_balance(entries).balanced


def test_named_leader_earns_the_commission() -> None:
    """With fees.leader a host id, leader payable is booked to that host, not the opener."""
    campaign = make_campaign(leader="host-7")
    parties = party_balances(journal(five_paid(campaign), campaign))
    assert parties[(Account.LEADER_PAYABLE, "host-7")] == Money.parse("10.50")
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
    assert all(m.is_zero for m in audit(events, CAMPAIGN).values())


def test_capture_is_cash_in() -> None:
    """A captured authorisation books cash in and the split, like a payment."""
    quote = quote_member(CAMPAIGN, unit_price=CAMPAIGN.rule.price)
    events: list[Event] = [
        GroupOpened(T0, "g1", "u1", T0),
        MemberJoined(T0, "g1", "u1", 1, "opener", quote, T0),
        PaymentAuthorised(T0, "g1", "u1", "wx1", quote.total, "wechat"),
        PaymentCaptured(T0, "g1", "u1", "wx1", quote.total),
    ]
    sums = balances(journal(events, CAMPAIGN))
    assert sums[Account.CUSTOMER] == -quote.total
    assert sums[Account.MERCHANT_PAYABLE] == Money.parse("63.98")


def test_refund_claws_back_before_the_cash_leaves() -> None:
    """A refund's clawback entry comes first, so payment clearing never goes negative."""
    events = five_paid()
    events.append(
        RefundDue(T0, "g1", "u2", "g1:u2:r1", "wx2", Money.parse("70.00"), RefundReason.AFTER_SALES)
    )
    entries = journal(events, CAMPAIGN)
    clawback, refund = entries[-2:]
    assert clawback.memo.startswith("claw back")
    assert refund.memo.startswith("refund g1:u2:r1")
    running = 0
    for entry in entries:
        running += sum(
            p.amount.minor for p in entry.postings if p.account is Account.PAYMENT_CLEARING
        )
        assert running >= 0
    assert "payment_clearing" in refund.explain()


def test_platform_coupon_books_a_subsidy() -> None:
    """A platform coupon books the subsidy as the platform's negative holding."""
    quote = quote_member(CAMPAIGN, unit_price=CAMPAIGN.rule.price, coupon_ids=("p10",))
    events: list[Event] = [
        GroupOpened(T0, "g1", "u1", T0),
        MemberJoined(T0, "g1", "u1", 1, "opener", quote, T0),
        PaymentReceived(T0, "g1", "u1", "wx1", quote.total, "wechat"),
    ]
    sums = balances(journal(events, CAMPAIGN))
    assert sums[Account.PLATFORM_SUBSIDY] == Money.parse("-10.00")
    assert sums[Account.PLATFORM_REVENUE] == Money.parse("3.50")
    assert sums[Account.MERCHANT_PAYABLE] == Money.parse("64.04")


def test_unknown_event_is_refused() -> None:
    """An object that is not a ledger event raises unknown_event in journal and audit."""
    log: list[Any] = [Tick(T0)]
    with pytest.raises(InvalidInput) as by_journal:
        journal(log, CAMPAIGN)
    assert by_journal.value.code == "unknown_event"
    with pytest.raises(InvalidInput) as by_audit:
        audit(log, CAMPAIGN)
    assert by_audit.value.code == "unknown_event"


def test_unbalanced_entry_cannot_be_built() -> None:
    """A JournalEntry whose postings do not sum to zero is refused."""
    with pytest.raises(InvalidInput) as error:
        JournalEntry(
            "0.1",
            T0,
            "bad",
            (
                Posting(Account.CUSTOMER, Money(-5)),
                Posting(Account.PAYMENT_CLEARING, Money(4)),
            ),
        )
    assert error.value.code == "unbalanced_entry"


def test_reconcile_names_the_accounts_that_differ() -> None:
    """reconcile lists each disagreeing account with both balances and the gap."""
    sums = balances(journal(five_paid(), CAMPAIGN))
    wrong = {**sums, Account.MERCHANT_PAYABLE: sums[Account.MERCHANT_PAYABLE] + Money(1)}
    (difference,) = reconcile(sums, wrong)
    assert difference.account is Account.MERCHANT_PAYABLE
    assert difference.gap == Money(-1)


def test_trial_balance_explains_itself() -> None:
    """The trial balance prints every account, the totals and the verdict."""
    text = trial_balance(journal(five_paid(), CAMPAIGN)).explain()
    assert "merchant_payable" in text
    assert "balanced" in text
    assert trial_balance([]).total == Money(0)


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
        assert -sums[Account.CUSTOMER].minor == customers_net(prefix) == holders(sums)


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
    assert sums[Account.CUSTOMER] == Money.parse("-320.00")
    # u2 keeps 40.00 of 60.00 due: subsidy round(10.00 × 2/3) = 6.67.
    assert sums[Account.PLATFORM_SUBSIDY] == Money.parse("-6.67")


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
    assert sums[Account.CUSTOMER] == Money.parse("-160.00")
    one = split_order(Money.parse("80.00"), Money.parse("80.00"), Money(0), campaign.fees)
    assert sums[Account.MERCHANT_PAYABLE] == one.merchant * 2
