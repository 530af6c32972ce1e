"""Question facets: the constraints and goals a question states besides its areas.

Industry, company size, team size, budget, horizon, data residency, sensitive data and named
systems are found by the patterns in agents/data/facets.yaml; the question's own topics (use
cases such as 补货, 导诊, 信贷审核) by jieba's TF-IDF. Each facet carries the words that show a
passage addresses it, so retrieval looks for it and `gaps` names those the documents leave open.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from agents.language.dictionary import english_to_chinese, is_chinese_word
from agents.language.glossary import glossary_terms
from agents.language.lexicon import CORE_TERMS, FRAME, GENERIC
from agents.language.synonyms import alternatives
from agents.language.vocab import load
from agents.offline.asked import (
    COMMON_NOUN,
    chinese_use_cases,
    english_subjects,
    english_use_cases,
    everyday,
    frequency,
    whole_word,
    without_verbs,
)
from agents.offline.askers import cuts_a_term, describes_asker
from agents.offline.counted import counted_parts, headcount_words
from agents.offline.horizon import horizon_months
from agents.offline.industries import (
    Industry,
    asker_industries,
    first_named,
    has_cue,
    industries,
    named_industries,
)
from agents.offline.priced import priced
from agents.offline.question import asked_for
from agents.state import CompanyProfile, Facet, Language

_DATA: dict[str, Any] = load("facets")
# what '多少' counts when a noun of two or more letters follows it ('采购多少GPU', '多少学时');
# a measure word ('多少人', '多少钱') says only that a number is wanted
_ENGLISH_SENTENCE = re.compile(r"[A-Za-z]+(?:[\s,'-]+[A-Za-z]+){3,}")  # four words or more
_JOINERS = "和与及或跟"  # a conjunction the segmenter may glue to the word after it
_COUNTED = re.compile(
    r"(?:多少|几)(?:个|台|块|张|名|位|套)?(?!个?(?:月|年|天|日|小时|周|星期|分钟|次|倍|人|万|元|钱|岁|学时)|要|能|会|才|就|算|需|应|该|可)"
    r"([A-Za-z]{2,}|[\u4e00-\u9fff]{2,4})$"
)
_TOPIC_POS = ("n", "nz", "vn", "nt", "eng", "v", "j")
MAX_TOPICS = 3


@dataclass(frozen=True)
class QuestionFacet:
    kind: str  # industry, team, size, budget, horizon, residency, data, system, vendor, use_case, topic
    value: str  # as the question states it
    evidence: tuple[str, ...]  # words that show a passage addresses it
    key: str = ""  # the industry key, for industries
    months: int | None = None  # for a horizon
    known: bool = True  # False: a segmenter's guess ('和信') or the category asked for ('哪些流程')
    # an English use case's words, or what a request for a number counts ('多少GPU' -> GPU):
    # a passage must name each
    parts: tuple[tuple[str, ...], ...] = ()

    def facet(self, covered: bool) -> Facet:
        return Facet(kind=self.kind, value=self.value, covered=covered)


@cache
def _pattern(kind: str) -> re.Pattern[str]:
    spec = _DATA["systems"] if kind == "system" else _DATA["constraints"][kind]
    return re.compile(spec["pattern"], re.IGNORECASE)


def _industry(ind: Industry, text: str, language: Language) -> QuestionFacet:
    """The industry as the question names it ('三甲医院' -> 医院, 'law firm' -> 律师事务所): a quote
    about healthcare at large does not answer a hospital's question, one that names 医院 does."""
    low = text.lower()
    named = sorted((c for c in ind.cues if has_cue(text, low, c)), key=lambda c: low.find(c.lower()))
    zh: list[str] = []
    for cue in named:  # in the order the text names them: the question comes before its profile
        if not cue.isascii():
            zh.append(cue)
            continue
        pairs = english_to_chinese(cue)
        senses = pairs[0][1] if len(pairs) == 1 else []
        # the sense that names the industry ('logistics' -> 物流, not 后勤), or the industry's name
        # inside a sense ('manufacturer' -> 制造业者 -> 制造), else the first one
        inside = [e for t in senses for e in ind.evidence if e in t]
        whole = [t for t in senses if t in ind.evidence] or inside[:1] or senses[:1]
        zh += [t for t in whole or glossary_terms(cue) if len(t) >= 2]
    own = [c for c in zh if c in ind.evidence]  # 医院, not 三甲 or 患者
    first = (own or zh or [""])[0]
    evidence = tuple(dict.fromkeys(c for c in zh if first and (first in c or c in first)))
    value = next((c for c in named if c.isascii()), ind.label["en"]) if language == "en" else first
    # a question that names the industry only by a word of its trade (会员, 患者) is searched for it,
    # but the industry is no gap: the question never said it was one
    return QuestionFacet(
        "industry", value or ind.label[language], evidence or ind.evidence, key=ind.key, known=bool(own)
    )


