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
from dataclasses import dataclass
from functools import lru_cache

from agents.language.lexicon import ADVICE_QUESTION, FRAME, FUNCTION_CHARS, GENERIC
from agents.language.synonyms import alternatives
from agents.language.text import detect_language, words
from agents.offline.senses import sense_groups
from store.index.lexical import cut_for_search

PARTIAL = 0.6  # credit when only a word's sub-words occur
SYNONYM = 0.8  # credit when only a synonym of the word occurs (agents.language.synonyms)
PASSING = 0.5  # credit when the word occurs only as one item of an enumeration ("金融、教育、零售等")
CONTEXT_WEIGHT = 0.25  # a word only of what the question continues (the thread's earlier question)
BACKGROUND_WEIGHT = 0.5  # a word of the question's purpose clause ("为了支撑模型训练，…")
TARGET_WEIGHT = 0.5  # the category a question asks for ("有哪些应用场景"): answers name its instances
ANCHOR_MISS = 0.6  # a text that misses the question's weightiest word keeps this share of its score
COMMON_SHARE = 0.2  # a phrase in more than this share of passages is too common to search alone
SECTION_CREDIT, TITLE_CREDIT = 0.7, 0.6  # relevance earned through a text's headings, its title
SUB_CREDIT = 0.9  # a text that answers one of a question's several questions fully
# '要做哪些风险评审？评审看什么？': each question mark ends one question of its own
_SUB_END = re.compile(r"(?<=[？?])")
_CLAUSE = re.compile(r"[，,；;]")
# the words that make a clause the one asking ('谁来承担责任？', '要走什么流程？')
_INTERROGATIVE = re.compile(
    r"谁|什么|哪|怎|如何|吗|多少|多久|几|是否|能否|能不能|可否|可不可以|要不要|有没有|呢"
)
# Background clauses: a leading purpose ("为了支撑模型训练，") or setting ("部署AI时，") frames
# what is asked without being it.
_PURPOSE = re.compile(
    r"(?:^|(?<=[，,。；;]))\s*((为了|为)[^，,。？?]{2,30}|(在)?[^，,。？?]{2,20}(时|后|之后|以后|过程中))[，,]"
)
_GENERIC_LOWER = frozenset(w.lower() for w in GENERIC)
_RUN_BREAK = re.compile(r"[^\w]|^\d+$")


@dataclass(frozen=True)
class Term:
    word: str
    parts: tuple[str, ...]  # sub-words of a compound, for partial matches
    background: bool = False  # only in the question's purpose clause: context, not what it asks
    target: bool = False  # names the category asked for ("哪些风险"), which answers rarely repeat


_CJK_CHAR = re.compile(r"^[\u4e00-\u9fff]$")


@lru_cache(maxsize=4096)
def question_words(question: str) -> tuple[str, ...]:
    """The question's words in order, lone characters joined back ('外'+'包' -> '外包') as the index does."""
    out: list[str] = []
    pending = ""
    for word in [*words(question), "。"]:
        if _CJK_CHAR.match(word) and word not in FUNCTION_CHARS:
            pending += word
            continue
        if pending:
            out.append(pending)
            pending = ""
        out.append(word)
    return tuple(out[:-1])


def _content(word: str) -> bool:
    low = word.strip().lower()
    return len(low) >= 2 and low not in _GENERIC_LOWER and low not in FRAME and not _RUN_BREAK.search(low)


def _targets(question: str) -> set[str]:
    """Words naming what a Chinese wh-question asks for: the noun phrase after 哪些/什么,
    or, when the question ends in '有哪些', the one before it ('应用场景有哪些')."""
    out: set[str] = set()
    for clause in re.split(r"[，,。？?！!；;、]", question):
        ws = [w for w in question_words(clause) if w.strip()]
        for i, w in enumerate(ws):
            if not w.startswith(("哪", "什么")):
                continue
            if len(w) > 2 and w.startswith("哪些"):  # '哪些因素' is one word
                out.add(w[2:].lower())
            after = [x.lower() for x in ws[i + 1 :] if _content(x)]
            if after:
                out.update(after)
                continue
            j = i - 1
            while j >= 0 and not _content(ws[j]) and len(ws[j]) == 1:
                j -= 1  # '有', '是'
            while j >= 0 and (_content(ws[j]) or ws[j].lower() in _GENERIC_LOWER and ws[j].isascii()):
                out.add(ws[j].lower())
                j -= 1
    return out


