"""The ``tuangou`` command: a broken scenario file exits 2 with one clear line and no statement
(tests/test_cli_conventions.py has the other exit codes, standard input, -o and progress).

Each broken file below differs from a valid scenario in exactly one way, so the test shows
which mistake produces which code, and that no partial statement reaches stdout.
"""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest

from drivers import MINIMAL_SCENARIO
from tuangou_core import cli
from tuangou_core.cli import main
from tuangou_core.group import run_steps
from tuangou_core.reporting import statement_of

VALID_TOML = """\
schema = 1

[campaign]
id = "cli-check"
list_price = "32.00"
rule = "fixed"
size = 2
price = "22.00"

[[events]]
at = 2026-03-06T14:00:00+08:00
type = "open"
group = "g1"
member = "u1"

[[events]]
at = 2026-03-06T14:01:00+08:00
type = "pay"
group = "g1"
member = "u1"
payment_id = "wx1"
amount = "22.00"
"""

VALID_JSON = MINIMAL_SCENARIO  # the same scenario as JSON, as a backend sends it


def _toml(old: str, new: str) -> str:
    assert old in VALID_TOML, old
    return VALID_TOML.replace(old, new, 1)


def _json(**changes: Any) -> str:
    data = json.loads(json.dumps(VALID_JSON))
    for path, value in changes.items():
        *parents, last = path.split("__")
        target = data
        for key in parents:
            target = target[int(key)] if isinstance(target, list) else target[key]
        target[last] = value
    return json.dumps(data)


# (case id, file name, file text or None for a file that does not exist, expected code)
BROKEN: list[tuple[str, str, str | None, str]] = [
    ("float amount", "s.toml", _toml('amount = "22.00"', "amount = 22.0"), "float_refused"),
    (
        "float in json",
        "s.json",
        _json().replace('"amount": "22.00"', '"amount": 22.0'),
        "float_refused",
    ),
    (
        "local datetime",
        "s.toml",
        _toml("at = 2026-03-06T14:01:00+08:00", "at = 2026-03-06T14:01:00"),
        "naive_datetime",
    ),
    (
        "local datetime in json",
        "s.json",
        _json(events__1__at="2026-03-06T14:01:00"),
        "naive_datetime",
    ),
    (
        "time going backwards",
        "s.toml",
        _toml("at = 2026-03-06T14:01:00+08:00", "at = 2026-03-06T13:59:00+08:00"),
        "time_went_backwards",
    ),
    (
        "unknown event type",
        "s.toml",
        _toml('type = "pay"', 'type = "payment"'),
        "unknown_event_type",
    ),
    (
        "unknown key",
        "s.toml",
        _toml('member = "u1"\n', 'member = "u1"\nmemo = "hi"\n'),
        "unknown_key",
    ),
    ("missing key", "s.toml", _toml('group = "g1"\nmember = "u1"\n\n', ""), "missing_key"),
    (
        "falling tiers reversed",
        "s.toml",
        _toml(
            'size = 2\nprice = "22.00"\n',
            'rule = "tiered"\ntiers = [{ size = 5, price = "20.00" }, '
            '{ size = 3, price = "25.00" }]\n',
        ).replace('rule = "fixed"\n', ""),
        "invalid_rule",
    ),
    ("junk amount", "s.toml", _toml('amount = "22.00"', 'amount = "22.0O"'), "invalid_amount"),
    ("schema 2", "s.toml", _toml("schema = 1", "schema = 2"), "unsupported_schema"),
    ("invalid toml", "s.toml", _toml('id = "cli-check"', 'id = "cli-check'), "invalid_toml"),
    ("invalid json", "s.json", _json()[:-1], "invalid_json"),
    ("missing file", "absent.toml", None, "file_not_found"),
]


