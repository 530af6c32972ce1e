"""Who owns which thread: a small SQLite table beside the checkpoints.

The LangGraph checkpointer stores a thread's turns but knows nothing of principals, so the
server keeps ownership here and checks it before any read, write or delete of a thread.
"""

from __future__ import annotations

import sqlite3
import threading
import uuid
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel

_SCHEMA = """
CREATE TABLE IF NOT EXISTS threads (
    id TEXT PRIMARY KEY,
    principal TEXT NOT NULL,
    title TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS threads_by_principal ON threads (principal, updated_at);
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


class ThreadRegistry:
    """Thread ownership. Calls take well under a millisecond, so they run inline."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(_SCHEMA)
        self._lock = threading.Lock()

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _row(self, row: tuple[str, str | None, str, str] | None) -> ThreadInfo | None:
        if row is None:
            return None
        return ThreadInfo(id=row[0], title=row[1], created_at=row[2], updated_at=row[3])

    def create(self, principal: str, *, thread_id: str | None = None, title: str | None = None) -> ThreadInfo:
        now = _now()
        info = ThreadInfo(
            id=thread_id or uuid.uuid4().hex, title=_title(title), created_at=now, updated_at=now
        )
        with self._lock:
            self._db.execute(
                "INSERT INTO threads (id, principal, title, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
                (info.id, principal, info.title, now, now),
            )
        return info

    def owner(self, thread_id: str) -> str | None:
        with self._lock:
            row = self._db.execute("SELECT principal FROM threads WHERE id = ?", (thread_id,)).fetchone()
        return None if row is None else str(row[0])

    def get(self, thread_id: str, principal: str) -> ThreadInfo | None:
        """The thread if `principal` owns it; another principal's thread looks absent."""
        with self._lock:
            row = self._db.execute(
                "SELECT id, title, created_at, updated_at FROM threads WHERE id = ? AND principal = ?",
                (thread_id, principal),
            ).fetchone()
        return self._row(row)

    def list(self, principal: str, limit: int = 100) -> list[ThreadInfo]:
        with self._lock:
            rows = self._db.execute(
                "SELECT id, title, created_at, updated_at FROM threads WHERE principal = ? "
                "ORDER BY updated_at DESC LIMIT ?",
                (principal, limit),
            ).fetchall()
        return [info for info in map(self._row, rows) if info is not None]

    def touch(self, thread_id: str, question: str) -> None:
        """Marks a new turn; the first question becomes the title when there is none."""
        with self._lock:
            self._db.execute(
                "UPDATE threads SET updated_at = ?, title = COALESCE(title, ?) WHERE id = ?",
                (_now(), _title(question), thread_id),
            )

    def delete(self, thread_id: str, principal: str) -> bool:
        with self._lock:
            cur = self._db.execute(
                "DELETE FROM threads WHERE id = ? AND principal = ?", (thread_id, principal)
            )
        return cur.rowcount > 0
