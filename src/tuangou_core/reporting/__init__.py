"""Reporting: the statement finance reads, the audit trail, and the operator metrics.

:func:`statement_of` builds a :class:`Statement` from a run's steps and final state: its JSON
form (:meth:`Statement.to_data`) is the contract of ``shared/SCENARIO.md`` key for key, its
text form (:meth:`Statement.text`) the same figures as tables. :func:`explain` prints each
command with the events it caused and the money each moved.

The metrics are pure functions of an event log, the same log the ledger reads. Rates are exact
:class:`~tuangou_core.money.Rate` values, never floats; durations are
:class:`~datetime.timedelta`; amounts are :class:`~tuangou_core.money.Money` in the report's
currency.

Every metric is read off :class:`MetricCounts`: counts and sums that add across campaigns
(``a + b``, :func:`combine`), medians from a :class:`TimeHistogram` of whole minutes.
docs/metrics.md defines each figure with its formula and works an example by hand. In short:

- *Success rate* (成团率) = groups formed by real members / closed groups (formed, virtually
  completed or failed); open groups are left out; virtual completions (模拟成团) are a rate
  of their own, never success.
- *Funnels*, one unit each: groups opened → formed; orders joined → paid → formed → shipped.
- *Fission* (裂变系数) = joins that named an inviter / shares (each opening, and each other
  member named as an inviter in a group).
- *GMV* is the orders' own cash; stray payments (duplicate, late, mismatched, naming no
  order), all sent straight back, are reported apart; *refunded* is the orders' refunds;
  *net* = GMV − refunded, the statement's net; *refund rate* = refunded / GMV.
- A rate whose denominator is zero is ``None`` (undefined), not 0%.

Records (``to_records``) follow one convention: amounts as ``*_minor`` ints and exact
``Decimal`` s beside a ``currency`` column, instants as UTC datetimes, stable columns
(``*_COLUMNS``); ``to_frame()`` makes the pandas frame (the ``[pandas]`` extra).
"""

from __future__ import annotations

from tuangou_core._text import display_width, text_table
from tuangou_core.reporting._counts import (
    InviteEntry,
    LeaderPerformance,
    MetricCounts,
    TimeHistogram,
    count,
)
from tuangou_core.reporting._explain import explain
from tuangou_core.reporting._facts import GroupFacts, LogFacts, OrderFacts, OrderKey, log_facts
from tuangou_core.reporting._journal_output import (
    JOURNAL_COLUMNS,
    journal_csv,
    journal_rows,
    journal_text,
)
from tuangou_core.reporting._metrics import (
    FunnelStep,
    Metrics,
    combine,
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
from tuangou_core.reporting._metrics_output import HEALTHY_TEXT, METRIC_COLUMNS
from tuangou_core.reporting._records import (
    AT_ONCE,
    EVENT_COLUMNS,
    JOURNAL_RECORD_COLUMNS,
    REFUND_COLUMNS,
    event_records,
    journal_records,
    refund_records,
)
from tuangou_core.reporting._reference import (
    FORMATION_TARGET_WINDOW,
    FORMED_WITHIN_24H_TARGET,
    HEALTHY_SUCCESS_RATE,
    REFERENCE_SUCCESS_RATES,
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
    "HEALTHY_TEXT",
    "JOURNAL_COLUMNS",
    "JOURNAL_RECORD_COLUMNS",
    "METRIC_COLUMNS",
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
    "MetricCounts",
    "Metrics",
    "OrderFacts",
    "OrderKey",
    "OrderLine",
    "Rejection",
    "SplitTotal",
    "Statement",
    "TimeHistogram",
    "Total",
    "UnmatchedLine",
    "combine",
    "count",
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
