"""The counts and sums every metric is built from: they add across campaigns.

A :class:`MetricCounts` holds only whole counts, sums of minor units, per-key rows of counts
and sums, and a :class:`TimeHistogram` of times to form. Two of them add (``a + b``) into the
counts of both logs, so a day of many campaigns is reported by adding each campaign's counts
and reading the figures off the sum: no rate is averaged, no median is taken of medians.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import timedelta
from fractions import Fraction
from math import ceil
from typing import Final

import attrs

from tuangou_core.errors import InvalidInput
from tuangou_core.money import Money
from tuangou_core.reporting._facts import LogFacts

BUCKET: Final = timedelta(minutes=1)
"""The histogram's bucket: a time to form is counted in whole minutes, rounded up."""


def _buckets(value: object) -> tuple[tuple[int, int], ...]:
    items: object = value.items() if isinstance(value, Mapping) else value
    found: dict[int, int] = {}
    pairs: list[tuple[object, ...]] = [()]
    if isinstance(items, Iterable):
        pairs = [tuple(p) if isinstance(p, tuple | list) else (p,) for p in items]
    for pair in pairs:
        if len(pair) != 2 or any(type(v) is not int or v < 0 for v in pair):
            raise InvalidInput(
                "invalid_histogram",
                f"a histogram bucket is (minutes, count), whole and not negative; got {pair!r}",
                field="buckets",
                value=repr(pair),
            )
        minutes, n = pair
        assert isinstance(minutes, int) and isinstance(n, int)  # checked just above
        if n:
            found[minutes] = found.get(minutes, 0) + n
    return tuple(sorted(found.items()))


