"""The metrics as a person, a program and a DataFrame read them: text, JSON-safe data, records.

Each figure is shown with what it is counted in and, where the seeds give one, its healthy
range beside it.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any, Final

from tuangou_core._records import Record, Records, amount_columns, amount_names
from tuangou_core._text import text_table
from tuangou_core.money import Money, Rate
from tuangou_core.reporting._reference import FORMED_WITHIN_24H_TARGET, HEALTHY_SUCCESS_RATE

if TYPE_CHECKING:
    from tuangou_core.reporting._metrics import FunnelStep, Metrics

METRIC_COLUMNS: Final = (
    "currency",
    "figure",
    "unit",
    "count",
    "numerator",
    "denominator",
    "rate",
    *amount_names("amount"),
    "seconds",
    "healthy",
    "on_target",
)
"""The columns of a metric record (:meth:`Metrics.to_records`): one per figure.

A count fills ``count``; a rate ``numerator``, ``denominator`` (exact, and mergeable) and
``rate`` (their float, for a plot; None when the denominator is 0); an amount
``amount_minor`` and ``amount``; a time ``seconds``. ``healthy`` is the seeds' range for the
figure (text) and ``on_target`` whether the figure lies in it; None where the seeds give none.
"""


def _healthy_success() -> str:
    low, high = HEALTHY_SUCCESS_RATE
    return f"{low.percent()}–{high.percent()}"


HEALTHY_TEXT: Final = {
    "success_rate": _healthy_success(),
    "formed_within_24h": f">{FORMED_WITHIN_24H_TARGET.percent()}",
}
"""The seeds' healthy range of each figure that has one, as printed beside it."""


def _rate_text(value: Rate | None) -> str:
    return "—" if value is None else f"{value.as_decimal(4) * 100:.2f}%"


def _rate_data(value: Rate | None) -> str | None:
    return None if value is None else str(value)


def _seconds(value: timedelta | None) -> int | None:
    return None if value is None else int(value.total_seconds())


def _duration_text(value: timedelta | None) -> str:
    if value is None:
        return "—"
    seconds = int(value.total_seconds())
    hours, rest = divmod(seconds, 3600)
    return f"{hours}h{rest // 60:02d}m"


def _funnel_data(steps: tuple[FunnelStep, ...]) -> list[dict[str, Any]]:
    return [
        {"stage": s.stage, "count": s.count, "conversion": _rate_data(s.conversion)} for s in steps
    ]


def metrics_data(m: Metrics) -> dict[str, Any]:
    """JSON-safe values: rates as exact strings (``"2/3"``, ``"0.5"``), times in seconds,
    amounts as decimal strings, every count that made them; undefined values are ``null``."""
    c = m.counts
    low, high = HEALTHY_SUCCESS_RATE
    return {
        "currency": m.currency,
        "campaigns": c.campaigns,
        "groups": {
            "opened": c.groups_opened,
            "formed": c.groups_formed,
            "formed_virtual": c.groups_formed_virtual,
            "failed": c.groups_failed,
            "open": c.groups_open,
            "closed": m.closed,
            "virtual_fillers": c.virtual_fillers,
        },
        "success_rate": _rate_data(m.success_rate),
        "success_rate_healthy": m.success_rate_healthy,
        "healthy_success_rate": [str(low), str(high)],
        "virtual_rate": _rate_data(m.virtual_rate),
        "time_to_form_seconds": {
            "median": _seconds(m.time_to_form_median),
            "p90": _seconds(m.time_to_form_p90),
        },
        "time_to_form_minutes": [[minutes, n] for minutes, n in c.formation.buckets],
        "formed_within_24h": _rate_data(m.formed_within_24h),
        "formed_within_24h_on_target": m.formed_within_24h_on_target,
        "formed_within_24h_target": str(FORMED_WITHIN_24H_TARGET),
        "fission": {
            "coefficient": _rate_data(m.fission),
            "shares": c.shares,
            "joins": c.joins,
            "invited_joins": c.invited_joins,
            "invited_paid": c.invited_paid,
            "invited_share": _rate_data(m.invited_share),
            "invite_conversion": _rate_data(m.invite_conversion),
        },
        "funnel": {"groups": _funnel_data(m.group_funnel), "orders": _funnel_data(m.order_funnel)},
        "gmv": str(m.gmv),
        "refunded": str(m.refunded),
        "net": str(m.net),
        "refund_rate": _rate_data(m.refund_rate),
        "refunds_by_reason": {reason: str(amount) for reason, amount in m.refunds_by_reason},
        "stray": {"payments": c.stray_payments, "amount": str(m.stray)},
        "leaders": [
            {
                "leader": row.leader,
                "groups_opened": row.groups_opened,
                "groups_formed": row.groups_formed,
                "members": row.members,
                "net": str(row.net),
            }
            for row in m.leaders
        ],
        "invites": [{"inviter": e.inviter, "joins": e.joins, "paid": e.paid} for e in m.invites],
    }


