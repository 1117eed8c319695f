"""The stores under load and under faults, on SQLite and PostgreSQL: a seckill raced by eight
worker processes, resent commands, and workers killed (SIGKILL) in the middle of execute."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import random
import signal
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from multiprocessing.queues import Queue
from typing import Any

import pytest

from store_support import Where
from tuangou_core.campaign import Campaign, SeckillRule
from tuangou_core.errors import TuangouError
from tuangou_core.group import (
    Command,
    Fold,
    Join,
    Open,
    OrderPaid,
    Pay,
    PaymentReceived,
    RefundDue,
    StockReleased,
    StockReserved,
    replay,
)
from tuangou_core.money import Money
from tuangou_core.settlement import journal, trial_balance
from tuangou_core.store import PostgresStore, SQLiteStore, SQLStore, submit

START = datetime(2026, 3, 1, 2, 0, tzinfo=UTC)
NOW = START + timedelta(minutes=1)  # every racing command at one instant: time plays no part
PRICE = Money(7000)
WORKERS = 8
GROUPS = 100  # of 4: 400 joins for a stock of 100
SIZE = 4
STOCK = 100
FORK = multiprocessing.get_context("fork")


def seckill() -> Campaign:
    """A seckill of groups of 4 at ¥70, stock 100, one unit per member."""
    return Campaign(
        "seckill", Money(10000), SeckillRule(SIZE, PRICE, START), stock=STOCK, per_member_limit=1
    )


def _send(
    store: SQLStore, command: Command, command_id: str, stats: Counter[str]
) -> tuple[Any, ...] | None:
    """Execute, resending on concurrent_write with the same id, as a backend would."""
    for _ in range(20):
        try:
            outcome = submit(store, "seckill", command, command_id)
        except TuangouError as error:
            if error.code == "concurrent_write":
                stats["conflicts"] += 1
                continue
            stats[f"refused {error.code}"] += 1
            return None
        stats["commands"] += 1
        stats["retries"] += outcome.attempts - 1
        return outcome.events
    raise AssertionError(f"{command_id} lost the race 20 times in a row")


def _worker(where: Where, worker: int, queue: Queue[Any]) -> None:
    store = where.open()
    stats: Counter[str] = Counter()
    pays: list[str] = []
    resend_mismatches = 0
    serial = 0
    joined = 0
    for g in range(worker, GROUPS, WORKERS):
        for i in range(SIZE):
            member = f"g{g}-u{i}"
            join: Command = Open(NOW, f"g{g}", member) if i == 0 else Join(NOW, f"g{g}", member)
            payments = [Pay(NOW, f"g{g}", member, f"pay-{member}", PRICE)]
            if (g + i) % 20 == 3:  # now and then a second payment, refunded at once
                payments.append(Pay(NOW, f"g{g}", member, f"pay2-{member}", PRICE))
            commands: list[Command] = [join]
            for command in commands + payments:
                serial += 1
                command_id = f"w{worker}-{serial}"
                events = _send(store, command, command_id, stats)
                if command is join:
                    if events is None:
                        break  # no order: nothing to pay
                    joined += 1
                else:
                    pays.append(command.payment_id)  # type: ignore[union-attr]
                if serial % 10 == 0:  # a resend with the same id: no double effect
                    again = submit(store, "seckill", command, command_id)
                    stats["resends"] += 1
                    if not again.duplicate or again.events != (events or ()):
                        resend_mismatches += 1
    store.close()
    queue.put(
        {"stats": dict(stats), "pays": pays, "joined": joined, "mismatches": resend_mismatches}
    )


def test_a_seckill_raced_by_eight_processes_holds_exactly_its_stock(where: Where) -> None:
    """400 joins and their payments from 8 processes: 100 units held, a gapless log, every
    payment recorded, resends without double effect, and a balanced ledger."""
    setup = where.open()
    setup.create_campaign(seckill())
    setup.close()
    queue: Queue[Any] = FORK.Queue()
    started = time.perf_counter()
    workers = [FORK.Process(target=_worker, args=(where, w, queue)) for w in range(WORKERS)]
    for process in workers:
        process.start()
    reports = [queue.get(timeout=600) for _ in workers]
    for process in workers:
        process.join(timeout=60)
        assert process.exitcode == 0
    elapsed = time.perf_counter() - started

    store = where.open()
    recorded = store.events("seckill")
    events = [r.event for r in recorded]
    assert [r.seq for r in recorded] == list(range(1, len(recorded) + 1))
    assert len({r.event_id for r in recorded}) == len(recorded)
    state = store.state("seckill")
    assert state == replay(seckill(), events)
    held = sum(e.units for e in events if isinstance(e, StockReserved)) - sum(
        e.units for e in events if isinstance(e, StockReleased)
    )
    assert held == state.stock_taken == STOCK
    assert sum(r["joined"] for r in reports) == STOCK
    stats: Counter[str] = Counter()
    for report in reports:
        stats.update(report["stats"])
    assert sum(r["mismatches"] for r in reports) == 0
    assert set(stats) <= {
        "commands",
        "retries",
        "conflicts",
        "resends",
        "refused out_of_stock",
        "refused unknown_group",
    }
    # Every payment sent was recorded once, and either paid its order or was refunded at once.
    sent = [p for r in reports for p in r["pays"]]
    received = Counter(e.payment_id for e in events if isinstance(e, PaymentReceived))
    assert sorted(received) == sorted(sent) and set(received.values()) == {1}
    settled = {e.payment_id for e in events if isinstance(e, OrderPaid)}
    refunded = {e.payment_id for e in events if isinstance(e, RefundDue)}
    assert all(p in settled or p in refunded for p in sent)
    assert len(settled) == STOCK and all(p.startswith("pay2-") for p in refunded)
    balance = trial_balance(journal(events, seckill()))
    assert balance.balanced
    print(  # the race figures, for the record (pytest -s shows them)
        f"\n[{where.kind}] {elapsed:.1f} s: {stats['commands']} commands recorded, "
        f"{held} units held, {len(sent)} payments recorded ({len(settled)} paid, "
        f"{len(refunded)} refunded at once), {len(recorded)} events, {stats['retries']} "
        f"retries, {stats['conflicts']} concurrent_write, {stats['resends']} resends, "
        f"refused: {stats['refused out_of_stock']} out_of_stock, "
        f"{stats['refused unknown_group']} unknown_group"
    )
    store.close()


class _DiesBeforeCommit(SQLiteStore):
    """Kills its own process inside the write transaction, after every row is written."""

    def _before_commit(self) -> None:
        os.kill(os.getpid(), signal.SIGKILL)


class _PostgresDiesBeforeCommit(PostgresStore):
    """The same on PostgreSQL: the connection drops in the middle of the transaction."""

    def _before_commit(self) -> None:
        os.kill(os.getpid(), signal.SIGKILL)


def _killed_in_execute(where: Where, command: Command, command_id: str) -> None:
    store = where.open(_DiesBeforeCommit if where.kind == "sqlite" else _PostgresDiesBeforeCommit)
    submit(store, "seckill", command, command_id)


def test_a_worker_killed_inside_execute_leaves_no_partial_append(where: Where) -> None:
    """SIGKILL with every row written but not committed: nothing recorded; the retry with the
    same id takes effect once, and a second retry is a duplicate."""
    store = where.open()
    store.create_campaign(seckill())
    submit(store, "seckill", Open(NOW, "g1", "u1"), "open-1")
    before = store.events("seckill")
    pay = Pay(NOW, "g1", "u1", "wx-77", PRICE)
    child = FORK.Process(target=_killed_in_execute, args=(where, pay, "cb-77"))
    child.start()
    child.join(timeout=120)
    assert child.exitcode == -signal.SIGKILL
    fresh = where.open()
    assert fresh.events("seckill") == before
    assert fresh.recall("cb-77") is None
    first = submit(fresh, "seckill", pay, "cb-77")
    again = submit(where.open(), "seckill", pay, "cb-77")
    assert not first.duplicate and again.duplicate and again.events == first.events
    after = fresh.events("seckill")
    assert after == before + first.events
    assert sum(isinstance(r.event, PaymentReceived) for r in after) == 1
    assert fresh.state("seckill").groups["g1"].orders["u1"].paid == PRICE
    store.close()
    fresh.close()


def _stream() -> list[tuple[Command, str]]:
    commands: list[tuple[Command, str]] = []
    for g in range(15):
        for i in range(SIZE):
            member = f"g{g}-u{i}"
            join: Command = Open(NOW, f"g{g}", member) if i == 0 else Join(NOW, f"g{g}", member)
            commands.append((join, f"join-{member}"))
            commands.append((Pay(NOW, f"g{g}", member, f"p-{member}", PRICE), f"pay-{member}"))
    return commands


def _run_stream(where: Where) -> None:
    store = where.open()
    for command, command_id in _stream():
        with contextlib.suppress(TuangouError):  # a refusal (out of stock) is an answer too
            submit(store, "seckill", command, command_id)
    store.close()


@pytest.mark.parametrize("delay", [0.15, 0.4, 0.9])
def test_workers_killed_at_any_moment_then_resent_take_effect_exactly_once(
    where: Where, delay: float
) -> None:
    """A worker killed at a random moment of a stream, then the whole stream sent again with
    the same ids: the log is the log of each command executed once."""
    store = where.open()
    store.create_campaign(seckill())
    child = FORK.Process(target=_run_stream, args=(where,))
    child.start()
    time.sleep(delay * random.uniform(0.5, 1.5))
    os.kill(child.pid or 0, signal.SIGKILL)
    child.join(timeout=60)
    killed_at = len(store.events("seckill"))
    _run_stream(where)
    fold = Fold(seckill())
    for command, _id in _stream():
        with contextlib.suppress(TuangouError):
            fold.execute(command)
    events = [r.event for r in store.events("seckill")]
    assert replay(seckill(), events) == fold.state == store.state("seckill")
    assert [r.seq for r in store.events("seckill")] == list(range(1, len(events) + 1))
    assert len(events) >= killed_at
    store.close()
