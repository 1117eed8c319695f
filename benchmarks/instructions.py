"""Instructions per operation, counted by ``valgrind --tool=callgrind``: load-proof figures.

Wall time on a shared machine moves by 2x with the other work on it; the number of instructions
CPython executes for one call does not (it moves by well under 1% between runs). For each
benchmark named, this runs the module under callgrind with collection off, calls it once (lazy
imports and caches filled), and then counts only the *loops* calls that follow: they run inside
``breakpoint()`` (its hook set to the loop), a builtin nothing else calls, and callgrind collects
only inside it (``--toggle-collect=builtin_breakpoint``). Ratios of these figures are the
repeatable comparisons ``docs/performance.md`` gives beside the timings.

    python -m benchmarks.instructions pricing.cart_10_lines_4_discounts pricing.decimal_cart
    python -m benchmarks.instructions --loops 3 group.replay_5000_groups_of_5

Needs ``valgrind`` on the PATH; takes a few seconds to a minute per benchmark.
"""

from __future__ import annotations

import argparse
import importlib
import re
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

_TOTAL = re.compile(rb"^(?:summary|totals):\s+(\d+)", re.MULTILINE)


def _call(label: str, loops: int) -> None:
    """Run benchmark *label* (``module.name``) *loops* times: the child's side."""
    module_name, _, name = label.partition(".")
    module = importlib.import_module(f"benchmarks.bench_{module_name}")
    (entry,) = [b for b in module.BENCHMARKS if b.name == name]
    entry.func()  # once before counting: lazy imports and caches filled

    def counted() -> None:
        for _ in range(loops):
            entry.func()

    sys.breakpointhook = counted
    breakpoint()  # callgrind collects inside this call only


def count(label: str, loops: int) -> int:
    """Instructions executed by *loops* calls of *label* (after one call not counted)."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "callgrind.out"
        subprocess.run(
            [
                "valgrind",
                "--tool=callgrind",
                "--collect-atstart=no",
                "--toggle-collect=builtin_breakpoint",
                f"--callgrind-out-file={out}",
                sys.executable,
                "-m",
                "benchmarks.instructions",
                "--child",
                label,
                str(loops),
            ],
            check=True,
            capture_output=True,
        )
        found = _TOTAL.search(out.read_bytes())
        if found is None:
            raise RuntimeError(f"no instruction total in callgrind's output for {label}")
        return int(found.group(1))


def per_call(label: str, loops: int) -> float:
    """Instructions of one call of *label*."""
    return count(label, loops) / loops


def main(argv: Sequence[str] | None = None) -> int:
    """Print instructions per call for each benchmark named, and each one's ratio to the first."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.instructions")
    parser.add_argument("labels", nargs="*", help="benchmarks as module.name")
    parser.add_argument("--loops", type=int, default=50, help="calls counted per benchmark")
    parser.add_argument("--child", nargs=2, metavar=("LABEL", "LOOPS"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _call(args.child[0], int(args.child[1]))
        return 0
    if not args.labels or args.loops < 1:
        parser.error("name at least one benchmark, and --loops of at least 1")
    first = None
    for label in args.labels:
        figure = per_call(label, args.loops)
        first = first or figure
        print(f"{label}: {figure:,.0f} instructions per call ({figure / first:.2f}x the first)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
