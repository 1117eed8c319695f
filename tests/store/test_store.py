"""The event store, the same suite on SQLite and PostgreSQL: envelopes, idempotency, refusals,
snapshots, and damaged or unreachable databases refused with codes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from store_support import Raw, Where
from strategies import group_campaigns, intents, run_stream
from tuangou_core.campaign import Campaign, FixedRule, SeckillRule
from tuangou_core.errors import Conflict, InvalidInput, Rejected
from tuangou_core.group import (
    CampaignState,
    Cancel,
    Command,
    Fold,
    Join,
    Open,
    OrderPaid,
    Pay,
    PaymentReceived,
    RefundDue,
    Tick,
    replay,
)
from tuangou_core.money import Money
from tuangou_core.settlement import journal, trial_balance
from tuangou_core.store import (
    EVENT_SCHEMAS,
    Head,
    LostRace,
    PostgresStore,
    Recalled,
    Recorded,
    SQLiteStore,
    SQLStore,
    StoreError,
    execute,
    submit,
)

T0 = datetime(2026, 3, 1, 2, 0, tzinfo=UTC)
PRICE = Money(7000)


def fixed(campaign_id: str = "c1", size: int = 3) -> Campaign:
    """A fixed group of *size* at ¥70 (list ¥100)."""
    return Campaign(campaign_id, Money(10000), FixedRule(size, PRICE))


def at(minutes: float) -> datetime:
    """*minutes* after T0."""
    return T0 + timedelta(minutes=minutes)


def test_execute_records_each_event_in_an_envelope(store: SQLStore) -> None:
    """campaign id, a gapless seq from 1, unique event ids, the command id and the schema."""
    store.create_campaign(fixed())
    first = execute(store, "c1", Open(at(0), "g1", "u1"), "open-1")
    second = execute(store, "c1", Pay(at(1), "g1", "u1", "p1", PRICE), "pay-1")
    third = execute(store, "c1", Join(at(2), "g1", "u2"))
    recorded = store.events("c1")
    assert recorded == (*first, *second, *third)
    assert [r.seq for r in recorded] == list(range(1, len(recorded) + 1))
    assert {r.campaign_id for r in recorded} == {"c1"}
    assert len({r.event_id for r in recorded}) == len(recorded)
    assert [r.command_id for r in first + second] == ["open-1"] * 2 + ["pay-1"] * 2
    assert len({r.command_id for r in third}) == 1 and third[0].command_id not in (
        "open-1",
        "pay-1",
    )
    assert all(r.schema == EVENT_SCHEMAS[type(r.event).__name__] == 1 for r in recorded)
    assert store.events("c1", after=2) == recorded[2:]
    assert store.state("c1") == replay(fixed(), [r.event for r in recorded])


def test_a_command_id_executed_again_returns_the_first_events_and_records_nothing(
    store: SQLStore, where: Where
) -> None:
    """The retry of a payment callback returns the same envelopes; the log does not grow."""
    store.create_campaign(fixed())
    execute(store, "c1", Open(at(0), "g1", "u1"), "open-1")
    pay = Pay(at(1), "g1", "u1", "wx-1", PRICE)
    first = submit(store, "c1", pay, "wx-1")
    again = submit(store, "c1", pay, "wx-1")
    assert again.duplicate and not first.duplicate
    assert again.events == first.events
    assert len(store.events("c1")) == 4
    # A fresh store object (another process) recognises it too.
    other = where.open()
    assert execute(other, "c1", pay, "wx-1") == first.events
    other.close()


def test_a_command_id_reused_for_another_command_or_campaign_is_refused(store: SQLStore) -> None:
    """command_conflict, and nothing recorded."""
    store.create_campaign(fixed())
    store.create_campaign(fixed("c2"))
    execute(store, "c1", Open(at(0), "g1", "u1"), "k1")
    with pytest.raises(Conflict) as other_command:
        execute(store, "c1", Open(at(0), "g2", "u1"), "k1")
    assert other_command.value.code == "command_conflict"
    with pytest.raises(Conflict) as other_campaign:
        execute(store, "c2", Open(at(0), "g1", "u1"), "k1")
    assert other_campaign.value.code == "command_conflict"
    assert len(store.events("c1")) == 2 and store.events("c2") == ()


def test_a_command_that_caused_nothing_is_remembered_by_its_id(store: SQLStore) -> None:
    """A repeated payment causes no event; its own id executed again returns () as a duplicate."""
    store.create_campaign(fixed())
    execute(store, "c1", Open(at(0), "g1", "u1"))
    pay = Pay(at(1), "g1", "u1", "p1", PRICE)
    execute(store, "c1", pay, "cb-1")
    assert execute(store, "c1", pay, "cb-2") == ()  # the decider's payment_id idempotency
    assert submit(store, "c1", pay, "cb-2") == submit(store, "c1", pay, "cb-2")
    assert submit(store, "c1", pay, "cb-2").duplicate
    assert execute(store, "c1", Tick(at(2))) == ()
    assert len(store.events("c1")) == 4


def test_a_refused_command_records_nothing_and_raises_its_code(store: SQLStore, raw: Raw) -> None:
    """group_full on a full group: no event, no command row; the same id works once it can."""
    store.create_campaign(fixed(size=2))
    execute(store, "c1", Open(at(0), "g1", "u1"))
    execute(store, "c1", Pay(at(0), "g1", "u1", "p1", PRICE))
    execute(store, "c1", Join(at(1), "g1", "u2"))
    before = store.events("c1")
    commands = raw("SELECT COUNT(*) FROM tuangou_commands")
    with pytest.raises(Rejected) as refused:
        execute(store, "c1", Join(at(2), "g1", "u3"), "join-u3")
    assert refused.value.code == "group_full"
    assert store.events("c1") == before
    assert raw("SELECT COUNT(*) FROM tuangou_commands") == commands
    with pytest.raises(Rejected) as unknown:
        execute(store, "c1", Cancel(at(2), "nope", "u9"), "cancel-9")
    assert unknown.value.code == "unknown_group"
    assert store.events("c1") == before


def test_a_command_stamped_before_the_stored_clock_is_decided_at_the_clock(
    store: SQLStore,
) -> None:
    """A late payment callback stamped before the last event is decided at the clock, not
    refused; its own stamp is kept on its events as stamped_at (the decider's rule)."""
    store.create_campaign(fixed())
    execute(store, "c1", Open(at(0), "g1", "u1"))
    execute(store, "c1", Tick(at(10)))
    execute(store, "c1", Open(at(10), "g2", "u2"))  # moves the clock to 10 minutes
    late = execute(store, "c1", Pay(at(5), "g1", "u1", "p1", PRICE), "late-1")
    assert [type(r.event) for r in late] == [PaymentReceived, OrderPaid]
    assert all((r.event.at, r.event.stamped_at) == (at(10), at(5)) for r in late)


def test_the_ledger_of_the_stored_log_balances(store: SQLStore) -> None:
    """journal + trial_balance over the events read back from the store: balanced."""
    store.create_campaign(fixed(size=2))
    execute(store, "c1", Open(at(0), "g1", "u1"))
    execute(store, "c1", Pay(at(0), "g1", "u1", "p1", PRICE))
    execute(store, "c1", Join(at(1), "g1", "u2"))
    execute(store, "c1", Pay(at(1), "g1", "u2", "p2", PRICE))
    execute(store, "c1", Pay(at(2), "g1", "u2", "p3", PRICE))  # a second payment: refunded
    events = [r.event for r in store.events("c1")]
    assert any(isinstance(e, RefundDue) for e in events)
    balance = trial_balance(journal(events, fixed(size=2)))
    assert balance.balanced and balance.entries > 0


@settings(max_examples=15, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(campaign=group_campaigns(), steps=intents(30), every=st.integers(1, 7))
def test_a_store_loads_what_the_decider_decided_through_its_snapshots(
    where: Where, campaign: Campaign, steps: Any, every: int
) -> None:
    """Random streams through execute equal the in-memory Fold; a fresh store, reading the
    latest snapshot and the events after it, loads the same state."""
    commands, caused = run_stream(campaign, steps)
    store = where.with_snapshots_every(every).open()
    try:
        campaign = _fresh_id(store, campaign)
        fold = Fold(campaign)
        for command in commands:
            assert [r.event for r in execute(store, campaign.id, command)] == list(
                fold.execute(command)
            )
        assert store.state(campaign.id) == fold.state
        seq = len(store.events(campaign.id))
        # A snapshot after each command whose events carry the log past a multiple of every.
        expected, head = [], 0
        for events in caused:
            if (head + len(events)) // every > head // every:
                expected.append(head + len(events))
            head += len(events)
        assert head == seq
        assert store.snapshots(campaign.id) == tuple(expected)
        fresh = where.open()
        assert fresh.load(campaign.id) == Head(seq, fold.state)
        fresh.close()
    finally:
        store.close()


_COUNT = iter(range(10**9))


def _fresh_id(store: SQLStore, campaign: Campaign) -> Campaign:
    import attrs  # noqa: PLC0415

    fresh = attrs.evolve(campaign, id=f"{campaign.id}-{next(_COUNT)}")
    store.create_campaign(fresh)
    return fresh


def test_snapshots_are_written_every_n_events_and_read_first(where: Where, raw: Raw) -> None:
    """With snapshot_every=4 a snapshot lands at each multiple passed; a new store starts from
    the latest one, and a damaged snapshot only costs a replay."""
    store = where.with_snapshots_every(4).open()
    store.create_campaign(fixed(size=5))
    execute(store, "c1", Open(at(0), "g1", "u0"))
    execute(store, "c1", Pay(at(0), "g1", "u0", "p0", PRICE))
    for i in range(1, 5):
        execute(store, "c1", Join(at(i), "g1", f"u{i}"))
    execute(store, "c1", Pay(at(5), "g1", "u1", "p1", PRICE))  # seq 9 and 10
    execute(store, "c1", Pay(at(5), "g1", "u2", "p2", PRICE))  # seq 11 and 12
    seq = len(store.events("c1"))
    assert seq == 12
    assert store.snapshots("c1") == (4, 8, 12)
    expected = store.state("c1")
    fresh = where.open()
    assert fresh.load("c1") == Head(12, expected)
    fresh.close()
    raw("UPDATE tuangou_snapshots SET data = '{\"schema\": 1}' WHERE seq = 12")
    damaged = where.open()
    assert damaged.load("c1") == Head(12, expected)
    damaged.close()
    store.close()


def test_creating_a_campaign_twice_is_quiet_and_another_under_its_id_is_refused(
    store: SQLStore,
) -> None:
    """The same campaign again does nothing; a different one is campaign_exists."""
    store.create_campaign(fixed())
    store.create_campaign(fixed())
    assert store.campaign("c1") == fixed()
    with pytest.raises(Conflict) as exists:
        store.create_campaign(fixed(size=4))
    assert exists.value.code == "campaign_exists"
    with pytest.raises(InvalidInput) as junk:
        store.create_campaign("c1")  # type: ignore[arg-type]
    assert junk.value.code == "invalid_value"


@pytest.mark.parametrize("call", ["state", "events", "execute", "campaign", "snapshots"])
def test_an_unknown_campaign_is_refused(store: SQLStore, call: str) -> None:
    """unknown_campaign from every entry point, never a KeyError."""
    with pytest.raises(Rejected) as unknown:
        if call == "execute":
            execute(store, "nope", Tick(at(0)))
        else:
            getattr(store, call)("nope")
    assert unknown.value.code == "unknown_campaign"


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"command_id": ""}, "invalid_command_id"),
        ({"command_id": 7}, "invalid_command_id"),
        ({"command_id": "x" * 201}, "invalid_command_id"),
        ({"attempts": 0}, "invalid_option"),
        ({"attempts": 1.5}, "invalid_option"),
    ],
)
def test_bad_options_are_refused_with_a_code(
    store: SQLStore, kwargs: dict[str, Any], code: str
) -> None:
    """A bad command id or attempts bound is refused before anything is read or written."""
    store.create_campaign(fixed())
    with pytest.raises(InvalidInput) as refused:
        execute(store, "c1", Tick(at(0)), **kwargs)
    assert refused.value.code == code
    with pytest.raises(InvalidInput) as not_a_command:
        execute(store, "c1", "open g1")  # type: ignore[arg-type]
    assert not_a_command.value.code == "unknown_command"
    with pytest.raises(InvalidInput) as after:
        store.events("c1", after=-1)
    assert after.value.code == "invalid_option"


