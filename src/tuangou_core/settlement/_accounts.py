"""The chart of accounts, and the postings and journal entries booked over it.

The ledger is the marketplace operator's books of the money that passes through a campaign,
in standard double entry: every posting is a debit or a credit of a positive amount, every
entry's debits equal its credits, and each account has its normal side — assets and expenses
debit-normal, liabilities and revenue credit-normal — so every balance prints as a positive
amount on its normal side, the way an accountant reads a trial balance.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Final

import attrs

from tuangou_core._text import pad
from tuangou_core.errors import InvalidInput
from tuangou_core.money import Money


class Side(enum.Enum):
    """The side of a posting or of a balance."""

    DEBIT = "debit"
    CREDIT = "credit"

    # Members are singletons compared by identity, so identity is a sound hash; Enum's own
    # __hash__ is Python code, and the journal hashes sides and accounts millions of times.
    __hash__ = object.__hash__


class AccountType(enum.Enum):
    """What an account is, which fixes its normal side."""

    ASSET = "asset"
    EXPENSE = "expense"
    LIABILITY = "liability"
    REVENUE = "revenue"

    @property
    def normal(self) -> Side:
        """Debit for assets and expenses, credit for liabilities and revenue."""
        return Side.DEBIT if self in (AccountType.ASSET, AccountType.EXPENSE) else Side.CREDIT


class Account(enum.Enum):
    """The chart of accounts (docs/settlement.md explains each with a worked payment)."""

    PAYMENT_CLEARING = "payment_clearing"  # asset: customers' cash held at the processor
    PLATFORM_SUBSIDY = "platform_subsidy"  # expense: platform-funded discounts it pays
    MERCHANT_PAYABLE = "merchant_payable"  # liability: owed to the merchant, the residual
    LEADER_PAYABLE = "leader_payable"  # liability: owed to the leader (one level), by leader
    PROCESSOR_FEES = "processor_fees"  # liability: the processor's fee, withheld at settlement
    REFUNDS_PAYABLE = "refunds_payable"  # liability: owed back to customers, not yet paid
    POINTS_LIABILITY = "points_liability"  # liability: member points standing, at their value
    PLATFORM_REVENUE = "platform_revenue"  # revenue: the platform's take on the base

    __hash__ = object.__hash__  # as Side's: identity, at C speed

    @property
    def type(self) -> AccountType:
        """What the account is: asset, expense, liability or revenue."""
        return _TYPES[self]

    @property
    def normal(self) -> Side:
        """The side its balance normally sits on."""
        return _TYPES[self].normal


_TYPES: Final = {
    Account.PAYMENT_CLEARING: AccountType.ASSET,
    Account.PLATFORM_SUBSIDY: AccountType.EXPENSE,
    Account.MERCHANT_PAYABLE: AccountType.LIABILITY,
    Account.LEADER_PAYABLE: AccountType.LIABILITY,
    Account.PROCESSOR_FEES: AccountType.LIABILITY,
    Account.REFUNDS_PAYABLE: AccountType.LIABILITY,
    Account.POINTS_LIABILITY: AccountType.LIABILITY,
    Account.PLATFORM_REVENUE: AccountType.REVENUE,
}

HOLDERS: Final = (
    Account.PROCESSOR_FEES,
    Account.PLATFORM_REVENUE,
    Account.LEADER_PAYABLE,
    Account.MERCHANT_PAYABLE,
    Account.REFUNDS_PAYABLE,
    Account.POINTS_LIABILITY,
)
"""The credit-normal accounts that hold the customers' net cash. With the platform's subsidy
(an expense) taken off, they sum to the cash in payment clearing."""


@attrs.frozen
class Posting:
    """One line of an entry: a positive *amount* debited or credited to *account*.

    *party* names who the line is for where an account holds several: the member on
    ``payment_clearing`` and ``refunds_payable``, the leader on ``leader_payable``, the member
    on ``points_liability``; empty otherwise.

    Raises:
        InvalidInput: ``invalid_posting`` for an amount that is not a positive Money, an
            account or side of the wrong type.
    """

    account: Account
    side: Side
    amount: Money
    party: str = ""

    def __attrs_post_init__(self) -> None:
        if type(self.account) is not Account or type(self.side) is not Side:
            raise InvalidInput(
                "invalid_posting", "a posting names an Account and a Side", value=self.account
            )
        if type(self.amount) is not Money or self.amount.minor <= 0:
            raise InvalidInput(
                "invalid_posting",
                f"a posting's amount is positive Money, got {self.amount!r}",
                value=repr(self.amount),
            )

    @property
    def debit(self) -> int:
        """The debit in minor units (zero for a credit)."""
        return self.amount.minor if self.side is Side.DEBIT else 0

    @property
    def credit(self) -> int:
        """The credit in minor units (zero for a debit)."""
        return self.amount.minor if self.side is Side.CREDIT else 0


@attrs.frozen
class JournalEntry:
    """A balanced journal entry: its debits equal its credits, in one currency.

    Args:
        id: ``"<event index>.<n>"``: the event that caused it and its place among that
            event's entries, so the same log always gives the same ids.
        event: the index of the event in the log.
        at: the event's ``at``.
        memo: what happened and by which rule, for people.
        postings: at least two lines in one currency; debits equal credits.
        group: the group the entry is about.
        member: the member whose order it is about.

    Raises:
        InvalidInput: ``unbalanced_entry`` or ``currency_mismatch``.
    """

    id: str
    event: int
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
        # One pass: this runs for every entry the journal books.
        currency = self.postings[0].amount.currency
        balance = 0
        for posting in self.postings:
            amount = posting.amount
            if amount.currency != currency:
                raise InvalidInput(
                    "currency_mismatch",
                    f"entry {self.id} mixes {currency} and {amount.currency}",
                    entry=self.id,
                )
            balance += amount.minor if posting.side is Side.DEBIT else -amount.minor
        if balance:
            debits, credits = self.debits, self.credits
            raise InvalidInput(
                "unbalanced_entry",
                f"entry {self.id} debits {debits} and credits {credits} minor units",
                entry=self.id,
                value=debits - credits,
            )

    @property
    def currency(self) -> str:
        """The entry's currency."""
        return self.postings[0].amount.currency

    @property
    def debits(self) -> int:
        """The entry's debits, in minor units."""
        return sum(p.amount.minor for p in self.postings if p.side is Side.DEBIT)

    @property
    def credits(self) -> int:
        """The entry's credits, in minor units."""
        return sum(p.amount.minor for p in self.postings if p.side is Side.CREDIT)

    def explain(self) -> str:
        """The entry as a finance reader follows it: debits and credits by account."""
        lines = [f"{self.id}  {self.at.isoformat()}  {self.memo}"]
        for p in self.postings:
            name = p.account.value + (f" ({p.party})" if p.party else "")
            debit = str(p.amount) if p.side is Side.DEBIT else ""
            credit = str(p.amount) if p.side is Side.CREDIT else ""
            lines.append(f"    {pad(name, 34)}{debit:>14}{credit:>14}")
        return "\n".join(lines)
