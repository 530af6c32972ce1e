"""The passage that continues one which stops mid-thought.

Long reports are split into chunks, so a heading, a list opener ('● 可能面临的挑战', '模型应用成本')
or a chart's caption ('行业企业在AI规划和开发过程中遇到的主要问题', before its credit lines) can end
one chunk while its content starts the next. When a passage that answers the question ends that
way, the next chunk of its document, in reading order, is fetched. The caller's groups apply (a
document's chunks share its access) and the successor may be cited.
"""

from __future__ import annotations

from collections.abc import Iterable

from agents.env import Env
from agents.offline.edges import ends_open
from agents.state import Evidence


def continuations(env: Env, passages: Iterable[Evidence]) -> list[tuple[str, Evidence]]:
    """(predecessor id, successor) for the passages that end on a heading, a list opener or a caption."""
    out: list[tuple[str, Evidence]] = []
    for ev in passages:
        if not ends_open(ev.text):
            continue
        ordered = env.store.passages_of(ev.source, groups=env.groups)
        ids = [p.chunk_id for p in ordered]
        at = ids.index(ev.chunk_id) if ev.chunk_id in ids else -1
        if 0 <= at < len(ordered) - 1:
            successor = ordered[at + 1].model_copy(update={"score": ev.score})
            out.append((ev.chunk_id, Evidence.of(successor, ev.area)))
    return out
