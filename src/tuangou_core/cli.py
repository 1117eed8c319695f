"""The ``tuangou`` command: settle, explain, journal, metrics and lint for scenario files.

Every failure prints one line, ``error: <code>: <message>``, on stderr, and no traceback
reaches the user. The exit status says what happened (``EXIT_*``, also in ``--help``): 0 done,
1 lint findings, 2 invalid input, 3 usage, 70 internal error (a bug). ``FILE`` may be ``-``
for standard input; ``-o FILE`` writes the output there instead of standard output.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import functools
import gc
import io
import itertools
import os
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Final, NoReturn

from tuangou_core._text import json_chunks, json_text
from tuangou_core._version import VERSION
from tuangou_core.errors import InternalError, TuangouError
from tuangou_core.group import Command, Fold, run, run_steps
from tuangou_core.interchange import MAX_INPUT_BYTES, Scenario, load, to_data
from tuangou_core.operations import lint_context, lint_output
from tuangou_core.reporting import (
    explain,
    journal_csv,
    journal_text,
    report,
    statement_of,
)
from tuangou_core.settlement import journal

__all__ = ["EXIT_FINDINGS", "EXIT_INTERNAL", "EXIT_INVALID", "EXIT_OK", "EXIT_USAGE", "main"]

EXIT_OK: Final = 0
"""Done: the output was written."""
EXIT_FINDINGS: Final = 1
"""``lint`` found an error-severity finding (the findings were written)."""
EXIT_INVALID: Final = 2
"""Invalid input: a file that is not a valid scenario, or an output that cannot be written."""
EXIT_USAGE: Final = 3
"""Usage: an unknown command or option, a missing argument."""
EXIT_INTERNAL: Final = 70
"""Internal error: a bug in tuangou_core (EX_SOFTWARE); please report it with the file."""

EXIT_CODES: Final = f"""exit status:
  {EXIT_OK}   done
  {EXIT_FINDINGS}   lint found an error-severity finding
  {EXIT_INVALID}   invalid input: not a valid scenario file, or -o FILE cannot be written
  {EXIT_USAGE}   usage: unknown command or option, missing argument
  {EXIT_INTERNAL}  internal error: a bug in tuangou_core (please report it with the file)

FILE may be - to read the scenario from standard input (JSON when it starts with '{{').
Every failure is one line on standard error: error: <code>: <message>."""

PROGRESS_MIN: Final = 10_000
"""A settle of at least this many scenario events shows a progress bar (on a terminal)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # One line, like every other failure of the command.
        sys.stderr.write(f"error: usage: {message} (see 'tuangou --help')\n")
        raise SystemExit(EXIT_USAGE)


def _mebibytes(text: str) -> int:
    # A usage error (exit 3) for anything but a whole number of MiB from 1 to 1024.
    if not text.isascii() or not text.isdigit() or not 1 <= int(text) <= 1024:
        raise argparse.ArgumentTypeError(f"a whole number of MiB from 1 to 1024, not {text!r}")
    return int(text) * 1024 * 1024


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="tuangou",
        description="Replay group-buying scenarios into statements.",
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"tuangou {VERSION}")
    common = _Parser(add_help=False)
    common.add_argument("file", help="a .toml or .json scenario file, or - for standard input")
    common.add_argument("-o", "--output", metavar="FILE", help="write the output to FILE")
    common.add_argument(
        "-q", "--quiet", action="store_true", help="no progress bar on standard error"
    )
    common.add_argument(
        "--max-input",
        metavar="MIB",
        type=_mebibytes,
        default=MAX_INPUT_BYTES,
        help="read a scenario of up to MIB MiB (default 16, at most 1024)",
    )
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def command(name: str, summary: str) -> argparse.ArgumentParser:
        return commands.add_parser(
            name,
            help=summary,
            description=summary,
            parents=[common],
            epilog=EXIT_CODES,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )

    settle = command("settle", "print the statement of a scenario file")
    shape = settle.add_mutually_exclusive_group()
    shape.add_argument("--json", action="store_true", help="print the statement as JSON")
    shape.add_argument("--records", action="store_true", help="print one CSV row per order")
    command("explain", "print each event, what it caused, the money")
    metrics = command("metrics", "print success rate, funnel, GMV and more")
    shape = metrics.add_mutually_exclusive_group()
    shape.add_argument("--json", action="store_true", help="print the metrics as JSON")
    shape.add_argument("--records", action="store_true", help="print one CSV row per figure")
    ledger = command("journal", "print every journal entry: account, debit, credit and the rule")
    form = ledger.add_mutually_exclusive_group()
    form.add_argument("--csv", action="store_true", help="print the journal as CSV")
    form.add_argument("--json", action="store_true", help="print the journal entries as JSON")
    lint = command("lint", "check the campaign against the platform's rules")
    lint.add_argument("--json", action="store_true", help="print the findings as JSON")
    return parser