@lru_cache(maxsize=1024)
def context_terms(question: str, context: str) -> tuple[Term, ...]:
    """The words of `context` the question does not use itself, as background terms."""
    own = {t.word for t in question_terms(question)}
    return tuple(Term(t.word, t.parts, background=True) for t in question_terms(context) if t.word not in own)


@lru_cache(maxsize=4096)
def setting_clauses(question: str) -> list[str]:
    """The clauses of a Chinese question that set the scene before the clause that asks
    ('AI系统做出的决定损害了客户利益，' before '谁来承担责任？'): context, not what is asked."""
    if detect_language(question) != "zh":
        return []
    out: list[str] = []
    for sentence in _SUB_END.split(question):
        clauses = [c for c in _CLAUSE.split(sentence) if c.strip()]
        asking = [i for i, c in enumerate(clauses) if _INTERROGATIVE.search(c)]
        # '…，有什么建议？' asks for advice on the whole scene: every clause is what is asked
        if asking and not ADVICE_QUESTION.search(clauses[asking[0]]):
            out += [c for c in clauses[: asking[0]] if not _INTERROGATIVE.search(c)]
    return out


def question_terms(question: str) -> tuple[Term, ...]:
    purpose = "".join(m.group(0) for m in _PURPOSE.finditer(question))
    asked = _content_words(_PURPOSE.sub("", question))
    targets = _targets(question)
    scene = setting_clauses(question)
    rest = _PURPOSE.sub("", question)
    for part in scene:
        rest = rest.replace(part, " ", 1)
    # '…，有哪些做法？' names only the category asked for: the scene stays what is asked about
    if _content_words(rest) - targets:
        purpose += "".join(scene)
        asked = _content_words(rest)
    out = []
    for word in sorted(_content_words(question)):
        parts = tuple(
            dict.fromkeys(
                p.lower()
                for p in cut_for_search(word)
                if len(p) >= 2 and p.lower() != word and p.lower() not in _GENERIC_LOWER
            )
        )
        out.append(Term(word, parts, word in _content_words(purpose) and word not in asked, word in targets))
    return tuple(out)


def _content_words(text: str) -> set[str]:
    return {
        w.strip().lower()
        for w in question_words(text)
        if len(w.strip()) >= 2
        and not _RUN_BREAK.search(w.strip())
        and w.strip().lower() not in _GENERIC_LOWER
    }


@lru_cache(maxsize=4096)
def _word_pattern(word: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![a-z0-9]){re.escape(word)}(?![a-z0-9])")


def contains(word: str, low: str) -> bool:
    """Whether lower-cased text holds the word: English words whole ('mid' not in 'midjourney')."""
    if word.isascii() and word[:1].isalnum():
        return word in low and _word_pattern(word).search(low) is not None
    return word in low


def _in_passing(word: str, low: str) -> bool:
    """Every occurrence is one item of an enumeration: '、' or '等' right next to it."""
    start = low.find(word)
    while start >= 0:
        before = low[start - 1] if start else ""
        after = low[start + len(word) : start + len(word) + 1]
        if before != "、" and after not in ("、", "等"):
            return False
        start = low.find(word, start + 1)
    return True


