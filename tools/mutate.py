"""Mutation testing one module at a time, each against its own stage's tests.

``python -m tools.mutate <module>`` runs mutmut on one entry of :data:`MODULES` with one worker
(the machine is shared): it starts from an empty ``mutants/`` and narrows mutmut's
``[tool.mutmut]`` settings (pyproject.toml) to the module's files and its stage's tests, since
mutmut's own configuration holds one test selection for all the files it mutates.
``python -m tools.mutate <module> results`` then lists that run's survivors and
``python -m tools.mutate <module> show <name>`` prints one (mutmut's own ``results`` would read
the unnarrowed settings and list nothing). ``python -m tools.mutate`` lists the modules.
The properties run under the ``mutate`` hypothesis profile (10 cases each, tests/conftest.py)
unless ``TUANGOU_HYPOTHESIS_PROFILE`` names another. docs/testing.md has the scores.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from mutmut import configuration
from mutmut.__main__ import cli

ROOT = Path(__file__).resolve().parent.parent

# module: (files to mutate, the tests that must kill their mutants)
MODULES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "money": (("src/tuangou_core/money/*",), ("tests/money",)),
    "commission": (
        ("src/tuangou_core/settlement/_commission.py",),
        ("tests/settlement/test_commission.py", "tests/settlement/test_commission_refusals.py"),
    ),
    "journal": (("src/tuangou_core/settlement/_journal.py",), ("tests/settlement",)),
    "accounts": (("src/tuangou_core/settlement/_accounts.py",), ("tests/settlement",)),
    "balances": (("src/tuangou_core/settlement/_balances.py",), ("tests/settlement",)),
    "audit": (("src/tuangou_core/settlement/_audit.py",), ("tests/settlement",)),
    "refunds": (("src/tuangou_core/refunds/*",), ("tests/refunds",)),
    "decide": (("src/tuangou_core/group/_decide.py",), ("tests/group",)),
    "lottery": (("src/tuangou_core/group/_lottery.py",), ("tests/group",)),
    "outcomes": (("src/tuangou_core/group/_outcomes.py",), ("tests/group",)),
    "evolve": (
        ("src/tuangou_core/group/_evolve.py", "src/tuangou_core/group/_evolve_money.py"),
        ("tests/group",),
    ),
    "group-money": (("src/tuangou_core/group/_money.py",), ("tests/group",)),
    "invariants": (("src/tuangou_core/group/_invariants.py",), ("tests/group",)),
}


def main(argv: list[str]) -> int:
    """Run a mutmut command (``run`` by default) on the module named first in ``argv``."""
    if not argv or argv[0] not in MODULES:
        print("usage: python -m tools.mutate <module> [results | show <name>]; modules: ")
        print(", ".join(MODULES))
        return 2
    files, tests = MODULES[argv[0]]
    command = argv[1:] or ["run"]
    if command == ["run"]:
        # A run over another module's mutants/ would mix its files and results into this one.
        shutil.rmtree(ROOT / "mutants", ignore_errors=True)
        command = ["run", "--max-children", "1"]
    os.environ.setdefault("TUANGOU_HYPOTHESIS_PROFILE", "mutate")
    settings = configuration.config()
    settings.only_mutate = list(files)
    settings.pytest_add_cli_args_test_selection = list(tests)
    cli(command)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
