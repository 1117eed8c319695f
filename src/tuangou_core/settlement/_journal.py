"""The journal: a campaign's events turned into balanced double-entry entries.

How each event books (everything else moves no money and books nothing):

- :class:`~tuangou_core.group.PaymentReceived`, :class:`~tuangou_core.group.PaymentCaptured`:
  cash in, ``customer → payment_clearing``; then the order's split is re-posted.
- :class:`~tuangou_core.group.RefundDue`: the order's split is re-posted first (the parties
  give their clawback back to payment clearing), then the cash goes out,
  ``payment_clearing → customer``. The library records a refund as executed along the
  original path when it is due, so ``refunds_payable`` carries no balance from events alone.
- :class:`~tuangou_core.group.MemberJoined`, :class:`~tuangou_core.group.OrderRepriced`,
  :class:`~tuangou_core.group.OrderPaid`: the order's quote (amount due, platform-funded
  discount) may change; its split is re-posted if that changes it.
- :class:`~tuangou_core.group.PaymentAuthorised`,
  :class:`~tuangou_core.group.AuthorisationReleased`: an authorisation only freezes money on
  the member's card; no money moves, so no entry (off balance; see ``docs/settlement.md``).

Re-posting a split means: the ledger keeps, per order, the split it has posted, and after any
change posts ``new − posted`` out of payment clearing to ``processor_fees``,
``platform_revenue`` (the platform's take on the base), ``platform_subsidy`` (the subsidy the
platform pays, a negative holding), ``leader_payable`` (the party is the fee schedule's leader:
the group's opener, or a named id) and ``merchant_payable``. So after every event, the posted
split of each order equals :func:`~tuangou_core.settlement.split_order` of its current net
cash, amount due and platform discount, and payment clearing is back to zero.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any, Final

import attrs

from tuangou_core.campaign import Campaign, Funder
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
from tuangou_core.settlement._accounts import Account, JournalEntry, Posting
from tuangou_core.settlement._commission import split_order

# -- journal -----------------------------------------------------------------------------------


def _quote_terms(quote: Quote) -> tuple[int, int]:
    """(amount due, platform-funded discount) of a quote, in minor units."""
    return quote.total.minor, quote.funded_by(Funder.PLATFORM).minor


_SplitKey = tuple[int, int, int]
_SplitParts = tuple[int, int, int, int, int]  # fee, take, subsidy, leader, merchant


@attrs.define
class _Book:
    """One order's running figures, in minor units: cash, quote terms and the posted split."""

    leader: str
    paid: int = 0
    refunded: int = 0
    due: int = 0
    discount: int = 0
    posted: _SplitParts = (0, 0, 0, 0, 0)


_SPLIT_ACCOUNTS: Final = (
    Account.PROCESSOR_FEES,
    Account.PLATFORM_REVENUE,
    Account.PLATFORM_SUBSIDY,
    Account.LEADER_PAYABLE,
    Account.MERCHANT_PAYABLE,
)


