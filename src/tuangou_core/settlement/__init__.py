"""Settlement: the commission split (分账) of each order, the double-entry ledger, the audit.

:func:`split_order` divides one order's net cash among processor, platform, leader and merchant
exactly as the scenario contract says. :func:`journal` turns a campaign's events into balanced
journal entries over the chart of :class:`Account` s, in standard double entry: every posting a
debit or a credit (:class:`Side`) of a positive amount, every entry's debits equal to its
credits, every account with its normal side (assets and expenses debit-normal, liabilities and
revenue credit-normal). :func:`balances` and :func:`trial_balance` read the entries.

After every prefix of every log: each entry balances, the trial balance's debit and credit
columns are equal, and the cash in ``payment_clearing`` equals what the credit-normal accounts
hold less the platform's subsidy (:func:`holdings`).

:func:`audit` recomputes every balance from the same events with its own arithmetic, sharing
no code with the journal or the split, and :func:`reconcile` names every account on which the
two disagree.
"""

from __future__ import annotations

from tuangou_core.settlement._accounts import (
    HOLDERS,
    Account,
    AccountType,
    JournalEntry,
    Posting,
    Side,
)
from tuangou_core.settlement._audit import Difference, audit, reconcile
from tuangou_core.settlement._balances import (
    Balance,
    TrialBalance,
    balances,
    holdings,
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
from tuangou_core.settlement._journal import journal, journal_trial_balance

__all__ = [
    "HOLDERS",
    "PARTS",
    "Account",
    "AccountType",
    "Balance",
    "Difference",
    "JournalEntry",
    "Posting",
    "Side",
    "Split",
    "TrialBalance",
    "audit",
    "balances",
    "clawback",
    "holdings",
    "journal",
    "journal_trial_balance",
    "party_balances",
    "reconcile",
    "split_order",
    "standing_subsidy",
    "total_split",
    "trial_balance",
]
