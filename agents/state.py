"""Typed graph state and the plan schema.

The plan models double as structured-output schemas, so field descriptions are written
for the model as much as for the reader.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, NotRequired, TypedDict

from pydantic import BaseModel, Field

from store.records import Passage

Area = Literal["tech", "security", "org", "market"]
AREAS: tuple[Area, ...] = ("tech", "security", "org", "market")
Language = Literal["zh", "en"]
Mode = Literal["offline", "llm"]
Priority = Literal["high", "medium", "low"]
Phase = str
"""A roadmap span: months from start, "start-end" ("0-3", "12-36"), when the question states a
horizon; else an ordered step, "step-N" ("step-1"), since a date range no one stated would be a
figure the plan invented. Plans list their spans in `AdoptionPlan.phases`; plans made before
steps existed use the default one-year roadmap `PHASES`."""
PHASES: tuple[Phase, ...] = ("0-3", "3-6", "6-12")
PHASE_PATTERN = r"^(\d{1,3}-\d{1,3}|step-\d{1,2})$"
STEP_PATTERN = r"^step-(\d{1,2})$"


class CompanyProfile(BaseModel):
    industry: str | None = Field(default=None, max_length=200, description="e.g. manufacturing, retail.")
    size: str | None = Field(default=None, max_length=100, description="e.g. 500 employees, mid-sized.")
    goals: str | None = Field(default=None, max_length=1000, description="What the company wants from AI.")


class Evidence(Passage):
    """A retrieved passage kept as evidence for one plan, with the area whose specialist found it."""

    area: Area | None = None

    @classmethod
    def of(cls, passage: Passage, area: Area | None) -> Evidence:
        """The passage as found by `area`'s specialist; every field of the store's record carries over."""
        return cls(**dict(passage), area=area)


class Claim(BaseModel):
    """One finding of a specialist. It must cite the evidence ids it stands on."""

    text: str = Field(description="One self-contained statement in the answer language.")
    evidence_ids: list[str] = Field(description="Ids of the evidence passages that support the statement.")
    quote: str | None = Field(
        default=None, description="The sentence of the cited evidence, copied verbatim, that supports it."
    )


class AreaFindings(BaseModel):
    area: Area
    queries: list[str] = Field(default_factory=list)
    evidence_ids: list[str] = Field(default_factory=list)
    challenges: list[Claim] = Field(default_factory=list, description="Obstacles the evidence names.")
    actions: list[Claim] = Field(default_factory=list, description="Recommended actions.")
    risks: list[Claim] = Field(default_factory=list, description="Risks to watch.")
    kpis: list[Claim] = Field(default_factory=list, description="Metrics that track value or ROI.")
    degraded_reason: str | None = None


class PlanPhase(BaseModel):
    """One span of the roadmap. A one-year question gets 0-3, 3-6, 6-12; a three-year one longer spans;
    a question without a horizon gets ordered steps."""

    id: Phase = Field(
        pattern=PHASE_PATTERN,
        description='Months from start, "start-end" (e.g. "0-3", "12-36"), when the question states a '
        'horizon; else an ordered step, "step-1", "step-2", ...',
    )
    label: str = Field(description="What the span is for, in the answer language, e.g. 试点 / Pilot.")


class Facet(BaseModel):
    """A constraint or goal the question (or company profile) states, and whether evidence answers it."""

    kind: str = Field(
        description=(
            "industry, size, team, budget, horizon, residency, data, system, vendor, figures, use_case "
            "or topic."
        )
    )
    value: str = Field(description="The facet as the question states it, e.g. 3人IT团队, ERP, 三年.")
    covered: bool = Field(default=False, description="True when a cited passage addresses it.")


class PlanAction(BaseModel):
    text: str = Field(description="The action, imperative, one or two sentences.")
    phase: Phase = Field(
        pattern=PHASE_PATTERN,
        description='The id of the roadmap span it belongs to, e.g. "0-3" (months) or "step-1" (no horizon).',
    )
    owner: str = Field(description="Owner role, e.g. CIO, CISO, HR lead, business unit head.")
    priority: Priority
    area: Area
    citations: list[int] = Field(default_factory=list, description="Numbers of the citations it stands on.")


class PlanRisk(BaseModel):
    risk: str
    mitigation: str
    area: Area
    citations: list[int] = Field(default_factory=list)


class PlanKPI(BaseModel):
    name: str = Field(description="What to measure.")
    target: str = Field(default="", description="How to read it or a target, if the evidence gives one.")
    area: Area
    citations: list[int] = Field(default_factory=list)


class PlanChallenge(BaseModel):
    text: str
    area: Area
    citations: list[int] = Field(default_factory=list)


class Citation(BaseModel):
    id: int = Field(description="The number used as [n] in the plan.")
    chunk_id: str
    source: str
    title: str
    section: str = ""
    page: int | None = None
    quote: str = Field(description="The passage, verbatim from the source.")

    @classmethod
    def of(cls, passage: Passage, number: int, quote: str) -> Citation:
        """Citation `number` of `quote`; where it comes from is copied from the passage's own record."""
        return cls(id=number, quote=quote, **passage.model_dump(include=_CITED_FIELDS))


_CITED_FIELDS = set(Citation.model_fields) & set(Passage.model_fields)


class Verification(BaseModel):
    judge: str = "lexical"
    statements: int = 0
    supported: int = 0
    citation_recall: float = 1.0
    citation_precision: float = 1.0
    dropped: int = 0
    recited: int = 0


