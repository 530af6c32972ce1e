"""Which of the question's facets the plan's evidence answers, and the gaps it must admit.

A facet is covered when a cited quote addresses it: names the industry, the system, the data
subject, or speaks to the constraint (outsourcing for a small team, money amounts for a budget,
multi-year planning for a long horizon). What no cited quote covers is named in `gaps`, in the
answer language, from the templates in agents/data/facets.yaml. A topic word the documents never
mention is a gap; one they mention but this plan did not cite is left to retrieval.
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
_MULTI_YEAR = re.compile(r"[2-9两三四五]\s*(到|至|-|–)?\s*[2-9三四五]?\s*年|长期|未来几年|中长期|多年")


def addresses(facet: QuestionFacet, quote: str) -> bool:
    if facet.kind == "budget" and _AMOUNT.search(facet.value):  # a price list is no budget: both are needed
        return _AMOUNT.search(quote) is not None and any(w in quote for w in facet.evidence)
    if facet.kind == "horizon":
        return (facet.months or 0) <= 12 or _MULTI_YEAR.search(quote) is not None
    low = quote.lower()
    return any(w.lower() in low for w in facet.evidence)


def gap_text(facet: QuestionFacet, language: Language) -> str:
    kind = facet.kind if facet.kind in _TEMPLATES else "topic"
    return _TEMPLATES[kind][language].format(value=facet.value)


def coverage(
    facets: Sequence[QuestionFacet],
    cited: Sequence[str],
    evidence: Sequence[str],
    language: Language,
    in_corpus: Any = None,
) -> tuple[list[Facet], list[str]]:
    """(facets with `covered`, gaps). `in_corpus(word) -> bool` says whether any document the
    caller may see mentions a topic word; without it, the plan's evidence stands in."""
    out: list[Facet] = []
    gaps: list[str] = []
    pool = "\n".join(evidence).lower()
    for f in facets:
        covered: bool | None = any(addresses(f, q) for q in cited)
        if not covered and f.kind == "topic" and language == "en":
            covered = None  # an English word's dictionary senses are too loose to claim the documents lack it
        elif not covered and f.kind == "topic":
            mentioned = any(in_corpus(w) if in_corpus else w.lower() in pool for w in f.evidence)
            # mentioned but not cited is not a gap to admit, nor is a word that may be a mis-segmentation
            covered = None if mentioned or not f.known else False
        out.append(f.facet(bool(covered)))
        if covered is False:
            gaps.append(gap_text(f, language))
    return out, list(dict.fromkeys(gaps))
