"""The operator metrics over an event log, each defined in the package docstring."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import timedelta
from fractions import Fraction
from math import ceil
from typing import Any, Final

import attrs

from tuangou_core._text import pad
from tuangou_core.errors import InvalidInput
from tuangou_core.group import Event
from tuangou_core.money import Money, Rate
from tuangou_core.reporting._facts import LogFacts, log_facts

HEALTHY_SUCCESS_RATE: Final = (Rate("45%"), Rate("60%"))
"""成团率: the industry's healthy range of group success rate (seed 004)."""

FORMED_WITHIN_24H_TARGET: Final = Rate("70%")
"""24小时成团占比: more than this share of formed groups should form within 24 h (seed 004)."""

FORMATION_TARGET_WINDOW: Final = timedelta(hours=24)
"""The window of the within-24 h share."""

REFERENCE_SUCCESS_RATES: Final = {
    "fixed_2": Rate("68%"),
    "tiered_3_5": Rate("52%"),
    "lottery": Rate("89%"),
}
"""Success rates seed 004 reports by group kind: 2-person fixed, 3–5 tiered, lottery."""


def _facts(events: Iterable[Event] | LogFacts, currency: str) -> LogFacts:
    return events if isinstance(events, LogFacts) else log_facts(events, currency)


def _rate(numerator: int, denominator: int) -> Rate | None:
    return None if denominator == 0 else Rate(Fraction(numerator, denominator))


# -- metrics -----------------------------------------------------------------------------------


def success_rate(events: Iterable[Event] | LogFacts, currency: str = "CNY") -> Rate | None:
    """Formed / (formed + failed); groups still open are left out; None when none closed."""
    facts = _facts(events, currency)
    formed = sum(1 for g in facts.groups if g.outcome == "formed")
    failed = sum(1 for g in facts.groups if g.outcome == "failed")
    return _rate(formed, formed + failed)


