"""Offline findings: weigh each passage sentence (agents.offline.sentences) against the question,
de-duplicate them, cite them.

Candidates are ranked by relevance to the question first, then fit to the specialist's area and
the passage's retrieval rank, then thinned with MMR over token sets so the plan does not repeat
itself. Over rules, a narrow question keeps what its deciding article answers; a question of fact
keeps only sentences that state it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from agents.language.lexicon import (
    ADVICE_QUESTION,
    RULE_QUESTION,
    STEPS_ASKED,
)
from agents.language.text import (
    mmr,
    tokens,
)
from agents.offline.answer import LEVEL_FIT
from agents.offline.articles import in_articles, preamble_share
from agents.offline.corpus import DocumentFrequency
from agents.offline.elaboration import with_elaboration
from agents.offline.focus import Focus
from agents.offline.qualifiers import asked, mismatched, names_wanted
from agents.offline.scope import expand
from agents.offline.sentences import Kind, Sentence, analyse, passage_segments
from agents.offline.setting import setting_of
from agents.offline.terms import match_metric
from agents.offline.topics import Topic
from agents.state import Area, AreaFindings, Claim, Language
from store.records import Passage

LIMITS: dict[Kind, int] = {"action": 6, "challenge": 3, "risk": 3, "kpi": 3}
OFF_AREA_RELEVANCE = 0.5
RELATIVE_CUT = 0.5  # a focused question's finding matches at least this share of what its best one does
DECIDING = 0.5  # the best sentence must match this share of the question to decide it
KEEP_BEST = 1  # findings of an area the relevance cut never drops, if they answer at all
KEEP_FLOOR = 0.2  # what such a finding must match of the question when the rules answer it squarely
SQUARE = 0.8  # a deciding article matching this share of the question answers it squarely
MIN_RELEVANCE = 0.1  # below this a sentence needs a strong area fit to count as evidence
FACT_RELEVANCE = 0.35  # what a finding must match of a question of fact or rule, whatever its area fit
STEP_FIT = 1.5  # what a listed step of a named phase gains when the question asks for the steps
STRONG_FIT = 1.0  # prior of a sentence that names its area on its own (lexicon weight 2)


@dataclass(frozen=True)
class Candidate:
    kind: Kind
    raw: str  # verbatim sentence of the passage: the citation quote
    text: str  # the statement in the answer language
    chunk_id: str
    score: float
    topic: Topic | None


def _whole(
    question: str, passages: Sequence[Passage], df: DocumentFrequency | None
) -> tuple[Focus, float] | None:
    """Relevance over every sentence of the passages, and the best of it, when the best is a rule of
    a regulation (agents.offline.articles); None otherwise."""
    if not any(in_articles(p.text) for p in passages):
        return None  # no regulation among them: not worth scoring every sentence
    texts = [(seg.clean, p.text) for p in passages for seg in passage_segments(p.text)]
    focus = Focus(question, [t for t, _ in texts], df=df)
    best = max(((focus.score(t) * preamble_share(t, question, df), p) for t, p in texts), default=(0.0, ""))
    # a question no sentence answers well ("我们是一家医院…" over a general policy) has no deciding
    # article: nothing is cut, and its gaps say what is missing
    return (focus, best[0]) if best[0] >= DECIDING and in_articles(best[1]) else None


NEIGHBOUR = 0.6  # share of an adjacent sentence's relevance a sentence of the same passage earns


Scored = tuple[int, str, Sentence, float]  # (passage rank, chunk id, sentence, relevance)


def _with_neighbours(kept: list[Scored]) -> list[Scored]:
    """Each sentence's relevance, or a share of an adjacent sentence's of the same passage when
    that is more: the article after the deciding one often says what the question goes on to ask
    ('…报告' then '事件处置措施包括…'), in words the question does not use."""
    out: list[Scored] = []
    for i, (rank, chunk_id, s, rel) in enumerate(kept):
        near = [kept[j][3] for j in (i - 1, i + 1) if 0 <= j < len(kept) and kept[j][1] == chunk_id]
        out.append((rank, chunk_id, s, max([rel, *(NEIGHBOUR * r for r in near)])))
    return out


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
        (rank, p.chunk_id, p.title, p.section, analyse(p.text, area, language, p.section))
        for rank, p in enumerate(passages)
    ]
    texts = [f"{title} {section} {s.basis}" for *_, title, section, sents in analysed for s in sents]
    # a follow-up continues its thread's question: those words weigh as background
    context = expand(facet_text, language) if facet_text and facet_text != question else ""
    focus = Focus(question, texts, df=df, context=context)
    weight, prior_weight = (8.0, 0.4) if focused else (3.0, 1.0)
    setting = setting_of(facet_text or question, language)
    wanted = asked(f"{question} {facet_text}")
    procedure = bool(STEPS_ASKED.search(question))  # the documents' own phased steps answer it
    kept = [  # relevance earned through the title and headings too (Focus.in_context)
        (rank, chunk_id, s, focus.in_context(s.basis, section, title) * preamble_share(s.basis, question, df))
        for rank, chunk_id, title, section, sentences in analysed
        for s in sentences
        # another industry's or use case's practice, or a rule for another level, is no evidence here
        if not (setting.foreign(s.basis, f"{title} {section}") or mismatched(s.basis, wanted))
    ]
    # a sentence next to one that answers the question continues its answer ('第四十二条 事件处置措施…'
    # after '第四十一条 发现安全事件后…报告'): it earns a share of its neighbour's relevance
    kept = _with_neighbours(kept)
    # A narrow question over rules is answered by its deciding article: rules that match far less
    # of it are padding. The best is over every sentence, advice or not, since the deciding article
    # often states a fact ('全体员工每年参加不少于4学时'). Reports spread advice over many sentences,
    # so there nothing is cut.
    whole = _whole(question, passages, df) if focused else None
    # a question of fact or rule ('需要谁批准？', 'can we…?') is answered by what it names, not by
    # advice that merely sounds like the area
    strict = focused and asks_fact(question)
    out: list[tuple[float, Candidate]] = []
    decides = (
        [a for *_, a in _with_neighbours([(r, c, s, whole[0].score(s.basis)) for r, c, s, _ in kept])]
        if whole is not None
        else [1.0] * len(kept)
    )
    for (rank, chunk_id, s, relevance), answers in zip(kept, decides, strict=True):
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
        score += STEP_FIT if procedure and s.step else 0.0
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
    texts = {p.chunk_id: p.text for p in passages}

    def claim(c: Candidate) -> Claim:
        # a step or an obstacle with the sentence that spells it out ('这包括…'); a metric is a name
        if c.kind == "kpi":
            return Claim(text=c.text, evidence_ids=[c.chunk_id], quote=c.raw)
        text, quote = with_elaboration(c.text, c.raw, texts[c.chunk_id])
        return Claim(text=text, evidence_ids=[c.chunk_id], quote=quote)

    def claims(kind: Kind) -> list[Claim]:
        return [claim(c) for c in select(cands, kind, language)]

    return AreaFindings(
        area=area,
        queries=queries,
        evidence_ids=[p.chunk_id for p in passages],
        challenges=claims("challenge"),
        actions=claims("action"),
        risks=claims("risk"),
        kpis=claims("kpi"),
    )
