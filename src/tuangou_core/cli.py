"""The ``tuangou`` command: settle, explain, metrics and lint for scenario files.

Every failure prints one line, ``error: <code>: <message>``, on stderr and exits with status 2;
no traceback reaches the user.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import NoReturn

from tuangou_core.errors import TuangouError
from tuangou_core.scenario import load, run
from tuangou_core.statement import explain, statement_of

__all__ = ["main"]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # One line, like every other failure of the command.
        sys.stderr.write(f"error: usage: {message} (see 'tuangou --help')\n")
        raise SystemExit(2)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="tuangou", description="Replay group-buying scenarios into statements.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    settle = commands.add_parser("settle", help="print the statement of a scenario file")
    settle.add_argument("file")
    settle.add_argument("--json", action="store_true", help="print the statement as JSON")
    trail = commands.add_parser("explain", help="print each event, what it caused, the money")
    trail.add_argument("file")
    return parser


def _settle(path: str, as_json: bool) -> str:
    scenario = load(path)
    steps, fold = run(scenario)
    statement = statement_of(scenario, steps, fold.state)
    if as_json:
        return json.dumps(statement.to_data(), ensure_ascii=False, indent=2) + "\n"
    return statement.text()


def _explain(path: str) -> str:
    steps, _fold = run(load(path))
    return explain(steps)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (0, or 2 for any error)."""
    args = _parser().parse_args(argv)
    try:
        output = _settle(args.file, args.json) if args.command == "settle" else _explain(args.file)
    except TuangouError as error:
        message = " ".join(error.message.split())
        sys.stderr.write(f"error: {error.code}: {message}\n")
        return 2
    sys.stdout.write(output)
    return 0
