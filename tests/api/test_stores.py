"""The server's SQLite stores share one connection setup (api.stores.sqlite)."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from api.stores.audit import AuditEntry, AuditLog
from api.stores.sqlite import SQLiteStore
from api.stores.threads import ThreadRegistry


class Notes(SQLiteStore):
    SCHEMA = "CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL);"


def test_a_new_store_is_a_schema_and_its_queries(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "notes.sqlite3"
    notes = Notes(path)  # creates the folder and applies the schema
    assert notes.execute("INSERT INTO notes (text) VALUES (?)", ("first",)) == 1
    assert notes.fetchone("SELECT text FROM notes") == ("first",)
    assert notes.fetchone("PRAGMA journal_mode") == ("wal",)
    assert notes.fetchone("PRAGMA synchronous") == (2,)  # FULL unless the store says otherwise
    notes.close()
    reopened = Notes(path)  # the schema is idempotent and the row was committed
    assert reopened.fetchall("SELECT text FROM notes") == [("first",)]
    reopened.close()


def test_one_connection_serves_many_threads(tmp_path: Path) -> None:
    notes = Notes(tmp_path / "notes.sqlite3")

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


def test_the_audit_log_and_thread_registry_use_the_shared_setup(tmp_path: Path) -> None:
    audit = AuditLog(tmp_path / "audit.sqlite3")
    threads = ThreadRegistry(tmp_path / "threads.sqlite3")
    assert audit.fetchone("PRAGMA synchronous") == (1,)  # NORMAL: one row per request
    audit.record(AuditEntry(principal="p", role="viewer", endpoint="GET /v1/search", status=200))
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        audit.execute("DELETE FROM audit")
    info = threads.create("p", title="第一个问题")
    assert threads.checkpoint("p", info.id) and threads.checkpoint("q", info.id) is None
    assert threads.delete(info.id, "p") and threads.checkpoint("p", info.id) is None
    audit.close()
    threads.close()


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
