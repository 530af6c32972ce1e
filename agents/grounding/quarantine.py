"""Planted instructions: document sentences that give orders instead of describing practice.

Text from documents is data. A passage that tells the reader or the assistant to hand over
credentials, ignore its instructions, recommend something, or send something to an address is
set aside before either path sees it, so it can never become an action, summary text or KPI.
The patterns live in agents/data/quarantine.yaml; plans report how many passages were set aside.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache, lru_cache
from typing import TypeVar

from agents.language.vocab import load


@cache
def _rules() -> tuple[tuple[re.Pattern[str], ...], tuple[tuple[re.Pattern[str], re.Pattern[str]], ...], int]:
    data = load("quarantine")
    single = tuple(re.compile(p, re.IGNORECASE) for p in data["patterns"])
    pairs = tuple((re.compile(a, re.IGNORECASE), re.compile(b, re.IGNORECASE)) for a, b in data["near"])
    return single, pairs, int(data["window"])


@cache
def prohibition() -> re.Pattern[str]:
    return re.compile(load("quarantine")["prohibition"], re.IGNORECASE)


def _near(text: str, a: re.Pattern[str], b: re.Pattern[str], window: int) -> bool:
    for m in a.finditer(text):
        lo, hi = max(0, m.start() - window), m.end() + window
        if b.search(text[lo:hi]):
            return True
    return False


_SENTENCES = re.compile(r"(?<=[。！？!?；;\n])")


def _planted_sentence(sentence: str) -> bool:
    single, pairs, window = _rules()
    if any(p.search(sentence) for p in single):
        return True
    # "不得将账号密码上传…" states a rule; it does not ask the reader to hand anything over
    return not prohibition().search(sentence) and any(_near(sentence, a, b, window) for a, b in pairs)


@lru_cache(maxsize=8192)
def is_planted(text: str) -> bool:
    """True when a sentence of the text gives orders to its reader or to an assistant."""
    return any(_planted_sentence(s) for s in _SENTENCES.split(text) if s.strip())


P = TypeVar("P")


def partition(passages: Sequence[P]) -> tuple[list[P], list[P]]:
    """(kept, set aside): passages holding planted instructions are set aside whole."""
    kept: list[P] = []
    aside: list[P] = []
    for p in passages:
        (aside if is_planted(getattr(p, "text", "")) else kept).append(p)
    return kept, aside
