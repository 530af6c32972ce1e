"""One plan's model-time budget, and the breaker that stops calling an endpoint that hangs.

A plan's critical path is three calls (planner, specialists in parallel, synthesizer). Each call
gets a hard deadline of `ADVISOR_LLM_TIMEOUT_S`, and no call may outlive the plan's budget
(`ADVISOR_LLM_BUDGET_S`, counted from the first call). After a call of this plan timed out or
could not reach the endpoint, later calls are not sent at all: a hanging endpoint costs one
deadline per plan, not one per node, and the plan comes back degraded with the offline content.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

MIN_CALL_S = 1.0  # a call with less time than this left is not worth sending


@dataclass
class LLMBudget:
    started: float | None = None
    budget_s: float | None = None
    tripped: str | None = None  # why later calls of this plan are skipped

    def start(self, budget_s: float) -> None:
        if self.started is None:
            self.started, self.budget_s = time.monotonic(), budget_s

    def remaining(self) -> float:
        if self.started is None or self.budget_s is None:
            return float("inf")
        return self.budget_s - (time.monotonic() - self.started)

    def call_window(self, timeout_s: float) -> float:
        """Seconds the next call may take: its own deadline, cut to what the plan has left."""
        return min(timeout_s, self.remaining())

    def trip(self, reason: str) -> None:
        self.tripped = self.tripped or reason
