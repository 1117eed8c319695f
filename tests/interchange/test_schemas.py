"""The published JSON Schemas: every example and every generated statement and event validates,
each schema is closed, and the hand-written ones agree with what the library reads and writes."""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from jsonschema import Draft202012Validator
from tools import schemas as schema_tool

from drivers import MINIMAL_SCENARIO
from strategies import group_campaigns, intents, run_stream
from tuangou_core.campaign._build import _CAMPAIGN_KEYS
from tuangou_core.cli import main
from tuangou_core.errors import TuangouError
from tuangou_core.group import GroupStatus, OrderStatus, run
from tuangou_core.interchange import (
    SCHEMA_NAMES,
    SerializationError,
    from_data,
    json_schema,
    load,
    parse,
    settle,
    to_data,
)
from tuangou_core.interchange._scenario_events import _EVENT_TYPES
from tuangou_core.refunds import RefundReason
from tuangou_core.reporting import statement_of
from tuangou_core.settlement import JournalEntry

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SCENARIOS = sorted(
    p for p in EXAMPLES.iterdir() if p.suffix in (".toml", ".json") and ".expected" not in p.name
)
STATEMENTS = sorted(EXAMPLES.glob("*.expected.json"))


def _validator(name: str) -> Draft202012Validator:
    return Draft202012Validator(json_schema(name))


SCENARIO = _validator("scenario")
STATEMENT = _validator("statement")
EVENT = _validator("event")
JOURNAL = _validator("journal")


def _as_json(value: Any) -> Any:
    # TOML has datetimes; the schema describes the JSON form, where they are ISO 8601 text.
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: _as_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_as_json(item) for item in value]
    return value


def _document(path: Path) -> Any:
    if path.suffix == ".toml":
        return _as_json(tomllib.loads(path.read_text(encoding="utf-8")))
    return json.loads(path.read_text(encoding="utf-8"))


def _errors(validator: Draft202012Validator, data: Any) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(data)]


def _objects(schema: Any) -> Iterator[dict[str, Any]]:
    if isinstance(schema, dict):
        if schema.get("type") == "object":
            yield schema
        for value in schema.values():
            yield from _objects(value)
    elif isinstance(schema, list):
        for item in schema:
            yield from _objects(item)


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_each_shipped_schema_is_a_valid_draft_2020_12_schema(name: str) -> None:
    """The schemas themselves pass the draft 2020-12 meta-schema."""
    schema = json_schema(name)
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_every_object_in_a_schema_is_closed(name: str) -> None:
    """No object takes keys it does not name: a key added to the library fails validation."""
    open_objects = [
        sorted(o["properties"]) for o in _objects(json_schema(name))
        if o.get("additionalProperties") is not False
    ]  # fmt: skip
    assert open_objects == []


def test_an_unknown_schema_name_is_refused() -> None:
    """json_schema of another name raises unknown_schema."""
    with pytest.raises(SerializationError) as caught:
        json_schema("invoice")
    assert caught.value.code == "unknown_schema"


def test_each_call_gives_a_fresh_copy() -> None:
    """Changing the returned schema does not change the next one."""
    json_schema("statement")["properties"].clear()
    assert "orders" in json_schema("statement")["properties"]


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.name)
def test_every_example_scenario_validates(path: Path) -> None:
    """Each scenario in examples/ (TOML with datetimes as text, or JSON) fits the schema."""
    assert _errors(SCENARIO, _document(path)) == []


