"""The eval's LLM cost and per-node outcome figures."""

from __future__ import annotations

from agents.state import LLMCall
from evals.llm_cost import llm_figures, llm_rows, llm_summary, plan_rows
from evals.results import QuestionResult


def _call(node: str, outcome: str, reason: str | None = None, tokens: int = 10) -> LLMCall:
    return LLMCall.model_validate(
        {"node": node, "outcome": outcome, "reason": reason, "method": "tools", "attempts": 1,
         "latency_ms": 2000.0, "prompt_tokens": tokens, "completion_tokens": tokens // 2}
    )  # fmt: skip


def test_outcomes_are_counted_per_node_with_their_causes() -> None:
    results = [
        QuestionResult(
            id="a", question="q", llm=[_call("planner", "llm"), _call("specialist:a", "repaired")]
        ),
        QuestionResult(
            id="b", question="q", degraded=True,
            llm=[_call("planner", "llm"), _call("specialist:org", "degraded", "timeout: after 2 s")],
        ),
        QuestionResult(id="c", question="q", latency_s=0.04),  # an offline plan: no calls
    ]  # fmt: skip
    results[0].latency_s, results[1].latency_s = 12.0, 130.5
    figures = llm_figures(results)
    assert figures is not None
    assert figures["plans_degraded"] == 1 and figures["calls"] == 4 and figures["prompt_tokens"] == 40
    assert figures["nodes"]["specialist"] == {
        "llm": 0, "repaired": 1, "degraded": 1, "why": {"timeout": 1},
        "mean_latency_s": 2.0, "prompt_tokens": 20, "completion_tokens": 10,
    }  # fmt: skip
    assert ["specialist", "0", "1", "1", "timeout 1", "2.0", "20/10"] in llm_rows(figures)
    assert llm_summary(figures).startswith("1 of 3 plans degraded; 4 requests")
    assert llm_summary(figures).endswith("plan latency min 0.0 s, median 12.0 s, max 130.5 s")
    assert plan_rows(results)[1] == [
        "b", "130.5", "yes", "planner: llm, tools, 2.0; specialist:org: degraded (timeout), tools, 2.0"
    ]  # fmt: skip
    assert llm_figures([QuestionResult(id="c", question="q")]) is None
