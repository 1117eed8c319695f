"""The journal: a campaign's events turned into balanced double-entry entries.

How each event books (every other event moves no money and books nothing):

- Cash in (:class:`~tuangou_core.group.PaymentReceived`,
  :class:`~tuangou_core.group.PaymentCaptured`, a cash
  :class:`~tuangou_core.group.PaymentUnmatched`): debit ``payment_clearing``, credit
  ``refunds_payable`` for the member. Money received is the customer's until it settles an
  order: owed back if it does not.
- The payment that settles an order (:class:`~tuangou_core.group.OrderPaid`, and a capture
  on it): its cash moves from ``refunds_payable`` into the order's split.
- Re-splitting: after anything that changes an order's split (the settled cash, its quote,
  a refund along its payment), the journal posts the difference between the split it posted
  and :func:`~tuangou_core.settlement.split_order` of the order now, against
  ``refunds_payable``: the processor's fee and the leader's and merchant's shares are
  credited (liabilities), the platform's take credited (revenue), the platform's subsidy
  debited (an expense).
- A refund (:class:`~tuangou_core.group.RefundDue`): the split gives back what the refund
  takes (a claw-back entry), then the refund is sent along the original path: debit
  ``refunds_payable``, credit ``payment_clearing``. A stray payment's refund takes it straight
  from ``refunds_payable``.
- Points (a campaign with ``[points]``): each formed order stands at its points; whenever that
  changes, the difference is credited to ``points_liability`` for the member and debited to
  the funder's share (``merchant_payable``, or ``platform_revenue`` for platform-funded
  points), valued at the points' value.
- Leadership passing (``fees.leader = "opener"``): the leader payable already booked on the
  group's orders moves from the old leader to the new one.

So after every event: every entry balances, ``refunds_payable`` holds exactly the money that
settles no order, and each order's posted split is its contract split.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any, Final

from tuangou_core.campaign import Campaign, Funder, LotteryRule
from tuangou_core.group import (
    AuthorisationReleased,
    Event,
    GroupFailed,
    GroupFormed,
    GroupOpened,
    LeaderChanged,
    MemberJoined,
    OrderCancelled,
    OrderCompleted,
    OrderPaid,
    OrderReopened,
    OrderRepriced,
    OrderShipped,
    PaymentAuthorised,
    PaymentCaptured,
    PaymentReceived,
    PaymentUnmatched,
    Projection,
    RefundDue,
    StockReleased,
    StockReserved,
    WinnersDrawn,
    amount_in,
)
from tuangou_core.money import Money
from tuangou_core.pricing import Quote
from tuangou_core.refunds import RefundReason
from tuangou_core.settlement._accounts import Account, JournalEntry, Posting, Side
from tuangou_core.settlement._balances import Line, TrialBalance, TrialTally
from tuangou_core.settlement._commission import split_order

_Parts = tuple[int, int, int, int, int]  # fee, take, subsidy, leader, merchant
_NOTHING: Final[_Parts] = (0, 0, 0, 0, 0)
_DR: Final = Side.DEBIT
_CR: Final = Side.CREDIT
# An enum member read off its class runs EnumType's attribute hook (about 25 times a plain
# global's cost on 3.11): the accounts the journal posts to millions of times, read once.
_CLEARING: Final = Account.PAYMENT_CLEARING
_REFUNDS: Final = Account.REFUNDS_PAYABLE
_SUBSIDY: Final = Account.PLATFORM_SUBSIDY
_FEES: Final = Account.PROCESSOR_FEES
_REVENUE: Final = Account.PLATFORM_REVENUE
_LEADER: Final = Account.LEADER_PAYABLE
_MERCHANT: Final = Account.MERCHANT_PAYABLE
_POINTS: Final = Account.POINTS_LIABILITY
_STRAY: Final = RefundReason.UNMATCHED_PAYMENT


class _Book:
    """One order's running figures, in minor units: its settling payment, its quote terms,
    the split and the points the journal has posted."""

    __slots__ = (
        "discount",
        "due",
        "formed",
        "group",
        "leader",
        "member",
        "payment",
        "points",
        "posted",
        "returned",
        "settled",
    )

    def __init__(self, group: str, member: str, leader: str) -> None:
        self.group = group
        self.member = member
        self.leader = leader
        self.payment: str | None = None  # the payment that settled the order
        self.settled = 0  # its cash
        self.returned = 0  # refunded along it
        self.due = 0
        self.discount = 0  # platform-funded, as quoted
        self.posted: _Parts = _NOTHING
        self.formed = False
        self.points = 0

    @property
    def net(self) -> int:
        return self.settled - self.returned


class _Journal:
    """The working state of one :func:`journal` run (private; the function is pure)."""

    def __init__(self, campaign: Campaign, tally: TrialTally | None = None) -> None:
        # With a tally, entries are counted into it and let go: the memos, read only by
        # people, are not written.
        self.tally = tally
        self.keep = tally is None
        self.fees = campaign.fees
        self.currency = campaign.currency
        self.named_leader = None if campaign.fees.leader == "opener" else campaign.fees.leader
        self.lottery = isinstance(campaign.rule, LotteryRule)
        self.points_rule = campaign.points
        self.points_funder = (
            _REVENUE
            if campaign.points is not None and campaign.points.funded_by is Funder.PLATFORM
            else _MERCHANT
        )
        self.leaders: dict[str, str] = {}  # group → its leader now
        self.books: dict[tuple[str, str], _Book] = {}
        self.group_books: dict[str, list[_Book]] = {}
        self.cash_in: dict[str, int] = {}  # payment id → its cash
        self.splits: dict[tuple[int, int, int], _Parts] = {}
        self.amounts: dict[int, Money] = {}
        self.postings: dict[tuple[Account, Side, int, str], Posting] = {}
        self.quotes: dict[int, tuple[Quote, tuple[int, int]]] = {}
        self.entries: list[JournalEntry] = []
        self.index = 0
        self.count = 0  # entries made for the current event
        self.rule = (
            f"fee {self.fees.payment_rate.percent()} of net, platform "
            f"{self.fees.platform_rate.percent()} of base less subsidy, leader "
            f"{self.fees.leader_rate.percent()} of base, merchant the residual"
        )

    # -- helpers ---------------------------------------------------------------------------

    def money(self, minor: int) -> Money:
        found = self.amounts.get(minor)
        if found is None:
            found = self.amounts[minor] = Money._trusted(minor, self.currency)
        return found

    def terms(self, quote: Quote) -> tuple[int, int]:
        # Quotes are shared between orders: read each one once. Each is kept alive beside its
        # terms, so no other object can take its id while it is here.
        found = self.quotes.get(id(quote))
        if found is None:
            terms = (quote.total.minor, quote.funded_by(Funder.PLATFORM).minor)
            found = self.quotes[id(quote)] = (quote, terms)
        return found[1]

    def book(self, group: str, member: str) -> _Book:
        # The handlers look a known book up themselves (``books.get(...) or book(...)``):
        # one call fewer on every event.
        key = (group, member)
        found = self.books.get(key)
        if found is None:
            leader = self.named_leader or self.leaders.get(group, "")
            found = self.books[key] = _Book(group, member, leader)
            self.group_books.setdefault(group, []).append(found)
        return found

    def parts(self, net: int, due: int, discount: int) -> _Parts:
        key = (net, due, discount)
        found = self.splits.get(key)
        if found is None:
            money = self.money
            split = split_order(money(net), money(due), money(discount), self.fees)
            found = (
                split.payment_fee.minor,
                split.platform.minor + split.subsidy.minor,
                split.subsidy.minor,
                split.leader.minor,
                split.merchant.minor,
            )
            self.splits[key] = found
        return found

    def add(self, at: datetime, memo: str, lines: list[Line], book: _Book) -> None:
        self.count += 1
        if self.tally is not None and self.tally.post(lines):
            return
        # Kept, or refused by the tally: the entry itself raises exactly as a kept one would.
        entry_id = f"{self.index}.{self.count}"
        postings = tuple(self.posting_of(line) for line in lines)
        self.entries.append(
            JournalEntry(entry_id, self.index, at, memo, postings, book.group, book.member)
        )

    def line(self, account: Account, minor: int, grows: Side, party: str = "") -> Line:
        """A posting of *minor* on *account*: on the *grows* side when positive, else on
        the other side by its size."""
        if minor > 0:
            return (account, grows, minor, party)
        return (account, _CR if grows is _DR else _DR, -minor, party)

    def posting_of(self, line: Line) -> Posting:
        # Postings are values, and the same ones recur (a price, a fee): build each once.
        found = self.postings.get(line)
        if found is None:
            account, side, minor, party = line
            found = self.postings[line] = Posting(account, side, self.money(minor), party)
        return found

    def received(self, at: datetime, book: _Book, minor: int, memo: str) -> None:
        """Cash in: payment clearing holds it; it is the customer's until it settles."""
        self.add(
            at,
            memo,
            [
                (_CLEARING, _DR, minor, book.member),
                (_REFUNDS, _CR, minor, book.member),
            ],
            book,
        )

    def resplit(self, at: datetime, book: _Book, why: str) -> None:
        """Post the difference between the order's posted split and its split now."""
        net = book.settled - book.returned
        if net > 0:
            due, discount = book.due, book.discount
            new = self.splits.get((net, due, discount)) or self.parts(net, due, discount)
        else:
            new = _NOTHING
        old = book.posted
        if new == old:
            return
        fee = new[0] - old[0]
        take = new[1] - old[1]
        subsidy = new[2] - old[2]
        leader = new[3] - old[3]
        merchant = new[4] - old[4]
        moved = fee + take - subsidy + leader + merchant
        # Each line as self.line writes it (on its growing side when positive, else on the
        # other by its size), written out: a re-split is the journal's commonest entry.
        postings: list[Line] = []
        if moved > 0:
            postings.append((_REFUNDS, _DR, moved, book.member))
        elif moved:
            postings.append((_REFUNDS, _CR, -moved, book.member))
        if subsidy > 0:
            postings.append((_SUBSIDY, _DR, subsidy, ""))
        elif subsidy:
            postings.append((_SUBSIDY, _CR, -subsidy, ""))
        if fee > 0:
            postings.append((_FEES, _CR, fee, ""))
        elif fee:
            postings.append((_FEES, _DR, -fee, ""))
        if take > 0:
            postings.append((_REVENUE, _CR, take, ""))
        elif take:
            postings.append((_REVENUE, _DR, -take, ""))
        if leader > 0:
            postings.append((_LEADER, _CR, leader, book.leader))
        elif leader:
            postings.append((_LEADER, _DR, -leader, book.leader))
        if merchant > 0:
            postings.append((_MERCHANT, _CR, merchant, ""))
        elif merchant:
            postings.append((_MERCHANT, _DR, -merchant, ""))
        book.posted = new
        memo = ""
        if self.keep:
            verb = "split" if moved >= 0 else "claw back the split"
            memo = f"{verb} of {book.group}/{book.member} on net {self.money(net)} ({why}): "
            memo += self.rule
        self.add(at, memo, postings, book)

    def repoint(self, at: datetime, book: _Book) -> None:
        """Post the change in the points the order stands at (formed orders only)."""
        rule = self.points_rule
        if rule is None:
            return
        target = rule.standing(self.money(max(book.net, 0))) if book.formed else 0
        delta = target - book.points
        if not delta:
            return
        value = rule.value.minor * delta
        book.points = target
        memo = (
            f"points of {book.group}/{book.member}: {target} standing (floor(net / unit) × "
            f"{rule.earn_per_unit}) at {rule.value} each, funded by {rule.funded_by.value}"
            if self.keep
            else ""
        )
        self.add(
            at,
            memo,
            [
                self.line(self.points_funder, value, _DR),
                self.line(_POINTS, value, _CR, book.member),
            ],
            book,
        )

    # -- handlers --------------------------------------------------------------------------

    def opened(self, event: GroupOpened) -> None:
        self.leaders[event.group] = event.opener
        if self.named_leader is None:
            # Money that named the group before it opened (a payment naming no order, and its
            # refund) made its member's book already, with no leader to name: the opener is
            # its leader too, or that order's leader share would be booked to no one.
            for book in self.group_books.get(event.group, ()):
                book.leader = event.opener

    def quoted(self, event: MemberJoined | OrderReopened | OrderRepriced) -> None:
        book = self.books.get((event.group, event.member)) or self.book(event.group, event.member)
        book.due, book.discount = self.terms(event.quote)
        # A new quote moves the split, never the points: they stand on the net and on forming
        # (a repriced order keeps both, a reopened one was cancelled open and never formed).
        self.resplit(event.at, book, "repriced")

    def cash_received(self, event: PaymentReceived) -> None:
        minor = self._amount(event.amount)
        self.cash_in[event.payment_id] = minor
        book = self.books.get((event.group, event.member)) or self.book(event.group, event.member)
        memo = f"payment {event.payment_id} received" if self.keep else ""
        self.received(event.at, book, minor, memo)

    def captured(self, event: PaymentCaptured) -> None:
        minor = self._amount(event.amount)
        book = self.books.get((event.group, event.member)) or self.book(event.group, event.member)
        if not minor:
            return
        self.received(event.at, book, minor, f"payment {event.payment_id} captured")
        if book.payment == event.payment_id:
            book.settled += minor
            self.resplit(event.at, book, f"payment {event.payment_id} captured")
            self.repoint(event.at, book)

    def unmatched(self, event: PaymentUnmatched) -> None:
        minor = self._amount(event.amount)
        if minor and not event.authorised:
            book = self.book(event.group, event.member)
            memo = f"payment {event.payment_id} received, naming no order: owed back"
            self.received(event.at, book, minor, memo)

    def paid(self, event: OrderPaid) -> None:
        book = self.books.get((event.group, event.member)) or self.book(event.group, event.member)
        book.payment = event.payment_id
        book.settled = self.cash_in.get(event.payment_id, 0)
        book.returned = 0
        self.resplit(event.at, book, f"payment {event.payment_id} settles it" if self.keep else "")

    def refund(self, event: RefundDue) -> None:
        minor = self._amount(event.amount)
        if not minor:
            return
        book = self.books.get((event.group, event.member)) or self.book(event.group, event.member)
        along = event.reason is not _STRAY and (
            book.payment is not None and event.payment_id == book.payment
        )
        if along:
            book.returned += minor
            self.resplit(event.at, book, f"refund {event.refund_id}")
            self.repoint(event.at, book)
        memo = (
            f"refund {event.refund_id} sent to {event.member} along {event.tender} "
            f"{event.payment_id} ({event.reason.value})"
            if self.keep
            else ""
        )
        self.add(
            event.at,
            memo,
            [
                (_REFUNDS, _DR, minor, book.member),
                (_CLEARING, _CR, minor, book.member),
            ],
            book,
        )

    def formed(self, event: GroupFormed) -> None:
        if self.lottery:
            return  # a lottery's orders form when drawn
        for book in self.group_books.get(event.group, ()):
            # Every paid order forms, cash in hand or not: under capture_at_close its cash
            # is captured after GroupFormed, and its points stand from that capture on.
            if book.payment is not None:
                book.formed = True
                self.repoint(event.at, book)

    def drawn(self, event: WinnersDrawn) -> None:
        for member in event.winners:
            book = self.book(event.group, member)
            book.formed = True
            self.repoint(event.at, book)

    def leader_changed(self, event: LeaderChanged) -> None:
        """The leader share of the group's orders moves to the new leader."""
        self.leaders[event.group] = event.leader
        if self.named_leader is not None:
            return
        moved = 0
        for book in self.group_books.get(event.group, ()):
            moved += book.posted[3]
            book.leader = event.leader
        if moved:
            anchor = self.book(event.group, event.leader)
            memo = f"leadership of {event.group} passes from {event.previous} to {event.leader}"
            self.add(
                event.at,
                memo,
                [
                    self.line(_LEADER, moved, _DR, event.previous),
                    self.line(_LEADER, moved, _CR, event.leader),
                ],
                anchor,
            )

    def _amount(self, amount: Money) -> int:
        if type(amount) is Money and amount.currency == self.currency:
            return amount.minor  # what amount_in returns, without the call
        return amount_in(amount, self.currency, self.index, "the ledger")


