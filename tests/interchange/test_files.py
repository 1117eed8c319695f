"""Reading scenario documents: regular files or standard input, bounded in size and depth."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from drivers import MINIMAL_SCENARIO
from tuangou_core.errors import InvalidInput
from tuangou_core.interchange import LARGEST_INPUT_BYTES, InvalidScenario, load, parse

EXAMPLES = Path(__file__).resolve().parent.parent.parent / "examples"


def _refusal(path: object) -> InvalidScenario:
    with pytest.raises(InvalidScenario) as caught:
        load(path)  # type: ignore[arg-type]
    return caught.value


def test_standard_input_is_json_when_it_opens_a_table(monkeypatch: pytest.MonkeyPatch) -> None:
    """'-' reads stdin: JSON when it starts with '{', TOML otherwise; both give the scenario."""
    toml = (EXAMPLES / "five_at_70.toml").read_bytes()
    from_file = load(EXAMPLES / "five_at_70.toml")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(toml)))
    assert load("-") == from_file
    document = json.loads((EXAMPLES / "backend_payload.json").read_text(encoding="utf-8"))
    raw = b"  " + json.dumps(document).encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw)))
    assert load("-") == load(EXAMPLES / "backend_payload.json")


@pytest.mark.parametrize(
    ("path", "code"),
    [
        ("/no/such/file.toml", "file_not_found"),
        ("", "file_not_found"),
        ("a\0b", "file_not_found"),
        (5, "file_not_found"),
        ("/", "not_a_file"),
    ],
)
def test_paths_that_are_not_files_are_refused(path: object, code: str) -> None:
    """A missing file, an empty or NUL-holding name, a number, a directory: coded refusals."""
    assert _refusal(path).code == code


def test_bad_bytes_get_the_format_they_claim(tmp_path: Path) -> None:
    """Invalid UTF-8 is invalid_json in a .json file and invalid_toml otherwise; a float and a
    5000-digit number are refused by name."""
    cases = [
        ("bad.json", b'{"schema": 1\xff}', "invalid_json"),
        ("bad.toml", b"schema = 1\xff", "invalid_toml"),
        ("float.json", b'{"schema": 1.5}', "float_refused"),
        ("huge.json", b'{"schema": ' + b"9" * 5000 + b"}", "invalid_json"),
        ("huge.toml", b"schema = " + b"9" * 5000, "invalid_toml"),
        ("deep.json", b"[" * 2000 + b"]" * 2000, "too_deep"),
    ]
    for name, raw, code in cases:
        (tmp_path / name).write_bytes(raw)
        assert _refusal(tmp_path / name).code == code, name


def test_a_file_past_the_size_cap_is_refused_unread(tmp_path: Path) -> None:
    """More than 16 MiB is input_too_large, whatever it holds."""
    big = tmp_path / "big.toml"
    with big.open("wb") as file:
        file.truncate(16 * 1024 * 1024 + 1)
    error = _refusal(big)
    assert (error.code, error.field) == ("input_too_large", str(big))


def test_parse_leaves_the_callers_document_as_it_was(tmp_path: Path) -> None:
    """load lets each event's table go once read; parse of a caller's data never does, and
    both read the same commands."""
    data = json.loads(json.dumps(MINIMAL_SCENARIO))
    before = json.dumps(data)
    parsed = parse(data)
    assert json.dumps(data) == before
    path = tmp_path / "s.json"
    path.write_text(before, encoding="utf-8")
    assert load(path).commands == parsed.commands
    assert len(parsed.commands) == len(data["events"]) > 0


def test_a_raised_bound_reads_a_larger_file_and_a_wrong_one_is_refused(tmp_path: Path) -> None:
    """load(max_bytes=) reads up to that many bytes and no more; a bound that is not a whole
    number from 1 to 1 GiB is invalid_input, checked before the file is opened."""
    path = tmp_path / "minimal.json"
    text = json.dumps(MINIMAL_SCENARIO)
    path.write_text(text)
    size = len(text.encode())
    assert load(path, max_bytes=size).campaign.id == MINIMAL_SCENARIO["campaign"]["id"]
    with pytest.raises(InvalidScenario) as small:
        load(path, max_bytes=size - 1)
    assert small.value.code == "input_too_large"
    assert f"{size - 1} bytes" in str(small.value)
    for wrong in (0, -1, LARGEST_INPUT_BYTES + 1, 1.5, "16", True, None):
        with pytest.raises(InvalidInput) as refused:
            load(tmp_path / "missing.json", max_bytes=wrong)  # type: ignore[arg-type]
        assert (refused.value.code, refused.value.field) == ("invalid_input", "max_bytes")
