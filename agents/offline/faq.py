"""A question-and-answer pair read as one unit.

Handbooks end with a FAQ ("问：可以用AI工具翻译客户发来的合同吗？" / "答：合同文本属于L3敏感数据，不能…").
The answer line rarely repeats what was asked, and the question line alone answers nothing, so a
manager's question matching the FAQ's question found neither. The pair is one unit: scored on both
lines, quoted verbatim from the question through the answer.
"""

from __future__ import annotations

import re
from functools import lru_cache

from agents.language.text import clean
from agents.offline.units import Unit

QUESTION = re.compile(r"^\s*(问|Q)\s*[：:]", re.IGNORECASE)
_ANSWER = re.compile(r"^\s*(答|A)\s*[：:]", re.IGNORECASE)
MAX_PAIR = 300  # characters: a longer answer is read sentence by sentence


@lru_cache(maxsize=4096)
def qa_units(passage: str) -> tuple[Unit, ...]:
    """Each '问：… / 答：…' pair of the passage (the answer on the next non-blank line)."""
    out: list[Unit] = []
    lines = passage.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    for i, line in enumerate(lines):
        if not QUESTION.match(line):
            continue
        j = next((k for k in range(i + 1, len(lines)) if lines[k].strip()), None)
        if j is None or not _ANSWER.match(lines[j]):
            continue
        begin = starts[i] + len(line) - len(line.lstrip())
        end = starts[j] + len(lines[j].rstrip())
        if end - begin <= MAX_PAIR:
            out.append(Unit("sentence", passage[begin:end], f"{clean(line)}{clean(lines[j])}"))
    return tuple(out)
