"""Per-question scores and their aggregation; the definitions the README documents.

Pure functions over `AdoptionPlan`s, so each metric can be tested on hand-made plans.
The plan text that key points are matched against is the advice itself (summary,
challenges, actions, risks with mitigations, KPIs), never the quoted passages: quotes
are copied from the corpus, so counting them would credit a plan for evidence it
merely retrieved rather than advice it gives.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath

import numpy as np

from agents.state import AdoptionPlan, Evidence, Language

Judge = Callable[[str, Language, Sequence[str]], bool]
"""The support judge: do these passages, together, support the statement (in this language)?"""

_SPACE = re.compile(r"\s+")
_ELLIPSIS = re.compile(r"…+|\.{3,}")


def normalize(text: str) -> str:
    return _SPACE.sub(" ", text).casefold().strip()


def plan_text(plan: AdoptionPlan) -> str:
    parts = [plan.summary]
    parts += [c.text for c in plan.challenges]
    parts += [a.text for a in plan.actions]
    parts += [f"{r.risk} {r.mitigation}" for r in plan.risks]
    parts += [f"{k.name} {k.target}" for k in plan.kpis]
    return "\n".join(p for p in parts if p)


def covered_key_points(text: str, key_points: Sequence[Sequence[str]]) -> list[bool]:
    """A key point is covered when any phrasing occurs, case- and spacing-insensitively."""
    hay = normalize(text)
    return [any(normalize(p) in hay for p in kp) for kp in key_points]


def covered_gaps(plan: AdoptionPlan, gaps: Sequence[Sequence[str]]) -> list[bool]:
    """Which expected gaps the plan names in `gaps` (same matching as key points)."""
    return covered_key_points("\n".join(plan.gaps), gaps)


def area_scores(consulted: Iterable[str], expected: Iterable[str]) -> tuple[float, float]:
    """(recall, precision) of the consulted areas; nothing consulted scores 0 on both."""
    got, want = set(consulted), set(expected)
    hit = len(got & want)
    recall = hit / len(want) if want else 1.0
    precision = hit / len(got) if got else 0.0
    return recall, precision


def source_name(source: str) -> str:
    return PurePath(source).name


def source_recall(plan: AdoptionPlan, expected: Iterable[str]) -> float:
    want = {source_name(s) for s in expected}
    if not want:
        return 1.0
    cited = {source_name(c.source) for c in plan.citations}
    return len(want & cited) / len(want)


def first_relevant_rank(ranked_sources: Sequence[str], expected: Iterable[str]) -> int | None:
    """1-based rank of the first passage from an expected source, or None."""
    want = {source_name(s) for s in expected}
    for rank, src in enumerate(ranked_sources, 1):
        if source_name(src) in want:
            return rank
    return None


@dataclass
class CitationCheck:
    total: int = 0
    valid: int = 0
    problems: list[str] = field(default_factory=list)


def _quote_in(quote: str, passage: str) -> bool:
    """Verbatim up to whitespace; an elided quote ("a … b") must match piece by piece."""
    text = normalize(passage)
    pieces = [normalize(p) for p in _ELLIPSIS.split(quote) if p.strip()]
    return bool(pieces) and all(p in text for p in pieces)


def _referenced_numbers(plan: AdoptionPlan) -> list[int]:
    nums = list(plan.summary_citations)
    for group in (plan.challenges, plan.actions, plan.risks, plan.kpis):
        for item in group:
            nums += item.citations
    return nums


def check_citations(plan: AdoptionPlan, evidence: Mapping[str, Evidence]) -> CitationCheck:
    """Each citation must name a passage retrieved for this plan and quote it verbatim;
    a `[n]` used in the plan without a matching citation counts as one more invalid one."""
    check = CitationCheck()
    for c in plan.citations:
        check.total += 1
        ev = evidence.get(c.chunk_id)
        if ev is None:
            check.problems.append(f"[{c.id}] cites {c.chunk_id}, which was not retrieved for this plan")
        elif source_name(ev.source) != source_name(c.source):
            check.problems.append(f"[{c.id}] names source {c.source}, the passage is from {ev.source}")
        elif not _quote_in(c.quote, ev.text):
            check.problems.append(f"[{c.id}] quote is not verbatim from its passage")
        else:
            check.valid += 1
    known = {c.id for c in plan.citations}
    for n in sorted(set(_referenced_numbers(plan)) - known):
        check.total += 1
        check.problems.append(f"[{n}] is used in the plan but has no citation")
    return check


_MARK = re.compile(r"\s?\[(\d+)\]")
_SENTENCE = re.compile(r"(?<=[。！？])|(?<=[.!?])\s+(?=[A-Z])")


def statements(plan: AdoptionPlan) -> list[tuple[str, list[int]]]:
    """The plan's checkable statements with the citation numbers each stands on.

    The same units the verifier checks: each summary sentence (citing its own [n] markers,
    or the summary's citations when it has none), each challenge, action, risk with its
    mitigation, and each KPI's name.
    """
    out: list[tuple[str, list[int]]] = []
    unmarked = not _MARK.search(plan.summary)
    for sentence in (s for s in _SENTENCE.split(plan.summary) if s.strip()):
        nums = list(plan.summary_citations) if unmarked else [int(n) for n in _MARK.findall(sentence)]
        out.append((_MARK.sub("", sentence).strip(), nums))
    out += [(c.text, list(c.citations)) for c in plan.challenges]
    out += [(a.text, list(a.citations)) for a in plan.actions]
    out += [(f"{r.risk} {r.mitigation}", list(r.citations)) for r in plan.risks]
    out += [(k.name, list(k.citations)) for k in plan.kpis]
    return out


@dataclass
class AlceScore:
    statements: int = 0
    supported: int = 0
    citations: int = 0
    precise: int = 0

    @property
    def recall(self) -> float:
        return self.supported / self.statements if self.statements else 0.0

    @property
    def precision(self) -> float:
        return self.precise / self.citations if self.citations else 0.0


def alce_scores(plan: AdoptionPlan, judge: Judge) -> AlceScore:
    """ALCE (Gao et al., 2023). A statement is supported when its cited passages together
    support it. A citation is precise when its statement is supported and the citation is
    needed: it supports the statement alone, or the others without it do not."""
    quotes = {c.id: c.quote for c in plan.citations}
    lang = plan.language
    score = AlceScore()
    for text, cited in statements(plan):
        nums = list(dict.fromkeys(cited))
        score.statements += 1
        score.citations += len(nums)
        passages = [quotes[n] for n in nums if n in quotes]
        if not passages or not judge(text, lang, passages):
            continue
        score.supported += 1
        for i, n in enumerate(nums):
            rest = [quotes[m] for j, m in enumerate(nums) if j != i and m in quotes]
            alone = n in quotes and judge(text, lang, [quotes[n]])
            if alone or not rest or not judge(text, lang, rest):
                score.precise += 1
    return score


def refusal_correct(plan: AdoptionPlan, refuse: bool) -> bool:
    """A refusal counts only when it is clean: no citations and no advice."""
    if refuse:
        return plan.refused and not plan.citations and not plan.actions
    return not plan.refused


def forbidden_found(plan: AdoptionPlan, phrases: Iterable[str]) -> list[str]:
    hay = normalize(f"{plan_text(plan)}\n{plan.refusal_reason or ''}")
    return [p for p in phrases if normalize(p) in hay]


def percentile(values: Sequence[float], q: float) -> float:
    return float(np.percentile(values, q)) if values else 0.0


def mean(values: Iterable[float]) -> float:
    vals = list(values)
    return float(sum(vals) / len(vals)) if vals else 0.0
