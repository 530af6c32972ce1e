"""The advisor's service API: what the server, the CLI and the evals call.

`run_plan` returns a plan; `stream_plan` yields progress per node, the accepted LLM summary in
pieces, and finally the plan, from LangGraph's "updates" and "custom" stream modes.
The caller hands in the compiled graph (`graph.graph`, or `graph.build_graph(checkpointer)`
for threads, compiled once): the wiring lives above the agents package, which never imports it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from typing import Any

from langgraph.types import Command

from agents.context import AdvisorContext
from agents.render import plan_to_markdown
from agents.state import AdoptionPlan, Area, CompanyProfile, InputState, Turn
from settings import Settings

__all__ = ["plan_to_markdown", "run_plan", "stream_plan", "pending_review", "thread_turns", "athread_turns"]


def _prepare(
    graph: Any,
    question: str,
    profile: CompanyProfile | None,
    areas: list[Area] | None,
    thread_id: str | None,
    groups: list[str] | None,
    store: Any,
    settings: Settings | None,
    review: bool = False,
) -> tuple[InputState, dict[str, Any] | None, AdvisorContext]:
    question = (question or "").strip()
    if not question:
        raise ValueError("the question is empty")
    payload = InputState(question=question, profile=profile, requested_areas=areas or None, review=review)
    # A thread id only means something to a checkpointer; without one the plan is stateless.
    stateful = thread_id and graph.checkpointer is not None
    config = {"configurable": {"thread_id": thread_id}} if stateful else None
    return payload, config, AdvisorContext(groups=groups, store=store, settings=settings)


async def run_plan(
    graph: Any,
    question: str,
    *,
    profile: CompanyProfile | None = None,
    areas: list[Area] | None = None,
    thread_id: str | None = None,
    groups: list[str] | None = None,
    store: Any = None,
    settings: Settings | None = None,
) -> AdoptionPlan:
    """A verified, cited plan (or a refusal). Raises ValueError for an empty question only."""
    payload, config, context = _prepare(graph, question, profile, areas, thread_id, groups, store, settings)
    out = await graph.ainvoke(payload, config, context=context)
    plan: AdoptionPlan = out["plan"]
    plan.thread_id = thread_id
    return plan


def _merge(update: Any) -> dict[str, Any]:
    """A node's update as one dict (a Command returns a list of (key, value) writes)."""
    if isinstance(update, Mapping):
        return dict(update)
    merged: dict[str, Any] = {}
    for part in update or []:
        if isinstance(part, Mapping):
            merged.update({k: v for k, v in part.items() if v is not None or k not in merged})
    return merged


def _progress(node: str, update: dict[str, Any]) -> dict[str, Any] | None:
    if node == "planner":
        return {
            "node": "planner", "status": "done", "areas": list(update.get("route") or []),
            "language": update.get("language"), "refused": bool(update.get("refused")),
            "subqueries": update.get("subqueries") or {},
        }  # fmt: skip
    if node == "specialist":
        findings = (update.get("findings") or [None])[0]
        if findings is None:
            return None
        count = len(findings.challenges) + len(findings.actions) + len(findings.risks) + len(findings.kpis)
        return {
            "node": "specialist", "area": findings.area, "status": "done",
            "evidence": len(update.get("evidence") or {}), "findings": count,
        }  # fmt: skip
    if node == "verifier":
        plan = update.get("plan")
        verification = plan.verification.model_dump(mode="json") if plan is not None else {}
        return {"node": "verifier", "status": "done", "verification": verification}
    return {"node": node, "status": "done"}


async def stream_plan(
    graph: Any,
    question: str,
    *,
    profile: CompanyProfile | None = None,
    areas: list[Area] | None = None,
    thread_id: str | None = None,
    groups: list[str] | None = None,
    store: Any = None,
    settings: Settings | None = None,
    review: bool = False,
    resume: dict[str, Any] | None = None,
) -> AsyncIterator[tuple[str, dict[str, Any]]]:
    """("progress", {...}) per node, ("token", {"text"}) in LLM mode, then ("plan", plan as JSON).

    With `review` the run pauses after the planner and ends with ("review", decision) instead;
    `resume` (the edited decision) continues that paused run on the same thread.
    """
    payload, config, context = _prepare(
        graph, question, profile, areas, thread_id, groups, store, settings, review
    )
    plan: AdoptionPlan | None = None
    # Told before any work is queued, so a client sees the request accepted even under load.
    yield "progress", {"node": "review" if resume else "planner", "status": "started"}
    source: Any = Command(resume=resume) if resume is not None else payload
    async for mode, chunk in graph.astream(
        source, config, context=context, stream_mode=["updates", "custom"]
    ):
        if mode == "updates" and "__interrupt__" in chunk:
            yield "review", {**chunk["__interrupt__"][0].value, "thread_id": thread_id}
            return
        if mode == "custom" and isinstance(chunk, Mapping) and "node" in chunk:
            yield "progress", dict(chunk)
        elif mode == "custom" and isinstance(chunk, Mapping) and "token" in chunk:
            yield "token", {"text": str(chunk["token"])}
        elif mode == "updates":
            for node, update in chunk.items():
                merged = _merge(update)
                if isinstance(merged.get("plan"), AdoptionPlan):
                    plan = merged["plan"]
                event = _progress(node, merged)
                if event is not None:
                    yield "progress", event
    if plan is None:
        raise RuntimeError("the advisor graph finished without a plan")
    plan.thread_id = thread_id
    yield "plan", plan.model_dump(mode="json")


async def pending_review(graph: Any, thread_id: str) -> dict[str, Any] | None:
    """The planner decision a paused run of this thread waits on, or None."""
    snapshot = await graph.aget_state({"configurable": {"thread_id": thread_id}})
    waiting = [i.value for i in snapshot.interrupts] if snapshot else []
    return dict(waiting[0]) if waiting else None


def _turns_from(checkpoint_tuple: Any) -> list[Turn]:
    if checkpoint_tuple is None:
        return []
    raw = checkpoint_tuple.checkpoint.get("channel_values", {}).get("turns") or []
    return [t if isinstance(t, Turn) else Turn.model_validate(t) for t in raw]


def thread_turns(checkpointer: Any, thread_id: str) -> list[Turn]:
    """The thread's earlier turns, oldest first; [] for an unknown thread.

    Synchronous: with an AsyncSqliteSaver call it from a worker thread (asyncio.to_thread)
    or use `athread_turns`.
    """
    return _turns_from(checkpointer.get_tuple({"configurable": {"thread_id": thread_id}}))


async def athread_turns(checkpointer: Any, thread_id: str) -> list[Turn]:
    return _turns_from(await checkpointer.aget_tuple({"configurable": {"thread_id": thread_id}}))
