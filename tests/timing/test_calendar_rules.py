"""Calendar rules: the days a rule picks, as dateutil reads it, without walking from 2000."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr
from hypothesis import example, given
from hypothesis import strategies as st

from tuangou_core.errors import InvalidRule
from tuangou_core.timing import Calendar, Extension, Slot, deadline

SHANGHAI = ZoneInfo("Asia/Shanghai")
START = date(2026, 3, 1)

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@st.composite
def day_rules(draw: st.DrawFn) -> str:
    """Rules of the calendar grammar that occur within a few years (dateutil, the oracle,
    walks on past empty periods, so a rule that never occurs would hang it): a FREQ, maybe an
    INTERVAL, BYMONTH, BYMONTHDAY, BYDAY, WKST, UNTIL."""
    freq = draw(st.sampled_from(["DAILY", "WEEKLY", "MONTHLY", "YEARLY"]))
    parts = [f"FREQ={freq}"]
    interval = draw(st.integers(1, 5))
    if interval > 1:
        parts.append(f"INTERVAL={interval}")
    if draw(st.booleans()) and not (freq == "MONTHLY" and interval > 1):
        months = draw(st.lists(st.integers(1, 12), min_size=1, max_size=3, unique=True))
        parts.append("BYMONTH=" + ",".join(map(str, months)))
    nth = freq == "MONTHLY" and draw(st.booleans())
    if draw(st.booleans()) and not nth:
        day = st.integers(-28, 28).filter(bool)
        days = draw(st.lists(day, min_size=1, max_size=3, unique=True))
        parts.append("BYMONTHDAY=" + ",".join(map(str, days)))
    if draw(st.booleans()) or nth:
        names = draw(st.lists(st.sampled_from(WEEKDAYS), min_size=1, max_size=3, unique=True))
        if nth:
            ordinal = st.sampled_from([1, 2, 3, 4, -1, -2])
            names = [f"{draw(ordinal)}{name}" for name in names]
        parts.append("BYDAY=" + ",".join(names))
    if draw(st.booleans()):
        parts.append(f"WKST={draw(st.sampled_from(WEEKDAYS))}")
    if draw(st.booleans()):
        until = START + timedelta(days=draw(st.integers(0, 900)))
        parts.append(f"UNTIL={until:%Y%m%d}T000000")
    return ";".join(parts)


def _dateutil_days(rule: str, first: date, last: date) -> set[date]:
    parsed = rrulestr(rule, dtstart=datetime.combine(START, datetime.min.time()))
    found = parsed.between(
        datetime.combine(first, datetime.min.time()),
        datetime.combine(last, datetime.min.time()),
        inc=True,
    )
    return {moment.date() for moment in found}


@given(rule=day_rules(), offset=st.integers(0, 700))
@example(rule="FREQ=MONTHLY", offset=30)  # the 1st of each month, from a start on the 1st
@example(rule="FREQ=WEEKLY;INTERVAL=2;WKST=SU", offset=14)
@example(rule="FREQ=MONTHLY;BYDAY=-1FR", offset=26)  # the last Friday of March 2026
@example(rule="FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29", offset=700)
@example(rule="FREQ=MONTHLY;BYMONTHDAY=-1", offset=30)
@example(rule="FREQ=MONTHLY;BYMONTHDAY=31", offset=30)  # skips the months without a 31st
@example(rule="FREQ=MONTHLY;BYDAY=5SU", offset=0)  # 2026-03-29 is March's fifth Sunday
def test_a_rule_picks_the_days_dateutil_picks(rule: str, offset: int) -> None:
    """Over 60 days, a rule matches exactly the local days dateutil's rrule yields from the
    calendar's start."""
    first = START + timedelta(days=offset)
    last = first + timedelta(days=60)
    extension = Extension(rule, "PT1H")
    ours = {
        first + timedelta(days=n)
        for n in range((last - first).days + 1)
        if extension.applies(first + timedelta(days=n), START)
    }
    assert ours == _dateutil_days(rule, first, last)


def test_no_day_before_the_start_matches() -> None:
    """A rule recurs from the calendar's start: the day before it never matches."""
    every_day = Extension("FREQ=DAILY", "PT1H")
    assert every_day.applies(START, START)
    assert not every_day.applies(START - timedelta(days=1), START)
    assert every_day.applies(START - timedelta(days=1))  # no start: every day


def test_rdate_adds_and_exdate_removes_days() -> None:
    """RDATE adds a day to a rule, EXDATE takes one away, whatever the time on the line."""
    rule = "FREQ=WEEKLY;BYDAY=SA\nRDATE:20260304T000000\nEXDATE:20260307T120000"
    extension = Extension(rule, "PT1H")
    assert extension.applies(date(2026, 3, 4))
    assert not extension.applies(date(2026, 3, 7))
    assert extension.applies(date(2026, 3, 14))
    assert Extension("RDATE:20260305", "PT1H").applies(date(2026, 3, 5))
    assert not Extension("RDATE:20260305", "PT1H").applies(date(2026, 3, 6))


