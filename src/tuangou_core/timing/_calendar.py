"""Merchant calendars: extensions, quiet hours and opening slots as RFC 5545 rules.

A calendar shapes a formation window with recurrence rules (dateutil's ``rrulestr``):
extensions lengthen the window of groups opened on matching days, quiet hours push a
deadline that falls inside them to their end, and time-of-day slots say when groups may
open and by when they must close. Rules read local dates on the campaign's wall clock.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, time, timedelta
from itertools import islice
from typing import Any, Final
from zoneinfo import ZoneInfo

import attrs

from tuangou_core.errors import InvalidInput, InvalidRule, Rejected
from tuangou_core.timing._durations import Duration
from tuangou_core.timing._instants import as_zone, require_aware
from tuangou_core.timing._rules import DayRule, calendar_error, parse_rule

_MAX_PUSHES: Final = 16  # quiet periods chained back to back; more is a broken calendar
MAX_ENTRIES: Final = 64  # extensions, quiet hours or slots of one calendar, each


def _calendar_error(field: str, message: str, value: object) -> InvalidRule:
    return calendar_error(field, message, value)


def _parse_time(value: object, field: str) -> time:
    if isinstance(value, time) and value.tzinfo is None:
        return value
    if isinstance(value, str) and len(value) <= 32:
        try:
            found = time.fromisoformat(value.strip())
        except ValueError:
            pass
        else:
            if found.tzinfo is None:
                return found
            raise _calendar_error(
                field,
                f"must be a wall-clock time without an offset ('22:00'), got {value!r}: "
                "the campaign's time zone gives the offset",
                value,
            )
    shown = value if isinstance(value, str | time) else type(value).__name__
    raise _calendar_error(field, f"must be a wall-clock time like '22:00', got {shown!r}", shown)


def _wall(day: date, at: time, tz: ZoneInfo) -> datetime:
    """The instant *at* on *day* on *tz*'s wall clock, in UTC; a skipped time resolves
    forward and a repeated one to its first occurrence. (Instants are compared in UTC: two
    datetimes sharing a tzinfo compare by wall clock, which is wrong in a repeated hour.)"""
    return datetime.combine(day, at).replace(tzinfo=tz).astimezone(UTC)


def _matches(rule: DayRule | None, day: date, starts: date | None) -> bool:
    if rule is None:
        return True
    if rule.needs_start and starts is None:
        raise _calendar_error(
            "calendar.starts",
            "is required by a rule that recurs from its start (INTERVAL, or WEEKLY, MONTHLY or "
            "YEARLY without BYDAY or BYMONTHDAY)",
            None,
        )
    return rule.matches(day, starts)


def _to_start(value: time | str) -> time:
    return _parse_time(value, "start")


def _to_end(value: time | str) -> time:
    return _parse_time(value, "end")


def _to_duration(value: Duration | str) -> Duration:
    try:
        return Duration.parse(value, "calendar.extension.add")
    except InvalidInput as error:
        raise InvalidRule(error.code, error.message, **error.fields) from None


@attrs.frozen
class Extension:
    """Groups opened on a day the rule matches get *add* more time (周末延长一小时).

    Args:
        rule: RFC 5545 recurrence text, e.g. ``"FREQ=WEEKLY;BYDAY=SA,SU"``; EXDATE and RDATE
            lines may follow. Matched against the opening's local date.
        add: the extra time, an ISO 8601 duration like ``"PT1H"``.
    """

    rule: str
    add: Duration = attrs.field(converter=_to_duration)
    _parsed: DayRule | None = attrs.field(init=False, eq=False, hash=False, repr=False)

    def __attrs_post_init__(self) -> None:
        if self.rule is None:
            raise _calendar_error("calendar.extension.rule", "is required", None)
        object.__setattr__(self, "_parsed", parse_rule(self.rule, "calendar.extension.rule"))

    def applies(self, day: date, starts: date | None = None) -> bool:
        """True when a group opened on local *day* gets the extension (*starts*: the
        calendar's first day, for a rule that recurs from it)."""
        return _matches(self._parsed, _day(day), starts)


@attrs.frozen
class QuietHours:
    """No deadline inside ``[start, end)``; one that falls there moves to *end* (免打扰).

    ``start > end`` wraps midnight (22:00–08:00). With *rule*, only periods that start on a
    matching local day are quiet.
    """

    start: time = attrs.field(converter=_to_start)
    end: time = attrs.field(converter=_to_end)
    rule: str | None = None
    _parsed: DayRule | None = attrs.field(init=False, eq=False, hash=False, repr=False)

    def __attrs_post_init__(self) -> None:
        if self.start == self.end:
            raise _calendar_error("calendar.quiet", "must not start and end at once", None)
        object.__setattr__(self, "_parsed", parse_rule(self.rule, "calendar.quiet.rule"))

    def period_around(
        self, instant: datetime, tz: ZoneInfo | str, starts: date | None = None
    ) -> tuple[datetime, datetime] | None:
        """The quiet period holding *instant*, as ``(start, end)`` UTC instants, or None."""
        zone_info = as_zone(tz)
        local = require_aware(instant, "instant").astimezone(zone_info)
        instant = instant.astimezone(UTC)
        wraps = self.start > self.end
        for offset in (0, -1) if wraps else (0,):
            day = local.date() + timedelta(days=offset)
            if not _matches(self._parsed, day, starts):
                continue
            begin = _wall(day, self.start, zone_info)
            finish = _wall(day + timedelta(days=1) if wraps else day, self.end, zone_info)
            if begin <= instant < finish:
                return begin, finish
        return None


@attrs.frozen
class Slot:
    """A time-of-day slot ``[start, end)`` (下午茶 14:00–17:00): groups open only inside one
    and must close by its end. With *rule*, only on matching local days."""

    start: time = attrs.field(converter=_to_start)
    end: time = attrs.field(converter=_to_end)
    rule: str | None = None
    _parsed: DayRule | None = attrs.field(init=False, eq=False, hash=False, repr=False)

    def __attrs_post_init__(self) -> None:
        if self.start >= self.end:
            raise _calendar_error(
                "calendar.slot", f"must start before it ends ({self.start}–{self.end})", None
            )
        object.__setattr__(self, "_parsed", parse_rule(self.rule, "calendar.slot.rule"))

    def end_for(
        self, instant: datetime, tz: ZoneInfo | str, starts: date | None = None
    ) -> datetime | None:
        """The end of this slot (a UTC instant) when *instant* lies inside it, else None."""
        zone_info = as_zone(tz)
        local = require_aware(instant, "instant").astimezone(zone_info)
        instant = instant.astimezone(UTC)
        day = local.date()
        if not _matches(self._parsed, day, starts):
            return None
        begin, finish = _wall(day, self.start, zone_info), _wall(day, self.end, zone_info)
        return finish if begin <= instant < finish else None


def _day(value: object) -> date:
    if type(value) is not date:
        raise InvalidInput(
            "invalid_datetime",
            f"day must be a date, got {type(value).__name__}",
            field="day",
            value=type(value).__name__,
        )
    return value


def _starts(value: date | str | None) -> date | None:
    if value is None or type(value) is date:
        return value
    if isinstance(value, str) and len(value) <= 10:
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    shown = value if isinstance(value, str) else type(value).__name__
    raise _calendar_error(
        "calendar.starts", f"must be a local date like '2026-03-01', got {shown!r}", shown
    )


def _tuple_of(kind: type[Any], field: str) -> Any:
    def convert(values: object) -> tuple[Any, ...]:
        if isinstance(values, str | bytes | Mapping) or not isinstance(values, Iterable):
            raise _calendar_error(field, "must be a list", type(values).__name__)
        items = tuple(islice(values, MAX_ENTRIES + 1))
        if len(items) > MAX_ENTRIES:
            raise _calendar_error(field, f"must hold at most {MAX_ENTRIES} entries", MAX_ENTRIES)
        for item in items:
            if not isinstance(item, kind):
                raise _calendar_error(
                    field, f"must hold {kind.__name__} values", type(item).__name__
                )
        return items

    return convert


def _extensions(values: Iterable[Extension]) -> tuple[Extension, ...]:
    converted: tuple[Extension, ...] = _tuple_of(Extension, "calendar.extensions")(values)
    return converted


def _quiet(values: Iterable[QuietHours]) -> tuple[QuietHours, ...]:
    converted: tuple[QuietHours, ...] = _tuple_of(QuietHours, "calendar.quiet")(values)
    return converted


def _slots(values: Iterable[Slot]) -> tuple[Slot, ...]:
    converted: tuple[Slot, ...] = _tuple_of(Slot, "calendar.slots")(values)
    return converted


@attrs.frozen
class Calendar:
    """A merchant's calendar for formation windows.

    Args:
        extensions: extra time for groups opened on matching days (they add up).
        quiet: quiet hours; a deadline inside one moves to its end.
        slots: when any are given, groups open only inside a slot and close by its end.
        starts: the campaign's first local day, from which the rules recur (RFC 5545's
            DTSTART); no day before it matches a rule. Required by a rule that recurs from its
            start (``INTERVAL``, or ``FREQ=WEEKLY`` without ``BYDAY``, …: docs/windows.md).

    At most :data:`MAX_ENTRIES` entries of each kind.

    Raises:
        InvalidRule: ``invalid_calendar`` naming the field.
    """

    extensions: tuple[Extension, ...] = attrs.field(default=(), converter=_extensions)
    quiet: tuple[QuietHours, ...] = attrs.field(default=(), converter=_quiet)
    slots: tuple[Slot, ...] = attrs.field(default=(), converter=_slots)
    starts: date | None = attrs.field(default=None, converter=_starts)

    def __attrs_post_init__(self) -> None:
        if self.starts is None:
            for name in ("extensions", "quiet", "slots"):
                for index, entry in enumerate(getattr(self, name)):
                    parsed = entry._parsed
                    if parsed is not None and parsed.needs_start:
                        raise _calendar_error(
                            f"calendar.{name}[{index}].rule",
                            "recurs from its start (INTERVAL, or WEEKLY, MONTHLY or YEARLY "
                            "without BYDAY or BYMONTHDAY): name calendar.starts",
                            entry.rule,
                        )

    @classmethod
    def build(cls, data: Mapping[str, Any] | None) -> Calendar:
        """Read a calendar from plain values::

            {"extensions": [{"rule": "FREQ=WEEKLY;BYDAY=SA,SU", "add": "PT1H"}],
             "quiet": [{"start": "22:00", "end": "08:00"}],
             "slots": [{"start": "14:00", "end": "17:00", "rule": "FREQ=DAILY"}]}

        Raises:
            InvalidInput: ``invalid_calendar`` (or ``invalid_duration``) naming the key.
        """
        if data is None:
            return cls()
        if not isinstance(data, Mapping):
            raise _calendar_error("calendar", "must be a table", data)
        unknown = sorted(str(key) for key in set(data) - {"extensions", "quiet", "slots", "starts"})
        if unknown:
            raise _calendar_error(f"calendar.{unknown[0][:40]}", "is not a known key", unknown[0])
        return cls(
            extensions=_built(Extension, data, "extensions", {"rule", "add"}),
            quiet=_built(QuietHours, data, "quiet", {"start", "end", "rule"}),
            slots=_built(Slot, data, "slots", {"start", "end", "rule"}),
            starts=data.get("starts"),
        )

    def may_open(self, at: datetime, tz: ZoneInfo | str) -> bool:
        """True when a group may open at *at*: always without slots, else inside a slot.

        Raises:
            InvalidInput: ``naive_datetime`` for a naive *at*.
        """
        instant = require_aware(at, "at")
        zone_info = as_zone(tz)
        if not self.slots:
            return True
        return any(slot.end_for(instant, zone_info, self.starts) is not None for slot in self.slots)

    def deadline(
        self, opened_at: datetime, duration: Duration | str, tz: ZoneInfo | str
    ) -> datetime:
        """The deadline of a group opened at *opened_at*; see :func:`deadline`."""
        instant = require_aware(opened_at, "opened_at")
        zone_info = as_zone(tz)
        window = Duration.parse(duration, "window")
        slot_end: datetime | None = None
        if self.slots:
            ends = [
                e for e in (s.end_for(instant, zone_info, self.starts) for s in self.slots) if e
            ]
            if not ends:
                raise Rejected(
                    "outside_slot",
                    f"groups may open only inside the calendar's slots, not at "
                    f"{instant.astimezone(zone_info).isoformat()}",
                    field="opened_at",
                    value=instant.isoformat(),
                )
            slot_end = max(ends)
        result = window.after(instant, zone_info)
        opening_day = instant.astimezone(zone_info).date()
        for extension in self.extensions:
            if extension.applies(opening_day, self.starts):
                result = extension.add.after(result, zone_info)
        result = self._after_quiet(result.astimezone(UTC), zone_info)
        if slot_end is not None and slot_end < result:
            result = slot_end
        return result.astimezone(zone_info)

    def _after_quiet(self, instant: datetime, tz: ZoneInfo) -> datetime:
        for _ in range(_MAX_PUSHES):
            periods = (q.period_around(instant, tz, self.starts) for q in self.quiet)
            ends = [p[1] for p in periods if p]
            if not ends:
                return instant
            instant = max(ends)
        raise _calendar_error("calendar.quiet", "quiet hours never end", None)


def _rows(value: object, field: str) -> tuple[Mapping[str, Any], ...]:
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        raise _calendar_error(field, "must be a list of tables", type(value).__name__)
    rows = tuple(islice(value, MAX_ENTRIES + 1))
    if len(rows) > MAX_ENTRIES:
        raise _calendar_error(field, f"must hold at most {MAX_ENTRIES} entries", MAX_ENTRIES)
    for row in rows:
        if not isinstance(row, Mapping):
            raise _calendar_error(field, "must be a list of tables", type(row).__name__)
    return rows


def _built(kind: type[Any], data: Mapping[str, Any], key: str, known: set[str]) -> list[Any]:
    built = []
    for index, row in enumerate(_rows(data.get(key, ()), f"calendar.{key}")):
        where = f"calendar.{key}[{index}]"
        unknown = sorted(str(key) for key in set(row) - known)
        if unknown:
            raise _calendar_error(f"{where}.{unknown[0][:40]}", "is not a known key", unknown[0])
        try:
            built.append(kind(**{str(key): value for key, value in row.items()}))
        except TypeError as error:  # a required key is missing
            raise _calendar_error(where, f"misses a key ({error})", sorted(map(str, row))) from None
        except InvalidInput as error:
            name = str(error.fields.get("field", "")).rsplit(".", 1)[-1]
            field = f"{where}.{name}" if name else where
            raise InvalidRule(
                error.code, f"{where}: {error.message}", **{**error.fields, "field": field}
            ) from None
    return built
