"""Text utilities shared by the offline nodes: language, sentences, tokens, area scores, MMR.

Everything here is pure and cached where it is hot: the same passages come back on every
plan, so tokenizing and sentence-splitting them once per process keeps an offline plan cheap.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TypeVar

from agents.language.lexicon import AREA_TERMS, CORE_TERMS, GENERIC, PREDICATE
from agents.state import AREAS, Area, Language
from store.index.lexical import cut

_CJK = re.compile(r"[\u4e00-\u9fff]")
_LATIN = re.compile(r"[A-Za-z]")
_SENT_END = re.compile(r"(?<=[。！？!?；;])")
_LEADING_MARKS = re.compile(
    r"^(#{1,6}\s*|[-*•●■◆>]\s*|\d{1,2}\s+|\d{1,2}(\.\d+)*[、.．)]\s*|[（(]\d{1,2}[)）]\s*|"
    r"[一二三四五六七八九十]+[、.．]\s*|第[一二三四五六七八九十]+(?![一二三四五六七八九十百零条章节款项部篇])[、，,]?\s*)+"
)
_FRONT_MATTER = re.compile(r"^(---|[a-z_]+:\s)")
_CONNECTOR = re.compile(
    r"^(为此|因此|此外|同时|另外|对此|首先|其次|再次|最后|另一方面|一方面|总之|所以|然而|当然|相应地|这样|"
    r"在这一背景下|在此基础上|在这个过程中|与此同时|综上所述|总体上而言|具体来说|针对这一问题|针对这些问题)[，,、]?\s*"
)
_FILLER = re.compile(r"^(例如|比如|譬如|在这个过程中|这部分|其中|尤其是)[，,]?")
_LEAD_MODAL = re.compile(r"^(如何|还|也|更)?(应当|应该|需要|必须|须|需|应|可以|可|要|会)?(?=[\u4e00-\u9fff])")
_ADVERBIAL = re.compile(r"^(为了|为|在|随着|对于|针对|如果|由于|当|面对|鉴于)")
_SUBJECT_MODAL = re.compile(
    r"(建议)?(企业|公司|管理层|组织)(在[^，。]{0,16}(时|中|过程中|方面)[，,])?(还|也|更|则)?"
    r"(应当|应该|需要|必须|须|需|应|可以|可|要|会)(?=[\u4e00-\u9fffA-Za-z])"
)
_EN_WORD = re.compile(r"[a-z][a-z0-9'\-/]*")
_PUNCT_ONLY = re.compile(r"^[\W_]+$")
_EDGE = " \t\u3000*#>-•●■"
_PURPOSE_LEAD = re.compile(r"^(为了|为解决|为实现|为确保|为更好地?)[^，。；]{2,30}[，,]")
_GENERIC_LOWER = frozenset(w.lower() for w in GENERIC)


def _word(term: str) -> re.Pattern[str]:
    """An ASCII term as a whole word; CJK neighbours count as boundaries ('AI客服' has 'ai')."""
    return re.compile(rf"(?<![a-z0-9]){re.escape(term.lower())}(?![a-z0-9])")


_EN_TERMS: dict[Area, list[tuple[re.Pattern[str], int]]] = {
    area: [(_word(t), w) for t, w in {t.lower(): w for t, w in terms.items() if t.isascii()}.items()]
    for area, terms in AREA_TERMS.items()
}
_ZH_TERMS: dict[Area, list[tuple[str, int]]] = {
    area: sorted(((t, w) for t, w in terms.items() if not t.isascii()), key=lambda x: -len(x[0]))
    for area, terms in AREA_TERMS.items()
}
_CORE_EN = [_word(t) for t in {t.lower() for t in CORE_TERMS if t.isascii()}]
_CORE_ZH = [t for t in CORE_TERMS if not t.isascii()]


def detect_language(text: str) -> Language:
    """zh when CJK characters dominate: each counts as much as two Latin letters."""
    cjk = len(_CJK.findall(text))
    latin = len(_LATIN.findall(text))
    return "zh" if cjk and cjk * 2 >= latin else "en"


@dataclass(frozen=True)
class Segment:
    """One sentence (or heading) of a passage: `raw` is a verbatim substring, `clean` is for display."""

    raw: str
    clean: str
    heading: bool = False


def clean(text: str) -> str:
    """Strip markdown emphasis, bullets and numbering from a sentence for display."""
    out = text.replace("**", "").replace("__", "").strip()
    out = _LEADING_MARKS.sub("", out).strip()
    return out.strip(" \t\u3000")


@lru_cache(maxsize=8192)
def segments(text: str) -> tuple[Segment, ...]:
    """Sentences and headings of a passage, in order; front matter and empty lines are skipped."""
    out: list[Segment] = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or _FRONT_MATTER.match(stripped):
            continue
        if stripped.startswith("#"):
            out.append(Segment(stripped.strip(_EDGE), clean(stripped), heading=True))
            continue
        for piece in _SENT_END.split(stripped):
            raw = piece.strip(_EDGE)
            if raw and not _PUNCT_ONLY.match(raw):
                out.append(Segment(raw, clean(raw)))
    return tuple(out)


@lru_cache(maxsize=8192)
def _word_edges(text: str) -> frozenset[int]:
    """Offsets where a word starts or ends in the text (dictionary segmentation)."""
    edges, at = {0}, 0
    for word in cut(text):
        at += len(word)
        edges.add(at)
    return frozenset(edges)


def _cut_out(text: str, match: re.Match[str] | None) -> str:
    """The text without a matched modal, only when the match is whole words: the '应' of '应用'
    and the '需' of '需求' belong to their words ('应用负责人应当…' keeps its first word)."""
    if match is None or match.end() == match.start():
        return text
    edges = _word_edges(text)
    if match.start() not in edges or match.end() not in edges:
        return text
    return text[: match.start()] + text[match.end() :]


def imperative(sentence: str) -> str:
    """Turn '为此，企业应重视用户的反馈' into '重视用户的反馈': advice reads as an action."""
    out = strip_connectors(sentence)
    match = _SUBJECT_MODAL.search(out)
    if match and match.start() <= 20:
        out = _cut_out(out, match)
    out = strip_connectors(out)
    out = _cut_out(out, _LEAD_MODAL.match(out)).lstrip("，, ")
    rest = _PURPOSE_LEAD.sub("", out)
    if len(rest) >= 12:
        out = strip_connectors(rest)
        out = _cut_out(out, _LEAD_MODAL.match(out))
        out = _cut_out(out, _SUBJECT_MODAL.match(out))
    return shorten(out, 140)


def strip_connectors(sentence: str) -> str:
    """'然而，技术的复杂性…' -> '技术的复杂性…'; a sentence ending in '；' ends in '。'."""
    out = sentence
    while (new := _CONNECTOR.sub("", out)) != out:
        out = new
    out = out.strip().rstrip("；;，,")
    if out and out[-1] not in "。！？!?.":
        out += "。" if _CJK.search(out) else ""
    return out


def action_clause(sentence: str, verbs: re.Pattern[str]) -> str:
    """The clause that carries the action: not a purpose or setting clause, ideally with a verb."""
    clauses = [c.strip() for c in re.split(r"[，；,;：:]", sentence.rstrip("。！？；;")) if c.strip()]
    main = [c for c in clauses if not _ADVERBIAL.match(c)] or clauses
    return next((c for c in main if verbs.search(c)), main[0] if main else sentence)[:40]


SENTENCE_END = re.compile(r"(?<=[。！？!?])")  # splits a text after each full stop, keeping it
SAYS_ENOUGH = 30  # characters: whole sentences this long stand on their own


def shorten(sentence: str, limit: int = 100) -> str:
    """Make an overlong sentence readable: keep whole sentences of a longer text when they say
    enough, else drop examples and filler clauses, then cut at a clause."""
    if len(sentence) <= limit:
        return sentence
    whole = ""
    for part in (p for p in SENTENCE_END.split(sentence) if p.strip()):
        if len(whole) + len(part) > limit:
            break
        whole += part
    if len(whole) >= SAYS_ENOUGH:
        return whole
    clauses = [c for c in re.split(r"(?<=[，；,;])", sentence.rstrip("。")) if c]
    kept = [c for c in clauses if not _FILLER.match(c)] or clauses
    sentence = "".join(kept).rstrip("，；,; ") + "。"
    if len(sentence) <= limit:
        return sentence
    cut = max(sentence.rfind(mark, 0, limit) for mark in "，；,;")
    if cut < 30:  # no clause boundary to cut at: a long sentence beats a broken one
        return sentence
    return sentence[:cut].rstrip("，；,; ") + "。"


def first_clause(sentence: str, limit: int = 36) -> str:
    """The leading clause of a sentence, for one-line mentions in the summary."""
    text = sentence.rstrip("。！？!?；;")
    for mark in "，；,;：:":
        idx = text.find(mark)
        if 6 <= idx <= limit:
            return text[:idx]
    return text[:limit]


_ROW_LABEL = re.compile(r"^[^：:，。,;；]{1,12}[：:]")
_ITEM_SPLIT_ZH = re.compile(r"[、\t|｜/]+|\s+")
_ITEM_SPLIT = re.compile(r"[、\t|｜]+|\s{2,}")
LISTING_ITEMS = 3  # this many short items without a predicate are a list, not a statement
ITEM_MAX = 16  # characters: a longer last item carries a predicate


def is_listing(text: str) -> bool:
    """Whether a text is a run of names (table cells, an industry header row, '零售、体检、辅助诊断…')
    rather than a statement: three or more short items, no clause punctuation, and no last item
    that carries a predicate ('数据、算力、人才是AI落地的三大要素' is a statement)."""
    body = _ROW_LABEL.sub("", clean(text).rstrip("。.；;！!"))
    if not body or any(p in body for p in "，。；,;！？!?"):
        return False
    items = [i for i in (_ITEM_SPLIT_ZH if _CJK.search(body) else _ITEM_SPLIT).split(body) if i.strip()]
    if len(items) < LISTING_ITEMS:
        return False
    return len(items[-1]) <= ITEM_MAX and not PREDICATE.search(items[-1])


def words(text: str) -> list[str]:
    """The text's words in order (dictionary segmentation), punctuation and spaces included."""
    return cut(text)