@pytest.mark.parametrize(
    ("rule", "says"),
    [
        ("FREQ=MINUTELY", "finer than a day"),
        ("FREQ=SECONDLY", "finer than a day"),
        ("FREQ=HOURLY;BYHOUR=9", "finer than a day"),
        ("FREQ=DAILY;COUNT=3", "COUNT"),
        ("FREQ=DAILY;BYHOUR=9", "BYHOUR"),
        ("FREQ=YEARLY;BYYEARDAY=100", "BYYEARDAY"),
        ("FREQ=MONTHLY;BYSETPOS=1;BYDAY=MO", "BYSETPOS"),
        ("FREQ=YEARLY;BYDAY=1MO", "ordinals"),
        ("FREQ=MONTHLY;BYDAY=1MO,TU", "must not mix"),
        ("FREQ=DAILY;INTERVAL=5000", "INTERVAL"),
        ("FREQ=DAILY\nFREQ=WEEKLY", "at most one"),
        ("EXRULE:FREQ=DAILY", "does not read"),
        ("RDATE:2026", "not a date"),
        ("RDATE:20261301", "not a date"),
        ("FREQ=DAILY;UNTIL=x", "valid recurrence"),
    ],
)
def test_rules_the_calendar_cannot_use_are_refused_when_built(rule: str, says: str) -> None:
    """A rule finer than a day, or with a part the calendar does not read, is an
    invalid_calendar error when the entry is built, never a slow deadline later."""
    with pytest.raises(InvalidRule) as caught:
        Calendar.build({"extensions": [{"rule": rule, "add": "PT1H"}], "starts": "2026-03-01"})
    assert caught.value.code == "invalid_calendar"
    assert caught.value.field == "calendar.extensions[0].rule"
    assert says in caught.value.message


@pytest.mark.parametrize(
    "rule", ["FREQ=WEEKLY", "FREQ=MONTHLY", "FREQ=YEARLY;BYMONTH=3", "FREQ=DAILY;INTERVAL=2"]
)
def test_a_rule_that_recurs_from_its_start_needs_calendar_starts(rule: str) -> None:
    """Without calendar.starts, a rule whose days depend on its start is refused, naming it."""
    with pytest.raises(InvalidRule) as caught:
        Calendar.build({"quiet": [{"start": "22:00", "end": "08:00", "rule": rule}]})
    assert caught.value.field == "calendar.quiet[0].rule"
    assert "calendar.starts" in caught.value.message
    built = Calendar.build(
        {"quiet": [{"start": "22:00", "end": "08:00", "rule": rule}], "starts": START}
    )
    assert built.starts == START


def test_an_entry_used_alone_asks_for_the_start_it_needs() -> None:
    """An entry whose rule recurs from its start, asked without one, says so."""
    with pytest.raises(InvalidRule) as caught:
        Slot("14:00", "17:00", "FREQ=WEEKLY").end_for(
            datetime(2026, 3, 2, 15, tzinfo=SHANGHAI), SHANGHAI
        )
    assert caught.value.field == "calendar.starts"


@pytest.mark.parametrize("value", ["22:00+08:00", "22:00Z", "x", 2200, None])
def test_quiet_hours_with_an_offset_or_junk_are_refused_when_built(value: object) -> None:
    """A quiet-hours start with its own offset (the zone gives it) is refused at build."""
    with pytest.raises(InvalidRule) as caught:
        Calendar.build({"quiet": [{"start": value, "end": "08:00"}]})
    assert caught.value.field == "calendar.quiet[0].start"


@pytest.mark.parametrize("starts", ["2026-3-1", "tomorrow", 20260301, datetime(2026, 3, 1)])
def test_a_start_that_is_not_a_date_is_refused(starts: object) -> None:
    """calendar.starts is a local date (TOML date, date or ISO text), nothing else."""
    with pytest.raises(InvalidRule) as caught:
        Calendar.build({"starts": starts})
    assert caught.value.field == "calendar.starts"


def test_too_many_entries_are_refused() -> None:
    """A calendar holds at most 64 entries of each kind."""
    rows = [{"start": "22:00", "end": "08:00"}] * 65
    with pytest.raises(InvalidRule) as caught:
        Calendar.build({"quiet": rows})
    assert caught.value.field == "calendar.quiet"


def test_a_deadline_far_from_the_start_costs_no_walk() -> None:
    """A deadline in year 8999 under daily and monthly rules is computed without walking the
    rules from their start (the old anchor walked from 2000: seconds per deadline)."""
    calendar = Calendar.build(
        {
            "starts": "2026-03-01",
            "extensions": [{"rule": "FREQ=DAILY;INTERVAL=3", "add": "PT1H"}],
            "quiet": [{"start": "22:00", "end": "08:00", "rule": "FREQ=MONTHLY"}],
        }
    )
    opened = datetime(8999, 6, 1, 23, tzinfo=SHANGHAI)
    extended = (date(8999, 6, 1) - START).days % 3 == 0
    expected = datetime(8999, 6, 2, 23, tzinfo=SHANGHAI) + timedelta(hours=extended)
    assert deadline(opened, "PT24H", SHANGHAI, calendar) == expected
    on_the_first = datetime(8999, 6, 30, 23, tzinfo=SHANGHAI)  # deadline 07-01 23:00: quiet
    assert deadline(on_the_first, "PT24H", SHANGHAI, calendar).time() == time(8)
