"""The recall node: returns a plan the planner drew from the thread's previous plan.

A follow-up such as 「哪些该先做？」 is answered by ranking the earlier plan's actions
(agents.offline.first_steps); its quotes were verified when that plan was made, so no specialist,
synthesizer or verifier runs again.
"""

from __future__ import annotations

from typing import Any

from langgraph.config import get_config

from agents.state import AdvisorState, Turn


def recall(state: AdvisorState) -> dict[str, Any]:
    plan = state.get("draft")
    if plan is None:
        raise ValueError("recall reached without a plan")
    plan = plan.model_copy(update={"thread_id": (get_config().get("configurable") or {}).get("thread_id")})
    return {"plan": plan, "turns": [Turn(question=state["question"], plan=plan)]}
