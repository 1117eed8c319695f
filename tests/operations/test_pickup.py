"""Pickup points: windows in the campaign's zone, manifests per point, rollovers, perishables."""

from __future__ import annotations

import json
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from strategies import EventLog
from tuangou_core.errors import TuangouError
from tuangou_core.group import Event
from tuangou_core.operations import (
    ManifestLine,
    PickupPoint,
    PickupSchedule,
    PickupWindow,
    pickup_day,
)
from tuangou_core.refunds import RefundReason

SHANGHAI = ZoneInfo("Asia/Shanghai")
POINTS = (PickupPoint("P1", "东门便利店", host="l1"), PickupPoint("P2", "3号楼自提柜"))
POINT_OF = {"a": "P1", "b": "P1", "c": "P1", ("g1", "c"): "P2"}


def worked_log() -> list[Event]:
    """g1 (a, b, c) forms 2026-03-01 11:00; a collects 03-02 19:30, c 03-03 19:10, b never.

    g2 (d, e) fails and is refunded; g3 (f, g, h) forms but h is refunded in full.
    """
    log = EventLog().paid_group("g1", ("a", "b", "c"), 0).form("g1", 60)
    log.paid_group("g2", ("d", "e"), 10).fail("g2", 1450, 2, 1450)
    log.refund("g2", "d", 1450, 7000, RefundReason.GROUP_FAILED)
    log.refund("g2", "e", 1450, 7000, RefundReason.GROUP_FAILED)
    log.paid_group("g3", ("f", "g", "h"), 20).form("g3", 30).refund("g3", "h", 40)
    log.complete("g1", "a", 2010).complete("g1", "c", 3430)
    return log.events


def lines(day: date) -> dict[str, list[tuple[str, str, int]]]:
    """Per point: (member, status, rollovers) of the worked log on *day*."""
    found = pickup_day(worked_log(), POINT_OF, POINTS, day)
    return {
        m.point.id: [(x.member, x.status, x.rollovers) for x in m.lines] for m in found.manifests
    }


def test_window_is_local_evening_in_the_campaign_zone() -> None:
    """19:00–21:00 in Shanghai on 2026-03-02 is 11:00–13:00 UTC."""
    opens, closes = PickupWindow().on(date(2026, 3, 2), SHANGHAI)
    assert opens == datetime(2026, 3, 2, 19, 0, tzinfo=SHANGHAI)
    assert (opens.utcoffset(), closes.hour) == (
        datetime(2026, 3, 2, tzinfo=SHANGHAI).utcoffset(),
        21,
    )


def test_window_start_skipped_by_daylight_saving_moves_forward() -> None:
    """02:30 does not exist in New York on 2026-03-08: the window opens at 03:30 EDT."""
    new_york = ZoneInfo("America/New_York")
    opens, _ = PickupWindow(time(2, 30), time(4, 0)).on(date(2026, 3, 8), new_york)
    assert (opens.hour, opens.minute, opens.tzname()) == (3, 30, "EDT")


def test_window_must_end_after_it_starts() -> None:
    """21:00–19:00 is refused, naming window.end."""
    with pytest.raises(TuangouError) as caught:
        PickupWindow(time(21, 0), time(19, 0))
    assert caught.value.fields["field"] == "window.end"


def test_orders_are_first_due_the_next_day() -> None:
    """On 03-01, the day g1 formed, nothing is due yet (次日自提)."""
    assert lines(date(2026, 3, 1)) == {"P1": [], "P2": []}


def test_manifest_per_point_from_formed_orders() -> None:
    """On 03-02: a and b at P1, c at P2 (its order entry wins); a is listed though it collects
    during the window; failed, refunded and other groups' unassigned orders are left out."""
    assert lines(date(2026, 3, 2)) == {
        "P1": [("a", "due", 0), ("b", "due", 0)],
        "P2": [("c", "due", 0)],
    }


def test_uncollected_orders_roll_to_the_next_day() -> None:
    """On 03-03 b rolls over once; c is still listed (collected only during that window)."""
    assert lines(date(2026, 3, 3)) == {"P1": [("b", "rolled", 1)], "P2": [("c", "rolled", 1)]}


def test_after_the_allowed_rollovers_the_member_must_be_contacted() -> None:
    """On 03-04 b has rolled twice, more than the one allowed: contact."""
    assert lines(date(2026, 3, 4)) == {"P1": [("b", "contact", 2)], "P2": []}


def test_orders_without_a_point_are_listed_apart() -> None:
    """g3's f and g have no point: they come back unassigned, in member order."""
    found = pickup_day(worked_log(), POINT_OF, POINTS, date(2026, 3, 2))
    assert [(x.group, x.member) for x in found.unassigned] == [("g3", "f"), ("g3", "g")]


def test_perishable_products_are_flagged() -> None:
    """With perishable=True every line carries the flag and the text says so."""
    found = pickup_day(worked_log(), POINT_OF, POINTS, date(2026, 3, 2), perishable=True)
    assert all(x.perishable for m in found.manifests for x in m.lines)
    assert "perishable" in found.text()


def test_same_day_pickup_with_no_lead() -> None:
    """With lead_days 0 the orders are due on the day the group formed."""
    schedule = PickupSchedule(lead_days=0)
    found = pickup_day(worked_log(), POINT_OF, POINTS, date(2026, 3, 1), schedule)
    assert found.manifests[0].lines[0] == ManifestLine(
        "g1", "a", 1, date(2026, 3, 1), 0, "due", False
    )


def test_empty_log_gives_empty_manifests() -> None:
    """No events: every point has an empty manifest and nothing is unassigned."""
    found = pickup_day([], {}, POINTS, date(2026, 3, 2))
    assert [(m.point.id, m.lines, m.units) for m in found.manifests] == [
        ("P1", (), 0),
        ("P2", (), 0),
    ]
    assert found.unassigned == ()


def test_an_unknown_point_is_refused() -> None:
    """An order mapped to a point not in the list is refused with unknown_pickup_point."""
    with pytest.raises(TuangouError) as caught:
        pickup_day(worked_log(), {"a": "P9"}, POINTS, date(2026, 3, 2))
    assert caught.value.code == "unknown_pickup_point"


def test_schedule_refuses_an_unknown_zone_and_bad_days() -> None:
    """An unknown zone and a negative lead are refused with codes."""
    with pytest.raises(TuangouError) as caught:
        PickupSchedule(timezone="Mars/Olympus")
    assert caught.value.code == "unknown_timezone"
    with pytest.raises(TuangouError) as caught:
        PickupSchedule(lead_days=-1)
    assert caught.value.code == "invalid_rule"


def test_day_data_is_json_safe() -> None:
    """to_data gives ISO dates and times, units per point, and plain lines."""
    data = pickup_day(worked_log(), POINT_OF, POINTS, date(2026, 3, 2)).to_data()
    assert data["opens"] == "2026-03-02T19:00:00+08:00"
    assert [m["units"] for m in data["manifests"]] == [2, 1]
    assert json.loads(json.dumps(data)) == data
