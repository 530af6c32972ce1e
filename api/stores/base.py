"""What every small store of the server shares: a schema per backend and three ways to talk SQL.

A store is built on a path (its own SQLite file, the embedded default) or on the PostgreSQL
database that `ADVISOR_DATABASE_URL` names (shared by all stores and all server processes).
Its queries are written once, in the SQL both engines accept, with `?` placeholders.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from api.stores.postgres import PostgresDatabase
from api.stores.sqlite import SQLiteDatabase


class SQLStore:
    SCHEMA: ClassVar[str]  # idempotent SQLite DDL
    POSTGRES_SCHEMA: ClassVar[str]  # the same tables in PostgreSQL, just as idempotent
    # FULL survives a power cut; a store that can lose its last rows then may choose NORMAL.
    SYNCHRONOUS: ClassVar[str] = "FULL"

    def __init__(self, where: Path | PostgresDatabase) -> None:
        if isinstance(where, PostgresDatabase):
            self._db: SQLiteDatabase | PostgresDatabase = where
            where.migrate(self.POSTGRES_SCHEMA)
        else:
            self._db = SQLiteDatabase(where, self.SYNCHRONOUS)
            self._db.migrate(self.SCHEMA)

    @property
    def dialect(self) -> str:
        return self._db.dialect

    def close(self) -> None:
        """Closes an own SQLite file; a shared PostgreSQL pool is closed by whoever opened it."""
        if isinstance(self._db, SQLiteDatabase):
            self._db.close()

    def execute(self, sql: str, args: tuple[Any, ...] = ()) -> int:
        """Runs one write in its own transaction; returns the number of rows it changed."""
        return self._db.execute(sql, args)

    def fetchone(self, sql: str, args: tuple[Any, ...] = ()) -> tuple[Any, ...] | None:
        return self._db.fetchone(sql, args)

    def fetchall(self, sql: str, args: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        return self._db.fetchall(sql, args)
