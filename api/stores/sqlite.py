"""The one way the server's small stores use SQLite: a file under the data directory, WAL, one lock.

Each store is a subclass that declares its `SCHEMA` (idempotent DDL) and talks SQL through
`execute`, `fetchone` and `fetchall`. One connection is shared by the server's threads
(`check_same_thread=False`) and serialized by the lock, because every call is far shorter
than a thread switch would save. Autocommit (`isolation_level=None`): each statement is its
own transaction, so nothing is left uncommitted when the server stops.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from typing import Any, ClassVar


class SQLiteStore:
    SCHEMA: ClassVar[str]
    # FULL survives a power cut; a store that can lose its last rows then may choose NORMAL.
    SYNCHRONOUS: ClassVar[str] = "FULL"

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(f"PRAGMA synchronous={self.SYNCHRONOUS}")
        self._db.executescript(self.SCHEMA)
        self._lock = threading.Lock()

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def execute(self, sql: str, args: tuple[Any, ...] = ()) -> int:
        """Runs one write; returns the number of rows it changed."""
        with self._lock:
            return self._db.execute(sql, args).rowcount

    def fetchone(self, sql: str, args: tuple[Any, ...] = ()) -> tuple[Any, ...] | None:
        with self._lock:
            row: tuple[Any, ...] | None = self._db.execute(sql, args).fetchone()
        return row

    def fetchall(self, sql: str, args: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            return self._db.execute(sql, args).fetchall()
