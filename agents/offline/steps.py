"""The steps an area offers a plan: each with its phase, priority and owner, spread over phases.

Phase follows the dependency stage its words name (agents.offline.roadmap), priority its topic
(foundations first), owner the role the evidence or the question names.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from agents.offline import roadmap
from agents.offline.topics import match_topic
from agents.state import Area, Claim, Language, Phase, PlanAction, Priority

PER_TOPIC = 3  # actions of one area on one topic (agents/data/topics.yaml)


@dataclass(frozen=True)
class Shape:
    """What the question fixes about the roadmap: its horizon and the industry that picks owners."""

    months: int | None = None
    industry: str | None = None
    absent: tuple[roadmap.Lacking, ...] = ()  # functions the company says it lacks


def action_meta(claim: Claim, area: Area, language: Language, shape: Shape) -> tuple[Phase, Priority, str]:
    """Phase by dependency stage, priority by topic (foundations first), owner by role named."""
    basis = claim.quote or claim.text
    topic = match_topic(basis, area)
    priority: Priority = topic.priority if topic is not None and topic.area == area else "medium"
    if roadmap.stage(basis) == "foundation" and priority == "medium":
        priority = "high"
    return (
        roadmap.phase_of(basis, shape.months),
        priority,
        roadmap.owner(basis, area, shape.industry, language, shape.absent),
    )


def pick_actions(
    claims: Sequence[Claim], area: Area, language: Language, n: int, shape: Shape
) -> list[PlanAction]:
    """The area's best actions, preferring a spread over phases; at most `PER_TOPIC` say the same
    thing in other words (four ways to train staff are one action)."""
    metas = [(c, *action_meta(c, area, language, shape)) for c in claims]
    chosen: list[tuple[Claim, Phase, Priority, str]] = []

    def said(claim: Claim) -> int:
        topic = match_topic(claim.quote or claim.text, area)
        return sum(1 for c, _, _, _ in chosen if topic and match_topic(c.quote or c.text, area) == topic)

    for pass_ in (0, 1):
        for item in metas:
            if len(chosen) >= n or item in chosen or said(item[0]) >= PER_TOPIC:
                continue
            if pass_ == 0 and any(p == item[1] for _, p, _, _ in chosen):
                continue
            chosen.append(item)
    return [
        PlanAction(text=c.text, phase=ph, owner=ow, priority=pr, area=area, citations=[])
        for c, ph, pr, ow in chosen
    ]
