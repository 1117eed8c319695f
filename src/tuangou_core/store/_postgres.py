"""The event store on PostgreSQL, through psycopg 3 (the optional extra ``[postgres]``).

psycopg is imported here only, when a :class:`PostgresStore` is made, so the library runs
without it. Reads run outside transactions; a write is one transaction at ``READ COMMITTED``
whose compare-and-set of the campaign's head (``UPDATE ... WHERE head = expected``) makes a
concurrent writer of the same campaign wait for it and then find the head moved. Tables are
laid out under an advisory lock, so many processes may open a new database at once.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from tuangou_core.store._envelope import StoreError
from tuangou_core.store._sql import LostRace, SQLStore

_LAYOUT_LOCK = 0x7475616E  # "tuan": the advisory lock held while the tables are laid out


def _sql(text: str) -> str:
    # Queries are written once with "?" placeholders (they hold no literal "?").
    return text.replace("?", "%s")


class _Tx:
    __slots__ = ("cursor",)

    def __init__(self, cursor: Any) -> None:
        self.cursor = cursor

    def execute(self, sql: str, params: Sequence[Any]) -> int:
        self.cursor.execute(_sql(sql), tuple(params))
        return int(self.cursor.rowcount)


class PostgresStore(SQLStore):
    """An event store in the PostgreSQL database at *dsn* (tables made when missing).

    Args:
        dsn: a libpq connection string or URI, e.g. ``"postgresql://app@127.0.0.1/shop"``.
        snapshot_every: snapshot a campaign each time its log passes a multiple of this.
        connect_timeout: seconds to wait for the server.

    Raises:
        InvalidInput: ``invalid_option``.
        StoreError: ``store_unavailable`` (psycopg missing, or the server cannot be reached),
            or ``store_schema_mismatch``.
    """

    def __init__(
        self, dsn: str, *, snapshot_every: int = 100, connect_timeout: float = 10.0
    ) -> None:
        super().__init__(snapshot_every)
        try:
            import psycopg  # noqa: PLC0415 - the optional extra, loaded only when used
        except ImportError:
            raise StoreError(
                "store_unavailable",
                "PostgresStore needs psycopg 3: pip install 'tuangou_core[postgres]'",
            ) from None
        self._psycopg = psycopg
        try:
            self._db = psycopg.connect(
                dsn, autocommit=True, connect_timeout=max(1, int(connect_timeout))
            )
        except psycopg.Error as error:
            raise StoreError(
                "store_unavailable", f"PostgreSQL cannot be reached: {error}", value=str(error)
            ) from None
        with self._transaction() as tx:
            tx.execute("SELECT pg_advisory_xact_lock(?)", (_LAYOUT_LOCK,))
            self._lay_out(tx)
        self._check_layout()

    _lock_sql = "SELECT head FROM tuangou_campaigns WHERE campaign_id = ? FOR UPDATE"

    def _unavailable(self, error: Exception, doing: str) -> StoreError:
        return StoreError(
            "store_unavailable", f"PostgreSQL failed {doing}: {error}", value=str(error)
        )

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        try:
            with self._db.cursor() as cursor:
                cursor.execute(_sql(sql), tuple(params))
                return list(cursor.fetchall())
        except self._psycopg.Error as error:
            raise self._unavailable(error, "to read") from None

    @contextmanager
    def _transaction(self) -> Iterator[_Tx]:
        errors = self._psycopg.errors
        try:
            with self._db.transaction(), self._db.cursor() as cursor:
                yield _Tx(cursor)
        except (errors.UniqueViolation, errors.SerializationFailure, errors.DeadlockDetected):
            raise LostRace from None
        except self._psycopg.Error as error:
            raise self._unavailable(error, "to write") from None

    def close(self) -> None:
        """Close the connection."""
        self._db.close()
