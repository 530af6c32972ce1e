"""How common a word is in the knowledge base the caller can see: the IDF behind question relevance.

Within one plan's evidence a word's rarity says little (the evidence was retrieved for the question,
so its words are everywhere), while across the knowledge base '医疗' (10 of 161 passages) is far
more telling than '应用' (85 of 161). Document frequency comes from a BM25 search for the word,
which returns exactly the passages that contain it, filtered to the caller's groups.

Each lookup costs a search, and questions share words, so counts are cached per store, groups and
word for `TTL_S` seconds: newly ingested documents shift the weights a minute later at most, which
only changes how sentences are ranked, never what may be cited.
"""

from __future__ import annotations

from collections.abc import Callable

from agents.cache import TTLCache
from agents.env import Env
from agents.offline.focus import contains

TTL_S = 60.0
MAX_DF = 100  # beyond this many passages a word is common anyway; the search stays bounded
_counts: TTLCache[int] = TTLCache(TTL_S)

DocumentFrequency = Callable[[str], tuple[int, int]]
"""word -> (passages containing it, passages in all)"""


def document_frequency(env: Env) -> DocumentFrequency:
    """A document-frequency lookup over what this caller may see."""
    store, groups = env.store, env.groups
    scope = (id(store), tuple(sorted(groups)) if groups is not None else None)

    def size() -> int:  # the caller's view: hidden passages must not move any weight
        return max(1, store.count(groups))

    def df(word: str) -> tuple[int, int]:
        low = word.lower()

        def count() -> int:
            found = store.search(word, MAX_DF, groups=groups, method="bm25")
            return sum(1 for p in found if contains(low, p.text.lower()))

        total = _counts.get((*scope, ""), size)
        return _counts.get((*scope, low), count), total

    return df