def nearest_rank(values: Sequence[timedelta], percentile: Fraction | int) -> timedelta | None:
    """The *percentile* (a fraction in (0, 1]) of *values* by nearest rank; None when empty.

    The value at 1-based rank ⌈p·n⌉ of the sorted values.

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
    rank = ceil(Fraction(percentile) * len(ordered))
    return ordered[rank - 1]


def time_to_form(
    events: Iterable[Event] | LogFacts, currency: str = "CNY"
) -> tuple[timedelta | None, timedelta | None]:
    """(median, p90) of the time from opening to forming, nearest-rank; None when none."""
    spans = _spans(_facts(events, currency))
    return nearest_rank(spans, Fraction(1, 2)), nearest_rank(spans, Fraction(9, 10))


def _spans(facts: LogFacts) -> list[timedelta]:
    return [span for g in facts.groups if (span := g.time_to_form) is not None]


def formed_within(
    events: Iterable[Event] | LogFacts,
    window: timedelta = FORMATION_TARGET_WINDOW,
    currency: str = "CNY",
) -> Rate | None:
    """The share of formed groups (with a known opening) that formed within *window*."""
    spans = _spans(_facts(events, currency))
    return _rate(sum(1 for s in spans if s <= window), len(spans))


def fission_coefficient(events: Iterable[Event] | LogFacts, currency: str = "CNY") -> Rate | None:
    """Joiners per group opened (拼团裂变系数); None when no group was opened."""
    facts = _facts(events, currency)
    opened = sum(1 for g in facts.groups if g.opened_at is not None)
    joiners = sum(1 for o in facts.orders if o.joined_at is not None and o.role != "opener")
    return _rate(joiners, opened)


@attrs.frozen
class FunnelStep:
    """One stage of the funnel: its *orders* and the share of the stage before it."""

    stage: str
    orders: int
    conversion: Rate | None  # None for the first stage or an empty stage before


def funnel(events: Iterable[Event] | LogFacts, currency: str = "CNY") -> tuple[FunnelStep, ...]:
    """Orders at each stage: opened → joined → paid → formed → shipped."""
    facts = _facts(events, currency)
    outcome = {g.group: g.outcome for g in facts.groups}
    joined = [o for o in facts.orders if o.joined_at is not None]
    paid = [o for o in facts.orders if o.paid_at is not None]
    formed = [
        o
        for o in paid
        if outcome.get(o.group) == "formed" and not o.withdrawn and not o.lottery_lost
    ]
    counts = (
        ("opened", sum(1 for g in facts.groups if g.opened_at is not None)),
        ("joined", len(joined)),
        ("paid", len(paid)),
        ("formed", len(formed)),
        ("shipped", sum(1 for o in facts.orders if o.shipped_at is not None)),
    )
    steps = []
    before: int | None = None
    for stage, count in counts:
        steps.append(FunnelStep(stage, count, None if before is None else _rate(count, before)))
        before = count
    return tuple(steps)


def money_totals(
    events: Iterable[Event] | LogFacts, currency: str = "CNY"
) -> tuple[Money, Money, Money]:
    """(GMV, refunded, net): cash paid, cash owed back, and their difference."""
    facts = _facts(events, currency)
    paid = sum(o.paid.minor for o in facts.orders)
    refunded = sum(o.refunded.minor for o in facts.orders)
    code = facts.currency
    return Money(paid, code), Money(refunded, code), Money(paid - refunded, code)


def refund_rate(events: Iterable[Event] | LogFacts, currency: str = "CNY") -> Rate | None:
    """Refunded cash / paid cash; None when nothing was paid."""
    gmv, refunded, _net = money_totals(events, currency)
    return _rate(refunded.minor, gmv.minor)


@attrs.frozen
class LeaderPerformance:
    """An opener's (团长's) groups: opened, formed, paid members, and their net cash."""

    leader: str
    groups_opened: int
    groups_formed: int
    members: int
    net: Money


def leader_performance(
    events: Iterable[Event] | LogFacts, currency: str = "CNY"
) -> tuple[LeaderPerformance, ...]:
    """One row per opener, sorted by leader id.

    ``members`` counts the paid orders of the leader's groups, the leader's own included;
    ``net`` is their cash paid minus refunded.
    """
    facts = _facts(events, currency)
    leader_of = {g.group: g.opener for g in facts.groups if g.opener is not None}
    rows: dict[str, list[int]] = {}
    for g in facts.groups:
        if g.opener is not None:
            row = rows.setdefault(g.opener, [0, 0, 0, 0])
            row[0] += 1
            row[1] += g.outcome == "formed"
    for o in facts.orders:
        leader = leader_of.get(o.group)
        if leader is not None:
            rows[leader][2] += o.paid_at is not None
            rows[leader][3] += o.net.minor
    return tuple(
        LeaderPerformance(leader, r[0], r[1], r[2], Money(r[3], facts.currency))
        for leader, r in sorted(rows.items())
    )


@attrs.frozen
class InviteEntry:
    """A place on the invite leaderboard: the opener and the joiners their groups brought."""

    opener: str
    joiners: int


def invite_leaderboard(
    events: Iterable[Event] | LogFacts, top: int = 10, currency: str = "CNY"
) -> tuple[InviteEntry, ...]:
    """The *top* openers by joiners brought, most first, ties by opener id.

    Every opener is ranked, those who brought nobody too; each join counts once.

    Raises:
        InvalidInput: ``invalid_top`` unless *top* is a whole number of at least 1.
    """
    if type(top) is not int or top < 1:
        raise InvalidInput(
            "invalid_top", f"top must be a whole number of at least 1, got {top!r}", value=top
        )
    facts = _facts(events, currency)
    leader_of = {g.group: g.opener for g in facts.groups if g.opener is not None}
    counts = dict.fromkeys(sorted(set(leader_of.values())), 0)
    for o in facts.orders:
        leader = leader_of.get(o.group)
        if leader is not None and o.joined_at is not None and o.role != "opener":
            counts[leader] += 1
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return tuple(InviteEntry(opener, n) for opener, n in ranked[:top])


# -- the report --------------------------------------------------------------------------------


def _duration_text(value: timedelta | None) -> str:
    if value is None:
        return "—"
    seconds = int(value.total_seconds())
    sign = "-" if seconds < 0 else ""
    hours, rest = divmod(abs(seconds), 3600)
    return f"{sign}{hours}h{rest // 60:02d}m{rest % 60:02d}s"


def _rate_text(value: Rate | None) -> str:
    return "—" if value is None else f"{value.as_decimal(4) * 100:.2f}%"


def _rate_data(value: Rate | None) -> str | None:
    return None if value is None else str(value)


def _seconds(value: timedelta | None) -> int | None:
    return None if value is None else int(value.total_seconds())


@attrs.frozen
class Metrics:
    """Every metric of one log; build it with :func:`report`."""

    currency: str
    groups_opened: int
    groups_formed: int
    groups_failed: int
    groups_open: int
    success_rate: Rate | None
    time_to_form_median: timedelta | None
    time_to_form_p90: timedelta | None
    formed_within_24h: Rate | None
    fission: Rate | None
    funnel: tuple[FunnelStep, ...]
    gmv: Money
    refunded: Money
    net: Money
    refund_rate: Rate | None
    leaders: tuple[LeaderPerformance, ...]
    invites: tuple[InviteEntry, ...]

    @property
    def success_rate_healthy(self) -> bool | None:
        """Whether the success rate lies in :data:`HEALTHY_SUCCESS_RATE`; None if undefined."""
        if self.success_rate is None:
            return None
        low, high = HEALTHY_SUCCESS_RATE
        return low <= self.success_rate <= high

    @property
    def formed_within_24h_on_target(self) -> bool | None:
        """Whether more than :data:`FORMED_WITHIN_24H_TARGET` formed within 24 h."""
        if self.formed_within_24h is None:
            return None
        return self.formed_within_24h > FORMED_WITHIN_24H_TARGET

    def to_data(self) -> dict[str, Any]:
        """JSON-safe values: rates as exact strings (``"1/3"``, ``"0.5"``), times in seconds,
        amounts as decimal strings; undefined values are ``null``."""
        return {
            "currency": self.currency,
            "groups": {
                "opened": self.groups_opened,
                "formed": self.groups_formed,
                "failed": self.groups_failed,
                "open": self.groups_open,
            },
            "success_rate": _rate_data(self.success_rate),
            "success_rate_healthy": self.success_rate_healthy,
            "time_to_form_seconds": {
                "median": _seconds(self.time_to_form_median),
                "p90": _seconds(self.time_to_form_p90),
            },
            "formed_within_24h": _rate_data(self.formed_within_24h),
            "formed_within_24h_on_target": self.formed_within_24h_on_target,
            "fission": _rate_data(self.fission),
            "funnel": [
                {"stage": s.stage, "orders": s.orders, "conversion": _rate_data(s.conversion)}
                for s in self.funnel
            ],
            "gmv": str(self.gmv),
            "refunded": str(self.refunded),
            "net": str(self.net),
            "refund_rate": _rate_data(self.refund_rate),
            "leaders": [
                {
                    "leader": row.leader,
                    "groups_opened": row.groups_opened,
                    "groups_formed": row.groups_formed,
                    "members": row.members,
                    "net": str(row.net),
                }
                for row in self.leaders
            ],
            "invites": [{"opener": e.opener, "joiners": e.joiners} for e in self.invites],
        }

    def text(self) -> str:
        """A readable summary for a person, with the seeds' healthy ranges beside."""
        low, high = HEALTHY_SUCCESS_RATE
        lines = [
            f"groups        opened {self.groups_opened}, formed {self.groups_formed}, "
            f"failed {self.groups_failed}, open {self.groups_open}",
            f"success rate  {_rate_text(self.success_rate)}"
            f"   (healthy {low.percent()}–{high.percent()}, open groups excluded)",
            f"time to form  median {_duration_text(self.time_to_form_median)}, "
            f"p90 {_duration_text(self.time_to_form_p90)}   (nearest rank)",
            f"within 24 h   {_rate_text(self.formed_within_24h)}"
            f"   (target above {FORMED_WITHIN_24H_TARGET.percent()})",
            f"fission       {'—' if self.fission is None else self.fission.as_decimal(4)}"
            " joiners per group opened",
            "funnel        "
            + " → ".join(
                f"{s.stage} {s.orders}"
                + ("" if s.conversion is None else f" ({_rate_text(s.conversion)})")
                for s in self.funnel
            ),
            f"GMV           {self.gmv}",
            f"refunded      {self.refunded}   (refund rate {_rate_text(self.refund_rate)})",
            f"net           {self.net}",
        ]
        if self.leaders:
            lines.append("leaders       leader  opened  formed  members  net")
            lines.extend(
                f"              {pad(r.leader, 7)} {r.groups_opened:>6}  {r.groups_formed:>6}  "
                f"{r.members:>7}  {r.net}"
                for r in self.leaders
            )
        if self.invites:
            lines.append(
                "invites       " + ", ".join(f"{e.opener} {e.joiners}" for e in self.invites)
            )
        return "\n".join(lines)


