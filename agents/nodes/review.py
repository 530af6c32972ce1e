"""Plan review: a pause between the planner and the specialists, so a person can edit or approve
the planner's decision before money is spent on model calls. Only when the request asked for it."""

from __future__ import annotations

from typing import Any, Literal

from langgraph.types import Send, interrupt

from agents.nodes.planner import route
from agents.offline.facets import find_facets
from agents.state import AREAS, AdvisorState


def review_or_route(state: AdvisorState) -> list[Send] | Literal["refuse", "review", "recall"]:
    """Straight on to the specialists (the usual path), to `review` when the caller asked for it, or
    to `recall` when the planner answered a follow-up from the thread's previous plan."""
    if state.get("draft") is not None and not state.get("refused"):
        return "recall"
    if state.get("review") and not state.get("refused"):
        return "review"
    return route(state)


def review(state: AdvisorState) -> dict[str, Any]:
    """Interrupts with the planner's decision (areas, sub-queries, and the facets it read from the
    question); resumes with `{areas, subqueries?}` chosen by the user.

    Areas outside the four are ignored; an area without edited sub-queries keeps the planner's.
    """
    planned = {a: list(q) for a, q in (state.get("subqueries") or {}).items()}
    language = state.get("language", "zh")
    facets = find_facets(state.get("facet_text") or state["question"], language, state.get("profile"))
    answer = interrupt(
        {
            "question": state["question"],
            "language": language,
            "areas": list(state.get("route") or []),
            "subqueries": planned,
            "facets": [{"kind": f.kind, "value": f.value} for f in facets],
        }
    )
    areas = [a for a in dict.fromkeys(answer.get("areas") or state.get("route") or []) if a in AREAS]
    edited = answer.get("subqueries") or {}
    subqueries = {
        a: [q.strip() for q in edited.get(a, planned.get(a, [])) if q.strip()] or planned.get(a, [])
        for a in areas
    }
    llm_areas = [a for a in state.get("llm_areas") or [] if a in areas]
    return {"route": areas, "subqueries": subqueries, "llm_areas": llm_areas, "review": False}
