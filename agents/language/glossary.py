"""A small English -> Chinese glossary of the AI-adoption domain, for offline cross-lingual search.

The corpus is Chinese and the offline embedder is lexical, so an English question shares no token
with the passages that answer it. Appending the Chinese domain terms of the English words lets
both BM25 and the hashing embedder find them without a translation model. The verifier reuses
GLOSSARY to match English claims against Chinese evidence.
"""

from __future__ import annotations

import re

from agents.language.dictionary import english_to_chinese
from agents.language.lexicon import FRAME, GENERIC
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


def glossary_phrases(text: str) -> list[str]:
    """The multi-word glossary phrases in `text` ('recommendation engine'), as the glossary spells them."""
    keys = (_CANONICAL[re.sub(r"[\s\-]+", " ", m.group(1).lower())] for m in _PATTERN.finditer(text))
    return list(dict.fromkeys(k for k in keys if " " in k))


def phrase_terms(text: str) -> list[str]:
    """Chinese terms of the multi-word glossary phrases in `text` ('put into use' -> 投入使用): a
    phrase may hold a word that alone only frames the question."""
    terms: list[str] = []
    for match in _PATTERN.finditer(text):
        key = _CANONICAL[re.sub(r"[\s\-]+", " ", match.group(1).lower())]
        if " " in key:
            terms.extend(t for t in GLOSSARY[key] if t not in terms)
    return terms


DICTIONARY_SENSES = 2  # CC-CEDICT senses kept per English word the glossary does not know
_ENGLISH_WORD = re.compile(r"[A-Za-z]{3,}")


def dictionary_terms(text: str, known: str = "") -> list[str]:
    """Chinese words for the English words of `text` from CC-CEDICT (any domain), leaving out words
    the domain glossary already translated (`known`); single characters are too ambiguous to search."""
    if not _ENGLISH_WORD.search(text):
        return []
    out: list[str] = []
    for word, senses in english_to_chinese(text):
        if word.isupper() or word.lower() in known or word.lower() in FRAME or word.lower() in GENERIC:
            continue
        out.extend(z for z in senses[:DICTIONARY_SENSES] if len(z) >= 2 and z not in out)
    return out


def expand_query(query: str) -> str:
    """The query followed by the Chinese terms of its English words: the domain glossary's first,
    then the dictionary's for the rest (unchanged when the query has no English words)."""
    glossed = glossary_terms(query)
    known = " ".join(m.group(0).lower() for m in _PATTERN.finditer(query))
    terms = [t for t in dict.fromkeys([*glossed, *dictionary_terms(query, known)]) if t not in query]
    return f"{query} {' '.join(terms)}" if terms else query