_HOLDER = re.compile(_DATA["constraints"]["data"]["holder"])  # whose data: '客户订单和手机号' -> 客户


def _subject(value: str) -> tuple[str, ...]:
    """What a sensitive-data facet is about: '患者数据' -> 患者, 'personal data' -> 个人信息."""
    low = value.lower()
    if "personal" in low or value.startswith("个人"):
        return ("个人信息", "隐私")
    zh = _HOLDER.match(value)
    if zh:
        return (zh.group(0),)
    word = value.split()[0]
    senses = [s[0] for _, s in english_to_chinese(word) if s]
    return tuple(glossary_terms(word)) or tuple(senses) or (value,)


def _asked_about(value: str) -> tuple[str, ...]:
    """The words of a request for a number that a quote must share with it ('多久能收回投资' -> 收回,
    投资; 'how many hours of training' -> 小时, 培训)."""
    skip = _skip() | frozenset(("多久", "多长时间", "多少", "几年", "几个月", "应该", "需要", "能"))
    if value.isascii():
        asked = [
            (w, s) for w, s in english_to_chinese(value) if w.lower() not in ("how", "many", "much", "long")
        ]
        found = (z for w, senses in asked for z in (glossary_terms(w) or senses[:2]))
        return tuple(dict.fromkeys(z for z in found if z not in skip and not z.isascii() and len(z) > 1))
    words = [w for w in _keyword_extractor().tokenizer.lcut(value) if len(w) >= 2 and w.lower() not in skip]
    return tuple(dict.fromkeys(words))


def _senses(word: str) -> list[str]:
    return [z for _, senses in english_to_chinese(word) for z in (glossary_terms(word) or senses)]


def _budget_amount(text: str) -> str | None:
    """The amount the question may spend: of the amounts not earned (revenue, sales), the one
    nearest a budget word ('年营收约8000万元……每年AI预算不超过30万元' -> 30万元)."""
    spec = _DATA["constraints"]["budget"]
    low = text.lower()
    amounts = [
        a
        for a in re.finditer(spec["amount"], text, re.IGNORECASE)
        if not any(w in low[max(0, a.start() - 8) : a.start()] for w in spec["not_budget"])
    ]
    if not amounts:
        return None
    cues = [c.start() for c in re.finditer(spec["cue"], text, re.IGNORECASE)]
    best = min(amounts, key=lambda a: min((abs(a.start() - c) for c in cues), default=0))
    return best.group(0).strip()


def _constraint(kind: str, text: str) -> QuestionFacet | None:
    m = _pattern(kind).search(text)
    return None if m is None else _from_match(kind, text, m)


