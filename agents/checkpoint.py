"""Thread memory: SQLite checkpointers under the data directory.

The serializer is locked to the advisor's own state types, so a tampered checkpoint file
cannot make the process construct arbitrary classes when a thread is resumed.
"""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path

import aiosqlite
from langgraph.checkpoint.serde.jsonplus import JsonPlusSerializer
from langgraph.checkpoint.sqlite import SqliteSaver
from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver

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


@asynccontextmanager
async def open_checkpointer(settings: Settings | None = None) -> AsyncIterator[AsyncSqliteSaver]:
    """An AsyncSqliteSaver at data_dir/checkpoints.sqlite, set up and closed with the block."""
    async with aiosqlite.connect(str(checkpoint_path(settings))) as conn:
        saver = AsyncSqliteSaver(conn, serde=serializer())
        await saver.setup()
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
