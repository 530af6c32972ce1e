"""The setting a question asks about, and whether an evidence sentence was written for another one.

A setting is the industries and use cases a text names (agents/data/facets.yaml). A question that
names its industry gets no sentence written for another industry (a hospital's plan does not quote
the music-streaming passage). A question that names its industry and what it wants done (a use
case, or its own topic words such as 辅助诊断) gets no sentence written for another use case:
a hospital's diagnosis plan does not quote how to roll out an AI customer-service desk. A broad
question ("电商企业第一年先做什么？") keeps every use case as an option.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from agents.language.vocab import load
from agents.offline.facets import find_facets, industries, subject_words
from agents.offline.industries import names_any
from agents.offline.units import ARTICLE
from agents.state import Language

_CHAPTER = re.compile(r"第[一二三四五六七八九十百]+章")  # a regulation's chapter: its sentences are rules


@dataclass(frozen=True)
class UseCase:
    key: str
    cues: tuple[str, ...]  # how a question names it
    names: tuple[str, ...]  # how a passage names it


@cache
def use_cases() -> tuple[UseCase, ...]:
    spec = load("facets")["use_cases"]
    return tuple(UseCase(k, tuple(v["cues"]), tuple(v["names"])) for k, v in spec.items())


def _named(text: str, groups: tuple[tuple[str, tuple[str, ...]], ...]) -> frozenset[str]:
    return frozenset(key for key, words in groups if names_any(text, words))


@dataclass(frozen=True)
class Setting:
    industries: frozenset[str] = frozenset()
    use_cases: frozenset[str] = frozenset()
    specific: bool = False  # names what it wants done, not only who asks

    def foreign(self, sentence: str, context: str = "") -> bool:
        """The sentence was written for another industry, or another use case outside this industry.

        `context` is where the sentence stands (its document's title and section). A sentence that
        names no industry or use case itself takes its context's: every line of an article titled
        "实施AI客服的挑战与解决方案" is about customer service, even "选择合适的SDK供应商".
        """
        by_industry = tuple((i.key, i.names) for i in industries())
        # a sentence that names no industry is its section's: a line under "内容产业…" is about media
        industries_named = _named(sentence, by_industry) or (
            _named(context, by_industry) if context else frozenset()
        )
        if self.industries and industries_named and not industries_named & self.industries:
            return True
        if not (self.industries and self.specific) or industries_named & self.industries:
            return False
        if ARTICLE.match(sentence.strip()) or _CHAPTER.search(context):
            return False  # a rule binds every use: '…信息推送、商业营销的，应当…' answers a coupon question
        named_uses = tuple((u.key, u.names) for u in use_cases())
        uses = _named(sentence, named_uses) or (_named(context, named_uses) if context else frozenset())
        return bool(uses) and not uses & self.use_cases


@lru_cache(maxsize=256)
def setting_of(text: str, language: Language) -> Setting:
    """The industries and use cases a question (with its profile and thread) names."""
    uses = _named(text, tuple((u.key, (*u.cues, *u.names)) for u in use_cases()))
    who = " ".join(c for i in industries() for c in i.cues)
    topics = bool(subject_words(text, language, who)) or any(
        f.kind in ("system", "use_case") for f in find_facets(text, language)
    )
    return Setting(
        industries=_named(text, tuple((i.key, i.cues) for i in industries())),
        use_cases=uses,
        specific=bool(uses) or topics,
    )
