"""What a question asks, before any evidence is read: its words, the category it asks for, the
clauses that only set the scene, the several questions it may hold, and its most specific phrases.

agents.offline.focus weighs these words to score evidence; searches use `key_phrases`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from agents.language.glossary import expand_query
from agents.language.lexicon import ADVICE_QUESTION, FRAME, FUNCTION_CHARS, GENERIC, VERDICT
from agents.language.synonyms import compounds
from agents.language.text import detect_language, words
from agents.language.vocab import load
from agents.offline.asks import english_asks, listed_asks
from store.index.lexical import cut_for_search

COMMON_SHARE = 0.2  # a phrase in more than this share of passages is too common to search alone
# '要做哪些风险评审？评审看什么？': each question mark ends one question of its own
_SUB_END = re.compile(r"(?<=[？?])")
_CLAUSE = re.compile(r"[，,；;。]")
# the words that make a clause the one asking ('谁来承担责任？', '要走什么流程？')
_INTERROGATIVE = re.compile(
    r"谁|什么|哪|怎|如何|吗|多少|多久|(?<![十百千万两一二三四五六七八九\d])几(?![十百千万])|是否|是不是|能否|能不能|可否|可不可以|要不要|有没有|呢"
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


def _merged(pieces: list[str]) -> list[str]:
    """Adjacent pieces that spell a known compound ('数据保护' + '官' -> '数据保护官'), joined."""
    known, out, i = compounds(), [], 0
    while i < len(pieces):
        j = next((j for j in range(len(pieces), i + 1, -1) if "".join(pieces[i:j]) in known), i + 1)
        out.append("".join(pieces[i:j]))
        i = j
    return out


@lru_cache(maxsize=4096)
def question_words(question: str) -> tuple[str, ...]:
    """The question's words in order, lone characters joined back ('外'+'包' -> '外包') as the index
    does, and the pieces of a known compound joined into it."""
    out: list[str] = []
    pending = ""
    for word in [*_merged(words(question)), "。"]:
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


_BUDGET: dict[str, Any] = load("facets")["constraints"]["budget"]
_PRICE_ASKED = re.compile(_BUDGET["asks"], re.IGNORECASE)
PRICE_WORDS: tuple[str, ...] = tuple(_BUDGET["asked_as"])


_WORTH_ASKED = re.compile(_BUDGET["worth_asks"], re.IGNORECASE)
WORTH_WORDS: tuple[str, ...] = tuple(_BUDGET["worth_as"])


_READINGS: tuple[tuple[re.Pattern[str], tuple[str, ...], tuple[str, ...]], ...] = tuple(
    (re.compile(r["asks"], re.IGNORECASE), tuple(r["words"]), tuple(r.get("areas", ())))
    for r in load("facets")["readings"].values()
)


def read_as(question: str) -> list[str]:
    """The words a question is also read with: those prices go by when it asks a price ('一年要花
    多少钱？' -> 成本), those of return on investment when it asks whether spending pays off ('值不值'),
    and those of each kind of question it is (build or buy: 自行研发, 解决方案提供商)."""
    words = [
        *(PRICE_WORDS if price_asked(question) else ()),
        *(WORTH_WORDS if _WORTH_ASKED.search(question) else ()),
        *(w for rx, found, _ in _READINGS if rx.search(question) for w in found),
    ]
    return [w for w in dict.fromkeys(words) if w not in question]


def reading_areas(question: str) -> frozenset[str]:
    """The areas the kind of question it is consults (build or buy: technology and market)."""
    return frozenset(a for rx, _, areas in _READINGS if rx.search(question) for a in areas)


def price_asked(question: str) -> bool:
    """The question asks what something costs ('要花多少钱', 'What does it cost to run…?')."""
    return _PRICE_ASKED.search(question) is not None


def _targets(question: str) -> set[str]:
    """Words naming what a Chinese wh-question asks for: the noun phrase after 哪些/什么,
    or, when the question ends in '有哪些', the one before it ('应用场景有哪些'); a price asked for
    ('要花多少钱') is asked as its category (成本)."""
    out: set[str] = set(PRICE_WORDS) if price_asked(question) else set()
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


def asked_for(question: str) -> frozenset[str]:
    """The categories a Chinese wh-question asks for ('需要走哪些流程？' -> 流程): answers name their
    instances, so the category is never what the documents lack."""
    return frozenset(_targets(question))


@lru_cache(maxsize=1024)
def context_terms(question: str, context: str) -> tuple[Term, ...]:
    """The words of `context` the question does not use itself, as background terms."""
    own = {t.word for t in question_terms(question)}
    return tuple(Term(t.word, t.parts, background=True) for t in question_terms(context) if t.word not in own)


@lru_cache(maxsize=4096)
def setting_clauses(question: str) -> tuple[str, ...]:
    """The clauses of a Chinese question that set the scene before the clause that asks
    ('AI系统做出的决定损害了客户利益，' before '谁来承担责任？'): context, not what is asked."""
    if detect_language(question) != "zh":
        return ()
    out: list[str] = []
    for sentence in _SUB_END.split(question):
        clauses = [c for c in _CLAUSE.split(sentence) if c.strip()]
        asking = [i for i, c in enumerate(clauses) if _INTERROGATIVE.search(c)]
        # '…，有什么建议？' asks for advice on the whole scene: every clause is what is asked
        if asking and not ADVICE_QUESTION.search(clauses[asking[0]]):
            out += [c for c in clauses[: asking[0]] if not _INTERROGATIVE.search(c)]
    return tuple(out)


@lru_cache(maxsize=4096)
def question_terms(question: str) -> tuple[Term, ...]:
    question = VERDICT.sub(" ", question)  # '…这样做合规吗？' asks about the scene, not about 合规
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
    scene_en, asked_en = english_scene(question)
    if scene_en:  # 'Our logistics company wants… With a small team, what controls…?': the scene is context
        purpose += f" {scene_en}"
        asked = asked_en
    out = []
    for word in sorted(_content_words(question)):
        parts = tuple(
            dict.fromkeys(
                p.lower()
                for p in cut_for_search(word)
                if len(p) >= 2 and p.lower() != word and p.lower() not in _GENERIC_LOWER
            )
        )
        # an English question's Chinese terms that its asking clause does not give are the scene's
        in_scene = word not in asked and (bool(scene_en) or word in _content_words(purpose))
        out.append(Term(word, parts, in_scene, word in targets))
    return tuple(out)


_CJK_ANY = re.compile(r"[\u4e00-\u9fff]")
_EN_SENTENCE = re.compile(r"(?<=[.?!])\s+")
_EN_WHEN = re.compile(r"\b(before|after|during|once|when|while)\b[^,?]*\?\s*$", re.I)
_EN_ASKS = re.compile(r"\b(what|which|how|who|whom|when|where|why|should|do|does|can|could|must|may)\b", re.I)


def english_scene(question: str) -> tuple[str, set[str]]:
    """(the scene, the words of what is asked) of an English question: the sentences before the one
    that asks, and a clause before its question word ('With a small IT team, what controls…?'), in
    their Chinese search terms too. Empty when the question is Chinese or asks in its first words."""
    cjk = _CJK_ANY.search(question)
    english = question[: cjk.start()] if cjk else question
    if not english.strip() or detect_language(english) != "en":
        return "", set()
    sentences = [x for x in _EN_SENTENCE.split(english.strip()) if x]
    at = next((i for i, x in enumerate(sentences) if x.rstrip().endswith("?")), None)
    if at is None:
        return "", set()
    scene, ask = sentences[:at], sentences[at]
    first = _EN_ASKS.search(ask)
    comma = ask.rfind(",", 0, first.start()) if first else -1
    if comma > 0:
        scene, ask = [*scene, ask[:comma]], ask[comma + 1 :]
    if when := _EN_WHEN.search(ask):  # '…what controls should be in place before go-live?'
        scene, ask = [*scene, when.group(0)], ask[: when.start()]
    if not scene:
        return "", set()
    return expand_query(" ".join(scene)), _content_words(expand_query(ask))


def _content_words(text: str) -> set[str]:
    return {
        w.strip().lower()
        for w in question_words(text)
        if len(w.strip()) >= 2
        and not _RUN_BREAK.search(w.strip())
        and w.strip().lower() not in _GENERIC_LOWER
    }


def sub_questions(question: str) -> list[str]:
    """The questions a Chinese question text asks one after another ('…风险评审？评审看什么？'), each
    with content words of its own; the whole text when it asks one."""
    if detect_language(question) != "zh":
        return english_asks(question)
    parts = [p.strip() for p in _SUB_END.split(question) if p.strip()]
    parts = [q for p in parts for q in listed_asks(p)]
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
