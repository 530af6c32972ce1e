"""What a node needs from the run: settings, the store and the caller's access groups.

Resolved from LangGraph's runtime context (agents.context.AdvisorContext); retrieval goes
through `retrieve` so every store call carries the caller's groups.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from agents.cache import TTLCache
from agents.context import AdvisorContext
from agents.language.glossary import expand_query
from agents.llm.budget import LLMBudget
from settings import Settings, get_settings
from store.knowledge import KnowledgeStore, get_store
from store.records import Passage


@dataclass(frozen=True)
class Env:
    settings: Settings
    store: KnowledgeStore
    groups: list[str] | None
    budget: LLMBudget = field(default_factory=LLMBudget)


def env_of(runtime: Any) -> Env:
    ctx = getattr(runtime, "context", None)
    if not isinstance(ctx, AdvisorContext):
        ctx = AdvisorContext(**ctx) if isinstance(ctx, dict) else AdvisorContext()
    settings = ctx.settings or get_settings()
    store = ctx.store
    if store is None:  # `langgraph dev` runs the graph without a context
        store = get_store()
    return Env(settings=settings, store=store, groups=ctx.groups, budget=ctx.budget)


SEARCH_TTL_S = 0.5  # shorter than the store's own freshness check: a repeated search within it is not re-run
_searches: TTLCache[list[Passage]] = TTLCache(SEARCH_TTL_S)


def search(
    env: Env, query: str, k: int, method: Literal["hybrid", "bm25", "vector"] = "hybrid"
) -> list[Passage]:
    """One store search for the caller's groups; the same search within a moment is answered
    from memory (four specialists often search the same phrase, concurrent plans the same question)."""
    groups = tuple(sorted(env.groups)) if env.groups is not None else None
    key = (id(env.store), groups, query, k, method)
    return _searches.get(
        key, lambda: env.store.search(expand_query(query), k, groups=env.groups, method=method)
    )


def retrieve(env: Env, queries: Sequence[str], k: int) -> list[Passage]:
    """Hybrid search per query, filtered to the caller's groups; best score per chunk wins."""
    best: dict[str, Passage] = {}
    for query in queries:
        for passage in search(env, query, k):
            seen = best.get(passage.chunk_id)
            if seen is None or passage.score > seen.score:
                best[passage.chunk_id] = passage
    return sorted(best.values(), key=lambda p: -p.score)
