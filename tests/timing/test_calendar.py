"""Merchant calendars: extensions, quiet hours and time-of-day slots, across DST."""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given

from strategies import instants
from tuangou_core.errors import InvalidInput, InvalidRule, Rejected
from tuangou_core.timing import Calendar, Duration, Extension, QuietHours, Slot, deadline, may_open

SHANGHAI = ZoneInfo("Asia/Shanghai")
NEW_YORK = ZoneInfo("America/New_York")

DISTRICT = Calendar.build(
    {
        "extensions": [{"rule": "FREQ=WEEKLY;BYDAY=SA,SU", "add": "PT1H"}],
        "quiet": [{"start": "22:00", "end": "08:00"}],
    }
)
TEA = Calendar.build({"slots": [{"start": "14:00", "end": "17:00"}]})


def test_plain_window_without_a_calendar() -> None:
    """Without a calendar the deadline is the window after the opening."""
    opened = datetime(2026, 3, 4, 10, 0, tzinfo=SHANGHAI)
    assert deadline(opened, "PT24H", SHANGHAI) == datetime(2026, 3, 5, 10, 0, tzinfo=SHANGHAI)


def test_weekend_extension_adds_an_hour() -> None:
    """A group opened on a Saturday gets 25 hours; one opened on a Wednesday 24."""
    saturday = datetime(2026, 3, 7, 10, 0, tzinfo=SHANGHAI)
    wednesday = datetime(2026, 3, 4, 10, 0, tzinfo=SHANGHAI)
    assert deadline(saturday, "PT24H", SHANGHAI, DISTRICT) == datetime(
        2026, 3, 8, 11, 0, tzinfo=SHANGHAI
    )
    assert deadline(wednesday, "PT24H", "Asia/Shanghai", DISTRICT) == datetime(
        2026, 3, 5, 10, 0, tzinfo=SHANGHAI
    )


def test_quiet_hours_push_a_deadline_to_eight() -> None:
    """A deadline inside 22:00–08:00 moves to 08:00; 22:00 itself is quiet, 08:00 is not."""
    late = datetime(2026, 3, 4, 23, 30, tzinfo=SHANGHAI)
    assert deadline(late, "PT24H", SHANGHAI, DISTRICT) == datetime(
        2026, 3, 6, 8, 0, tzinfo=SHANGHAI
    )
    at_ten = datetime(2026, 3, 4, 22, 0, tzinfo=SHANGHAI)
    assert deadline(at_ten, "PT24H", SHANGHAI, DISTRICT).hour == 8
    at_eight = datetime(2026, 3, 4, 8, 0, tzinfo=SHANGHAI)
    assert deadline(at_eight, "PT24H", SHANGHAI, DISTRICT) == datetime(
        2026, 3, 5, 8, 0, tzinfo=SHANGHAI
    )


def test_quiet_hours_across_spring_forward_in_new_york() -> None:
    """On 2026-03-08 New York skips 02:00–03:00; quiet hours still end at 08:00 EDT."""
    opened = datetime(2026, 3, 7, 23, 30, tzinfo=NEW_YORK)
    result = deadline(opened, "PT2H", NEW_YORK, DISTRICT)
    assert result == datetime(2026, 3, 8, 8, 0, tzinfo=NEW_YORK)
    assert result.utcoffset() is not None
    assert result.utcoffset().total_seconds() == -4 * 3600  # type: ignore[union-attr]


def test_calendar_day_window_across_fall_back_in_new_york() -> None:
    """P1D keeps the wall clock across fall back (25 real hours); the weekend hour adds on."""
    opened = datetime(2026, 10, 31, 10, 0, tzinfo=NEW_YORK)  # a Saturday
    result = deadline(opened, "P1D", NEW_YORK, DISTRICT)
    assert result == datetime(2026, 11, 1, 11, 0, tzinfo=NEW_YORK)
    assert (result.astimezone(UTC) - opened.astimezone(UTC)).total_seconds() == 26 * 3600


def test_shanghai_has_no_dst_so_pt24h_and_p1d_agree() -> None:
    """In Asia/Shanghai a day is always 24 hours."""
    opened = datetime(2026, 3, 8, 9, 0, tzinfo=SHANGHAI)
    assert deadline(opened, "PT24H", SHANGHAI) == deadline(opened, "P1D", SHANGHAI)


