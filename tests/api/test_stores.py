"""The server's stores pass one suite on both backends: SQLite files and a real PostgreSQL."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from api.stores.audit import AuditEntry, AuditLog
from api.stores.base import SQLStore
from api.stores.errors import ConstraintError
from api.stores.feedback import FeedbackEntry, FeedbackStore
from api.stores.jobs import JobBoard
from api.stores.postgres import PostgresDatabase
from api.stores.threads import ThreadRegistry

Where = Callable[[str], "Path | PostgresDatabase"]


class Notes(SQLStore):
    SCHEMA = "CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL);"
    POSTGRES_SCHEMA = "CREATE TABLE IF NOT EXISTS notes (id SERIAL PRIMARY KEY, text TEXT NOT NULL);"


@pytest.fixture
def where(database_url: str | None, tmp_path: Path) -> Iterator[Where]:
    """Where a store lives: its own SQLite file, or a pool on the test's PostgreSQL database."""
    pools: list[PostgresDatabase] = []

    def make(name: str) -> Path | PostgresDatabase:
        if database_url is None:
            return tmp_path / "nested" / f"{name}.sqlite3"
        pools.append(PostgresDatabase(database_url))
        return pools[-1]

    yield make
    for pool in pools:
        pool.close()


def test_a_new_store_is_a_schema_and_its_queries(where: Where) -> None:
    notes = Notes(where("notes"))  # creates the folder or table and applies the schema
    assert notes.execute("INSERT INTO notes (text) VALUES (?)", ("first",)) == 1
    assert notes.fetchone("SELECT text FROM notes") == ("first",)
    notes.close()
    reopened = Notes(where("notes"))  # the schema is idempotent and the row was committed
    assert reopened.fetchall("SELECT text FROM notes") == [("first",)]
    reopened.close()


def test_many_threads_write_through_one_store(where: Where) -> None:
    notes = Notes(where("notes"))

    def write(n: int) -> None:
        for i in range(50):
            notes.execute("INSERT INTO notes (text) VALUES (?)", (f"{n}-{i}",))

    workers = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert notes.fetchone("SELECT count(*) FROM notes") == (200,)
    notes.close()


def test_processes_starting_together_migrate_without_tripping_over_each_other(where: Where) -> None:
    """Each thread stands for a server process opening its stores on the same database at once."""
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def open_all() -> None:
        target = where("all")
        start.wait()
        try:
            for store in (AuditLog(target), ThreadRegistry(target), FeedbackStore(target)):
                store.close()
        except BaseException as exc:
            errors.append(exc)

    workers = [threading.Thread(target=open_all) for _ in range(4)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert not errors


def test_the_audit_log_only_grows(where: Where) -> None:
    audit = AuditLog(where("audit"))
    audit.record(
        AuditEntry(principal="p", role="viewer", endpoint="GET /v1/search", status=200, sources=["甲.md"])
    )
    audit.record(AuditEntry(principal="q", role="admin", endpoint="POST /v1/plans", status=200, refused=True))
    for change in ("DELETE FROM audit", "UPDATE audit SET principal = 'x'"):
        with pytest.raises(ConstraintError, match="append-only"):
            audit.execute(change)
    newest, oldest = audit.query()
    assert (newest.principal, newest.refused, oldest.sources) == ("q", True, ["甲.md"])
    assert [e.principal for e in audit.query(principal="p")] == ["p"]
    audit.close()


def test_threads_are_per_principal(where: Where) -> None:
    threads = ThreadRegistry(where("threads"))
    info = threads.create("p", title="第一个问题")
    with pytest.raises(ConstraintError):
        threads.create("p", thread_id=info.id)
    other = threads.create("q", thread_id=info.id)  # the same id is another principal's own thread
    assert threads.checkpoint("p", info.id) != threads.checkpoint("q", other.id)
    threads.touch(info.id, "p", "a later question")
    assert threads.rename(info.id, "p", "改名") is not None and threads.get(info.id, "p").title == "改名"  # type: ignore[union-attr]
    assert threads.rename(info.id, "r", "x") is None and [t.id for t in threads.list("p")] == [info.id]
    assert threads.delete(info.id, "p") and threads.checkpoint("p", info.id) is None
    assert threads.checkpoint("q", info.id) is not None
    threads.close()


def test_voting_again_replaces_the_vote(where: Where) -> None:
    feedback = FeedbackStore(where("feedback"))
    vote = FeedbackEntry(principal="p", thread_id="t", turn=0, rating="up", question="问", language="zh")
    first = feedback.record(vote)
    again = feedback.record(vote.model_copy(update={"rating": "down", "comment": "引用不对"}))
    assert first.id is not None and again.id == first.id
    [only] = feedback.query()
    assert (only.rating, only.comment) == ("down", "引用不对") and feedback.query(rating="up") == []
    feedback.close()


def test_any_process_reads_an_upload_job_and_old_ones_are_swept(where: Where) -> None:
    writer, reader = JobBoard(where("jobs")), JobBoard(where("jobs"))
    writer.save("old", '{"status": "done"}', new=True)
    writer.execute("UPDATE upload_jobs SET updated_at = '2020-01-01T00:00:00+00:00' WHERE id = 'old'")
    writer.save("j1", '{"status": "queued"}', new=True)  # a new job sweeps what is past a day
    writer.save("j1", '{"status": "done"}')
    assert reader.load("j1") == '{"status": "done"}' and reader.load("old") is None
    writer.close()
    reader.close()


def test_sqlite_files_use_wal_and_their_durability(tmp_path: Path) -> None:
    notes, audit = Notes(tmp_path / "notes.sqlite3"), AuditLog(tmp_path / "audit.sqlite3")
    assert notes.fetchone("PRAGMA journal_mode") == ("wal",)
    assert notes.fetchone("PRAGMA synchronous") == (2,)  # FULL unless the store says otherwise
    assert audit.fetchone("PRAGMA synchronous") == (1,)  # NORMAL: one row per request
    notes.close()
    audit.close()


def test_threads_from_before_the_namespacing_keep_their_checkpoints(tmp_path: Path) -> None:
    path = tmp_path / "threads.sqlite3"
    legacy = sqlite3.connect(path)
    legacy.execute(
        "CREATE TABLE threads (id TEXT PRIMARY KEY, principal TEXT NOT NULL, title TEXT, "
        "created_at TEXT NOT NULL, updated_at TEXT NOT NULL)"
    )
    legacy.execute("INSERT INTO threads VALUES ('t1', 'p', '旧问题', '2026-01-01', '2026-01-01')")
    legacy.commit()
    legacy.close()
    threads = ThreadRegistry(path)
    assert threads.checkpoint("p", "t1") == "t1" and threads.list("p")[0].title == "旧问题"
    assert threads.delete("t1", "p")
    threads.close()
    reopened = ThreadRegistry(path)  # the migration runs once: a deleted thread stays deleted
    assert reopened.checkpoint("p", "t1") is None
    reopened.close()
