"""Opening the server's stores on the backend the settings name: one place for the server and CLI."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from api.stores.audit import AuditLog
from api.stores.feedback import FeedbackStore
from api.stores.jobs import JobBoard
from api.stores.postgres import PostgresDatabase
from api.stores.threads import ThreadRegistry


@dataclass(frozen=True)
class ServerStores:
    threads: ThreadRegistry
    audit: AuditLog
    feedback: FeedbackStore
    jobs: JobBoard


@contextmanager
def open_stores(database_url: str | None, data_dir: Path) -> Iterator[ServerStores]:
    """PostgreSQL when a URL is given (migrated here, at startup); else SQLite files in `data_dir`."""
    with ExitStack() as stack:
        if database_url:
            db = PostgresDatabase(database_url)
            stack.callback(db.close)
            threads, audit, feedback, jobs = ThreadRegistry(db), AuditLog(db), FeedbackStore(db), JobBoard(db)
        else:
            threads = ThreadRegistry(data_dir / "threads.sqlite3")
            audit = AuditLog(data_dir / "audit.sqlite3")
            feedback = FeedbackStore(data_dir / "feedback.sqlite3")
            jobs = JobBoard(data_dir / "upload_jobs.sqlite3")
        for store in (threads, audit, feedback, jobs):
            stack.callback(store.close)
        yield ServerStores(threads, audit, feedback, jobs)
