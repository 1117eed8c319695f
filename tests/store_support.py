"""The stores under test: every store test runs against SQLite and a real PostgreSQL server.

Fixtures, loaded as a plugin by tests/conftest.py.

The PostgreSQL server is started once per test session by ``tools.pgtemp`` (the machine's
``initdb`` and ``pg_ctl``, on 127.0.0.1, as an unprivileged user when the tests run as root);
each test gets a database of its own. If the server cannot start, the PostgreSQL tests fail
with the server's words: they never skip. Deselecting them is a choice made out loud:
``pytest -m "not postgres"``.
"""

from __future__ import annotations

import itertools
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import attrs
import psycopg
import pytest
from tools.pgtemp import TemporaryPostgres

from tuangou_core.store import PostgresStore, SQLiteStore, SQLStore

_NAMES = itertools.count()


@attrs.frozen
class Where:
    """Where a test's store lives, so that another process can open the same one."""

    kind: str  # "sqlite" | "postgres"
    target: str  # a file path or a DSN
    snapshot_every: int = 100

    def open(self, store: Callable[..., SQLStore] | None = None) -> SQLStore:
        """A new store object (a new connection) on this database, of class *store*."""
        kind = store or (SQLiteStore if self.kind == "sqlite" else PostgresStore)
        return kind(self.target, snapshot_every=self.snapshot_every)

    def with_snapshots_every(self, n: int) -> Where:
        """The same database, opened with another snapshot interval."""
        return attrs.evolve(self, snapshot_every=n)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[TemporaryPostgres]:
    """One PostgreSQL server for the session; a failure to start fails the tests using it."""
    server = TemporaryPostgres()
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def where(request: pytest.FixtureRequest) -> Iterator[Where]:
    """A fresh, empty database of each kind."""
    if request.param == "sqlite":
        folder = Path(tempfile.mkdtemp(prefix="tuangou-store-"))
        yield Where("sqlite", str(folder / "events.db"))
        for path in folder.iterdir():
            path.unlink()
        folder.rmdir()
        return
    server: TemporaryPostgres = request.getfixturevalue("postgres_server")
    name = f"t{os.getpid()}_{next(_NAMES)}"
    with psycopg.connect(server.dsn(), autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    yield Where("postgres", server.dsn(name))
    with psycopg.connect(server.dsn(), autocommit=True) as admin:
        admin.execute(f"DROP DATABASE {name} WITH (FORCE)")


@pytest.fixture
def store(where: Where) -> Iterator[SQLStore]:
    """A store on the fresh database, closed after the test."""
    opened = where.open()
    yield opened
    opened.close()


Raw = Callable[[str], list[tuple[object, ...]]]


@pytest.fixture
def raw(where: Where) -> Iterator[Raw]:
    """Plain SQL on the test's database, beside the store (to look at or damage its rows)."""
    if where.kind == "sqlite":
        import sqlite3  # noqa: PLC0415

        db = sqlite3.connect(where.target, isolation_level=None)

        def run_sqlite(sql: str) -> list[tuple[object, ...]]:
            return db.execute(sql).fetchall()

        yield run_sqlite
        db.close()
        return
    conn = psycopg.connect(where.target, autocommit=True)

    def run_postgres(sql: str) -> list[tuple[object, ...]]:
        with conn.cursor() as cursor:
            cursor.execute(sql.encode())
            return list(cursor.fetchall()) if cursor.description else []

    yield run_postgres
    conn.close()
