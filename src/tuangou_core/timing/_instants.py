"""Instants and zones: aware datetimes only, IANA zones by name."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tuangou_core.errors import InvalidInput


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


def as_zone(tz: ZoneInfo | str) -> ZoneInfo:
    return tz if isinstance(tz, ZoneInfo) else zone(tz)