def test_a_store_refuses_a_snapshot_interval_below_one(where: Where) -> None:
    """snapshot_every=0 is invalid_option."""
    with pytest.raises(InvalidInput) as refused:
        where.with_snapshots_every(0).open()
    assert refused.value.code == "invalid_option"


class _AlwaysBehind:
    """A store whose every append finds that another writer got there first (even under the
    lock, where only a command id taken meanwhile can do that)."""

    def __init__(self, inner: SQLStore) -> None:
        self.inner = inner
        self.snapshot_every = inner.snapshot_every
        self.appends = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def recall(self, command_id: str) -> Recalled | None:
        return self.inner.recall(command_id)

    def load(self, campaign_id: str) -> Head:
        return self.inner.load(campaign_id)

    def append(self, *args: Any) -> bool:
        self.appends += 1
        return False

    def append_exclusive(self, *args: Any) -> Any:
        self.appends += 1
        raise LostRace


def test_retries_are_bounded_then_a_coded_conflict(store: SQLStore) -> None:
    """A log that moves under every attempt ends in concurrent_write, with nothing recorded."""
    store.create_campaign(fixed())
    behind = _AlwaysBehind(store)
    with pytest.raises(Conflict) as lost:
        execute(behind, "c1", Open(at(0), "g1", "u1"), "k1", attempts=3)
    assert lost.value.code == "concurrent_write"
    assert behind.appends == 3
    assert store.events("c1") == ()