def report(events: Iterable[Event], *, currency: str = "CNY", top: int = 10) -> Metrics:
    """Every metric of *events* at once (the log is folded once).

    Args:
        events: the log, in time order.
        currency: the currency of every amount in the log.
        top: how many openers the invite leaderboard lists.

    Raises:
        InvalidInput: ``unknown_event``, ``currency_mismatch``, ``unknown_currency``,
            ``invalid_top``.
    """
    facts = log_facts(events, currency)
    median, p90 = time_to_form(facts)
    gmv, refunded, net = money_totals(facts)
    outcomes = [g.outcome for g in facts.groups]
    return Metrics(
        currency=facts.currency,
        groups_opened=sum(1 for g in facts.groups if g.opened_at is not None),
        groups_formed=outcomes.count("formed"),
        groups_failed=outcomes.count("failed"),
        groups_open=outcomes.count("open"),
        success_rate=success_rate(facts),
        time_to_form_median=median,
        time_to_form_p90=p90,
        formed_within_24h=formed_within(facts),
        fission=fission_coefficient(facts),
        funnel=funnel(facts),
        gmv=gmv,
        refunded=refunded,
        net=net,
        refund_rate=_rate(refunded.minor, gmv.minor),
        leaders=leader_performance(facts),
        invites=invite_leaderboard(facts, top),
    )


def metrics_output(
    events: Iterable[Event], *, currency: str = "CNY", top: int = 10
) -> tuple[str, dict[str, Any]]:
    """What ``tuangou metrics`` prints: readable text and JSON-safe data of one report."""
    metrics = report(events, currency=currency, top=top)
    return metrics.text(), metrics.to_data()