class _Progress:
    """A progress bar on standard error while a long scenario replays; silent otherwise."""

    def __init__(self, total: int, shown: bool) -> None:
        self.total = total
        self.shown = shown and total >= PROGRESS_MIN
        self.every = max(1, total // 100)

    def count(self, commands: Sequence[Command]) -> Iterator[Command]:
        for index, command in enumerate(commands):
            if self.shown and index % self.every == 0:
                self._draw(index)
            yield command
        if self.shown:
            self._draw(self.total)
            sys.stderr.write("\r\x1b[K")  # leave the terminal as it was
            sys.stderr.flush()

    def _draw(self, done: int) -> None:
        filled = 30 * done // self.total
        percent = 100 * done // self.total
        bar = "#" * filled + "." * (30 - filled)
        sys.stderr.write(f"\rtuangou: replaying [{bar}] {percent:3d}% {done}/{self.total} events")
        sys.stderr.flush()


def _terminal() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


def _replay(args: argparse.Namespace) -> tuple[Scenario, Any, Any]:
    scenario = load(args.file, max_bytes=args.max_input)
    progress = _Progress(len(scenario.commands), not args.quiet and _terminal())
    steps, fold = run(scenario.campaign, progress.count(scenario.commands))
    return scenario, steps, fold


def _csv(columns: Sequence[str], records: Iterable[Mapping[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, list(columns))
    writer.writeheader()
    writer.writerows(records)
    return out.getvalue()


def _settle(args: argparse.Namespace) -> str | Iterator[str]:
    scenario = load(args.file, max_bytes=args.max_input)
    progress = _Progress(len(scenario.commands), not args.quiet and _terminal())
    fold = Fold(scenario.campaign)
    # Each command is decided when the statement reads its step, and the step let go once
    # read: a million events are never all alive at once. The final state is read once the
    # steps are: no sooner needed, no longer held.
    steps = run_steps(fold, progress.count(scenario.commands))
    del scenario
    statement = statement_of(steps, functools.partial(getattr, fold, "state"))
    del fold, steps  # the events' memory goes before the output is written
    if args.records:
        records = statement.to_records()
        return _csv(records.columns, records)
    # Only the form asked for: the text and the JSON each cost about as much as the statement.
    if args.json:
        data = statement.to_data()
        del statement
        # Written as it is encoded: a million orders' JSON is never whole in memory.
        return itertools.chain(json_chunks(data), "\n")
    return _text(statement.text())


def _explain(args: argparse.Namespace) -> str:
    _scenario, steps, _fold = _replay(args)
    return explain(steps)


def _metrics(args: argparse.Namespace) -> str:
    scenario, steps, _fold = _replay(args)
    events = [event for step in steps for event in step.events]
    metrics = report(events, currency=scenario.campaign.currency)
    if args.records:
        records = metrics.to_records()
        return _csv(records.columns, records)
    return _json(metrics.to_data()) if args.json else _text(metrics.text())


def _journal(args: argparse.Namespace) -> str:
    scenario, steps, _fold = _replay(args)
    as_csv, as_json = args.csv, args.json
    entries = journal([event for step in steps for event in step.events], scenario.campaign)
    if as_csv:
        return journal_csv(entries)
    if as_json:
        return _json([to_data(entry) for entry in entries])
    return journal_text(entries, scenario.campaign.currency)


def _lint(args: argparse.Namespace) -> tuple[str, bool]:
    scenario = load(args.file, max_bytes=args.max_input)
    context = lint_context(scenario.lint, scenario.campaign.currency)
    text, data = lint_output(scenario.campaign, context)
    return _render(text, data, args.json), bool(data["clean"])


def _render(text: str, data: dict[str, Any], as_json: bool) -> str:
    return _json(data) if as_json else _text(text)


def _json(data: Any) -> str:
    return json_text(data) + "\n"  # json.dumps(..., ensure_ascii=False, indent=2), faster


def _text(text: str) -> str:
    return text.rstrip("\n") + "\n"


def _write(output: str | Iterable[str], path: str | None) -> None:
    """*output* (text, or pieces of it) on standard output, or into *path* whole: written
    beside it and renamed, so a failed run never leaves a half-written file or clobbers the
    one there.

    Raises:
        TuangouError: ``output_failed`` when it cannot be written.
    """
    if path is None:
        try:
            for block in _blocks(output):
                sys.stdout.write(block)
            sys.stdout.flush()
        except (OSError, ValueError, AttributeError) as error:  # full, closed or broken
            _silence_stdout()
            reason = getattr(error, "strerror", None) or "standard output is closed"
            raise TuangouError(
                "output_failed", f"standard output cannot be written ({reason})"
            ) from None
        return
    target = Path(path)
    temporary = target.with_name(f".{target.name}.tuangou-{os.getpid()}.tmp")
    try:
        with temporary.open("w", encoding="utf-8", newline="") as file:
            for block in _blocks(output):
                file.write(block)
        os.replace(temporary, target)
    except OSError as error:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise TuangouError(
            "output_failed", f"-o {path} cannot be written ({error.strerror or error})"
        ) from None


def _blocks(output: str | Iterable[str]) -> Iterator[str]:
    # Pieces gathered into writes of about a MiB: one write a piece would be 10**5 writes.
    if isinstance(output, str):
        yield output
        return
    pending: list[str] = []
    size = 0
    for piece in output:
        pending.append(piece)
        size += len(piece)
        if size >= _BLOCK:
            yield "".join(pending)
            pending.clear()
            size = 0
    if pending:
        yield "".join(pending)


_BLOCK: Final = 1 << 20


def _silence_stdout() -> None:
    # What is still buffered would fail again when the interpreter flushes at exit and print
    # "Exception ignored": point the descriptor at the null device so that flush succeeds.
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, ValueError, AttributeError):
        pass


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status.

    :data:`EXIT_OK` (0) on success; :data:`EXIT_FINDINGS` (1) when ``lint`` finds an
    error-severity finding; :data:`EXIT_INVALID` (2) for an invalid file or an output that
    cannot be written; :data:`EXIT_USAGE` (3) for a usage mistake; :data:`EXIT_INTERNAL` (70)
    for a bug. Every failure is one line ``error: <code>: <message>`` on stderr.
    """
    args = _parser().parse_args(argv)
    # A settle builds millions of small acyclic values and then exits: the cycle collector's
    # full passes over them only cost time (twice the run on 100 000 events), so it rests.
    collecting = gc.isenabled()
    gc.disable()
    try:
        clean = True
        if args.command == "settle":
            output = _settle(args)
        elif args.command == "explain":
            output = _explain(args)
        elif args.command == "metrics":
            output = _metrics(args)
        elif args.command == "journal":
            output = _journal(args)
        else:
            output, clean = _lint(args)
        _write(output, args.output)
    except InternalError as error:
        _fail(f"{error.code}: {error.message} (a bug in tuangou_core; please report it)")
        return EXIT_INTERNAL
    except TuangouError as error:
        _fail(f"{error.code}: {error.message}")
        return EXIT_INVALID
    except Exception as error:  # a bug must still reach the user as one line, not a traceback
        _fail(
            f"internal_error: {type(error).__name__}: {error} (a bug in tuangou_core; "
            "please report it with the file)"
        )
        return EXIT_INTERNAL
    finally:
        if collecting:
            gc.enable()
    return EXIT_OK if clean else EXIT_FINDINGS


def _fail(line: str) -> None:
    sys.stderr.write("error: " + " ".join(line.split()) + "\n")
