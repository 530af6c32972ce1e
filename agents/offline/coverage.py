"""Which of the question's facets the plan's evidence answers, and the gaps it must admit.

A facet is covered when a cited quote addresses it: names the industry, the system, the use case,
the data subject (a synonym or translation counts), or speaks to the constraint (outsourcing for a
small team, money amounts for a budget, multi-year planning for a long horizon). What no cited
quote covers is named in `gaps`, in the answer language, from the templates in
agents/data/facets.yaml. A subject word the documents never mention is a gap too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from agents.language.dictionary import english_to_chinese
from agents.language.glossary import glossary_terms
from agents.language.lexicon import DURATION, DURATION_ASK
from agents.language.vocab import load
from agents.offline.counted import headcount_words
from agents.offline.facets import QuestionFacet, named_industries
from agents.state import Facet, Language
from store.index.lexical import cut_for_search

_CONSTRAINTS: dict[str, Any] = load("facets")["constraints"]
_TEMPLATES: dict[str, dict[str, str]] = load("facets")["gap_templates"]
_NEAR: dict[str, list[str]] = _CONSTRAINTS["figures"]["near"]
_INTEGRATION: tuple[str, ...] = tuple(load("facets")["systems"]["evidence"])  # words of integration practice
_AMOUNT = re.compile(_CONSTRAINTS["budget"]["amount"], re.IGNORECASE)
_PROTECTION: tuple[str, ...] = tuple(_CONSTRAINTS["data"]["evidence"])
_NUMBER = re.compile(r"\d|[一二三四五六七八九十两]\s*(个|名|人|年|月|天|小时|次|万|倍|成)")
_ASKS = re.compile(r"[？?]\s*$")
_MULTI_YEAR = re.compile(_CONSTRAINTS["horizon"]["multi_year"], re.IGNORECASE)
_SPEAKS_OF_THE_PLAN = frozenset({"industry", "team", "horizon", "system", "use_case"})
SHOWN_SENSES = 2  # a gap names a dictionary translation only from an entry with at most this many senses


def addresses(facet: QuestionFacet, quote: str, own: frozenset[str] = frozenset()) -> bool:
    """Whether a quote answers a facet. `own` are the question's industries: a figure written for
    another industry (a film's production cost) answers no budget or number the question asks for."""
    if facet.kind in ("budget", "figures") and named_industries(quote) - own:
        return False
    if _ASKS.search(quote):  # a question (a heading such as '如何规划未来3-5年…？') answers nothing
        return False
    if (
        facet.kind == "budget"
    ):  # only a figure answers a budget, and a price list is no budget: both are needed
        priced = not facet.parts or any(w in quote for w in facet.parts[0])  # of what the price is asked
        return _AMOUNT.search(quote) is not None and any(w in quote for w in facet.evidence) and priced
    if facet.kind == "figures" and DURATION_ASK.search(facet.value) and not DURATION.search(quote):
        return False  # '审批要多长时间' is answered by a span of time, not by the budget thresholds
    if facet.kind == "figures":  # a number beside two of the words the question asked it about
        # a word counts through its near words too: '审批要多长时间' by '10个工作日内出具审核意见'
        low = quote.lower()
        shared = sum(1 for w in facet.evidence if any(x.lower() in low for x in (w, *_NEAR.get(w, ()))))
        # one, for English: a word's dictionary sense ('run' -> 跑) rarely occurs in the documents
        # and one for a headcount: '配备2名工程师' gives it with 名 alone
        need = 1 if facet.value.isascii() or headcount_words(facet.value) else min(2, len(facet.evidence))
        counts = all(any(w.lower() in quote.lower() for w in part) for part in facet.parts)
        return _NUMBER.search(quote) is not None and shared >= need and counts
    if facet.kind == "vendor":  # only an outright recommendation names the vendor to pick
        return any(w in quote for w in facet.evidence)
    if facet.kind == "data":  # a sentence that only mentions patients says nothing on protecting their data
        return any(w in quote for w in facet.evidence) and any(w in quote for w in _PROTECTION)
    if facet.kind == "horizon":
        return (facet.months or 0) <= 12 or _MULTI_YEAR.search(quote) is not None
    low = quote.lower()
    if facet.parts:  # 'route planning' read word by word: 策划 alone (内容策划) is no route planning
        return all(any(w.lower() in low for w in part) for part in facet.parts)
    return any(w.lower() in low for w in facet.evidence) or _spelled_apart(facet, low)


def _spelled_apart(facet: QuestionFacet, low: str) -> bool:
    """A Chinese compound the quote writes in its pieces ('系统集成': 现有系统…无缝集成)."""
    word = facet.value
    if facet.kind != "topic" or word.isascii() or len(word) < 4:
        return False
    pieces = [p for p in cut_for_search(word) if len(p) >= 2 and p != word]
    return sum(len(p) for p in pieces) >= len(word) and all(p in low for p in pieces)


def industries_of(facets: Sequence[QuestionFacet]) -> frozenset[str]:
    return frozenset(f.key for f in facets if f.kind == "industry")


def _uncertain(facet: QuestionFacet) -> bool:
    """An English subject word whose Chinese the dictionary only guesses at ('pupils': 瞳孔 first,
    'terms': 规约, 'running': 营运): that the documents never use the guess says nothing of the
    subject, so no gap is raised for it."""
    return facet.value.isascii() and not glossary_terms(facet.value) and not _translations(facet)


def _translations(facet: QuestionFacet) -> list[str]:
    """The Chinese words of an English facet that translate it as a whole: 'auto parts' -> 汽配,
    but nothing for 'loan officers', which no dictionary has as a phrase and whose words alone
    mislead (officers -> 军官). Such a facet is named in English only."""
    pairs = english_to_chinese(facet.value)
    whole = glossary_terms(facet.value) if " " not in facet.value else []
    # a dictionary entry with many senses leads with archaic or military ones (courier -> 信使,
    # headquarters -> 司令部): its senses are shown only when the entry is that unambiguous
    if len(pairs) == 1 and pairs[0][0] == facet.value.lower() and len(pairs[0][1]) <= SHOWN_SENSES:
        whole += pairs[0][1]
    return [w for w in facet.evidence if w in whole]


def gap_text(facet: QuestionFacet, language: Language, planned: bool = True) -> str:
    """The gap in the answer language; an English use case or topic also names the Chinese words
    looked for, since the documents may be Chinese: 'triage' (分诊/导诊). Without a plan (the
    documents do not answer the question at all) a gap names only what is missing, never 'the
    plan below'."""
    kind = facet.kind if facet.kind in _TEMPLATES else "topic"
    if not planned and kind in _SPEAKS_OF_THE_PLAN:
        kind = "topic"
    if kind == "budget" and not _AMOUNT.search(facet.value):  # '那预算呢？' names no amount to cover
        kind = "budget_open"
    terms = "/".join(w for w in _translations(facet)[:3] if w != facet.value)
    shown = f" ({terms})" if language == "en" and kind in ("use_case", "topic") and terms else ""
    return _TEMPLATES[kind][language].format(value=facet.value, terms=shown)


def beyond(facets: Sequence[QuestionFacet], used_spans: Iterable[str], language: Language) -> list[str]:
    """Gaps in the roadmap's time: cited actions that stop before the horizon asked for ('0-6'
    used, 36 months asked), and a span between two planned ones that holds none ('12-24' between
    '6-12' and '24-36'): either would otherwise read as planned when nothing supports it."""
    months = max((f.months or 0 for f in facets if f.kind == "horizon"), default=0)
    spans = sorted(
        {(int(m.group(1)), int(m.group(2))) for s in used_spans if (m := re.fullmatch(r"(\d+)-(\d+)", s))}
    )
    if not months or not spans:
        return []
    # a span between two that hold actions and holds none itself ('0-6', '6-12', '24-36': 12–24)
    holes = [
        (a_end, b_start)
        for (_, a_end), (b_start, _) in zip(spans, spans[1:], strict=False)
        if b_start > a_end
    ]
    out = [_TEMPLATES["horizon_hole"][language].format(start=a, end=b) for a, b in holes]
    end = max(e for _, e in spans)
    return out + (
        [_TEMPLATES["horizon_beyond"][language].format(end=end, months=months)] if end < months else []
    )


def coverage(
    facets: Sequence[QuestionFacet],
    cited: Sequence[str],
    evidence: Sequence[str],
    language: Language,
    in_corpus: Any = None,
    used_spans: Iterable[str] = (),
    planned: bool = True,
    steps: Sequence[str] | None = None,
) -> tuple[list[Facet], list[str]]:
    """(facets with `covered`, gaps). A facet is covered only when a cited quote names it (its term,
    a synonym or a translation); a stated constraint or use case no cited quote names is a gap. A
    subject word is a gap only when no document mentions it at all: a word as loose as 障碍
    ('obstacles') is often answered in other words. `in_corpus(word) -> bool` says whether any
    document the caller may see mentions a word; without it, the plan's evidence stands in.
    `used_spans` are the roadmap spans that hold cited actions; `steps` the quotes of the roadmap's
    steps (a missing system's gap points to integration practice only when one of them gives it)."""
    out: list[Facet] = []
    gaps: list[str] = []
    pool = "\n".join(evidence).lower()
    own = industries_of(facets)

    def named(f: QuestionFacet) -> bool:  # some document mentions one of the facet's words
        return any(in_corpus(w) if in_corpus else w.lower() in pool for w in f.evidence)

    for f in facets:
        covered = any(addresses(f, q, own) for q in cited)
        if not (covered or f.known):
            continue  # perhaps a mis-segmentation: searched for, never shown
        # a year or less is a span any plan fits, not something the documents must name ('今年')
        gap = not covered and not (f.kind == "horizon" and (f.months or 0) <= 12)
        if not covered and f.kind == "topic":
            gap = not named(f) and not _uncertain(f)
            gap = gap and not any(_spelled_apart(f, e.lower()) for e in evidence)  # '系统集成': 现有系统…集成
        out.append(f.facet(covered))
        integrates = planned and (steps is None or any(w in q for q in steps for w in _INTEGRATION))
        if gap and f.kind == "system":
            # 'CRM系统等' in a list, a section on CRM: the corpus names the system, nothing cited speaks to it
            kind = ("system_in_passing" if named(f) else "system") if integrates else "system_bare"
            mentioned = "_mentioned" if kind == "system_bare" and named(f) else ""
            gaps.append(_TEMPLATES[kind + mentioned][language].format(value=f.value))
        elif gap:
            gaps.append(gap_text(f, language, planned))
    return out, list(dict.fromkeys([*gaps, *beyond(facets, used_spans, language)]))
