"""What LLM mode cost over an eval run, and how each node fared: beside the quality figures.

Tokens come from the endpoint's `usage` (never a local tokenizer). A node's outcome is `llm`
(used as returned), `repaired` (used after one retry that fed the error back) or `degraded`
(its offline result was used); degraded ones are grouped by cause (`timeout`, `schema`, ...).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from statistics import median
from typing import Any, Protocol

from agents.state import LLMCall
from evals.metrics import mean


class PlanCalls(Protocol):
    """One plan's outcome as the eval keeps it (`evals.results.QuestionResult`)."""

    id: str
    degraded: bool
    latency_s: float
    llm: list[LLMCall]


COLUMNS = ("node", "llm", "repaired", "degraded", "degraded why", "mean s", "tokens in/out")
PLAN_COLUMNS = ("question", "plan s", "degraded", "calls (node: outcome, method, s)")


def _kind(reason: str | None) -> str:
    return (reason or "?").split(":", 1)[0]


def llm_figures(results: Sequence[PlanCalls]) -> dict[str, Any] | None:
    """Totals and per-node outcomes; None when no question reached a model."""
    calls = [c for r in results for c in r.llm]
    if not calls:
        return None
    nodes: dict[str, dict[str, Any]] = defaultdict(lambda: {"llm": 0, "repaired": 0, "degraded": 0})
    why: dict[str, Counter[str]] = defaultdict(Counter)
    for c in calls:
        node = c.node.split(":", 1)[0]
        nodes[node][c.outcome] += 1
        if c.outcome == "degraded":
            why[node][_kind(c.reason)] += 1
    for node, row in nodes.items():
        mine = [c for c in calls if c.node.split(":", 1)[0] == node]
        row["why"] = dict(why[node])
        row["mean_latency_s"] = round(mean(c.latency_ms / 1000 for c in mine), 2)
        row["prompt_tokens"] = sum(c.prompt_tokens for c in mine)
        row["completion_tokens"] = sum(c.completion_tokens for c in mine)
    return {
        "plans": len(results),
        "plans_degraded": sum(1 for r in results if r.degraded),
        "calls": sum(c.attempts for c in calls),
        "node_calls": len(calls),
        "prompt_tokens": sum(c.prompt_tokens for c in calls),
        "completion_tokens": sum(c.completion_tokens for c in calls),
        "methods": dict(Counter(c.method for c in calls if c.attempts)),
        "plan_latency_s": sorted(round(r.latency_s, 1) for r in results),
        "nodes": dict(nodes),
    }


def llm_rows(figures: dict[str, Any]) -> list[list[str]]:
    rows = []
    for node, row in figures["nodes"].items():
        why = ", ".join(f"{k} {v}" for k, v in sorted(row["why"].items())) or "-"
        tokens = f"{row['prompt_tokens']}/{row['completion_tokens']}"
        rows.append([node, *(str(row[k]) for k in ("llm", "repaired", "degraded")), why,
                     f"{row['mean_latency_s']:.1f}", tokens])  # fmt: skip
    return rows


def _call_cell(c: LLMCall) -> str:
    why = f" ({_kind(c.reason)})" if c.outcome == "degraded" else ""
    return f"{c.node}: {c.outcome}{why}, {c.method or '-'}, {c.latency_ms / 1000:.1f}"


def plan_rows(results: Sequence[PlanCalls]) -> list[list[str]]:
    """Per plan: its wall time and what each of its model calls came to, in call order."""
    rows = []
    for r in results:
        calls = "; ".join(_call_cell(c) for c in r.llm)
        rows.append([r.id, f"{r.latency_s:.1f}", "yes" if r.degraded else "no", calls or "-"])
    return rows


def llm_summary(figures: dict[str, Any]) -> str:
    methods = ", ".join(f"{k} {v}" for k, v in figures["methods"].items())
    plans = figures["plan_latency_s"]
    return (
        f"{figures['plans_degraded']} of {figures['plans']} plans degraded; {figures['calls']} requests "
        f"for {figures['node_calls']} node calls; tokens {figures['prompt_tokens']} prompt, "
        f"{figures['completion_tokens']} completion; methods: {methods or '-'}; "
        f"plan latency min {plans[0]:.1f} s, median {median(plans):.1f} s, max {plans[-1]:.1f} s"
    )
