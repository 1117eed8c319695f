"""The operator metrics over an event log, each defined in docs/metrics.md with its formula.

Every figure is read off a :class:`~tuangou_core.reporting.MetricCounts` (counts and sums that
add across campaigns), so :func:`combine` reports many campaigns at once exactly.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import timedelta
from fractions import Fraction
from math import ceil
from typing import Any

import attrs

from tuangou_core._records import Records
from tuangou_core.errors import InvalidInput
from tuangou_core.group import Event
from tuangou_core.money import Money, Rate
from tuangou_core.reporting._counts import InviteEntry, LeaderPerformance, MetricCounts, count
from tuangou_core.reporting._facts import LogFacts, log_facts
from tuangou_core.reporting._metrics_output import metric_records, metrics_data, metrics_text
from tuangou_core.reporting._reference import (
    FORMATION_TARGET_WINDOW,
    FORMED_WITHIN_24H_TARGET,
    HEALTHY_SUCCESS_RATE,
)


def _rate(numerator: int, denominator: int) -> Rate | None:
    return None if denominator == 0 else Rate(Fraction(numerator, denominator))


def _counts(events: Iterable[Event] | LogFacts | MetricCounts, currency: str) -> MetricCounts:
    if isinstance(events, MetricCounts):
        return events
    return count(events if isinstance(events, LogFacts) else log_facts(events, currency))


Source = Iterable[Event] | LogFacts | MetricCounts
"""What a figure is read from: a log, a log folded by ``log_facts``, or counts."""


@attrs.frozen
class FunnelStep:
    """One stage of a funnel: how many *unit* (groups or orders) reached it, and the share of
    the stage before it that did (None for the first stage, or after an empty one)."""

    unit: str
    stage: str
    count: int
    conversion: Rate | None


def _steps(unit: str, counts: Sequence[tuple[str, int]]) -> tuple[FunnelStep, ...]:
    steps = []
    before: int | None = None
    for stage, n in counts:
        steps.append(FunnelStep(unit, stage, n, None if before is None else _rate(n, before)))
        before = n
    return tuple(steps)


@attrs.frozen
class Metrics:
    """Every figure of one log, or of many added together (:func:`combine`); build it with
    :func:`report`. Each figure is a property read off :attr:`counts` (docs/metrics.md)."""

    counts: MetricCounts
    top: int = 10

    @property
    def currency(self) -> str:
        """The currency of every amount."""
        return self.counts.currency

    @property
    def closed(self) -> int:
        """Groups whose outcome is known: formed (really or virtually) or failed."""
        c = self.counts
        return c.groups_formed + c.groups_formed_virtual + c.groups_failed

    @property
    def success_rate(self) -> Rate | None:
        """成团率 of real groups: formed by real members / closed groups."""
        return _rate(self.counts.groups_formed, self.closed)

    @property
    def virtual_rate(self) -> Rate | None:
        """Virtual completions (模拟成团) / closed groups, reported apart from success."""
        return _rate(self.counts.groups_formed_virtual, self.closed)

    @property
    def success_rate_healthy(self) -> bool | None:
        """Whether the success rate lies in :data:`HEALTHY_SUCCESS_RATE`; None if undefined."""
        if self.success_rate is None:
            return None
        low, high = HEALTHY_SUCCESS_RATE
        return low <= self.success_rate <= high

    @property
    def time_to_form_median(self) -> timedelta | None:
        """The nearest-rank median time to form of real formations, to the minute."""
        return self.counts.formation.percentile(Fraction(1, 2))

    @property
    def time_to_form_p90(self) -> timedelta | None:
        """The nearest-rank 90th percentile time to form of real formations."""
        return self.counts.formation.percentile(Fraction(9, 10))

    @property
    def formed_within_24h(self) -> Rate | None:
        """Real formations within 24 h / real formations with a known time."""
        histogram = self.counts.formation
        return _rate(histogram.within(FORMATION_TARGET_WINDOW), histogram.total)

    @property
    def formed_within_24h_on_target(self) -> bool | None:
        """Whether more than :data:`FORMED_WITHIN_24H_TARGET` formed within 24 h."""
        if self.formed_within_24h is None:
            return None
        return self.formed_within_24h > FORMED_WITHIN_24H_TARGET

    @property
    def fission(self) -> Rate | None:
        """裂变系数: joins an invite brought / shares (openings and re-sharing inviters)."""
        return _rate(self.counts.invited_joins, self.counts.shares)

    @property
    def invited_share(self) -> Rate | None:
        """Joins that named an inviter / all joins: how much of the log the fission covers."""
        return _rate(self.counts.invited_joins, self.counts.joins)

    @property
    def invite_conversion(self) -> Rate | None:
        """Invited joins that paid / invited joins."""
        return _rate(self.counts.invited_paid, self.counts.invited_joins)

    @property
    def group_funnel(self) -> tuple[FunnelStep, ...]:
        """Groups: opened → formed (by real members; virtual completions apart)."""
        c = self.counts
        return _steps("groups", (("opened", c.groups_opened), ("formed", c.groups_formed)))

    @property
    def order_funnel(self) -> tuple[FunnelStep, ...]:
        """Orders: joined → paid → formed → shipped."""
        c = self.counts
        return _steps(
            "orders",
            (
                ("joined", c.orders_joined),
                ("paid", c.orders_paid),
                ("formed", c.orders_formed),
                ("shipped", c.orders_shipped),
            ),
        )

    @property
    def gmv(self) -> Money:
        """GMV of orders: the cash orders kept paid, stray payments left out."""
        return Money(self.counts.gmv_minor, self.currency)

    @property
    def refunded(self) -> Money:
        """The orders' refunds (failed groups, cancels, lottery losses, tier differences,
        after-sales, overdue draws); stray payments sent back are not refunds."""
        return Money(self.counts.refunded_minor, self.currency)

    @property
    def net(self) -> Money:
        """GMV − refunded: the cash the orders keep (the statement's net)."""
        return Money(self.counts.gmv_minor - self.counts.refunded_minor, self.currency)

    @property
    def refund_rate(self) -> Rate | None:
        """Refunded / GMV."""
        return _rate(self.counts.refunded_minor, self.counts.gmv_minor)

    @property
    def refunds_by_reason(self) -> tuple[tuple[str, Money], ...]:
        """The orders' refunds by reason, sorted by reason."""
        return tuple((reason, Money(minor, self.currency)) for reason, minor in self.counts.refunds)

    @property
    def stray(self) -> Money:
        """Cash of stray payments (duplicate, late, mismatched, naming no order), every one of
        them sent straight back: reported apart, never in GMV or the refund rate."""
        return Money(self.counts.stray_minor, self.currency)

    @property
    def leaders(self) -> tuple[LeaderPerformance, ...]:
        """Per opener, sorted by id."""
        return self.counts.leaders

    @property
    def invites(self) -> tuple[InviteEntry, ...]:
        """The :attr:`top` inviters by joins brought, most first, ties by id."""
        ranked = sorted(self.counts.inviters, key=lambda e: (-e.joins, e.inviter))
        return tuple(ranked[: self.top])

    def __add__(self, other: Metrics) -> Metrics:
        if not isinstance(other, Metrics):
            raise InvalidInput("invalid_reports", "only Metrics add to Metrics", field="other")
        return Metrics(self.counts + other.counts, self.top)

    def to_data(self) -> dict[str, Any]:
        """JSON-safe values (docs/metrics.md): rates as exact strings, times in seconds."""
        return metrics_data(self)

    def text(self) -> str:
        """A readable summary for a person, with the seeds' healthy ranges beside."""
        return metrics_text(self)

    def to_records(self) -> Records:
        """One record per figure (``METRIC_COLUMNS``), for a DataFrame or a CSV."""
        return metric_records(self)

    def to_frame(self) -> Any:
        """:meth:`to_records` as a ``pandas.DataFrame`` (the ``[pandas]`` extra).

        Raises:
            InvalidInput: ``missing_extra`` when pandas is not installed.
        """
        return self.to_records().to_frame()


def _top(top: object) -> int:
    if type(top) is not int or top < 1:
        raise InvalidInput(
            "invalid_top", f"top must be a whole number of at least 1, got {top!r}", value=top
        )
    return top


def report(events: Iterable[Event] | LogFacts, *, currency: str = "CNY", top: int = 10) -> Metrics:
    """Every metric of *events* at once (the log is folded once).

    Args:
        events: the log, in time order (or a ``LogFacts`` of it).
        currency: the currency of every amount in the log.
        top: how many inviters the invite leaderboard lists.

    Raises:
        InvalidInput: ``unknown_event``, ``currency_mismatch``, ``unknown_currency``,
            ``invalid_top``.
    """
    return Metrics(_counts(events, currency), _top(top))


def combine(reports: Iterable[Metrics], *, top: int | None = None) -> Metrics:
    """The metrics of many logs together (a day of campaigns): their counts added.

    Args:
        reports: at least one :class:`Metrics`, all in one currency.
        top: the leaderboard length; the first report's by default.

    Raises:
        InvalidInput: ``invalid_reports`` for an empty list, a non-Metrics or mixed
            currencies; ``invalid_top``.
    """
    found = list(reports)
    if not found or not all(isinstance(m, Metrics) for m in found):
        raise InvalidInput("invalid_reports", "combine needs one or more Metrics", field="reports")
    total = found[0].counts
    for other in found[1:]:
        total = total + other.counts
    return Metrics(total, _top(found[0].top if top is None else top))


# -- each figure on its own ----------------------------------------------------------------


def success_rate(events: Source, currency: str = "CNY") -> Rate | None:
    """Groups formed by real members / closed groups; None when none closed."""
    return Metrics(_counts(events, currency)).success_rate


def nearest_rank(values: Sequence[timedelta], percentile: Fraction | int) -> timedelta | None:
    """The *percentile* (a fraction in (0, 1]) of *values* by nearest rank; None when empty.

    The value at 1-based rank ⌈p·n⌉ of the sorted values (exact: no histogram).

    Raises:
        InvalidInput: ``invalid_percentile`` outside (0, 1] or for a float.
    """
    if type(percentile) not in (Fraction, int) or not 0 < percentile <= 1:
        raise InvalidInput(
            "invalid_percentile",
            f"percentile must be a Fraction in (0, 1], got {percentile!r}",
            field="percentile",
            value=repr(percentile),
        )
    if not values:
        return None
    ordered = sorted(values)
    return ordered[ceil(Fraction(percentile) * len(ordered)) - 1]


def time_to_form(
    events: Source, currency: str = "CNY"
) -> tuple[timedelta | None, timedelta | None]:
    """(median, p90) time to form of real formations, nearest rank on the minute histogram."""
    metrics = Metrics(_counts(events, currency))
    return metrics.time_to_form_median, metrics.time_to_form_p90


def formed_within(
    events: Source, window: timedelta = FORMATION_TARGET_WINDOW, currency: str = "CNY"
) -> Rate | None:
    """The share of real formations (with a known opening) that formed within *window*."""
    histogram = _counts(events, currency).formation
    return _rate(histogram.within(window), histogram.total)


def fission_coefficient(events: Source, currency: str = "CNY") -> Rate | None:
    """Joins an invite brought per share (拼团裂变系数); None when nothing was shared."""
    return Metrics(_counts(events, currency)).fission


def funnel(events: Source, currency: str = "CNY") -> tuple[FunnelStep, ...]:
    """The two funnels, each in one unit: groups opened → formed, then orders joined → paid
    → formed → shipped."""
    metrics = Metrics(_counts(events, currency))
    return metrics.group_funnel + metrics.order_funnel


def money_totals(events: Source, currency: str = "CNY") -> tuple[Money, Money, Money]:
    """(GMV of orders, their refunds, net); stray payments are in neither."""
    metrics = Metrics(_counts(events, currency))
    return metrics.gmv, metrics.refunded, metrics.net


def refund_rate(events: Source, currency: str = "CNY") -> Rate | None:
    """The orders' refunds / GMV; None when no order was paid."""
    return Metrics(_counts(events, currency)).refund_rate


def leader_performance(events: Source, currency: str = "CNY") -> tuple[LeaderPerformance, ...]:
    """One row per opener, sorted by leader id: groups opened and formed, paid orders in their
    groups (their own included), and those orders' net cash."""
    return _counts(events, currency).leaders


def invite_leaderboard(
    events: Source, top: int = 10, currency: str = "CNY"
) -> tuple[InviteEntry, ...]:
    """The *top* inviters by joins that named them, most first, ties by id.

    Raises:
        InvalidInput: ``invalid_top`` unless *top* is a whole number of at least 1.
    """
    return Metrics(_counts(events, currency), _top(top)).invites


def metrics_output(
    events: Iterable[Event], *, currency: str = "CNY", top: int = 10
) -> tuple[str, dict[str, Any]]:
    """What ``tuangou metrics`` prints: readable text and JSON-safe data of one report."""
    metrics = report(events, currency=currency, top=top)
    return metrics.text(), metrics.to_data()
