"""The lexical support measure behind citations and verification.

A statement is broken into units; a unit is covered when one of its alternatives occurs in
the cited text. Chinese statements use their content tokens (jieba words and bigrams minus
generic words). English statements, usually checked against Chinese passages, use concepts:
English phrases mapped to Chinese words through the shared GLOSSARY and agents.terms.TERM_MAP,
plus acronyms (API, ROI, GDPR...) matched literally. Support is the covered share of units.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from agents.language.glossary import GLOSSARY
from agents.language.text import detect_language, english_words, segments, tokens
from agents.offline.terms import TERM_MAP
from agents.state import Language

Unit = tuple[str, ...]

THRESHOLD: dict[Language, float] = {"zh": 0.6, "en": 0.5}

# Words the synthesizer uses to glue cited fragments together; they carry no claim.
_GLUE_WORDS = """
针对 资料 指出 主要 挑战 包括 路线图 建议 优先 个月 月内 前 重点 防范 随后 最后 阶段 然后 推进 关注
技术整合 安全与合规 组织与人才 市场与ROI 落地 一家 规模 行业 要点
"""
GLUE: frozenset[str] = frozenset(_GLUE_WORDS.split())
_ACRONYM = re.compile(r"\b[A-Z]{2,}[0-9]*\b")
_GENERIC_ACRONYMS = frozenset({"AI", "IT", "GENAI"})
_EN_STOP_WORDS = """
a an the of to and or in on for with by as at from into is are be it its their them they this that
these those then first months month start sources point main challenges challenge plan each across
before after while where when what how so such e g eg also both through than more most over under
"""
_EN_STOP = frozenset(_EN_STOP_WORDS.split())


@lru_cache(maxsize=1)
def _concepts() -> dict[str, tuple[str, ...]]:
    """English phrase -> Chinese alternatives, from the shared glossary and the local term map."""
    merged: dict[str, set[str]] = {k: set(v) for k, v in TERM_MAP.items()}
    for en, zh in GLOSSARY.items():
        alts = [zh] if isinstance(zh, str) else list(zh)
        merged.setdefault(en.lower(), set()).update(a for a in alts if a)
    return {k: tuple(v) for k, v in merged.items()}


@lru_cache(maxsize=1)
def _concept_pattern() -> re.Pattern[str]:
    phrases = sorted(_concepts(), key=len, reverse=True)
    return re.compile(r"(?<![a-z0-9])(" + "|".join(re.escape(p) for p in phrases) + r")(?![a-z0-9])")


@lru_cache(maxsize=16384)
def units(statement: str, language: Language) -> tuple[Unit, ...]:
    """The checkable units of a statement (see module docstring)."""
    if language == "zh" or detect_language(statement) == "zh":
        return tuple((t,) for t in sorted(tokens(statement)) if t not in GLUE)
    low = statement.lower()
    found: list[Unit] = []
    covered_spans: list[tuple[int, int]] = []
    concepts = _concepts()
    for m in _concept_pattern().finditer(low):
        found.append((m.group(1), *concepts[m.group(1)]))
        covered_spans.append(m.span())
    for m in _ACRONYM.finditer(statement):
        if m.group(0) in _GENERIC_ACRONYMS:
            continue
        if not any(s <= m.start() < e for s, e in covered_spans):
            found.append((m.group(0).lower(), m.group(0)))
    return tuple(dict.fromkeys(found))


def english_extra_units(statement: str) -> tuple[Unit, ...]:
    """Unmapped English content words; only checkable against English passages."""
    mapped = {u[0] for u in units(statement, "en")}
    words = [w for w in english_words(statement) if w not in _EN_STOP and len(w) > 2 and w not in mapped]
    return tuple((w,) for w in dict.fromkeys(words))


def coverage(statement: str, language: Language, texts: Sequence[str]) -> float:
    """Share of the statement's units found in any of `texts` (0.0 when nothing is checkable)."""
    if not texts:
        return 0.0
    joined = "\n".join(texts)
    low = joined.lower()
    checks = list(units(statement, language))
    if language == "en" and detect_language(joined) == "en":
        checks += english_extra_units(statement)
    if not checks:
        return 0.0
    hit = sum(1 for alts in checks if any(a in joined or a.lower() in low for a in alts))
    return hit / len(checks)


def supported(statement: str, language: Language, texts: Sequence[str]) -> bool:
    return coverage(statement, language, texts) >= THRESHOLD[language]


def best_sentence(statement: str, language: Language, text: str) -> tuple[str, float]:
    """The sentence of `text` that best supports the statement (verbatim), with its coverage."""
    best, best_cov = text.strip(), -1.0
    for seg in segments(text):
        cov = coverage(statement, language, [seg.raw])
        if cov > best_cov:
            best, best_cov = seg.raw, cov
    whole = coverage(statement, language, [text])
    if whole > best_cov + 0.25:  # the claim spans sentences: cite the passage itself
        return text.strip(), whole
    return best, max(best_cov, 0.0)
