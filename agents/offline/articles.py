"""A listed item quoted with its lead-in, so the rule keeps its subject.

Regulations state a rule as a lead-in and numbered items: "管委会…主要职责是：（一）…（三）审批单项
预算500万元以上的人工智能项目；". Quoted alone, item （三） has lost who approves. An item is shown
after its lead-in, and its quote runs from the lead-in's sentence to the item's end: still a verbatim
span of the passage, so the citation check (agents.grounding) verifies it as it is. An item whose
lead-in is not in the passage stays as it was.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from agents.language.lexicon import PREAMBLE, PREAMBLE_ASKED
from agents.language.text import clean
from agents.offline.corpus import DocumentFrequency
from agents.offline.question import question_terms
from agents.offline.units import ARTICLE

# '（三）', '(3)', '3.', '三、': the markers a regulation numbers its items with
_ITEM = re.compile(
    r"^\s*(?:[（(](?:\d{1,2}|[一二三四五六七八九十]{1,3})[)）]|\d{1,2}[.．、]|[一二三四五六七八九十]+、)"
)
_OPENS = ("：", ":")
_SENTENCE_END = re.compile(r"(?<=[。！？!?；;])")
_BULLETS = ("-", "*", "•", "●")
BARE_ITEM = 40  # characters: a longer bullet says enough on its own
HEADING_LEAD = 40  # characters: a longer line is prose, not a heading over a list
MAX_SPAN = 420  # characters: a longer span is a list too long to quote whole (a chunk is ~400)


@dataclass(frozen=True)
class Item:
    quote: str  # verbatim: the lead-in's sentence through the item
    text: str  # the lead-in and the item, the items between left out
    lead: str  # the lead-in's sentence, cleaned


@lru_cache(maxsize=8192)
def with_lead_in(passage: str, raw: str) -> Item | None:
    """The item `raw` of `passage` joined to the sentence that introduces its list, if any."""
    at = passage.find(raw)
    line_start = passage.rfind("\n", 0, max(at, 0)) + 1
    bullet = at >= 0 and passage[line_start:at].strip() in _BULLETS and len(raw) <= BARE_ITEM
    if at < 0 or not (_ITEM.match(raw) or bullet) or (passage[line_start:at].strip() and not bullet):
        return None  # not an item at the start of its line
    pos = line_start
    while pos > 0:
        end = pos - 1  # the line break before `pos`
        pos = passage.rfind("\n", 0, end) + 1
        line = passage[pos:end]
        stripped = line.strip()
        if not stripped or _ITEM.match(stripped) or stripped[:1] in _BULLETS:
            continue  # blank lines and the list's earlier items
        if stripped.startswith("#") and len(stripped) <= HEADING_LEAD:
            # a short item under a heading ('### （二）须经部门负责人同意的场景' over '- 新闻稿；') means
            # what the heading says of it
            title = stripped.lstrip("#").strip()
            begin = pos + line.index(title)  # the quote starts at the heading's words, not its markup
            if at + len(raw) - begin > MAX_SPAN:
                return None
            # the item's own number ('4. ') is dropped: under a heading it reads as a sentence end
            return Item(passage[begin : at + len(raw)], f"{clean(title)}：{clean(raw)}", clean(title))
        if not stripped.endswith(_OPENS):
            return None  # the item does not follow an introduction
        lead = [s for s in _SENTENCE_END.split(stripped) if s.strip()][-1].strip()
        begin = pos + line.index(lead)
        if at + len(raw) - begin > MAX_SPAN:
            return None
        return Item(passage[begin : at + len(raw)], f"{clean(lead)}{raw.strip()}", clean(lead))
    return None


@lru_cache(maxsize=4096)
def in_articles(passage: str) -> bool:
    """The passage is part of a regulation: a line of it opens a numbered article ('第十八条 …')."""
    return any(ARTICLE.match(line.strip()) for line in passage.splitlines())


ARTICLE_MAX = 220  # characters: a longer article is quoted sentence by sentence


@lru_cache(maxsize=4096)
def article_spans(passage: str) -> tuple[tuple[int, int], ...]:
    """The spans of the passage's one-paragraph articles ('第四十一条 发现…2小时内报告…。较大以上事件…
    24小时内报告管委会。涉及个人信息泄露的…'), each short enough to quote whole. A rule's sentences
    answer together: its last sentence alone loses the deadlines the first one sets. An article that
    introduces items ('…主要职责是：') is left to its items and their lead-in."""
    spans: list[tuple[int, int]] = []
    at = 0
    for line in passage.splitlines(keepends=True):
        body = line.strip()
        if ARTICLE.match(body) and len(body) <= ARTICLE_MAX and not body.endswith(_OPENS):
            start = at + line.index(body)
            spans.append((start, start + len(body)))
        at += len(line)
    return tuple(spans)


RARE_SHARE = 0.2  # a word in at most this share of passages names something in particular
PREAMBLE_SHARE = 0.4  # relevance an enactment, scope or definition clause keeps for other questions


def preamble_share(text: str, question: str, df: DocumentFrequency | None = None) -> float:
    """How much of its relevance a unit keeps: a regulation's opening clause ('为规范…，制定本制度',
    '本指引适用于…', '本制度所称…是指') shares the question's subject words ('员工', 'AI工具') with
    everything, yet answers only a question about the document's purpose, scope or terms, or one
    that names a party the scope clause covers ('外包人员可以使用吗？' for '…适用于…外包人员')."""
    if not PREAMBLE.search(text) or PREAMBLE_ASKED.search(question) or covers_named(text, question, df):
        return 1.0
    return PREAMBLE_SHARE


def covers_named(text: str, question: str, df: DocumentFrequency | None = None) -> bool:
    """The scope clause lists a party the question names, by a word few passages use."""
    at = text.find("适用于")
    if at < 0 or df is None:
        return False  # without the corpus's counts no word can be told apart as particular
    covered = text[at:]
    for term in question_terms(question):
        if term.background:  # '我们事业部想…，需要谁审批？': who asks, not whom the rules cover
            continue
        found, total = df(term.word)
        if len(term.word) >= 2 and term.word in covered and found <= RARE_SHARE * max(total, 1):
            return True
    return False
