"""Topics an evidence sentence can be about (agents/data/topics.yaml): trigger words and usual priority.

A sentence on a topic of its own area ranks above one that only uses the area's words, and an
action on a foundational topic (governance, data quality, access control) gets a high priority.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from agents.language.lexicon import PURPOSE
from agents.language.vocab import load
from agents.state import Area, Priority


@dataclass(frozen=True)
class Topic:
    key: str
    area: Area
    triggers: tuple[str, ...]
    priority: Priority


def _topic(entry: dict[str, Any]) -> Topic:
    fields: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in entry.items()}
    return Topic(**fields)


TOPICS: tuple[Topic, ...] = tuple(_topic(t) for t in load("topics")["topics"])


def matching_topics(sentence: str, area: Area | None = None) -> list[Topic]:
    """Topics whose triggers the sentence's main clauses mention, best first.

    Purpose clauses ('为了解决人才不足的问题，…') are ignored: they name the problem, not the
    action. Topics of `area` rank first, then by trigger hits, then by their order (most
    specific first); other areas remain as a fallback so that a security sentence found by
    the org specialist still renders sensibly.
    """
    text = PURPOSE.sub("", sentence) or sentence
    scored = []
    for order, topic in enumerate(TOPICS):
        hits = sum(1 for t in topic.triggers if t in text)
        if hits:
            scored.append((area is None or topic.area == area, hits, -order, topic))
    scored.sort(key=lambda x: x[:3], reverse=True)
    return [t for *_, t in scored]


def match_topic(sentence: str, area: Area | None = None) -> Topic | None:
    found = matching_topics(sentence, area)
    return found[0] if found else None
