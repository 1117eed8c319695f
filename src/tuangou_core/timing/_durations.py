"""ISO 8601 durations: an exact part (seconds) and a calendar part (years, months, days).

Hours, minutes and seconds are exact elapsed time; days, weeks and months are calendar units in
the campaign's time zone, so ``P1D`` opened at 10:00 closes at 10:00 the next local day even
across a daylight-saving change, while ``PT24H`` closes 24 real hours later.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from typing import Final
from zoneinfo import ZoneInfo

import attrs
from dateutil.relativedelta import relativedelta

from tuangou_core._validators import whole
from tuangou_core.errors import InvalidInput
from tuangou_core.timing._instants import as_zone, require_aware

_DURATION: Final = re.compile(
    r"P(?:(?P<years>[0-9]+)Y)?(?:(?P<months>[0-9]+)M)?"
    r"(?:(?P<weeks>[0-9]+)W)?(?:(?P<days>[0-9]+)D)?"
    r"(?:T(?:(?P<hours>[0-9]+)H)?(?:(?P<minutes>[0-9]+)M)?(?:(?P<seconds>[0-9]+)S)?)?"
)
_MAX_SECONDS: Final = 366 * 86400 * 10  # ten years: no campaign window is longer
_MAX_TEXT: Final = 64  # longer text cannot be a duration of at most ten years


_MONTHS: Final = whole("duration.months", 0, _MAX_SECONDS, code="invalid_duration")
_DAYS: Final = whole("duration.days", 0, _MAX_SECONDS, code="invalid_duration")
_SECONDS: Final = whole("duration.seconds", 0, _MAX_SECONDS, code="invalid_duration")


def _months(value: int) -> int:
    return _MONTHS(value)


def _days(value: int) -> int:
    return _DAYS(value)


def _seconds(value: int) -> int:
    return _SECONDS(value)


@attrs.frozen
class Duration:
    """An ISO 8601 duration: calendar part (years, months, days) and exact part (seconds).

    Build one with :meth:`parse`. ``str()`` gives back the canonical ISO text. Each part is a
    whole number of at least zero; together they are longer than zero and at most ten years.

    Raises:
        InvalidInput: ``invalid_duration`` naming the part.
    """

    months: int = attrs.field(default=0, converter=_months)
    days: int = attrs.field(default=0, converter=_days)
    seconds: int = attrs.field(default=0, converter=_seconds)

    def __attrs_post_init__(self) -> None:
        approximate = self.months * 31 * 86400 + self.days * 86400 + self.seconds
        if approximate <= 0 or approximate > _MAX_SECONDS:
            raise InvalidInput(
                "invalid_duration",
                f"duration must be longer than zero and at most ten years, got {self}",
                field="duration",
                value=str(self),
            )

    @classmethod
    def parse(cls, text: str | Duration | timedelta, field: str = "duration") -> Duration:
        """Read ``"PT24H"``, ``"P1D"``, ``"P1DT2H30M"``; a ``timedelta`` is taken as exact time.

        Raises:
            InvalidInput: ``invalid_duration`` naming *field* for junk, a zero or negative
                length, fractions, or more than ten years.
        """
        if not isinstance(field, str):
            field = "duration"
        if isinstance(text, Duration):
            return text
        if isinstance(text, timedelta):
            seconds = text.total_seconds()
            if seconds != int(seconds) or not 0 < seconds <= _MAX_SECONDS:
                raise InvalidInput(
                    "invalid_duration",
                    f"{field} must be whole seconds, longer than zero and at most ten years",
                    field=field,
                    value=str(text),
                )
            found = cls(0, 0, int(seconds))
        else:
            # Length first: a thousand-digit count is junk, and int() would refuse it raw.
            usable = isinstance(text, str) and len(text) <= _MAX_TEXT
            match = _DURATION.fullmatch(text.strip()) if usable else None
            if match is None or text.strip() in ("P", "PT") or text.strip().endswith("T"):
                shown = text if isinstance(text, str) and usable else type(text).__name__
                raise InvalidInput(
                    "invalid_duration",
                    f"{field} must be an ISO 8601 duration like 'PT24H' or 'P1D', got {shown!r}",
                    field=field,
                    value=shown,
                )
            parts = {k: int(v) if v else 0 for k, v in match.groupdict().items()}
            months = parts["years"] * 12 + parts["months"]
            days = parts["weeks"] * 7 + parts["days"]
            seconds = parts["hours"] * 3600 + parts["minutes"] * 60 + parts["seconds"]
            approximate = months * 31 * 86400 + days * 86400 + seconds
            if approximate <= 0 or approximate > _MAX_SECONDS:
                raise InvalidInput(
                    "invalid_duration",
                    f"{field} must be longer than zero and at most ten years, got {text!r}",
                    field=field,
                    value=str(text),
                )
            found = cls(months, days, seconds)
        return found

    def after(self, start: datetime, tz: ZoneInfo) -> datetime:
        """The instant this duration after *start*: calendar units in *tz*, then exact time.

        Args:
            start: an aware datetime.
            tz: the zone whose wall clock the calendar units follow.

        Returns:
            An aware datetime in *tz*.

        Raises:
            InvalidInput: ``naive_datetime`` for a naive *start*, ``datetime_out_of_range`` for
                a start outside the library's range or a result past year 9999,
                ``unknown_timezone``.
        """
        # A naive start would be read in the machine's own zone: refuse it.
        tz = as_zone(tz)
        try:
            start = require_aware(start, "start")
            if type(start.tzinfo) is timezone and not (self.months or self.days):
                # A fixed offset's wall clock is elapsed time: exact units are added there
                # and the instant read in *tz* once (two conversions fewer per payment hold).
                return (start + timedelta(seconds=self.seconds)).astimezone(tz)
            return self._after(start.astimezone(tz), tz)
        except OverflowError:
            raise InvalidInput(
                "datetime_out_of_range",
                f"{self} after {start.isoformat()} lies past year 9999",
                field="start",
                value=start.isoformat(),
            ) from None

    def _after(self, local: datetime, tz: ZoneInfo) -> datetime:
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
