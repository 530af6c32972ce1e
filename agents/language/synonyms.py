"""Chinese near-synonyms of the domain (agents/data/synonyms.yaml), for questions and passages that
name one thing two ways (批准 / 审批, 监控 / 监测).

Used where the question meets the documents: the planner's searches and the offline engine's
relevance. A synonym counts less than the question's own word (agents.offline.focus).
"""

from __future__ import annotations

from functools import cache

from agents.language.vocab import load


@cache
def _groups() -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for group in load("synonyms")["groups"]:
        for word in group:  # a word of two groups ('境外') has the words of both
            out[word] = tuple(dict.fromkeys([*out.get(word, ()), *(w for w in group if w != word)]))
    for word, narrower in (load("synonyms").get("one_way") or {}).items():  # 处理 may mean 处置, not back
        out[word] = tuple(dict.fromkeys([*out.get(word, ()), *narrower]))
    return out


@cache
def compounds() -> frozenset[str]:
    """The Chinese words of the groups that the segmenter splits into pieces ('数据保护官' ->
    数据保护 + 官): a question that writes one is read as the one word."""
    return frozenset(w for w in _groups() if len(w) >= 2 and not w.isascii())


def alternatives(word: str) -> tuple[str, ...]:
    """Other words for `word` (empty when it has none)."""
    return _groups().get(word, ())


def with_synonyms(text: str) -> str:
    """`text` followed by the synonyms of the words it contains that it does not itself use."""
    extra = [alt for word, alts in _groups().items() if word in text for alt in alts if alt not in text]
    return f"{text} {' '.join(dict.fromkeys(extra))}" if extra else text
