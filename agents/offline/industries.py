"""The industries a question or a passage names, from the cues in agents/data/facets.yaml."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any

from agents.language.vocab import load

_DATA: dict[str, Any] = load("facets")


@dataclass(frozen=True)
class Industry:
    key: str
    label: dict[str, str]
    cues: tuple[str, ...]
    evidence: tuple[str, ...]
    names: tuple[str, ...] = field(default=())  # Chinese cues: how a passage names the industry


@cache
def industries() -> tuple[Industry, ...]:
    out = []
    for key, spec in _DATA["industries"].items():
        cues = tuple(spec["cues"])
        out.append(
            Industry(
                key, spec["label"], cues, tuple(spec["evidence"]), tuple(c for c in cues if not c.isascii())
            )
        )
    return tuple(out)


def _position(text: str, low: str, cue: str) -> int | None:
    if cue.isascii():
        found = re.search(rf"(?<![a-z]){re.escape(cue.lower())}(?![a-z])", low)
        return found.start() if found else None
    at = text.find(cue)
    return at if at >= 0 else None


def has_cue(text: str, low: str, cue: str) -> bool:
    return _position(text, low, cue) is not None


@lru_cache(maxsize=1024)
def cues_pattern(cues: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern for `has_cue` over several cues: a Latin cue as a whole word in any case, a
    Chinese one as written. Searching it once is what testing each cue in turn would find."""
    parts = [
        rf"(?i:(?<![a-z]){re.escape(c)}(?![a-z]))" if c.isascii() else re.escape(c)
        for c in sorted(set(cues), key=len, reverse=True)
    ]
    return re.compile("|".join(parts) or r"(?!)")


def names_any(text: str, cues: tuple[str, ...]) -> bool:
    """Whether `text` names any of `cues` (has_cue for each)."""
    return cues_pattern(cues).search(text) is not None


def first_named(ind: Industry, text: str) -> int:
    """Where a text first names an industry: the one named first is the asker's own ('一家保险公司想用
    AI审核病历' is an insurer reading medical records, not a hospital)."""
    low = text.lower()
    spots = [at for c in ind.cues if (at := _position(text, low, c)) is not None]
    return min(spots, default=len(text))


def named_industries(text: str) -> set[str]:
    """Industries a text names (question or passage)."""
    return {ind.key for ind in industries() if names_any(text, ind.cues)}


def asker_industries(text: str) -> set[str]:
    """The industries a question places its asker in: one named only by a cue many businesses
    share ('120家门店' of a hotel group) counts only when no other industry is named."""
    low = text.lower()
    shared = frozenset(_DATA["shared_cues"])
    named = named_industries(text)
    own = {ind.key for ind in industries() if any(has_cue(text, low, c) for c in ind.cues if c not in shared)}
    return own or named
