"""The direct answer: the evidence that speaks to what the question asks, for the summary's lead.

A plan's sections (challenges, roadmap, risks, KPIs) say what to do in each area; a question like
"which hardware categories go AI first?" or "what are the two multimodal architectures?" also
deserves the facts that answer it, and those often sit in headings, lists and tables rather than
in advice-sounding sentences. Candidates are the answer units (agents.units) of every passage
retrieved for the plan, ranked by question relevance (agents.focus) with the passage's retrieval
rank as a tie-breaker, thinned with MMR so two quotes of one fact are not both shown.

Chinese plans show the evidence's own words. English plans show a unit in its own words when the
evidence is English, else through the topic template it supports (agents.topics), since an
offline plan cannot translate.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from agents.language.lexicon import (
    DURATION,
    DURATION_ASK,
    FLUFF,
    MOST_MONEY,
    PROMO,
    TOPIC_TITLE,
)
from agents.language.text import clean, is_listing, mmr, shorten, tokens
from agents.offline.articles import article_spans, preamble_share, with_lead_in
from agents.offline.corpus import DocumentFrequency
from agents.offline.edges import first_content, is_heading
from agents.offline.elaboration import with_elaboration
from agents.offline.faq import QUESTION, qa_units
from agents.offline.focus import Focus
from agents.offline.industries import named_industries
from agents.offline.qualifiers import asked, fits, largest_money, mismatched, names_wanted
from agents.offline.question import asked_for
from agents.offline.ranked_lists import ranked_entry, rankings
from agents.offline.rules import as_rule
from agents.offline.units import ARTICLE, Unit, answer_units, refers_back
from agents.state import Evidence, Language

MIN_RELEVANCE = 0.3  # below this a unit shares too little with the question to be its answer
AMOUNT_FIT = 0.5  # relevance a unit gains when its thresholds hold the question's amount
TITLE_CREDIT = 0.7  # relevance earned through the document's title and section path
LEVEL_FIT = 0.25  # relevance a unit gains when it states a rule for the level the question names
ANNOUNCE_FIT = 0.35  # relevance a unit gains when it introduces a list of what the question asks for
KEEP_SHARE = 0.5  # further answers must come close to the best one
SUB_ANSWER = 0.5  # what a unit must match of one ask of a several-ask question to answer that ask
SUB_TOPS = 2  # units kept for each ask of a several-ask question
# an inline numbered list ('1、通过自动化…；2、利用数据分析…') after a short thesis sentence ('AI已经成为
# 提升企业运营效率的重要工具。') is what that sentence announces: it answers what the thesis names
_INLINE_LIST = re.compile(r"^\s*(?:1[、.．]|[（(]1[)）]|一是|其一)")
_THESIS = re.compile(r"([^。！？!?\n]{4,60}[。！？!?])[\s*]*$")
RANK_SHARE = 0.9  # a ranking's later entry answers nearly as well as the opening that names the list
MAX_ENTRIES = 2  # later entries of a ranking shown besides the other answers
MAX_CHARS = 160
ARTICLE_CHARS = 360  # a regulation's article with its items is shown whole: every item is the rule
# a Chinese unit listing this many items, mostly in Latin letters, is a roll of brand names
# ('中国邮政储蓄银行 POSTAL SAVINGS BANK OF CHINA 邮晓蕊、inspir.ai 启元世界、…'), not a fact
NAME_LIST_SHARE, NAME_LIST_ITEMS = 0.3, 3


@dataclass(frozen=True)
class Answer:
    chunk_id: str
    quote: str  # verbatim from the passage
    text: str  # the statement in the plan's language
    score: float


SUB_HEADING = ("●", "■", "◆", "▪", "•")  # marks a sub-heading inside a section


def _continues(passage: str, focus: Focus) -> bool:
    """The line a continuing passage opens with carries the answer on: it is prose, announces a list
    ('…如下：'), is a bulleted sub-heading of the answering section ('● 可能面临的挑战'), or names what
    the question asks. An unmarked or numbered heading of its own subject ('数据隐私和安全合规…',
    '03 设定…机制') starts the next section of the document, not the rest of the answer."""
    first = first_content(passage).strip()
    if not is_heading(first):  # prose goes on with what the passage before announced
        return True
    return first.endswith(("：", ":")) or first.startswith(SUB_HEADING) or focus.score(first) > 0


def _listing(text: str) -> bool:
    """Items in a row: '、'-separated, or names with no clause punctuation at all."""
    return text.count("、") >= NAME_LIST_ITEMS or not any(p in text for p in "，。；,;：:")


def brand_roll(text: str) -> bool:
    """A Chinese row of names mostly in Latin letters: products and companies, not a fact."""
    latin = sum(ch.isascii() and ch.isalpha() for ch in text)
    chinese = any("\u4e00" <= ch <= "\u9fff" for ch in text)
    return chinese and latin > NAME_LIST_SHARE * len(text) and _listing(text)


def _usable(unit: Unit) -> bool:
    """Not an advertisement, filler, a question, or a sentence that only announces what follows."""
    text = unit.text
    if text.endswith(("：", ":")):
        return False  # it only announces what follows
    if unit.kind == "sentence" and refers_back(text):
        return False
    if unit.kind == "heading" and TOPIC_TITLE.search(text.rstrip("。.")):
        return False  # a bare title names a subject and says nothing about it
    return (
        len(text) >= 8
        and not brand_roll(text)
        and not PROMO.search(text)
        and not FLUFF.search(text)
        and not text.endswith(("？", "?", "，", ",", "、"))  # a question, or a sentence cut off
    )


LISTED: dict[Language, str] = {"zh": "资料所列：", "en": "Listed in the documents: "}


def listed(text: str, language: Language) -> str:
    """A run of names (table cells, a list without a predicate) under a plain label: it is shown
    as what the documents list, never as a statement or advice."""
    return f"{LISTED[language]}{text}" if is_listing(text) else text


def _with_lead_ins(passage: str) -> list[tuple[Unit, bool]]:
    """The passage's answer units, a listed item joined to its lead-in (agents.offline.articles),
    each with whether it was."""
    out = [(unit, False) for unit in qa_units(passage)]
    # a short article whole: its deadline and its subject answer together ('第二十七条 …180日；…')
    out += [(Unit("sentence", passage[a:b], clean(passage[a:b])), False) for a, b in article_spans(passage)]
    for unit in answer_units(passage):
        item = with_lead_in(passage, unit.quote) if unit.kind == "sentence" else None
        out.append((unit, False) if item is None else (replace(unit, quote=item.quote, text=item.text), True))
    return out


def _scored_text(unit: Unit) -> str:
    """What relevance reads: a table row under its label, cells apart (not an enumeration); a
    heading's sentence together with its heading."""
    if unit.kind == "table":
        return f"{unit.label}：{unit.quote}"
    if unit.kind == "heading" and unit.label and not unit.text.startswith(unit.label):
        return f"{unit.label}：{unit.text}"
    return unit.text


