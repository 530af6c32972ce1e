"""What an English request for a count counts ('how many data scientists…' -> data, scientists).

A Chinese request names its counted noun right after 多少 ('多少GPU'); an English one puts it after
'how many' and runs on into the clause ('…should we hire and what will the team cost'). Only the
noun phrase right after 'how many' is what is counted: a quote must name each of its words
(through their dictionary senses) to give that number.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection

from agents.language.vocab import load

_FIGURES = load("facets")["constraints"]["figures"]
_HEADCOUNT = re.compile(_FIGURES["headcount"], re.IGNORECASE)

_ASKED = re.compile(
    r"\bhow many\s+((?:[a-z][a-z-]*\s+){0,2}?[a-z][a-z-]*)"
    r"(?=\s+(?:should|do|does|did|are|is|was|were|will|would|can|could|must|we|you|they|to|per|of|for"
    r"|in|and|or|our|the|it|does)\b|\s*[?,.;:!]|\s*$)",
    re.IGNORECASE,
)
SENSES = 4  # dictionary senses of a word that may stand for it in a quote


def counted_parts(
    value: str, senses: Callable[[str], list[str]], skip: Collection[str]
) -> tuple[tuple[str, ...], ...]:
    """One group of Chinese words per content word of the noun phrase the number is asked of."""
    m = _ASKED.search(value)
    if m is None:
        return ()
    words = [w for w in m.group(1).lower().split() if w not in skip]
    groups = [tuple(s for s in senses(w)[:SENSES] if len(s) > 1) for w in words]
    return tuple(g for g in groups if g)


def headcount_words(value: str) -> tuple[str, ...]:
    """The words a quote giving a headcount uses ('人员', '编制', '名'), when `value` asks for one."""
    return tuple(_FIGURES["headcount_words"]) if _HEADCOUNT.search(value) else ()
