"""Tolerant extraction of one JSON object from what a model wrote as plain content.

Reasoning models put `<think>…</think>` before the answer, chat models wrap JSON in Markdown
fences or add a sentence around it, and some servers ignore `response_format` entirely. The
first JSON object that parses is the answer; everything around it is discarded, never shown.
When none parses (a reply cut at its token cap, a missing bracket or comma, a raw newline in a
string), `json_repair` mends the first object-shaped text; the schema and the citation check
then judge what it holds, as for any other answer.
"""

from __future__ import annotations

import json
import re
from typing import Any

from json_repair import repair_json

_THINK = re.compile(r"<think>.*?</think>", re.S | re.I)
_OPEN_THINK = re.compile(r"^\s*<think>.*", re.S | re.I)  # a think block the model never closed
_FENCE = re.compile(r"```(?:json|JSON)?\s*\n?(.*?)```", re.S)
# "the business\'s strategy": small models escape an apostrophe, which JSON does not allow
_BAD_ESCAPE = re.compile(r"(?<!\\)\\'")


class ExtractionError(ValueError):
    """No JSON object in the text; `kind` says which failure (for degraded reasons)."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


def strip_reasoning(text: str) -> str:
    """The text without `<think>` blocks; an unclosed block swallows the rest (no answer came)."""
    text = _THINK.sub("", text)
    return _OPEN_THINK.sub("", text)


def first_json_object(text: str) -> dict[str, Any]:
    """The first JSON object in `text` (fenced ones first), or ExtractionError."""
    cleaned = strip_reasoning(text or "")
    if not cleaned.strip():
        raise ExtractionError("empty", "the model returned no content")
    candidates = [m.group(1) for m in _FENCE.finditer(cleaned)] + [cleaned]
    candidates += [_BAD_ESCAPE.sub("'", c) for c in candidates if _BAD_ESCAPE.search(c)]
    for candidate in candidates:
        if (value := _parsed(candidate)) is not None:
            return value
    for candidate in candidates:
        if (mended := _mended(candidate)) is not None:
            return mended
    snippet = " ".join(cleaned.split())[:60]
    raise ExtractionError("invalid_json", f"no JSON object in the reply ({snippet!r}…)")


def _parsed(text: str) -> dict[str, Any] | None:
    """The first object that parses as it stands; one nested in a cut-off outer object (a reply
    that ends mid-way) yields to the mended outer object, which holds it and what came before."""
    decoder = json.JSONDecoder()
    for start in (i for i, ch in enumerate(text) if ch == "{"):
        try:
            value, _ = decoder.raw_decode(text, start)
        except json.JSONDecodeError:
            continue
        if not isinstance(value, dict):
            continue
        before = text[text.find("{") : start]
        outer = _mended(text) if before.count("{") > before.count("}") else None
        return outer if outer is not None and _holds(outer, value) else value
    return None


def _holds(container: Any, value: dict[str, Any]) -> bool:
    if container == value:
        return True
    if isinstance(container, dict):
        return any(_holds(item, value) for item in container.values())
    return isinstance(container, list) and any(_holds(item, value) for item in container)


def _mended(text: str) -> dict[str, Any] | None:
    """The object `json_repair` makes of the text from its first '{', if it holds anything."""
    start = text.find("{")
    if start < 0:
        return None
    value = repair_json(text[start:], return_objects=True)
    return value if isinstance(value, dict) and value else None


def parse_arguments(raw: str) -> dict[str, Any]:
    """Tool-call arguments: strict JSON first, then the tolerant path (fences, prose around it)."""
    try:
        value = json.loads(raw)
    except (json.JSONDecodeError, TypeError):
        return first_json_object(raw or "")
    if not isinstance(value, dict):
        raise ExtractionError("invalid_json", "tool arguments are not a JSON object")
    return value
