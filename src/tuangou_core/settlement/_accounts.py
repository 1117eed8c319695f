"""The chart of accounts, and the postings and journal entries booked over it."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Final

import attrs

from tuangou_core._text import pad
from tuangou_core.errors import InvalidInput
from tuangou_core.money import Money


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
    REFUNDS_PAYABLE = "refunds_payable"  # money owed back, not yet sent (a payment naming no order)


HOLDERS: Final = (
    Account.PROCESSOR_FEES,
    Account.PLATFORM_REVENUE,
    Account.PLATFORM_SUBSIDY,
    Account.LEADER_PAYABLE,
    Account.MERCHANT_PAYABLE,
    Account.REFUNDS_PAYABLE,
)
"""The accounts that hold the customers' net cash: the split's parts, and what is owed back."""


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
            lines.append(f"    {pad(name, 32)}{debit:>14}{credit:>14}")
        return "\n".join(lines)
