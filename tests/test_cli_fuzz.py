"""Fuzzing the command line: mutated scenario files get one coded line, never a traceback.

Every example scenario, mutated (keys removed, values replaced by junk of every JSON type,
values nested 2 000 deep, bytes flipped, invalid UTF-8, files cut short or blown up), goes
through ``tuangou settle|explain|metrics|lint``. The outcome is either success (exit 0, or 1 for
lint findings, and nothing on stderr) or exit 2 with exactly one stderr line
``error: <code>: <message>`` whose code is an ErrorCode that is not an internal error. Most run
in-process through ``main``; the cases only a real process shows (a FIFO, /dev/zero, a closed or
full standard output, standard input) run as subprocesses.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from strategies import mutated
from tuangou_core.cli import main
from tuangou_core.errors import ErrorCode

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
TOML_FILES = sorted(EXAMPLES.glob("*.toml"))
DOCUMENTS = {p.stem: tomllib.loads(p.read_text(encoding="utf-8")) for p in TOML_FILES}
COMMANDS = ("settle", "explain", "metrics", "lint")
# Twice the profile's examples: 100 files in ci, 4 000 in deep (the issue asks for 2 000+).
CASES = settings().max_examples * 2


def _check(code: int, stderr: str) -> None:
    lines = stderr.splitlines()
    if code == 2:
        assert len(lines) == 1, stderr
        assert "Traceback" not in stderr
        prefix, found, _ = lines[0].partition(": ")
        assert prefix == "error" and found
        name = lines[0].split(": ")[1]
        assert name in {c.value for c in ErrorCode} or name == "usage"
        assert ErrorCode(name).family != "InternalError" if name != "usage" else True
    else:
        assert code in (0, 1), (code, stderr)
        assert lines == []


def _run_in_process(command: str, path: Path) -> tuple[int, str]:
    err, out = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
        code = main([command, str(path)])
    return code, err.getvalue()


def _byte_mutation(raw: bytes, data: st.DataObject) -> bytes:
    action = data.draw(
        st.sampled_from(["flip", "cut", "invalid_utf8", "repeat", "drop_line", "huge"]),
        label="bytes",
    )
    if action == "flip":
        at = data.draw(st.integers(0, len(raw) - 1), label="at")
        return (
            raw[:at] + bytes([raw[at] ^ data.draw(st.integers(1, 255), label="x")]) + raw[at + 1 :]
        )
    if action == "cut":
        return raw[: data.draw(st.integers(0, len(raw)), label="cut")]
    if action == "invalid_utf8":
        at = data.draw(st.integers(0, len(raw)), label="at")
        return raw[:at] + b"\xff\xfe\xc3" + raw[at:]
    if action == "repeat":
        lines = raw.splitlines(keepends=True)
        at = data.draw(st.integers(0, len(lines) - 1), label="line")
        return b"".join(lines[: at + 1] + lines[at:])
    if action == "drop_line":
        lines = raw.splitlines(keepends=True)
        at = data.draw(st.integers(0, len(lines) - 1), label="line")
        return b"".join(lines[:at] + lines[at + 1 :])
    return raw + b"\n# padding\n" * data.draw(st.sampled_from([10, 10_000]), label="pad")


@settings(max_examples=CASES, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), command=st.sampled_from(COMMANDS))
def test_mutated_scenarios_get_one_coded_line(data: st.DataObject, command: str) -> None:
    """A mutated example (as JSON with junk values, or as TOML with bytes changed) exits 0/1
    with nothing on stderr, or 2 with one coded line and no traceback."""
    name = data.draw(st.sampled_from(sorted(DOCUMENTS)), label="example")
    with tempfile.TemporaryDirectory() as folder:
        if data.draw(st.booleans(), label="as_json"):
            path = Path(folder) / "scenario.json"
            document = mutated(DOCUMENTS[name], data)
            path.write_text(json.dumps(document, default=str), encoding="utf-8")
        else:
            path = Path(folder) / "scenario.toml"
            raw = (EXAMPLES / f"{name}.toml").read_bytes()
            path.write_bytes(_byte_mutation(raw, data))
        code, stderr = _run_in_process(command, path)
    _check(code, stderr)


@pytest.mark.parametrize(
    "text",
    [
        "[" * 100_000,
        '{"schema": 1, "campaign": ' + "[" * 5000 + "]" * 5000 + "}",
        '{"schema": ' + "9" * 5000 + "}",
        '{"schema": 1, "campaign": {"id": "c", "list_price": 1.5}}',
        "\ufeff{}",
        "",
        "null",
    ],
    ids=["deep", "deep_campaign", "huge_int", "float", "bom", "empty", "null"],
)
def test_hostile_json_gets_one_coded_line(text: str, tmp_path: Path) -> None:
    """Deep nesting, a 5000-digit number, a float, a BOM, nothing, null: one coded line."""
    path = tmp_path / "hostile.json"
    path.write_text(text, encoding="utf-8")
    code, stderr = _run_in_process("settle", path)
    assert code == 2
    _check(code, stderr)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("a = " + "[" * 50_000, "too_deep"),
        (".".join(["a"] * 5000) + " = 1", "too_deep"),
        ("schema = " + "9" * 5000, "invalid_toml"),
        ("schema = 1\n[campaign]\nrule = []\n", "invalid_rule"),
        ("schema = 1\n" + "[campaign.calendar]\nstarts = 2026-03-01\n", "invalid_rule"),
    ],
    ids=["deep_array", "deep_keys", "huge_int", "unhashable_rule", "no_price"],
)
def test_hostile_toml_gets_its_code(text: str, code: str, tmp_path: Path) -> None:
    """Deep TOML (arrays or dotted keys), a 5000-digit schema, rule = []: the named code."""
    path = tmp_path / "hostile.toml"
    path.write_text(text, encoding="utf-8")
    status, stderr = _run_in_process("settle", path)
    assert status == 2
    assert stderr.startswith(f"error: {code}: ")
    _check(status, stderr)


def _tuangou(*args: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # type: ignore[call-overload, no-any-return]
        [sys.executable, "-m", "tuangou_core", *args],
        capture_output=kwargs.pop("capture_output", True),
        text=True,
        timeout=60,
        check=False,
        **kwargs,
    )


def test_a_fifo_is_refused_at_once(tmp_path: Path) -> None:
    """A FIFO is refused as not_a_file before a byte is read: no wait for a writer."""
    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)
    done = _tuangou("settle", str(fifo))
    assert done.returncode == 2
    assert done.stderr.startswith("error: not_a_file: ")
    _check(done.returncode, done.stderr)


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/null", "/"])
def test_devices_and_directories_are_refused(device: str) -> None:
    """/dev/zero, /dev/null and a directory are not scenario files: not_a_file, one line."""
    done = _tuangou("settle", device)
    assert (done.returncode, done.stderr.split(": ")[1]) == (2, "not_a_file")


def test_standard_input_is_read_with_a_cap() -> None:
    """'-' reads standard input: an example settles; /dev/zero on stdin is input_too_large."""
    example = (EXAMPLES / "five_at_70.toml").read_text(encoding="utf-8")
    settled = _tuangou("settle", "-", input=example)
    assert settled.returncode == 0
    assert settled.stdout == _tuangou("settle", str(EXAMPLES / "five_at_70.toml")).stdout
    with open("/dev/zero", "rb") as zero:
        endless = _tuangou("settle", "-", stdin=zero)
    assert (endless.returncode, endless.stderr.split(": ")[1]) == (2, "input_too_large")
    _check(endless.returncode, endless.stderr)


def test_a_failed_write_is_one_coded_line() -> None:
    """A full disk (/dev/full) or a closed stdout: output_failed, exit 2, no traceback."""
    example = str(EXAMPLES / "five_at_70.toml")
    with open("/dev/full", "w") as full:
        done = _tuangou(
            "settle", example, stdout=full, stderr=subprocess.PIPE, capture_output=False
        )
    assert done.returncode == 2
    assert done.stderr.startswith("error: output_failed: ")
    _check(done.returncode, done.stderr)
    closed = subprocess.run(
        [sys.executable, "-m", "tuangou_core", "settle", example],
        stdout=None,
        stderr=subprocess.PIPE,
        text=True,
        timeout=60,
        check=False,
        preexec_fn=lambda: os.close(1),
    )
    assert closed.returncode == 2
    assert closed.stderr.startswith("error: output_failed: ")
    _check(closed.returncode, closed.stderr)