def _from_match(kind: str, text: str, m: re.Match[str]) -> QuestionFacet | None:
    value = re.sub(r"^(of|with|employs?|ha(ve|s))\s+", "", m.group(0).strip().rstrip("的"), flags=re.I)
    parts: tuple[tuple[str, ...], ...] = ()
    if kind == "budget":
        amount = _budget_amount(text)
        if amount is None and re.fullmatch(_DATA["constraints"]["budget"]["amount"], value, re.IGNORECASE):
            return None  # the only amount is what the company earns ('年营收约8000万元')
        if amount is None and (words := priced(text, m, _skip())):
            parts = (words,)  # '采购和运维各要花多少钱': a figure for a trial fund prices neither
        value = amount or value
    evidence = tuple(_DATA["constraints"][kind]["evidence"])
    if kind == "data":
        evidence = _subject(value)
    if kind == "figures":
        evidence = tuple(dict.fromkeys((*_asked_about(value), *headcount_words(value))))
        if not evidence:
            return None
        counted = _COUNTED.search(value)
        if counted:  # a count of GPUs is answered only by a number of GPUs (or of 显卡, 算力)
            parts = ((counted.group(1), *alternatives(counted.group(1))),)
        elif value.isascii() and not headcount_words(value):  # 'how many data scientists…': of them
            parts = counted_parts(value, _senses, _skip())
    months = horizon_months(text) if kind == "horizon" else None
    return QuestionFacet(kind, value, evidence, months=months, parts=parts)


@lru_cache(maxsize=1)
def _keyword_extractor() -> Any:
    import jieba
    import jieba.analyse  # loads jieba's dictionary and IDF table: only questions need it

    jieba.setLogLevel(logging.WARNING)
    return jieba.analyse.TFIDF()


@cache
def _skip() -> frozenset[str]:
    return frozenset(w.lower() for w in (*GENERIC, *FRAME, *CORE_TERMS, *_DATA["topic_skip"]))


def _topics(question: str, language: Language, taken: str) -> list[QuestionFacet]:
    """The use cases the question wants AI for, then its own subject words (TF-IDF over jieba's IDF),
    minus frame and generic words and the words other facets took."""
    skip = _skip() | frozenset(w.lower() for w in taken.split())
    if language == "en":
        uses = english_use_cases(question, skip)
        words = {w for a in uses for w in a.value.split()}
        subjects = [a for a in english_subjects(question, skip) if not set(a.value.split()) & words]
        return [
            *(QuestionFacet("use_case", a.value, a.evidence, parts=a.parts) for a in uses),
            *(QuestionFacet("topic", a.value, a.evidence) for a in subjects[:MAX_TOPICS]),
        ]
    uses = chinese_use_cases(question, skip)
    out = [QuestionFacet("use_case", a.value, a.evidence, parts=a.parts) for a in uses]
    extractor = _keyword_extractor()
    category = asked_for(question)
    english = _ENGLISH_SENTENCE.search(question) is not None
    for pair in extractor.extract_tags(question, topK=8, allowPOS=_TOPIC_POS, withFlag=True):
        word, flag = whole_word(question, pair.word), pair.flag
        if len(word) > 2 and word[0] in _JOINERS:  # '采购和运维' cut as 采购 / 和运维: the topic is 运维
            word = word[1:]
        if len(word) < 2 or word.lower() in skip or word in taken or word.isdigit():
            continue
        if english and word.isascii() and word.islower():
            continue  # a word of the thread's English question ('regional') is no topic of a Chinese answer
        if any(word in a.value or a.value in word for a in uses) or everyday(word, flag):
            continue
        if any(len(t) >= 2 and t in word for t in taken.split()):  # 燃气公司 when 燃气 is the industry
            continue
        if describes_asker(question, word) or cuts_a_term(question, word):
            continue
        known = (frequency(word) > 0 or flag == "eng" or is_chinese_word(word)) and word not in category
        out.append(QuestionFacet("topic", word, (word, *alternatives(word)), known=known))
    return out[: MAX_TOPICS + len(uses)]