def _verdict(m: Metrics) -> str:
    rate = m.success_rate
    if rate is None:
        return "—"
    low, high = HEALTHY_SUCCESS_RATE
    return "below" if rate < low else "above" if rate > high else "within"


def _funnel_text(steps: tuple[FunnelStep, ...]) -> str:
    return " → ".join(
        f"{s.stage} {s.count}" + ("" if s.conversion is None else f" ({_rate_text(s.conversion)})")
        for s in steps
    )


def metrics_text(m: Metrics) -> str:
    """A readable summary: each figure, what it counts, and the seeds' healthy range."""
    c = m.counts
    fission = "—" if m.fission is None else str(m.fission.as_decimal(4))
    rows = [
        (
            "groups",
            f"opened {c.groups_opened}, formed {c.groups_formed}, virtually completed "
            f"{c.groups_formed_virtual}, failed {c.groups_failed}, open {c.groups_open}",
            "",
        ),
        (
            "success rate",
            f"{_rate_text(m.success_rate)} ({c.groups_formed} of {m.closed} closed groups)",
            f"healthy {HEALTHY_TEXT['success_rate']}: {_verdict(m)}; open groups left out",
        ),
        (
            "virtual",
            f"{_rate_text(m.virtual_rate)} ({c.groups_formed_virtual} of {m.closed}, "
            f"{c.virtual_fillers} fillers)",
            "模拟成团, not success",
        ),
        (
            "time to form",
            f"median {_duration_text(m.time_to_form_median)}, "
            f"p90 {_duration_text(m.time_to_form_p90)}",
            "real formations, nearest rank, to the minute",
        ),
        (
            "within 24 h",
            f"{_rate_text(m.formed_within_24h)} ({c.formation.within(timedelta(hours=24))} of "
            f"{c.formation.total})",
            f"target {HEALTHY_TEXT['formed_within_24h']}: "
            + {None: "—", True: "met", False: "missed"}[m.formed_within_24h_on_target],
        ),
        (
            "fission",
            f"{fission} invited joins per share ({c.invited_joins} of {c.shares} shares)",
            f"invites name {_rate_text(m.invited_share)} of {c.joins} joins",
        ),
        ("funnel (groups)", _funnel_text(m.group_funnel), ""),
        ("funnel (orders)", _funnel_text(m.order_funnel), ""),
        ("GMV", f"{m.gmv}", "orders' own cash"),
        (
            "refunded",
            f"{m.refunded} (refund rate {_rate_text(m.refund_rate)})",
            ", ".join(f"{reason} {amount}" for reason, amount in m.refunds_by_reason),
        ),
        ("net", f"{m.net}", ""),
        (
            "stray",
            f"{m.stray} in {c.stray_payments} payments",
            "duplicate, late, mismatched or naming no order: all sent straight back",
        ),
    ]
    lines = [
        line.removeprefix("  ") for line in text_table(("figure", "value", "beside"), rows)[1:]
    ]
    if m.leaders:
        lines += ["", "leaders"]
        lines += text_table(
            ("leader", "opened", "formed", "members", "net"),
            [(r.leader, r.groups_opened, r.groups_formed, r.members, r.net) for r in m.leaders],
            right={1, 2, 3, 4},
        )
    if m.invites:
        lines += ["", "invites"]
        lines += text_table(
            ("inviter", "joins", "paid"),
            [(e.inviter, e.joins, e.paid) for e in m.invites],
            right={1, 2},
        )
    return "\n".join(lines)


