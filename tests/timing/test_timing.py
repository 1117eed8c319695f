"""Durations and deadlines: ISO 8601 parsing, calendar against exact time, and aware datetimes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from strategies import durations, instants
from tuangou_core.errors import InvalidInput, TuangouError
from tuangou_core.timing import Duration, require_aware, zone

NEW_YORK = ZoneInfo("America/New_York")
SHANGHAI = ZoneInfo("Asia/Shanghai")


def refused(code: str, action: Any) -> TuangouError:
    """Run *action*, expecting a refusal with *code*; hand back the error."""
    with pytest.raises(TuangouError) as caught:
        action()
    assert caught.value.code == code, repr(caught.value)
    return caught.value


def new_york(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    """A wall-clock time in New York (the earlier one, where the hour repeats)."""
    return datetime(year, month, day, hour, minute, tzinfo=NEW_YORK)


def elapsed(start: datetime, end: datetime) -> timedelta:
    """Real time between two instants (a plain subtraction in one zone compares wall clocks)."""
    return end.astimezone(UTC) - start.astimezone(UTC)


# -- parsing ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("PT24H", Duration(seconds=86400)),
        ("P1D", Duration(days=1)),
        ("PT15M", Duration(seconds=900)),
        ("PT90S", Duration(seconds=90)),
        ("P1DT2H30M", Duration(days=1, seconds=9000)),
        ("P2W", Duration(days=14)),
        ("P1Y2M", Duration(months=14)),
        (" PT1H ", Duration(seconds=3600)),
        (timedelta(hours=2), Duration(seconds=7200)),
        (Duration(days=3), Duration(days=3)),
    ],
    ids=str,
)
def test_parse_reads_iso_durations(text: Any, expected: Duration) -> None:
    """Hours, minutes and seconds are exact time; weeks and days are days; years are months."""
    assert Duration.parse(text) == expected


@given(duration=durations())
def test_str_then_parse_round_trips(duration: Duration) -> None:
    """Duration.parse(str(d)) == d for every valid duration."""
    assert Duration.parse(str(duration)) == duration


@pytest.mark.parametrize(
    "text",
    [
        "",
        "P",
        "PT",
        "P1DT",
        "1D",
        "PT1.5H",
        "-P1D",
        "P-1D",
        "pt1h",
        "PT0S",
        "P0D",
        "P11Y",
        "PT" + "9" * 5000 + "S",
        None,
        24,
        timedelta(0),
        timedelta(seconds=-1),
        timedelta(microseconds=1),
    ],
    ids=lambda value: repr(value)[:30],
)
def test_junk_zero_negative_and_overlong_durations_are_refused(text: Any) -> None:
    """Anything but a positive ISO duration of whole seconds up to ten years is refused."""
    refused("invalid_duration", lambda: Duration.parse(text))


def test_a_refused_duration_names_its_field() -> None:
    """The error names the field the caller passed, so a scenario file's key is reported."""
    error = refused("invalid_duration", lambda: Duration.parse("1 day", "campaign.window"))
    assert isinstance(error, InvalidInput)
    assert error.field == "campaign.window"


# -- deadlines across daylight saving -----------------------------------------------------------


def test_p1d_keeps_the_wall_time_across_spring_forward() -> None:
    """P1D from 10:00 the day before the clocks go forward ends at 10:00, 23 hours later."""
    start = new_york(2024, 3, 9, 10)
    end = Duration.parse("P1D").after(start, NEW_YORK)
    assert end == new_york(2024, 3, 10, 10)
    assert elapsed(start, end) == timedelta(hours=23)


def test_pt24h_is_exact_across_spring_forward() -> None:
    """PT24H from 10:00 the day before the clocks go forward ends at 11:00 local time."""
    start = new_york(2024, 3, 9, 10)
    end = Duration.parse("PT24H").after(start, NEW_YORK)
    assert elapsed(start, end) == timedelta(hours=24)
    assert (end.hour, end.utcoffset()) == (11, timedelta(hours=-4))


def test_p1d_keeps_the_wall_time_across_fall_back() -> None:
    """P1D from 10:00 the day before the clocks go back ends at 10:00, 25 hours later."""
    start = new_york(2024, 11, 2, 10)
    end = Duration.parse("P1D").after(start, NEW_YORK)
    assert (end.hour, end.utcoffset()) == (10, timedelta(hours=-5))
    assert elapsed(start, end) == timedelta(hours=25)


def test_pt24h_is_exact_across_fall_back() -> None:
    """PT24H from 10:00 the day before the clocks go back ends at 09:00 local time."""
    start = new_york(2024, 11, 2, 10)
    end = Duration.parse("PT24H").after(start, NEW_YORK)
    assert elapsed(start, end) == timedelta(hours=24)
    assert end.hour == 9


def test_a_skipped_wall_time_moves_forward() -> None:
    """P1D onto 02:30 on the spring-forward day, a time that never happens, lands at 03:30."""
    end = Duration.parse("P1D").after(new_york(2024, 3, 9, 2, 30), NEW_YORK)
    assert (end.hour, end.minute, end.utcoffset()) == (3, 30, timedelta(hours=-4))


def test_a_repeated_wall_time_takes_the_earlier() -> None:
    """P1D onto 01:30 on the fall-back day, a time that happens twice, takes the first."""
    end = Duration.parse("P1D").after(new_york(2024, 11, 2, 1, 30), NEW_YORK)
    assert (end.hour, end.minute, end.utcoffset()) == (1, 30, timedelta(hours=-4))


def test_calendar_units_come_before_exact_time() -> None:
    """P1DT1H across spring forward is the next day's wall time, then one real hour."""
    end = Duration.parse("P1DT1H").after(new_york(2024, 3, 9, 10), NEW_YORK)
    assert end == new_york(2024, 3, 10, 11)


