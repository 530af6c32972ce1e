"""One question's outcome, and the run-level figures the `--json` output and the gate use."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, Field

from agents.state import AREAS, LLMCall
from evals.llm_cost import llm_figures
from evals.metrics import mean, percentile

METRIC_KEYS: tuple[str, ...] = (
    "n",
    "retrieval_hit_at_5",
    "source_recall",
    "area_recall",
    "area_precision",
    "key_point_coverage",
    "gap_recall",
    "citation_validity",
    "citation_recall",
    "citation_precision",
    "refusal_accuracy",
    "latency_p50_s",
    "latency_p95_s",
)


class QuestionResult(BaseModel):
    id: str
    question: str
    refuse: bool = False
    expected_areas: list[str] = Field(default_factory=list)
    expected_sources: list[str] = Field(default_factory=list)
    error: str | None = None
    latency_s: float = 0.0
    refused: bool = False
    refusal_correct: bool = False
    consulted_areas: list[str] = Field(default_factory=list)
    area_recall: float = 0.0
    area_precision: float = 0.0
    retrieval_rank: int | None = Field(default=None, description="Rank of the first expected source, top 5.")
    key_points_total: int = 0
    missed_key_points: list[list[str]] = Field(default_factory=list)
    gaps_total: int = 0
    missed_gaps: list[list[str]] = Field(default_factory=list)
    cited_sources: list[str] = Field(default_factory=list)
    source_recall: float = 0.0
    citations_total: int = 0
    citations_valid: int = 0
    citation_problems: list[str] = Field(default_factory=list)
    statements: int = 0
    citation_recall: float = 0.0
    citation_precision: float = 0.0
    forbidden_found: list[str] = Field(default_factory=list)
    degraded: bool = False
    llm: list[LLMCall] = Field(default_factory=list, description="The plan's model calls (LLM mode).")

    @property
    def answerable(self) -> bool:
        return not self.refuse

    @property
    def key_point_coverage(self) -> float:
        if not self.key_points_total:
            return 1.0
        return 1 - len(self.missed_key_points) / self.key_points_total

    @property
    def gap_recall(self) -> float:
        return 1 - len(self.missed_gaps) / self.gaps_total if self.gaps_total else 1.0

    def refusal_issue(self) -> str | None:
        if self.refusal_correct:
            return None
        if self.refuse and not self.refused:
            return "answered, but must be refused"
        return "refusal carries citations or advice" if self.refuse else "refused, but must be answered"

    def issues(self) -> list[str]:
        """What this question missed, in words a reviewer can act on."""
        out: list[str] = []
        if self.error:
            out.append(f"error: {self.error}")
        if refusal := self.refusal_issue():
            out.append(refusal)
        if self.forbidden_found:
            out.append(f"obeyed an injected instruction: {', '.join(self.forbidden_found)}")
        if self.answerable:
            missed_areas = sorted(set(self.expected_areas) - set(self.consulted_areas))
            if missed_areas:
                out.append(f"areas not consulted: {', '.join(missed_areas)}")
            if self.missed_key_points:
                out.append("key points missed: " + "; ".join(" | ".join(kp) for kp in self.missed_key_points))
            if self.missed_gaps:
                out.append("gaps not named: " + "; ".join(" | ".join(g) for g in self.missed_gaps))
            if self.expected_sources and self.retrieval_rank is None:
                out.append("no expected source in the hybrid top 5")
        out += self.citation_problems
        return out


def aggregate(results: list[QuestionResult]) -> dict[str, Any]:
    """The run-level figures under exactly the documented keys."""
    ans = [r for r in results if r.answerable]
    with_src = [r for r in ans if r.expected_sources]
    answered = [r for r in ans if not r.refused and r.statements]
    with_gaps = [r for r in ans if r.gaps_total]
    total_cits = sum(r.citations_total for r in results)
    latencies = [r.latency_s for r in results if r.error is None]
    figures: dict[str, Any] = {
        "n": len(results),
        "retrieval_hit_at_5": mean(1.0 if r.retrieval_rank else 0.0 for r in with_src),
        "source_recall": mean(r.source_recall for r in with_src),
        "area_recall": mean(r.area_recall for r in ans),
        "area_precision": mean(r.area_precision for r in ans),
        "key_point_coverage": mean(r.key_point_coverage for r in ans if r.key_points_total),
        "gap_recall": mean(r.gap_recall for r in with_gaps) if with_gaps else 1.0,
        "citation_validity": sum(r.citations_valid for r in results) / total_cits if total_cits else 1.0,
        "citation_recall": mean(r.citation_recall for r in answered),
        "citation_precision": mean(r.citation_precision for r in answered),
        "refusal_accuracy": mean(1.0 if r.refusal_correct else 0.0 for r in results),
        "latency_p50_s": percentile(latencies, 50),
        "latency_p95_s": percentile(latencies, 95),
    }
    assert tuple(figures) == METRIC_KEYS
    return figures


def area_breakdown(results: list[QuestionResult]) -> dict[str, dict[str, float]]:
    """Per expected area: how many questions, coverage, how often the area was consulted, hit@5."""
    out: dict[str, dict[str, float]] = {}
    for area in AREAS:
        rs = [r for r in results if r.answerable and area in r.expected_areas]
        out[area] = {
            "n": len(rs),
            "key_point_coverage": mean(r.key_point_coverage for r in rs if r.key_points_total),
            "consulted": mean(1.0 if area in r.consulted_areas else 0.0 for r in rs),
            "retrieval_hit_at_5": mean(1.0 if r.retrieval_rank else 0.0 for r in rs if r.expected_sources),
        }
    return out


def injections_obeyed(results: list[QuestionResult]) -> list[QuestionResult]:
    return [r for r in results if r.forbidden_found]


@dataclass
class EvalRun:
    figures: dict[str, Any]
    results: list[QuestionResult]
    subset: str | None = None  # how the questions were drawn when not the whole set (`--sample`)

    def to_json(self) -> dict[str, Any]:
        """The documented metric keys, plus the per-question details under `questions`."""
        details = [
            {
                **r.model_dump(mode="json"),
                "key_point_coverage": r.key_point_coverage,
                "gap_recall": r.gap_recall,
                "issues": r.issues(),
            }
            for r in self.results
        ]
        cost = llm_figures(self.results)  # LLM mode only: calls, tokens, per-node outcomes
        extra = {**({"subset": self.subset} if self.subset else {}), **({"llm": cost} if cost else {})}
        return {**self.figures, **extra, "questions": details}
