"""What the question asks: its content words, weighted, and how well a piece of evidence answers it.

Offline plans used to choose sentences by how much they sound like an area (cue words, area
lexicons), so a narrow question ("which hardware goes AI first?") got a generic area plan even
when the top passage answered it. `Focus` scores evidence against the question itself, BM25-style:

- every content word of the question weighs by its rarity among the candidate texts (IDF over
  the plan's own evidence), so '医疗' in "行业大模型在医疗领域…" outweighs '行业' and '模型',
  and words that no candidate contains carry no weight at all;
- a word counts fully when it occurs in the text, and at a discount when only its sub-words do
  ('数据质量' against '提高数据的质量');
- the score is the matched share of the question's weight, so 1.0 means "about everything the
  question names" whatever the question's length.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

from agents.lexicon import GENERIC
from agents.text import tokens

PARTIAL = 0.6  # credit when only a word's sub-words occur
_GENERIC_LOWER = frozenset(w.lower() for w in GENERIC)


@dataclass(frozen=True)
class Term:
    word: str
    parts: tuple[str, ...]  # sub-words of a compound, for partial matches


@lru_cache(maxsize=1)
def _search_cut() -> Callable[[str], list[str]]:
    """Search-mode segmentation (compounds and their parts): rjieba when installed, else jieba."""
    try:
        import rjieba

        return lambda text: list(rjieba.cut_for_search(text))
    except ImportError:
        import jieba

        return lambda text: list(jieba.cut_for_search(text, HMM=False))


@lru_cache(maxsize=4096)
def question_terms(question: str) -> tuple[Term, ...]:
    out = []
    for word in sorted(tokens(question)):
        parts = tuple(
            dict.fromkeys(
                p.lower()
                for p in _search_cut()(word)
                if len(p) >= 2 and p.lower() != word and p.lower() not in _GENERIC_LOWER
            )
        )
        out.append(Term(word, parts))
    return tuple(out)


def _match(term: Term, low: str) -> float:
    if term.word in low:
        return 1.0
    if term.parts:
        return PARTIAL * sum(1 for p in term.parts if p in low) / len(term.parts)
    return 0.0


class Focus:
    """Question relevance of texts, with word weights learned from the candidates themselves."""

    def __init__(self, question: str, candidates: Iterable[str]) -> None:
        lows = [c.lower() for c in candidates]
        n = len(lows)
        self.weights: dict[Term, float] = {}
        for term in question_terms(question):
            df = sum(1 for low in lows if _match(term, low) > 0)
            if df:
                self.weights[term] = math.log(1 + (n - df + 0.5) / (df + 0.5))
        self.total = sum(self.weights.values())

    def __bool__(self) -> bool:
        return self.total > 0

    def score(self, text: str) -> float:
        """0..1: the share of the question's weight that the text matches."""
        if not self.total:
            return 0.0
        low = text.lower()
        return sum(w * _match(t, low) for t, w in self.weights.items()) / self.total

    def matched(self, text: str) -> list[str]:
        low = text.lower()
        return [t.word for t in self.weights if _match(t, low) >= 1.0]