@attrs.frozen
class TimeHistogram:
    """Times to form counted per whole minute (rounded up): ``(minutes, groups)`` pairs.

    Mergeable: two histograms add bucket by bucket. A percentile is read by nearest rank off
    the buckets, so it is exact to the minute, and a time that is a whole number of minutes
    (as every worked example's) comes back exactly.
    """

    buckets: tuple[tuple[int, int], ...] = attrs.field(default=(), converter=_buckets)

    @classmethod
    def of(cls, times: Iterable[timedelta]) -> TimeHistogram:
        """The histogram of *times* (each rounded up to the minute; a negative one is 0)."""
        counts: dict[int, int] = {}
        for time in times:
            minutes = max(0, ceil(Fraction(time // timedelta(microseconds=1), 60_000_000)))
            counts[minutes] = counts.get(minutes, 0) + 1
        return cls(tuple(counts.items()))

    @property
    def total(self) -> int:
        """How many times are counted."""
        return sum(count for _minutes, count in self.buckets)

    def percentile(self, p: Fraction | int) -> timedelta | None:
        """The nearest-rank *p*-th percentile (``p`` in (0, 1]); None when empty.

        The bucket holding the value at 1-based rank ⌈p·n⌉.

        Raises:
            InvalidInput: ``invalid_percentile`` outside (0, 1] or for a float.
        """
        if type(p) not in (Fraction, int) or not 0 < p <= 1:
            raise InvalidInput(
                "invalid_percentile",
                f"percentile must be a Fraction in (0, 1], got {p!r}",
                field="percentile",
                value=repr(p),
            )
        total = self.total
        if not total:
            return None
        rank = ceil(Fraction(p) * total)
        seen = 0
        for minutes, count in self.buckets:
            seen += count
            if seen >= rank:
                return minutes * BUCKET
        return self.buckets[-1][0] * BUCKET  # not reached: the rank is within the total

    def within(self, window: timedelta) -> int:
        """How many times are at most *window* (exact when *window* is whole minutes)."""
        return sum(count for minutes, count in self.buckets if minutes * BUCKET <= window)

    def __add__(self, other: TimeHistogram) -> TimeHistogram:
        return TimeHistogram(self.buckets + other.buckets)


@attrs.frozen
class LeaderPerformance:
    """An opener's (团长's) groups: opened, formed, paid members, and their net cash."""

    leader: str
    groups_opened: int
    groups_formed: int
    members: int
    net: Money


@attrs.frozen
class InviteEntry:
    """What one inviter's shares brought: joins that named them, and how many of those paid."""

    inviter: str
    joins: int
    paid: int


@attrs.frozen
class MetricCounts:
    """The counts and sums of one or more logs; every figure of :class:`Metrics` is read off
    them. Add two with ``+`` (same currency) to report both logs together.

    Groups: *opened* (whose ``GroupOpened`` is in the log), *formed* (by real members),
    *formed_virtual* (completed with virtual fillers at the deadline), *failed*, *open*, and
    the *virtual_fillers* of the virtual completions. Orders: *joined* (every order, openers
    included), *paid*, *formed* (paid orders of formed groups, not withdrawn, not lottery
    losers), *shipped*. Fission: *joins* (joiners' orders, openers left out),
    *invited_joins* (joins that named an inviter), *invited_paid*, *shares* (each group's
    opening, and each other member named as an inviter in it). Money, in minor units:
    *gmv_minor* (the orders' own cash), *refunded_minor* (the orders' refunds), *refunds*
    by reason, and *stray_payments* / *stray_minor*: payments sent straight back (duplicate,
    late, mismatched, naming no order), apart from GMV.
    """

    currency: str
    campaigns: int = 1
    groups_opened: int = 0
    groups_formed: int = 0
    groups_formed_virtual: int = 0
    groups_failed: int = 0
    groups_open: int = 0
    virtual_fillers: int = 0
    orders_joined: int = 0
    orders_paid: int = 0
    orders_formed: int = 0
    orders_shipped: int = 0
    joins: int = 0
    invited_joins: int = 0
    invited_paid: int = 0
    shares: int = 0
    gmv_minor: int = 0
    refunded_minor: int = 0
    refunds: tuple[tuple[str, int], ...] = ()
    stray_payments: int = 0
    stray_minor: int = 0
    formation: TimeHistogram = TimeHistogram()
    leaders: tuple[LeaderPerformance, ...] = ()
    inviters: tuple[InviteEntry, ...] = ()

    def __add__(self, other: MetricCounts) -> MetricCounts:
        if not isinstance(other, MetricCounts) or other.currency != self.currency:
            raise InvalidInput(
                "invalid_reports",
                f"only counts of one currency add up: {self.currency} and "
                f"{getattr(other, 'currency', type(other).__name__)}",
                field="currency",
            )
        summed = {name: getattr(self, name) + getattr(other, name) for name in _SUMMED}
        refunds = dict(self.refunds)
        for reason, minor in other.refunds:
            refunds[reason] = refunds.get(reason, 0) + minor
        return MetricCounts(
            currency=self.currency,
            refunds=tuple(sorted(refunds.items())),
            formation=self.formation + other.formation,
            leaders=_merge_leaders(self.leaders + other.leaders, self.currency),
            inviters=_merge_inviters(self.inviters + other.inviters),
            **summed,
        )


_SUMMED: Final = tuple(
    f.name
    for f in attrs.fields(MetricCounts)
    if f.name not in {"currency", "refunds", "formation", "leaders", "inviters"}
)
"""The plain counts and sums of :class:`MetricCounts`, which add field by field."""


def _merge_leaders(
    rows: Iterable[LeaderPerformance], currency: str
) -> tuple[LeaderPerformance, ...]:
    found: dict[str, list[int]] = {}
    for row in rows:
        into = found.setdefault(row.leader, [0, 0, 0, 0])
        into[0] += row.groups_opened
        into[1] += row.groups_formed
        into[2] += row.members
        into[3] += row.net.minor
    return tuple(
        LeaderPerformance(leader, r[0], r[1], r[2], Money(r[3], currency))
        for leader, r in sorted(found.items())
    )


def _merge_inviters(rows: Iterable[InviteEntry]) -> tuple[InviteEntry, ...]:
    found: dict[str, list[int]] = {}
    for row in rows:
        into = found.setdefault(row.inviter, [0, 0])
        into[0] += row.joins
        into[1] += row.paid
    return tuple(InviteEntry(inviter, r[0], r[1]) for inviter, r in sorted(found.items()))


def count(facts: LogFacts) -> MetricCounts:
    """The counts and sums of one folded log (see :class:`MetricCounts`)."""
    outcome = {g.group: g for g in facts.groups}
    opener = {g.group: g.opener for g in facts.groups if g.opener is not None}
    formed = [g for g in facts.groups if g.outcome == "formed"]
    virtual = [g for g in formed if g.virtual]
    real = [g for g in formed if not g.virtual]
    joined = [o for o in facts.orders if o.joined_at is not None]
    paid = [o for o in facts.orders if o.paid_at is not None]
    formed_orders = [
        o
        for o in paid
        if (g := outcome.get(o.group)) is not None
        and g.outcome == "formed"
        and not o.withdrawn
        and not o.lottery_lost
    ]
    joins = [o for o in joined if o.role != "opener"]
    invited = [o for o in joined if o.inviter is not None]
    resharers = {(o.group, o.inviter) for o in invited if o.inviter != opener.get(o.group)}
    opened = sum(1 for g in facts.groups if g.opened_at is not None)
    spans = [span for g in real if (span := g.time_to_form) is not None]
    stray_orders = sum(o.returned_at_once.minor for o in facts.orders if o.returned_at_once)
    return MetricCounts(
        currency=facts.currency,
        groups_opened=opened,
        groups_formed=len(real),
        groups_formed_virtual=len(virtual),
        groups_failed=sum(1 for g in facts.groups if g.outcome == "failed"),
        groups_open=sum(1 for g in facts.groups if g.outcome == "open"),
        virtual_fillers=sum(g.virtual for g in virtual),
        orders_joined=len(joined),
        orders_paid=len(paid),
        orders_formed=len(formed_orders),
        orders_shipped=sum(1 for o in facts.orders if o.shipped_at is not None),
        joins=len(joins),
        invited_joins=len(invited),
        invited_paid=sum(1 for o in invited if o.paid_at is not None),
        shares=opened + len(resharers),
        gmv_minor=sum(o.paid.minor for o in facts.orders) - stray_orders,
        refunded_minor=sum(o.refunded.minor for o in facts.orders) - stray_orders,
        refunds=facts.refunds,
        stray_payments=facts.stray_returns + facts.unmatched,
        stray_minor=stray_orders + facts.unmatched_cash,
        formation=TimeHistogram.of(spans),
        leaders=_leaders(facts, opener),
        inviters=_merge_inviters(
            InviteEntry(o.inviter, 1, int(o.paid_at is not None))
            for o in invited
            if o.inviter is not None
        ),
    )


def _leaders(facts: LogFacts, opener: Mapping[str, str]) -> tuple[LeaderPerformance, ...]:
    rows: dict[str, list[int]] = {}
    for g in facts.groups:
        if g.opener is not None:
            row = rows.setdefault(g.opener, [0, 0, 0, 0])
            row[0] += 1
            row[1] += g.outcome == "formed"
    for o in facts.orders:
        leader = opener.get(o.group)
        if leader is not None:
            rows[leader][2] += o.paid_at is not None
            rows[leader][3] += o.paid.minor - o.refunded.minor
    return tuple(
        LeaderPerformance(leader, r[0], r[1], r[2], Money(r[3], facts.currency))
        for leader, r in sorted(rows.items())
    )
