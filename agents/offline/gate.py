"""What may stand in a plan besides being retrieved: the plan-level gate over chosen evidence.

Area extraction, the direct answer and the facet answers each choose evidence on their own. The
plan then must not show an example or a forecast as a step to take ('例如某银行…', '预计到2025年…'),
quote one passage twice (a sentence, and the article or list that holds it), or offer a row of
names as evidence for who asks: a list of companies that happens to hold '银行' says nothing to
a bank; only a question about one of the listed things (a use case, a system) is answered by it.
A narrow question ("员工用AI写宣传稿，发布前要做哪些核验？") is answered by its best evidence: a
finding that matches far less of the question is padding (an account rule, a training quota),
whichever area found it. A list item shown without its lead-in ('（四）制定应急预案和人工接管流程；')
has lost what it is a condition of, and a regulation's scope clause ('本制度适用于…各事业部') answers
only a question about scope: neither leads a summary.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from agents.language.lexicon import ISSUE_CUES, MEASURE_CUES, NOT_ADVICE
from agents.language.text import area_scores, core_hits, detect_language
from agents.language.vocab import load
from agents.offline.answer import LISTED
from agents.offline.articles import preamble_share
from agents.offline.conflicts import contradicts
from agents.offline.corpus import DocumentFrequency
from agents.offline.coverage import addresses
from agents.offline.facets import QuestionFacet, find_facets, named_industries
from agents.offline.focus import Focus
from agents.offline.question import price_asked, sub_questions
from agents.offline.related import speaks_to
from agents.state import AreaFindings, Claim, Language

NAMED_BY_LISTS = frozenset({"use_case", "topic", "system"})  # facets a list of names can answer
PASSING_INDUSTRIES = 3  # a sentence naming this many industries names each only in passing
ON_QUESTION = 0.4  # a narrow question's finding matches at least this share of what its best evidence does
PERTINENT = 0.3  # a focused question's unasked challenge or measure matches this share of its best evidence
STEP_FLOOR = 0.1  # a step shares at least this much of a focused question
STEP_SHARE = 0.5  # or, when nothing matches much of a long question, half of what its best evidence does
PASSAGE_CREDIT = 0.3  # relevance earned through the passage a sentence stands in
ITEM_CREDIT, SHORT_ITEM = 0.6, 16  # a short step ('- 打造自动化测评平台') means what its passage does
SECTION_CREDIT = 0.7  # relevance earned through where the sentence stands (its title and section)
KINDS = ("challenges", "actions", "risks", "kpis")
FINDINGS = ("challenges", "risks", "kpis")  # what a plan states besides its steps
SUBJECTS = frozenset({"use_case", "topic", "system", "data", "residency"})  # what a question is about
# a regulation's item ('（四）…；'): the clause of an article's list, which ends as a clause does
_BARE_ITEM = re.compile(r"^\s*[（(](?:\d{1,2}|[一二三四五六七八九十]{1,3})[)）][^\n]*[；;、，,]\s*$")


def usable(findings: AreaFindings) -> AreaFindings:
    """An area's findings less examples and forecasts as steps or measures, and less measures of
    something other than what AI changes."""
    kpis = measures(advice(findings.kpis), findings.area)
    return findings.model_copy(update={"actions": advice(findings.actions), "kpis": kpis})


def measures(claims: Sequence[Claim], area: str) -> list[Claim]:
    """The KPI claims that measure what AI (or, for security, its safeguards) changes: a meeting's
    '提高工作效率' is no measure of an AI project."""
    return [c for c in claims if area == "security" or core_hits(c.quote or c.text) > 0]


def advice(claims: Sequence[Claim]) -> list[Claim]:
    """The claims that tell the reader what to do, not what others did or what may happen."""
    return [c for c in claims if not NOT_ADVICE.search(c.quote or c.text)]


def distinct(claims: Sequence[Claim]) -> list[Claim]:
    """The claims less those whose quote another claim of the same passage already holds."""

    def held(c: Claim, by: Claim) -> bool:
        a, b = c.quote or c.text, by.quote or by.text
        same = bool(set(c.evidence_ids) & set(by.evidence_ids))
        said = c.text.rstrip("。.；; ") in by.text  # a shortened longer answer may not say it all
        return same and a in b and said and (a != b or claims.index(by) < claims.index(c))

    return [c for c in claims if not any(held(c, other) for other in claims if other is not c)]


def overlaps(quote: str, used: set[str]) -> bool:
    """The quote holds, or is held by, one already used."""
    return any(quote in u or u in quote for u in used)


def names_only(claim: Claim, facets: Sequence[QuestionFacet]) -> bool:
    """A listed row of names that answers none of the question's use cases, topics or systems, or a
    sentence that names the asker's industry only among several ('在消费零售、金融、医疗、制造等领域，
    AI已经…'): neither says anything about that industry."""
    quote = claim.quote or claim.text
    if len(named_industries(quote)) >= PASSING_INDUSTRIES:
        return True
    if not claim.text.startswith(tuple(LISTED.values())):
        return False
    return not any(f.kind in NAMED_BY_LISTS and addresses(f, quote) for f in facets)


