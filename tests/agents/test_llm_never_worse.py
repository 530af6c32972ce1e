"""Never worse than offline: when every model call fails, the LLM-mode plan is the offline plan.

Golden questions (planning, English, security, out of scope) are asked twice against the seed
corpus: offline, and in LLM mode against an endpoint that fails every call in one way. The
degraded plan must carry the offline plan's content unchanged (the same summary, items,
citations, gaps and refusal) and each degraded reason must name the real cause.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from llm_script import ask

from agents.state import AdoptionPlan
from evals.golden import GoldenItem, load_golden
from evals.scripted_llm import JSON, Reply, ScriptedLLMServer
from settings import Settings

GOLDEN = {item.id: item for item in load_golden(Path(__file__).parents[2] / "evals" / "golden.jsonl")}
QUESTIONS = ["plan-01", "plan-09", "sec-09", "oos-05"]
# What differs by design between the two plans: the mode, and the record of the model's failure.
ACCOUNTING = {"mode", "degraded", "degraded_reasons", "llm_calls", "llm"}


def _failing(cause: str) -> Any:
    def respond(request: JSON) -> Reply:
        if cause == "http":
            return Reply.error(500, "scripted outage")
        return Reply.text("I would rather explain in prose: start small, then scale.")  # never JSON

    return respond


def _content(plan: AdoptionPlan) -> dict[str, Any]:
    return plan.model_dump(exclude=ACCOUNTING)


@pytest.mark.parametrize("qid", QUESTIONS)
@pytest.mark.parametrize(("cause", "reason"), [("http", "http"), ("prose", "invalid_json")])
def test_a_plan_whose_calls_all_fail_is_the_offline_plan(
    seed_store: Any,
    scripted_llm: ScriptedLLMServer,
    llm_settings: Settings,
    qid: str,
    cause: str,
    reason: str,
) -> None:
    item: GoldenItem = GOLDEN[qid]
    offline = ask(seed_store, llm_settings.model_copy(update={"mode": "offline"}), item.question)
    scripted_llm.responder = _failing(cause)
    plan = ask(seed_store, llm_settings, item.question)

    assert plan.mode == "llm" and offline.mode == "offline"
    assert _content(plan) == _content(offline)
    assert plan.refused == item.refuse
    assert plan.llm and all(c.outcome == "degraded" for c in plan.llm)
    assert plan.degraded and len(plan.degraded_reasons) == len(plan.llm)
    for call, line in zip(plan.llm, plan.degraded_reasons, strict=True):
        assert call.reason and call.reason.startswith(reason), call
        assert f"({reason}:" in line, line
