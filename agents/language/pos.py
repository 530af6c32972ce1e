"""Part-of-speech reading of Chinese text (jieba.posseg), loaded on first use."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

_NUMBERING = re.compile(
    r"^\s*(?:\d{1,2}[.、．)]|[（(]\d{1,2}[)）]|[（(]?[一二三四五六七八九十]{1,3}[、)）])\s*"
)
_LEAD_WORDS = 4  # a step may open with a prepositional phrase ('按照制度第三十七条参加复评')


@cache
def jieba() -> Any:
    import jieba
    import jieba.posseg  # loads jieba's dictionary

    jieba.setLogLevel(60)
    return jieba


def tagged(text: str) -> list[tuple[str, str]]:
    return [(p.word, p.flag) for p in jieba().posseg.cut(text)]


def opens_with_verb(item: str) -> bool:
    """An imperative item: its first word is a verb ('清洗数据，处理缺失…'), or a preposition whose
    phrase leads to one ('按照制度第三十七条参加复评', '对L3数据进行去标识化处理')."""
    words = [(w, f) for w, f in tagged(_NUMBERING.sub("", item)) if w.strip()]
    if not words:
        return False
    first = words[0][1]
    if first == "v":
        return True
    return first == "p" and any(f == "v" for _, f in words[1 : 1 + _LEAD_WORDS])