class _Journal:
    """The working state of one :func:`journal` run (private; the function is pure)."""

    def __init__(self, campaign: Campaign) -> None:
        self.campaign = campaign
        self.fees = campaign.fees
        self.currency = campaign.currency
        self.named_leader = None if campaign.fees.leader == "opener" else campaign.fees.leader
        self.openers: dict[str, str] = {}  # group → its leader now
        self.books: dict[tuple[str, str], _Book] = {}
        self.group_books: dict[str, list[_Book]] = {}
        self.splits: dict[_SplitKey, _SplitParts] = {}
        self.entries: list[JournalEntry] = []
        self.amounts: dict[int, Money] = {}
        self.quotes: dict[int, tuple[Quote, tuple[int, int]]] = {}
        self.moves: dict[tuple[_SplitParts, _SplitParts], tuple[tuple[Posting, ...], int]] = {}
        self.index = 0
        self.count = 0  # entries made for the current event

    # -- helpers ---------------------------------------------------------------------------

    def money(self, minor: int) -> Money:
        found = self.amounts.get(minor)
        if found is None:
            found = self.amounts[minor] = Money._trusted(minor, self.currency)
        return found

    def terms(self, quote: Quote) -> tuple[int, int]:
        # Quotes are shared between orders: read each one once (kept alive with its terms).
        found = self.quotes.get(id(quote))
        if found is None or found[0] is not quote:
            found = self.quotes[id(quote)] = (quote, _quote_terms(quote))
        return found[1]

    def book(self, group: str, member: str) -> _Book:
        key = (group, member)
        found = self.books.get(key)
        if found is None:
            leader = self.named_leader or self.openers.get(group, "")
            found = self.books[key] = _Book(leader)
            self.group_books.setdefault(group, []).append(found)
        return found

    def parts(self, key: _SplitKey) -> _SplitParts:
        found = self.splits.get(key)
        if found is None:
            net, due, discount = key
            money = self.money
            split = split_order(money(net), money(due), money(discount), self.fees)
            take = split.platform.minor + split.subsidy.minor
            found = (
                split.payment_fee.minor,
                take,
                split.subsidy.minor,
                split.leader.minor,
                split.merchant.minor,
            )
            self.splits[key] = found
        return found

    def add(
        self, at: datetime, memo: str, postings: tuple[Posting, ...], group: str, member: str
    ) -> None:
        self.count += 1
        self.entries.append(
            JournalEntry._trusted(f"{self.index}.{self.count}", at, memo, postings, group, member)
        )

    def cash(self, at: datetime, group: str, member: str, minor: int, memo: str) -> None:
        """Move *minor* from the customer into payment clearing (negative: back out)."""
        amount = self.money(minor)
        postings = (
            Posting(Account.PAYMENT_CLEARING, amount),
            Posting(Account.CUSTOMER, self.money(-minor), member),
        )
        self.add(at, memo, postings, group, member)

    def resplit(self, at: datetime, group: str, member: str, book: _Book) -> None:
        """Post the difference between the order's posted split and its split now."""
        net = book.paid - book.refunded
        new = self.parts((net, book.due, book.discount)) if net else (0, 0, 0, 0, 0)
        old = book.posted
        if new == old:
            return
        key = (old, new)
        move = self.moves.get(key)
        if move is None:
            move = self.moves[key] = self.movement(old, new)
        postings, leader = move
        if leader:
            postings = (*postings, Posting(Account.LEADER_PAYABLE, self.money(leader), book.leader))
        book.posted = new
        grows = (
            new[0] + new[1] - new[2] + new[3] + new[4] >= old[0] + old[1] - old[2] + old[3] + old[4]
        )
        verb = "split" if grows else "claw back split"
        self.add(at, f"{verb} of {group}/{member}", postings, group, member)

    def movement(self, old: _SplitParts, new: _SplitParts) -> tuple[tuple[Posting, ...], int]:
        """The postings that move a split from *old* to *new*, and the leader's change.

        The leader's posting names the order's leader, so the caller adds it.
        """
        fee, take, subsidy, leader, merchant = (n - o for n, o in zip(new, old, strict=True))
        money = self.money
        postings: list[Posting] = []
        moved = 0
        if fee:
            postings.append(Posting(Account.PROCESSOR_FEES, money(fee)))
            moved += fee
        if take:
            postings.append(Posting(Account.PLATFORM_REVENUE, money(take)))
            moved += take
        if subsidy:
            postings.append(Posting(Account.PLATFORM_SUBSIDY, money(-subsidy)))
            moved -= subsidy
        if merchant:
            postings.append(Posting(Account.MERCHANT_PAYABLE, money(merchant)))
            moved += merchant
        moved += leader
        if moved:
            postings.insert(0, Posting(Account.PAYMENT_CLEARING, money(-moved)))
        return tuple(postings), leader

    # -- handlers --------------------------------------------------------------------------

    def opened(self, event: GroupOpened) -> None:
        self.openers[event.group] = event.opener

    def joined(self, event: MemberJoined) -> None:
        self.requote(event.at, event.group, event.member, event.quote)

    def reopened(self, event: OrderReopened) -> None:
        self.requote(event.at, event.group, event.member, event.quote)

    def unmatched(self, event: PaymentUnmatched) -> None:
        """Money that named no order: into clearing, then owed back (refunds payable) until
        its refund goes out."""
        minor = self._amount(event.amount)
        if minor and not event.authorised:
            memo = f"payment {event.payment_id} from {event.member} names no order"
            self.cash(event.at, event.group, event.member, minor, memo)
            postings = (
                Posting(Account.PAYMENT_CLEARING, self.money(-minor)),
                Posting(Account.REFUNDS_PAYABLE, self.money(minor), event.member),
            )
            self.add(
                event.at,
                f"owe {event.payment_id} back to {event.member}",
                postings,
                event.group,
                event.member,
            )

    def leader_changed(self, event: LeaderChanged) -> None:
        """The leader share of the group's orders moves to the new leader (fees.leader =
        "opener": the group's leader earns it)."""
        self.openers[event.group] = event.leader
        if self.named_leader is not None:
            return
        moved = 0
        for book in self.group_books.get(event.group, ()):
            moved += book.posted[3]
            book.leader = event.leader
        if moved:
            postings = (
                Posting(Account.LEADER_PAYABLE, self.money(-moved), event.previous),
                Posting(Account.LEADER_PAYABLE, self.money(moved), event.leader),
            )
            memo = f"leadership of {event.group} passes from {event.previous} to {event.leader}"
            self.add(event.at, memo, postings, event.group, event.leader)

    def repriced(self, event: OrderRepriced) -> None:
        self.requote(event.at, event.group, event.member, event.quote)

    def requote(self, at: datetime, group: str, member: str, quote: Quote) -> None:
        book = self.book(group, member)
        book.due, book.discount = self.terms(quote)
        self.resplit(at, group, member, book)

    def paid(self, event: OrderPaid) -> None:
        self.resplit(event.at, event.group, event.member, self.book(event.group, event.member))

    def received(self, event: PaymentReceived | PaymentCaptured) -> None:
        book = self.book(event.group, event.member)
        minor = self._amount(event.amount)
        if not minor:
            return
        book.paid += minor
        kind = "captured" if isinstance(event, PaymentCaptured) else "received"
        memo = f"payment {event.payment_id} {kind} from {event.member}"
        self.cash(event.at, event.group, event.member, minor, memo)
        self.resplit(event.at, event.group, event.member, book)

    def refund(self, event: RefundDue) -> None:
        minor = self._amount(event.amount)
        if not minor:
            return
        memo = f"refund {event.refund_id} to {event.member} ({event.reason.value})"
        if event.reason is RefundReason.UNMATCHED_PAYMENT:
            postings = (
                Posting(Account.REFUNDS_PAYABLE, self.money(-minor), event.member),
                Posting(Account.CUSTOMER, self.money(minor), event.member),
            )
            self.add(event.at, memo, postings, event.group, event.member)
            return
        book = self.book(event.group, event.member)
        book.refunded += minor
        self.resplit(event.at, event.group, event.member, book)
        self.cash(event.at, event.group, event.member, -minor, memo)

    def _amount(self, amount: Money) -> int:
        return amount_in(amount, self.currency, self.index, "the ledger")


