"""Settling a generated JSON scenario end to end through the ``tuangou settle`` command.

The scenario is what a busy campaign sends a backend: groups of five that open, join and pay,
with duplicated payment notifications, a wrong amount, unpaid holds that time out, and groups
that fail at their deadline. Run ``python -m benchmarks.bench_settle [EVENTS]`` for one timed
settle of EVENTS events (100 000 by default), the time of each of its phases, and a profile of
where the time goes.
"""

from __future__ import annotations

import contextlib
import cProfile
import functools
import gc
import io
import json
import pstats
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from benchmarks import Benchmark
from tuangou_core._text import json_chunks  # the command's own encoder
from tuangou_core.cli import main
from tuangou_core.group import Fold, run_steps
from tuangou_core.interchange import load
from tuangou_core.reporting import statement_of

_START = datetime(2026, 3, 1, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def scenario(events: int) -> dict[str, Any]:
    """A scenario of about *events* events: mostly groups that form, some that fail."""
    out: list[dict[str, Any]] = []
    clock = _START
    group = 0

    def add(kind: str, **keys: Any) -> None:
        nonlocal clock
        clock += timedelta(seconds=3)
        out.append({"at": clock.isoformat(), "type": kind, **keys})

    while len(out) < events:
        group += 1
        g = f"g{group}"
        members = [f"{g}-u{i}" for i in range(5)]
        add("open", group=g, member=members[0])
        add("pay", group=g, member=members[0], payment_id=f"{g}-p0", amount="70.00")
        fails = group % 10 == 0  # one group in ten never fills and fails at its deadline
        for index, member in enumerate(members[1:], start=1):
            if fails and index > 2:
                break
            add("join", group=g, member=member)
            add("pay", group=g, member=member, payment_id=f"{g}-p{index}", amount="70.00")
            if index == 1 and group % 7 == 0:  # a duplicated notification
                add("pay", group=g, member=member, payment_id=f"{g}-p{index}", amount="70.00")
        if group % 13 == 0:  # a wrong amount, refunded at once
            add("join", group=f"g{group - 1}", member=f"{g}-late")
    return {
        "schema": 1,
        "campaign": {
            "id": "bench",
            "list_price": "100.00",
            "rule": "fixed",
            "size": 5,
            "price": "70.00",
            "window": "PT2H",
        },
        "fees": {"payment_rate": "0.006", "platform_rate": "0.05", "leader_rate": "0.03"},
        "events": out[:events],
    }


def write(events: int) -> Path:
    """Write a scenario of *events* events to a temporary JSON file and return its path."""
    folder = Path(tempfile.mkdtemp(prefix="tuangou-bench-"))
    path = folder / f"settle-{events}.json"
    path.write_text(json.dumps(scenario(events)))
    return path


def settle(path: Path) -> str:
    """Run ``tuangou settle PATH --json`` in-process and return what it printed."""
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        status = main(["settle", str(path), "--json"])
    if status != 0:
        raise RuntimeError(f"settle exited {status}")
    return buffer.getvalue()


_SMALL = write(10_000)

BENCHMARKS = [
    Benchmark("settle_10k_events", lambda: settle(_SMALL), "scenario of 10 000 events"),
]


def phases(path: Path) -> dict[str, float]:
    """CPU seconds of each phase of ``settle --json`` on *path*, the collector paused as the
    command pauses it: reading the file, deciding and applying, the statement (the journal's
    tally, the audit and the rows), ``to_data`` and the JSON. The steps are kept between the
    phases, which the command does not do (it reads each step once and lets it go)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        clock = time.process_time
        marks = [clock()]
        scenario = load(path, max_bytes=path.stat().st_size + 1)
        marks.append(clock())
        fold = Fold(scenario.campaign)
        steps = list(run_steps(fold, scenario.commands))
        marks.append(clock())
        statement = statement_of(iter(steps), functools.partial(getattr, fold, "state"))
        marks.append(clock())
        data = statement.to_data()
        marks.append(clock())
        for _chunk in json_chunks(data):
            pass
        marks.append(clock())
    finally:
        if was_enabled:
            gc.enable()
    names = ("load", "run", "statement", "to_data", "json")
    return {name: marks[i + 1] - marks[i] for i, name in enumerate(names)}


def _main(argv: list[str]) -> None:
    events = int(argv[0]) if argv else 100_000
    path = write(events)
    start = time.perf_counter()
    settle(path)
    seconds = time.perf_counter() - start
    print(f"settled {events} events in {seconds:.2f} s: {events / seconds:,.0f} events/s")
    best = phases(path)
    for _ in range(2):
        best = {name: min(value, best[name]) for name, value in phases(path).items()}
    print("phases, best of 3 (CPU s): " + ", ".join(f"{k} {v:.3f}" for k, v in best.items()))
    profile = cProfile.Profile()
    profile.enable()
    settle(path)
    profile.disable()
    stats = pstats.Stats(profile, stream=sys.stdout)
    stats.sort_stats("cumulative").print_stats(18)


if __name__ == "__main__":
    _main(sys.argv[1:])
