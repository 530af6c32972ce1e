"""The passage that continues one which stops mid-thought.

Long reports are split into overlapping chunks, so a heading or a list opener ('● 可能面临的挑战',
'模型应用成本') can end one chunk while its content starts the next. When a passage that answers
the question ends that way, the next chunk is found by what it begins with: the splitter carries
the last line over, so a search for that line returns the successor, which starts with it
(among equals, the one that shares most words with the predecessor).
The successor is retrieved like any evidence (the caller's groups apply) and may be cited.
"""

from __future__ import annotations

from collections.abc import Iterable

from agents.env import Env, search
from agents.language.text import jaccard, tokens
from agents.offline.units import opens_more
from agents.state import Evidence

SEARCH_K = 8
MAX_OVERLAP = 200


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else ""


def _overlap(before: str, after: str, least: int) -> int:
    """How many leading characters of `after` end `before` (the splitter's carried-over text)."""
    a, b = before.rstrip(), after.lstrip()
    for k in range(min(len(a), len(b), MAX_OVERLAP), least - 1, -1):
        if a.endswith(b[:k]):
            return k
    return 0


def continuations(env: Env, passages: Iterable[Evidence]) -> list[tuple[str, Evidence]]:
    """(predecessor id, successor) for the passages that end on a heading or a list opener.

    Several passages may open with the same line ('● 可能面临的挑战'), so the successor is the
    one that carries over the most of the predecessor's ending, and only when that is unique.
    """
    out: list[tuple[str, Evidence]] = []
    for ev in passages:
        last = _last_line(ev.text)
        if not opens_more(last):
            continue
        found = {
            p.chunk_id: p for p in search(env, last, SEARCH_K, method="bm25") if p.chunk_id != ev.chunk_id
        }
        # the most carried-over text first; among equals, the passage closest in wording
        own = tokens(ev.text)
        scored = sorted(
            ((_overlap(ev.text, p.text, len(last)), jaccard(own, tokens(p.text)), p) for p in found.values()),
            key=lambda x: (-x[0], -x[1]),
        )
        scored = [x for x in scored if x[0]]
        if not scored or (len(scored) > 1 and scored[1][:2] == scored[0][:2]):
            continue  # nothing carries the ending over, or two passages do equally: no guess
        p = scored[0][2]
        successor = Evidence.of(p.model_copy(update={"score": ev.score}), ev.area)
        out.append((ev.chunk_id, successor))
    return out
