"""What the SQLite and PostgreSQL stores share: the tables, the queries, loading and appending.

A dialect (``_sqlite``, ``_postgres``) supplies only a connection: reading, one write
transaction, and which database errors mean a lost race. Every query is written once, here,
with ``?`` placeholders.

The tables (prefixed ``tuangou_``):

- ``campaigns``: one row per campaign, its data (``to_data``) and ``head``, the ``seq`` of its
  last event; appending moves ``head`` from the expected value only (compare-and-set).
- ``commands``: one row per command that was recorded, keyed by its unique ``command_id``,
  with its campaign and canonical JSON, so a retry is recognised and a reused id refused.
- ``events``: one row per event, primary key ``(campaign_id, seq)``, a unique ``event_id``,
  the ``command_id`` that caused it, its type and schema version, and its JSON.
- ``snapshots``: the state at some ``seq``, keyed by the codec that wrote it; only a snapshot
  of this library's codec is read, and a missing or stale one only costs a longer replay.
"""

from __future__ import annotations

import abc
import json
from collections import OrderedDict
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from typing import Any, Final, Protocol

import attrs

from tuangou_core._version import VERSION
from tuangou_core.campaign import Campaign
from tuangou_core.errors import Conflict, InvalidInput, Rejected
from tuangou_core.group import CampaignState, Fold, initial_state
from tuangou_core.interchange import (
    SNAPSHOT_SCHEMA,
    SNAPSHOT_SHAPE,
    SerializationError,
    from_data,
    from_snapshot,
    to_data,
    to_snapshot,
)
from tuangou_core.store._envelope import Recorded, StoreError, canonical, event_text, read_event

STORE_SCHEMA: Final = 1
"""The layout of the tables; a database laid out by another is refused."""

SNAPSHOT_CODEC: Final = f"{SNAPSHOT_SCHEMA}:{SNAPSHOT_SHAPE}:{VERSION}"
# Snapshots are read only when written by this codec, state shape and library version: a
# release may change what evolve computes, and a snapshot is only a cache of the events.

_CACHED_CAMPAIGNS: Final = 256

_TABLES: Final = (
    """CREATE TABLE IF NOT EXISTS tuangou_meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS tuangou_campaigns (
        campaign_id TEXT PRIMARY KEY,
        data TEXT NOT NULL,
        head BIGINT NOT NULL DEFAULT 0 CHECK (head >= 0)
    )""",
    """CREATE TABLE IF NOT EXISTS tuangou_commands (
        command_id TEXT PRIMARY KEY,
        campaign_id TEXT NOT NULL REFERENCES tuangou_campaigns (campaign_id),
        command TEXT NOT NULL,
        first_seq BIGINT NOT NULL,
        events INTEGER NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS tuangou_events (
        campaign_id TEXT NOT NULL REFERENCES tuangou_campaigns (campaign_id),
        seq BIGINT NOT NULL CHECK (seq >= 1),
        event_id TEXT NOT NULL UNIQUE,
        command_id TEXT NOT NULL REFERENCES tuangou_commands (command_id),
        type TEXT NOT NULL,
        schema INTEGER NOT NULL,
        data TEXT NOT NULL,
        PRIMARY KEY (campaign_id, seq)
    )""",
    "CREATE INDEX IF NOT EXISTS tuangou_events_by_command ON tuangou_events (command_id, seq)",
    """CREATE TABLE IF NOT EXISTS tuangou_snapshots (
        campaign_id TEXT NOT NULL REFERENCES tuangou_campaigns (campaign_id),
        codec TEXT NOT NULL,
        seq BIGINT NOT NULL,
        data TEXT NOT NULL,
        PRIMARY KEY (campaign_id, codec, seq)
    )""",
)

_EVENT_COLUMNS: Final = "campaign_id, seq, event_id, command_id, type, schema, data"


@attrs.frozen
class Head:
    """A campaign's state after its event *seq* (0: nothing recorded yet)."""

    seq: int
    state: CampaignState


@attrs.frozen
class Recalled:
    """What a recorded command id stands for: its campaign, its command, what it caused."""

    campaign_id: str
    command: str
    events: tuple[Recorded, ...]


Planned = tuple[str, str, tuple[Recorded, ...], CampaignState]
"""What to record: the command id, its canonical JSON, the envelopes, the state after them."""

Plan = Callable[[Head], "Planned | None"]
"""Given the head read under a campaign's write lock, what to record there (or nothing)."""


