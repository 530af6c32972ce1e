"""Figures in plan text must come from the question or from a cited quote.

An amount, percentage, multiple, count of people or date range that neither the question nor
the statement's own quotes contain is invented; the verifier drops such statements in both
modes. Roadmap span labels ("0–3个月") are structure, not statements, and are not checked.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_FIGURE = re.compile(
    r"(?:RMB|CNY|US\$|\$|¥|￥)\s*\d[\d,.]*\s*(?:万|亿|million|billion|thousand|k|m)?"
    r"|\d[\d,.]*\s*(?:%|％|万元|亿元|万|亿|元|倍|个百分点|percent|million|billion|thousand|yuan|x\b)"
    r"|\d+\s*(?:[-–~至到]\s*\d+\s*)?(?:个月|年|天|周|小时|months?|years?|weeks?|days?|hours?)",
    re.IGNORECASE,
)
_DIGITS = re.compile(r"\d[\d,.]*")


def figures(text: str) -> list[str]:
    return [m.group(0).strip() for m in _FIGURE.finditer(text)]


def _numbers(text: str) -> set[str]:
    return {n.replace(",", "").rstrip(".") for n in _DIGITS.findall(text)}


def invented(text: str, sources: Sequence[str]) -> list[str]:
    """Figures of `text` whose numbers appear in none of the sources (question and quotes)."""
    known: set[str] = set()
    for s in sources:
        known |= _numbers(s)
    return [f for f in figures(text) if not _numbers(f) <= known]
