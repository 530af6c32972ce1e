"""What a node needs from the run: settings, the store and the caller's access groups.

Resolved from LangGraph's runtime context (agents.context.AdvisorContext); retrieval goes
through `retrieve` so every store call carries the caller's groups.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from agents.context import AdvisorContext
from records import Passage
from settings import Settings, get_settings

if TYPE_CHECKING:
    from store import KnowledgeStore


@dataclass(frozen=True)
class Env:
    settings: Settings
    store: KnowledgeStore
    groups: list[str] | None


def env_of(runtime: Any) -> Env:
    ctx = getattr(runtime, "context", None)
    if not isinstance(ctx, AdvisorContext):
        ctx = AdvisorContext(**ctx) if isinstance(ctx, dict) else AdvisorContext()
    settings = ctx.settings or get_settings()
    store = ctx.store
    if store is None:
        from store import get_store

        store = get_store()
    return Env(settings=settings, store=store, groups=ctx.groups)


def retrieve(env: Env, queries: Sequence[str], k: int) -> list[Passage]:
    """Hybrid search per query, filtered to the caller's groups; best score per chunk wins."""
    best: dict[str, Passage] = {}
    for query in queries:
        for passage in env.store.search(query, k, groups=env.groups, method="hybrid"):
            seen = best.get(passage.chunk_id)
            if seen is None or passage.score > seen.score:
                best[passage.chunk_id] = passage
    return sorted(best.values(), key=lambda p: -p.score)
