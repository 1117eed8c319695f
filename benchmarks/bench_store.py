"""The event store: execute on SQLite and PostgreSQL, and loading a campaign's state.

``python -m benchmarks store`` times the snapshot codec and one ``execute`` on SQLite (no
server needed). The full report, which starts its own PostgreSQL server on loopback with the
machine's ``initdb``/``pg_ctl`` (``tools.pgtemp``), is::

    python -m benchmarks.bench_store            # everything, about two minutes
    python -m benchmarks.bench_store execute    # only commands/s and latency
    python -m benchmarks.bench_store load       # only state load times

It prints commands per second and p50/p99 latency of ``execute`` with 1 and 4 worker
processes (on one shared campaign, and on a campaign per worker), and the time to load a
campaign's state from a fresh store at 10 000 and 100 000 events, with snapshots every 100
events and without (a full replay), for two logs: one whose state stays the same size as the
log grows (after-sales refunds on the same orders) and one whose state grows with it (new
groups of five).
"""

from __future__ import annotations

import gc
import itertools
import multiprocessing
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from benchmarks import Benchmark
from tuangou_core.campaign import Campaign, FixedRule
from tuangou_core.group import Command, Event, Fold, Join, Open, Pay, RequestRefund, replay
from tuangou_core.interchange import from_snapshot, to_snapshot
from tuangou_core.money import Money
from tuangou_core.store import (
    EVENT_SCHEMAS,
    Head,
    PostgresStore,
    Recorded,
    SQLiteStore,
    SQLStore,
    execute,
)
from tuangou_core.timing import Duration

_START = datetime(2026, 3, 1, 1, 0, tzinfo=UTC)
_PRICE = Money(7000)
_FORK = multiprocessing.get_context("fork")


def _campaign(campaign_id: str, size: int = 5) -> Campaign:
    return Campaign(
        campaign_id, Money(10000), FixedRule(size, _PRICE), window=Duration(seconds=30 * 86400)
    )


def _group_commands(prefix: str, groups: int, start: int = 0) -> Iterator[Command]:
    """Groups of five, each opened, joined and paid in full, all at one instant."""
    for g in range(start, start + groups):
        group = f"{prefix}g{g}"
        for i in range(5):
            member = f"{group}-u{i}"
            yield Open(_START, group, member) if i == 0 else Join(_START, group, member)
            yield Pay(_START, group, member, f"{member}-p", _PRICE)


# -- python -m benchmarks store: the codec and one execute on SQLite ------------------------


def _state_of(groups: int) -> Any:
    fold = Fold(_campaign("codec"))
    for command in _group_commands("", groups):
        fold.execute(command)
    return fold.state


_STATE = _state_of(1000)
_SNAPSHOT = to_snapshot(_STATE)
_FOLDER = Path(tempfile.mkdtemp(prefix="tuangou-bench-"))
_SQLITE: SQLiteStore | None = None
_SERIAL = itertools.count()


def _execute_open() -> object:
    global _SQLITE  # noqa: PLW0603 - made on first use, so importing the module stays cheap
    if _SQLITE is None:
        _SQLITE = SQLiteStore(_FOLDER / "bench.db")
        _SQLITE.create_campaign(_campaign("hot"))
    n = next(_SERIAL)
    return execute(_SQLITE, "hot", Open(_START, f"g{n}", f"u{n}"), f"open-{n}")


BENCHMARKS = [
    Benchmark("snapshot_1000_groups", lambda: to_snapshot(_STATE), "snapshot of 5,000 orders"),
    Benchmark(
        "restore_1000_groups",
        lambda: from_snapshot(_STATE.campaign, _SNAPSHOT),
        "restore of 5,000 orders",
    ),
    Benchmark("sqlite_execute_open", _execute_open, "command (2 events, fsync)"),
]


# -- the full report ---------------------------------------------------------------------------


@contextmanager
def _databases() -> Iterator[Callable[[str, str], Callable[..., SQLStore]]]:
    """A maker of fresh databases: ``make(kind, name)`` returns an opener of stores."""
    import psycopg  # noqa: PLC0415
    from tools.pgtemp import TemporaryPostgres  # noqa: PLC0415 - only the report needs it

    folder = Path(tempfile.mkdtemp(prefix="tuangou-bench-"))
    with TemporaryPostgres() as server:

        def make(kind: str, name: str) -> Callable[..., SQLStore]:
            if kind == "sqlite":
                path = folder / f"{name}.db"

                def sqlite(every: int = 100) -> SQLStore:
                    return SQLiteStore(path, snapshot_every=every)

                return sqlite
            with psycopg.connect(server.dsn(), autocommit=True) as admin:
                admin.execute(f"CREATE DATABASE {name}")
            dsn = server.dsn(name)

            def postgres(every: int = 100) -> SQLStore:
                return PostgresStore(dsn, snapshot_every=every)

            return postgres

        yield make


def _execute_worker(
    opener: Callable[..., SQLStore], campaign_id: str, prefix: str, groups: int, out: Any
) -> None:
    store = opener()
    latencies = []
    for n, command in enumerate(_group_commands(prefix, groups)):
        started = time.perf_counter()
        execute(store, campaign_id, command, f"{prefix}{n}")
        latencies.append(time.perf_counter() - started)
    store.close()
    out.put(latencies)