@pytest.mark.parametrize("path", STATEMENTS, ids=lambda p: p.name)
def test_every_committed_statement_validates(path: Path) -> None:
    """Each committed expected statement fits the statement schema."""
    assert _errors(STATEMENT, json.loads(path.read_text(encoding="utf-8"))) == []


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.name)
def test_every_example_statement_and_event_validates(path: Path) -> None:
    """Settling each example gives a statement, and events, that fit their schemas."""
    scenario = load(path)
    assert _errors(STATEMENT, settle(scenario).to_data()) == []
    steps, _fold = run(scenario.campaign, scenario.commands)
    for event in (event for step in steps for event in step.events):
        assert _errors(EVENT, to_data(event)) == [], event


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.name)
def test_every_example_journal_validates(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`tuangou journal --json` of each example fits the journal schema and reads back."""
    assert main(["journal", str(path), "--json"]) == 0
    entries = json.loads(capsys.readouterr().out)
    assert entries and _errors(JOURNAL, entries) == []
    assert all(isinstance(from_data(entry), JournalEntry) for entry in entries)


@settings(max_examples=60, deadline=None)
@given(group_campaigns(), intents())
def test_generated_statements_and_events_validate(campaign: Any, steps: Any) -> None:
    """Random campaigns and command streams: every statement and event fits its schema."""
    commands, caused = run_stream(campaign, steps)
    for events in caused:
        for event in events:
            assert _errors(EVENT, to_data(event)) == [], event
    replayed, fold = run(campaign, commands)
    assert _errors(STATEMENT, statement_of(replayed, fold.state).to_data()) == []


def test_a_statement_key_missing_from_the_schema_fails() -> None:
    """A key the library might add, at the top or inside an order, is refused."""
    data = settle(load(EXAMPLES / "five_at_70.toml")).to_data()
    assert _errors(STATEMENT, {**data, "bonus": "1.00"})
    data["orders"][0]["bonus"] = "1.00"
    assert _errors(STATEMENT, data)


def test_the_statement_schema_names_every_key_the_library_writes() -> None:
    """Top-level, order, group and split keys: schema and Statement.to_data agree exactly."""
    schema = json_schema("statement")
    data = settle(load(EXAMPLES / "points_liability.toml")).to_data()
    assert set(schema["properties"]) == set(data)
    order = schema["$defs"]["order"]["properties"]
    assert set(order) == set(data["orders"][0])
    assert set(schema["$defs"]["group"]["properties"]) == set(data["groups"][0])
    assert set(schema["$defs"]["split"]["properties"]) == set(data["split"])


def test_the_statement_schema_enumerates_the_librarys_statuses_and_reasons() -> None:
    """Order and group statuses and refund reasons are the library's own, all of them."""
    defs = json_schema("statement")["$defs"]
    assert defs["order"]["properties"]["status"]["enum"] == [s.value for s in OrderStatus]
    assert defs["group"]["properties"]["status"]["enum"] == [s.value for s in GroupStatus]
    assert defs["refund"]["properties"]["reason"]["enum"] == [r.value for r in RefundReason]


def test_the_scenario_schema_names_the_keys_the_reader_takes() -> None:
    """Campaign keys and each event type's keys: the schema and the reader agree exactly."""
    defs = json_schema("scenario")["$defs"]
    assert set(defs["campaign"]["properties"]) == _CAMPAIGN_KEYS
    assert set(defs) >= set(_EVENT_TYPES)
    for kind, (keys, _build) in _EVENT_TYPES.items():
        assert set(defs[kind]["properties"]) == keys | {"at", "type"}, kind


@pytest.mark.parametrize("name", sorted(schema_tool.SCHEMAS))
def test_the_generated_schemas_are_what_the_tool_writes_today(name: str) -> None:
    """event and journal schemas are exactly `python -m tools.schemas --write` of today's types."""
    assert json_schema(name) == json.loads(schema_tool.text(name))


BASE = MINIMAL_SCENARIO


def _changed(path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(json.dumps(BASE))
    target: Any = data
    for key in path[:-1]:
        target = target[key]
    if value is _DROP:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return data


_DROP = object()

BROKEN = {
    "amount_as_a_number": (("events", 1, "amount"), 22),
    "price_as_a_number": (("campaign", "price"), 22),
    "naive_datetime": (("events", 0, "at"), "2026-03-06T14:00:00"),
    "unknown_event_type": (("events", 0, "type"), "teleport"),
    "unknown_campaign_key": (("campaign", "colour"), "red"),
    "unknown_event_key": (("events", 0, "colour"), "red"),
    "missing_payment_id": (("events", 1, "payment_id"), _DROP),
    "missing_rule": (("campaign", "rule"), _DROP),
    "schema_2": (("schema",), 2),
    "tiers_on_a_fixed_rule": (("campaign", "tiers"), [{"size": 2, "price": "20.00"}]),
    "qty_zero": (("events", 0, "qty"), 0),
    "refund_with_amount_and_units": (
        ("events", 2),
        {
            "at": "2026-03-06T14:02:00+08:00",
            "type": "refund",
            "group": "g1",
            "member": "u1",
            "amount": "1.00",
            "units": 1,
        },
    ),
}


def test_the_base_document_of_the_broken_ones_is_valid_both_ways() -> None:
    """The document the broken ones come from fits the schema and the library reads it."""
    assert _errors(SCENARIO, BASE) == []
    parse(BASE)


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_the_schema_and_the_library_both_refuse_a_broken_scenario(name: str) -> None:
    """Each one-mistake document fails the schema, and the library refuses it with a code."""
    path, value = BROKEN[name]
    if path == ("events", 2):
        data = _changed(("events",), [*BASE["events"], value])
    else:
        data = _changed(path, value)
    assert _errors(SCENARIO, data), name
    with pytest.raises(TuangouError):
        parse(data)


def test_a_broken_document_fails_jsonschemas_own_validate_too() -> None:
    """jsonschema.validate, as a backend would call it, raises on a number where an amount goes."""
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(_changed(("events", 1, "amount"), 22), json_schema("scenario"))
