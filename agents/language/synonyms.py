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
        for word in group:
            out[word] = tuple(w for w in group if w != word)
    return out


def alternatives(word: str) -> tuple[str, ...]:
    """Other words for `word` (empty when it has none)."""
    return _groups().get(word, ())


def with_synonyms(text: str) -> str:
    """`text` followed by the synonyms of the words it contains that it does not itself use."""
    extra = [alt for word, alts in _groups().items() if word in text for alt in alts if alt not in text]
    return f"{text} {' '.join(dict.fromkeys(extra))}" if extra else text
