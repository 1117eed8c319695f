"""Durations, formation deadlines and merchant calendars.

A formation window is an ISO 8601 duration (``"PT24H"``, ``"P1D"``, ``"PT15M"``) counted from the
moment a group opens. Hours, minutes and seconds are exact elapsed time; days, weeks and months
are calendar units in the campaign's time zone, so ``P1D`` opened at 10:00 closes at 10:00 the
next local day even across a daylight-saving change, while ``PT24H`` closes 24 real hours later.

A deadline takes effect *at* its instant: a group whose window closes at 10:00 is closed to a
payment that arrives at 10:00:00.

A :class:`Calendar` shapes the window with RFC 5545 recurrence rules (through dateutil):
extensions for groups opened on matching days, quiet hours a deadline may not fall in, and
time-of-day slots in which groups may open and by whose end they must close. See
:func:`deadline` and :func:`may_open`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs
from dateutil.relativedelta import relativedelta
from dateutil.rrule import rruleset, rrulestr

from tuangou_core.errors import InvalidInput, InvalidRule, Rejected

__all__ = [
    "Calendar",
    "Duration",
    "Extension",
    "QuietHours",
    "Slot",
    "deadline",
    "may_open",
    "require_aware",
    "zone",
]

_DURATION: Final = re.compile(
    r"P(?:(?P<years>[0-9]+)Y)?(?:(?P<months>[0-9]+)M)?"
    r"(?:(?P<weeks>[0-9]+)W)?(?:(?P<days>[0-9]+)D)?"
    r"(?:T(?:(?P<hours>[0-9]+)H)?(?:(?P<minutes>[0-9]+)M)?(?:(?P<seconds>[0-9]+)S)?)?"
)
_MAX_SECONDS: Final = 366 * 86400 * 10  # ten years: no campaign window is longer
_MAX_TEXT: Final = 64  # longer text cannot be a duration of at most ten years


def require_aware(value: object, field: str) -> datetime:
    """Return *value* if it is a time-zone-aware datetime.

    Raises:
        InvalidInput: ``naive_datetime`` for a naive one, ``invalid_datetime`` for anything
            that is not a datetime; both name *field*.
    """
    if not isinstance(value, datetime):
        raise InvalidInput(
            "invalid_datetime",
            f"{field} must be a datetime with a UTC offset, got {type(value).__name__}",
            field=field,
            value=value,
        )
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidInput(
            "naive_datetime",
            f"{field} must carry a time zone or UTC offset, got the naive {value.isoformat()}",
            field=field,
            value=value.isoformat(),
        )
    return value


def zone(name: str, field: str = "timezone") -> ZoneInfo:
    """The IANA time zone *name*.

    Raises:
        InvalidInput: ``unknown_timezone`` naming *field*.
    """
    try:
        if not isinstance(name, str) or not name or ".." in name or name.startswith("/"):
            raise ValueError(name)
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise InvalidInput(
            "unknown_timezone",
            f"{field} must be an IANA time zone name like 'Asia/Shanghai', got {name!r}",
            field=field,
            value=name,
        ) from None


@attrs.frozen
class Duration:
    """An ISO 8601 duration: calendar part (years, months, days) and exact part (seconds).

    Build one with :meth:`parse`. ``str()`` gives back the canonical ISO text.
    """

    months: int = 0
    days: int = 0
    seconds: int = 0

    @classmethod
    def parse(cls, text: str | Duration | timedelta, field: str = "duration") -> Duration:
        """Read ``"PT24H"``, ``"P1D"``, ``"P1DT2H30M"``; a ``timedelta`` is taken as exact time.

        Raises:
            InvalidInput: ``invalid_duration`` naming *field* for junk, a zero or negative
                length, fractions, or more than ten years.
        """
        if isinstance(text, Duration):
            return text
        if isinstance(text, timedelta):
            seconds = text.total_seconds()
            if seconds != int(seconds):
                raise InvalidInput(
                    "invalid_duration",
                    f"{field} must be whole seconds",
                    field=field,
                    value=str(text),
                )
            found = cls(0, 0, int(seconds))
        else:
            # Length first: a thousand-digit count is junk, and int() would refuse it raw.
            usable = isinstance(text, str) and len(text) <= _MAX_TEXT
            match = _DURATION.fullmatch(text.strip()) if usable else None
            if match is None or text.strip() in ("P", "PT") or text.strip().endswith("T"):
                raise InvalidInput(
                    "invalid_duration",
                    f"{field} must be an ISO 8601 duration like 'PT24H' or 'P1D', got {text!r}",
                    field=field,
                    value=text,
                )
            parts = {k: int(v) if v else 0 for k, v in match.groupdict().items()}
            found = cls(
                months=parts["years"] * 12 + parts["months"],
                days=parts["weeks"] * 7 + parts["days"],
                seconds=parts["hours"] * 3600 + parts["minutes"] * 60 + parts["seconds"],
            )
        approximate = found.months * 31 * 86400 + found.days * 86400 + found.seconds
        if approximate <= 0 or approximate > _MAX_SECONDS:
            raise InvalidInput(
                "invalid_duration",
                f"{field} must be longer than zero and at most ten years, got {text!r}",
                field=field,
                value=str(text),
            )
        return found

    def after(self, start: datetime, tz: ZoneInfo) -> datetime:
        """The instant this duration after *start*: calendar units in *tz*, then exact time.

        Args:
            start: an aware datetime.
            tz: the zone whose wall clock the calendar units follow.

        Returns:
            An aware datetime in *tz*.

        Raises:
            InvalidInput: ``naive_datetime`` for a naive *start*.
        """
        # A naive start would be read in the machine's own zone: refuse it.
        local = require_aware(start, "start").astimezone(tz)
        if self.months or self.days:
            wall = local.replace(tzinfo=None) + relativedelta(months=self.months, days=self.days)
            # Calendar units move the wall clock; the UTC round trip resolves a skipped hour
            # forward, and fold=0 picks the earlier of a repeated one.
            local = wall.replace(tzinfo=tz).astimezone(UTC).astimezone(tz)
        if self.seconds:
            # Exact units are elapsed time: add them in UTC, never on the wall clock.
            local = (local.astimezone(UTC) + timedelta(seconds=self.seconds)).astimezone(tz)
        return local

    def as_timedelta(self) -> timedelta:
        """The exact part as a ``timedelta`` (calendar units counted as 24-hour days, 30-day
        months: for display and estimates only)."""
        return timedelta(days=self.months * 30 + self.days, seconds=self.seconds)

    def __str__(self) -> str:
        years, months = divmod(self.months, 12)
        hours, rest = divmod(self.seconds, 3600)
        minutes, seconds = divmod(rest, 60)
        date = "".join(f"{n}{u}" for n, u in ((years, "Y"), (months, "M"), (self.days, "D")) if n)
        time = "".join(f"{n}{u}" for n, u in ((hours, "H"), (minutes, "M"), (seconds, "S")) if n)
        return "P" + date + ("T" + time if time else "")


# -- merchant calendars -----------------------------------------------------------------------
#
# A calendar shapes a formation window with RFC 5545 recurrence rules (dateutil's rrulestr):
# extensions lengthen the window of groups opened on matching days, quiet hours push a
# deadline that falls inside them to their end, and time-of-day slots say when groups may
# open and by when they must close. Rules read local dates on the campaign's wall clock.

_RULE_ANCHOR: Final = datetime(2000, 1, 1)  # rules recur on the wall clock
_MAX_RULE_TEXT: Final = 2000
_MAX_PUSHES: Final = 16  # quiet periods chained back to back; more is a broken calendar


def _calendar_error(field: str, message: str, value: object) -> InvalidRule:
    return InvalidRule("invalid_calendar", f"{field} {message}", field=field, value=value)


def _parse_rule(text: str | None, field: str) -> rruleset | None:
    if text is None:
        return None
    if not isinstance(text, str) or not text.strip() or len(text) > _MAX_RULE_TEXT:
        raise _calendar_error(field, "must be RFC 5545 recurrence text", text)
    if "DTSTART" in text.upper():
        raise _calendar_error(
            field, "must not carry DTSTART: rules recur on the campaign's wall clock", text
        )
    body = text.strip()
    if not any(body.upper().startswith(p) for p in ("RRULE:", "RDATE", "EXDATE", "EXRULE")):
        body = "RRULE:" + body
    try:
        parsed = rrulestr(body, dtstart=_RULE_ANCHOR, forceset=True, cache=True)
    except (ValueError, TypeError, OverflowError, KeyError, IndexError, AttributeError) as error:
        raise _calendar_error(field, f"is not a valid recurrence rule ({error})", text) from None
    if not isinstance(parsed, rruleset):
        raise _calendar_error(field, "must be RFC 5545 recurrence text", text)
    return parsed


def _parse_time(value: object, field: str) -> time:
    if isinstance(value, time) and value.tzinfo is None:
        return value
    if isinstance(value, str):
        try:
            return time.fromisoformat(value.strip())
        except ValueError:
            pass
    raise _calendar_error(field, f"must be a wall-clock time like '22:00', got {value!r}", value)


def _wall(day: date, at: time, tz: ZoneInfo) -> datetime:
    """The instant *at* on *day* on *tz*'s wall clock, in UTC; a skipped time resolves
    forward and a repeated one to its first occurrence. (Instants are compared in UTC: two
    datetimes sharing a tzinfo compare by wall clock, which is wrong in a repeated hour.)"""
    return datetime.combine(day, at).replace(tzinfo=tz).astimezone(UTC)


def _matches(rule: rruleset | None, day: date) -> bool:
    if rule is None:
        return True
    start = datetime.combine(day, time())
    found = rule.after(start, inc=True)
    return found is not None and found.date() == day


def _to_start(value: object) -> time:
    return _parse_time(value, "start")


def _to_end(value: object) -> time:
    return _parse_time(value, "end")


def _to_duration(value: object) -> Duration:
    try:
        return Duration.parse(value, "calendar.extension.add")  # type: ignore[arg-type]
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
    _parsed: rruleset | None = attrs.field(init=False, eq=False, hash=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_parsed", _parse_rule(self.rule, "calendar.extension.rule"))

    def applies(self, day: date) -> bool:
        """True when a group opened on local *day* gets the extension."""
        return _matches(self._parsed, day)


@attrs.frozen
class QuietHours:
    """No deadline inside ``[start, end)``; one that falls there moves to *end* (免打扰).

    ``start > end`` wraps midnight (22:00–08:00). With *rule*, only periods that start on a
    matching local day are quiet.
    """

    start: time = attrs.field(converter=_to_start)
    end: time = attrs.field(converter=_to_end)
    rule: str | None = None
    _parsed: rruleset | None = attrs.field(init=False, eq=False, hash=False, repr=False)

    def __attrs_post_init__(self) -> None:
        if self.start == self.end:
            raise _calendar_error("calendar.quiet", "must not start and end at once", None)
        object.__setattr__(self, "_parsed", _parse_rule(self.rule, "calendar.quiet.rule"))

    def period_around(self, instant: datetime, tz: ZoneInfo) -> tuple[datetime, datetime] | None:
        """The quiet period holding *instant*, as ``(start, end)`` UTC instants, or None."""
        local = instant.astimezone(tz)
        instant = instant.astimezone(UTC)
        wraps = self.start > self.end
        for offset in (0, -1) if wraps else (0,):
            day = local.date() + timedelta(days=offset)
            if not _matches(self._parsed, day):
                continue
            begin = _wall(day, self.start, tz)
            finish = _wall(day + timedelta(days=1) if wraps else day, self.end, tz)
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
    _parsed: rruleset | None = attrs.field(init=False, eq=False, hash=False, repr=False)

    def __attrs_post_init__(self) -> None:
        if self.start >= self.end:
            raise _calendar_error(
                "calendar.slot", f"must start before it ends ({self.start}–{self.end})", None
            )
        object.__setattr__(self, "_parsed", _parse_rule(self.rule, "calendar.slot.rule"))

    def end_for(self, instant: datetime, tz: ZoneInfo) -> datetime | None:
        """The end of this slot (a UTC instant) when *instant* lies inside it, else None."""
        local = instant.astimezone(tz)
        instant = instant.astimezone(UTC)
        day = local.date()
        if not _matches(self._parsed, day):
            return None
        begin, finish = _wall(day, self.start, tz), _wall(day, self.end, tz)
        return finish if begin <= instant < finish else None


def _tuple_of(kind: type[Any], field: str) -> Any:
    def convert(values: object) -> tuple[Any, ...]:
        if isinstance(values, str | bytes) or not isinstance(values, Iterable):
            raise _calendar_error(field, "must be a list", values)
        items = tuple(values)
        for item in items:
            if not isinstance(item, kind):
                raise _calendar_error(field, f"must hold {kind.__name__} values", item)
        return items

    return convert


def _extensions(values: object) -> tuple[Extension, ...]:
    converted: tuple[Extension, ...] = _tuple_of(Extension, "calendar.extensions")(values)
    return converted


def _quiet(values: object) -> tuple[QuietHours, ...]:
    converted: tuple[QuietHours, ...] = _tuple_of(QuietHours, "calendar.quiet")(values)
    return converted


def _slots(values: object) -> tuple[Slot, ...]:
    converted: tuple[Slot, ...] = _tuple_of(Slot, "calendar.slots")(values)
    return converted


@attrs.frozen
class Calendar:
    """A merchant's calendar for formation windows.

    Args:
        extensions: extra time for groups opened on matching days (they add up).
        quiet: quiet hours; a deadline inside one moves to its end.
        slots: when any are given, groups open only inside a slot and close by its end.
    """

    extensions: tuple[Extension, ...] = attrs.field(default=(), converter=_extensions)
    quiet: tuple[QuietHours, ...] = attrs.field(default=(), converter=_quiet)
    slots: tuple[Slot, ...] = attrs.field(default=(), converter=_slots)

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
        unknown = sorted(set(data) - {"extensions", "quiet", "slots"})
        if unknown:
            raise _calendar_error(f"calendar.{unknown[0]}", "is not a known key", unknown[0])
        return cls(
            extensions=_built(Extension, data, "extensions", {"rule", "add"}),
            quiet=_built(QuietHours, data, "quiet", {"start", "end", "rule"}),
            slots=_built(Slot, data, "slots", {"start", "end", "rule"}),
        )

    def may_open(self, at: datetime, tz: ZoneInfo | str) -> bool:
        """True when a group may open at *at*: always without slots, else inside a slot.

        Raises:
            InvalidInput: ``naive_datetime`` for a naive *at*.
        """
        instant = require_aware(at, "at")
        zone_info = _as_zone(tz)
        if not self.slots:
            return True
        return any(slot.end_for(instant, zone_info) is not None for slot in self.slots)

    def deadline(
        self, opened_at: datetime, duration: Duration | str, tz: ZoneInfo | str
    ) -> datetime:
        """The deadline of a group opened at *opened_at*; see :func:`deadline`."""
        instant = require_aware(opened_at, "opened_at")
        zone_info = _as_zone(tz)
        window = Duration.parse(duration, "window")
        slot_end: datetime | None = None
        if self.slots:
            ends = [e for e in (s.end_for(instant, zone_info) for s in self.slots) if e]
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
            if extension.applies(opening_day):
                result = extension.add.after(result, zone_info)
        result = self._after_quiet(result.astimezone(UTC), zone_info)
        if slot_end is not None and slot_end < result:
            result = slot_end
        return result.astimezone(zone_info)

    def _after_quiet(self, instant: datetime, tz: ZoneInfo) -> datetime:
        for _ in range(_MAX_PUSHES):
            ends = [p[1] for p in (q.period_around(instant, tz) for q in self.quiet) if p]
            if not ends:
                return instant
            instant = max(ends)
        raise _calendar_error("calendar.quiet", "quiet hours never end", None)


def _rows(value: object, field: str) -> tuple[Mapping[str, Any], ...]:
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise _calendar_error(field, "must be a list of tables", value)
    rows = tuple(value)
    for row in rows:
        if not isinstance(row, Mapping):
            raise _calendar_error(field, "must be a list of tables", row)
    return rows


def _built(kind: type[Any], data: Mapping[str, Any], key: str, known: set[str]) -> list[Any]:
    built = []
    for index, row in enumerate(_rows(data.get(key, ()), f"calendar.{key}")):
        where = f"calendar.{key}[{index}]"
        unknown = sorted(set(row) - known)
        if unknown:
            raise _calendar_error(f"{where}.{unknown[0]}", "is not a known key", unknown[0])
        try:
            built.append(kind(**row))
        except TypeError as error:  # a required key is missing
            raise _calendar_error(where, f"misses a key ({error})", dict(row)) from None
        except InvalidInput as error:
            name = str(error.fields.get("field", "")).rsplit(".", 1)[-1]
            field = f"{where}.{name}" if name else where
            raise InvalidRule(
                error.code, f"{where}: {error.message}", **{**error.fields, "field": field}
            ) from None
    return built


def _as_zone(tz: ZoneInfo | str) -> ZoneInfo:
    return tz if isinstance(tz, ZoneInfo) else zone(tz)


def deadline(
    opened_at: datetime,
    duration: Duration | str,
    tz: ZoneInfo | str,
    calendar: Calendar | None = None,
) -> datetime:
    """When a group opened at *opened_at* must have formed.

    The window (*duration*, see :meth:`Duration.after`) runs from the opening; every
    extension whose rule matches the opening's local date adds its time; a deadline inside
    quiet hours moves to their end; and with slots, the group must close by the end of the
    slot it opened in, which wins over everything before it.

    Args:
        opened_at: an aware datetime.
        duration: the window, an ISO 8601 duration.
        tz: the campaign's zone (a ``ZoneInfo`` or an IANA name).
        calendar: the merchant's calendar; none means the plain window.

    Returns:
        An aware datetime in *tz*.

    Raises:
        InvalidInput: ``naive_datetime``, ``invalid_duration``, ``unknown_timezone``.
        Rejected: ``outside_slot`` when the calendar has slots and *opened_at* is in none.
    """
    return (calendar or _PLAIN).deadline(opened_at, duration, tz)


def may_open(at: datetime, tz: ZoneInfo | str, calendar: Calendar | None = None) -> bool:
    """True when a group may open at *at* under *calendar*."""
    return (calendar or _PLAIN).may_open(at, tz)


_PLAIN: Final = Calendar()
