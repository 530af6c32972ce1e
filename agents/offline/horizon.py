"""The horizon a text states, in months ('三年' -> 36, '3-5年' -> 60, 'first quarter' -> 3)."""

from __future__ import annotations

import math
import re

from agents.language.vocab import load

_HORIZON = re.compile(load("facets")["constraints"]["horizon"]["pattern"], re.IGNORECASE)
_NUMERALS = {ch: i for i, ch in enumerate("一二三四五六七八九十", 1)} | {"两": 2}
_STATED_OF_YEAR = re.compile(r"\s*(没有|没|不|无|暂无|也不|还没有)")
_EN_NUMBERS = dict(one=1, two=2, three=3, four=4, five=5, six=6, nine=9, twelve=12, eighteen=18)


def _number(token: str) -> float:
    if token.isdigit():
        return float(token)
    if token.lower() in _EN_NUMBERS:
        return float(_EN_NUMBERS[token.lower()])
    if token == "半":
        return 0.5
    if token.startswith("十"):
        return 10 + _NUMERALS.get(token[1:], 0)
    return float(sum(_NUMERALS.get(ch, 0) for ch in token)) or 1.0


def horizon_months(text: str) -> int | None:
    """The longest horizon a text states, in months (三年 -> 36, 3-5年 -> 60, 18个月 -> 18)."""
    best: int | None = None
    for m in _HORIZON.finditer(text):
        found = m.group(0)
        if _STATED_OF_YEAR.match(text, m.end()) and found in ("今年", "明年"):
            continue  # '今年没有新增编制' says what this year lacks, not how long the plan may take
        nums = [_number(n) for n in re.findall(r"\d+|[一二三四五六七八九十两半]+|[a-z]+", found.lower())]
        nums = [n for n in nums if n]
        if re.search(r"长期|long[- ]term", found, re.I):
            months = 36.0
        elif re.search(r"明年|今年|first year", found, re.I):
            months = 12.0
        elif re.search(r"年|year", found, re.I):
            months = 12 * max(nums, default=1)
        elif re.search(r"季度|quarter", found, re.I):
            months = 3 * max((n for n in nums if n <= 4), default=1)  # "first quarter": one
        elif re.search(r"days", found, re.I):
            months = math.ceil(max(nums, default=90) / 30)
        else:
            months = max(nums, default=0)
        if months and (best is None or months > best):
            best = int(months)
    return best
