"""Offline findings: choose evidence sentences by what they say, de-duplicate them, cite them.

A sentence is a risk, a challenge or an action by its cue words (agents.lexicon), and a KPI
when it names a metric (agents.terms). Candidates are ranked by fit to the specialist's area,
overlap with the question, cue strength and the passage's retrieval rank, then thinned with
MMR over token sets so the plan does not repeat itself. Chinese plans keep the evidence's own
words (made imperative for actions); English plans render each sentence through its topic
template (agents.topics) and keep the Chinese sentence as the quote.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from agents.language.lexicon import (
    ACTION_MODAL,
    ACTION_START,
    ADVICE_QUESTION,
    CAPABILITY,
    CHALLENGE_CUES,
    FLUFF,
    ISSUE_LABEL,
    MITIGATION,
    PROMO,
    PURPOSE,
    RISK_CUES,
    RULE_QUESTION,
    THREAT,
    TOPIC_TITLE,
)
from agents.language.text import (
    Segment,
    area_scores,
    clean,
    imperative,
    is_listing,
    mmr,
    segments,
    strip_connectors,
    tokens,
)
from agents.offline.answer import LEVEL_FIT
from agents.offline.articles import article_spans, in_articles, preamble_share, with_lead_in
from agents.offline.corpus import DocumentFrequency
from agents.offline.focus import Focus
from agents.offline.qualifiers import asked, mismatched, names_wanted
from agents.offline.rules import as_rule
from agents.offline.scope import expand
from agents.offline.setting import setting_of
from agents.offline.terms import match_metric, metric_name
from agents.offline.topics import Topic, match_topic
from agents.state import Area, AreaFindings, Claim, Language
from store.records import Passage

Kind = Literal["challenge", "action", "risk", "kpi"]
LIMITS: dict[Kind, int] = {"action": 6, "challenge": 3, "risk": 3, "kpi": 3}
OFF_AREA_RELEVANCE = 0.5
RELATIVE_CUT = 0.5  # a focused question's finding matches at least this share of what its best one does
DECIDING = 0.5  # the best sentence must match this share of the question to decide it
KEEP_BEST = 1  # findings of an area the relevance cut never drops, if they answer at all
KEEP_FLOOR = 0.2  # what such a finding must match of the question when the rules answer it squarely
SQUARE = 0.8  # a deciding article matching this share of the question answers it squarely
MIN_RELEVANCE = 0.1  # below this a sentence needs a strong area fit to count as evidence
FACT_RELEVANCE = 0.35  # what a finding must match of a question of fact or rule, whatever its area fit
STRONG_FIT = 1.0  # prior of a sentence that names its area on its own (lexicon weight 2)
_WEAK_START = re.compile(r"^(例如|比如|譬如|这|其|它|该|此|他们|她们|是|而|但)")
_HEADING_ISSUE = re.compile(r"问题|不可忽视|不容忽视")
_DANGLING = re.compile(r"^(是|而|但|并且|以及|和)")
_TABLE = re.compile(r"\t|\s{2,}")
_RHETORICAL = re.compile(r"[？?]$|^(如何|怎样|怎么)[^，。]{0,25}$")
_OPENS_LIST = re.compile(r"[：:]\s*$")
_REFERS_BACK = re.compile(r"^.{0,12}(这些|上述|以上|前述|这一|此类)")
# "该模型存在的局限性", "这款产品…": about one model or product the passage named before, not advice
_POINTS_AT = re.compile(r"(该|这款|此款|这个|那个)(模型|产品|应用|公司|平台|工具|方案|团队|算法)")


@dataclass(frozen=True)
class Candidate:
    kind: Kind
    raw: str  # verbatim sentence of the passage: the citation quote
    text: str  # the statement in the answer language
    chunk_id: str
    score: float
    topic: Topic | None


def classify(sentence: str, heading: bool = False) -> Kind | None:
    """Risk, challenge or action by cue words; mitigations and purposes do not count as risks.

    A title ('实施AI客服的挑战与解决方案') names a subject and states nothing; an item labelled with an
    obstacle or a risk ('成本控制压力：…可能需要较高的成本') states it, whatever modal its body uses.
    """
    if heading and TOPIC_TITLE.search(sentence.rstrip("。.")):
        return None
    label = ISSUE_LABEL.match(sentence)
    if label is not None:
        return "risk" if any(c in label.group(0) for c in RISK_CUES) else "challenge"
    rest = MITIGATION.sub("", sentence)
    if any(c in rest for c in RISK_CUES) and THREAT.search(rest):
        return "risk"
    rest = PURPOSE.sub("", rest)
    if any(c in rest for c in CHALLENGE_CUES) or (heading and _HEADING_ISSUE.search(rest)):
        return "challenge"
    if heading:
        return "action" if ACTION_START.match(strip_connectors(sentence)) else None
    advice = CAPABILITY.sub("", sentence)
    if ACTION_MODAL.search(advice) or (advice == sentence and ACTION_START.match(strip_connectors(sentence))):
        return "action"
    return None


def _render(
    kind: Kind, clean: str, area: Area, language: Language, item: bool = False
) -> tuple[str, Topic | None] | None:
    """The statement for a sentence: the evidence's own words (made imperative for actions, except
    a listed item, whose lead-in names who must act).

    English plans quote the Chinese sentence too, under English labels: offline mode does not
    translate, and it never writes an English sentence its quote does not support."""
    text = imperative(clean) if kind == "action" and not item else strip_connectors(clean)
    return text, match_topic(clean, area)


def _with_lead_ins(passage_text: str) -> list[Segment]:
    """The passage's segments, a listed item joined to its lead-in and a short article's sentences
    joined into the article (agents.offline.articles)."""
    out: list[Segment] = []
    spans = article_spans(passage_text)
    taken: set[tuple[int, int]] = set()
    for seg in segments(passage_text):
        at = passage_text.find(seg.raw) if spans and not seg.heading else -1
        span = next((sp for sp in spans if sp[0] <= at < sp[1]), None)
        if span is not None:
            if span not in taken:
                taken.add(span)
                raw = passage_text[span[0] : span[1]]
                out.append(Segment(raw, clean(raw)))
            continue
        item = None if seg.heading else with_lead_in(passage_text, seg.raw)
        out.append(seg if item is None else Segment(item.quote, item.text))
    return out


def _metric_name(sentence: str, language: Language) -> str | None:
    metric = match_metric(sentence)
    return None if metric is None else metric_name(metric, sentence, language)


@dataclass(frozen=True)
class _Sentence:
    """What a passage sentence says for one area, independent of the question (cached)."""

    kind: Kind
    raw: str
    text: str  # the rendered statement
    tokens: frozenset[str]
    basis: str  # what relevance reads: the sentence, or a listed item after its lead-in
    prior: float  # area fit, topic, heading and style, before question relevance and rank
    topic: Topic | None
    fit: bool  # the sentence speaks the area's language (lexicon or topic)


@lru_cache(maxsize=4096)
def _analyse(passage_text: str, area: Area, language: Language, section: str = "") -> tuple[_Sentence, ...]:
    out: list[_Sentence] = []
    for seg in _with_lead_ins(passage_text):
        text = strip_connectors(seg.clean)
        joined = "\n" in seg.raw  # an item joined to its lead-in: only such a span crosses lines
        if len(text) < 8 or len(text) > 220 or _TABLE.search(seg.raw) or _DANGLING.search(text):
            continue
        if _OPENS_LIST.search(seg.raw):
            continue  # '…应当明确以下内容：' announces a list; on its own it says nothing
        if _POINTS_AT.search(text):
            continue  # points at what an earlier sentence named: out of its passage it is about nothing
        if seg.raw.startswith("|") or is_listing(text):
            continue  # table cells or a run of names: no predicate, so no challenge, risk or action
        if PROMO.search(text) or _RHETORICAL.search(text) or FLUFF.search(text):
            continue
        fit = area_scores(text).get(area, 0)
        topic = match_topic(text, area)
        on_topic = topic is not None and topic.area == area
        prior = min(fit, 6) * 0.5 - (0.8 if _WEAK_START.search(text) else 0) - (0.5 if len(text) > 90 else 0)
        prior -= 0.6 if _REFERS_BACK.search(text) else 0
        kinds: list[Kind] = []
        kind = classify(text, seg.heading)
        if seg.heading and kind == "action" and not on_topic:
            kind = None  # a bare heading is advice only when it names a topic of this area
        if kind is not None:
            kinds.append(kind)
        if not seg.heading and match_metric(text) is not None:
            kinds.append("kpi")
        for k in kinds:
            name = _metric_name(text, language) if k == "kpi" else None
            rendered = (
                (name, topic) if name else None if k == "kpi" else _render(k, text, area, language, joined)
            )
            if rendered:
                shown = (
                    rendered[0]
                    if k == "kpi"
                    else as_rule(rendered[0], seg.raw, passage_text, section, language)
                )
                bonus = (0.6 if on_topic else 0.0) + (2.0 if seg.heading and k == "challenge" else 0.0)
                sentence = _Sentence(
                    k,
                    seg.raw,
                    shown,
                    tokens(text),
                    text if joined else seg.raw,
                    prior + bonus,
                    rendered[1],
                    fit > 0 or on_topic,
                )
                out.append(sentence)
    return tuple(out)


def _whole(
    question: str, passages: Sequence[Passage], df: DocumentFrequency | None
) -> tuple[Focus, float] | None:
    """Relevance over every sentence of the passages, and the best of it, when the best is a rule of
    a regulation (agents.offline.articles); None otherwise."""
    if not any(in_articles(p.text) for p in passages):
        return None  # no regulation among them: not worth scoring every sentence
    texts = [(seg.clean, p.text) for p in passages for seg in _with_lead_ins(p.text)]
    focus = Focus(question, [t for t, _ in texts], df=df)
    best = max(((focus.score(t) * preamble_share(t, question, df), p) for t, p in texts), default=(0.0, ""))
    # a question no sentence answers well ("我们是一家医院…" over a general policy) has no deciding
    # article: nothing is cut, and its gaps say what is missing
    return (focus, best[0]) if best[0] >= DECIDING and in_articles(best[1]) else None


def asks_fact(question: str) -> bool:
    """A question of fact or rule (who approves, how many hours, may we…), not one asking for advice."""
    return bool(RULE_QUESTION.search(question)) and not ADVICE_QUESTION.search(question)


def candidates(
    area: Area,
    passages: Sequence[Passage],
    question: str,
    language: Language,
    focused: bool = False,
    df: DocumentFrequency | None = None,
    facet_text: str = "",
) -> list[Candidate]:
    """Scored candidate findings: relevance to the question first, then area fit and passage rank.

    Relevance (agents.focus) weighs the question's words by their rarity among these sentences,
    so what the question names outranks what merely sounds like the area; a sentence outside the
    area's vocabulary still counts when it answers the question.
    """
    analysed = [
        (rank, p.chunk_id, p.title, p.section, _analyse(p.text, area, language, p.section))
        for rank, p in enumerate(passages)
    ]
    texts = [f"{title} {section} {s.basis}" for *_, title, section, sents in analysed for s in sents]
    # a follow-up continues its thread's question: those words weigh as background
    context = expand(facet_text, language) if facet_text and facet_text != question else ""
    focus = Focus(question, texts, df=df, context=context)
    weight, prior_weight = (8.0, 0.4) if focused else (3.0, 1.0)
    setting = setting_of(facet_text or question, language)
    wanted = asked(f"{question} {facet_text}")
    kept = [  # relevance earned through the title and headings too (Focus.in_context)
        (rank, chunk_id, s, focus.in_context(s.basis, section, title) * preamble_share(s.basis, question, df))
        for rank, chunk_id, title, section, sentences in analysed
        for s in sentences
        # another industry's or use case's practice, or a rule for another level, is no evidence here
        if not (setting.foreign(s.basis, f"{title} {section}") or mismatched(s.basis, wanted))
    ]
    # A narrow question over rules is answered by its deciding article: rules that match far less
    # of it are padding. The best is over every sentence, advice or not, since the deciding article
    # often states a fact ('全体员工每年参加不少于4学时'). Reports spread advice over many sentences,
    # so there nothing is cut.
    whole = _whole(question, passages, df) if focused else None
    # a question of fact or rule ('需要谁批准？', 'can we…?') is answered by what it names, not by
    # advice that merely sounds like the area
    strict = focused and asks_fact(question)
    out: list[tuple[float, Candidate]] = []
    for rank, chunk_id, s, relevance in kept:
        if names_wanted(s.basis, wanted):  # a rule for the level the question names ('三级应用的…')
            relevance += LEVEL_FIT
        if not s.fit and relevance < OFF_AREA_RELEVANCE:
            continue
        if relevance < MIN_RELEVANCE and s.prior < STRONG_FIT:
            continue  # shares no weighted word with the question and only leans towards the area
        if (
            strict
            and focus.score(s.basis) + (LEVEL_FIT if names_wanted(s.basis, wanted) else 0) < FACT_RELEVANCE
        ):
            continue  # a fact is stated by the sentence itself, not by the document it stands in
        score = weight * relevance + prior_weight * s.prior + 1.0 / (1 + rank)
        answers = whole[0].score(s.basis) if whole is not None else 1.0
        out.append((answers, Candidate(s.kind, s.raw, s.text, chunk_id, score, s.topic)))
    if whole is None:
        return [c for _, c in out]
    # the area's best finding stays even below the cut, so a question the rules barely touch is not
    # left with nothing to show ("我们是一家医院…"); when an article answers the question squarely, a
    # best finding that shares almost nothing with it is padding
    ranked = sorted(out, key=lambda x: -x[0])
    return [
        c
        for i, (a, c) in enumerate(ranked)
        if (i < KEEP_BEST and (a >= KEEP_FLOOR or whole[1] < SQUARE)) or a >= RELATIVE_CUT * whole[1]
    ]


def select(cands: Sequence[Candidate], kind: Kind, language: Language) -> list[Candidate]:
    pool = [c for c in cands if c.kind == kind]
    if kind == "kpi":  # one sentence per metric
        seen: dict[str, Candidate] = {}
        for c in sorted(pool, key=lambda c: -c.score):
            metric = match_metric(c.raw)
            if metric and metric.key not in seen:
                seen[metric.key] = c
        return list(seen.values())[: LIMITS[kind]]
    return mmr(pool, lambda c: c.score, lambda c: tokens(c.raw), LIMITS[kind])


def offline_findings(
    area: Area,
    queries: list[str],
    passages: Sequence[Passage],
    question: str,
    language: Language,
    *,
    focused: bool = False,
    df: DocumentFrequency | None = None,
    facet_text: str = "",
) -> AreaFindings:
    """Findings for one area; a focused question weighs its own words more than area priors."""
    cands = candidates(area, passages, question, language, focused, df, facet_text)

    def claims(kind: Kind) -> list[Claim]:
        return [
            Claim(text=c.text, evidence_ids=[c.chunk_id], quote=c.raw) for c in select(cands, kind, language)
        ]

    return AreaFindings(
        area=area,
        queries=queries,
        evidence_ids=[p.chunk_id for p in passages],
        challenges=claims("challenge"),
        actions=claims("action"),
        risks=claims("risk"),
        kpis=claims("kpi"),
    )
