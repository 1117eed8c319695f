"""The embedded event store: one SQLite file through the standard library's ``sqlite3``.

The file is in WAL mode, so readers never wait for the writer; a write takes the database's
write lock (``BEGIN IMMEDIATE``) only to compare-and-set the campaign's head and insert the
rows, and waits up to ``timeout`` seconds for it. ``synchronous=FULL``: a command that
returned is on disk. Several processes may open the same file; one store object belongs to
one thread.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tuangou_core.store._envelope import StoreError
from tuangou_core.store._sql import LostRace, SQLStore


def _unavailable(error: sqlite3.Error, doing: str) -> StoreError:
    return StoreError("store_unavailable", f"SQLite failed {doing}: {error}", value=str(error))


class _Tx:
    __slots__ = ("cursor",)

    def __init__(self, cursor: sqlite3.Cursor) -> None:
        self.cursor = cursor

    def execute(self, sql: str, params: Sequence[Any]) -> int:
        self.cursor.execute(sql, tuple(params))
        return self.cursor.rowcount


class SQLiteStore(SQLStore):
    """An event store in the SQLite file at *path* (made, with its tables, when missing).

    Args:
        path: the database file (``":memory:"`` for a store that lives only in this object).
        snapshot_every: snapshot a campaign each time its log passes a multiple of this.
        timeout: seconds a write waits for another process's write lock.

    Raises:
        InvalidInput: ``invalid_option``.
        StoreError: ``store_unavailable`` (the file cannot be opened), or
            ``store_schema_mismatch``.
    """

    def __init__(
        self, path: str | Path, *, snapshot_every: int = 100, timeout: float = 30.0
    ) -> None:
        super().__init__(snapshot_every)
        self.path = str(path)
        try:
            self._db = sqlite3.connect(self.path, timeout=timeout, isolation_level=None)
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute("PRAGMA synchronous = FULL")
            self._db.execute("PRAGMA foreign_keys = ON")
        except sqlite3.Error as error:
            raise _unavailable(error, f"to open {self.path}") from None
        with self._transaction() as tx:
            self._lay_out(tx)
        self._check_layout()

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        try:
            return self._db.execute(sql, tuple(params)).fetchall()
        except sqlite3.Error as error:
            raise _unavailable(error, "to read") from None

    @contextmanager
    def _transaction(self) -> Iterator[_Tx]:
        try:
            cursor = self._db.cursor()
            cursor.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as error:
            raise _unavailable(error, "to begin a write") from None
        try:
            yield _Tx(cursor)
            cursor.execute("COMMIT")
        except BaseException as error:
            try:
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
            except sqlite3.Error:
                pass  # the connection is gone; the database rolls back by itself
            if isinstance(error, sqlite3.IntegrityError) and "UNIQUE" in str(error):
                raise LostRace from None
            if isinstance(error, sqlite3.Error):
                raise _unavailable(error, "to write") from None
            raise
        finally:
            cursor.close()

    def close(self) -> None:
        """Close the file."""
        self._db.close()
