"""The command line follows convention: documented exit codes, ``-`` for standard input,
``-o FILE``, a progress bar only on a terminal, and machine-readable metrics."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from test_cli import VALID_JSON, VALID_TOML
from tuangou_core import cli
from tuangou_core.errors import InternalError
from tuangou_core.group import run
from tuangou_core.interchange import load
from tuangou_core.reporting import METRIC_COLUMNS, STATEMENT_COLUMNS, report

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
WORKED = EXAMPLES / "metrics_worked_day.toml"


class _Terminal(io.StringIO):
    """A standard error that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def _stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode("utf-8"))))


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        status = cli.main(list(argv))
    except SystemExit as exit:
        status = int(exit.code or 0)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


# -- exit codes -----------------------------------------------------------------------------


def test_the_exit_codes_are_the_documented_ones() -> None:
    """0 done, 1 findings, 2 invalid input, 3 usage, 70 internal error (EX_SOFTWARE)."""
    assert (cli.EXIT_OK, cli.EXIT_FINDINGS, cli.EXIT_INVALID) == (0, 1, 2)
    assert (cli.EXIT_USAGE, cli.EXIT_INTERNAL) == (3, 70)


def test_help_documents_every_exit_code(capsys: pytest.CaptureFixture[str]) -> None:
    """tuangou --help and each command's --help list the codes and what they mean."""
    for argv in (["--help"], ["settle", "--help"], ["metrics", "--help"]):
        status, out, _err = _run(capsys, *argv)
        assert status == 0
        for line in ("0   done", "1   lint", "2   invalid input", "3   usage", "70  internal"):
            assert line in out, (argv, line)
        assert "- to read the scenario from standard input" in out


def test_done_exits_0_and_lint_findings_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A settle exits 0; lint of a campaign with no refund terms has an error finding: 1."""
    path = tmp_path / "s.toml"
    path.write_text(VALID_TOML, encoding="utf-8")
    assert _run(capsys, "settle", str(path))[0] == 0
    status, out, err = _run(capsys, "lint", str(path))
    assert (status, err) == (1, "")
    assert "refund_terms_missing" in out


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["bill", "x.toml"],
        ["settle"],
        ["settle", "x.toml", "--xml"],
        ["settle", "x.toml", "--json", "--records"],
        ["metrics", "x.toml", "--json", "--records"],
    ],
    ids=["nothing", "unknown command", "no file", "unknown option", "two shapes", "two shapes m"],
)
def test_a_usage_mistake_exits_3(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """Anything the argument parser refuses: status 3, one line, nothing on stdout."""
    status, out, err = _run(capsys, *argv)
    assert (status, out) == (3, "")
    assert err.startswith("error: usage: ") and err.count("\n") == 1


def test_an_internal_error_exits_70(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The library's own InternalError is a bug too: 70, one line with its code."""

    def broken(path: str, **options: object) -> object:
        raise InternalError("invariant_violated", "the fold lost an order")

    monkeypatch.setattr(cli, "load", broken)
    status, out, err = _run(capsys, "settle", "any.toml")
    assert (status, out) == (70, "")
    assert err.startswith("error: invariant_violated: the fold lost an order")
    assert err.count("\n") == 1