def test_afternoon_tea_slot_opens_and_closes_in_slot() -> None:
    """Groups open only in 14:00–17:00 and must close by 17:00."""
    assert not may_open(datetime(2026, 3, 7, 13, 59, tzinfo=SHANGHAI), SHANGHAI, TEA)
    assert may_open(datetime(2026, 3, 7, 14, 0, tzinfo=SHANGHAI), SHANGHAI, TEA)
    assert not may_open(datetime(2026, 3, 7, 17, 0, tzinfo=SHANGHAI), SHANGHAI, TEA)
    assert may_open(datetime(2026, 3, 7, 3, 0, tzinfo=SHANGHAI), SHANGHAI)
    opened = datetime(2026, 3, 7, 15, 0, tzinfo=SHANGHAI)
    assert deadline(opened, "PT1H", SHANGHAI, TEA) == datetime(2026, 3, 7, 16, 0, tzinfo=SHANGHAI)
    assert deadline(opened, "PT24H", SHANGHAI, TEA) == datetime(2026, 3, 7, 17, 0, tzinfo=SHANGHAI)
    with pytest.raises(Rejected) as caught:
        deadline(datetime(2026, 3, 7, 18, 0, tzinfo=SHANGHAI), "PT1H", SHANGHAI, TEA)
    assert caught.value.code == "outside_slot"


def test_slot_on_weekdays_only() -> None:
    """A slot with a rule opens only on the days the rule matches."""
    weekdays = Calendar(slots=[Slot("14:00", "17:00", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR")])
    assert may_open(datetime(2026, 3, 6, 15, 0, tzinfo=SHANGHAI), SHANGHAI, weekdays)
    assert not may_open(datetime(2026, 3, 7, 15, 0, tzinfo=SHANGHAI), SHANGHAI, weekdays)


def test_holiday_excluded_from_an_extension() -> None:
    """EXDATE lines remove days from a rule (no extension on 2026-03-07)."""
    calendar = Calendar(
        extensions=[Extension("RRULE:FREQ=WEEKLY;BYDAY=SA,SU\nEXDATE:20260307T000000", "PT1H")]
    )
    saturday = datetime(2026, 3, 7, 10, 0, tzinfo=SHANGHAI)
    sunday = datetime(2026, 3, 8, 10, 0, tzinfo=SHANGHAI)
    assert deadline(saturday, "PT24H", SHANGHAI, calendar).hour == 10
    assert deadline(sunday, "PT24H", SHANGHAI, calendar).hour == 11


def test_naive_datetimes_are_refused() -> None:
    """A naive opening or instant is refused with naive_datetime."""
    naive = datetime(2026, 3, 7, 15, 0)
    with pytest.raises(InvalidInput) as caught:
        deadline(naive, "PT1H", SHANGHAI, DISTRICT)
    assert caught.value.code == "naive_datetime"
    with pytest.raises(InvalidInput):
        may_open(naive, SHANGHAI, TEA)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"quiet": [{"start": "25:00", "end": "08:00"}]}, "calendar.quiet[0].start"),
        ({"extensions": [{"rule": "FREQ=NOPE", "add": "PT1H"}]}, "calendar.extensions[0].rule"),
        ({"extensions": [{"rule": "FREQ=DAILY", "add": "xx"}]}, "calendar.extensions[0].add"),
        ({"extensions": [{"rule": "DTSTART:20260101T000000\nFREQ=DAILY", "add": "PT1H"}]}, None),
        ({"slots": [{"start": "17:00", "end": "14:00"}]}, None),
        ({"slots": [{"start": "14:00"}]}, "calendar.slots[0]"),
        ({"holidays": []}, "calendar.holidays"),
    ],
)
def test_bad_calendars_are_refused_naming_the_field(
    data: dict[str, object], field: str | None
) -> None:
    """A calendar that cannot be run is an InvalidRule naming its key."""
    with pytest.raises(InvalidRule) as caught:
        Calendar.build(data)
    if field is not None:
        assert caught.value.field == field


def test_calendar_is_a_frozen_comparable_value() -> None:
    """Calendars compare and hash by their rules, so a campaign can hold one."""
    again = Calendar(
        extensions=[Extension("FREQ=WEEKLY;BYDAY=SA,SU", Duration.parse("PT1H"))],
        quiet=[QuietHours(time(22), time(8))],
    )
    assert again == DISTRICT
    assert hash(again) == hash(DISTRICT)


@given(opened=instants())
def test_deadline_is_never_quiet_and_never_early(opened: datetime) -> None:
    """Under quiet hours, a deadline is at least the window after opening and never quiet."""
    for tz in (SHANGHAI, NEW_YORK):
        result = deadline(opened, "PT24H", tz, DISTRICT)
        assert (result - opened).total_seconds() >= 24 * 3600
        local = result.astimezone(tz).time()
        assert time(8) <= local < time(22)


@given(opened=instants())
def test_slot_deadline_never_passes_the_slot_end(opened: datetime) -> None:
    """A group opened in a slot closes by the slot's end on the same local day."""
    for tz in (SHANGHAI, NEW_YORK):
        if not may_open(opened, tz, TEA):
            continue
        result = deadline(opened, "PT24H", tz, TEA)
        assert result.astimezone(tz).time() <= time(17)
        assert result.astimezone(tz).date() == opened.astimezone(tz).date()
