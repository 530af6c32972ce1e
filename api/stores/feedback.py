"""Thumbs up or down on a plan, with an optional comment: how eval sets grow from real use.

SQLite under the data directory or PostgreSQL, beside the audit log and the thread registry. A row keeps what
the plan was about (question, areas, cited sources) at the time of the vote, so an export needs
no thread that may since have been deleted. One vote per principal and turn; voting again replaces it.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from agents.state import AdoptionPlan
from api.stores.base import SQLStore

Rating = Literal["up", "down"]
_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ts TEXT NOT NULL,
    principal TEXT NOT NULL,
    thread_id TEXT NOT NULL,
    turn INTEGER NOT NULL,
    rating TEXT NOT NULL,
    comment TEXT NOT NULL,
    question TEXT NOT NULL,
    language TEXT NOT NULL,
    refused INTEGER NOT NULL,
    areas TEXT NOT NULL,
    sources TEXT NOT NULL,
    UNIQUE (principal, thread_id, turn)
);
"""
_POSTGRES_SCHEMA = _SCHEMA.replace(
    "INTEGER PRIMARY KEY AUTOINCREMENT", "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY"
)
_COLUMNS = "id, ts, principal, thread_id, turn, rating, comment, question, language, refused, areas, sources"


class FeedbackEntry(BaseModel):
    id: int | None = None
    ts: str = Field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))
    principal: str
    thread_id: str
    turn: int = Field(description="0-based index of the turn in its thread.")
    rating: Rating
    comment: str = ""
    question: str
    language: str
    refused: bool = False
    areas: list[str] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list, description="Sources the plan cited.")

    @classmethod
    def of(
        cls, plan: AdoptionPlan, *, principal: str, thread_id: str, turn: int, rating: Rating, comment: str
    ) -> FeedbackEntry:
        return cls(
            principal=principal, thread_id=thread_id, turn=turn, rating=rating, comment=comment.strip(),
            question=plan.question, language=plan.language, refused=plan.refused, areas=list(plan.areas),
            sources=list(dict.fromkeys(c.source for c in plan.citations)),
        )  # fmt: skip


def golden_candidate(entry: FeedbackEntry) -> dict[str, Any]:
    """A line in the golden format (evals/golden.jsonl). Key points stay empty: a person who
    reads the plan writes them, since a vote says whether the plan helped, not what it must say."""
    return {
        "id": f"feedback-{entry.id}",
        "question": entry.question,
        "areas": [] if entry.refused else entry.areas,
        "sources": entry.sources,
        "key_points": [],
        "refuse": entry.refused,
        "feedback": {"rating": entry.rating, "comment": entry.comment, "ts": entry.ts},
    }


class FeedbackStore(SQLStore):
    SCHEMA = _SCHEMA
    POSTGRES_SCHEMA = _POSTGRES_SCHEMA

    def record(self, e: FeedbackEntry) -> FeedbackEntry:
        row = (
            e.ts, e.principal, e.thread_id, e.turn, e.rating, e.comment, e.question, e.language,
            int(e.refused), json.dumps(e.areas), json.dumps(e.sources, ensure_ascii=False),
        )  # fmt: skip
        columns = _COLUMNS.removeprefix("id, ")
        updates = ", ".join(f"{c} = excluded.{c}" for c in columns.split(", ")[4:])  # past the key
        self.execute(
            f"INSERT INTO feedback ({columns}) VALUES ({', '.join('?' * 11)}) "
            f"ON CONFLICT (principal, thread_id, turn) DO UPDATE SET ts = excluded.ts, {updates}",
            row,
        )
        found = self.fetchone(
            "SELECT id FROM feedback WHERE principal = ? AND thread_id = ? AND turn = ?",
            (e.principal, e.thread_id, e.turn),
        )
        return e.model_copy(update={"id": found[0] if found else None})

    def query(self, *, limit: int = 1000, rating: Rating | None = None) -> list[FeedbackEntry]:
        """Newest first."""
        clause, args = ("WHERE rating = ?", (rating,)) if rating else ("", ())
        rows = self.fetchall(
            f"SELECT {_COLUMNS} FROM feedback {clause} ORDER BY id DESC LIMIT ?", (*args, limit)
        )
        keys = _COLUMNS.split(", ")
        return [
            FeedbackEntry.model_validate(
                {**dict(zip(keys, r, strict=True)), "areas": json.loads(r[10]), "sources": json.loads(r[11])}
            )
            for r in rows
        ]
