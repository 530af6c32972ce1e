"""The eval's LLM cost and per-node outcome figures."""

from __future__ import annotations

from agents.state import LLMCall
from evals.llm_cost import llm_figures, llm_rows, llm_summary
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
        QuestionResult(id="c", question="q"),  # an offline plan: no calls
    ]  # fmt: skip
    figures = llm_figures(results)
    assert figures is not None
    assert figures["plans_degraded"] == 1 and figures["calls"] == 4 and figures["prompt_tokens"] == 40
    assert figures["nodes"]["specialist"] == {
        "llm": 0, "repaired": 1, "degraded": 1, "why": {"timeout": 1},
        "mean_latency_s": 2.0, "prompt_tokens": 20, "completion_tokens": 10,
    }  # fmt: skip
    assert ["specialist", "0", "1", "1", "timeout 1", "2.0", "20/10"] in llm_rows(figures)
    assert llm_summary(figures).startswith("1 of 3 plans degraded; 4 requests")
    assert llm_figures([QuestionResult(id="c", question="q")]) is None