def _repeats(a: Answer, b: Answer, joined: set[str]) -> bool:
    """`a` is part of the longer answer `b`: b is a whole article or a FAQ pair, or a is an item
    joined to its lead-in."""
    whole = bool(ARTICLE.match(b.text)) or bool(QUESTION.match(b.text))
    return a.quote != b.quote and a.quote in b.quote and (a.quote in joined or whole)


def _base(
    unit: Unit, ev: Evidence, focus: Focus, question: str, df: DocumentFrequency | None,
    inherit: Mapping[str, float] | None, targets: frozenset[str],
) -> float:  # fmt: skip
    """How well a unit answers the question by its own words, its place and the answer it continues."""
    scored_text = _scored_text(unit)
    # a passage is about its document's title and section too ('员工使用生成式人工智能工具指引 >
    # 须经部门负责人同意的场景'), discounted: the question's subject need not be repeated in every item
    placed = TITLE_CREDIT * focus.score(f"{ev.title} {ev.section} {scored_text}")
    relevance = max(focus.score(scored_text), placed) * preamble_share(unit.text, question, df)
    if unit.opening and inherit and ev.chunk_id in inherit and _continues(ev.text, focus):
        relevance = max(relevance, inherit[ev.chunk_id])
    if _INLINE_LIST.match(unit.quote) and (thesis := _THESIS.search(ev.text[: ev.text.find(unit.quote)])):
        relevance = max(relevance, focus.score(clean(thesis.group(1))))
    if relevance >= MIN_RELEVANCE and announces(unit.quote, targets):
        relevance += ANNOUNCE_FIT  # '上线应当具备以下条件：…' lists what '要满足哪些条件？' asks for
    return relevance


