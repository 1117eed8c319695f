"""List every error code the library raises, with the error class, read from the source.

Run ``python -m tools.errorcodes``; the test suite checks that docs/errors.md documents each.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

SOURCE = Path(__file__).resolve().parent.parent / "src" / "tuangou_core"

# The error classes, each taking the code first.
_KINDS = {
    "TuangouError": "TuangouError",
    "InvalidInput": "InvalidInput",
    "InvalidRule": "InvalidRule",
    "Rejected": "Rejected",
    "Conflict": "Conflict",
    "InvalidScenario": "InvalidScenario",
    "SerializationError": "SerializationError",
    "InvariantViolation": "InvariantViolation",
}
# Module helpers that also take the code first (others of the same name take a field first).
_HELPERS = {
    ("_group_rules.py", "_reject"): "Rejected",
    ("scenario.py", "_bad"): "InvalidScenario",
}


def codes() -> dict[str, set[str]]:
    """Every literal code passed as the first argument to an error, mapped to its kinds."""
    found: dict[str, set[str]] = {}
    for path in sorted(SOURCE.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            first = node.args[0]
            kind = _KINDS.get(name) or _HELPERS.get((path.name, name))
            if kind and isinstance(first, ast.Constant) and isinstance(first.value, str):
                found.setdefault(first.value, set()).add(kind)
    return found


if __name__ == "__main__":
    for code, kinds in sorted(codes().items()):
        sys.stdout.write(f"{code}: {', '.join(sorted(kinds))}\n")