def test_months_clip_to_the_end_of_a_shorter_month() -> None:
    """P1M from 31 January ends on the last day of February."""
    start = datetime(2024, 1, 31, 12, tzinfo=SHANGHAI)
    assert Duration.parse("P1M").after(start, SHANGHAI) == datetime(
        2024, 2, 29, 12, tzinfo=SHANGHAI
    )


@given(start=instants(), seconds=st.integers(1, 10 * 365 * 86400))
def test_exact_time_is_elapsed_time_in_any_zone(start: datetime, seconds: int) -> None:
    """PTnS ends exactly n seconds after the start, whatever the zone's clock changes."""
    end = Duration(seconds=seconds).after(start, NEW_YORK)
    assert elapsed(start, end) == timedelta(seconds=seconds)


@given(start=instants(), days=st.integers(1, 3000))
def test_days_land_on_the_calendar_day_n_days_later(start: datetime, days: int) -> None:
    """PnD ends on the local date n days after the local start date."""
    end = Duration(days=days).after(start, NEW_YORK)
    assert end.date() - start.astimezone(NEW_YORK).date() == timedelta(days=days)


@given(start=instants(), days=st.integers(1, 3000))
def test_days_keep_the_wall_time_in_a_zone_without_changes(start: datetime, days: int) -> None:
    """In a zone with no clock changes, PnD is exactly n times 24 hours."""
    end = Duration(days=days).after(start, SHANGHAI)
    assert elapsed(start, end) == timedelta(days=days)


@given(start=instants(), duration=durations())
def test_the_deadline_is_in_the_campaign_zone(start: datetime, duration: Duration) -> None:
    """after() answers in the zone it was given, whatever the start's own zone."""
    assert duration.after(start, NEW_YORK).tzinfo is NEW_YORK


# -- aware datetimes and zones ------------------------------------------------------------------


def test_after_refuses_a_naive_start() -> None:
    """A naive start would mean the machine's own zone: it is refused, naming the field."""
    error = refused(
        "naive_datetime", lambda: Duration(days=1).after(datetime(2024, 3, 9), NEW_YORK)
    )
    assert error.field == "start"


def test_require_aware_refuses_a_naive_datetime() -> None:
    """A datetime without a zone is naive_datetime, naming the field."""
    error = refused("naive_datetime", lambda: require_aware(datetime(2024, 1, 1), "at"))
    assert error.field == "at"


class _Unknown(tzinfo):
    """A zone that does not know its own offset."""

    def utcoffset(self, dt: datetime | None) -> timedelta | None:
        return None

    def dst(self, dt: datetime | None) -> timedelta | None:
        return None

    def tzname(self, dt: datetime | None) -> str | None:
        return None


def test_require_aware_refuses_a_zone_without_an_offset() -> None:
    """A tzinfo whose utcoffset is None makes the datetime naive all the same."""
    refused("naive_datetime", lambda: require_aware(datetime(2024, 1, 1, tzinfo=_Unknown()), "at"))


@pytest.mark.parametrize("value", ["2024-01-01T00:00:00+08:00", 1_700_000_000, None], ids=repr)
def test_require_aware_refuses_what_is_not_a_datetime(value: Any) -> None:
    """Text and timestamps are invalid_datetime: callers parse before they ask."""
    refused("invalid_datetime", lambda: require_aware(value, "at"))


@given(start=instants())
def test_require_aware_returns_an_aware_datetime_unchanged(start: datetime) -> None:
    """An aware datetime passes through as the very same object."""
    assert require_aware(start, "at") is start


def test_zone_finds_iana_names() -> None:
    """zone() returns the IANA zone by name."""
    assert zone("Asia/Shanghai") == SHANGHAI


@pytest.mark.parametrize(
    "name",
    ["Mars/Olympus_Mons", "", "../../etc/passwd", "/etc/localtime", "America", "x" * 300, None, 8],
    ids=repr,
)
def test_unknown_zones_are_refused(name: Any) -> None:
    """A name that is not an IANA zone is unknown_timezone, naming the field."""
    assert refused("unknown_timezone", lambda: zone(name, "campaign.timezone")).field == (
        "campaign.timezone"
    )


def test_as_timedelta_counts_calendar_units_roughly() -> None:
    """as_timedelta counts days as 24 hours and months as 30 days, for display only."""
    assert Duration.parse("P1M1DT1H").as_timedelta() == timedelta(days=31, hours=1)


def test_utc_start_is_converted_before_calendar_units() -> None:
    """P1D from 23:00 UTC counts the day in Shanghai, where it is already the next morning."""
    start = datetime(2024, 1, 1, 23, tzinfo=UTC)
    end = Duration(days=1).after(start, SHANGHAI)
    assert end == datetime(2024, 1, 3, 7, tzinfo=SHANGHAI)


@given(
    start=instants(),
    offset_minutes=st.integers(-14 * 60, 14 * 60),
    seconds=st.integers(1, 10 * 365 * 86400),
)
def test_a_fixed_offset_start_lands_where_the_utc_round_trip_does(
    start: datetime, offset_minutes: int, seconds: int
) -> None:
    """From a fixed offset, PTnS gives the wall time, fold and zone of the UTC arithmetic."""
    fixed = start.astimezone(timezone(timedelta(minutes=offset_minutes)))
    end = Duration(seconds=seconds).after(fixed, NEW_YORK)
    expected = (fixed.astimezone(UTC) + timedelta(seconds=seconds)).astimezone(NEW_YORK)
    assert (end.replace(tzinfo=None), end.fold, end.tzinfo) == (
        expected.replace(tzinfo=None),
        expected.fold,
        NEW_YORK,
    )
