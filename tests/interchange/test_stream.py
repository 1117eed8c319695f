"""The streamed reading of JSON scenarios: the same scenario or the same error as the whole one."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from drivers import MINIMAL_SCENARIO
from tuangou_core.errors import InvalidInput
from tuangou_core.interchange import InvalidScenario, Scenario, load
from tuangou_core.interchange._files import read_document, refuse_float
from tuangou_core.interchange._scenario import _parse
from tuangou_core.interchange._stream import EventStream, Fallback, stream_scenario

_HEAD = '"schema": 1, "campaign": ' + json.dumps(MINIMAL_SCENARIO["campaign"])
_OPEN, _PAY = (json.dumps(event) for event in MINIMAL_SCENARIO["events"])
_BAD_EVENT = '{"at": "2026-03-06T14:02:00+08:00", "type": "teleport"}'
_FEES = '"fees": {"payment_rate": "0.006", "platform_rate": "0.05"}'


def _outcome(read: Any, path: Path) -> tuple[str, Any]:
    try:
        scenario: Scenario = read(path)
    except InvalidInput as error:
        return "error", (type(error).__name__, error.code, str(error))
    return "scenario", scenario


def _whole(path: Path) -> Scenario:
    # The reading before the stream: the document decoded at once, then validated.
    return _parse(read_document(path, InvalidScenario), owned=True)


def _both(tmp_path: Path, text: str) -> tuple[tuple[str, Any], tuple[str, Any]]:
    path = tmp_path / "day.json"
    path.write_text(text, encoding="utf-8")
    return _outcome(load, path), _outcome(_whole, path)


def _events(text: str) -> EventStream:
    head = stream_scenario(text, refuse_float(InvalidScenario))
    assert head is not None
    stream = head["events"]
    assert isinstance(stream, EventStream)
    return stream


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        pytest.param(
            "{" + _HEAD + ', "events": [' + _OPEN + ", " + _PAY + "]}", "scenario", id="events last"
        ),
        pytest.param(
            '{"events": [' + _OPEN + ", " + _PAY + "], " + _HEAD + "}",
            "scenario",
            id="events first",
        ),
        pytest.param(
            "{" + _HEAD + ', "events": [' + _OPEN + "], " + _FEES + "}",
            "scenario",
            id="fees after the events",
        ),
        pytest.param(
            "{" + _HEAD + ', "events": [' + _OPEN + '], "events": [' + _PAY + "]}",
            "scenario",
            id="a second events list, the one json keeps",
        ),
        pytest.param(
            "{" + _HEAD + ', "events": [' + _OPEN + "]} x", "error", id="text after the document"
        ),
        pytest.param(
            "{" + _HEAD + ', "events": [' + _BAD_EVENT + ", " + _OPEN + ", ]}",
            "error",
            id="a bad event, then a syntax error",
        ),
        pytest.param(
            "{" + _HEAD + ', "events": [' + _BAD_EVENT + ', {"qty": 1.5}]}',
            "error",
            id="a bad event, then a float",
        ),
        pytest.param(
            "{" + _HEAD + ', "events": [' + _BAD_EVENT + ", " + "[" * 40 + "]" * 40 + "]}",
            "error",
            id="a bad event, then nesting too deep",
        ),
        pytest.param(
            "{" + _HEAD + ', "events": [' + _OPEN + ", " + _BAD_EVENT + "]}",
            "error",
            id="a bad event in a well-formed document",
        ),
        pytest.param(
            "{" + _HEAD + ', "events": [' + _OPEN + ", 1" + "0" * 5000 + "]}",
            "error",
            id="a number of 5 000 digits",
        ),
        pytest.param("{" + _HEAD + ', "events": {}}', "error", id="events not a list"),
        pytest.param("{" + _HEAD + ', "events": [ \n\t]\n}\n', "scenario", id="no events"),
        pytest.param(
            '{"campaign": ' + "[" * 40 + "]" * 40 + ', "events": []}',
            "error",
            id="the head nested too deep",
        ),
        pytest.param("[]", "error", id="not an object"),
        pytest.param(json.dumps(MINIMAL_SCENARIO, indent=2), "scenario", id="indented"),
    ],
)
def test_the_stream_answers_as_the_whole_reading_does(tmp_path: Path, text: str, kind: str) -> None:
    """Each shape of document gets from load exactly what reading it whole gives."""
    streamed, whole = _both(tmp_path, text)
    assert streamed == whole
    assert streamed[0] == kind


def test_keys_after_the_events_still_reach_the_campaign(tmp_path: Path) -> None:
    """Fees written after the events are the campaign's fees: the document is read whole."""
    path = tmp_path / "day.json"
    path.write_text("{" + _HEAD + ', "events": [' + _OPEN + "], " + _FEES + "}")
    assert str(load(path).campaign.fees.platform_rate) == "0.05"


