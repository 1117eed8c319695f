"""The scenario reader's quick reading of plain events: the careful reading's command, or none."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from tuangou_core.errors import InvalidInput
from tuangou_core.group import Join, Open, Pay
from tuangou_core.interchange import InvalidScenario
from tuangou_core.interchange._scenario_events import read_command, read_plain
from tuangou_core.money import Money

_TEXTS = st.sampled_from(["g1", "u1", "wx-1", " ", "", "a\tb", "x" * 129, "22.00", "0.00", "会员"])
_VALUES = st.one_of(_TEXTS, st.integers(-1, 3), st.none(), st.just(["c1"]), st.just(1.5))
_AT = st.sampled_from(
    [
        "2026-03-06T14:00:00+08:00",
        "2026-03-06T14:00:00Z",
        "2026-03-06T14:00:00-05:30",
        " 2026-03-06T14:00:00+08:00",
        "2026-03-06T14:00:00",
        "9999-12-31T23:59:59+08:00",
        "yesterday",
    ]
)
_KEYS = ["group", "member", "payment_id", "amount", "tender", "inviter", "qty", "coupons", "x"]


_VALID: dict[str, dict[str, Any]] = {
    "open": {"group": "g1", "member": "u1"},
    "join": {"group": "g1", "member": "u2", "inviter": "u1"},
    "pay": {"group": "g1", "member": "u1", "payment_id": "wx1", "amount": "22.00"},
    "tick": {},
}


@st.composite
def _events(draw: st.DrawFn) -> dict[str, Any]:
    # A valid event of its kind, then up to three changes: most stay near the valid ones.
    kind = draw(st.sampled_from(sorted(_VALID)))
    event: dict[str, Any] = {"type": kind, "at": "2026-03-06T14:00:00+08:00", **_VALID[kind]}
    for _ in range(draw(st.sampled_from([0, 0, 1, 1, 2, 3]))):
        key = draw(st.sampled_from(["at", "type", *_KEYS]))
        if draw(st.booleans()) and key in event:
            del event[key]
        else:
            event[key] = draw(_AT if key == "at" else _VALUES)
    return event


def _careful(event: dict[str, Any], amounts: dict[str, Money]) -> object:
    try:
        return read_command(event, 0, "CNY", amounts)
    except InvalidInput as error:
        return error.code


@given(event=_events(), seen=st.booleans())
@example(
    event={
        "type": "pay",
        "at": "2026-03-06T14:00:00+08:00",
        "group": "g",
        "member": "u",
        "payment_id": "p",
        "amount": "0.00",
    },
    seen=True,
)
@example(
    event={
        "type": "join",
        "at": "2026-03-06T14:00:00+08:00",
        "group": "g",
        "member": "u",
        "inviter": "u",
    },
    seen=True,
)
@example(
    event={
        "type": "open",
        "at": "2026-03-06T14:00:00+08:00",
        "group": "g",
        "member": "u",
        "coupons": "c1",
    },
    seen=True,
)
def test_the_quick_reading_gives_the_careful_command_or_stands_aside(
    event: dict[str, Any], seen: bool
) -> None:
    """Whatever the event, the quick reading is the careful reading's command, or nothing."""
    amounts: dict[str, Money] = {}
    if seen:  # amounts and offsets the careful reading met earlier in the file
        for text in ("22.00", "0.00"):
            amounts[text] = Money.parse(text, "CNY")
        _careful({"type": "tick", "at": "2026-03-06T14:00:00+08:00"}, amounts)
    quick = read_plain(dict(event), amounts)
    if quick is not None:
        assert quick == _careful(dict(event), amounts)
        assert type(quick) in (Open, Join, Pay)


def test_plain_events_are_read_quickly() -> None:
    """An open, a join and a pay of text values, once their offset and amount are known."""
    amounts = {"22.00": Money(2200)}
    _careful({"type": "tick", "at": "2026-03-06T14:00:00+08:00"}, amounts)
    at = "2026-03-06T14:00:00+08:00"
    plain = [
        {"type": "open", "at": at, "group": "g1", "member": "u1"},
        {"type": "join", "at": at, "group": "g1", "member": "u2", "inviter": "u1"},
        {
            "type": "pay",
            "at": at,
            "group": "g1",
            "member": "u2",
            "payment_id": "p",
            "amount": "22.00",
            "tender": "balance",
        },
    ]
    for event in plain:
        quick = read_plain(event, amounts)
        assert quick is not None and quick == _careful(event, amounts)


def test_a_field_the_command_refuses_is_named_by_its_place_in_the_file() -> None:
    """An id the command refuses (a control character) is reported as events[i].key."""
    event = {"type": "open", "at": "2026-03-06T14:00:00+08:00", "group": "g\x01", "member": "u"}
    with pytest.raises(InvalidScenario) as caught:
        read_command(event, 3, "CNY", {})
    assert (caught.value.code, str(caught.value), caught.value.fields["field"]) == (
        "invalid_group",
        "events[3].group must not hold control characters",
        "events[3].group",
    )