_JOURNAL: Final = Projection[Callable[[_Journal, Any], None]](
    "the ledger",
    {
        GroupOpened: _Journal.opened,
        MemberJoined: _Journal.quoted,
        OrderReopened: _Journal.quoted,
        OrderRepriced: _Journal.quoted,
        PaymentReceived: _Journal.cash_received,
        PaymentCaptured: _Journal.captured,
        PaymentUnmatched: _Journal.unmatched,
        OrderPaid: _Journal.paid,
        RefundDue: _Journal.refund,
        GroupFormed: _Journal.formed,
        WinnersDrawn: _Journal.drawn,
        LeaderChanged: _Journal.leader_changed,
    },
    ignore=(
        StockReserved,
        StockReleased,
        PaymentAuthorised,
        AuthorisationReleased,
        OrderCancelled,
        GroupFailed,
        OrderShipped,
        OrderCompleted,
    ),
)


def journal(events: Iterable[Event], campaign: Campaign) -> tuple[JournalEntry, ...]:
    """The balanced journal entries of *campaign*'s *events*, in event order.

    Args:
        events: the campaign's event log, in order (what the decider produced).
        campaign: the campaign, for its currency, fee schedule and points.

    Returns:
        The entries of every money movement; events that move no money give none. The
        journal of a prefix of a log is a prefix of the log's journal.

    Raises:
        InvalidInput: ``unknown_event`` for an object that is not a known event,
            ``currency_mismatch`` for an amount outside the campaign's currency.
    """
    return tuple(_book(_Journal(campaign), events).entries)


def journal_trial_balance(events: Iterable[Event], campaign: Campaign) -> TrialBalance:
    """``trial_balance(journal(events, campaign), campaign.currency)``, without keeping the
    entries: each is tallied as it is made (every posting, every entry's own balance) and
    let go, and no memo is written. What a statement needs of a long log's books.

    Raises:
        InvalidInput: as :func:`journal`, and ``unbalanced_entry`` where it would.
    """
    tally = TrialTally(campaign.currency)
    _book(_Journal(campaign, tally), events)
    return tally.trial_balance()


def _book(work: _Journal, events: Iterable[Event]) -> _Journal:
    table = _JOURNAL.table
    for index, event in enumerate(events):
        handler = table.get(type(event))
        if handler is None:
            raise _JOURNAL.refuse(event, index)
        work.index = index
        work.count = 0
        handler(work, event)
    return work
