"""A risk sentence that names its own remedy ('…易受对抗攻击，需有效防御技术'): risk and remedy apart."""

from __future__ import annotations

import re

from agents.language.lexicon import ACTION_START
from agents.language.text import imperative
from agents.state import Area, Language

_REMEDY = re.compile(r"^(需要|需|应当|应该|应|必须)")


def own_mitigation(sentence: str, area: Area, language: Language) -> tuple[str, str] | None:
    """A risk sentence that states its own remedy, as (risk, remedy): its '需…/应…' clause
    (Chinese), or the English action of its topic when the sentence supports it."""
    clauses = [c.strip() for c in re.split(r"[，；,;]", sentence.rstrip("。；;")) if c.strip()]
    at = next((i for i, c in enumerate(clauses) if i and _REMEDY.match(c) and len(c) >= 6), None)
    if at is None:
        return None
    remedy = imperative(clauses[at])
    remedy = remedy if ACTION_START.match(remedy) else clauses[at] + "。"  # '需有效防御技术' keeps its verb
    return "，".join(clauses[:at]) + "。", remedy