def _execute_report(make: Callable[[str, str], Callable[..., SQLStore]]) -> None:
    print("execute: commands/s and latency (open, join and pay in groups of 5, fsync on)")
    print(f"{'store':>8} {'workers':>7} {'campaigns':>9} {'commands':>8} {'cmd/s':>7} "
          f"{'p50 ms':>7} {'p99 ms':>7}")  # fmt: skip
    for kind in ("sqlite", "postgres"):
        for workers, shared in ((1, True), (4, True), (4, False)):
            name = f"x{kind[0]}{workers}{'s' if shared else 'p'}"
            opener = make(kind, name)
            setup = opener()
            ids = ["hot"] if shared else [f"c{w}" for w in range(workers)]
            for campaign_id in ids:
                setup.create_campaign(_campaign(campaign_id))
            setup.close()
            groups = 60  # 600 commands per worker
            queue = _FORK.Queue()
            procs = [
                _FORK.Process(
                    target=_execute_worker,
                    args=(opener, ids[0] if shared else ids[w], f"w{w}", groups, queue),
                )
                for w in range(workers)
            ]
            started = time.perf_counter()
            for p in procs:
                p.start()
            latencies = [x for _ in procs for x in queue.get(timeout=600)]
            wall = time.perf_counter() - started
            for p in procs:
                p.join()
            q = statistics.quantiles(latencies, n=100)
            print(
                f"{kind:>8} {workers:>7} {'1' if shared else str(workers):>9} "
                f"{len(latencies):>8} {len(latencies) / wall:>7.0f} {q[49] * 1e3:>7.2f} "
                f"{q[98] * 1e3:>7.2f}"
            )


def _bounded_log(events: int) -> tuple[Campaign, list[Event]]:
    """Four groups of five formed, then 1-fen after-sales refunds: the state never grows."""
    campaign = _campaign("bounded")
    fold = Fold(campaign)
    log: list[Event] = []
    for command in _group_commands("", 4):
        log.extend(fold.execute(command))
    members = [(f"g{g}", f"g{g}-u{i}") for g in range(4) for i in range(5)]
    for n in itertools.count():
        if len(log) >= events:
            break
        group, member = members[n % len(members)]
        at = _START + timedelta(seconds=n)
        log.extend(fold.execute(RequestRefund(at, group, member, Money(1))))
    return campaign, log[:events]


def _growing_log(events: int) -> tuple[Campaign, list[Event]]:
    """New groups of five, opened, joined and paid: the state grows with the log."""
    campaign = _campaign("growing")
    fold = Fold(campaign)
    log: list[Event] = []
    for command in _group_commands("", events // 10 + 10):
        log.extend(fold.execute(command))
        if len(log) >= events:
            break
    return campaign, log[:events]


def _fill(opener: Callable[[int], SQLStore], campaign: Campaign, log: list[Event]) -> None:
    """Append *log* in commands of 100 events, as ``execute`` would have left it: the latest
    snapshot at the last multiple of 100 (only that one is written, to save time), then the
    rest."""
    bulk, last = opener(10**9), opener(100)
    bulk.create_campaign(campaign)
    fold = Fold(campaign)
    head = Head(0, fold.state)
    cut = len(log) - len(log) % 100
    batches = [log[i : min(i + 100, cut)] for i in range(0, cut, 100)] + [log[cut:]]
    for n, batch in enumerate(b for b in batches if b):
        recorded = tuple(
            Recorded(campaign.id, head.seq + i, f"{campaign.id}-{head.seq + i}", f"b{n}",
                     EVENT_SCHEMAS[type(e).__name__], e)
            for i, e in enumerate(batch, start=1)
        )  # fmt: skip
        fold.apply(batch)
        after = fold.state
        store = last if head.seq + len(batch) == cut else bulk
        assert store.append(head, f"b{n}", "{}", recorded, after)
        head = Head(head.seq + len(batch), after)
    bulk.close()
    last.close()


def _best(func: Callable[[], object], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        started = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - started)
    return best


def _load_report(make: Callable[[str, str], Callable[..., SQLStore]]) -> None:
    print("\nstate load from a fresh store (best of 3): snapshot every 100 events + the rest, "
          "and a full replay of the log read back")  # fmt: skip
    print(f"{'store':>8} {'log':>9} {'events':>7} {'orders':>6} {'snapshot s':>10} "
          f"{'replay s':>8}")  # fmt: skip
    for kind in ("sqlite", "postgres"):
        for shape, build in (("bounded", _bounded_log), ("growing", _growing_log)):
            for size in (10_000, 100_000):
                campaign, log = build(size)
                log = log[: size - 50]  # the last snapshot 50 events behind the head
                opener = make(kind, f"l{kind[0]}{shape[0]}{size}")
                _fill(opener, campaign, log)

                def cold_load(
                    opener: Callable[..., SQLStore] = opener, cid: str = campaign.id
                ) -> None:
                    fresh = opener()
                    fresh.load(cid)
                    fresh.close()

                def cold_replay(
                    opener: Callable[..., SQLStore] = opener, c: Campaign = campaign
                ) -> None:
                    fresh = opener()
                    replay(c, [r.event for r in fresh.events(c.id)])
                    fresh.close()

                orders = len(replay(campaign, log).orders())
                print(
                    f"{kind:>8} {shape:>9} {len(log):>7} {orders:>6} {_best(cold_load):>10.3f} "
                    f"{_best(cold_replay, 1):>8.2f}"
                )


def main(argv: Sequence[str] = ()) -> int:
    """Print the execute and load report; ``execute`` or ``load`` picks one half."""
    wanted = set(argv) or {"execute", "load"}
    with _databases() as make:
        if "execute" in wanted:
            _execute_report(make)
        if "load" in wanted:
            _load_report(make)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
