"""Document access checks on what the server hands back.

Retrieval already filters by the caller's groups before ranking, so a fresh plan only cites
what the caller may see. Stored thread history is different: it was computed earlier, and
the caller's groups or a document's access may have changed since. `visible_plan` re-checks a
stored plan against the documents' current access and removes whatever no longer passes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TypeVar

from pydantic import BaseModel

from agents.state import AdoptionPlan
from api.auth import Principal
from store.records import DocumentInfo

Item = TypeVar("Item", bound=BaseModel)


def source_filter(principal: Principal, documents: list[DocumentInfo]) -> Callable[[str], bool]:
    """A predicate: may `principal` see this source? Unknown (deleted) sources are hidden."""
    if principal.groups is None:
        return lambda _source: True
    access = {d.source: d.access for d in documents}
    return lambda source: source in access and principal.can_see(access[source])


def visible_documents(principal: Principal, documents: list[DocumentInfo]) -> list[DocumentInfo]:
    return [d for d in documents if principal.can_see(d.access)]


def _keep(items: list[Item], hidden: set[int]) -> list[Item]:
    """Items that cite no hidden source; offline items are quoted from their evidence, so an item
    citing a hidden source may carry its words even when it also cites a visible one."""
    return [item for item in items if not set(getattr(item, "citations", [])) & hidden]


_CLAUSE = re.compile(r"[^。！？；;.!?]*?(?:\[\d+\])+[。！？；;.!?]?|[^。！？；;.!?]+[。！？；;.!?]?")
_MARK = re.compile(r"\[(\d+)\]")


def _summary(text: str, hidden: set[int]) -> str:
    """The summary without the clauses that cite a hidden source."""
    clauses = _CLAUSE.findall(text)
    return "".join(c for c in clauses if not {int(n) for n in _MARK.findall(c)} & hidden).strip()


def visible_plan(plan: AdoptionPlan, may_see: Callable[[str], bool]) -> AdoptionPlan:
    hidden = {c.id for c in plan.citations if not may_see(c.source)}
    if not hidden:
        return plan
    return plan.model_copy(
        update={
            "summary": _summary(plan.summary, hidden),
            "summary_citations": [c for c in plan.summary_citations if c not in hidden],
            "challenges": _keep(plan.challenges, hidden),
            "actions": _keep(plan.actions, hidden),
            "risks": _keep(plan.risks, hidden),
            "kpis": _keep(plan.kpis, hidden),
            "citations": [c for c in plan.citations if c.id not in hidden],
        }
    )
