"""Which of the question's facets the plan's evidence answers, and the gaps it must admit.

A facet is covered when a cited quote addresses it: names the industry, the system, the use case,
the data subject (a synonym or translation counts), or speaks to the constraint (outsourcing for a
small team, money amounts for a budget, multi-year planning for a long horizon). What no cited
quote covers is named in `gaps`, in the answer language, from the templates in
agents/data/facets.yaml. A subject word the documents never mention is a gap too.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from agents.language.vocab import load
from agents.offline.facets import QuestionFacet
from agents.state import Facet, Language

_TEMPLATES: dict[str, dict[str, str]] = load("facets")["gap_templates"]
_AMOUNT = re.compile(load("facets")["constraints"]["budget"]["amount"], re.IGNORECASE)
_PROTECTION: tuple[str, ...] = tuple(load("facets")["constraints"]["data"]["evidence"])
_NUMBER = re.compile(r"\d|[一二三四五六七八九十两]\s*(个|名|人|年|月|天|小时|次|万|倍|成)")
_MULTI_YEAR = re.compile(r"[2-9两三四五]\s*(到|至|-|–)?\s*[2-9三四五]?\s*年|长期|未来几年|中长期|多年")


def addresses(facet: QuestionFacet, quote: str) -> bool:
    if facet.kind == "budget" and _AMOUNT.search(facet.value):  # a price list is no budget: both are needed
        return _AMOUNT.search(quote) is not None and any(w in quote for w in facet.evidence)
    if facet.kind == "figures":  # a number beside two of the words the question asked it about
        shared = sum(1 for w in facet.evidence if w.lower() in quote.lower())
        # one, for English: a word's dictionary sense ('run' -> 跑) rarely occurs in the documents
        need = 1 if facet.value.isascii() else min(2, len(facet.evidence))
        return _NUMBER.search(quote) is not None and shared >= need
    if facet.kind == "data":  # a sentence that only mentions patients says nothing on protecting their data
        return any(w in quote for w in facet.evidence) and any(w in quote for w in _PROTECTION)
    if facet.kind == "horizon":
        return (facet.months or 0) <= 12 or _MULTI_YEAR.search(quote) is not None
    low = quote.lower()
    return any(w.lower() in low for w in facet.evidence)


def gap_text(facet: QuestionFacet, language: Language) -> str:
    """The gap in the answer language; an English use case or topic also names the Chinese words
    looked for, since the documents may be Chinese: 'triage' (分诊/导诊)."""
    kind = facet.kind if facet.kind in _TEMPLATES else "topic"
    terms = "/".join(w for w in facet.evidence[:3] if w != facet.value)
    shown = f" ({terms})" if language == "en" and kind in ("use_case", "topic") and terms else ""
    return _TEMPLATES[kind][language].format(value=facet.value, terms=shown)


def coverage(
    facets: Sequence[QuestionFacet],
    cited: Sequence[str],
    evidence: Sequence[str],
    language: Language,
    in_corpus: Any = None,
) -> tuple[list[Facet], list[str]]:
    """(facets with `covered`, gaps). A facet is covered only when a cited quote names it (its term,
    a synonym or a translation); a stated constraint or use case no cited quote names is a gap. A
    subject word is a gap only when no document mentions it at all: a word as loose as 障碍
    ('obstacles') is often answered in other words. `in_corpus(word) -> bool` says whether any
    document the caller may see mentions a word; without it, the plan's evidence stands in."""
    out: list[Facet] = []
    gaps: list[str] = []
    pool = "\n".join(evidence).lower()
    for f in facets:
        covered = any(addresses(f, q) for q in cited)
        if not (covered or f.known):
            continue  # perhaps a mis-segmentation: searched for, never shown
        gap = not covered
        if not covered and f.kind == "topic":
            gap = not any(in_corpus(w) if in_corpus else w.lower() in pool for w in f.evidence)
        out.append(f.facet(covered))
        if gap:
            gaps.append(gap_text(f, language))
    return out, list(dict.fromkeys(gaps))
