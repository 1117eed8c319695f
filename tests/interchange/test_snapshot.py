"""Snapshots: a campaign's state to JSON-safe data and back, exactly, and refused when stale."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from strategies import group_campaigns, intents, run_stream
from tuangou_core.campaign import Campaign, FixedRule
from tuangou_core.errors import TuangouError
from tuangou_core.group import CampaignState, Fold, GroupState, Order, initial_state, replay
from tuangou_core.interchange import (
    SNAPSHOT_SCHEMA,
    SNAPSHOT_SHAPE,
    SerializationError,
    from_snapshot,
    to_snapshot,
)
from tuangou_core.money import Money


def _through_json(state: CampaignState) -> CampaignState:
    text = json.dumps(to_snapshot(state))
    return from_snapshot(state.campaign, json.loads(text))


def _instants(value: Any) -> list[datetime]:
    if isinstance(value, datetime):
        return [value]
    if attrs.has(type(value)):
        return [d for f in attrs.fields(type(value)) for d in _instants(getattr(value, f.name))]
    if isinstance(value, dict):
        return [d for item in value.values() for d in _instants(item)]
    if isinstance(value, list | tuple):
        return [d for item in value for d in _instants(item)]
    return []


@given(group_campaigns(), intents())
def test_a_snapshot_round_trips_exactly_through_json(campaign: Campaign, steps: Any) -> None:
    """Every state a random stream reaches comes back equal, zones and all, from its JSON."""
    fold = Fold(campaign)
    for events in run_stream(campaign, steps)[1]:
        fold.apply(events)
        state = fold.state
        again = _through_json(state)
        assert again == state
        assert to_snapshot(again) == to_snapshot(state)
        zones = [(d, d.tzinfo) for d in _instants(state)]
        assert zones == [(d, d.tzinfo) for d in _instants(again)]


@given(group_campaigns(), intents(), st.data())
def test_a_snapshot_of_any_prefix_then_the_rest_equals_the_whole_replay(
    campaign: Campaign, steps: Any, data: st.DataObject
) -> None:
    """Restore a snapshot after any number of commands, apply the rest: the replay's state."""
    _commands, caused = run_stream(campaign, steps)
    log = [event for events in caused for event in events]
    cut = data.draw(st.integers(0, len(caused)), label="commands before the snapshot")
    before = [event for events in caused[:cut] for event in events]
    restored = _through_json(replay(campaign, before))
    fold = Fold(restored)
    fold.apply(log[len(before) :])
    assert fold.state == replay(campaign, log)


@given(group_campaigns(), intents(), st.data())
def test_a_restored_state_decides_every_later_command_as_the_original(
    campaign: Campaign, steps: Any, data: st.DataObject
) -> None:
    """Deciding the rest of the stream on a restored snapshot gives the very same events."""
    commands, caused = run_stream(campaign, steps)
    cut = data.draw(st.integers(0, len(caused)), label="commands before the snapshot")
    restored = _through_json(replay(campaign, [e for events in caused[:cut] for e in events]))
    fold = Fold(restored)
    for command, events in zip(commands[cut:], caused[cut:], strict=True):
        assert fold.execute(command) == events


