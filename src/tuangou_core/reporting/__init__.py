"""Reporting: the statement finance reads, the audit trail, and the operator metrics.

:func:`statement_of` builds a :class:`Statement` from a run's steps and final state: its JSON
form (:meth:`Statement.to_data`) is the contract of ``shared/SCENARIO.md`` key for key, its
text form (:meth:`Statement.text`) the same figures as tables. :func:`explain` prints each
command with the events it caused and the money each moved.

The metrics are pure functions of an event log, the same log the ledger reads. Rates are exact
:class:`~tuangou_core.money.Rate` values, never floats; durations are
:class:`~datetime.timedelta`; amounts are :class:`~tuangou_core.money.Money` in the report's
currency.

Definitions (docs/metrics.md has the worked example):

- An *order* is one member in one group, ``(group, member)``.
- *Success rate* = formed / (formed + failed). Groups still open are excluded: their outcome
  is not known yet.
- *Time to form* runs from ``GroupOpened.at`` to the moment the group formed: the
  ``GroupFormed.due`` instant when the deadline formed it (a tiered or virtual group noticed
  late), otherwise ``GroupFormed.at``. Only groups whose opening is in the log count.
  Percentiles are *nearest-rank*: the p-th percentile of n sorted values is the value at
  1-based rank ⌈p·n⌉, so the median of an even count is the lower middle value and every
  reported time is one a group really took.
- *Formed within 24 h* = formed groups whose time to form is at most 24 h / formed groups with
  a known time to form.
- *Fission coefficient* (拼团裂变系数) = joiners / groups opened: each opening is one share
  of the group, and each joiner an order it brought. A member who joins two groups counts
  twice. Whether a joiner is new to the platform is not in the events.
- *Funnel*, in orders: ``opened`` (openers' orders, one per group) → ``joined`` (all orders,
  openers included) → ``paid`` (orders with ``OrderPaid``) → ``formed`` (paid orders of groups
  that formed, not withdrawn before and not lottery losers) → ``shipped``.
- *GMV* is cash paid (``PaymentReceived`` plus ``PaymentCaptured``), *refunded* is every
  ``RefundDue``, *net* = GMV − refunded, *refund rate* = refunded / GMV.
- A rate whose denominator is zero is ``None`` (undefined), not 0%: an empty log has no
  success rate rather than a failing one. Counts and amounts of an empty log are zero.
"""

from __future__ import annotations

from tuangou_core._text import display_width, text_table
from tuangou_core.reporting._explain import explain
from tuangou_core.reporting._facts import GroupFacts, LogFacts, OrderFacts, OrderKey, log_facts
from tuangou_core.reporting._journal_output import (
    JOURNAL_COLUMNS,
    journal_csv,
    journal_rows,
    journal_text,
)
from tuangou_core.reporting._metrics import (
    FORMATION_TARGET_WINDOW,
    FORMED_WITHIN_24H_TARGET,
    HEALTHY_SUCCESS_RATE,
    REFERENCE_SUCCESS_RATES,
    FunnelStep,
    InviteEntry,
    LeaderPerformance,
    Metrics,
    fission_coefficient,
    formed_within,
    funnel,
    invite_leaderboard,
    leader_performance,
    metrics_output,
    money_totals,
    nearest_rank,
    refund_rate,
    report,
    success_rate,
    time_to_form,
)
from tuangou_core.reporting._records import (
    AT_ONCE,
    EVENT_COLUMNS,
    JOURNAL_RECORD_COLUMNS,
    REFUND_COLUMNS,
    event_records,
    journal_records,
    refund_records,
)
from tuangou_core.reporting._statement import (
    SCHEMA,
    STATEMENT_COLUMNS,
    GroupLine,
    LeaderLine,
    OrderLine,
    Rejection,
    Statement,
    UnmatchedLine,
    statement_of,
)
from tuangou_core.reporting._totals import SplitTotal, Total

__all__ = [
    "AT_ONCE",
    "EVENT_COLUMNS",
    "FORMATION_TARGET_WINDOW",
    "FORMED_WITHIN_24H_TARGET",
    "HEALTHY_SUCCESS_RATE",
    "JOURNAL_COLUMNS",
    "JOURNAL_RECORD_COLUMNS",
    "REFERENCE_SUCCESS_RATES",
    "REFUND_COLUMNS",
    "SCHEMA",
    "STATEMENT_COLUMNS",
    "FunnelStep",
    "GroupFacts",
    "GroupLine",
    "InviteEntry",
    "LeaderLine",
    "LeaderPerformance",
    "LogFacts",
    "Metrics",
    "OrderFacts",
    "OrderKey",
    "OrderLine",
    "Rejection",
    "SplitTotal",
    "Statement",
    "Total",
    "UnmatchedLine",
    "display_width",
    "event_records",
    "explain",
    "fission_coefficient",
    "formed_within",
    "funnel",
    "invite_leaderboard",
    "journal_csv",
    "journal_records",
    "journal_rows",
    "journal_text",
    "leader_performance",
    "log_facts",
    "metrics_output",
    "money_totals",
    "nearest_rank",
    "refund_rate",
    "refund_records",
    "report",
    "statement_of",
    "success_rate",
    "text_table",
    "time_to_form",
]
