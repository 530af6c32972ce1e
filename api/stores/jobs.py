"""Upload jobs by id, so any server process can answer `GET /v1/uploads/{id}`.

The process that accepted an upload runs it and writes each change of its status here; another
process behind the same load balancer reads it from here. Rows hold the job as JSON (its model
lives with the upload queue, which this package does not import) and are kept for a day.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from api.stores.base import SQLStore

_SCHEMA = """
CREATE TABLE IF NOT EXISTS upload_jobs (
    id TEXT PRIMARY KEY,
    updated_at TEXT NOT NULL,
    job TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS upload_jobs_by_time ON upload_jobs (updated_at);
"""
KEEP = timedelta(days=1)


class JobBoard(SQLStore):
    SCHEMA = _SCHEMA
    POSTGRES_SCHEMA = _SCHEMA
    SYNCHRONOUS = "NORMAL"  # a lost status is re-read from the process running the job

    def save(self, job_id: str, job: str, *, new: bool = False) -> None:
        now = datetime.now(UTC)
        if new:  # one sweep per upload keeps the table small without a timer
            self.execute("DELETE FROM upload_jobs WHERE updated_at < ?", ((now - KEEP).isoformat(),))
        self.execute(
            "INSERT INTO upload_jobs (id, updated_at, job) VALUES (?, ?, ?) "
            "ON CONFLICT (id) DO UPDATE SET updated_at = excluded.updated_at, job = excluded.job",
            (job_id, now.isoformat(), job),
        )

    def load(self, job_id: str) -> str | None:
        row = self.fetchone("SELECT job FROM upload_jobs WHERE id = ?", (job_id,))
        return None if row is None else str(row[0])
