"""Instants and zones: aware datetimes only, IANA zones by name."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tuangou_core.errors import InvalidInput

EARLIEST: Final = datetime(1970, 1, 1, tzinfo=UTC)
"""The earliest instant the library accepts (the Unix epoch)."""

LATEST: Final = datetime(9000, 1, 1, tzinfo=UTC)
"""The first instant the library refuses: far beyond any campaign, and far enough below
year 9999 that every deadline (a window of at most ten years, calendar extensions) is computed
without overflow."""

_EARLIEST_UTC: Final = EARLIEST.replace(tzinfo=None)
_LATEST_UTC: Final = LATEST.replace(tzinfo=None)


_EARLIEST_YEAR: Final = EARLIEST.year
_LATEST_YEAR: Final = LATEST.year - 1  # LATEST is the first instant of its year


def require_aware(value: object, field: str) -> datetime:
    """Return *value* if it is a time-zone-aware datetime from :data:`EARLIEST` to before
    :data:`LATEST`.

    Raises:
        InvalidInput: ``naive_datetime`` for a naive one, ``invalid_datetime`` for anything
            that is not a datetime, ``datetime_out_of_range`` outside the range; each names
            *field*.
    """
    if not isinstance(value, datetime):
        raise InvalidInput(
            "invalid_datetime",
            f"{field} must be a datetime with a UTC offset, got {type(value).__name__}",
            field=field,
            value=value,
        )
    offset = None if value.tzinfo is None else value.utcoffset()
    if offset is None:
        raise InvalidInput(
            "naive_datetime",
            f"{field} must carry a time zone or UTC offset, got the naive {value.isoformat()}",
            field=field,
            value=value.isoformat(),
        )
    # A UTC offset moves an instant by under a day, so a year strictly inside the range is
    # inside whatever the offset: the common case skips the two offset-aware comparisons.
    if _EARLIEST_YEAR < value.year < _LATEST_YEAR:
        return value
    try:
        # The instant in UTC, from the one offset already read: comparing with the aware
        # bounds directly asks a ZoneInfo for its offset several times over (PEP 495), which
        # made this check cost more than the command it guards.
        utc = value.replace(tzinfo=None) - offset
        inside = _EARLIEST_UTC <= utc < _LATEST_UTC
    except OverflowError:  # 0001-01-01 with a positive offset lies before year 1 in UTC
        inside = False
    if not inside:
        raise InvalidInput(
            "datetime_out_of_range",
            f"{field} must lie from {EARLIEST:%Y-%m-%d} to before {LATEST:%Y-%m-%d} (UTC), "
            f"got {value.isoformat()}",
            field=field,
            value=value.isoformat(),
        )
    return value


def zone(name: str, field: str = "timezone") -> ZoneInfo:
    """The IANA time zone *name*.

    Raises:
        InvalidInput: ``unknown_timezone`` naming *field*.
    """
    found = _ZONES.get(name) if type(name) is str else None
    if found is not None:
        return found  # a campaign asks for its zone at every command: read it once
    try:
        if (
            not isinstance(name, str)
            or not name
            or len(name) > 64
            or ".." in name
            or name.startswith("/")
        ):
            raise ValueError(name)
        found = ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise InvalidInput(
            "unknown_timezone",
            f"{field} must be an IANA time zone name like 'Asia/Shanghai', got "
            f"{name[:64] if isinstance(name, str) else type(name).__name__!r}",
            field=field,
            value=name[:64] if isinstance(name, str) else type(name).__name__,
        ) from None
    if len(_ZONES) < _MAX_ZONES:
        _ZONES[name] = found
    return found


_ZONES: dict[str, ZoneInfo] = {}
_MAX_ZONES: Final = 1024  # the IANA database has about 600 names; junk never gets in


def as_zone(tz: ZoneInfo | str, field: str = "tz") -> ZoneInfo:
    return tz if isinstance(tz, ZoneInfo) else zone(tz, field)
