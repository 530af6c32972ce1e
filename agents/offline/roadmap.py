"""The roadmap's shape: spans that follow the question's horizon, stages that follow dependencies,
and owners that come from the evidence, the industry or a generic role.

Assess, governance and data work comes before a pilot, a pilot before scale, continuous review
last (agents/data/roadmap.yaml). A three-year question gets multi-year spans instead of being
squeezed into twelve months; a question without a horizon gets ordered steps ("step-1", ...)
instead of month ranges no one stated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from agents.language.lexicon import step_lead
from agents.language.vocab import load
from agents.state import STEP_PATTERN, Area, Language, PlanPhase

_DATA: dict[str, Any] = load("roadmap")
STAGES: tuple[str, ...] = tuple(s["key"] for s in _DATA["stages"])
STEPS_FROM = 12  # months: the horizon table whose stage grouping a question without a horizon follows


@cache
def _labels() -> dict[str, dict[str, str]]:
    return {s["key"]: s["label"] for s in _DATA["stages"]}


def _horizon(months: int | None) -> list[dict[str, Any]]:
    """The spans for a horizon, the last one ending at the horizon itself (18 months: ..., 12-18);
    without a horizon, the one-year spans' stages as numbered steps."""
    if months is None:
        steps = next(h for h in _DATA["horizons"] if h["up_to"] == STEPS_FROM)["spans"]
        return [{**span, "id": f"step-{i}"} for i, span in enumerate(steps, 1)]
    wanted = months
    table = next((h for h in _DATA["horizons"] if wanted <= h["up_to"]), _DATA["horizons"][-1])
    spans = [dict(s) for s in table["spans"] if int(s["id"].split("-")[0]) < wanted]
    start = spans[-1]["id"].split("-")[0]
    spans[-1]["id"] = f"{start}-{min(wanted, int(spans[-1]['id'].split('-')[1]))}"
    if len(spans) < len(table["spans"]):  # stages of the dropped spans still need a place
        spans[-1]["stages"] = [st for s in table["spans"][len(spans) - 1 :] for st in s["stages"]]
    return spans


def phases(months: int | None, language: Language) -> list[PlanPhase]:
    """The roadmap spans for a horizon, each labelled by the stages it holds."""
    labels = _labels()
    return [
        PlanPhase(id=span["id"], label=" · ".join(labels[s][language] for s in span["stages"]))
        for span in _horizon(months)
    ]


def steps_in_use(spans: list[PlanPhase], used: set[str]) -> tuple[list[PlanPhase], dict[str, str]]:
    """Steps renumbered over those that hold actions, so the plan's ids read as its headings do
    (an empty first step would otherwise leave "step-2" shown as "Step 1"); month spans stay."""
    kept = [p for p in spans if p.id in used]
    if not kept or not all(re.match(STEP_PATTERN, p.id) for p in spans):
        return spans, {p.id: p.id for p in spans}
    renamed = {p.id: f"step-{i}" for i, p in enumerate(kept, 1)}
    return [p.model_copy(update={"id": renamed[p.id]}) for p in kept], renamed


def _most_cued(text: str) -> str | None:
    hits = [(sum(1 for c in s["cues"] if c in text), -i, s["key"]) for i, s in enumerate(_DATA["stages"])]
    best = max(hits)
    return str(best[2]) if best[0] else None


def stage(text: str) -> str:
    """The dependency stage of an action: the stage its lead-in names when it is a step of a named
    phase ('第六节 运营优化阶段：按照制度第三十七条参加复评'), else the stage with most cue words in it
    (ties go to the earlier stage); an action with no cue is pilot work."""
    step = step_lead(text)
    if step is not None and (named := _most_cued(step[0])):
        return named
    return _most_cued(text) or "pilot"


def phase_of(text: str, months: int | None) -> str:
    """The span an action belongs to, by its stage."""
    spans = _horizon(months)
    st = stage(text)
    for span in spans:
        if st in span["stages"]:
            return str(span["id"])
    return str(spans[-1]["id"])


@dataclass(frozen=True)
class Lacking:
    """A function the company says it lacks: no owner names it."""

    areas: tuple[str, ...]
    replaces: tuple[str, ...]  # cues of named roles it stands for ('法务' in a sentence naming 法务)
    owner: dict[str, str]  # the owner instead, by language


def _cue(cue: str) -> str:
    """An English cue whole ('IT' not in 'ITEM'), also beside Chinese ('没有IT团队')."""
    return rf"(?<![A-Za-z]){re.escape(cue)}(?![A-Za-z])" if cue.isascii() else re.escape(cue)


def lacking(question: str) -> tuple[Lacking, ...]:
    """The functions the question says the company lacks ('没有专职法务', 'no compliance team')."""
    negation = _DATA["lacking"]["negation"]
    out: list[Lacking] = []
    for fn in _DATA["lacking"]["functions"]:
        for cue in fn["cues"]:  # 'IT' and 'HR' only in capitals: 'without it' names no IT team
            flags = 0 if cue.isupper() else re.IGNORECASE
            if re.search(rf"(?:{negation})[^，。；,.;?？]{{0,3}}?{_cue(cue)}", question, flags):
                owners = {"zh": fn["zh"], "en": fn["en"]}
                out.append(Lacking(tuple(fn["areas"]), tuple(fn["replaces"]), owners))
                break
    return tuple(out)


def owner(
    text: str, area: Area, industry: str | None, language: Language, absent: tuple[Lacking, ...] = ()
) -> str:
    """Who owns an action: a role its sentence names, the industry's role, else a generic role; never
    a function the company said it lacks."""
    for role in _DATA["named_roles"]:
        if role["cue"] in text:
            gone = next((a for a in absent if role["cue"] in a.replaces), None)
            return gone.owner[language] if gone else str(role[language])
    gone = next((a for a in absent if area in a.areas), None)
    if gone:
        return gone.owner[language]
    by_industry = _DATA["industry_owners"].get(industry or "", {})
    if area in by_industry:
        return str(by_industry[area][language])
    return str(_DATA["generic_owners"][area][language])