class LLMCall(BaseModel):
    """One node's model call: what came of it, how it was asked for, what it cost."""

    node: str = Field(description="planner, specialist:<area>, synthesizer or verifier.")
    outcome: Literal["llm", "repaired", "degraded"] = Field(
        description="llm: used as returned; repaired: used after a retry that fed the error back; "
        "degraded: the node's offline result was used instead."
    )
    method: str = Field(default="", description="tools, json_schema, json_object or prompt.")
    reason: str | None = Field(default=None, description="Why it was repaired or degraded.")
    attempts: int = 0
    latency_ms: float = 0.0
    prompt_tokens: int = Field(default=0, description="From the endpoint's `usage`.")
    completion_tokens: int = 0


class AdoptionPlan(BaseModel):
    question: str
    language: Language
    mode: Mode
    areas: list[Area] = Field(default_factory=list, description="Areas consulted.")
    summary: str = ""
    summary_citations: list[int] = Field(default_factory=list)
    challenges: list[PlanChallenge] = Field(default_factory=list)
    actions: list[PlanAction] = Field(default_factory=list)
    risks: list[PlanRisk] = Field(default_factory=list)
    kpis: list[PlanKPI] = Field(default_factory=list)
    citations: list[Citation] = Field(default_factory=list)
    phases: list[PlanPhase] = Field(
        default_factory=list,
        description="Roadmap spans in order (month spans or steps); empty means the default 0-3, 3-6, 6-12.",
    )
    gaps: list[str] = Field(
        default_factory=list,
        description="Parts of the question the documents do not answer, in the answer language.",
    )
    facets: list[Facet] = Field(default_factory=list, description="The question's own constraints and goals.")
    notes: list[str] = Field(
        default_factory=list,
        description="How the plan was made, e.g. offline mode quotes without translating.",
    )
    quarantined: int = Field(
        default=0,
        description="Retrieved passages set aside because they give orders instead of describing practice.",
    )
    verification: Verification = Field(default_factory=Verification)
    refused: bool = False
    refusal_reason: str | None = None
    degraded: bool = False
    degraded_reasons: list[str] = Field(default_factory=list)
    thread_id: str | None = None
    profile: CompanyProfile | None = None
    llm_calls: int = 0
    llm: list[LLMCall] = Field(default_factory=list, description="Per-node model calls, in order.")


class Turn(BaseModel):
    """One earlier exchange in a thread, as the planner sees it."""

    question: str
    plan: AdoptionPlan


# --- reducers ------------------------------------------------------------------------------

RESET: Any = None  # returning `None` for an accumulating field clears it for a new turn


def merge_findings(left: list[AreaFindings] | None, right: list[AreaFindings] | None) -> list[AreaFindings]:
    if right is None:
        return []
    return [*(left or []), *right]


def merge_evidence(
    left: dict[str, Evidence] | None, right: dict[str, Evidence] | None
) -> dict[str, Evidence]:
    if right is None:
        return {}
    return {**(left or {}), **right}


def merge_reasons(left: list[str] | None, right: list[str] | None) -> list[str]:
    if right is None:
        return []
    return [*(left or []), *(r for r in right if r not in (left or []))]


def merge_ids(left: list[str] | None, right: list[str] | None) -> list[str]:
    if right is None:
        return []
    return list(dict.fromkeys([*(left or []), *right]))


def add_calls(left: list[LLMCall] | None, right: list[LLMCall] | None) -> list[LLMCall]:
    if right is None:
        return []
    return [*(left or []), *right]


def add_turns(left: list[Turn] | None, right: list[Turn] | None) -> list[Turn]:
    return [*(left or []), *(right or [])]


def add_counts(left: int | None, right: int | None) -> int:
    if right is None:
        return 0
    return (left or 0) + right


# --- graph state ---------------------------------------------------------------------------


class InputState(TypedDict, total=False):
    """What a caller passes in. The caller's access groups travel in config, not state."""

    question: str
    profile: CompanyProfile | None
    requested_areas: list[Area] | None
    review: bool  # pause after the planner so the user can edit or approve its decision


class AdvisorState(InputState, total=False):
    language: Language
    mode: Mode
    route: list[Area]
    llm_areas: list[Area]  # areas whose specialist may call the LLM (the planner splits the budget)
    subqueries: dict[str, list[str]]
    facet_text: (
        str  # the text facets are read from: question, profile, and the question a follow-up continues
    )
    quarantined: Annotated[list[str], merge_ids]  # chunk ids set aside as planted instructions
    refused: bool
    refusal_reason: str | None
    findings: Annotated[list[AreaFindings], merge_findings]
    evidence: Annotated[dict[str, Evidence], merge_evidence]
    degraded_reasons: Annotated[list[str], merge_reasons]
    llm_calls: Annotated[int, add_counts]
    llm_log: Annotated[list[LLMCall], add_calls]
    facets: list[Facet]  # the question's constraints and goals, as the planner found them
    draft: AdoptionPlan | None
    plan: AdoptionPlan | None
    turns: Annotated[list[Turn], add_turns]


class OutputState(TypedDict, total=False):
    plan: AdoptionPlan | None


class SpecialistInput(TypedDict):
    """What the planner sends to one specialist through `Send`."""

    area: Area
    queries: list[str]
    question: str
    language: Language
    mode: Mode
    profile: CompanyProfile | None
    facet_text: NotRequired[str]
    use_llm: NotRequired[bool]  # False: this specialist stays offline (call budget or offline mode)
    facets: NotRequired[list[Facet]]
