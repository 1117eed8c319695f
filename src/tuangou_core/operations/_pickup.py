"""Pickup points and windows (社区自提): who collects what, where, on which evening.

Community group buying delivers to a pickup point (a shop or locker hosted by a community
leader); members collect in a daily window, 19:00–21:00 local time by default, in the
campaign's time zone. An order formed on day F is first due on day F + ``lead_days``
(次日自提: the next day by default). An order not collected (no ``OrderCompleted``) before
its window ends rolls to the next day's window; after ``max_rollovers`` rolls it is marked
``contact``: someone must call the member (超时订单自动转入次日或联系处理). Orders of a
perishable product (生鲜) are flagged so the point and the member are reminded.

:func:`pickup_day` builds the manifests of one local day from an event log and a mapping of
orders to points. The orders handed out are the paid orders of formed groups that were not
withdrawn, lost in a lottery or refunded in full.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Final
from zoneinfo import ZoneInfo

import attrs

from tuangou_core._text import display_width, pad
from tuangou_core.errors import InvalidInput, InvalidRule
from tuangou_core.group import Event
from tuangou_core.reporting import OrderFacts, log_facts
from tuangou_core.timing import zone


def _nonempty(field: str) -> Any:
    def check(_instance: object, _attribute: object, value: object) -> None:
        if not isinstance(value, str) or not value.strip():
            raise InvalidRule(
                "invalid_rule", f"{field} must be a non-empty string", field=field, value=value
            )

    return check


@attrs.frozen
class PickupPoint:
    """A pickup point (提货点): its id, a name, and the community leader who hosts it."""

    id: str = attrs.field(validator=_nonempty("pickup_point.id"))
    name: str = ""
    host: str | None = None


def _wall_time(field: str) -> Any:
    def check(_instance: object, _attribute: object, value: object) -> None:
        if not isinstance(value, time) or value.tzinfo is not None:
            raise InvalidRule(
                "invalid_rule",
                f"{field} must be a wall-clock time without a zone (the schedule has one), "
                f"got {value!r}",
                field=field,
                value=repr(value),
            )

    return check


@attrs.frozen
class PickupWindow:
    """A daily pickup window on the local wall clock, ``[start, end)``, within one day."""

    start: time = attrs.field(default=time(19, 0), validator=_wall_time("window.start"))
    end: time = attrs.field(default=time(21, 0), validator=_wall_time("window.end"))

    def __attrs_post_init__(self) -> None:
        if self.end <= self.start:
            raise InvalidRule(
                "invalid_rule",
                f"window.end ({self.end}) must be after window.start ({self.start}) on the "
                "same day",
                field="window.end",
                value=str(self.end),
            )

    def on(self, day: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
        """The window of local *day* in *tz* as aware instants; a wall time skipped by a
        daylight-saving change moves forward to the first instant that exists."""
        return _instant(day, self.start, tz), _instant(day, self.end, tz)

    def __str__(self) -> str:
        return f"{self.start:%H:%M}–{self.end:%H:%M}"


def _instant(day: date, wall: time, tz: ZoneInfo) -> datetime:
    local = datetime.combine(day, wall, tzinfo=tz)
    return local.astimezone(UTC).astimezone(tz)


def _whole(minimum: int, field: str) -> Any:
    def check(_instance: object, _attribute: object, value: object) -> None:
        if type(value) is not int or not minimum <= value <= 366:
            raise InvalidRule(
                "invalid_rule",
                f"{field} must be a whole number from {minimum} to 366, got {value!r}",
                field=field,
                value=repr(value),
            )

    return check


def _timezone(_instance: object, _attribute: object, value: object) -> None:
    try:
        zone(value, "schedule.timezone")  # type: ignore[arg-type]
    except InvalidInput as error:
        raise InvalidRule(error.code, error.message, **error.fields) from None


@attrs.frozen
class PickupSchedule:
    """When orders are collected: the window, its zone, the lead days and the rollovers."""

    window: PickupWindow = PickupWindow()
    timezone: str = attrs.field(default="Asia/Shanghai", validator=_timezone)
    lead_days: int = attrs.field(default=1, validator=_whole(0, "schedule.lead_days"))
    max_rollovers: int = attrs.field(default=1, validator=_whole(0, "schedule.max_rollovers"))

    @property
    def zone(self) -> ZoneInfo:
        """The schedule's time zone."""
        return zone(self.timezone)

    def first_day(self, formed_at: datetime) -> date:
        """The local day an order formed at *formed_at* is first due."""
        return formed_at.astimezone(self.zone).date() + timedelta(days=self.lead_days)


_STATUSES: Final = ("due", "rolled", "contact")


@attrs.frozen
class ManifestLine:
    """One order to hand out: *status* ``due`` (its first day), ``rolled`` (overdue, moved
    to this day) or ``contact`` (rolled more than allowed: call the member)."""

    group: str
    member: str
    qty: int
    first_day: date
    rollovers: int
    status: str
    perishable: bool

    def to_data(self) -> dict[str, Any]:
        """JSON-safe values."""
        return {
            "group": self.group,
            "member": self.member,
            "qty": self.qty,
            "first_day": self.first_day.isoformat(),
            "rollovers": self.rollovers,
            "status": self.status,
            "perishable": self.perishable,
        }


