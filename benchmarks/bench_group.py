"""Replaying group event logs: many small groups, and one very large group.

Issue 4 asks for replay throughput (events per second) for 10 000 groups of 5 and for one group
of 10 000 members, with cost linear in the number of events. Each log is built once at import
by deciding real commands (open, join, pay; every group forms), so it holds exactly what a
backend would persist. The half-size logs are timed too: at linear cost the full log takes
twice as long as the half.

Run ``python -m benchmarks group`` for the table (one op is one whole replay), or
``python -m benchmarks.bench_group`` for events per second and the full/half ratios.
"""

from __future__ import annotations

import gc
import sys
import time
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from benchmarks import Benchmark
from tuangou_core.campaign import Campaign, FixedRule
from tuangou_core.group import Command, Event, Fold, Join, Open, Pay, replay
from tuangou_core.money import Money
from tuangou_core.timing import Duration

_START = datetime(2026, 3, 1, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
_PRICE = Money(7000)


def _campaign(size: int) -> Campaign:
    return Campaign(
        f"bench-{size}",
        Money(10000),
        FixedRule(size, _PRICE),
        window=Duration(seconds=7 * 24 * 3600),
    )


def _log(campaign: Campaign, commands: Sequence[Command]) -> tuple[Event, ...]:
    fold = Fold(campaign)
    events: list[Event] = []
    for command in commands:
        events.extend(fold.execute(command))
    return tuple(events)


def small_groups(groups: int, size: int = 5) -> tuple[Campaign, tuple[Event, ...]]:
    """*groups* groups of *size*, each opened, joined and paid in full a second apart."""
    campaign = _campaign(size)
    commands: list[Command] = []
    clock = _START
    for g in range(groups):
        group = f"g{g}"
        for i in range(size):
            clock += timedelta(seconds=1)
            member = f"{group}-u{i}"
            join: Command = Open(clock, group, member) if i == 0 else Join(clock, group, member)
            commands += [join, Pay(clock, group, member, f"{member}-p", _PRICE)]
    return campaign, _log(campaign, commands)


def one_group(members: int) -> tuple[Campaign, tuple[Event, ...]]:
    """One group of *members*, each joining and paying a second after the one before."""
    campaign = _campaign(members)
    commands: list[Command] = []
    clock = _START
    for i in range(members):
        clock += timedelta(seconds=1)
        member = f"u{i}"
        join: Command = Open(clock, "g", member) if i == 0 else Join(clock, "g", member)
        commands += [join, Pay(clock, "g", member, f"p{i}", _PRICE)]
    return campaign, _log(campaign, commands)


_LOGS = {
    "10000_groups_of_5": small_groups(10_000),
    "5000_groups_of_5": small_groups(5_000),
    "one_group_of_10000": one_group(10_000),
    "one_group_of_5000": one_group(5_000),
}


def _replayer(name: str) -> Callable[[], object]:
    campaign, events = _LOGS[name]
    return lambda: replay(campaign, events)


BENCHMARKS = [
    Benchmark(f"replay_{name}", _replayer(name), f"replay of {len(events):,} events")
    for name, (_campaign_, events) in _LOGS.items()
]


def _best(func: Callable[[], object], repeat: int) -> float:
    # As the runner does: the best of *repeat*, the collector kept out of the timed calls.
    best = float("inf")
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        for _ in range(repeat):
            start = time.perf_counter()
            func()
            best = min(best, time.perf_counter() - start)
    finally:
        if was_enabled:
            gc.enable()
    return best


def main(argv: Sequence[str] = ()) -> int:
    """Print events per second for each log and the full/half time ratios (2.0 is linear)."""
    repeat = int(argv[0]) if argv else 5
    seconds = {}
    for name, (_c, events) in _LOGS.items():
        seconds[name] = _best(_replayer(name), repeat)
        rate = f"{len(events) / seconds[name]:,.0f} events/s"
        print(f"{name:>20}: {len(events):>8,} events in {seconds[name]:.3f} s = {rate}")
    for full, half in (
        ("10000_groups_of_5", "5000_groups_of_5"),
        ("one_group_of_10000", "one_group_of_5000"),
    ):
        print(f"{full} / {half}: {seconds[full] / seconds[half]:.2f}x the time (2.00 is linear)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
