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


def _best(func: Callable[[], object], repeat: int, *, collector: bool = False) -> float:
    # The best of *repeat*; the collector kept out of the timed calls unless *collector*
    # (what users get), then collected before each call so every call starts alike.
    best = float("inf")
    was_enabled = gc.isenabled()
    try:
        for _ in range(repeat):
            gc.collect()
            if not collector:
                gc.disable()
            start = time.process_time()
            func()
            best = min(best, time.process_time() - start)
            gc.enable()
    finally:
        if not was_enabled:
            gc.disable()
    return best


def main(argv: Sequence[str] = ()) -> int:
    """Print events per second for each log (collector off and on), the full/half time ratios
    (2.0 is linear) and the growth cost(10n)/cost(n) of 50 000 against 5 000 groups of 5 with
    the collector on. CPU time of this process: the figure of one core whatever else runs."""
    repeat = int(argv[0]) if argv else 5
    seconds = {}
    for name, (_c, events) in _LOGS.items():
        seconds[name] = _best(_replayer(name), repeat)
        with_gc = _best(_replayer(name), repeat, collector=True)
        print(
            f"{name:>20}: {len(events):>8,} events in {seconds[name]:.3f} s = "
            f"{len(events) / seconds[name]:,.0f} events/s; collector on: {with_gc:.3f} s = "
            f"{len(events) / with_gc:,.0f} events/s"
        )
    for full, half in (
        ("10000_groups_of_5", "5000_groups_of_5"),
        ("one_group_of_10000", "one_group_of_5000"),
    ):
        print(f"{full} / {half}: {seconds[full] / seconds[half]:.2f}x the time (2.00 is linear)")
    small = _best(_replayer("5000_groups_of_5"), repeat, collector=True)
    campaign, events = small_groups(50_000)
    large = _best(lambda: replay(campaign, events), max(1, repeat // 2), collector=True)
    print(
        f"growth, collector on: {len(events):,} events in {large:.3f} s = "
        f"{len(events) / large:,.0f} events/s; cost(10n)/cost(n) = {large / small:.2f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
