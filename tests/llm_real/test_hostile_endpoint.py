"""A hostile proxy in front of the real server: every plan is honest and ends within 2× the deadline.

The proxy plays endpoint faults the local model never shows: junk bytes, HTTP 500, a body that
drips forever, a connection that never answers, and replies without the tool call that was asked
for. Whatever it does, an in-scope question gets an LLM plan with valid citations or a degraded
plan with the offline content and the real cause in `degraded_reasons`; never an empty refusal.

Wall time is checked only as a bound, never as a performance figure: a plan must end within twice
the configured call deadline (`ADVISOR_LLM_TIMEOUT_S`). That is a correctness property (the plan's
budget is 1.5 deadlines, see `Settings.plan_llm_budget_s`), and 2× leaves half a deadline for
retrieval, the offline fallback and the verifier even on a busy two-core machine.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from llm_script import EN, ZH, ask, assert_honest, chain_failures, real_settings, report

from evals.llm_local.proxy import MisbehavingProxy, Misbehaviour
from settings import Settings

DEADLINE_S = 40.0  # the configured call deadline; the real model answers a call in 3-120 s here
CAUSES = {  # fault -> the cause every degraded node of its plan must name
    "junk": ("invalid_response",),
    "http_500": ("http",),
    "drip": ("timeout", "skipped"),
    "hang": ("timeout", "skipped"),
}


def _settings(url: str, tmp: Path) -> Settings:
    return real_settings(url, tmp, llm_timeout_s=DEADLINE_S, llm_budget_s=600.0)  # the budget is capped


@pytest.mark.parametrize("fault", list(CAUSES))
def test_a_broken_endpoint_gives_the_offline_plan_within_the_deadline(
    seed_store: Any, llm_url: str, tmp_path: Path, fault: Any
) -> None:
    with MisbehavingProxy(llm_url, Misbehaviour(fault=fault)) as proxy:
        started = time.monotonic()
        plan = ask(seed_store, _settings(proxy.base_url, tmp_path), ZH)
        elapsed = time.monotonic() - started
    print(fault, f"{elapsed:.1f} s", report(plan))
    assert elapsed < 2 * DEADLINE_S, f"{elapsed:.1f} s"
    assert plan.degraded and plan.llm and all(c.outcome == "degraded" for c in plan.llm)
    assert all(c.reason and c.reason.startswith(CAUSES[fault]) for c in plan.llm), report(plan)
    offline = ask(seed_store, _settings(proxy.base_url, tmp_path).model_copy(update={"mode": "offline"}), ZH)
    assert (plan.summary, plan.actions, plan.citations) == (
        offline.summary,
        offline.actions,
        offline.citations,
    )
    assert_honest(plan, seed_store)


def test_tool_less_replies_from_the_real_model_stay_honest_within_the_deadline(
    seed_store: Any, llm_url: str, tmp_path: Path
) -> None:
    """The server drops `tools` and answers in prose: the chain moves on to a JSON method, and the
    plan (model-made or degraded) still ends within the bound."""
    with MisbehavingProxy(llm_url, Misbehaviour(ignore_tools=True)) as proxy:
        started = time.monotonic()
        plan = ask(seed_store, _settings(proxy.base_url, tmp_path), EN)
        elapsed = time.monotonic() - started
    print(f"{elapsed:.1f} s", report(plan))
    assert elapsed < 2 * DEADLINE_S, f"{elapsed:.1f} s"
    assert not chain_failures(plan), report(plan)  # a reply without the tool call moves the chain on
    assert_honest(plan, seed_store)
