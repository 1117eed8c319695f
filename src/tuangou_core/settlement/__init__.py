"""Settlement: the commission split (分账) of each order, the double-entry ledger, the audit.

:func:`split_order` divides one order's net cash among processor, platform, leader and merchant
exactly as the scenario contract says. :func:`journal` turns a campaign's events into balanced
journal entries over named :class:`Account` s. Amounts are signed: a posting's amount is
positive for a debit and negative for a credit, and every entry's postings sum to zero.

Consequences that hold after every prefix of every log: each entry balances, the trial balance
sums to zero, and ``−customer`` (what customers paid minus what they were refunded) equals
``processor_fees + platform_revenue + platform_subsidy + leader_payable + merchant_payable``.

:func:`audit` recomputes the balances from the same events with its own plain integer
arithmetic, sharing nothing with :func:`journal` but the split formula, and :func:`reconcile`
lists where the two disagree.
"""

from __future__ import annotations

from tuangou_core.settlement._accounts import HOLDERS, Account, JournalEntry, Posting
from tuangou_core.settlement._audit import Difference, audit, reconcile
from tuangou_core.settlement._balances import (
    TrialBalance,
    balances,
    party_balances,
    trial_balance,
)
from tuangou_core.settlement._commission import (
    PARTS,
    Split,
    clawback,
    split_order,
    standing_subsidy,
    total_split,
)
from tuangou_core.settlement._journal import journal

__all__ = [
    "HOLDERS",
    "PARTS",
    "Account",
    "Difference",
    "JournalEntry",
    "Posting",
    "Split",
    "TrialBalance",
    "audit",
    "balances",
    "clawback",
    "journal",
    "party_balances",
    "reconcile",
    "split_order",
    "standing_subsidy",
    "total_split",
    "trial_balance",
]