@pytest.mark.parametrize(("case", "name", "text", "code"), BROKEN, ids=[b[0] for b in BROKEN])
@pytest.mark.parametrize("argv", [["settle"], ["settle", "--json"], ["explain"]], ids=" ".join)
def test_a_broken_file_exits_2_with_one_line(
    case: str,
    name: str,
    text: str | None,
    code: str,
    argv: list[str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Exit status 2, nothing on stdout, exactly one line ``error: <code>: …`` on stderr."""
    path = tmp_path / name
    if text is not None:
        path.write_text(text, encoding="utf-8")
    command, *flags = argv
    status = main([command, str(path), *flags])
    captured = capsys.readouterr()
    assert status == 2, case
    assert captured.out == ""
    assert captured.err.endswith("\n")
    lines = captured.err.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"error: {code}: "), lines[0]
    assert "Traceback" not in captured.err


def test_the_valid_files_the_broken_ones_come_from_settle(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The base files are valid: each broken case is broken only by its one change."""
    for name, text in (("ok.toml", VALID_TOML), ("ok.json", json.dumps(VALID_JSON))):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        assert main(["settle", str(path)]) == 0
        captured = capsys.readouterr()
        assert captured.err == ""
        assert "Ledger: balanced" in captured.out


def test_the_error_line_names_the_key(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The message says which key is at fault, so a person can fix the file."""
    path = tmp_path / "s.toml"
    path.write_text(_toml('amount = "22.00"', "amount = 22.0"), encoding="utf-8")
    assert main(["settle", str(path)]) == 2
    assert "events[1].amount" in capsys.readouterr().err


def test_a_usage_mistake_exits_3_with_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    """No subcommand: the same one-line shape, from the argument parser, and status 3."""
    with pytest.raises(SystemExit) as raised:
        main([])
    captured = capsys.readouterr()
    assert raised.value.code == 3
    assert captured.out == ""
    assert len(captured.err.splitlines()) == 1
    assert captured.err.startswith("error: usage: ")


def test_a_bug_still_prints_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """An unexpected failure inside the library exits 70 with one line and no traceback."""

    def broken(path: str, **options: object) -> object:
        raise KeyError("boom")

    monkeypatch.setattr(cli, "load", broken)
    assert cli.main(["settle", "any.toml"]) == 70
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert captured.err.startswith("error: internal_error: KeyError: ")


def test_version_prints_the_installed_version(capsys: pytest.CaptureFixture[str]) -> None:
    """`tuangou --version` prints the version pyproject.toml gives, and exits 0."""
    with pytest.raises(SystemExit) as raised:
        main(["--version"])
    assert raised.value.code == 0
    assert capsys.readouterr().out == f"tuangou {version('tuangou_core')}\n"


EXAMPLES = Path(__file__).parent.parent / "examples"
SCENARIOS = sorted(EXAMPLES.glob("*.toml"))


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_journal_csv_balances_every_entry(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`tuangou journal --csv`: every entry's debits equal its credits, and so do the totals."""
    assert main(["journal", str(path), "--csv"]) == 0
    rows = list(csv.DictReader(capsys.readouterr().out.splitlines()))
    assert rows, "every example moves money"
    per_entry: dict[str, Decimal] = {}
    for row in rows:
        assert (row["debit"] == "") != (row["credit"] == ""), row
        signed = Decimal(row["debit"] or "0") - Decimal(row["credit"] or "0")
        per_entry[row["entry"]] = per_entry.get(row["entry"], Decimal(0)) + signed
    assert all(total == 0 for total in per_entry.values()), per_entry


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_journal_text_totals_agree_with_the_statement(
    path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The text journal ends with equal totals and counts the entries the statement reports."""
    assert main(["journal", str(path)]) == 0
    text = capsys.readouterr().out
    assert main(["settle", str(path), "--json"]) == 0
    statement = json.loads(capsys.readouterr().out)
    assert text.rstrip().endswith(f"{statement['ledger']['entries']} entries; debits equal credits")
    total = next(line for line in text.splitlines() if line.strip().startswith("total"))
    debit, credit = total.split()[1:]
    assert debit == credit


def test_journal_of_a_broken_file_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A broken scenario gives the journal command the same one-line error as settle."""
    path = tmp_path / "broken.toml"
    path.write_text(VALID_TOML.replace('price = "22.00"', "price = 22.00"), encoding="utf-8")
    assert main(["journal", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("error: ") and captured.err.count("\n") == 1


def test_output_pieces_are_written_in_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pieces gather into blocks of at least the block size, the rest in a last block."""
    monkeypatch.setattr(cli, "_BLOCK", 3)
    assert list(cli._blocks(["ab", "cd", "e"])) == ["abcd", "e"]
    assert list(cli._blocks(["abc", "def"])) == ["abc", "def"]
    assert list(cli._blocks("whole")) == ["whole"]
    assert list(cli._blocks([])) == []


def test_settle_json_to_a_file_is_the_same_as_on_standard_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The JSON statement written into -o FILE, piece by piece, is what stdout shows."""
    scenario = tmp_path / "s.json"
    scenario.write_text(json.dumps(MINIMAL_SCENARIO), encoding="utf-8")
    assert main(["settle", str(scenario), "--json"]) == 0
    shown = capsys.readouterr().out
    target = tmp_path / "out.json"
    assert main(["settle", str(scenario), "--json", "-o", str(target)]) == 0
    assert target.read_text(encoding="utf-8") == shown
    assert json.loads(shown)["schema"] == 1


def test_settle_reads_each_step_as_it_is_decided(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """settle hands the statement a lazy stream of steps: the statement has read step i
    before command i + 1 is decided, so no step need outlive its reading."""
    path = tmp_path / "minimal.json"
    path.write_text(json.dumps(MINIMAL_SCENARIO))
    decided: list[int] = []
    read: list[tuple[int, list[int]]] = []
    real_run_steps, real_statement_of = run_steps, statement_of

    def watched_run_steps(fold: Any, commands: Any) -> Any:
        for step in real_run_steps(fold, commands):
            decided.append(step.index)
            yield step

    def watched_statement_of(steps: Any, state: Any) -> Any:
        def reading() -> Any:
            for step in steps:
                read.append((step.index, list(decided)))
                yield step

        return real_statement_of(reading(), state)

    monkeypatch.setattr(cli, "run_steps", watched_run_steps)
    monkeypatch.setattr(cli, "statement_of", watched_statement_of)
    assert main(["settle", str(path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["totals"]
    assert len(read) == len(MINIMAL_SCENARIO["events"]) >= 2
    assert all(seen == list(range(index + 1)) for index, seen in read)


def test_max_input_raises_the_bound_for_one_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A scenario past --max-input is input_too_large, naming how to raise it; within a raised
    bound it settles; a bound outside 1..1024 MiB is a usage error."""
    path = tmp_path / "padded.json"
    padding = " " * (1024 * 1024)  # whitespace: the same scenario, one MiB larger
    path.write_text(json.dumps(MINIMAL_SCENARIO) + padding)
    assert main(["settle", str(path), "--max-input", "1"]) == 2
    error = capsys.readouterr().err
    assert error.startswith("error: input_too_large: ") and "--max-input" in error
    assert main(["settle", str(path), "--max-input", "2", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["schema"] == 1
    for wrong in ("0", "1025", "1.5", "x", "１"):
        with pytest.raises(SystemExit) as usage:
            main(["settle", str(path), "--max-input", wrong])
        assert usage.value.code == 3
        assert capsys.readouterr().err.startswith("error: usage: ")
