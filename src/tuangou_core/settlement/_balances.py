"""Balances and the trial balance of a set of journal entries."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import attrs

from tuangou_core.money import Money
from tuangou_core.settlement._accounts import Account, JournalEntry

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