@lru_cache(maxsize=65536)
def tokens(text: str) -> frozenset[str]:
    """Content words, lower-cased, minus generic words and single characters.

    Words rather than bigrams: support and relevance check them as substrings of the passage
    text, which already forgives segmentation differences, while bigrams across word
    boundaries ('们是', '内落') would only add noise.
    """
    out = set()
    for word in cut(text):
        low = word.strip().lower()
        if len(low) < 2 or low in _GENERIC_LOWER or _PUNCT_ONLY.match(low):
            continue
        out.add(low)
    return frozenset(out)


@lru_cache(maxsize=8192)
def area_scores(text: str) -> dict[Area, int]:
    """Weighted lexicon hits per area: Chinese terms as substrings, English terms as words."""
    low = text.lower()
    scores: dict[Area, int] = {}
    for area in AREAS:
        rest, score = text, 0
        for t, w in _ZH_TERMS[area]:  # longest first: '模型' inside '大模型' is not a second hit
            if t in rest:
                score += w
                rest = rest.replace(t, "\0")
        score += sum(w for rx, w in _EN_TERMS[area] if rx.search(low))
        if score:
            scores[area] = score
    return scores


def core_hits(text: str) -> int:
    low = text.lower()
    return sum(1 for t in _CORE_ZH if t in text) + sum(1 for rx in _CORE_EN if rx.search(low))


def english_words(text: str) -> list[str]:
    return _EN_WORD.findall(text.lower())


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


T = TypeVar("T")


def mmr(
    items: Sequence[T],
    relevance: Callable[[T], float],
    token_set: Callable[[T], frozenset[str]],
    k: int,
    *,
    lam: float = 0.7,
    max_sim: float = 0.5,
) -> list[T]:
    """Maximal marginal relevance over token sets; near-duplicates (Jaccard > max_sim) are skipped."""
    pool = list(items)
    chosen: list[T] = []
    while pool and len(chosen) < k:
        best, best_score = None, float("-inf")
        for item in pool:
            sim = max((jaccard(token_set(item), token_set(c)) for c in chosen), default=0.0)
            if sim > max_sim:
                continue
            score = lam * relevance(item) - (1 - lam) * sim
            if score > best_score:
                best, best_score = item, score
        if best is None:
            break
        chosen.append(best)
        pool.remove(best)
    return chosen
