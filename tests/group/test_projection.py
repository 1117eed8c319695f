"""Projections: a table that misses an event type is refused at once; an unknown object is
refused naming where it sits."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from tuangou_core.errors import InternalError, InvalidInput
from tuangou_core.group import EVENT_TYPES, GroupOpened, Projection, fold_events

T = datetime(2026, 3, 1, tzinfo=UTC)


def _count(state: list[int], _event: Any, index: int) -> None:
    state.append(index)


def test_a_projection_missing_an_event_type_is_an_internal_error() -> None:
    """Handling only GroupOpened names every other type as missing, and no foreign key."""
    with pytest.raises(InternalError) as caught:
        Projection("the test", {GroupOpened: _count})
    message = caught.value.message
    assert caught.value.code == "projection_incomplete"
    assert message.startswith("the test decides nothing for ")
    assert message.endswith(" and handles non-events -")
    assert "GroupOpened" not in message.split(" and handles")[0]


def test_a_projection_handling_a_non_event_names_it() -> None:
    """A str key beside every event type: nothing missing, str foreign."""
    table: dict[type, Any] = dict.fromkeys(EVENT_TYPES, _count)
    table[str] = _count
    with pytest.raises(InternalError) as caught:
        Projection("p", table)
    assert caught.value.message == "p decides nothing for - and handles non-events str"


def test_a_complete_projection_folds_events_in_order() -> None:
    """Every type handled or ignored: handlers see each event with its index."""
    projection = Projection[Callable[[list[int], Any, int], None]](
        "p", {GroupOpened: _count}, ignore=EVENT_TYPES
    )
    opened = GroupOpened(T, "g1", "u1", T)
    seen: list[int] = []
    assert fold_events(projection, seen, [opened, opened]) == [0, 1]
    assert projection.handler(opened) is _count


def test_an_unknown_object_is_refused_with_or_without_its_place() -> None:
    """Without an index it is "the event"; with one, events[i]."""
    projection = Projection[Callable[[list[int], Any, int], None]]("p", {}, ignore=EVENT_TYPES)
    seen: list[int] = []
    with pytest.raises(InvalidInput) as bare:
        projection.handler("x")
    assert repr(bare.value) == (
        "InvalidInput('unknown_event', 'the event is a str, not an event p knows', "
        "field='event', value='str')"
    )
    with pytest.raises(InvalidInput) as placed:
        fold_events(projection, seen, [1])
    assert placed.value.fields == {"field": "events[0]", "value": "int"}
