"""The error codes: what the source raises, and docs/errors.md generated from ``ErrorCode``.

``python -m tools.errorcodes`` lists every code the source raises with the classes raising it;
``python -m tools.errorcodes --write`` writes docs/errors.md from
:class:`tuangou_core.errors.ErrorCode`. The test suite checks that the committed page is what
this writes and that every code raised is a member, raised by its family's class.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

from tuangou_core.errors import (
    Conflict,
    ErrorCode,
    InternalError,
    InvalidInput,
    InvalidRule,
    Rejected,
    TuangouError,
)
from tuangou_core.group import InvariantViolation
from tuangou_core.interchange import InvalidScenario, SerializationError
from tuangou_core.store import StoreError

SOURCE = Path(__file__).resolve().parent.parent / "src" / "tuangou_core"
PAGE = Path(__file__).resolve().parent.parent / "docs" / "errors.md"

CLASSES: dict[str, type[TuangouError]] = {
    kind.__name__: kind
    for kind in (
        TuangouError,
        InvalidInput,
        InvalidRule,
        InvalidScenario,
        SerializationError,
        Rejected,
        Conflict,
        StoreError,
        InternalError,
        InvariantViolation,
    )
}
# Module helpers that take the code first and raise one class.
_HELPERS = {"reject": "Rejected", "_bad": "InvalidScenario"}
# The families in the order the page lists them, each with what it means to a backend.
_FAMILIES: tuple[tuple[str, str], ...] = (
    ("Rejected", "the rules refuse the command; nothing changed"),
    ("Conflict", "the command contradicts a recorded fact; nothing changed"),
    ("InvalidInput", "a value that cannot be what it claims"),
    ("InvalidRule", "a campaign or policy that cannot run; raised when it is built"),
    ("InvalidScenario", "a scenario file that cannot be replayed"),
    ("SerializationError", "data that cannot be read back into a value"),
    ("StoreError", "the event store failed or holds what this library cannot read"),
    ("TuangouError", "the environment failed the command line: not the input, not a bug"),
    ("InternalError", "a bug in the library, never the caller's mistake"),
)


def codes() -> dict[str, set[str]]:
    """Every literal code passed first to an error class or helper, mapped to the classes."""
    found: dict[str, set[str]] = {}
    for path in sorted(SOURCE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            first = node.args[0]
            kind = name if name in CLASSES else _HELPERS.get(name)
            if kind and isinstance(first, ast.Constant) and isinstance(first.value, str):
                found.setdefault(first.value, set()).add(kind)
    return found


def _parents(kind: type[TuangouError]) -> str:
    return ", ".join(f"`{base.__name__}`" for base in kind.__bases__)


def page() -> str:
    """docs/errors.md: the classes with their HTTP status, then every code by family."""
    lines = [
        "# Errors: every code, and how a backend maps it",
        "",
        "Generated from `tuangou_core.errors.ErrorCode` by `python -m tools.errorcodes --write`;",
        "do not edit by hand.",
        "",
        "Every error the library raises is a `TuangouError` with a stable snake_case `code` (an",
        "`ErrorCode`: a `str` enum a backend can import and compare), a `message` a person can",
        "act on, and structured `fields` (`field`, `value`, `group`, `member`, `payment_id`,",
        "`coupon`, … as they apply). Map on the class or the code, never on the message. Every",
        "error a caller's input causes is a `ValueError`; an `InternalError` is a bug and is not,",
        "so no `except ValueError` treats it as a refused command. The command line prints the",
        "same error as one line, `error: <code>: <message>`.",
        "",
        "| class | is a | HTTP (`http_status`) | meaning |",
        "| --- | --- | --- | --- |",
    ]
    for name, kind in CLASSES.items():
        doc = (kind.__doc__ or "").strip().splitlines()[0].rstrip(".")
        lines.append(f"| `{name}` | {_parents(kind)} | {kind.http_status} | {doc} |")
    lines += [
        "",
        "A `Rejected` inside a scenario does not stop the replay: the event is listed under",
        "`rejected` with its code, and the replay goes on.",
    ]
    for family, meaning in _FAMILIES:
        members = [code for code in ErrorCode if code.family == family]
        status = CLASSES[family].http_status
        lines += ["", f"## {family}: {meaning} ({status})", "", "| code | when |", "| --- | --- |"]
        lines += [f"| `{code.value}` | {code.meaning} |" for code in members]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    if sys.argv[1:] == ["--write"]:
        PAGE.write_text(page(), encoding="utf-8")
    else:
        for code, kinds in sorted(codes().items()):
            sys.stdout.write(f"{code}: {', '.join(sorted(kinds))}\n")
