"""Items listed under a prohibition: a rule to state as one, never an instruction to follow.

Policy documents list forbidden acts under a heading such as 「（三）禁止的行为」 and leave the
word 禁止 out of the items themselves ("2. 将AI生成的内容作为法律意见……直接提供给客户。"). Quoted
alone, such an item reads as something to do. A sentence whose nearest heading forbids, within its
passage or the passage's section path, is shown with a plain label ("禁止：", "Prohibited: ") so
the plan states the rule; the quote stays verbatim.
"""

from __future__ import annotations

import re
from functools import cache

from agents.grounding.quarantine import prohibition
from agents.language.vocab import load
from agents.state import Language

LABELS: dict[Language, str] = {"zh": "禁止：", "en": "Prohibited: "}


@cache
def _forbidding_heading() -> re.Pattern[str]:
    return re.compile(load("quarantine")["prohibition_heading"], re.IGNORECASE)


def _heading_before(passage_text: str, raw: str, section: str) -> str:
    at = passage_text.find(raw)
    lines = passage_text[: max(at, 0)].splitlines()
    heading = next((ln for ln in reversed(lines) if ln.lstrip().startswith("#")), None)
    return heading if heading is not None else section.rsplit(">", 1)[-1]


def as_rule(text: str, raw: str, passage_text: str, section: str, language: Language) -> str:
    """`text` labelled as a prohibition when its heading forbids and the sentence does not say so."""
    heading = _heading_before(passage_text, raw, section)
    if prohibition().search(raw) or not _forbidding_heading().search(heading):
        return text
    return f"{LABELS[language]}{text}"
