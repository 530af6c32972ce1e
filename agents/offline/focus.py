"""What the question asks: its content words, weighted, and how well a piece of evidence answers it.

Offline plans used to choose sentences by how much they sound like an area (cue words, area
lexicons), so a narrow question ("which hardware goes AI first?") got a generic area plan even
when the top passage answered it. `Focus` scores evidence against the question itself, BM25-style:

- every content word of the question weighs by its rarity among the candidate texts (IDF over
  the plan's own evidence), so '医疗' in "行业大模型在医疗领域…" outweighs '行业' and '模型',
  and words that no candidate contains carry no weight at all;
- a word counts fully when it occurs in the text, and at a discount when only its sub-words do
  ('数据质量' against '提高数据的质量');
- the score is the matched share of the question's weight, so 1.0 means "about everything the
  question names" whatever the question's length.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from functools import lru_cache

from agents.language.lexicon import FRAME
from agents.language.synonyms import alternatives
from agents.offline.question import Term, context_terms, question_terms, sub_questions
from agents.offline.senses import sense_groups

PARTIAL = 0.6  # credit when only a word's sub-words occur
SYNONYM = 0.8  # credit when only a synonym of the word occurs (agents.language.synonyms)
PASSING = 0.5  # credit when the word occurs only as one item of an enumeration ("金融、教育、零售等")
CONTEXT_WEIGHT = 0.25  # a word only of what the question continues (the thread's earlier question)
BACKGROUND_WEIGHT = 0.5  # a word of the question's purpose clause ("为了支撑模型训练，…")
TARGET_WEIGHT = 0.5  # the category a question asks for ("有哪些应用场景"): answers name its instances
ANCHOR_MISS = 0.6  # a text that misses the question's weightiest word keeps this share of its score
SECTION_CREDIT, TITLE_CREDIT = 0.7, 0.6  # relevance earned through a text's headings, its title
SUB_CREDIT = 0.9  # a text that answers one of a question's several questions fully
SUB_CONTEXT = 1.0  # the rest of the question weighs at most as much as one of its questions


_CLAUSE = re.compile(r"[，。；：,;:！？!?\s]")
LONE_OF = 3  # topical words: a text sharing one of this many answers none of the question
LONG_LIST = 4  # items: an enumeration this long mentions each in passing even without '等'


@lru_cache(maxsize=4096)
def _word_pattern(word: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![a-z0-9]){re.escape(word)}(?![a-z0-9])")


def contains(word: str, low: str) -> bool:
    """Whether lower-cased text holds the word: English words whole ('mid' not in 'midjourney')."""
    if word.isascii() and word[:1].isalnum():
        return word in low and _word_pattern(word).search(low) is not None
    return word in low


def in_passing(word: str, low: str) -> bool:
    """Every occurrence is one item of an enumeration ('金融、教育、零售等'): '、' next to it, in a
    clause that closes its list with '等' or lists four or more. A short closed list ('发生个人信息
    泄露、篡改、丢失的') is the rule's own condition, not a mention in passing."""
    start = low.find(word)
    while start >= 0:
        before = low[start - 1] if start else ""
        after = low[start + len(word) : start + len(word) + 1]
        if before != "、" and after not in ("、", "等"):
            return False
        clause = _CLAUSE.split(low[:start])[-1] + _CLAUSE.split(low[start:])[0]
        if "等" not in clause and clause.count("、") < LONG_LIST - 1:
            return False
        start = low.find(word, start + 1)
    return True


def _pieces(word: str, weights: dict[Term, float]) -> tuple[Term, ...]:
    """The question's terms that a word not among them was split into ('投资回报' -> 投资, 回报)."""
    found = tuple(t for t in weights if len(t.word) >= 2 and t.word != word and t.word in word)
    return found if found and sum(len(t.word) for t in found) >= len(word) else ()


def _split_credit(word: str, pieces: tuple[str, ...], low: str) -> float:
    """A split rendering counts whole when the text has it whole, partly when only its pieces."""
    if contains(word, low):
        return _present(word, low)
    return PARTIAL * sum(1 for p in pieces if contains(p, low)) / len(pieces)


def _present(word: str, low: str) -> float:
    if not contains(word, low):
        return 0.0
    return PASSING if in_passing(word, low) else 1.0


class Focus:
    """Question relevance of texts.

    Word weights are IDF: over the knowledge base when a document-frequency lookup is given
    (agents.corpus), else over the candidate texts themselves. A compound the text does not
    contain earns partial credit for its parts, each by its own weight, so '权限' found for
    '权限管理' counts and '管理' alone hardly does.
    """

    def __init__(
        self,
        question: str,
        candidates: Iterable[str],
        *,
        anchored: bool = False,
        df: Callable[[str], tuple[int, int]] | None = None,
        context: str = "",
        context_cap: float = math.inf,
    ) -> None:
        """`context` is what the question continues (a thread's earlier question, the company's
        profile): its words count as background, so 'who organises that training?' prefers the
        training the thread asked about."""
        lows = [c.lower() for c in candidates]

        def idf(word: str) -> float:
            found, total = df(word) if df else (sum(1 for low in lows if contains(word, low)), len(lows))
            found = min(max(found, 1), max(total, 1))
            return math.log(1 + (total - found + 0.5) / (found + 0.5))

        self.weights: dict[Term, float] = {}
        self.unmatched: list[str] = []  # what the question asks about that no text names
        self.verb_object: set[Term] = set()
        self.parts: dict[Term, tuple[tuple[str, float], ...]] = {}
        self.part_total: dict[Term, float] = {}
        continued = context_terms(question, context)
        for term in (*question_terms(question), *continued):
            if term.word in FRAME:
                continue  # "为了", "各自": how the question is put, not what it is about
            parts = tuple(p for p in term.parts if any(contains(p, low) for low in lows))
            named = any(contains(w, low) for w in (term.word, *alternatives(term.word)) for low in lows)
            if not parts and not named:
                if not (term.background or term.target or term in continued):
                    self.unmatched.append(term.word)
                continue  # nothing here can match it
            if named and not any(contains(term.word, low) for low in lows):
                parts = ()  # named otherwise (数据保护官: 个人信息保护负责人): its pieces are not it
            self.parts[term] = tuple((p, idf(p)) for p in parts)
            # a piece no text names still counts against the rest: '记录' alone is little of '聊天记录'
            self.part_total[term] = sum(idf(p) for p in term.parts) if parts else 0.0
            if parts and not named and len(parts) == 1 and len(parts[0]) == len(term.word) - 1 >= 2:
                self.verb_object.add(term)  # a word no text uses, all but one character of it one they do
            self.weights[term] = idf(term.word) * (
                CONTEXT_WEIGHT
                if term in continued
                else BACKGROUND_WEIGHT
                if term.background
                else TARGET_WEIGHT
                if term.target
                else 1.0
            )
        own = sum(w for t, w in self.weights.items() if t not in continued)
        around = sum(w for t, w in self.weights.items() if t in continued)
        if around > context_cap * own > 0:  # the context weighs at most `context_cap` times the question
            for t in continued:
                if t in self.weights:
                    self.weights[t] *= context_cap * own / around
        self.senses: dict[Term, tuple[str, ...]] = {}
        self.split_senses: dict[Term, tuple[tuple[str, tuple[str, ...]], ...]] = {}
        self._merge_senses(f"{question} {context}")
        self.total = sum(self.weights.values())
        topical = [t for t in self.weights if not (t.target or t.background or t in continued)]
        self.anchor = max(topical, key=lambda t: self.weights[t], default=None) if anchored else None
        self._scored: dict[str, float] = {}  # text -> score: a plan scores the same text many times
        # each of several questions is asked on its own: the list that answers '评审看什么' need not
        # also say '上线之前', which the first question asked
        # '事后要提交什么？' is asked about the incident the text before it describes: the rest of the
        # question is each sub-question's context, so any rule that says 提交 is not a full answer
        subs = sub_questions(question)
        self.subs = (
            [
                Focus(
                    q,
                    lows,
                    anchored=anchored,
                    df=df,
                    context=question.replace(q, " "),
                    context_cap=SUB_CONTEXT,
                )
                for q in subs
            ]
            if len(subs) > 1
            else []
        )

    def _merge_senses(self, question: str) -> None:
        """An English question reaches Chinese texts through each word's Chinese renderings ('controls'
        -> 控制, 监督): they are one word of the question, matched by any of them and weighed once, so
        a text that says 控制 is not short of 监督, and no rule can match 'all' of a dozen senses."""
        for group in sense_groups(question):
            members = [t for t in self.weights if t.word in group]
            # a rendering the segmenter split ('投资回报' -> 投资, 回报) is still one sense: its pieces
            # are no words of the question of their own, and match it only partly
            split = {w: _pieces(w, self.weights) for w in group if w not in {t.word for t in members}}
            split = {w: p for w, p in split.items() if p}
            pieces = {t for p in split.values() for t in p}
            if len(members) + len(split) < 2 or not (members or pieces):
                continue
            keep = max([*members, *pieces], key=lambda t: self.weights[t])
            self.senses[keep] = tuple(t.word for t in members if t is not keep)
            self.split_senses[keep] = tuple((w, tuple(t.word for t in p)) for w, p in split.items())
            for t in {*members, *pieces}:
                if t is not keep:
                    del self.weights[t]

    def _credit(self, term: Term, low: str) -> float:
        if term in self.senses:
            return max(
                self._credit_one(term, low),
                *(_present(w, low) for w in self.senses[term]),
                *(_split_credit(w, p, low) for w, p in self.split_senses[term]),
            )
        return self._credit_one(term, low)

    def _credit_one(self, term: Term, low: str) -> float:
        whole = _present(term.word, low)
        if not whole and any(contains(alt, low) for alt in alternatives(term.word)):
            whole = SYNONYM  # the same thing in the document's word (批准 / 审批)
        if whole or not self.parts[term]:
            return whole
        parts = self.parts[term]
        if term in self.verb_object and contains(parts[0][0], low):
            return SYNONYM  # '签合同' is about the 合同 a text names
        found = sum(w for p, w in parts if contains(p, low))
        return PARTIAL * found / (self.part_total[term] or sum(w for _, w in parts) or 1.0)

    def __bool__(self) -> bool:
        return self.total > 0

    def names(self, text: str) -> bool:
        """Whether the text contains one of the question's own topical words (or its synonym) whole,
        not only parts of them: what a list of names must do to answer the question."""
        low = text.lower()
        return any(
            contains(w, low)
            for t in self.weights
            if not (t.target or t.background)
            for w in (t.word, *alternatives(t.word), *self.senses.get(t, ()))
        )

    def lone_match(self, text: str) -> bool:
        """The text shares one topical word with a question that has three or more: '海外' alone (a
        film's overseas rival) says nothing on '海外大模型API' or the data it may carry."""
        low = text.lower()
        topical = [t for t in self.weights if not (t.target or t.background)]
        return len(topical) >= LONE_OF and sum(1 for t in topical if self._credit(t, low)) == 1

    def score(self, text: str) -> float:
        """0..1: the share of the question's weight that the text matches."""
        if not self.total:
            return 0.0
        if (known := self._scored.get(text)) is None:
            known = self._scored[text] = self._score(text)
        return known

    def _score(self, text: str) -> float:
        low = text.lower()
        credits = {t: self._credit(t, low) for t in self.weights}
        share = sum(w * credits[t] for t, w in self.weights.items()) / self.total
        named = [t for t, c in credits.items() if c]
        if named and all(contains(t.word, low) and in_passing(t.word, low) for t in named):
            # every word it shares with the question is an item of a list ('不得用于营销、客户分析等
            # 其他目的'): it is about something else
            share *= PASSING
        if self.anchor is not None and len(self.weights) > 1 and self._credit(self.anchor, low) < SYNONYM:
            share *= ANCHOR_MISS  # what the question is most specifically about is missing
        return max([share, *(SUB_CREDIT * sub.score(text) for sub in self.subs)])

    def in_context(self, text: str, section: str, title: str = "") -> float:
        """Relevance, or a share of it earned through the headings the text stands under, and a
        smaller share through its document's title, which speaks for every section at once."""
        return max(
            self.score(text),
            SECTION_CREDIT * self.score(f"{section} {text}"),
            TITLE_CREDIT * self.score(f"{title} {section} {text}") if title else 0.0,
        )
