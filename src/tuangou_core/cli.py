"""The ``tuangou`` command: settle, explain, journal, metrics and lint for scenario files.

Every failure prints one line, ``error: <code>: <message>``, on stderr and exits with status 2;
no traceback reaches the user. ``lint`` exits 1 when it finds an error-severity finding.
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

from tuangou_core._version import VERSION
from tuangou_core.errors import TuangouError
from tuangou_core.group import run
from tuangou_core.interchange import load, to_data
from tuangou_core.operations import lint_context, lint_output
from tuangou_core.reporting import (
    explain,
    journal_csv,
    journal_text,
    metrics_output,
    statement_of,
)
from tuangou_core.settlement import journal

__all__ = ["main"]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # One line, like every other failure of the command.
        sys.stderr.write(f"error: usage: {message} (see 'tuangou --help')\n")
        raise SystemExit(2)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="tuangou", description="Replay group-buying scenarios into statements.")
    parser.add_argument("--version", action="version", version=f"tuangou {VERSION}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    settle = commands.add_parser("settle", help="print the statement of a scenario file")
    settle.add_argument("file")
    settle.add_argument("--json", action="store_true", help="print the statement as JSON")
    trail = commands.add_parser("explain", help="print each event, what it caused, the money")
    trail.add_argument("file")
    metrics = commands.add_parser("metrics", help="print success rate, funnel, GMV and more")
    metrics.add_argument("file")
    metrics.add_argument("--json", action="store_true", help="print the metrics as JSON")
    ledger = commands.add_parser(
        "journal", help="print every journal entry: account, debit, credit and the rule"
    )
    ledger.add_argument("file")
    form = ledger.add_mutually_exclusive_group()
    form.add_argument("--csv", action="store_true", help="print the journal as CSV")
    form.add_argument("--json", action="store_true", help="print the journal entries as JSON")
    lint = commands.add_parser("lint", help="check the campaign against the platform's rules")
    lint.add_argument("file")
    lint.add_argument("--json", action="store_true", help="print the findings as JSON")
    return parser


def _settle(path: str, as_json: bool) -> str:
    scenario = load(path)
    steps, fold = run(scenario.campaign, scenario.commands)
    statement = statement_of(steps, fold.state)
    return _render(statement.text(), statement.to_data(), as_json)


def _explain(path: str) -> str:
    scenario = load(path)
    steps, _fold = run(scenario.campaign, scenario.commands)
    return explain(steps)


def _metrics(path: str, as_json: bool) -> str:
    scenario = load(path)
    steps, _fold = run(scenario.campaign, scenario.commands)
    events = [event for step in steps for event in step.events]
    text, data = metrics_output(events, currency=scenario.campaign.currency)
    return _render(text, data, as_json)


def _journal(path: str, as_csv: bool, as_json: bool) -> str:
    scenario = load(path)
    steps, _fold = run(scenario.campaign, scenario.commands)
    entries = journal([event for step in steps for event in step.events], scenario.campaign)
    if as_csv:
        return journal_csv(entries)
    if as_json:
        return (
            json.dumps([to_data(entry) for entry in entries], ensure_ascii=False, indent=2) + "\n"
        )
    return journal_text(entries, scenario.campaign.currency)


def _lint(path: str, as_json: bool) -> tuple[str, bool]:
    scenario = load(path)
    context = lint_context(scenario.lint, scenario.campaign.currency)
    text, data = lint_output(scenario.campaign, context)
    return _render(text, data, as_json), bool(data["clean"])


def _render(text: str, data: dict[str, Any], as_json: bool) -> str:
    if as_json:
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    return text.rstrip("\n") + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status.

    0 on success; 1 when ``lint`` finds an error-severity finding; 2 for any error, printed as
    one line ``error: <code>: <message>`` (a bug in the library too: ``internal_error``).
    """
    args = _parser().parse_args(argv)
    # A settle builds millions of small acyclic values and then exits: the cycle collector's
    # full passes over them only cost time (twice the run on 100 000 events), so it rests.
    collecting = gc.isenabled()
    gc.disable()
    try:
        clean = True
        if args.command == "settle":
            output = _settle(args.file, args.json)
        elif args.command == "explain":
            output = _explain(args.file)
        elif args.command == "metrics":
            output = _metrics(args.file, args.json)
        elif args.command == "journal":
            output = _journal(args.file, args.csv, args.json)
        else:
            output, clean = _lint(args.file, args.json)
    except TuangouError as error:
        message = " ".join(error.message.split())
        sys.stderr.write(f"error: {error.code}: {message}\n")
        return 2
    except Exception as error:  # a bug must still reach the user as one line, not a traceback
        sys.stderr.write(
            f"error: internal_error: {type(error).__name__}: {error} (a bug in tuangou_core; "
            "please report it with the file)\n"
        )
        return 2
    finally:
        if collecting:
            gc.enable()
    sys.stdout.write(output)
    return 0 if clean else 1
