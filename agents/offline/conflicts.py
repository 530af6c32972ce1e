"""Advice that contradicts the question's own constraints (agents/data/conflicts.yaml).

A question that says "IT只有5个人" or "数据不能离开本地服务器" rules some general advice out: hiring
a team, moving to a cloud service. Such a sentence is good practice elsewhere, but as a step of this
plan it tells the manager to do what they said they cannot, so it is not offered as one.
"""

from __future__ import annotations

import re
from functools import cache

from agents.language.vocab import load

_DATA = load("conflicts")


@cache
def _compiled() -> tuple[re.Pattern[str], tuple[tuple[re.Pattern[str], re.Pattern[str]], ...]]:
    unless = re.compile(_DATA["unless"], re.IGNORECASE)
    pairs = tuple(
        (re.compile(c["when"], re.IGNORECASE), re.compile(c["against"], re.IGNORECASE))
        for c in _DATA["conflicts"].values()
    )
    return unless, pairs


def ruled_out(question: str) -> tuple[re.Pattern[str], ...]:
    """The patterns of advice the question's constraints rule out."""
    return tuple(against for when, against in _compiled()[1] if when.search(question))


def contradicts(sentence: str, against: tuple[re.Pattern[str], ...]) -> bool:
    """Whether the sentence advises what the question ruled out (and does not warn against it)."""
    unless = _compiled()[0]
    return any(p.search(sentence) for p in against) and not unless.search(sentence)
