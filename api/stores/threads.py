"""Whose threads are which: a small table (SQLite or PostgreSQL) beside the checkpoints.

Thread ids are per principal: the key is (principal, id), and a thread's turns are checkpointed
under `<principal digest>/<id>` (a slash no thread id may contain). Two principals using the same
id get two separate threads, so an id tells nobody anything about anyone else's threads, and
nobody can take an id before its future owner does. Rows from before the namespacing keep
their bare checkpoint key.
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel

from api.stores.base import SQLStore

_SCHEMA = """
BEGIN IMMEDIATE;
CREATE TABLE IF NOT EXISTS threads (
    id TEXT PRIMARY KEY,
    principal TEXT NOT NULL,
    title TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS principal_threads (
    principal TEXT NOT NULL,
    id TEXT NOT NULL,
    checkpoint TEXT NOT NULL UNIQUE,
    title TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (principal, id)
);
INSERT OR IGNORE INTO principal_threads
    SELECT principal, id, id, title, created_at, updated_at FROM threads;
DROP TABLE threads;
CREATE INDEX IF NOT EXISTS principal_threads_by_time ON principal_threads (principal, updated_at);
COMMIT;
"""
_POSTGRES_SCHEMA = """
CREATE TABLE IF NOT EXISTS principal_threads (
    principal TEXT NOT NULL,
    id TEXT NOT NULL,
    checkpoint TEXT NOT NULL UNIQUE,
    title TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (principal, id)
);
CREATE INDEX IF NOT EXISTS principal_threads_by_time ON principal_threads (principal, updated_at);
"""
TITLE_CHARS = 80


class ThreadInfo(BaseModel):
    id: str
    title: str | None = None
    created_at: str
    updated_at: str


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def _title(text: str | None) -> str | None:
    if not text or not text.strip():
        return None
    line = " ".join(text.split())
    return line if len(line) <= TITLE_CHARS else line[: TITLE_CHARS - 1] + "…"


def checkpoint_key(principal: str, thread_id: str) -> str:
    """Where a principal's thread lives in the checkpointer."""
    return f"{hashlib.sha256(principal.encode('utf-8')).hexdigest()[:24]}/{thread_id}"


class ThreadRegistry(SQLStore):
    """Threads by (principal, id). Calls take well under a millisecond, so they run inline."""

    SCHEMA = _SCHEMA
    POSTGRES_SCHEMA = _POSTGRES_SCHEMA
    _COLUMNS = "id, title, created_at, updated_at"

    def _row(self, row: tuple[Any, ...] | None) -> ThreadInfo | None:
        if row is None:
            return None
        return ThreadInfo(id=row[0], title=row[1], created_at=row[2], updated_at=row[3])

    def create(self, principal: str, *, thread_id: str | None = None, title: str | None = None) -> ThreadInfo:
        """A new thread of `principal`; `ConstraintError` when they already have this id."""
        now = _now()
        info = ThreadInfo(
            id=thread_id or uuid.uuid4().hex, title=_title(title), created_at=now, updated_at=now
        )
        self.execute(
            "INSERT INTO principal_threads (principal, id, checkpoint, title, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (principal, info.id, checkpoint_key(principal, info.id), info.title, now, now),
        )
        return info

    def checkpoint(self, principal: str, thread_id: str) -> str | None:
        """The checkpointer key of `principal`'s thread, or None when they have no such thread."""
        row = self.fetchone(
            "SELECT checkpoint FROM principal_threads WHERE principal = ? AND id = ?", (principal, thread_id)
        )
        return None if row is None else str(row[0])

    def get(self, thread_id: str, principal: str) -> ThreadInfo | None:
        row = self.fetchone(
            f"SELECT {self._COLUMNS} FROM principal_threads WHERE principal = ? AND id = ?",
            (principal, thread_id),
        )
        return self._row(row)

    def list(self, principal: str, limit: int = 100) -> list[ThreadInfo]:
        rows = self.fetchall(
            f"SELECT {self._COLUMNS} FROM principal_threads WHERE principal = ? "
            "ORDER BY updated_at DESC LIMIT ?",
            (principal, limit),
        )
        return [info for info in map(self._row, rows) if info is not None]

    def touch(self, thread_id: str, principal: str, question: str) -> None:
        """Marks a new turn; the first question becomes the title when there is none."""
        self.execute(
            "UPDATE principal_threads SET updated_at = ?, title = COALESCE(title, ?) "
            "WHERE principal = ? AND id = ?",
            (_now(), _title(question), principal, thread_id),
        )

    def rename(self, thread_id: str, principal: str, title: str) -> ThreadInfo | None:
        """A title the user chose; None when `principal` does not own the thread."""
        self.execute(
            "UPDATE principal_threads SET title = ? WHERE principal = ? AND id = ?",
            (_title(title), principal, thread_id),
        )
        return self.get(thread_id, principal)

    def delete(self, thread_id: str, principal: str) -> bool:
        return (
            self.execute(
                "DELETE FROM principal_threads WHERE principal = ? AND id = ?", (principal, thread_id)
            )
            > 0
        )
