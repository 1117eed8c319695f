"""A double-entry ledger computed from a campaign's events, and an auditor that checks it.

:func:`journal` turns the events of :mod:`tuangou_core.events` into balanced journal entries
over named :class:`Account` s. Amounts are signed: a posting's amount is positive for a debit
and negative for a credit, and every entry's postings sum to zero. An account's balance is the
sum of its postings: money that flowed *into* it is positive.

How each event books (everything else moves no money and books nothing):

- :class:`~tuangou_core.events.PaymentReceived`, :class:`~tuangou_core.events.PaymentCaptured`:
  cash in, ``customer → payment_clearing``; then the order's split is re-posted.
- :class:`~tuangou_core.events.RefundDue`: the order's split is re-posted first (the parties
  give their clawback back to payment clearing), then the cash goes out,
  ``payment_clearing → customer``. The library records a refund as executed along the
  original path when it is due, so ``refunds_payable`` carries no balance from events alone.
- :class:`~tuangou_core.events.MemberJoined`, :class:`~tuangou_core.events.OrderRepriced`,
  :class:`~tuangou_core.events.OrderPaid`: the order's quote (amount due, platform-funded
  discount) may change; its split is re-posted if that changes it.
- :class:`~tuangou_core.events.PaymentAuthorised`,
  :class:`~tuangou_core.events.AuthorisationReleased`: an authorisation only freezes money on
  the member's card; no money moves, so no entry (off balance; see ``docs/settlement.md``).

Re-posting a split means: the ledger keeps, per order, the split it has posted, and after any
change posts ``new − posted`` out of payment clearing to ``processor_fees``,
``platform_revenue`` (the platform's take on the base), ``platform_subsidy`` (the subsidy the
platform pays, a negative holding), ``leader_payable`` (the party is the fee schedule's leader:
the group's opener, or a named id) and ``merchant_payable``. So after every event, the posted
split of each order equals :func:`~tuangou_core.commission.split_order` of its current net
cash, amount due and platform discount, and payment clearing is back to zero.

Consequences that hold after every prefix of every log: each entry balances, the trial balance
sums to zero, and ``−customer`` (what customers paid minus what they were refunded) equals
``processor_fees + platform_revenue + platform_subsidy + leader_payable + merchant_payable``.

:mod:`tuangou_core.audit` recomputes the balances from the same events with its own plain
integer arithmetic, sharing nothing with :func:`journal` but the split formula, and lists where
the two disagree.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any, Final

import attrs

from tuangou_core.campaign import Campaign, Funder
from tuangou_core.commission import split_order
from tuangou_core.errors import InvalidInput
from tuangou_core.events import (
    AuthorisationReleased,
    Event,
    GroupFailed,
    GroupFormed,
    GroupOpened,
    MemberJoined,
    OrderCancelled,
    OrderCompleted,
    OrderPaid,
    OrderRepriced,
    OrderShipped,
    PaymentAuthorised,
    PaymentCaptured,
    PaymentReceived,
    RefundDue,
    StockReleased,
    StockReserved,
    WinnersDrawn,
)
from tuangou_core.money import Money
from tuangou_core.pricing import Quote

__all__ = [
    "HOLDERS",
    "Account",
    "JournalEntry",
    "Posting",
    "TrialBalance",
    "balances",
    "journal",
    "party_balances",
    "trial_balance",
]


class Account(enum.Enum):
    """The named accounts of the ledger."""

    CUSTOMER = "customer"  # where members' cash comes from and goes back to
    PAYMENT_CLEARING = "payment_clearing"  # cash received, not yet allocated: nets to zero
    PROCESSOR_FEES = "processor_fees"  # the payment processor's fee (e.g. 0.6%)
    PLATFORM_REVENUE = "platform_revenue"  # the platform's take on the base
    PLATFORM_SUBSIDY = "platform_subsidy"  # platform-funded discounts paid to the merchant
    MERCHANT_PAYABLE = "merchant_payable"  # owed to the merchant: the residual
    LEADER_PAYABLE = "leader_payable"  # owed to the community leader (one level)
    POINTS_LIABILITY = "points_liability"  # points owed to members (not moved by events)
    REFUNDS_PAYABLE = "refunds_payable"  # refunds owed, not executed (none from events)


HOLDERS: Final = (
    Account.PROCESSOR_FEES,
    Account.PLATFORM_REVENUE,
    Account.PLATFORM_SUBSIDY,
    Account.LEADER_PAYABLE,
    Account.MERCHANT_PAYABLE,
)
"""The accounts that hold the split of the customers' net cash."""