def test_an_error_before_a_syntax_error_is_the_syntax_error(tmp_path: Path) -> None:
    """A refused event followed by broken JSON reports the broken JSON, as json.loads did."""
    path = tmp_path / "day.json"
    path.write_text("{" + _HEAD + ', "events": [' + _BAD_EVENT + ", " + _OPEN + ", ]}")
    with pytest.raises(InvalidScenario) as caught:
        load(path)
    assert caught.value.code == "invalid_json"


def test_events_are_decoded_as_they_are_asked_for() -> None:
    """The first event is handed over before the broken second one is read."""
    events = iter(_events("{" + _HEAD + ', "events": [' + _OPEN + ", {oops}]}"))
    assert next(events)["type"] == "open"
    with pytest.raises(Fallback):
        next(events)


def test_the_stream_says_whether_its_list_closed_the_document() -> None:
    """`last` holds once the list is read to a closing brace and nothing after it."""
    closed = _events("{" + _HEAD + ', "events": [' + _OPEN + "]}\n")
    assert not closed.last
    assert closed.finish() and closed.last
    followed = _events("{" + _HEAD + ', "events": [' + _OPEN + "], " + _FEES + "}")
    assert not followed.finish() and not followed.last


@pytest.mark.parametrize(
    "text",
    [
        pytest.param('{"schema": 1}', id="no events"),
        pytest.param('{"schema": 1 "events": []}', id="no comma"),
        pytest.param('{"schema" 1, "events": []}', id="no colon"),
        pytest.param("{'schema': 1}", id="not a JSON key"),
        pytest.param('{"schema": 1.5, "events": []}', id="a float before the events"),
        pytest.param('{"schema": 1' + "0" * 5000 + ', "events": []}', id="too many digits"),
        pytest.param(" [1, 2]", id="a list"),
    ],
)
def test_documents_the_stream_cannot_vouch_for_are_left_to_the_whole_reading(text: str) -> None:
    """No events list reached after well-formed keys: no stream at all."""
    assert stream_scenario(text, refuse_float(InvalidScenario)) is None


_JUNK = st.text(alphabet='{}[],:"0 \n.e-abt\\', max_size=6)


@given(
    cut=st.integers(min_value=0, max_value=400),
    junk=_JUNK,
    drop=st.integers(min_value=0, max_value=3),
)
@example(cut=0, junk="", drop=0)
@example(cut=399, junk=", ", drop=0)
def test_a_mutated_document_gets_the_answer_the_whole_reading_gives(
    tmp_path_factory: pytest.TempPathFactory, cut: int, junk: str, drop: int
) -> None:
    """Junk spliced anywhere into a scenario: load's answer is reading it whole's answer."""
    text = "{" + _HEAD + ', "events": [' + _OPEN + ", " + _PAY + ", " + _OPEN + "]}"
    cut = min(cut, len(text))
    mutated = text[:cut] + junk + text[cut + drop :]
    streamed, whole = _both(tmp_path_factory.mktemp("mutated"), mutated)
    assert streamed == whole


def test_a_second_events_list_is_the_one_read(tmp_path: Path) -> None:
    """Two events lists: the second counts, as json.loads keeps a repeated key's last value."""
    path = tmp_path / "day.json"
    path.write_text("{" + _HEAD + ', "events": [' + _OPEN + '], "events": [' + _PAY + "]}")
    (command,) = load(path).commands
    assert type(command).__name__ == "Pay"
