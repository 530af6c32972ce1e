"""The append-only audit log: who asked what, when, through which endpoint, and what was cited.

SQLite under the data directory or PostgreSQL, with triggers that refuse UPDATE and DELETE (and
TRUNCATE in PostgreSQL) so the table can only grow. Questions are stored after PII redaction;
only the redaction counts are kept.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime

from pydantic import BaseModel, Field

from api.stores.base import SQLStore

_SCHEMA = """
CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ts TEXT NOT NULL,
    principal TEXT NOT NULL,
    role TEXT NOT NULL,
    endpoint TEXT NOT NULL,
    status INTEGER NOT NULL,
    mode TEXT,
    question TEXT,
    thread_id TEXT,
    sources TEXT NOT NULL,
    refused INTEGER,
    redactions TEXT NOT NULL,
    latency_ms REAL NOT NULL,
    detail TEXT
);
CREATE INDEX IF NOT EXISTS audit_by_principal ON audit (principal, id);
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
"""
_POSTGRES_SCHEMA = """
CREATE TABLE IF NOT EXISTS audit (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ts TEXT NOT NULL,
    principal TEXT NOT NULL,
    role TEXT NOT NULL,
    endpoint TEXT NOT NULL,
    status INTEGER NOT NULL,
    mode TEXT,
    question TEXT,
    thread_id TEXT,
    sources TEXT NOT NULL,
    refused INTEGER,
    redactions TEXT NOT NULL,
    latency_ms DOUBLE PRECISION NOT NULL,
    detail TEXT
);
CREATE INDEX IF NOT EXISTS audit_by_principal ON audit (principal, id);
CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'the audit log is append-only' USING ERRCODE = 'restrict_violation'; END $$;
CREATE OR REPLACE TRIGGER audit_no_change BEFORE UPDATE OR DELETE ON audit
    FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE OR REPLACE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit
    FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();
"""
_COLUMNS = (
    "id, ts, principal, role, endpoint, status, mode, question, thread_id, sources, refused, "
    "redactions, latency_ms, detail"
)


class AuditEntry(BaseModel):
    id: int | None = None
    ts: str = Field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="milliseconds"))
    principal: str
    role: str
    endpoint: str = Field(description="Method and route, e.g. `POST /v1/plans`.")
    status: int = Field(description="HTTP status, or 499 when the client went away first.")
    mode: str | None = Field(default=None, description="offline or llm, for plan endpoints.")
    question: str | None = Field(default=None, description="The question or query after PII redaction.")
    thread_id: str | None = None
    sources: list[str] = Field(default_factory=list, description="Sources cited or returned.")
    refused: bool | None = None
    redactions: dict[str, int] = Field(default_factory=dict, description="PII kind -> count replaced.")
    latency_ms: float = 0.0
    detail: str | None = Field(default=None, description="Error message or the document concerned.")


@dataclass
class RequestAudit:
    done: bool = False


_request: ContextVar[RequestAudit | None] = ContextVar("request_audit", default=None)


@contextmanager
def audit_scope() -> Iterator[RequestAudit]:
    """One HTTP request: `done` turns true once a route records its own entry for it."""
    state = RequestAudit()
    token = _request.set(state)
    try:
        yield state
    finally:
        _request.reset(token)


class AuditLog(SQLStore):
    SCHEMA = _SCHEMA
    POSTGRES_SCHEMA = _POSTGRES_SCHEMA
    SYNCHRONOUS = "NORMAL"  # one row per request: no fsync on each, WAL keeps the file consistent

    def record(self, entry: AuditEntry) -> None:
        refused = None if entry.refused is None else int(entry.refused)
        row = (
            entry.ts, entry.principal, entry.role, entry.endpoint, entry.status, entry.mode, entry.question,
            entry.thread_id, json.dumps(entry.sources, ensure_ascii=False), refused,
            json.dumps(entry.redactions), round(entry.latency_ms, 1), entry.detail,
        )  # fmt: skip
        if (request := _request.get()) is not None:
            request.done = True
        self.execute(
            f"INSERT INTO audit ({_COLUMNS.removeprefix('id, ')}) VALUES ({', '.join('?' * 13)})", row
        )

    def query(
        self, *, limit: int = 100, principal: str | None = None, endpoint: str | None = None
    ) -> list[AuditEntry]:
        """Newest first."""
        where, args = [], []
        if principal:
            where.append("principal = ?")
            args.append(principal)
        if endpoint:
            where.append("endpoint = ?")
            args.append(endpoint)
        clause = f"WHERE {' AND '.join(where)}" if where else ""
        rows = self.fetchall(
            f"SELECT {_COLUMNS} FROM audit {clause} ORDER BY id DESC LIMIT ?", (*args, limit)
        )
        return [
            AuditEntry(
                id=r[0],
                ts=r[1],
                principal=r[2],
                role=r[3],
                endpoint=r[4],
                status=r[5],
                mode=r[6],
                question=r[7],
                thread_id=r[8],
                sources=json.loads(r[9]),
                refused=None if r[10] is None else bool(r[10]),
                redactions=json.loads(r[11]),
                latency_ms=r[12],
                detail=r[13],
            )  # fmt: skip
            for r in rows
        ]
