"""Run every benchmark module: ``python -m benchmarks [--repeat N] [--min-time S] [filter ...]``.

Filters are substrings matched against ``module.name`` (e.g. ``money`` or ``allocate``); with
none, everything runs. Timing uses ``time.perf_counter``: each benchmark is calibrated to a loop
count that takes at least ``--min-time`` seconds, the loop is repeated ``--repeat`` times, and
the best repeat is reported, since slower repeats measure the machine's other work, not ours.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import pkgutil
import sys
import time
from collections.abc import Callable, Sequence

import benchmarks
from benchmarks import Benchmark, Ratio, Result

_RATIOS: dict[str, list[Ratio]] = {}  # each module's RATIOS, filled by discover()


def discover() -> tuple[list[tuple[str, list[Benchmark]]], list[str]]:
    """Every ``bench_*`` module with its ``BENCHMARKS``, sorted by name; and the failures.

    Each module's ``RATIOS`` (if any) are kept for :func:`ratios`.

    A module that cannot be imported is reported, not fatal: one area's breakage must not hide
    the figures of the others.
    """
    found = []
    failures = []
    for info in sorted(pkgutil.iter_modules(benchmarks.__path__), key=lambda m: m.name):
        if not info.name.startswith("bench_"):
            continue
        try:
            module = importlib.import_module(f"{benchmarks.__name__}.{info.name}")
            entries = list(module.BENCHMARKS)
            wanted = list(getattr(module, "RATIOS", ()))
        except Exception as error:  # any failure of one module is reported alike
            failures.append(f"{info.name}: {type(error).__name__}: {error}")
            continue
        found.append((info.name.removeprefix("bench_"), entries))
        _RATIOS[info.name.removeprefix("bench_")] = wanted
    return found, failures


def _loop_time(func: Callable[[], object], loops: int) -> float:
    calls = range(loops)
    start = time.perf_counter()
    for _ in calls:
        func()
    return time.perf_counter() - start


def measure(func: Callable[[], object], repeat: int, min_time: float) -> float:
    """Best seconds per call of *func* over *repeat* loops of at least *min_time* seconds."""
    loops = 1
    while (elapsed := _loop_time(func, loops)) < min_time:
        # Grow towards the target in one or two steps rather than doubling many times.
        loops = max(loops * 2, int(loops * min_time / max(elapsed, 1e-9) * 1.2))
    best = elapsed / loops
    # The collector's pauses belong to whichever loop they land in; keep them out of all.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        for _ in range(repeat - 1):
            best = min(best, _loop_time(func, loops) / loops)
    finally:
        if was_enabled:
            gc.enable()
    return best


def run(
    modules: Sequence[tuple[str, Sequence[Benchmark]]],
    filters: Sequence[str] = (),
    repeat: int = 5,
    min_time: float = 0.2,
) -> list[Result]:
    """Time every benchmark whose ``module.name`` contains one of *filters* (all if none)."""
    results = []
    for module, entries in modules:
        for entry in entries:
            label = f"{module}.{entry.name}"
            if filters and not any(f in label for f in filters):
                continue
            seconds = measure(entry.func, repeat, min_time)
            results.append(Result(module, entry.name, entry.unit, seconds))
    return results


def table(results: Sequence[Result]) -> str:
    """The results as an aligned text table."""
    rows = [("benchmark", "unit", "ops/s", "µs/op")]
    rows += [
        (
            f"{r.module}.{r.name}",
            r.unit,
            f"{r.ops_per_second:,.0f}",
            f"{r.microseconds_per_op:,.2f}",
        )
        for r in results
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    # Names and units read left to right; figures line up on their last digit.
    aligns = "<<>>"
    lines = [
        "  ".join(
            f"{cell:{align}{width}}" for cell, align, width in zip(row, aligns, widths, strict=True)
        )
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def ratios(results: Sequence[Result]) -> list[str]:
    """One line per ratio whose two benchmarks both ran: the rate of one against the other."""
    timed = {(r.module, r.name): r.seconds_per_op for r in results}
    lines = []
    for module, wanted in _RATIOS.items():
        for name, baseline in wanted:
            if (module, name) in timed and (module, baseline) in timed:
                times = timed[(module, baseline)] / timed[(module, name)]
                lines.append(
                    f"{module}.{name}: {times:.2f}x the rate of {baseline} "
                    f"(costs {1 / times:.2f}x its time)"
                )
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line, run the benchmarks, print the table."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("filters", nargs="*", help="substrings of module.name to run")
    parser.add_argument("--repeat", type=int, default=5, help="timed loops per benchmark")
    parser.add_argument(
        "--min-time", type=float, default=0.2, help="seconds each timed loop lasts at least"
    )
    args = parser.parse_args(argv)
    if args.repeat < 1 or args.min_time <= 0:
        parser.error("--repeat must be at least 1 and --min-time above 0")
    modules, failures = discover()
    results = run(modules, args.filters, args.repeat, args.min_time)
    if results:
        print(f"Python {sys.version.split()[0]}, best of {args.repeat}")
        print(table(results))
        for line in ratios(results):
            print(line)
    else:
        print("no benchmark matched", file=sys.stderr)
    for failure in failures:
        print(f"could not load {failure}", file=sys.stderr)
    return 0 if results and not failures else 1


if __name__ == "__main__":
    sys.exit(main())
