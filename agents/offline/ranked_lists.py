"""Lists a text walks through, whose later entries answer with their opening.

A survey ranks what it asked ('…如下：“数据安全与隐私保护”以53.2%的比例位居首位', then '“技术支持与维护”
占比34.2%'), and a report steps through a sequence ('最突出的问题是…', then '其次，…'). The later
entries name no question word, yet they answer what the opening answers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from agents.language.lexicon import ORDINAL_FIRST, ORDINAL_NEXT, RANK_ENTRY, RANK_OPENER
from agents.offline.units import Unit
from agents.state import Evidence


def list_kind(text: str, opening: bool) -> str:
    """'share' for a survey's ranking ('…如下：“数据安全”以53.2%的比例位居首位' opens it, '“技术支持与
    维护”占比34.2%' goes on with it), 'seq' for a sequence ('最突出的问题是…', then '其次，…'), '' else."""
    if opening:
        if RANK_OPENER.search(text) and RANK_ENTRY.search(text):
            return "share"
        return "seq" if ORDINAL_FIRST.match(text) else ""
    if RANK_ENTRY.search(text):
        return "share"
    return "seq" if ORDINAL_NEXT.match(text) else ""


Lists = Mapping[str, tuple[int, float, str]]  # where a list opens -> (offset, relevance, opening quote)


def rankings(pool: Sequence[tuple[Unit, Evidence, int]], base: Mapping[str, float]) -> Lists:
    """Where a list the text walks through opens and how well that opening answers the question.
    A sequence goes on in its own passage; a survey's ranking also in its section's next chunk
    ('source#section'), after the chart that splits them. Later entries name the rest of the same
    list, though not what it lists."""
    out: dict[str, tuple[int, float, str]] = {}
    for unit, ev, _ in pool:
        kind = list_kind(unit.text, opening=True)
        at, relevance = ev.text.find(unit.quote), base[unit.quote]
        keys = [f"{kind}:{ev.chunk_id}"] + ([f"{kind}:{ev.source}#{ev.section}"] if kind == "share" else [])
        for key in keys if kind and at >= 0 else []:
            if relevance > out.get(key, (0, 0.0, ""))[1]:
                out[key] = (at, relevance, unit.quote)
    return out


def ranked_entry(unit: Unit, ev: Evidence, ranked: Lists) -> tuple[float, str]:
    """The relevance and opening quote of the list `unit` is a later entry of ((0, '') when none)."""
    kind = list_kind(unit.text, opening=False)
    if not kind:
        return 0.0, ""
    if f"{kind}:{ev.chunk_id}" in ranked:  # after the opening, in its own passage
        at, relevance, opener = ranked[f"{kind}:{ev.chunk_id}"]
        return (relevance, opener) if ev.text.find(unit.quote) > at else (0.0, "")
    _, relevance, opener = ranked.get(f"{kind}:{ev.source}#{ev.section}", (0, 0.0, ""))
    return relevance, opener
