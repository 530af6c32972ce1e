"""Topic words that say who asks, or that the segmenter cut across a domain term.

A question's TF-IDF keywords include the words that describe the asking organisation ('区域性' in
'区域性城商行', '分公司') and jieba's mis-cuts across a term it does not know ('做客服质检' ->
做客|服|质检). Neither is something the documents should answer, so neither is named in `gaps`.
The organisation words, industries and use-case terms come from agents/data/facets.yaml.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from agents.language.vocab import load

_DATA: dict[str, Any] = load("facets")


@cache
def _terms() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(words that name an asker or its industry, domain terms a question may name)."""
    cues = [c for ind in _DATA["industries"].values() for c in ind["cues"] if not c.isascii()]
    uses = [c for u in _DATA["use_cases"].values() for c in (*u["cues"], *u["names"]) if not c.isascii()]
    return tuple((*_DATA["askers"], *cues)), tuple(dict.fromkeys((*cues, *uses)))


def describes_asker(question: str, word: str) -> bool:
    """'分公司', or '区域性' in '区域性城商行': who asks, not what the documents should answer."""
    askers, _ = _terms()
    at = question.find(word)
    after = question[at + len(word) :]
    return any(word.endswith(a) for a in askers) or any(after.startswith(a) for a in askers)


def cuts_a_term(question: str, word: str) -> bool:
    """The segmenter joined a word across a domain term's edge ('做客服质检' -> 做客|服): the
    word overlaps a term the question names without holding it or lying inside it."""
    _, terms = _terms()
    at = question.find(word)
    end = at + len(word)
    for term in terms:
        start = question.find(term)
        while start >= 0:
            stop = start + len(term)
            if (
                start < end
                and at < stop
                and not (start <= at and end <= stop)
                and not (at <= start and stop <= end)
            ):
                return True
            start = question.find(term, start + 1)
    return False