def test_an_append_on_a_stale_head_writes_nothing(where: Where) -> None:
    """Two stores read seq 2; the second to append finds the head moved: False, no rows."""
    first, second = where.open(), where.open()
    first.create_campaign(fixed())
    execute(first, "c1", Open(at(0), "g1", "u1"))
    stale = second.load("c1")
    execute(first, "c1", Pay(at(1), "g1", "u1", "p1", PRICE))
    recorded = _envelopes(stale, Tick(at(2)))
    assert not second.append(stale, "late", "{}", recorded, stale.state)
    assert second.recall("late") is None
    assert len(second.events("c1")) == 4
    # execute itself reads again and decides on the new head.
    outcome = submit(second, "c1", Join(at(2), "g1", "u2"), "j2")
    assert outcome.events[0].seq == 5
    first.close()
    second.close()


def _envelopes(head: Head, command: Command) -> tuple[Recorded, ...]:
    from tuangou_core.group import decide  # noqa: PLC0415

    return tuple(
        Recorded("c1", head.seq + i, f"e{i}", "late", 1, event)
        for i, event in enumerate(decide(head.state, command), start=1)
    )


@pytest.mark.parametrize(
    ("damage", "code"),
    [
        ("UPDATE tuangou_events SET data = 'not json' WHERE seq = 2", "store_corrupt"),
        ("UPDATE tuangou_events SET type = 'Nonsense' WHERE seq = 2", "store_corrupt"),
        ("UPDATE tuangou_events SET type = 'GroupOpened' WHERE seq = 2", "store_corrupt"),
        ("UPDATE tuangou_events SET schema = 2 WHERE seq = 2", "unsupported_event_schema"),
        ("DELETE FROM tuangou_events WHERE seq = 2", "store_corrupt"),
    ],
)
def test_a_damaged_log_is_refused_with_a_code(
    where: Where, raw: Raw, damage: str, code: str
) -> None:
    """A row that cannot be read, or a gap in seq, is a StoreError, never a wrong state."""
    store = where.open()
    store.create_campaign(fixed())
    execute(store, "c1", Open(at(0), "g1", "u1"))
    execute(store, "c1", Pay(at(1), "g1", "u1", "p1", PRICE))
    store.close()
    raw(damage)
    fresh = where.open()
    with pytest.raises(StoreError) as broken:
        fresh.state("c1")
    assert broken.value.code == code
    assert broken.value.http_status == 503
    fresh.close()


