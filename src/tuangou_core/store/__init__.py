"""The event store: a campaign's events recorded in envelopes, with snapshots, on SQL.

A backend keeps one store per process (or thread) and sends every command through
:func:`execute`::

    store = SQLiteStore("shop.db")              # or PostgresStore("postgresql://...")
    store.create_campaign(campaign)
    recorded = execute(store, campaign.id, Pay(at, "g1", "u1", "wx-4200", amount),
                       command_id="wx-4200")    # the payment provider's transaction id

``execute`` loads the campaign's state (its latest snapshot, then the events after it),
decides the command with the pure decider, and appends the events with the ``seq`` it read
in one transaction; if another writer appended first it reads and decides again, a bounded
number of times (after the first, holding the campaign's write lock), then raises
``concurrent_write``. A refused command records nothing and
raises its coded error. A command id already recorded returns what it caused the first time
and records nothing; the same id with another command is refused (``command_conflict``).

Every event is recorded in a :class:`Recorded` envelope: campaign id, a gapless ``seq`` from
1, an event id, the id of the command that caused it, and its type's schema version
(:data:`EVENT_SCHEMAS`). Database failures are :class:`StoreError` (HTTP 503), never a raw
``sqlite3`` or ``psycopg`` error.
"""

from __future__ import annotations

from tuangou_core.store._envelope import EVENT_SCHEMAS, Recorded, StoreError
from tuangou_core.store._execute import ATTEMPTS, Outcome, Store, execute, submit
from tuangou_core.store._postgres import PostgresStore
from tuangou_core.store._sql import (
    SNAPSHOT_CODEC,
    STORE_SCHEMA,
    Head,
    LostRace,
    Plan,
    Planned,
    Recalled,
    SQLStore,
)
from tuangou_core.store._sqlite import SQLiteStore

__all__ = [
    "ATTEMPTS",
    "EVENT_SCHEMAS",
    "SNAPSHOT_CODEC",
    "STORE_SCHEMA",
    "Head",
    "LostRace",
    "Outcome",
    "Plan",
    "Planned",
    "PostgresStore",
    "Recalled",
    "Recorded",
    "SQLStore",
    "SQLiteStore",
    "Store",
    "StoreError",
    "execute",
    "submit",
]