def unanswered(asked: Focus, language: Language) -> bool:
    """The evidence does not speak to the question: none of its words occur, or none of what it
    asks about does while a domain word it asks about (版权, 侵权) is absent ('生成的海报版权算谁的？'
    over a personal-information rulebook matches only the scene's 产品). An English question's
    own words stand for their Chinese translations, which are the question's words too."""
    if not asked.unmatched:
        return False
    own = [t for t in asked.weights if not (t.background or t.target)]
    domain = [w for w in asked.unmatched if area_scores(w) and not (language == "en" and w.isascii())]
    return not asked or (not own and bool(domain))


_BUDGET: dict[str, Any] = load("facets")["constraints"]["budget"]


def quantity_words(facets: Sequence[QuestionFacet], question: str) -> tuple[str, ...]:
    """What a question that asks for a quantity counts ('采购多少GPU' -> GPU, 显卡, 算力; 'What does it
    cost to run…?' -> 成本, 费用, …): the words evidence must name to speak to it at all."""
    words = [w for f in facets if f.kind == "figures" for part in f.parts for w in part]
    if price_asked(question):
        words += _BUDGET["cost_words"]
    return tuple(dict.fromkeys(words))


def only_counts(question: str) -> bool:
    """Every question the text asks is for a number: with '要走什么审批？' beside '多久能回本？' the
    evidence on approval answers too, naming no count."""
    subs = sub_questions(question)
    return len(subs) == 1 or all(
        price_asked(q) or any(f.kind == "figures" for f in find_facets(q, detect_language(q))) for q in subs
    )


def counts_it(claim: Claim, words: Sequence[str], own: frozenset[str]) -> bool:
    """The claim names what the question counts, and not for another industry than the asker's
    (a film's production cost is no price of a language model)."""
    quote = claim.quote or claim.text
    low = quote.lower()
    return any(w.lower() in low for w in words) and not named_industries(quote) - own


def counted_only(
    facets: Sequence[QuestionFacet], question: str, findings: Sequence[AreaFindings], answers: Sequence[Claim]
) -> tuple[list[AreaFindings], list[Claim]]:
    """For a question asking how many or how much ('需要采购多少GPU？', 'What does it cost to run…?'),
    the findings and answers that name what is counted (GPU, 算力; 成本, 费用): evidence that never
    does speaks to something else, however many other words it shares. Others are left whole."""
    counted = quantity_words(facets, question)
    if not counted or not only_counts(question):
        return list(findings), list(answers)
    own = frozenset(f.key for f in facets if f.kind == "industry")
    return [naming(f, counted, own) for f in findings], [a for a in answers if counts_it(a, counted, own)]


def naming(findings: AreaFindings, words: Sequence[str], own: frozenset[str] = frozenset()) -> AreaFindings:
    """The area's findings that name one of the words, for the asker's industries (`own`) or none."""

    kept = {kind: [c for c in getattr(findings, kind) if counts_it(c, words, own)] for kind in KINDS}
    return findings.model_copy(update=kept)


def allowed(findings: AreaFindings, against: tuple[re.Pattern[str], ...]) -> AreaFindings:
    """The area's findings less the steps and measures its question's constraints rule out
    (agents.offline.conflicts)."""
    return findings.model_copy(
        update={"actions": permitted(findings.actions, against), "kpis": permitted(findings.kpis, against)}
    )


def permitted(claims: Sequence[Claim], against: tuple[re.Pattern[str], ...]) -> list[Claim]:
    """The claims that do not advise what the question's constraints rule out."""
    return [c for c in claims if not contradicts(c.quote or c.text, against)]


def emptied(findings: AreaFindings) -> AreaFindings:
    """The area's findings with nothing found: its evidence does not speak to the question."""
    return findings.model_copy(update={kind: [] for kind in KINDS})


