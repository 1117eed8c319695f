"""Calendar rules: RFC 5545 recurrence text that picks local days, matched without a walk.

A merchant calendar's rules say on which local days something applies (weekends, the first
Monday of the month, 12-25). dateutil's ``rrulestr`` reads and checks the text; the match of one
day is then decided from the rule's parts directly, in time independent of how far the day lies
from the rule's start, so no deadline walks a recurrence from a fixed year (the old anchor was
2000-01-01: ``FREQ=MINUTELY`` hung a settle for minutes, a far date for seconds).

The grammar a calendar rule may use (docs/windows.md, "Rules"):

- ``FREQ`` is ``DAILY``, ``WEEKLY``, ``MONTHLY`` or ``YEARLY``. ``HOURLY``, ``MINUTELY`` and
  ``SECONDLY`` are refused: a rule picks days, the times of day belong to the entry.
- ``INTERVAL`` (1 to 1000), ``UNTIL`` (its local date is the last day), ``WKST``, ``BYDAY``,
  ``BYMONTHDAY`` and ``BYMONTH``. ``BYDAY`` ordinals (``1MO``, ``-1FR``) only with ``MONTHLY``,
  and not mixed with plain weekdays in one rule (dateutil and RFC 5545 read the mix apart).
  ``COUNT``, ``BYSETPOS``, ``BYYEARDAY``, ``BYWEEKNO``, ``BYEASTER``, ``BYHOUR``, ``BYMINUTE``,
  ``BYSECOND``, ``EXRULE`` and ``DTSTART`` are refused.
- ``RDATE`` and ``EXDATE`` lines add and remove local days (their time of day is not read).
- A rule that depends on where it starts (an ``INTERVAL`` above 1, or ``WEEKLY``, ``MONTHLY``
  or ``YEARLY`` without ``BYMONTHDAY`` or ``BYDAY``, which take their day from the start)
  recurs from the calendar's ``starts``, the campaign's first local day (RFC 5545's DTSTART);
  without one it is refused. No day before ``starts`` matches.
"""

from __future__ import annotations

import calendar as _days
import re
from datetime import date, datetime, timedelta
from typing import Final

import attrs
from dateutil.rrule import rrulestr

from tuangou_core.errors import InvalidRule

MAX_RULE_TEXT: Final = 2000
_MAX_INTERVAL: Final = 1000
_PROBE_START: Final = datetime(2000, 1, 1)  # only to let dateutil check the text
_FREQS: Final = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
_SUB_DAILY: Final = ("HOURLY", "MINUTELY", "SECONDLY")
_ALLOWED: Final = {"FREQ", "INTERVAL", "UNTIL", "WKST", "BYDAY", "BYMONTHDAY", "BYMONTH"}
_WEEKDAYS: Final = {"MO": 0, "TU": 1, "WE": 2, "TH": 3, "FR": 4, "SA": 5, "SU": 6}
_BYDAY: Final = re.compile(r"([+-]?[0-9]{1,2})?(MO|TU|WE|TH|FR|SA|SU)")
_DAY_VALUE: Final = re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})")


def calendar_error(field: str, message: str, value: object) -> InvalidRule:
    """The ``invalid_calendar`` error naming *field*."""
    shown = value[:200] if isinstance(value, str) else value
    return InvalidRule("invalid_calendar", f"{field} {message}", field=field, value=shown)