def announces(text: str, targets: frozenset[str]) -> bool:
    """The text introduces a list of what the question asks for ('具备以下条件：', '风险包括：'), its items
    on the lines below."""
    return any(
        re.search(rf"((以下|下列)的?{w}[^\n：:]{{0,6}}|{w}(如下|包括|有))[：:]\s*\n", text)
        for w in (re.escape(t) for t in targets if len(t) >= 2 and not t.isascii())
    )


def direct_answers(
    question: str,
    evidence: Sequence[Evidence],
    language: Language,
    limit: int = 3,
    df: DocumentFrequency | None = None,
    inherit: Mapping[str, float] | None = None,
    context: str = "",
) -> list[Answer]:
    """The best answering units of the plan's evidence (evidence given best first).

    `inherit` gives passages that continue an answering passage (agents.neighbors) that
    passage's relevance for the list they open with, which names no question word itself.
    """
    pool: dict[str, tuple[Unit, Evidence, int]] = {}
    wanted = asked(question)
    joined: set[str] = set()  # quotes of items joined to their lead-ins
    for rank, ev in enumerate(evidence):
        for unit, item in _with_lead_ins(ev.text):
            if _usable(unit) and unit.quote not in pool and not mismatched(unit.text, wanted):
                pool[unit.quote] = (unit, ev, rank)
                joined.update([unit.quote] if item else [])
    own = named_industries(question)
    texts = [_scored_text(u) for u, _, _ in pool.values()]
    focus = Focus(question, texts, anchored=True, df=df, context=context)
    if not focus:
        return []
    # '最多罚多少？': the unit stating the largest sum answers it, whatever else matches more words
    money = {q: largest_money(u.text) for q, (u, _, _) in pool.items()} if MOST_MONEY.search(question) else {}
    most = max(money.values(), default=0.0)
    targets = asked_for(question)  # what the question asks a list of, read once
    how_long = DURATION_ASK.search(question) is not None
    base = {q: _base(u, ev, focus, question, df, inherit, targets) for q, (u, ev, _) in pool.items()}
    ranked = rankings(list(pool.values()), base)
    order: dict[str, tuple[int, int]] = {}  # an answer's place: its passage's rank, its offset there
    entries: dict[str, str] = {}  # a later entry of a list the text walks through -> the list's opening
    scored: list[Answer] = []
    read: dict[str, str] = {}  # an answer's quote -> what relevance read of it
    for unit, ev, rank in pool.values():
        scored_text = _scored_text(unit)
        placed_text = f"{ev.title} {ev.section} {scored_text}"
        relevance = base[unit.quote]
        entry, opener = ranked_entry(unit, ev, ranked)
        if RANK_SHARE * entry > relevance:
            relevance = RANK_SHARE * entry
        else:
            opener = ""
        if most and money[unit.quote] == most and relevance >= MIN_RELEVANCE / 2:
            relevance += AMOUNT_FIT
        # a threshold alone is no answer: '抽检比例不低于5%' holds 89% too, yet speaks of labelling
        on_topic = relevance >= MIN_RELEVANCE / 2
        if on_topic and fits(unit.text, wanted):  # the rule for the question's own amount
            relevance += AMOUNT_FIT  # above a full word match: the rule for exactly this case
        elif on_topic and names_wanted(unit.text, wanted):  # a rule for the question's own level or grade
            relevance += LEVEL_FIT
        if (
            relevance > 0 and how_long and DURATION.search(unit.text)
        ):  # '审批要多长时间？': '10个工作日内出具…'
            relevance += AMOUNT_FIT  # the span asked for, as a threshold is the amount asked for
        # one ask of several is a question of its own: its answer need not match the others' words
        asks = focus.subs if len(focus.subs) > 1 and relevance < MIN_RELEVANCE else []
        if relevance < MIN_RELEVANCE and not any(s.score(placed_text) >= SUB_ANSWER for s in asks):
            continue
        if focus.lone_match(placed_text) and named_industries(placed_text) - own:
            continue  # one word of the question in another trade's practice ('海外' of a film studio)
        names_only = unit.kind != "list" and is_listing(unit.text)
        if names_only and not focus.names(_scored_text(unit)):
            continue  # a row of names answers only a question that names one of them
        table = unit.kind == "table" and "\n" in unit.quote
        whole = table or bool(ARTICLE.match(unit.text))
        cap = ARTICLE_CHARS if whole else MAX_CHARS  # an article or a table is the rule only whole
        text = shorten(unit.text, cap)  # English plans quote too: offline mode does not translate
        if text:
            quote = unit.quote
            if unit.kind == "sentence" and text == unit.text:  # with the sentence that spells it out
                text, quote = with_elaboration(text, quote, ev.text)
            text = as_rule(text, quote, ev.text, ev.section, language)
            text = f"{LISTED[language]}{text}" if names_only else text
            score = relevance + 0.05 / (1 + rank) - (0.1 if len(unit.text) > 2 * cap else 0.0)
            scored.append(Answer(ev.chunk_id, quote, text, score))
            entries.update({quote: opener} if opener else {})
            order[quote] = (rank, ev.text.find(quote))
            read[quote] = f"{ev.section} {scored_text}"
    if not scored:
        return []
    best = max(a.score for a in scored)
    close = [a for a in scored if a.score >= best * KEEP_SHARE]
    # '风险等级怎么定、由谁审批、上线前要满足什么条件？': each ask keeps the unit that answers it best,
    # however much more another ask's answer matches of the whole question
    # (its best two: a rule that names the ask in passing, '审批权限按照风险等级…确定', may lead it)
    for sub in focus.subs if len(focus.subs) > 1 else []:
        tops = sorted(scored, key=lambda a: -sub.score(read[a.quote]))[:SUB_TOPS]
        close += [
            replace(a, score=best * KEEP_SHARE)
            for a in tops
            if sub.score(read[a.quote]) >= SUB_ANSWER and all(a.quote != c.quote for c in close)
        ]
    limit = max(limit, len(focus.subs) + 1)
    # a whole article says what its sentences say, and a list what its item (with lead-in) says
    close = [a for a in close if not any(_repeats(a, b, joined) for b in close)]
    main = mmr([a for a in close if a.quote not in entries], _score, _tokens, limit, max_sim=0.4)
    # the later entries of a list whose opening is shown complete it: they take no other answer's place
    going_on = [a for a in close if a.quote in entries and any(entries[a.quote] in m.quote for m in main)]
    going_on = mmr(going_on, _score, _tokens, len(going_on), max_sim=0.4)  # no near-duplicates
    return main + sorted(going_on, key=lambda a: order[a.quote])[:MAX_ENTRIES]  # in reading order


def _score(a: Answer) -> float:
    return a.score


def _tokens(a: Answer) -> frozenset[str]:
    return tokens(a.quote)
