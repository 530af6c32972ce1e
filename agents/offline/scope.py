"""Offline planning: is the question in scope, which areas does it need, what to search for.

Relevance stands on two signals: domain lexicon hits in the question (and profile) and the
lexical overlap between the question's content tokens and the top retrieved passages. Known
off-topic intents (weather, stock tips, poems) need strong domain language to pass, and
requests to change or reveal the assistant's instructions are refused outright. A short
follow-up in a thread inherits the earlier turn's areas and topic.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from agents.env import Env, retrieve
from agents.grounding.quarantine import partition
from agents.grounding.support import units
from agents.language.glossary import dictionary_terms, expand_query, glossary_terms, phrase_terms
from agents.language.lexicon import (
    AREA_ISSUES,
    AREA_QUERY,
    ASPECT,
    BROAD_CUES,
    FOLLOW_UP,
    FRAME,
    GENERIC,
    INJECTION,
    ISSUE_CUES,
    OFF_TOPIC,
    PLAN_CUES,
    PLAN_REQUEST,
    ROLLOUT_CUES,
    RULE_QUESTION,
    THE_DOCUMENTS,
)
from agents.language.text import area_scores, core_hits, detect_language, english_words, tokens
from agents.language.vocab import load
from agents.offline.corpus import DocumentFrequency, document_frequency
from agents.offline.facets import facet_queries, find_facets
from agents.offline.first_steps import planned_turn
from agents.offline.qualifiers import search_terms, without_values
from agents.offline.question import key_phrases, read_as, reading_areas
from agents.state import AREAS, Area, CompanyProfile, Language, Turn
from store.records import Passage

RARE_SHARE = 0.05
FOLLOW_UP_CUES: tuple[str, ...] = tuple(load("facets")["follow_up_cues"])
FACET_AREAS: dict[str, Area] = load("facets")["facet_areas"]
ASPECT_WORDS: dict[str, Area] = load("lexicon")["aspect_words"]
REFUSALS: dict[str, dict[str, str]] = {
    "scope": {
        "zh": "知识库中没有与这个问题相关的资料。本顾问只回答企业落地AI的问题"
        "（技术整合、安全与合规、组织与人才、"
        "市场与ROI），因此无法给出有依据的建议。",
        "en": "The knowledge base has no evidence relevant to this question. This advisor answers questions "
        "about adopting AI in a company (technology integration, security and compliance, organization and "
        "talent, market fit and ROI), so it cannot give grounded advice here.",
    },
    "injection": {
        "zh": "这个请求是在要求改变或透露助手的指令，而不是关于企业AI落地的问题，因此不予执行。",
        "en": "This request asks the assistant to change or reveal its instructions rather than asking about "
        "AI adoption, so it was not carried out.",
    },
    "empty": {
        "zh": "知识库中（在您可见的范围内）没有任何资料，无法给出有依据的计划。"
        "请先导入文档（advisor ingest）。",
        "en": "The knowledge base has no documents visible to you, so no grounded plan is possible. "
        "Ingest documents first (advisor ingest).",
    },
}


@dataclass
class Scope:
    language: Language
    areas: list[Area] = field(default_factory=list)
    subqueries: dict[str, list[str]] = field(default_factory=dict)
    refused: bool = False
    reason: str | None = None
    final: bool = False  # a refusal no model may overturn (instructions, empty knowledge base)
    probe: list[Passage] = field(default_factory=list)
    facet_text: str = ""  # question, profile and the question a follow-up continues


def profile_text(profile: CompanyProfile | None) -> str:
    if profile is None:
        return ""
    return " ".join(x for x in (profile.industry, profile.size, profile.goals) if x)


def expand(text: str, language: Language) -> str:
    """English questions gain the Chinese terms of their concepts, so they can match the corpus; a
    question that asks a price ('一年要花多少钱？') is read with the words prices go by (成本, 费用),
    one that asks whether it pays off ('值不值') with those of return on investment."""
    if extra_words := read_as(text):
        text = f"{text} {' '.join(extra_words)}"
    if language == "zh":
        return text
    extra: list[str] = []
    # words that only frame the question ('800 employees', 'first year') gain no search terms
    topical = " ".join(
        w
        for w in without_values(THE_DOCUMENTS.sub(" ", text)).split()
        if w.lower().strip(".,;:?!") not in FRAME
    )
    expanded = expand_query(topical)
    extra.append(expanded if isinstance(expanded, str) else " ".join(expanded))
    zh_terms = [alt for unit in units(topical, "en") for alt in unit[1:] if not alt.isascii()]
    # a phrase may hold a framing word ('put into use'): the glossary reads the whole question too
    phrases = [t for t in phrase_terms(text) if t not in extra[0]]
    return " ".join([text, *extra, *dict.fromkeys([*search_terms(text), *phrases, *zh_terms])])


def rare(word: str, df: DocumentFrequency) -> bool:
    """A topic word few passages mention: worth a search of its own (common ones are searched anyway)."""
    hits, total = df(word)
    return hits <= max(1, RARE_SHARE * total)


def refers_back(question: str) -> bool:
    """The question points at an earlier turn ('刚才的计划里…', 'what about…')."""
    return _has(question, FOLLOW_UP_CUES)


def _has(question: str, cues: Sequence[str]) -> bool:
    low = question.lower()
    return any(c in question or c in low for c in cues)


def broad(question: str) -> bool:
    """A broad planning request (names no single topic). A question of fact that names planning
    in passing ('企业规划AI开发路径时排第一的因素是什么、占比多少？') is narrow, and so is one whose scene
    names a span ('…within 12 months. What integration pitfalls should we watch out for?'): what
    its asking sentences ask decides."""
    asking = _asking(question)
    return plan_shaped(asking) or (_has(asking, BROAD_CUES) and not RULE_QUESTION.search(asking))


def plan_shaped(question: str) -> bool:
    """A request for a whole plan ('落地计划', 'How should a mid-sized manufacturer start with AI?')."""
    return _has(question, PLAN_CUES) or PLAN_REQUEST.search(question) is not None


def _overlap(question_tokens: frozenset[str], passages: Sequence[Passage]) -> float:
    if not question_tokens:
        return 0.0
    joined = "\n".join(p.text for p in passages).lower()
    return sum(1 for t in question_tokens if t in joined) / len(question_tokens)


def _word_overlap(question: str, passages: Sequence[Passage]) -> float:
    """Share of an English question's content words that some translation finds in the passages:
    a word counts once however many dictionary senses it has."""
    joined = "\n".join(p.text for p in passages)
    senses = [
        [*glossary_terms(w), *dictionary_terms(w)]
        for w in dict.fromkeys(english_words(question))
        if w not in GENERIC and w not in FRAME and len(w) > 2
    ]
    senses = [s for s in senses if s]
    return sum(1 for s in senses if any(z in joined for z in s)) / len(senses) if senses else 0.0


def _adopting(question: str, language: Language) -> bool:
    """An organisation in a named industry wants AI for a named job ('一家社区医院想用AI做分诊') or
    asks how to protect its named data ('patient data'), or describes itself and its means: an
    adoption question even when no area word and few corpus words occur in it."""
    kinds = {f.kind for f in find_facets(question, language)}
    # or an organisation described by its trade or size and its means: '一家200人的服装电商，IT只有
    # 两个人，预算不到50万，今年能做哪些AI项目？'
    described = bool(kinds & {"industry", "size"}) and bool(kinds & {"team", "budget", "horizon"})
    return ("industry" in kinds and bool(kinds & {"use_case", "data"})) or described


def aspect_areas(question: str) -> list[Area]:
    """The areas a question confines what it asks to ('第一年在数据方面应该先做哪些准备？',
    '组织和人才上应该怎么安排？'): the plan answers that side of the roll-out, not all four."""
    found: set[Area] = set()
    for m in ASPECT.finditer(question):
        words = m.group(1)
        found |= {a for a in AREAS if area_scores(words).get(a, 0) >= 2}
        found |= {area for word, area in ASPECT_WORDS.items() if word in words}
    return [a for a in AREAS if a in found]


_SENTENCE_END = re.compile(r"(?<=[。！!？?；;])|(?<=\.)\s+|\n")


def _asking(question: str) -> str:
    """The sentences that ask (end in a question mark), or the whole question when none does."""
    asks = [s for s in _SENTENCE_END.split(question) if s.strip().endswith(("？", "?"))]
    return " ".join(asks) or question


def _areas(question: str, profile: str, probe: Sequence[Passage], prev: Turn | None) -> list[Area]:
    named = _named_areas(question, profile, probe, prev)
    kind = reading_areas(question)  # build or buy is a technology and a market question too
    return [a for a in AREAS if a in named or a in kind]


def _named_areas(question: str, profile: str, probe: Sequence[Passage], prev: Turn | None) -> list[Area]:
    if aspect := aspect_areas(question):
        return aspect
    # the areas the question asks about, not those its scene names ('…1,500 employees, ERP is SAP.
    # Which metrics should the ROI case be built on?' asks about ROI; its system has a facet of its
    # own; 'a private tutoring company' says nothing of privacy); a question whose asking sentence
    # names no area is read whole
    scores = area_scores(_asking(question)) or area_scores(question)
    top = max(scores.values(), default=0)
    strong = [a for a in AREAS if scores.get(a, 0) >= 2]
    whole_plan = plan_shaped(_asking(question))
    general = top < 2 and (broad(question) or _has(question, ISSUE_CUES) or (bool(profile) and prev is None))
    # 'how do we roll it out?' asks for the whole plan, whichever area the scene stresses
    if len(strong) >= 3 or whole_plan or general or _has(question, ROLLOUT_CUES):
        return list(AREAS)
    if scores:  # the areas the question names; with only weak hits, every area tied at the top
        return [a for a in AREAS if scores.get(a, 0) >= (max(top * 0.5, 2) if top >= 2 else top)]
    if prev is not None:
        return list(prev.plan.areas)
    by_evidence: dict[Area, int] = {}
    for p in probe[:5]:
        for area, score in area_scores(p.text).items():
            by_evidence[area] = by_evidence.get(area, 0) + score
    best = max(by_evidence.values(), default=0)
    return [a for a in AREAS if by_evidence.get(a, 0) >= best * 0.7][:2] or list(AREAS)


def decide(
    question: str,
    profile: CompanyProfile | None,
    turns: Sequence[Turn],
    requested: Sequence[Area] | None,
    env: Env,
    continued: bool = False,
) -> Scope:
    language = detect_language(question)
    if INJECTION.search(question):
        return Scope(language, refused=True, reason=REFUSALS["injection"][language], final=True)
    prev = planned_turn(turns)
    follow_up = prev is not None and (
        continued
        or bool(FOLLOW_UP.search(question.strip()))
        or len(tokens(question)) <= 3
        or refers_back(question)
    )
    extra = profile_text(profile)
    focus = expand(
        " ".join(x for x in (question, prev.question if follow_up and prev else "", extra) if x), language
    )
    probe, _ = partition(retrieve(env, [focus], 8))
    if not probe:
        return Scope(language, refused=True, reason=REFUSALS["empty"][language], final=True)
    whole = f"{question} {extra}"
    total = sum(area_scores(whole).values())
    q_tokens = tokens(expand(question, language))
    overlap = _overlap(q_tokens, probe[:5])
    if language == "en":  # English words cannot meet a Chinese passage; its mapped concepts can
        concepts = frozenset(t for t in q_tokens if not t.isascii())
        overlap = max(overlap, _overlap(concepts, probe[:5]) if len(concepts) >= 2 else 0.0)
        overlap = max(overlap, _word_overlap(question, probe[:5]))
        # the domain's and the rules' own terms ('put into use' 投入使用, 'class 2' 第二类), free of
        # the general dictionary's many senses
        known = frozenset([*search_terms(question), *glossary_terms(question)])
        overlap = max(overlap, _overlap(known, probe[:5]) if len(known) >= 2 else 0.0)
    off_topic = bool(OFF_TOPIC.search(question))
    relevant = (
        (
            follow_up and (not off_topic or total >= 2)
        )  # a thread does not make the weather an adoption question
        or (off_topic and total >= 4)
        or (not off_topic and (total >= 2 or (core_hits(whole) > 0 and (overlap >= 0.25 or broad(question)))))
        or (not off_topic and overlap >= 0.6 and len(q_tokens) >= 3)
        or (not off_topic and overlap == 1.0 and len(q_tokens) == 2)  # "合成数据有什么用？"
        or (not off_topic and core_hits(whole) > 0 and _adopting(question, language))
    )
    if relevant and env.settings.refusal_min_score and probe[0].score < env.settings.refusal_min_score:
        relevant = False
    if not relevant and prev is not None and not follow_up and not off_topic:
        # a turn of an in-scope thread that names no topic of its own ('如果明年预算被砍到30万元，哪些先做？')
        # continues it: it is read with the earlier question, never refused on its own words
        return decide(question, profile, turns, requested, env, continued=True)
    if not relevant:
        return Scope(language, refused=True, reason=REFUSALS["scope"][language], probe=probe)
    facet_text = " ".join(x for x in (prev.question if follow_up and prev else "", question, extra) if x)
    facets = find_facets(facet_text, language)
    areas = list(requested) if requested else _areas(question, extra, probe, prev if follow_up else None)
    if not requested:  # a stated constraint brings its own area (a two-person IT team: organisation)
        areas = list(dict.fromkeys([*areas, *(FACET_AREAS[f.kind] for f in facets if f.kind in FACET_AREAS)]))
    # every area searches its own angle, plus the question's most specific phrases on their own
    phrases = key_phrases(expand(f"{question} {extra}", language), document_frequency(env))
    # every facet (industry, team, budget, horizon, system, use case) gets a search of its own
    df = document_frequency(env)
    searched = [f for f in facets if f.kind != "topic" or rare(f.evidence[0], df)]
    facet_searches = facet_queries(searched, expand(question, language))
    subqueries: dict[str, list[str]] = {
        a: [f"{focus} {AREA_QUERY[a]} {AREA_ISSUES[a]}", *phrases, *facet_searches] for a in areas
    }
    if len(areas) <= 2:  # a focused question: also search its own words, undiluted
        subqueries = {a: [focus, *q] for a, q in subqueries.items()}
    chosen = [a for a in AREAS if a in areas]
    return Scope(language, areas=chosen, subqueries=subqueries, probe=probe, facet_text=facet_text)