@attrs.frozen
class DayRule:
    """A parsed calendar rule: which local days it picks. Build one with :func:`parse_rule`."""

    freq: str | None  # None: only RDATE days
    interval: int
    until: date | None
    wkst: int
    months: frozenset[int]
    monthdays: frozenset[int]
    weekdays: frozenset[int]
    nth: frozenset[tuple[int, int]]  # (ordinal, weekday): MONTHLY only
    added: frozenset[date]
    removed: frozenset[date]
    needs_start: bool

    def matches(self, day: date, starts: date | None) -> bool:
        """True when the rule picks local *day*; *starts* is the calendar's first day."""
        if day in self.removed:
            return False
        if day in self.added:
            return True
        if self.freq is None or (self.until is not None and day > self.until):
            return False
        if starts is not None and day < starts:
            return False
        anchor = starts or day  # a rule without needs_start reads nothing from the anchor
        if self.interval > 1 and self._periods(anchor, day) % self.interval:
            return False
        months, monthdays, weekdays = self.months, self.monthdays, self.weekdays
        default = not (monthdays or weekdays or self.nth)
        if self.freq == "YEARLY" and default:
            months = months or frozenset({anchor.month})
            monthdays = frozenset({anchor.day})
        elif self.freq == "MONTHLY" and default:
            monthdays = frozenset({anchor.day})
        elif self.freq == "WEEKLY" and default:
            weekdays = frozenset({anchor.weekday()})
        if months and day.month not in months:
            return False
        length = _days.monthrange(day.year, day.month)[1]
        if monthdays and day.day not in monthdays and day.day - length - 1 not in monthdays:
            return False
        if weekdays or self.nth:
            weekday = day.weekday()
            plain = weekday in weekdays
            forward = (weekday, (day.day - 1) // 7 + 1) in self._nth_pairs
            backward = (weekday, -((length - day.day) // 7 + 1)) in self._nth_pairs
            if not (plain or forward or backward):
                return False
        return True

    @property
    def _nth_pairs(self) -> frozenset[tuple[int, int]]:
        return frozenset((weekday, ordinal) for ordinal, weekday in self.nth)

    def _periods(self, anchor: date, day: date) -> int:
        if self.freq == "DAILY":
            return (day - anchor).days
        if self.freq == "WEEKLY":
            return (_week_start(day, self.wkst) - _week_start(anchor, self.wkst)).days // 7
        if self.freq == "MONTHLY":
            return (day.year - anchor.year) * 12 + day.month - anchor.month
        return day.year - anchor.year


def _week_start(day: date, wkst: int) -> date:
    return day - timedelta(days=(day.weekday() - wkst) % 7)


def parse_rule(text: object, field: str) -> DayRule | None:
    """Read calendar rule *text* (None: no rule, every day matches).

    Raises:
        InvalidRule: ``invalid_calendar`` naming *field* for text that is not a rule, or uses a
            part the calendar does not read (see the module's grammar).
    """
    if text is None:
        return None
    if not isinstance(text, str) or not text.strip() or len(text) > MAX_RULE_TEXT:
        raise calendar_error(field, "must be RFC 5545 recurrence text", text)
    upper = text.upper()
    if "DTSTART" in upper:
        raise calendar_error(
            field, "must not carry DTSTART: rules recur from the calendar's starts", text
        )
    lines = [line.strip() for line in upper.splitlines() if line.strip()]
    rules: list[str] = []
    added: list[date] = []
    removed: list[date] = []
    for line in lines:
        head = re.split(r"[:;]", line, maxsplit=1)[0]
        if head in ("RDATE", "EXDATE"):
            (added if head == "RDATE" else removed).extend(_days_of(line, field))
        elif head == "RRULE" or head.startswith("FREQ") or "=" in head:
            rules.append(line.removeprefix("RRULE:"))
        else:
            raise calendar_error(field, f"has a line the calendar does not read ({head})", text)
    if len(rules) > 1:
        raise calendar_error(field, "must hold at most one RRULE", text)
    body = "\n".join(f"RRULE:{r}" for r in rules) or ""
    if body:
        try:
            rrulestr(body, dtstart=_PROBE_START, forceset=True)
        except (ValueError, TypeError, OverflowError, KeyError, IndexError) as error:
            message = str(error)[:120]
            raise calendar_error(
                field, f"is not a valid recurrence rule ({message})", text
            ) from None
    if not rules:
        return DayRule(
            None, 1, None, 0, frozenset(), frozenset(), frozenset(), frozenset(),
            frozenset(added), frozenset(removed), False,
        )  # fmt: skip
    return _rrule(rules[0], frozenset(added), frozenset(removed), field, text)


def _days_of(line: str, field: str) -> list[date]:
    values = line.split(":", 1)[1] if ":" in line else ""
    found = []
    for value in values.split(","):
        match = _DAY_VALUE.match(value.strip())
        if match is None:
            raise calendar_error(field, "has an RDATE or EXDATE that is not a date", line)
        try:
            found.append(date(*(int(part) for part in match.groups())))
        except ValueError:
            raise calendar_error(field, "has an RDATE or EXDATE that is not a date", line) from None
    return found


def _rrule(
    rule: str, added: frozenset[date], removed: frozenset[date], field: str, text: str
) -> DayRule:
    parts: dict[str, str] = {}
    for part in rule.split(";"):
        key, _, value = part.partition("=")
        parts[key.strip()] = value.strip()
    freq = parts.get("FREQ", "")
    if freq in _SUB_DAILY:
        raise calendar_error(
            field, f"FREQ={freq} is finer than a day: a calendar rule picks days", text
        )
    if freq not in _FREQS:
        raise calendar_error(field, "FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY", text)
    refused = sorted(set(parts) - _ALLOWED)
    if refused:
        raise calendar_error(field, f"{refused[0]} is not read by a calendar rule", text)
    interval = int(parts.get("INTERVAL", "1") or "1")
    if not 1 <= interval <= _MAX_INTERVAL:
        raise calendar_error(field, f"INTERVAL must be from 1 to {_MAX_INTERVAL}", text)
    until = None
    if "UNTIL" in parts:
        match = _DAY_VALUE.match(parts["UNTIL"])
        if match is None:
            raise calendar_error(field, "UNTIL must be a date", text)
        until = date(*(int(p) for p in match.groups()))
    weekdays, nth = set(), set()
    for item in filter(None, parts.get("BYDAY", "").split(",")):
        match = _BYDAY.fullmatch(item)
        if match is None:
            raise calendar_error(field, f"BYDAY {item} is not a weekday", text)
        ordinal, weekday = match.group(1), _WEEKDAYS[match.group(2)]
        if ordinal is None:
            weekdays.add(weekday)
        elif freq != "MONTHLY" or not 1 <= abs(int(ordinal)) <= 5:
            raise calendar_error(
                field, "BYDAY ordinals (1MO, -1FR) need FREQ=MONTHLY and 1–5", text
            )
        else:
            nth.add((int(ordinal), weekday))
    if weekdays and nth:
        # dateutil would require both (a Tuesday that is also the first Monday), RFC 5545 either.
        raise calendar_error(field, "BYDAY must not mix ordinals (1MO) and weekdays (TU)", text)
    months = frozenset(_numbers(parts.get("BYMONTH", "")))
    monthdays = frozenset(_numbers(parts.get("BYMONTHDAY", "")))
    default = not (monthdays or weekdays or nth)
    # Without BYMONTHDAY and BYDAY, WEEKLY, MONTHLY and YEARLY take their day from the start.
    needs_start = interval > 1 or (default and freq != "DAILY")
    return DayRule(
        freq, interval, until, _WEEKDAYS.get(parts.get("WKST", "MO"), 0), months, monthdays,
        frozenset(weekdays), frozenset(nth), added, removed, needs_start,
    )  # fmt: skip


def _numbers(text: str) -> list[int]:
    return [int(item) for item in text.split(",") if item.strip()]