def test_the_installed_command_exits_with_the_same_codes(tmp_path: Path) -> None:
    """The real process: a usage mistake is 3 and a missing file 2, as the console script."""
    usage = subprocess.run(
        [sys.executable, "-m", "tuangou_core", "settle"],
        capture_output=True,
        text=True,
        check=False,
    )
    missing = subprocess.run(
        [sys.executable, "-m", "tuangou_core", "settle", str(tmp_path / "absent.toml")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (usage.returncode, missing.returncode) == (3, 2)
    assert missing.stderr.startswith("error: file_not_found: ")


# -- standard input and -o -----------------------------------------------------------------


def test_dash_reads_a_toml_scenario_from_standard_input(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`tuangou settle -` prints what `tuangou settle FILE` prints for the same text."""
    path = tmp_path / "s.toml"
    path.write_text(VALID_TOML, encoding="utf-8")
    expected = _run(capsys, "settle", str(path))[1]
    _stdin(monkeypatch, VALID_TOML)
    assert _run(capsys, "settle", "-") == (0, expected, "")


def test_dash_reads_json_when_the_input_starts_with_a_brace(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A backend's JSON payload piped in is read as JSON."""
    path = tmp_path / "s.json"
    path.write_text(json.dumps(VALID_JSON), encoding="utf-8")
    expected = _run(capsys, "settle", str(path), "--json")[1]
    _stdin(monkeypatch, "\n  " + json.dumps(VALID_JSON))
    assert _run(capsys, "settle", "-", "--json") == (0, expected, "")


def test_dash_with_a_broken_scenario_exits_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Invalid text on standard input is invalid input, one line."""
    _stdin(monkeypatch, VALID_TOML.replace('amount = "22.00"', "amount = 22.0"))
    status, out, err = _run(capsys, "settle", "-")
    assert (status, out) == (2, "")
    assert err.startswith("error: float_refused: ")


def test_output_goes_to_the_file_and_nothing_to_stdout(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """-o FILE holds exactly what stdout would have, and stdout stays empty."""
    expected = _run(capsys, "metrics", str(WORKED), "--json")[1]
    target = tmp_path / "metrics.json"
    assert _run(capsys, "metrics", str(WORKED), "--json", "-o", str(target)) == (0, "", "")
    assert target.read_text(encoding="utf-8") == expected
    assert [p.name for p in tmp_path.iterdir()] == ["metrics.json"]  # no temporary left


def test_a_failed_run_leaves_the_output_file_as_it_was(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Invalid input changes nothing: an existing -o file keeps its content."""
    broken = tmp_path / "s.toml"
    broken.write_text(VALID_TOML.replace("schema = 1", "schema = 2"), encoding="utf-8")
    target = tmp_path / "out.txt"
    target.write_text("yesterday's statement\n", encoding="utf-8")
    status, _out, err = _run(capsys, "settle", str(broken), "-o", str(target))
    assert status == 2 and err.startswith("error: unsupported_schema: ")
    assert target.read_text(encoding="utf-8") == "yesterday's statement\n"


def test_an_output_that_cannot_be_written_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """-o into a folder that does not exist: output_failed, one line, status 2."""
    target = tmp_path / "absent" / "out.txt"
    status, out, err = _run(capsys, "settle", str(WORKED), "-o", str(target))
    assert (status, out) == (2, "")
    assert err.startswith(f"error: output_failed: -o {target} cannot be written")
    assert err.count("\n") == 1


# -- progress ------------------------------------------------------------------------------


def test_a_long_settle_on_a_terminal_shows_progress(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """On a terminal, a settle of at least PROGRESS_MIN events draws a bar on stderr and
    clears it at the end; stdout is the same statement."""
    expected = _run(capsys, "settle", str(WORKED))[1]
    monkeypatch.setattr(cli, "PROGRESS_MIN", 5)
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    status = cli.main(["settle", str(WORKED)])
    assert status == 0
    assert capsys.readouterr().out == expected
    drawn = terminal.getvalue()
    assert "\rtuangou: replaying [" in drawn
    assert "100% 19/19 events" in drawn
    assert drawn.endswith("\r\x1b[K")


@pytest.mark.parametrize("tty", [True, False], ids=["quiet on a terminal", "not a terminal"])
def test_progress_is_silent_when_quiet_or_not_a_terminal(
    tty: bool, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """--quiet silences the bar; a pipe or a file never gets one."""
    monkeypatch.setattr(cli, "PROGRESS_MIN", 5)
    stream = _Terminal() if tty else io.StringIO()
    monkeypatch.setattr(sys, "stderr", stream)
    argv = ["settle", str(WORKED), *(["--quiet"] if tty else [])]
    assert cli.main(argv) == 0
    assert stream.getvalue() == ""


def test_a_short_settle_shows_no_progress(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Below PROGRESS_MIN events (10 000) a settle is quick: no bar even on a terminal."""
    assert cli.PROGRESS_MIN == 10_000
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert cli.main(["settle", str(WORKED)]) == 0
    assert terminal.getvalue() == ""


# -- machine-readable output ---------------------------------------------------------------


def _report() -> dict[str, object]:
    scenario = load(WORKED)
    steps, _fold = run(scenario.campaign, scenario.commands)
    return report([e for s in steps for e in s.events]).to_data()


def test_metrics_json_is_the_reports_data(capsys: pytest.CaptureFixture[str]) -> None:
    """`tuangou metrics --json` prints exactly report(...).to_data()."""
    status, out, _err = _run(capsys, "metrics", str(WORKED), "--json")
    assert status == 0
    assert json.loads(out) == _report()


def test_metrics_records_are_csv_one_row_per_figure(capsys: pytest.CaptureFixture[str]) -> None:
    """`tuangou metrics --records`: a header of METRIC_COLUMNS, a row per figure."""
    status, out, _err = _run(capsys, "metrics", str(WORKED), "--records")
    assert status == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == list(METRIC_COLUMNS)
    figures = {row["figure"]: row for row in rows}
    assert (figures["success_rate"]["numerator"], figures["success_rate"]["denominator"]) == (
        "1",
        "3",
    )
    assert figures["gmv"]["amount_minor"] == "49000" and figures["gmv"]["amount"] == "490.00"
    assert figures["success_rate"]["healthy"] == "45%–60%"


def test_settle_records_are_csv_one_row_per_order(capsys: pytest.CaptureFixture[str]) -> None:
    """`tuangou settle --records`: the statement's records as CSV, amounts exact."""
    status, out, _err = _run(capsys, "settle", str(WORKED), "--records")
    assert status == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == list(STATEMENT_COLUMNS)
    assert len(rows) == 8
    assert sum(int(r["net_minor"]) for r in rows) == 40000