_JOURNAL: Final = Projection[Callable[[_Journal, Any], None]](
    "the ledger",
    {
        GroupOpened: _Journal.opened,
        MemberJoined: _Journal.joined,
        PaymentReceived: _Journal.received,
        OrderPaid: _Journal.paid,
        PaymentCaptured: _Journal.received,
        RefundDue: _Journal.refund,
        OrderRepriced: _Journal.repriced,
        OrderReopened: _Journal.reopened,
        PaymentUnmatched: _Journal.unmatched,
        LeaderChanged: _Journal.leader_changed,
    },
    ignore=(
        StockReserved,
        StockReleased,
        PaymentAuthorised,
        AuthorisationReleased,
        OrderCancelled,
        GroupFormed,
        GroupFailed,
        WinnersDrawn,
        OrderShipped,
        OrderCompleted,
    ),
)


def journal(events: Iterable[Event], campaign: Campaign) -> tuple[JournalEntry, ...]:
    """The balanced journal entries of *campaign*'s *events*, in event order.

    Args:
        events: the campaign's event log, in order (what the decider produced).
        campaign: the campaign, for its currency and fee schedule.

    Returns:
        One entry per money movement; events that move no money give none. The journal of a
        prefix of a log is a prefix of the log's journal.

    Raises:
        InvalidInput: ``unknown_event`` for an object that is not a known event,
            ``currency_mismatch`` for an amount outside the campaign's currency.
    """
    work = _Journal(campaign)
    table = _JOURNAL.table
    for index, event in enumerate(events):
        handler = table.get(type(event))
        if handler is None:
            raise _JOURNAL.refuse(event, index)
        work.index = index
        work.count = 0
        handler(work, event)
    return tuple(work.entries)
