"""The shared backend of the server's small stores: PostgreSQL through a psycopg 3 connection pool.

Set `ADVISOR_DATABASE_URL` and every server process, on any machine, keeps its thread registry,
audit log and feedback in the same database. Statements are written once with SQLite's `?`
placeholders and translated here. Migrations are idempotent DDL run at startup inside one
transaction that holds an advisory lock, so processes starting together apply them one at a time.
"""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg_pool import ConnectionPool

from api.stores.errors import ConstraintError

_MIGRATION_LOCK = 0x61647673  # pg_advisory_xact_lock key shared by every advisor process ("advs")


class PostgresDatabase:
    dialect = "postgres"

    def __init__(self, url: str, *, max_size: int = 8) -> None:
        self.pool: ConnectionPool[psycopg.Connection[Any]] = ConnectionPool(
            url, min_size=1, max_size=max_size, kwargs={"autocommit": True}, open=False
        )
        self.pool.open(wait=True, timeout=30)

    def migrate(self, schema: str) -> None:
        with self.pool.connection() as conn, conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATION_LOCK,))
            conn.execute(schema.encode("utf-8"))  # several statements: no parameters allowed

    def close(self) -> None:
        self.pool.close()

    def execute(self, sql: str, args: tuple[Any, ...] = ()) -> int:
        with self.pool.connection() as conn:
            try:
                return conn.execute(_pg(sql), args).rowcount
            except psycopg.errors.IntegrityError as exc:
                raise ConstraintError(str(exc)) from exc

    def fetchone(self, sql: str, args: tuple[Any, ...] = ()) -> tuple[Any, ...] | None:
        with self.pool.connection() as conn:
            row: tuple[Any, ...] | None = conn.execute(_pg(sql), args).fetchone()
        return row

    def fetchall(self, sql: str, args: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        with self.pool.connection() as conn:
            return conn.execute(_pg(sql), args).fetchall()


def _pg(sql: str) -> bytes:
    """SQLite's `?` placeholders as psycopg's `%s` (the stores' SQL holds no other `?` or `%`)."""
    return sql.replace("?", "%s").encode("utf-8")
