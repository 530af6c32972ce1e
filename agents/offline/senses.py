"""The Chinese renderings of an English question's words, grouped per word.

An English question reaches Chinese documents through each word's renderings: the domain glossary's,
then CC-CEDICT's ('controls' -> 控制, 监督), and a qualifier's forms ('high risk' -> 三级, 高风险).
Relevance (agents.offline.focus) counts a group as one word of the question.
"""

from __future__ import annotations

from functools import lru_cache

from agents.language.glossary import dictionary_terms, glossary_terms
from agents.language.text import english_words
from agents.offline.qualifiers import named_forms


@lru_cache(maxsize=1024)
def sense_groups(question: str) -> tuple[frozenset[str], ...]:
    """Each English word of a question with its Chinese renderings (glossary, then CC-CEDICT), one
    group per word; none for a Chinese question."""
    english = " ".join(w for w in question.split() if w.isascii())
    words_ = dict.fromkeys(english_words(english))
    # the English word itself is one of its senses: a document may write 'ROI' as the question does
    groups = [frozenset([w.lower(), *glossary_terms(w), *dictionary_terms(w)]) for w in words_]
    groups += named_forms(english)  # 'high risk': 三级 or 高风险, as the rules write the level
    merged: list[frozenset[str]] = []
    for group in groups:  # two words' groups that share a rendering name one thing
        joined = [m for m in merged if m & group]
        merged = [m for m in merged if not m & group] + [frozenset(group.union(*joined))]
    return tuple(g for g in merged if len(g) > 1)
