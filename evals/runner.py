"""`advisor eval`: every golden question through the full graph, scored.

Questions run one after another against one store, so latencies are per plan and the
store is built (or ingested) once (`evals.workspace`).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Mapping
from pathlib import Path
from time import perf_counter
from typing import Any

from langgraph.checkpoint.memory import InMemorySaver
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from agents.checkpoint import serializer
from agents.context import AdvisorContext
from agents.grounding.support import supported
from agents.language.glossary import expand_query
from agents.state import AdoptionPlan, Evidence, InputState
from evals import metrics
from evals.golden import GoldenItem, load_golden, sample_golden
from evals.results import EvalRun, QuestionResult, aggregate
from evals.workspace import eval_settings, open_store
from graph import build_graph, graph
from settings import Settings

console = Console(stderr=True)


def _support_judge(statement: str, language: Any, passages: Any) -> bool:
    """The project's support judge: the verifier's lexical measure (agents.grounding.support)."""
    return supported(statement, language, list(passages))


async def open_thread(
    item: GoldenItem, *, store: Any, settings: Settings, groups: list[str] | None = None
) -> tuple[Any, dict[str, Any] | None]:
    """The graph and config to ask `item` on: the stateless graph, or, for a follow-up, a fresh
    thread (in-memory checkpointer) that has already been asked the item's earlier questions."""
    if not item.thread:
        return graph, None
    threaded = build_graph(InMemorySaver(serde=serializer()))
    config: dict[str, Any] = {"configurable": {"thread_id": f"eval-{item.id}"}}
    context = AdvisorContext(groups=groups, store=store, settings=settings)
    for earlier in item.thread:
        payload = InputState(question=earlier, profile=item.profile, requested_areas=None)
        await threaded.ainvoke(payload, config, context=context)
    return threaded, config


async def plan_with_evidence(
    item: GoldenItem,
    *,
    store: Any,
    settings: Settings,
    groups: list[str] | None = None,
    thread: tuple[Any, dict[str, Any] | None] | None = None,
) -> tuple[AdoptionPlan, dict[str, Evidence]]:
    """Run the compiled graph as the service does, keeping the evidence the specialists retrieved:
    the plan alone cannot say which passages were retrieved for it. `thread` comes from
    `open_thread`; without it a follow-up's earlier questions are asked first."""
    compiled, config = thread or await open_thread(item, store=store, settings=settings, groups=groups)
    payload = InputState(question=item.question, profile=item.profile, requested_areas=None)
    context = AdvisorContext(groups=groups, store=store, settings=settings)
    evidence: dict[str, Evidence] = {}
    plan: AdoptionPlan | None = None
    async for chunk in compiled.astream(payload, config, context=context, stream_mode="updates"):
        for update in chunk.values():
            for part in update if isinstance(update, list) else [update]:
                if not isinstance(part, Mapping):
                    continue
                evidence.update(part.get("evidence") or {})
                if isinstance(part.get("plan"), AdoptionPlan):
                    plan = part["plan"]
    if plan is None:
        raise RuntimeError("the graph finished without a plan")
    return plan, evidence


def _identity(item: GoldenItem) -> dict[str, Any]:
    return {
        "id": item.id,
        "question": item.question,
        "refuse": item.refuse,
        "expected_areas": list(item.areas),
        "expected_sources": list(item.sources),
        "key_points_total": len(item.key_points),
        "gaps_total": len(item.gaps),
    }


def score(item: GoldenItem, plan: AdoptionPlan, evidence: Mapping[str, Evidence]) -> QuestionResult:
    """Everything measurable about one plan against its golden item."""
    covered = metrics.covered_key_points(metrics.plan_text(plan), item.key_points)
    named = metrics.covered_gaps(plan, item.gaps)
    recall, precision = metrics.area_scores(plan.areas, item.areas)
    check = metrics.check_citations(plan, evidence)
    alce = metrics.alce_scores(plan, _support_judge)
    return QuestionResult(
        **_identity(item),
        refused=plan.refused,
        refusal_correct=metrics.refusal_correct(plan, item.refuse),
        consulted_areas=list(plan.areas),
        area_recall=recall,
        area_precision=precision,
        missed_key_points=[kp for kp, ok in zip(item.key_points, covered, strict=True) if not ok],
        missed_gaps=[g for g, ok in zip(item.gaps, named, strict=True) if not ok],
        cited_sources=sorted({metrics.source_name(c.source) for c in plan.citations}),
        source_recall=metrics.source_recall(plan, item.sources),
        citations_total=check.total,
        citations_valid=check.valid,
        citation_problems=check.problems,
        statements=alce.statements,
        citation_recall=alce.recall,
        citation_precision=alce.precision,
        forbidden_found=metrics.forbidden_found(plan, item.forbidden),
        degraded=plan.degraded,
        llm=plan.llm,
    )


