"""A small English -> Chinese glossary of the AI-adoption domain, for offline cross-lingual search.

The corpus is Chinese and the offline embedder is lexical, so an English question shares no token
with the passages that answer it. Appending the Chinese domain terms of the English words lets
both BM25 and the hashing embedder find them without a translation model. The verifier reuses
GLOSSARY to match English claims against Chinese evidence.
"""

from __future__ import annotations

import re

from agents.language.vocab import load

GLOSSARY: dict[str, list[str]] = load("glossary")["glossary"]

# Inflections that still mean the glossary word: "deploying", "permissions", "audited".
_SUFFIX = r"(?:s|es|ed|d|ing|ment|ments)?"


def _phrase_pattern(term: str) -> str:
    words = [re.escape(w) for w in re.split(r"[\s\-]+", term)]
    return r"[\s\-]+".join(words)


# Longest terms first, so "access control" wins over "access" at the same position.
_PATTERN = re.compile(
    r"\b("
    + "|".join(_phrase_pattern(t) for t in sorted(GLOSSARY, key=len, reverse=True))
    + r")"
    + _SUFFIX
    + r"\b",
    re.IGNORECASE,
)
_CANONICAL = {re.sub(r"[\s\-]+", " ", t): t for t in GLOSSARY}


def glossary_terms(text: str) -> list[str]:
    """Chinese terms for the glossary words found in `text`, in order of appearance, deduplicated."""
    terms: list[str] = []
    for match in _PATTERN.finditer(text):
        key = _CANONICAL[re.sub(r"[\s\-]+", " ", match.group(1).lower())]
        terms.extend(t for t in GLOSSARY[key] if t not in terms)
    return terms


def expand_query(query: str) -> str:
    """The query followed by the Chinese domain terms of its English words (unchanged if none)."""
    terms = [t for t in glossary_terms(query) if t not in query]
    return f"{query} {' '.join(terms)}" if terms else query
