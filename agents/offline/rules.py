"""Items listed under a prohibition: a rule to state as one, never an instruction to follow.

Policy documents list forbidden acts under a heading such as 「（三）禁止的行为」 and leave the
word 禁止 out of the items themselves ("2. 将AI生成的内容作为法律意见……直接提供给客户。"). Quoted
alone, such an item reads as something to do. A list item whose heading or lead-in forbids, within
its passage or the passage's section path, is shown with a plain label ("禁止：", "Prohibited: ") so
the plan states the rule; the quote stays verbatim. Nothing else is labelled so.
"""

from __future__ import annotations

import re
from functools import cache

from agents.grounding.quarantine import prohibition
from agents.language.vocab import load
from agents.offline.edges import opens_more
from agents.offline.units import is_item
from agents.state import Language

LABELS: dict[Language, str] = {"zh": "禁止：", "en": "Prohibited: "}


@cache
def _forbidding_heading() -> re.Pattern[str]:
    return re.compile(load("quarantine")["prohibition_heading"], re.IGNORECASE)


def _governing_line(passage_text: str, raw: str, section: str) -> str | None:
    """The heading or lead-in ('…下列行为：') a list item stands under; None when the sentence is
    not a list item, since a paragraph under a heading is that heading's prose, not one of its items.
    When the passage starts inside the list, its section path names the heading."""
    at = passage_text.find(raw)
    if at < 0:
        return None
    line_start = passage_text.rfind("\n", 0, at) + 1
    if not is_item(passage_text[line_start:at] + raw):
        return None
    for line in reversed(passage_text[:line_start].splitlines()):
        stripped = line.strip()
        if stripped and not is_item(stripped) and opens_more(stripped):
            return stripped
    return section.rsplit(">", 1)[-1]


def as_rule(text: str, raw: str, passage_text: str, section: str, language: Language) -> str:
    """`text` labelled as a prohibition when it is an item under a heading or lead-in that forbids
    and the sentence does not say so itself. An obligation ('企业…必须强化合规性管理') under a heading
    that forbids nothing, or prose under a forbidding heading, stays as it is."""
    governing = _governing_line(passage_text, raw, section)
    if governing is None or prohibition().search(raw) or not _forbidding_heading().search(governing):
        return text
    return f"{LABELS[language]}{text}"