@attrs.frozen
class Manifest:
    """What one point hands out in one day's window."""

    point: PickupPoint
    lines: tuple[ManifestLine, ...]

    @property
    def units(self) -> int:
        """Units to stock at the point."""
        return sum(line.qty for line in self.lines)

    def to_data(self) -> dict[str, Any]:
        """JSON-safe values."""
        return {
            "point": self.point.id,
            "name": self.point.name,
            "host": self.point.host,
            "units": self.units,
            "lines": [line.to_data() for line in self.lines],
        }


@attrs.frozen
class PickupDay:
    """The manifests of one local *day*, one per point (sorted by id), and the orders that
    have no point."""

    day: date
    opens: datetime
    closes: datetime
    manifests: tuple[Manifest, ...]
    unassigned: tuple[ManifestLine, ...]

    def to_data(self) -> dict[str, Any]:
        """JSON-safe values."""
        return {
            "day": self.day.isoformat(),
            "opens": self.opens.isoformat(),
            "closes": self.closes.isoformat(),
            "manifests": [m.to_data() for m in self.manifests],
            "unassigned": [line.to_data() for line in self.unassigned],
        }

    def text(self) -> str:
        """The day's manifests for the people at the points."""
        lines = [f"pickup {self.day.isoformat()} {self.opens:%H:%M}–{self.closes:%H:%M}"]
        for manifest in self.manifests:
            lines.append(f"{manifest.point.id} {manifest.point.name}  units {manifest.units}")
            # Columns at least 8 wide, wider for a longer id; by display width (张三丰 is 6).
            group = max((display_width(line.group) for line in manifest.lines), default=0)
            member = max((display_width(line.member) for line in manifest.lines), default=0)
            group, member = max(8, group), max(8, member)
            lines.extend(
                f"  {pad(line.group, group)} {pad(line.member, member)} ×{line.qty}  {line.status}"
                + (f" +{line.rollovers}d" if line.rollovers else "")
                + ("  perishable" if line.perishable else "")
                for line in manifest.lines
            )
        if self.unassigned:
            lines.append(
                "no pickup point: " + ", ".join(f"{x.group}/{x.member}" for x in self.unassigned)
            )
        return "\n".join(lines)


def _point_of(mapping: Mapping[Any, str], order: OrderFacts) -> str | None:
    for key in ((order.group, order.member), order.member):
        found = mapping.get(key)
        if found is not None:
            return found
    return None


def pickup_day(
    events: Iterable[Event],
    point_of: Mapping[Any, str],
    points: Iterable[PickupPoint],
    day: date,
    schedule: PickupSchedule | None = None,
    *,
    perishable: bool = False,
    currency: str = "CNY",
) -> PickupDay:
    """The manifests of local *day*.

    Args:
        events: the campaign's log; one campaign is one product.
        point_of: an order ``(group, member)`` or a member id → pickup point id (the order's
            own entry wins).
        points: the known pickup points.
        day: the local day in the schedule's zone.
        schedule: window, zone, lead days, rollovers; 19:00–21:00 Asia/Shanghai, next day,
            one rollover by default.
        perishable: whether the product is perishable (生鲜): every line is flagged.
        currency: the log's currency.

    An order is listed when its first day is on or before *day* and it was not collected
    before *day*'s window opened (one collected during the window is still listed).

    Raises:
        InvalidInput: ``unknown_pickup_point`` for a point id not among *points*,
            ``invalid_input`` for a *day* that is not a date; and what
            :func:`~tuangou_core.reporting.log_facts` raises.
    """
    schedule = schedule or PickupSchedule()
    if not isinstance(day, date) or isinstance(day, datetime):
        raise InvalidInput(
            "invalid_input", f"day must be a date, got {day!r}", field="day", value=repr(day)
        )
    known = {p.id: p for p in points}
    opens, closes = schedule.window.on(day, schedule.zone)
    facts = log_facts(events, currency)
    formed_at = {g.group: g.formed_at for g in facts.groups if g.outcome == "formed"}
    by_point: dict[str, list[ManifestLine]] = {pid: [] for pid in known}
    unassigned = []
    for order in facts.orders:
        ready = formed_at.get(order.group)
        if (
            ready is None
            or order.paid_at is None
            or order.withdrawn
            or order.lottery_lost
            or order.net.minor <= 0
        ):
            continue
        if order.completed_at is not None and order.completed_at < opens:
            continue
        first = schedule.first_day(ready)
        if first > day:
            continue
        rolls = (day - first).days
        status = "due" if rolls == 0 else "rolled" if rolls <= schedule.max_rollovers else "contact"
        line = ManifestLine(order.group, order.member, order.qty, first, rolls, status, perishable)
        point = _point_of(point_of, order)
        if point is None:
            unassigned.append(line)
        elif point not in known:
            raise InvalidInput(
                "unknown_pickup_point",
                f"order {order.group}/{order.member} names pickup point {point!r}, which is "
                f"not among the points ({', '.join(sorted(known)) or 'none'})",
                field="point_of",
                value=point,
            )
        else:
            by_point[point].append(line)

    def order_key(line: ManifestLine) -> tuple[int, str, str]:
        return (_STATUSES.index(line.status), line.group, line.member)

    manifests = tuple(
        Manifest(known[pid], tuple(sorted(lines, key=order_key)))
        for pid, lines in sorted(by_point.items())
    )
    return PickupDay(day, opens, closes, manifests, tuple(sorted(unassigned, key=order_key)))
