"""Thread memory: SQLite checkpointers under the data directory, or PostgreSQL when
`ADVISOR_DATABASE_URL` is set, so a thread started on one server process continues on any other.

The serializer is locked to the advisor's own state types, so a tampered checkpoint file
cannot make the process construct arbitrary classes when a thread is resumed.
"""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path

import aiosqlite
from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver
from langgraph.checkpoint.serde.jsonplus import JsonPlusSerializer
from langgraph.checkpoint.sqlite import SqliteSaver
from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver
from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool

from agents import state
from settings import Settings, get_settings

_STATE_TYPES = (
    state.AdoptionPlan, state.Turn, state.AreaFindings, state.Evidence, state.Claim, state.CompanyProfile,
    state.Citation, state.PlanAction, state.PlanRisk, state.PlanKPI, state.PlanChallenge, state.Verification,
)  # fmt: skip


def serializer() -> JsonPlusSerializer:
    return JsonPlusSerializer(allowed_msgpack_modules=_STATE_TYPES)


def checkpoint_path(settings: Settings | None = None) -> Path:
    settings = settings or get_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return settings.data_dir / "checkpoints.sqlite"


_SETUP_LOCK = 0x61647663  # pg_advisory_lock key: processes starting together migrate one at a time


@asynccontextmanager
async def open_checkpointer(settings: Settings | None = None) -> AsyncIterator[BaseCheckpointSaver[str]]:
    """The checkpointer the settings name, set up (migrated) and closed with the block."""
    settings = settings or get_settings()
    if settings.database_url:
        async with _postgres_saver(settings.database_url) as saver:
            yield saver
        return
    async with aiosqlite.connect(str(checkpoint_path(settings))) as conn:
        sqlite_saver = AsyncSqliteSaver(conn, serde=serializer())
        await sqlite_saver.setup()
        yield sqlite_saver


@asynccontextmanager
async def _postgres_saver(url: str) -> AsyncIterator[AsyncPostgresSaver]:
    """AsyncPostgresSaver on a pool. Its `setup()` runs migrations with no lock of its own (some
    with CREATE INDEX CONCURRENTLY, so outside a transaction): a session advisory lock serializes it."""
    kwargs = {"autocommit": True, "prepare_threshold": 0, "row_factory": dict_row}
    async with AsyncConnectionPool(url, min_size=1, max_size=8, kwargs=kwargs, open=False) as pool:
        await pool.wait(timeout=30)
        saver = AsyncPostgresSaver(pool, serde=serializer())  # type: ignore[arg-type]
        async with pool.connection() as conn:
            await conn.execute("SELECT pg_advisory_lock(%s)", (_SETUP_LOCK,))
            try:
                await saver.setup()
            finally:
                await conn.execute("SELECT pg_advisory_unlock(%s)", (_SETUP_LOCK,))
        yield saver


@contextmanager
def open_sync_checkpointer(settings: Settings | None = None) -> Iterator[SqliteSaver]:
    """The synchronous variant, for callers without an event loop."""
    conn = sqlite3.connect(str(checkpoint_path(settings)), check_same_thread=False)
    try:
        saver = SqliteSaver(conn, serde=serializer())
        saver.setup()
        yield saver
    finally:
        conn.close()
