"""The embedded backend of the server's small stores: a SQLite file under the data directory.

One connection is shared by the server's threads (`check_same_thread=False`) and serialized by
the lock, because every call is far shorter than a thread switch would save. Autocommit
(`isolation_level=None`): each statement is its own transaction, so nothing is left uncommitted
when the server stops. Several processes may share the file: WAL lets readers run beside the one
writer, and the busy timeout makes a writer wait for another process's write instead of failing.
"""

from __future__ import annotations

import random
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from api.stores.errors import ConstraintError

LOCK_TRIES = 100  # about 10 s of retries before a lock held by another process counts as a failure


def _patiently(step: Callable[[], object]) -> None:
    """Runs a step that takes the database's write lock, again while another process holds it.

    The busy timeout covers ordinary writes, but not a journal-mode switch or a transaction that
    must upgrade from reading: SQLite answers those with 'database is locked' at once, which is
    what several server processes opening a new data directory together run into."""
    for attempt in range(LOCK_TRIES):
        try:
            step()
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or attempt == LOCK_TRIES - 1:
                raise
            time.sleep(0.05 + random.random() * 0.1)


class SQLiteDatabase:
    dialect = "sqlite"

    def __init__(self, path: Path, synchronous: str = "FULL") -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=30)
        _patiently(lambda: self._db.execute("PRAGMA journal_mode=WAL"))
        self._db.execute(f"PRAGMA synchronous={synchronous}")
        self._lock = threading.Lock()

    def migrate(self, schema: str) -> None:
        """Applies idempotent DDL; a schema that moves data wraps itself in BEGIN IMMEDIATE/COMMIT,
        so it takes the write lock first: a deferred transaction that reads the schema and then
        writes fails at once ('database is locked') when another process migrates, busy timeout
        or not."""
        with self._lock:
            _patiently(lambda: self._db.executescript(schema))

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