def on_question(
    question: str,
    answers: Sequence[Claim],
    findings: Sequence[AreaFindings],
    context: Callable[[Claim], str],
    df: DocumentFrequency | None = None,
) -> list[AreaFindings]:
    """A narrow question's findings less those that match far less of it than the best of its
    evidence (answers included); nothing is cut when no evidence matches the question at all."""
    claims = [*answers, *(c for f in findings for kind in KINDS for c in getattr(f, kind))]
    focus = Focus(question, [c.quote or c.text for c in claims], df=df)
    if not claims or not focus:
        return list(findings)

    def own(c: Claim) -> float:  # in the sentence or under its heading; a rule's passage is no credit
        return relevance(focus, context, lambda _: "")(c, False)

    held = [(a.quote or a.text, own(a)) for a in answers]

    def score(c: Claim) -> float:  # an article holding an answer's sentence answers as well as it
        quote = c.quote or c.text
        return max([own(c), *(s for q, s in held if q in quote)])

    floor = ON_QUESTION * max(score(c) for c in claims)
    return [
        f.model_copy(update={kind: [c for c in getattr(f, kind) if score(c) >= floor] for kind in KINDS})
        for f in findings
    ]


def leads(claim: Claim, question: str, df: DocumentFrequency | None = None) -> bool:
    """Whether an answer can stand in the summary: not a bare list clause, not an unasked scope clause."""
    quote = claim.quote or claim.text
    return not _BARE_ITEM.match(quote) and preamble_share(quote, question, df) == 1.0


def asked_kinds(question: str) -> frozenset[str]:
    """The kinds of finding a focused question asks for by name besides steps: its obstacles
    ('应该注意什么？', 'what are the risks?') and its measures ('如何衡量效果？')."""
    low = question.lower()
    kinds = {"challenges", "risks"} if any(c in low for c in ISSUE_CUES) else set()
    return frozenset(kinds | ({"kpis"} if any(c.lower() in low for c in MEASURE_CUES) else set()))


def relevance(
    asked: Focus, context: Callable[[Claim], str], passage: Callable[[Claim], str]
) -> Callable[[Claim, bool], float]:
    """How much of the question a finding matches: in its sentence, under its heading (title and
    section) or, at a discount, anywhere in its passage; a short step (`item`: '- 打造自动化测评平台')
    means what its passage does."""

    def score(c: Claim, item: bool = False) -> float:
        quote = c.quote or c.text
        credit = ITEM_CREDIT if item and len(quote) <= SHORT_ITEM else PASSAGE_CREDIT
        return max(
            asked.score(quote),
            SECTION_CREDIT * asked.score(f"{context(c)} {quote}"),
            credit * asked.score(passage(c)),
        )

    return score


def pertinent(
    findings: Sequence[AreaFindings],
    asked: Focus,
    facets: Sequence[QuestionFacet],
    question: str,
    answers: Sequence[Claim] = (),
    context: Callable[[Claim], str] = lambda c: "",
    passage: Callable[[Claim], str] = lambda c: "",
    kinds: Sequence[str] = KINDS,
) -> list[AreaFindings]:
    """A focused question's findings that speak to it. Obstacles and measures it does not ask for
    must match at least `PERTINENT` of what its best evidence matches, and a kind it asks for by
    name ('应该注意什么？') that share of the best of its kind; steps must share something with it
    (`STEP_FLOOR`). A sentence matches through itself, its heading or its passage: a copyright
    question gets no data-leak controls. A finding that speaks to a stated constraint (a talent
    shortage to a 3-person IT team) stays."""
    claims = [*answers, *(c for f in findings for kind in KINDS for c in getattr(f, kind))]
    if not claims:
        return list(findings)
    score = relevance(asked, context, passage)

    asked_for = asked_kinds(question)
    best = max(score(c, False) for c in claims)
    # a kind asked for by name is measured against its own best: '怎么衡量效果？' names no measure
    best_of = {
        k: max((score(c, False) for f in findings for c in getattr(f, k)), default=0.0) for k in asked_for
    }

    def keep(c: Claim, kind: str) -> bool:
        if kind in asked_for:
            floor = PERTINENT * best_of[kind]
        else:
            step = min(STEP_FLOOR, STEP_SHARE * best)  # never less than a step needs
            floor = step if kind == "actions" else max(PERTINENT * best, step)
        return score(c, kind == "actions") >= floor or any(speaks_to(f, c.quote or c.text) for f in facets)

    return [
        f.model_copy(update={k: [c for c in getattr(f, k) if keep(c, k)] for k in kinds}) for f in findings
    ]
