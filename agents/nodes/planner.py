"""Planner node, the router that fans out to specialists, and the refusal node.

The offline scope decision (agents.scope) always runs: it is cheap, it catches instruction
injection and an empty knowledge base before any model sees the question, and it is the
fallback when the model call fails. In LLM mode the model then chooses areas and writes
sub-queries. The planner also splits the LLM call budget: one call for itself, one reserved
for the synthesizer, the rest for specialists.
"""

from __future__ import annotations

import asyncio
from typing import Any, Literal

from langgraph.runtime import Runtime
from langgraph.types import Command, Send

from agents.context import AdvisorContext
from agents.env import env_of
from agents.language.lexicon import AREA_QUERY, INJECTION
from agents.language.text import detect_language
from agents.llm import model as llm
from agents.llm.prompts import PLANNER_PROMPT
from agents.llm.schemas import PlannerDecision
from agents.offline.first_steps import earlier_plan, first_steps
from agents.offline.scope import Scope, decide, profile_text
from agents.state import AREAS, AdoptionPlan, AdvisorState, Facet, SpecialistInput, Turn


def _turns_text(turns: list[Turn]) -> str:
    return "\n".join(f"- {t.question} (areas: {', '.join(t.plan.areas) or 'refused'})" for t in turns[-3:])


def _apply(scope: Scope, decision: PlannerDecision, question: str) -> str | None:
    """The model's decision over the offline one (never over a final refusal, see `planner`).

    The model judges relevance better than lexicons, so it may accept a question the offline
    scope refused; the verifier still drops whatever the evidence does not support. It may not
    refuse a question the offline scope finds supported by the evidence: a weak model refuses
    far too readily. Its refusal text is never shown; the offline scope's is. Returns why the
    model's decision was overruled, if it was.
    """
    if decision.refuse:
        if scope.refused:
            return None
        return "overruled: the model refused a question the evidence supports; answered from the evidence"
    areas = [a for a in AREAS if a in decision.areas]
    if not areas:
        return None
    scope.refused, scope.reason = False, None
    queries = {q.area: [s for s in q.queries if s.strip()][:3] for q in decision.subqueries}
    scope.subqueries = {
        a: queries.get(a) or scope.subqueries.get(a) or [f"{question} {AREA_QUERY[a]}"] for a in areas
    }
    scope.areas = areas
    return None


_RESET: list[tuple[str, Any]] = [
    ("findings", None), ("evidence", None), ("degraded_reasons", None), ("llm_calls", None),
    ("llm_log", None), ("quarantined", None), ("plan", None),
]  # fmt: skip


def _facets(decision: PlannerDecision) -> list[Facet]:
    return [
        Facet(kind=f.kind.strip()[:40], value=f.value.strip()[:120])
        for f in decision.facets
        if f.value.strip()
    ]


async def planner(state: AdvisorState, runtime: Runtime[AdvisorContext]) -> Command[Any]:
    env = env_of(runtime)
    settings = env.settings
    question = state["question"].strip()
    turns = list(state.get("turns") or [])
    if (earlier := earlier_plan(question, turns)) is not None:  # 'which of these first?': no new plan
        ranked = first_steps(earlier, question, detect_language(question))
        return Command(update=[*_RESET, ("language", ranked.language), ("mode", settings.run_mode),
                               ("refused", False), ("refusal_reason", None), ("draft", ranked)])  # fmt: skip
    offline = asyncio.to_thread(
        decide, question, state.get("profile"), turns, state.get("requested_areas"), env
    )
    mode = settings.run_mode
    calls, reasons, log, facets = 0, [], [], []
    if mode == "llm" and not INJECTION.search(question) and settings.max_llm_calls >= 1:
        calls = 1
        prompt = PLANNER_PROMPT.format(
            question=question, profile=profile_text(state.get("profile")), turns=_turns_text(turns)
        )
        call = llm.structured_call(
            PlannerDecision, prompt, settings=settings, language=detect_language(question),
            node="planner", budget=env.budget,
        )  # fmt: skip
        # the offline scope (probe search, relevance) runs while the model thinks
        scope, outcome = await asyncio.gather(offline, call, return_exceptions=True)
        if isinstance(scope, BaseException):
            raise scope
        if isinstance(outcome, BaseException):  # the LLM being down must never fail the plan
            reason, record = llm.failure("planner", outcome)
            reasons.append(reason)
        else:
            decision, record = outcome
            facets = _facets(decision)
            if not scope.final and (overruled := _apply(scope, decision, question)):
                record.outcome, record.reason = "degraded", overruled
                reasons.append(f"planner: {overruled}")
        log.append(record)
    else:
        scope = await offline
    spare = max(0, settings.max_llm_calls - calls - 1) if mode == "llm" else 0
    return Command(
        update=[
            ("findings", None),
            ("evidence", None),
            ("degraded_reasons", None),
            ("llm_calls", None),
            ("llm_calls", calls),
            ("llm_log", None),
            ("llm_log", log),
            ("facets", facets),
            ("degraded_reasons", reasons),
            ("language", scope.language),
            ("mode", mode),
            ("route", scope.areas),
            ("llm_areas", scope.areas[:spare]),
            ("subqueries", scope.subqueries),
            ("facet_text", scope.facet_text or question),
            ("quarantined", None),
            ("refused", scope.refused),
            ("refusal_reason", scope.reason),
            ("draft", None),
            ("plan", None),
        ]
    )


def route(state: AdvisorState) -> list[Send] | Literal["refuse"]:
    """Refusal, or one `Send` per chosen area; an unknown area is a bug, so it raises."""
    if state.get("refused"):
        return "refuse"
    areas = state.get("route") or []
    if not areas:
        raise ValueError("planner chose no areas and did not refuse")
    sends = []
    for area in areas:
        if area not in AREAS:
            raise ValueError(f"unknown area {area!r}")
        payload = SpecialistInput(
            area=area,
            queries=state.get("subqueries", {}).get(area, []),
            question=state["question"],
            language=state.get("language", "zh"),
            mode=state.get("mode", "offline"),
            profile=state.get("profile"),
            facet_text=state.get("facet_text") or state["question"],
            use_llm=area in (state.get("llm_areas") or []),
            facets=list(state.get("facets") or []),
        )
        sends.append(Send("specialist", payload))
    return sends


def refuse(state: AdvisorState) -> dict[str, Any]:
    """A plain refusal: no citations, no advice."""
    plan = AdoptionPlan(
        question=state["question"],
        language=state.get("language", "zh"),
        mode=state.get("mode", "offline"),
        refused=True,
        refusal_reason=state.get("refusal_reason"),
        summary=state.get("refusal_reason") or "",
        degraded=bool(state.get("degraded_reasons")),
        degraded_reasons=list(state.get("degraded_reasons") or []),
        profile=state.get("profile"),
        llm_calls=state.get("llm_calls", 0),
        llm=list(state.get("llm_log") or []),
    )
    return {"plan": plan, "turns": [Turn(question=state["question"], plan=plan)]}
