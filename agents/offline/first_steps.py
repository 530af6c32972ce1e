"""'Which of these first?': a follow-up answered by ranking the thread's previous plan.

A question such as 「刚才的计划里哪些该先做？」 asks about a plan already given, not for a new one.
Planning again would return a different plan; instead the previous plan's actions are ordered by
roadmap span, then priority, and the earliest are returned with the citations they already had
(quotes verified when that plan was made), renumbered from 1.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from agents.language.vocab import load
from agents.state import AdoptionPlan, Language, Turn, Verification

_DATA = load("facets")
PRIORITY_CUES: tuple[str, ...] = tuple(_DATA["priority_cues"])
_RANK = {"high": 0, "medium": 1, "low": 2}
MAX_STEPS = 5


def _start(phase: str) -> int:
    """Where a span starts: its first month ("3-6"), or its step number ("step-2")."""
    found = re.search(r"\d+", phase)
    return int(found.group()) if found else 0


def asks_priority(question: str) -> bool:
    """The question asks which of something to do first."""
    low = question.lower()
    return any(c in question or c in low for c in PRIORITY_CUES)


def planned_turn(turns: Sequence[Turn]) -> Turn | None:
    """The thread's last turn that planned: neither refused nor itself a ranking of an earlier plan."""
    return next((t for t in reversed(turns) if not t.plan.refused and not asks_priority(t.question)), None)


def earlier_plan(question: str, turns: Sequence[Turn]) -> AdoptionPlan | None:
    """The plan a priority follow-up refers to: the thread's last plan, when it has actions."""
    if not turns or not asks_priority(question):
        return None
    turn = planned_turn(turns)
    prev = turn.plan if turn else None
    return prev if prev is not None and prev.actions else None


def first_steps(prev: AdoptionPlan, question: str, language: Language) -> AdoptionPlan:
    """The previous plan's earliest, highest-priority actions, cited as before."""
    ranked = sorted(prev.actions, key=lambda a: (_start(a.phase), _RANK[a.priority]))
    first_span = ranked[0].phase
    chosen = [a for a in ranked if a.phase == first_span or a.priority == "high"][:MAX_STEPS]
    by_id = {c.id: c for c in prev.citations}
    numbers: dict[int, int] = {}
    for a in chosen:
        for n in a.citations:
            if n in by_id and n not in numbers:
                numbers[n] = len(numbers) + 1
    actions = [
        a.model_copy(update={"citations": [numbers[n] for n in a.citations if n in numbers]}) for a in chosen
    ]
    citations = [by_id[old].model_copy(update={"id": new}) for old, new in numbers.items()]
    phase = next((p.label for p in prev.phases if p.id == first_span), first_span)
    summary = str(_DATA["first_steps"][language]).format(n=len(actions), phase=phase)
    return AdoptionPlan(
        question=question,
        language=language,
        mode=prev.mode,
        areas=sorted({a.area for a in actions}, key=lambda x: prev.areas.index(x) if x in prev.areas else 9),
        summary=summary,
        actions=actions,
        citations=citations,
        phases=[p for p in prev.phases if p.id in {a.phase for a in actions}],
        gaps=list(prev.gaps),
        facets=list(prev.facets),
        notes=list(prev.notes),
        # each action passed the earlier plan's verification with the citation it keeps
        verification=Verification(
            judge=prev.verification.judge, statements=len(actions), supported=len(actions)
        ),
    )