@attrs.frozen
class Posting:
    """One line of an entry: *amount* on *account*, positive a debit, negative a credit.

    *party* names who the line is for where an account holds several: the member on
    ``customer``, the leader on ``leader_payable``; empty otherwise.
    """

    account: Account
    amount: Money
    party: str = ""

    @property
    def debit(self) -> Money:
        """The debit side of the line (zero for a credit)."""
        return self.amount if self.amount.minor > 0 else Money.zero(self.amount.currency)

    @property
    def credit(self) -> Money:
        """The credit side of the line, as a positive amount (zero for a debit)."""
        return -self.amount if self.amount.minor < 0 else Money.zero(self.amount.currency)


@attrs.frozen
class JournalEntry:
    """A balanced journal entry: its postings sum to zero.

    Args:
        id: ``"<event index>.<n>"``: the event that caused it and its place among that
            event's entries, so the same log always gives the same ids.
        at: the event's ``at``.
        memo: what happened, for people.
        postings: at least two lines in one currency, summing to zero.
        group: the group the entry is about.
        member: the member whose order it is about.

    Raises:
        InvalidInput: ``unbalanced_entry`` or ``currency_mismatch``.
    """

    id: str
    at: datetime
    memo: str
    postings: tuple[Posting, ...]
    group: str = ""
    member: str = ""

    def __attrs_post_init__(self) -> None:
        if len(self.postings) < 2:
            raise InvalidInput(
                "unbalanced_entry", f"entry {self.id} needs at least two postings", entry=self.id
            )
        currency = self.postings[0].amount.currency
        total = 0
        for posting in self.postings:
            if posting.amount.currency != currency:
                raise InvalidInput(
                    "currency_mismatch",
                    f"entry {self.id} mixes {currency} and {posting.amount.currency}",
                    entry=self.id,
                )
            total += posting.amount.minor
        if total:
            raise InvalidInput(
                "unbalanced_entry",
                f"entry {self.id} postings sum to {total} minor units, not zero",
                entry=self.id,
                value=total,
            )

    @classmethod
    def _trusted(
        cls,
        id: str,
        at: datetime,
        memo: str,
        postings: tuple[Posting, ...],
        group: str,
        member: str,
    ) -> JournalEntry:
        # Entries the journal builds balance by construction (the tests check every one):
        # skip the re-check, which would otherwise be a third of the journal's time.
        entry = object.__new__(cls)
        setter = object.__setattr__
        setter(entry, "id", id)
        setter(entry, "at", at)
        setter(entry, "memo", memo)
        setter(entry, "postings", postings)
        setter(entry, "group", group)
        setter(entry, "member", member)
        return entry

    def explain(self) -> str:
        """The entry as a finance reader follows it: debits and credits by account."""
        lines = [f"{self.id}  {self.at.isoformat()}  {self.memo}"]
        for p in self.postings:
            name = p.account.value + (f" ({p.party})" if p.party else "")
            debit = str(p.debit) if p.amount.minor > 0 else ""
            credit = str(p.credit) if p.amount.minor < 0 else ""
            lines.append(f"    {name:<32}{debit:>14}{credit:>14}")
        return "\n".join(lines)


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
        self.openers: dict[str, str] = {}
        self.books: dict[tuple[str, str], _Book] = {}
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
        book = self.book(event.group, event.member)
        minor = self._amount(event.amount)
        if not minor:
            return
        book.refunded += minor
        self.resplit(event.at, event.group, event.member, book)
        memo = f"refund {event.refund_id} to {event.member} ({event.reason.value})"
        self.cash(event.at, event.group, event.member, -minor, memo)

    def nothing(self, event: Any) -> None:
        return None

    def _amount(self, amount: Money) -> int:
        if amount.currency != self.currency:
            raise InvalidInput(
                "currency_mismatch",
                f"event {self.index} moves {amount.currency}, the campaign is in {self.currency}",
                field=f"events[{self.index}].amount",
                value=amount.currency,
            )
        return amount.minor


