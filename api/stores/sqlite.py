"""The embedded backend of the server's small stores: a SQLite file under the data directory.

One connection is shared by the server's threads (`check_same_thread=False`) and serialized by
the lock, because every call is far shorter than a thread switch would save. Autocommit
(`isolation_level=None`): each statement is its own transaction, so nothing is left uncommitted
when the server stops. Several processes may share the file: WAL lets readers run beside the one
writer, and the busy timeout makes a writer wait for another process's write instead of failing.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from typing import Any

from api.stores.errors import ConstraintError


class SQLiteDatabase:
    dialect = "sqlite"

    def __init__(self, path: Path, synchronous: str = "FULL") -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=30)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(f"PRAGMA synchronous={synchronous}")
        self._lock = threading.Lock()

    def migrate(self, schema: str) -> None:
        """Applies idempotent DDL; a schema that moves data wraps itself in BEGIN/COMMIT."""
        with self._lock:
            self._db.executescript(schema)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def execute(self, sql: str, args: tuple[Any, ...] = ()) -> int:
        with self._lock:
            try:
                return self._db.execute(sql, args).rowcount
            except sqlite3.IntegrityError as exc:
                raise ConstraintError(str(exc)) from exc

    def fetchone(self, sql: str, args: tuple[Any, ...] = ()) -> tuple[Any, ...] | None:
        with self._lock:
            row: tuple[Any, ...] | None = self._db.execute(sql, args).fetchone()
        return row

    def fetchall(self, sql: str, args: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            return self._db.execute(sql, args).fetchall()