def retrieval_rank(item: GoldenItem, store: Any, groups: list[str] | None) -> int | None:
    if item.refuse or not item.sources:
        return None
    passages = store.search(expand_query(item.question), 5, groups=groups, method="hybrid")
    return metrics.first_relevant_rank([p.source for p in passages], item.sources)


def _failed(item: GoldenItem, exc: Exception) -> QuestionResult:
    """A question whose run raised: it scores zero everywhere and says why."""
    return QuestionResult(
        **_identity(item),
        missed_key_points=list(item.key_points),
        missed_gaps=list(item.gaps),
        error=f"{type(exc).__name__}: {exc}",
    )


async def evaluate(
    items: list[GoldenItem],
    *,
    store: Any,
    settings: Settings,
    groups: list[str] | None = None,
    on_result: Callable[[QuestionResult], None] | None = None,
) -> EvalRun:
    results: list[QuestionResult] = []
    if items:  # latencies are warm: the first plan pays for lazy imports and index loading
        warm = settings.model_copy(update={"mode": "offline"})  # a model call would warm nothing
        with contextlib.suppress(Exception):
            await plan_with_evidence(items[0], store=store, settings=warm, groups=groups)
    for item in items:
        started = perf_counter()
        try:
            # A follow-up's earlier turns are set up untimed: the latency is the follow-up's plan.
            thread = await open_thread(item, store=store, settings=settings, groups=groups)
            started = perf_counter()
            plan, evidence = await plan_with_evidence(
                item, store=store, settings=settings, groups=groups, thread=thread
            )
            elapsed = perf_counter() - started
            result = score(item, plan, evidence)
        except Exception as exc:  # one broken question must not hide the others' scores
            elapsed = perf_counter() - started
            result = _failed(item, exc)
        result.latency_s = elapsed
        result.retrieval_rank = retrieval_rank(item, store, groups)
        results.append(result)
        if on_result:
            on_result(result)
    return EvalRun(aggregate(results), results)


def _progress_line(result: QuestionResult) -> str:
    """One line per question for a log (`nohup advisor eval ... &`): a slow endpoint's run is
    watched by tailing it."""
    nodes = " ".join(f"{c.node}={c.outcome}" + (f"({c.reason.split(':', 1)[0]})" if c.reason else "")
                     for c in result.llm)  # fmt: skip
    state = "error" if result.error else "degraded" if result.degraded else "ok"
    return (
        f"{result.id}: {result.latency_s:.1f} s, {state}, {result.citations_total} citations {nodes}".rstrip()
    )


def run_eval(
    golden: Path,
    *,
    corpus: Path | None = None,
    mode: str | None = None,
    show_progress: bool = False,
    sample: int | None = None,
    seed: int = 0,
) -> EvalRun:
    every = load_golden(golden)
    items = sample_golden(every, sample, seed)
    subset = (
        f"{len(items)} of {len(every)} questions (--sample {sample} --seed {seed})"
        if len(items) < len(every)
        else None
    )
    settings = eval_settings(mode)
    with open_store(settings, corpus) as (store, used):
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns, console=console, transient=True, disable=not show_progress) as bar:
            task = bar.add_task("Evaluating", total=len(items))

            def advance(result: QuestionResult) -> None:
                bar.update(task, advance=1, description=f"Evaluating {result.id}")
                if not show_progress:
                    console.print(_progress_line(result), highlight=False, markup=False, soft_wrap=True)

            run = asyncio.run(evaluate(items, store=store, settings=used, groups=None, on_result=advance))
    run.subset = subset
    return run
