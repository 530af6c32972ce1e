"""The articles a passage refers to by number.

An implementation guide says what to do and points to the rule for the details: '关键指标明显下降时，
按照制度第三十六条报告和分析'. The article itself ('第三十六条 …下降超过5个百分点的，应当在5个工作日内
报告…') often shares few words with the question, so search misses it while finding the pointer.
The article a top passage names is read as evidence too, like any retrieved passage.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from agents.env import Env, search
from store.records import Passage

TOP = 6  # passages whose references are followed
MAX_REFERENCED = 3  # articles fetched per specialist
SEARCH_K = 5
_REFERENCE = re.compile(r"第([一二三四五六七八九十百零]{1,4})条")


def _named(passage: Passage) -> list[str]:
    """'第三十六条' for each article the passage names inside a sentence (not the one it opens with)."""
    out = []
    for m in _REFERENCE.finditer(passage.text):
        line_start = passage.text.rfind("\n", 0, m.start()) + 1
        if passage.text[line_start : m.start()].strip():  # not the article's own heading
            out.append(m.group(0))
    return list(dict.fromkeys(out))


def referenced(env: Env, passages: Sequence[Passage]) -> list[Passage]:
    """The passages holding the articles that the top passages refer to, not already among them."""
    seen = {p.chunk_id for p in passages}
    out: list[Passage] = []
    for p in passages[:TOP]:
        for article in _named(p):
            for q in search(env, article, SEARCH_K, method="bm25"):
                opens = any(line.strip().startswith(article) for line in q.text.splitlines())
                if opens and q.chunk_id not in seen:
                    seen.add(q.chunk_id)
                    out.append(q.model_copy(update={"score": p.score}))
                    break
            if len(out) >= MAX_REFERENCED:
                return out
    return out
