"""Balances and the trial balance of a set of journal entries, in one currency.

Sums over many entries may pass the bound of one amount, so balances are carried in plain
minor units and printed exactly (:func:`~tuangou_core.money.format_minor`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Final

import attrs

from tuangou_core.errors import InvalidInput
from tuangou_core.money import Currency, format_minor
from tuangou_core.settlement._accounts import Account, JournalEntry, Side


@attrs.frozen
class Balance:
    """An account's debits and credits, in minor units, and the balance they leave.

    ``amount`` is the balance on the account's normal side (positive when it sits where an
    accountant expects it, negative when against it); ``side`` where it actually sits.
    """

    account: Account
    debits: int
    credits: int
    currency: str

    @property
    def amount(self) -> int:
        """The balance on the account's normal side, in minor units."""
        if self.account.normal is Side.DEBIT:
            return self.debits - self.credits
        return self.credits - self.debits

    @property
    def side(self) -> Side:
        """The side the balance sits on (the normal side for a zero balance)."""
        if self.debits == self.credits:
            return self.account.normal
        return Side.DEBIT if self.debits > self.credits else Side.CREDIT

    def text(self) -> str:
        """The balance for people: the amount and its side, ``"110.00 Dr"``."""
        size = format_minor(abs(self.debits - self.credits), self.currency)
        return f"{size} {'Dr' if self.side is Side.DEBIT else 'Cr'}"


def _entries(entries: Iterable[JournalEntry]) -> Sequence[JournalEntry]:
    items = entries if isinstance(entries, Sequence) else tuple(entries)
    for index, entry in enumerate(items):
        if not isinstance(entry, JournalEntry):
            raise InvalidInput(
                "invalid_entry",
                f"entries[{index}] is a {type(entry).__name__}, not a JournalEntry",
                field=f"entries[{index}]",
            )
    return items


def _currency(entries: Sequence[JournalEntry], currency: str | None) -> str:
    code = Currency.of(currency).code if currency is not None else None
    for entry in entries:
        for posting in entry.postings:
            found = posting.amount.currency
            if code is None:
                code = found
            elif found != code:
                raise InvalidInput(
                    "currency_mismatch",
                    f"entry {entry.id} is in {found}, the journal in {code}: one currency a "
                    "journal",
                    entry=entry.id,
                    value=found,
                )
    return code or "CNY"


def balances(
    entries: Iterable[JournalEntry], currency: str | None = None
) -> dict[Account, Balance]:
    """Every account's debits, credits and balance (zero for an account never posted to).

    Args:
        entries: journal entries, all in one currency.
        currency: the journal's currency; read from the entries when None (``CNY`` for none).

    Raises:
        InvalidInput: ``currency_mismatch`` for entries in two currencies (or not in
            *currency*), ``invalid_entry`` for an item that is not an entry.
    """
    return _tally(_entries(entries), currency)[0]


def _tally(
    items: Sequence[JournalEntry], currency: str | None
) -> tuple[dict[Account, Balance], tuple[str, ...]]:
    # One pass over the postings: each account's debits and credits, the currency checked,
    # and the ids of entries whose own debits and credits differ.
    code = Currency.of(currency).code if currency is not None else None
    debits = dict.fromkeys(Account, 0)
    credits = dict.fromkeys(Account, 0)
    unbalanced: list[str] = []
    for entry in items:
        gap = 0
        for posting in entry.postings:
            amount = posting.amount
            if amount.currency != code:
                if code is not None:
                    raise InvalidInput(
                        "currency_mismatch",
                        f"entry {entry.id} is in {amount.currency}, the journal in {code}: one "
                        "currency a journal",
                        entry=entry.id,
                        value=amount.currency,
                    )
                code = amount.currency
            if posting.side is Side.DEBIT:
                debits[posting.account] += amount.minor
                gap += amount.minor
            else:
                credits[posting.account] += amount.minor
                gap -= amount.minor
        if gap:
            unbalanced.append(entry.id)
    code = code or "CNY"
    sums = {a: Balance(a, debits[a], credits[a], code) for a in Account}
    return sums, tuple(unbalanced)


def party_balances(
    entries: Iterable[JournalEntry], currency: str | None = None
) -> dict[tuple[Account, str], Balance]:
    """Balances by account and party (each leader's payable, each member's cash and points).

    Raises:
        InvalidInput: as :func:`balances`.
    """
    items = _entries(entries)
    code = _currency(items, currency)
    sums: dict[tuple[Account, str], list[int]] = {}
    for entry in items:
        for posting in entry.postings:
            found = sums.setdefault((posting.account, posting.party), [0, 0])
            found[0 if posting.side is Side.DEBIT else 1] += posting.amount.minor
    return {key: Balance(key[0], d, c, code) for key, (d, c) in sums.items()}