def _bench_state(groups: int) -> CampaignState:
    from tuangou_core.group import Join, Open, Pay  # noqa: PLC0415

    campaign = Campaign("many", Money(10000), FixedRule(2, Money(7000)))
    fold = Fold(campaign)
    at = datetime(2026, 3, 1, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
    for g in range(groups):
        fold.execute(Open(at, f"g{g}", f"a{g}"))
        fold.execute(Pay(at, f"g{g}", f"a{g}", f"pa{g}", Money(7000)))
        fold.execute(Join(at, f"g{g}", f"b{g}"))
    return fold.state


def test_repeated_values_are_written_once() -> None:
    """A thousand orders priced alike share one quote in the snapshot, and after restoring."""
    state = _bench_state(500)
    data = to_snapshot(state)
    assert sorted(kind for kind, _body in data["shared"]) == ["Quote", "QuoteLine", "Step"]
    again = from_snapshot(state.campaign, data)
    quotes = {id(o.quote) for g in again.groups.values() for o in g.orders.values()}
    assert len(quotes) == 1
    assert again == state


def test_the_snapshot_names_its_format_and_shape() -> None:
    """schema, type, campaign, currency and the state's shape digest head every snapshot."""
    data = to_snapshot(initial_state(_bench_state(1).campaign))
    assert {k: data[k] for k in ("schema", "type", "campaign", "currency", "shape")} == {
        "schema": SNAPSHOT_SCHEMA,
        "type": "CampaignState",
        "campaign": "many",
        "currency": "CNY",
        "shape": SNAPSHOT_SHAPE,
    }
    assert from_snapshot(_bench_state(1).campaign, data) == initial_state(_bench_state(1).campaign)


def test_the_shape_covers_every_field_of_the_state_records() -> None:
    """Each field of CampaignState (but the campaign), GroupState and Order is in a snapshot."""
    state = _bench_state(1)
    data = to_snapshot(state)
    assert set(data["state"]) == {f.name for f in attrs.fields(CampaignState)} - {"campaign"}
    group = data["state"]["groups"]["g0"]
    assert set(group) == {f.name for f in attrs.fields(GroupState)}
    assert set(group["orders"]["a0"]) == {f.name for f in attrs.fields(Order)}


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (lambda d: d.update(schema=2), "unsupported_schema"),
        (lambda d: d.update(schema=True), "unsupported_schema"),
        (lambda d: d.update(campaign="other"), "stale_snapshot"),
        (lambda d: d.update(type="GroupState"), "stale_snapshot"),
        (lambda d: d.update(shape="0" * 16), "stale_snapshot"),
        (lambda d: d.update(currency="USD"), "stale_snapshot"),
        (lambda d: d["state"].pop("clock"), "missing_key"),
        (lambda d: d["state"].update(extra=1), "unknown_key"),
        (lambda d: d["state"].update(stock_taken="3"), "invalid_value"),
        (lambda d: d["state"].update(clock="yesterday"), "invalid_datetime"),
        (lambda d: d["state"].update(clock="2026-03-01T10:00:00"), "naive_datetime"),
        (lambda d: d["state"]["groups"]["g0"].update(status="lost"), "invalid_value"),
        (lambda d: d["state"]["groups"]["g0"]["orders"]["a0"].update(quote=99), "invalid_value"),
        (lambda d: d["state"]["groups"]["g0"]["orders"]["a0"].update(paid="7000"), "invalid_value"),
        (lambda d: d["state"].update(holds=[[1, 2]]), "invalid_value"),
        (lambda d: d.update(shared=[["Campaign", {}]]), "invalid_value"),
        (lambda d: d.update(shared="x"), "invalid_value"),
    ],
)
def test_a_damaged_or_stale_snapshot_is_refused_with_a_code(change: Any, code: str) -> None:
    """A snapshot of another format, campaign or shape, or with a bad key, is refused."""
    state = _bench_state(1)
    data = json.loads(json.dumps(to_snapshot(state)))
    change(data)
    with pytest.raises(SerializationError) as refused:
        from_snapshot(state.campaign, data)
    assert refused.value.code == code


@given(st.data())
def test_junk_in_any_key_is_a_coded_error_never_a_crash(data: st.DataObject) -> None:
    """Replace any one value of a snapshot with junk: a state, or a SerializationError."""
    state = _bench_state(2)
    snapshot = json.loads(json.dumps(to_snapshot(state)))
    paths: list[list[Any]] = []

    def walk(node: Any, path: list[Any]) -> None:
        paths.append(path)
        if isinstance(node, dict):
            for key, item in node.items():
                walk(item, [*path, key])
        elif isinstance(node, list):
            for index, item in enumerate(node):
                walk(item, [*path, index])

    walk(snapshot, [])
    path = data.draw(st.sampled_from(paths[1:]))
    junk: object = data.draw(st.one_of(st.none(), st.integers(), st.text(max_size=5), st.just([])))
    node = snapshot
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = junk
    try:
        from_snapshot(state.campaign, snapshot)
    except TuangouError as error:
        assert isinstance(error, SerializationError), error


def test_a_snapshot_is_of_a_campaign_state_only() -> None:
    """to_snapshot of anything else is refused with not_serializable."""
    with pytest.raises(SerializationError) as refused:
        to_snapshot(_bench_state(1).campaign)  # type: ignore[arg-type]
    assert refused.value.code == "not_serializable"
    with pytest.raises(SerializationError) as junk:
        from_snapshot(_bench_state(1).campaign, [])  # type: ignore[arg-type]
    assert junk.value.code == "invalid_value"
