"""Deadlines: when a group opened at an instant must have formed, and whether it may open.

A deadline takes effect *at* its instant: a group whose window closes at 10:00 is closed to a
payment that arrives at 10:00:00.
"""

from __future__ import annotations

from datetime import datetime
from typing import Final
from zoneinfo import ZoneInfo

from tuangou_core.timing._calendar import Calendar
from tuangou_core.timing._durations import Duration


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
