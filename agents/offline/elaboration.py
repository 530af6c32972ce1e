"""The sentence that spells out a finding, shown with it so that a step says what it consists of.

Reports state a step and then what it consists of: '企业在部署AI客服时，需确保其数据收集和使用政策
符合当地法律法规的要求。这包括明确告知用户数据的使用目的、保留期限以及用户的权利等。' The second
sentence is no finding on its own (it has no modal and no cue word), yet it is what makes the step
concrete. When the sentence right after a finding's quote, on the same line, opens as an
elaboration ('这包括', '例如', 'for example'; agents/data/lexicon.yaml), the finding shows both and
quotes the span that holds them, verbatim. An example from one industry ('例如，在制造业中…') is
not what the step consists of, and would stand in another industry's plan: it is left out.
"""

from __future__ import annotations

from dataclasses import dataclass

from agents.language.lexicon import ELABORATION, FLUFF, PROMO
from agents.language.text import segments
from agents.offline.facets import named_industries

MAX_ADDED = 160  # an elaboration longer than this is a paragraph of its own, not a detail
MAX_QUOTE = 320


@dataclass(frozen=True)
class Elaboration:
    quote: str  # the finding's quote and the elaborating sentence: a verbatim span of the passage
    text: str  # the elaborating sentence for display


def elaboration(quote: str, passage: str) -> Elaboration | None:
    """The sentence after `quote` in `passage` when it spells `quote` out; None otherwise."""
    start = passage.find(quote)
    if start < 0 or "\n" in quote:
        return None
    end = start + len(quote)
    line_end = passage.find("\n", end)
    line = passage[end : len(passage) if line_end < 0 else line_end]
    following = next((s for s in segments(line) if not s.heading), None)
    if following is None:
        return None
    text = following.clean
    at = passage.find(following.raw, end)
    if (
        at < 0
        or not ELABORATION.match(text)
        or len(text) > MAX_ADDED
        or PROMO.search(text)
        or FLUFF.search(text)
        or text.endswith(("：", ":", "？", "?", "，", ","))
        or named_industries(text)  # '例如，在制造业中…' is one industry's case, not what the step is
    ):
        return None
    span = passage[start : at + len(following.raw)]
    if len(span) > MAX_QUOTE:
        return None
    return Elaboration(span, text)


def with_elaboration(text: str, quote: str, passage: str) -> tuple[str, str]:
    """(text, quote) of a finding, extended by the sentence that spells it out, if there is one."""
    found = elaboration(quote, passage)
    if found is None:
        return text, quote
    stop = "" if text.endswith(("。", "！", "；", ".", "!", ";")) else ("。" if not text.isascii() else ".")
    joiner = " " if text.isascii() else ""
    return f"{text}{stop}{joiner}{found.text}", found.quote
