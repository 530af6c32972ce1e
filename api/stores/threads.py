"""Who owns which thread: a small SQLite table beside the checkpoints.

The LangGraph checkpointer stores a thread's turns but knows nothing of principals, so the
server keeps ownership here and checks it before any read, write or delete of a thread.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel

from api.stores.sqlite import SQLiteStore

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


class ThreadRegistry(SQLiteStore):
    """Thread ownership. Calls take well under a millisecond, so they run inline."""

    SCHEMA = _SCHEMA

    def _row(self, row: tuple[Any, ...] | None) -> ThreadInfo | None:
        if row is None:
            return None
        return ThreadInfo(id=row[0], title=row[1], created_at=row[2], updated_at=row[3])

    def create(self, principal: str, *, thread_id: str | None = None, title: str | None = None) -> ThreadInfo:
        now = _now()
        info = ThreadInfo(
            id=thread_id or uuid.uuid4().hex, title=_title(title), created_at=now, updated_at=now
        )
        self.execute(
            "INSERT INTO threads (id, principal, title, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
            (info.id, principal, info.title, now, now),
        )
        return info

    def owner(self, thread_id: str) -> str | None:
        row = self.fetchone("SELECT principal FROM threads WHERE id = ?", (thread_id,))
        return None if row is None else str(row[0])

    def get(self, thread_id: str, principal: str) -> ThreadInfo | None:
        """The thread if `principal` owns it; another principal's thread looks absent."""
        row = self.fetchone(
            "SELECT id, title, created_at, updated_at FROM threads WHERE id = ? AND principal = ?",
            (thread_id, principal),
        )
        return self._row(row)

    def list(self, principal: str, limit: int = 100) -> list[ThreadInfo]:
        rows = self.fetchall(
            "SELECT id, title, created_at, updated_at FROM threads WHERE principal = ? "
            "ORDER BY updated_at DESC LIMIT ?",
            (principal, limit),
        )
        return [info for info in map(self._row, rows) if info is not None]

    def touch(self, thread_id: str, question: str) -> None:
        """Marks a new turn; the first question becomes the title when there is none."""
        self.execute(
            "UPDATE threads SET updated_at = ?, title = COALESCE(title, ?) WHERE id = ?",
            (_now(), _title(question), thread_id),
        )

    def delete(self, thread_id: str, principal: str) -> bool:
        return self.execute("DELETE FROM threads WHERE id = ? AND principal = ?", (thread_id, principal)) > 0