def _present(word: str, low: str) -> float:
    if not contains(word, low):
        return 0.0
    return PASSING if _in_passing(word, low) else 1.0


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
        self.parts: dict[Term, tuple[tuple[str, float], ...]] = {}
        continued = context_terms(question, context)
        for term in (*question_terms(question), *continued):
            if term.word in FRAME:
                continue  # "为了", "各自": how the question is put, not what it is about
            parts = tuple(p for p in term.parts if any(contains(p, low) for low in lows))
            forms = (term.word, *alternatives(term.word))
            if not parts and not any(contains(w, low) for w in forms for low in lows):
                continue  # nothing here can match it
            self.parts[term] = tuple((p, idf(p)) for p in parts)
            self.weights[term] = idf(term.word) * (
                CONTEXT_WEIGHT
                if term in continued
                else BACKGROUND_WEIGHT
                if term.background
                else TARGET_WEIGHT
                if term.target
                else 1.0
            )
        self.senses: dict[Term, tuple[str, ...]] = {}
        self._merge_senses(f"{question} {context}")
        self.total = sum(self.weights.values())
        topical = [t for t in self.weights if not (t.target or t.background)]
        self.anchor = max(topical, key=lambda t: self.weights[t], default=None) if anchored else None
        # each of several questions is asked on its own: the list that answers '评审看什么' need not
        # also say '上线之前', which the first question asked
        subs = sub_questions(question)
        self.subs = [Focus(q, lows, anchored=anchored, df=df) for q in subs] if len(subs) > 1 else []

    def _merge_senses(self, question: str) -> None:
        """An English question reaches Chinese texts through each word's Chinese renderings ('controls'
        -> 控制, 监督): they are one word of the question, matched by any of them and weighed once, so
        a text that says 控制 is not short of 监督, and no rule can match 'all' of a dozen senses."""
        for group in sense_groups(question):
            members = [t for t in self.weights if t.word in group]
            if len(members) < 2:
                continue
            keep = max(members, key=lambda t: self.weights[t])
            self.senses[keep] = tuple(t.word for t in members if t is not keep)
            for t in members:
                if t is not keep:
                    del self.weights[t]

    def _credit(self, term: Term, low: str) -> float:
        if term in self.senses:
            return max(self._credit_one(term, low), *(_present(w, low) for w in self.senses[term]))
        return self._credit_one(term, low)

    def _credit_one(self, term: Term, low: str) -> float:
        whole = _present(term.word, low)
        if not whole and any(contains(alt, low) for alt in alternatives(term.word)):
            whole = SYNONYM  # the same thing in the document's word (批准 / 审批)
        if whole or not self.parts[term]:
            return whole
        parts = self.parts[term]
        found = sum(w for p, w in parts if contains(p, low))
        return PARTIAL * found / (sum(w for _, w in parts) or 1.0)

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

    def score(self, text: str) -> float:
        """0..1: the share of the question's weight that the text matches."""
        if not self.total:
            return 0.0
        low = text.lower()
        share = sum(w * self._credit(t, low) for t, w in self.weights.items()) / self.total
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


def sub_questions(question: str) -> list[str]:
    """The questions a Chinese question text asks one after another ('…风险评审？评审看什么？'), each
    with content words of its own; the whole text when it asks one."""
    if detect_language(question) != "zh":
        return [question]  # an English question's search terms trail its last sentence
    parts = [p.strip() for p in _SUB_END.split(question) if p.strip()]
    # text after the last question mark (the company profile, a thread's topic) is context, not a question
    asked = [p for p in parts if p.endswith(("？", "?")) and _content_words(p)]
    return asked if len(asked) > 1 else [question]


def _join(run: list[str]) -> str:
    out = run[0]
    for prev, word in zip(run, run[1:], strict=False):
        out += (" " if prev.isascii() and word.isascii() else "") + word
    return out


def _runs(question: str) -> list[str]:
    """Runs of adjacent content words, as the question writes them ('数据质量', 'All in AI' -> 'All')."""
    runs: list[list[str]] = [[]]
    for word in question_words(question):
        low = word.strip().lower()
        if not low and (not runs[-1] or runs[-1][-1].isascii()):
            continue  # a space continues an English run ('legacy CRM') and ends a Chinese one
        if _content(word):
            runs[-1].append(word.strip())
        elif runs[-1]:
            runs.append([])
    return list(dict.fromkeys(_join(r) for r in runs if r))


def key_phrases(question: str, df: Callable[[str], tuple[int, int]], limit: int = 2) -> list[str]:
    """The question's most specific phrases that the knowledge base contains, rarest first.

    A phrase is a run of adjacent content words as the question writes it ('数据质量',
    '医疗领域'), so a search for it keeps the compound; a run the knowledge base never uses
    ('医院集团') gives way to its words ('医院'). Searched alone, such a phrase finds the passage
    a whole-question search ranks below the passages that share its common words.
    """
    zh = detect_language(question) == "zh"
    targets = _targets(question)
    scored: dict[str, int] = {}
    for run in _runs(_PURPOSE.sub("", question)) or _runs(question):
        if (not zh and run.isascii()) or _content_words(run) <= targets:
            continue  # English questions search through their Chinese terms; categories find no instances
        options = [run] if df(run)[0] else sorted(_content_words(run) - {run.lower()})
        for phrase in options:
            found, total = df(phrase)
            if 0 < found <= total * COMMON_SHARE:
                scored.setdefault(phrase, found)
    return sorted(scored, key=lambda p: scored[p])[:limit]