def test_a_database_laid_out_by_another_store_schema_is_refused(where: Where, raw: Raw) -> None:
    """store_schema_mismatch when tuangou_meta names another layout."""
    where.open().close()
    raw("UPDATE tuangou_meta SET value = '99' WHERE key = 'store_schema'")
    with pytest.raises(StoreError) as refused:
        where.open()
    assert refused.value.code == "store_schema_mismatch"


def test_an_unreachable_database_is_store_unavailable(tmp_path: Any) -> None:
    """A file in a missing folder, or a server that is not there: store_unavailable."""
    with pytest.raises(StoreError) as sqlite_missing:
        SQLiteStore(tmp_path / "no" / "such" / "dir.db")
    assert sqlite_missing.value.code == "store_unavailable"
    with pytest.raises(StoreError) as postgres_missing:
        PostgresStore("postgresql://nobody@127.0.0.1:9/none", connect_timeout=2)
    assert postgres_missing.value.code == "store_unavailable"


def test_the_campaign_state_of_a_seckill_is_kept_across_stores(where: Where) -> None:
    """Two store objects on one database see one log: the second continues the first."""
    campaign = Campaign(
        "sk", Money(10000), SeckillRule(2, PRICE, at(0)), stock=3, per_member_limit=1
    )
    first = where.open()
    first.create_campaign(campaign)
    execute(first, "sk", Open(at(1), "g1", "u1"))
    second = where.open()
    execute(second, "sk", Pay(at(1), "g1", "u1", "p1", PRICE))
    execute(first, "sk", Join(at(2), "g1", "u2"))
    state: CampaignState = second.state("sk")
    assert state == first.state("sk")
    assert state.stock_taken == 2
    first.close()
    second.close()


class _BehindOnce(_AlwaysBehind):
    """A store whose optimistic append loses once; under the lock it writes for real."""

    def append_exclusive(self, *args: Any) -> Any:
        self.appends += 1
        return self.inner.append_exclusive(*args)


def test_a_lost_race_is_decided_again_under_the_campaigns_write_lock(store: SQLStore) -> None:
    """The second attempt holds the lock: it reads the head, decides, and records once."""
    store.create_campaign(fixed())
    once = _BehindOnce(store)
    outcome = submit(once, "c1", Open(at(0), "g1", "u1"), "k1")
    assert outcome.attempts == 2 and once.appends == 2
    assert store.events("c1") == outcome.events
    assert submit(once, "c1", Open(at(0), "g1", "u1"), "k1").duplicate
    assert store.append_exclusive("c1", lambda head: None) is None
    assert store.events("c1") == outcome.events
