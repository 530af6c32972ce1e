"""What a price asked for is the price of ('采购和运维大概各要花多少钱' -> 采购, 运维)."""

from __future__ import annotations

import re
from collections.abc import Collection

from agents.language.pos import jieba

_PRICE_FRAME = re.compile(r"多少|花|钱|[要需]|大概|大约|一般|左右")
_CLAUSE_END = "，,。；;、？?"


def priced(text: str, asked: re.Match[str], skip: Collection[str]) -> tuple[str, ...]:
    """The other Chinese words of the clause that asks the price (`asked`), less `skip`; empty when
    the clause names nothing else ('一年要花多少钱')."""
    start = max(text.rfind(p, 0, asked.start()) for p in _CLAUSE_END) + 1
    clause = text[start : asked.end()]
    return tuple(
        w
        for w in jieba().lcut(clause)
        if len(w) >= 2 and not w.isascii() and w not in skip and not _PRICE_FRAME.search(w)
    )
