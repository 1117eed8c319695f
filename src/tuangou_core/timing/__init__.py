"""Time: durations, formation deadlines and merchant calendars.

A formation window is an ISO 8601 duration (``"PT24H"``, ``"P1D"``, ``"PT15M"``) counted from the
moment a group opens (:class:`Duration`). A :class:`Calendar` shapes the window with RFC 5545
recurrence rules (through dateutil): extensions for groups opened on matching days, quiet hours
a deadline may not fall in, and time-of-day slots in which groups may open and by whose end they
must close. See :func:`deadline` and :func:`may_open`. Every instant is time-zone aware.
"""

from __future__ import annotations

from tuangou_core.timing._calendar import Calendar, Extension, QuietHours, Slot
from tuangou_core.timing._deadlines import deadline, may_open
from tuangou_core.timing._durations import Duration
from tuangou_core.timing._instants import require_aware, zone

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
