"""Thread checkpoints on both backends: a thread outlives the checkpointer that started it.

Two checkpointers opened one after the other on the same settings stand for two server
processes: the follow-up is answered through the second and must resolve through the first turn.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from agents.checkpoint import open_checkpointer
from agents.service import run_plan, thread_turns
from agents.state import AREAS, AdoptionPlan
from graph import build_graph
from settings import Settings

FIRST = "我们是一家中型制造企业，计划在未来一年内落地AI，请给出分阶段的落地计划。"


def test_a_thread_continues_through_another_checkpointer(
    seed_store: Any, database_url: str | None, tmp_path: Path
) -> None:
    settings = Settings(
        data_dir=tmp_path, mode="offline", embedder="hash", openai_api_key=None, database_url=database_url
    )

    async def turn(question: str) -> tuple[AdoptionPlan, int]:
        async with open_checkpointer(settings) as saver:
            kw: dict[str, Any] = {"store": seed_store, "settings": settings, "thread_id": "t1"}
            plan = await run_plan(build_graph(saver), question, **kw)
            return plan, len(await asyncio.to_thread(thread_turns, saver, "t1"))

    first, _ = asyncio.run(turn(FIRST))
    vague, turns = asyncio.run(turn("还有呢？"))
    assert first.areas == list(AREAS) and turns == 2
    assert not vague.refused and vague.areas == first.areas  # resolved through the first turn
    assert (tmp_path / "checkpoints.sqlite").exists() == (database_url is None)