class Transaction(Protocol):
    """One write transaction of a dialect."""

    def execute(self, sql: str, params: Sequence[Any]) -> int:
        """Run one statement; return the rows it changed."""
        ...


class SQLStore(abc.ABC):
    """An event store over one SQL connection (the dialect's), not shared between threads.

    Args:
        snapshot_every: write a snapshot each time a campaign's log passes a multiple of this
            many events (at least 1).

    Raises:
        InvalidInput: ``invalid_option``.
    """

    def __init__(self, snapshot_every: int) -> None:
        if type(snapshot_every) is not int or snapshot_every < 1:
            raise InvalidInput(
                "invalid_option",
                f"snapshot_every must be a whole number of at least 1, got {snapshot_every!r}",
                field="snapshot_every",
                value=repr(snapshot_every),
            )
        self.snapshot_every = snapshot_every
        self._campaigns: dict[str, Campaign] = {}
        self._heads: OrderedDict[str, Head] = OrderedDict()

    # -- what a dialect supplies ---------------------------------------------------------------

    @abc.abstractmethod
    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Rows of one read, outside any write transaction."""

    @abc.abstractmethod
    def _transaction(self) -> AbstractContextManager[Transaction]:
        """One write transaction: committed on a normal exit, rolled back on an error.

        Raises:
            LostRace: a uniqueness violation (another writer got there first).
            StoreError: ``store_unavailable`` for any other failure of the database.
        """

    @abc.abstractmethod
    def close(self) -> None:
        """Close the connection."""

    def __enter__(self) -> SQLStore:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # -- the layout ----------------------------------------------------------------------------

    def _lay_out(self, tx: Transaction) -> None:
        for statement in _TABLES:
            tx.execute(statement, ())
        tx.execute(
            "INSERT INTO tuangou_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING",
            ("store_schema", str(STORE_SCHEMA)),
        )

    def _check_layout(self) -> None:
        rows = self._query("SELECT value FROM tuangou_meta WHERE key = ?", ("store_schema",))
        if rows != [(str(STORE_SCHEMA),)]:
            raise StoreError(
                "store_schema_mismatch",
                f"the database's tables are of store schema {rows[0][0] if rows else None!r}, "
                f"this library's are {STORE_SCHEMA}",
                value=rows[0][0] if rows else None,
            )

    # -- campaigns -----------------------------------------------------------------------------

    def create_campaign(self, campaign: Campaign) -> None:
        """Record *campaign*, with an empty log. Creating the same campaign again does nothing.

        Raises:
            InvalidInput: ``invalid_value`` for something that is not a ``Campaign``.
            Conflict: ``campaign_exists`` when another campaign holds the id.
            StoreError: ``store_unavailable``.
        """
        if not isinstance(campaign, Campaign):
            raise InvalidInput(
                "invalid_value",
                f"create_campaign takes a Campaign, not a {type(campaign).__name__}",
                field="campaign",
            )
        data = canonical(to_data(campaign))
        with self._transaction() as tx:
            tx.execute(
                "INSERT INTO tuangou_campaigns (campaign_id, data, head) VALUES (?, ?, 0) "
                "ON CONFLICT (campaign_id) DO NOTHING",
                (campaign.id, data),
            )
        stored = self._query(
            "SELECT data FROM tuangou_campaigns WHERE campaign_id = ?", (campaign.id,)
        )
        if stored[0][0] != data:
            raise Conflict(
                "campaign_exists",
                f"the store already holds another campaign {campaign.id!r}",
                campaign=campaign.id,
            )

    def campaign(self, campaign_id: str) -> Campaign:
        """The campaign recorded under *campaign_id*.

        Raises:
            Rejected: ``unknown_campaign``.
            StoreError: ``store_unavailable``, ``store_corrupt``.
        """
        found = self._campaigns.get(campaign_id) if isinstance(campaign_id, str) else None
        if found is not None:
            return found
        rows = self._query(
            "SELECT data FROM tuangou_campaigns WHERE campaign_id = ?", (str(campaign_id),)
        )
        if not rows or not isinstance(campaign_id, str):
            raise Rejected(
                "unknown_campaign",
                f"the store has no campaign {campaign_id!r}",
                campaign=campaign_id,
            )
        try:
            found = from_data(json.loads(rows[0][0]))
        except ValueError as error:  # a SerializationError, a rule refused, bad JSON
            raise StoreError(
                "store_corrupt", f"campaign {campaign_id!r} does not decode: {error}"
            ) from None
        if not isinstance(found, Campaign):
            raise StoreError("store_corrupt", f"campaign {campaign_id!r} holds a {found!r}")
        self._campaigns[campaign_id] = found
        return found

    # -- reading -------------------------------------------------------------------------------

    def events(self, campaign_id: str, after: int = 0) -> tuple[Recorded, ...]:
        """The campaign's recorded events with ``seq`` above *after*, in order.

        Raises:
            InvalidInput: ``invalid_option`` for a negative or non-int *after*.
            Rejected: ``unknown_campaign``.
            StoreError: ``store_unavailable``, ``store_corrupt``, ``unsupported_event_schema``.
        """
        if type(after) is not int or after < 0:
            raise InvalidInput(
                "invalid_option",
                f"after must be a whole number of at least 0, got {after!r}",
                field="after",
                value=repr(after),
            )
        self.campaign(campaign_id)
        rows = self._query(
            f"SELECT {_EVENT_COLUMNS} FROM tuangou_events WHERE campaign_id = ? AND seq > ? "
            "ORDER BY seq",
            (campaign_id, after),
        )
        return _read_rows(rows, after)

    def snapshots(self, campaign_id: str) -> tuple[int, ...]:
        """The ``seq`` of each snapshot of the campaign this library can read, ascending.

        Raises:
            Rejected: ``unknown_campaign``.
            StoreError: ``store_unavailable``.
        """
        self.campaign(campaign_id)
        rows = self._query(
            "SELECT seq FROM tuangou_snapshots WHERE campaign_id = ? AND codec = ? ORDER BY seq",
            (campaign_id, SNAPSHOT_CODEC),
        )
        return tuple(int(row[0]) for row in rows)

    def state(self, campaign_id: str) -> CampaignState:
        """The campaign's current state: its latest snapshot, then the events after it.

        Raises:
            Rejected: ``unknown_campaign``.
            StoreError: ``store_unavailable``, ``store_corrupt``, ``unsupported_event_schema``.
        """
        return self.load(campaign_id).state

    def load(self, campaign_id: str) -> Head:
        """The campaign's current state and the ``seq`` it stands at.

        A store remembers the last state it loaded or wrote for the campaigns it served
        lately, and then reads only the events recorded since.

        Raises:
            Rejected: ``unknown_campaign``.
            StoreError: ``store_unavailable``, ``store_corrupt``, ``unsupported_event_schema``.
        """
        campaign = self.campaign(campaign_id)
        head = self._heads.get(campaign_id)
        if head is None:
            head = self._from_snapshot(campaign)
        later = self.events(campaign_id, head.seq)
        if later:
            fold = Fold(head.state)
            fold.apply(r.event for r in later)
            head = Head(later[-1].seq, fold.state)
        self._remember(campaign_id, head)
        return head

    def _from_snapshot(self, campaign: Campaign) -> Head:
        rows = self._query(
            "SELECT seq, data FROM tuangou_snapshots WHERE campaign_id = ? AND codec = ? "
            "ORDER BY seq DESC LIMIT 1",
            (campaign.id, SNAPSHOT_CODEC),
        )
        if rows:
            try:
                return Head(int(rows[0][0]), from_snapshot(campaign, json.loads(rows[0][1])))
            except (ValueError, SerializationError):
                pass  # a cache that cannot be read costs a replay, never a wrong state
        return Head(0, initial_state(campaign))

    def _remember(self, campaign_id: str, head: Head) -> None:
        self._heads[campaign_id] = head
        self._heads.move_to_end(campaign_id)
        while len(self._heads) > _CACHED_CAMPAIGNS:
            self._heads.popitem(last=False)

    def recall(self, command_id: str) -> Recalled | None:
        """What *command_id* stands for, or ``None`` when it was never recorded.

        Raises:
            StoreError: ``store_unavailable``, ``store_corrupt``, ``unsupported_event_schema``.
        """
        rows = self._query(
            "SELECT campaign_id, command, first_seq FROM tuangou_commands WHERE command_id = ?",
            (command_id,),
        )
        if not rows:
            return None
        campaign_id, command, first_seq = rows[0]
        events = self._query(
            f"SELECT {_EVENT_COLUMNS} FROM tuangou_events WHERE command_id = ? ORDER BY seq",
            (command_id,),
        )
        return Recalled(campaign_id, command, _read_rows(events, int(first_seq) - 1))

    # -- writing -------------------------------------------------------------------------------

    def append(
        self,
        head: Head,
        command_id: str,
        command: str,
        recorded: tuple[Recorded, ...],
        after: CampaignState,
    ) -> bool:
        """Record *recorded* after *head* in one transaction, if the log is still at *head*.

        Args:
            head: the state the events were decided on.
            command_id: the command's id, recorded with its canonical JSON *command*.
            recorded: the envelopes, numbered from ``head.seq + 1``.
            after: the state once they apply (kept, and snapshotted at a multiple of
                ``snapshot_every``).

        Returns:
            False when another writer moved the log first (or recorded *command_id*):
            nothing was written.

        Raises:
            StoreError: ``store_unavailable``.
        """
        try:
            with self._transaction() as tx:
                seq = self._write(tx, head, command_id, command, recorded, after)
        except LostRace:
            return False
        self._remember(after.campaign.id, Head(seq, after))
        return True

    def append_exclusive(self, campaign_id: str, plan: Plan) -> Planned | None:
        """Hold the campaign's write lock, read its head, and record what *plan* decides.

        The way to make progress when optimistic appends keep losing: no other writer can
        move the log between the read and the write.

        Args:
            campaign_id: the campaign.
            plan: given the head read under the lock, returns what to record (or ``None``:
                record nothing); an error it raises rolls everything back.

        Returns:
            What *plan* returned.

        Raises:
            LostRace: a uniqueness violation (the command id was taken meanwhile).
            StoreError: ``store_unavailable`` and the load's errors.
        """
        with self._transaction() as tx:
            if self._lock_sql is not None:
                tx.execute(self._lock_sql, (campaign_id,))
            head = self.load(campaign_id)
            planned = plan(head)
            if planned is None:
                return None
            command_id, command, recorded, after = planned
            seq = self._write(tx, head, command_id, command, recorded, after)
        self._remember(campaign_id, Head(seq, after))
        return planned

    _lock_sql: str | None = None  # the statement that locks a campaign's row, if one is needed

    def _write(
        self,
        tx: Transaction,
        head: Head,
        command_id: str,
        command: str,
        recorded: tuple[Recorded, ...],
        after: CampaignState,
    ) -> int:
        campaign_id = after.campaign.id
        seq = head.seq + len(recorded)
        moved = tx.execute(
            "UPDATE tuangou_campaigns SET head = ? WHERE campaign_id = ? AND head = ?",
            (seq, campaign_id, head.seq),
        )
        if moved != 1:
            raise LostRace
        tx.execute(
            "INSERT INTO tuangou_commands (command_id, campaign_id, command, first_seq, events) "
            "VALUES (?, ?, ?, ?, ?)",
            (command_id, campaign_id, command, head.seq + 1, len(recorded)),
        )
        for r in recorded:
            tx.execute(
                f"INSERT INTO tuangou_events ({_EVENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    r.campaign_id,
                    r.seq,
                    r.event_id,
                    r.command_id,
                    type(r.event).__name__,
                    r.schema,
                    event_text(r.event),
                ),
            )
        if seq // self.snapshot_every > head.seq // self.snapshot_every:
            tx.execute(
                "INSERT INTO tuangou_snapshots (campaign_id, codec, seq, data) VALUES (?, ?, ?, ?)",
                (
                    campaign_id,
                    SNAPSHOT_CODEC,
                    seq,
                    json.dumps(to_snapshot(after), separators=(",", ":")),
                ),
            )
        self._before_commit()
        return seq

    def _before_commit(self) -> None:  # noqa: B027 - deliberately empty: a seam, not a hook to fill
        """Called inside the write transaction, just before it commits (a seam for tests)."""


class LostRace(Exception):
    """Another writer moved the log or took the command id first: roll back, decide again."""


def _read_rows(rows: list[tuple[Any, ...]], after: int) -> tuple[Recorded, ...]:
    out: list[Recorded] = []
    expected = after + 1
    for campaign_id, seq, event_id, command_id, kind, schema, data in rows:
        where = f"events[{campaign_id}#{seq}]"
        if int(seq) != expected:
            raise StoreError(
                "store_corrupt",
                f"{where}: the log jumps from seq {expected - 1} to {seq}",
                field=where,
            )
        event = read_event(kind, int(schema), data, where)
        out.append(Recorded(campaign_id, int(seq), event_id, command_id, int(schema), event))
        expected += 1
    return tuple(out)
