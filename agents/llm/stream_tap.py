"""Pull the summary's text out of a streamed structured-output call, token by token.

The synthesizer's model streams JSON (tool-call arguments or content) whose first field is
`summary`. The tap decodes that one JSON string incrementally, so a client sees the summary
being written while the rest of the plan is still arriving. Evidence aliases such as [E3] are
held back and dropped: the final plan carries numbered citations instead.
"""

from __future__ import annotations

import json
import re
from typing import Any

_KEY = re.compile(r'"summary"\s*:\s*"')
_ALIAS = re.compile(r"\[E\d*\]?")


class SummaryTap:
    def __init__(self) -> None:
        self._raw = ""
        self._start: int | None = None
        self._pos = 0
        self._done = False
        self._pending = ""

    def feed(self, message: Any) -> str:
        """New summary text carried by this message chunk ('' when none)."""
        if self._done:
            return ""
        for call in getattr(message, "tool_call_chunks", None) or []:
            self._raw += call.get("args") or ""
        content = getattr(message, "content", "")
        if isinstance(content, str):
            self._raw += content
        if self._start is None:
            m = _KEY.search(self._raw)
            if m is None:
                return ""
            self._start = self._pos = m.end()
        return self._filter(self._decode())

    def _decode(self) -> str:
        out: list[str] = []
        raw, i = self._raw, self._pos
        while i < len(raw):
            ch = raw[i]
            if ch == '"':
                self._done = True
                i += 1
                break
            if ch == "\\":
                if i + 1 >= len(raw):
                    break
                if raw[i + 1] == "u":
                    if i + 6 > len(raw):
                        break
                    out.append(json.loads(f'"{raw[i : i + 6]}"'))
                    i += 6
                    continue
                out.append(json.loads(f'"{raw[i : i + 2]}"'))
                i += 2
                continue
            out.append(ch)
            i += 1
        self._pos = i
        return "".join(out)

    def _filter(self, text: str) -> str:
        text = self._pending + text
        self._pending = ""
        cut = text.rfind("[")
        if cut != -1 and "]" not in text[cut:] and not self._done and len(text) - cut <= 8:
            text, self._pending = text[:cut], text[cut:]
        return re.sub(r"\[E\d+\]", "", text)
