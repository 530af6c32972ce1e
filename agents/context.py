"""Per-run context handed to every node through LangGraph's runtime context.

Access groups live here rather than in state so they are never checkpointed or cited.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from agents.llm.budget import LLMBudget
from store.records import PUBLIC

if TYPE_CHECKING:
    from settings import Settings
    from store.knowledge import KnowledgeStore


@dataclass
class AdvisorContext:
    # None means unrestricted (trusted local callers such as the CLI); public is always visible.
    groups: list[str] | None = field(default_factory=lambda: [PUBLIC])
    store: KnowledgeStore | None = None  # None: the process-wide store from `store.get_store()`
    settings: Settings | None = None  # None: `settings.get_settings()`
    budget: LLMBudget = field(default_factory=LLMBudget)  # this run's model time, shared by its nodes