_Handler = Callable[[_Journal, Any], None]
_JOURNAL: Final[Mapping[type, _Handler]] = {
    GroupOpened: _Journal.opened,
    MemberJoined: _Journal.joined,
    StockReserved: _Journal.nothing,
    StockReleased: _Journal.nothing,
    PaymentReceived: _Journal.received,
    PaymentAuthorised: _Journal.nothing,
    OrderPaid: _Journal.paid,
    PaymentCaptured: _Journal.received,
    AuthorisationReleased: _Journal.nothing,
    OrderCancelled: _Journal.nothing,
    RefundDue: _Journal.refund,
    GroupFormed: _Journal.nothing,
    OrderRepriced: _Journal.repriced,
    GroupFailed: _Journal.nothing,
    WinnersDrawn: _Journal.nothing,
    OrderShipped: _Journal.nothing,
    OrderCompleted: _Journal.nothing,
}


def _unknown_event(index: int, event: object) -> InvalidInput:
    return InvalidInput(
        "unknown_event",
        f"events[{index}] is a {type(event).__name__}, not an event the ledger knows",
        field=f"events[{index}]",
        value=type(event).__name__,
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
    table = _JOURNAL
    for index, event in enumerate(events):
        handler = table.get(type(event))
        if handler is None:
            raise _unknown_event(index, event)
        work.index = index
        work.count = 0
        handler(work, event)
    return tuple(work.entries)


# -- balances ----------------------------------------------------------------------------------


def _currency_of(entries: Sequence[JournalEntry], currency: str | None) -> str:
    if currency is not None:
        return currency
    return entries[0].postings[0].amount.currency if entries else "CNY"


def balances(entries: Iterable[JournalEntry], currency: str | None = None) -> dict[Account, Money]:
    """Every account's balance (debits positive), zero for an account never posted to.

    Args:
        entries: journal entries, all in one currency.
        currency: the currency of the zeros when *entries* is empty; read from the entries
            otherwise.
    """
    items = entries if isinstance(entries, Sequence) else tuple(entries)
    sums = dict.fromkeys(Account, 0)
    for entry in items:
        for posting in entry.postings:
            sums[posting.account] += posting.amount.minor
    code = _currency_of(items, currency)
    return {account: Money._trusted(minor, code) for account, minor in sums.items()}


def party_balances(
    entries: Iterable[JournalEntry],
) -> dict[tuple[Account, str], Money]:
    """Balances by account and party (e.g. each leader's payable, each member's cash)."""
    sums: dict[tuple[Account, str], int] = {}
    currency = "CNY"
    for entry in entries:
        for posting in entry.postings:
            key = (posting.account, posting.party)
            sums[key] = sums.get(key, 0) + posting.amount.minor
            currency = posting.amount.currency
    return {key: Money._trusted(minor, currency) for key, minor in sums.items()}


@attrs.frozen
class TrialBalance:
    """Debit and credit totals per account; balanced when the two columns are equal."""

    rows: tuple[tuple[Account, Money, Money], ...]
    debits: Money
    credits: Money
    entries: int

    @property
    def balanced(self) -> bool:
        """True when total debits equal total credits (the balances sum to zero)."""
        return self.debits == self.credits

    @property
    def total(self) -> Money:
        """Σ balances: zero for a balanced ledger."""
        return self.debits - self.credits

    def explain(self) -> str:
        """The trial balance as a table, with its totals and verdict."""
        lines = [f"{'account':<20}{'debit':>16}{'credit':>16}"]
        for account, debit, credit in self.rows:
            lines.append(f"{account.value:<20}{debit!s:>16}{credit!s:>16}")
        lines.append(f"{'total':<20}{self.debits!s:>16}{self.credits!s:>16}")
        verdict = "balanced" if self.balanced else f"OUT OF BALANCE by {self.total}"
        lines.append(f"{self.entries} entries, {verdict}")
        return "\n".join(lines)


def trial_balance(entries: Iterable[JournalEntry], currency: str | None = None) -> TrialBalance:
    """The trial balance of *entries*: each account's balance on its debit or credit side."""
    items = entries if isinstance(entries, Sequence) else tuple(entries)
    sums = balances(items, currency)
    code = _currency_of(items, currency)
    zero = Money.zero(code)
    rows = tuple(
        (account, amount if amount.minor > 0 else zero, -amount if amount.minor < 0 else zero)
        for account, amount in sums.items()
    )
    debits = Money._trusted(sum(r[1].minor for r in rows), code)
    credits = Money._trusted(sum(r[2].minor for r in rows), code)
    return TrialBalance(rows, debits, credits, len(items))