def _row(m: Metrics, figure: str, unit: str, **values: Any) -> Record:
    row: Record = {
        "currency": m.currency,
        "figure": figure,
        "unit": unit,
        "count": None,
        "numerator": None,
        "denominator": None,
        "rate": None,
        **amount_columns("amount", None),
        "seconds": None,
        "healthy": HEALTHY_TEXT.get(figure),
        "on_target": None,
    }
    row.update(values)
    return row


def _ratio(m: Metrics, figure: str, unit: str, numerator: int, denominator: int) -> Record:
    rate = None if denominator == 0 else numerator / denominator
    return _row(m, figure, unit, numerator=numerator, denominator=denominator, rate=rate)


def _money(m: Metrics, figure: str, amount: Money) -> Record:
    return _row(m, figure, "money", **amount_columns("amount", amount))


def metric_records(m: Metrics) -> Records:
    """One record per figure (:data:`METRIC_COLUMNS`), in the order of docs/metrics.md."""
    c = m.counts
    records = Records(METRIC_COLUMNS)
    for name in ("opened", "formed", "formed_virtual", "failed", "open"):
        records.append(_row(m, f"groups_{name}", "groups", count=getattr(c, f"groups_{name}")))
    records.append(_row(m, "virtual_fillers", "members", count=c.virtual_fillers))
    success = _ratio(m, "success_rate", "groups", c.groups_formed, m.closed)
    success["on_target"] = m.success_rate_healthy
    records.append(success)
    records.append(_ratio(m, "virtual_rate", "groups", c.groups_formed_virtual, m.closed))
    records.append(_row(m, "time_to_form_median", "time", seconds=_seconds(m.time_to_form_median)))
    records.append(_row(m, "time_to_form_p90", "time", seconds=_seconds(m.time_to_form_p90)))
    within = c.formation.within(timedelta(hours=24))
    record = _ratio(m, "formed_within_24h", "groups", within, c.formation.total)
    record["on_target"] = m.formed_within_24h_on_target
    records.append(record)
    for step in m.group_funnel + m.order_funnel:
        records.append(_row(m, f"funnel_{step.unit}_{step.stage}", step.unit, count=step.count))
    records.append(_row(m, "shares", "shares", count=c.shares))
    records.append(_row(m, "joins", "orders", count=c.joins))
    records.append(_row(m, "invited_joins", "orders", count=c.invited_joins))
    records.append(_ratio(m, "fission", "orders per share", c.invited_joins, c.shares))
    records.append(_ratio(m, "invited_share", "orders", c.invited_joins, c.joins))
    records.append(_ratio(m, "invite_conversion", "orders", c.invited_paid, c.invited_joins))
    records.append(_money(m, "gmv", m.gmv))
    records.append(_money(m, "refunded", m.refunded))
    records.append(_money(m, "net", m.net))
    records.append(_ratio(m, "refund_rate", "money", c.refunded_minor, c.gmv_minor))
    for reason, amount in m.refunds_by_reason:
        records.append(_money(m, f"refunded_{reason}", amount))
    records.append(_row(m, "stray_payments", "payments", count=c.stray_payments))
    records.append(_money(m, "stray", m.stray))
    return records