def subject_words(question: str, language: Language, taken: str = "") -> list[str]:
    """What the question is about beyond who asks (its topics less the words in `taken`). Looser than
    a topic facet: a word as common as 诊断 still says what the question wants done."""
    if language == "en":
        return [f.value for f in _topics(question, language, taken)]
    skip = _skip()
    extractor = _keyword_extractor()
    return [
        p.word
        for p in extractor.extract_tags(question, topK=8, allowPOS=_TOPIC_POS, withFlag=True)
        if len(p.word) >= 2 and p.word.lower() not in skip and p.word not in taken
        and 0 < extractor.tokenizer.FREQ.get(p.word, 0) < COMMON_NOUN
    ]  # fmt: skip


_ALL_CONSTRAINTS = ("team", "size", "budget", "horizon", "residency", "data", "system", "vendor")
SCENE_CONSTRAINTS = ("team", "size", "budget", "horizon")  # who asks and with what, not what about


def without_constraints(question: str, kinds: tuple[str, ...] = _ALL_CONSTRAINTS) -> str:
    """The question with its constraints' words cut out, so the segmenter cannot join their edges
    to a neighbour ('在18个月内用AI' would give '内用')."""
    for kind in kinds:
        question = _pattern(kind).sub("，", question)
    return question


def find_facets(
    question: str, language: Language, profile: CompanyProfile | None = None
) -> list[QuestionFacet]:
    """The facets of a question and its company profile, in a stable order."""
    profile_text = (
        " ".join(x for x in (profile.industry, profile.size, profile.goals) if x) if profile else ""
    )
    text = f"{question} {profile_text}".strip()
    found: list[QuestionFacet] = []
    asked_text = without_verbs(question)
    named = asker_industries(f"{asked_text} {profile_text}")
    for ind in sorted(industries(), key=lambda i: first_named(i, f"{asked_text} {profile_text}")):
        if ind.key in named:  # as the question names it, else as the profile does
            found.append(
                _industry(ind, asked_text if ind.key in named_industries(asked_text) else text, language)
            )
    for kind in ("team", "size", "budget", "horizon", "residency", "data", "vendor"):
        facet = _constraint(kind, text)
        if facet is not None and not (
            kind == "size" and any(f.kind == "team" and facet.value in f.value for f in found)
        ):
            found.append(facet)
    # every number asked for ('配多少人…投资回报期大概多长？'), each its own facet; a price is the budget's
    for m in _pattern("figures").finditer(text):
        facet = _from_match("figures", text, m)
        if facet is not None and _pattern("budget").search(facet.value) is None:
            found.append(facet)
    systems = {x.group(0).strip(): x.group("name") for x in _pattern("system").finditer(text)}
    for shown, name in systems.items():  # 'legacy ERP' is shown; a passage must name ERP
        found.append(QuestionFacet("system", shown, (name,)))
    taken = " ".join(f.value for f in found) + " " + " ".join(w for f in found for w in f.evidence)
    # the industry's own names ('healthcare', 医疗) are no topic; a use case that implies it (导诊) still is
    taken += " " + " ".join(
        c for ind in industries() if ind.key in named for c in ind.cues if c.isascii() or c in ind.evidence
    )
    found.extend(_topics(without_constraints(question), language, taken))
    return found


def facet_queries(facets: Sequence[QuestionFacet], question_focus: str) -> list[str]:
    """One search per facet: the facet's evidence words with the question's focus."""
    out = []
    for f in facets:
        protection = _DATA["constraints"]["data"]["evidence"][:4] if f.kind == "data" else []
        words = " ".join(dict.fromkeys((f.value, *f.evidence[:4], *protection)))
        # a use case (a table cell '导诊/分诊') and a number asked for ('日志要保存多久？') are searched on
        # their own words: what answers them shares little else with the question and would rank low
        out.append(words if f.kind in ("use_case", "figures") else f"{words} {question_focus}".strip())
    return out