@attrs.frozen
class TrialBalance:
    """Each account's balance in the debit or the credit column, the two columns' totals,
    and the entries whose own debits and credits differ (none in a sound journal)."""

    rows: tuple[Balance, ...]
    debits: int
    credits: int
    entries: int
    currency: str
    unbalanced: tuple[str, ...] = ()

    @property
    def balanced(self) -> bool:
        """True when the debit column equals the credit column and every entry balances."""
        return self.debits == self.credits and not self.unbalanced

    def explain(self) -> str:
        """The trial balance as a table, with its totals and verdict."""

        def money(minor: int) -> str:
            return format_minor(minor, self.currency)

        lines = [f"{'account':<20}{'type':<11}{'debit':>16}{'credit':>16}"]
        for row in self.rows:
            net = row.debits - row.credits
            debit = money(net) if net > 0 else ""
            credit = money(-net) if net < 0 else ""
            lines.append(
                f"{row.account.value:<20}{row.account.type.value:<11}{debit:>16}{credit:>16}"
            )
        lines.append(f"{'total':<31}{money(self.debits):>16}{money(self.credits):>16}")
        verdict = (
            "balanced"
            if self.balanced
            else f"OUT OF BALANCE by {money(self.debits - self.credits)}"
        )
        lines.append(f"{self.entries} entries, {verdict}")
        return "\n".join(lines)


def trial_balance(entries: Iterable[JournalEntry], currency: str | None = None) -> TrialBalance:
    """The trial balance of *entries*.

    Each account's net sits in its debit column (debits above credits) or its credit column;
    the two columns are summed separately, from the postings' own sides, and compared.

    Raises:
        InvalidInput: as :func:`balances`.
    """
    items = _entries(entries)
    sums, unbalanced = _tally(items, currency)
    return _trial(tuple(sums.values()), len(items), unbalanced)


def _trial(rows: tuple[Balance, ...], entries: int, unbalanced: tuple[str, ...]) -> TrialBalance:
    debit_column = sum(r.debits - r.credits for r in rows if r.debits > r.credits)
    credit_column = sum(r.credits - r.debits for r in rows if r.credits > r.debits)
    return TrialBalance(rows, debit_column, credit_column, entries, rows[0].currency, unbalanced)


_DEBIT: Final = Side.DEBIT

Line = tuple[Account, Side, int, str]
"""A posting not yet built: account, side, minor units (in the journal's currency), party."""


class TrialTally:
    """A trial balance summed as entries are made, so that they need not be kept (private to
    the settlement stage: the journal feeds it the lines of its entries, in *currency*)."""

    __slots__ = ("credits", "currency", "debits", "entries")

    def __init__(self, currency: str) -> None:
        self.currency = currency
        self.debits = dict.fromkeys(Account, 0)
        self.credits = dict.fromkeys(Account, 0)
        self.entries = 0

    def post(self, lines: Sequence[Line]) -> bool:
        """Count one entry's *lines* in; False, counting nothing, when they would not make a
        sound entry (fewer than two, an amount not positive, debits unequal to credits)."""
        gap = 0
        debit = _DEBIT
        for _account, side, minor, _party in lines:
            if minor <= 0:
                return False
            gap += minor if side is debit else -minor
        if gap or len(lines) < 2:
            return False
        debits, credits = self.debits, self.credits
        for account, side, minor, _party in lines:
            if side is debit:
                debits[account] += minor
            else:
                credits[account] += minor
        self.entries += 1
        return True

    def trial_balance(self) -> TrialBalance:
        """The trial balance of the entries counted in."""
        code = self.currency
        rows = tuple(Balance(a, self.debits[a], self.credits[a], code) for a in Account)
        return _trial(rows, self.entries, ())


def holdings(sums: Mapping[Account, Balance]) -> tuple[int, int]:
    """``(cash held, what holds it)``: payment clearing's balance, and the credit-normal
    accounts less the platform's subsidy. Equal in every sound journal."""
    cash = sums[Account.PAYMENT_CLEARING].amount
    held = sum(b.amount for a, b in sums.items() if a.normal is Side.CREDIT)
    return cash, held - sums[Account.PLATFORM_SUBSIDY].amount
