"""The synthesizer node: findings in, one cited plan draft out.

In LLM mode one call writes the draft; evidence aliases are mapped to numbered citations through
`CitationBook`, which accepts only this plan's evidence. A draft that is empty, cites nothing
shown, or whose summary (or all of it) the verifier would drop is a failed call. Only an accepted draft's
summary is streamed to listeners. Offline, or when the call fails or the budget is spent,
`agents.offline.assemble` builds the draft from the findings.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable, Mapping, Sequence
from functools import partial
from typing import Any

from langgraph.config import get_stream_writer
from langgraph.runtime import Runtime

from agents.context import AdvisorContext
from agents.env import Env, env_of
from agents.grounding.citations import CitationBook
from agents.llm import model as llm
from agents.llm.prompts import SYNTHESIZER_PROMPT, evidence_block
from agents.llm.schemas import PlanDraft
from agents.nodes.specialist import facets_text
from agents.nodes.verifier import collect, lexical_verdicts, repair
from agents.offline import roadmap
from agents.offline.assemble import Assembler
from agents.offline.corpus import document_frequency
from agents.offline.coverage import coverage
from agents.offline.extract import offline_findings
from agents.offline.facets import QuestionFacet, find_facets
from agents.offline.neighbors import continuations
from agents.offline.scope import broad, expand, profile_text
from agents.state import (
    PHASE_PATTERN,
    PHASES,
    STEP_PATTERN,
    AdoptionPlan,
    AdvisorState,
    AreaFindings,
    Evidence,
    Language,
    LLMCall,
    PlanAction,
    PlanChallenge,
    PlanKPI,
    PlanPhase,
    PlanRisk,
)

_ALIAS = re.compile(r"\[(E\d+)\]")


def _aliases(findings: Sequence[AreaFindings], limit: int) -> dict[str, str]:
    """Aliases of the passages the findings cite, best first, at most `limit`."""
    ids: list[str] = []
    for f in findings:
        for claim in [*f.challenges, *f.actions, *f.risks, *f.kpis]:
            ids.extend(i for i in claim.evidence_ids if i not in ids)
    return {f"E{i}": cid for i, cid in enumerate(ids[:limit], 1)}


def _findings_text(findings: Sequence[AreaFindings], back: Mapping[str, str]) -> str:
    lines = []
    for f in findings:
        for kind in ("challenges", "actions", "risks", "kpis"):
            for claim in getattr(f, kind):
                ids = ", ".join(back[i] for i in claim.evidence_ids if i in back)
                lines.append(f"- [{f.area}/{kind}] {claim.text} ({ids})")
    return "\n".join(lines)


def _span(phase: str, spans: Sequence[str]) -> str:
    """The model's span when well formed, else the first of the plan's spans. A month span the
    model makes up for a question without a horizon (the spans are steps) is not kept either."""
    phase = phase.strip()
    steps = bool(spans) and all(re.fullmatch(STEP_PATTERN, s) for s in spans)
    if phase in spans or (re.fullmatch(PHASE_PATTERN, phase) and not steps):
        return phase
    return spans[0] if spans else PHASES[0]


def from_draft(
    draft: PlanDraft,
    aliases: Mapping[str, str],
    evidence: Mapping[str, Evidence],
    state: AdvisorState,
    spans: Sequence[str] = PHASES,
) -> AdoptionPlan:
    """Map the model's alias citations onto numbered citations of this plan's evidence."""
    language: Language = state.get("language", "zh")
    for a in draft.actions:
        a.phase = _span(a.phase, spans)
    book = CitationBook(evidence, language)

    def cite(ids: Sequence[str], statement: str) -> list[int]:
        chunk_ids = [aliases.get(i.strip(), i.strip()) for i in ids]
        return book.cite_all(chunk_ids, statement=statement)

    def marker(match: re.Match[str]) -> str:
        cid = aliases.get(match.group(1))
        n = book.cite(cid, statement=draft.summary) if cid else None
        return f"[{n}]" if n else ""

    summary = _ALIAS.sub(marker, draft.summary)
    return AdoptionPlan(
        question=state["question"],
        language=language,
        mode="llm",
        areas=list(state.get("route") or []),
        summary=summary,
        summary_citations=sorted({int(n) for n in re.findall(r"\[(\d+)\]", summary)}),
        challenges=[
            PlanChallenge(text=c.text, area=c.area, citations=cite(c.evidence_ids, c.text))
            for c in draft.challenges
        ],
        actions=[
            PlanAction(
                text=a.text, phase=a.phase, owner=a.owner, priority=a.priority, area=a.area,
                citations=cite(a.evidence_ids, a.text),
            )
            for a in draft.actions
        ],
        risks=[
            PlanRisk(
                risk=r.risk, mitigation=r.mitigation, area=r.area,
                citations=cite(r.evidence_ids, f"{r.risk} {r.mitigation}"),
            )
            for r in draft.risks
        ],
        kpis=[
            PlanKPI(name=k.name, target=k.target, area=k.area, citations=cite(k.evidence_ids, k.name))
            for k in draft.kpis
        ],
        citations=list(book.citations),
        phases=_phases(draft, language),
        gaps=[g.strip() for g in draft.gaps if g.strip()][:8],
        facets=list(state.get("facets") or []),
        profile=state.get("profile"),
    )  # fmt: skip


def _phases(draft: PlanDraft, language: Language) -> list[PlanPhase]:
    """The spans the actions use, in order; labelled plainly (the model's labels are not needed)."""
    spans = sorted({a.phase for a in draft.actions}, key=lambda p: tuple(map(int, re.findall(r"\d+", p))))
    months, step = ("{}-{}个月", "第{}步") if language == "zh" else ("Months {}-{}", "Step {}")
    return [
        PlanPhase(id=p, label=(step if p.startswith("step-") else months).format(*re.findall(r"\d+", p)))
        for p in spans
    ]


def _usable(aliases: Mapping[str, str]) -> Callable[[PlanDraft], str | None]:
    def check(draft: PlanDraft) -> str | None:
        if not draft.summary.strip() or not draft.actions:
            return "the plan has no summary or no actions"
        ids = [c.evidence_ids for c in draft.challenges] + [a.evidence_ids for a in draft.actions]
        ids += [r.evidence_ids for r in draft.risks] + [k.evidence_ids for k in draft.kpis]
        cited = {i.strip() for group in ids for i in group}
        if not cited & set(aliases):
            return f"no item cites one of the evidence ids {', '.join(aliases)}"
        return None

    return check


def _preverified(plan: AdoptionPlan, evidence: Mapping[str, Evidence]) -> AdoptionPlan:
    """The plan as the (lexical) verifier will leave it, to catch a draft it would empty."""
    statements = collect(plan, evidence)
    return repair(plan, evidence, statements, lexical_verdicts(statements, plan.language))


def _stream_summary(summary: str) -> None:
    """The accepted summary, in small pieces, for listeners; never a draft that may still fail."""
    write = get_stream_writer()
    for piece in re.findall(r"\s*[A-Za-z0-9_']+|\s*\S|\s+", re.sub(r"\[\d+\]", "", summary)):
        write({"token": piece})


def _shape(state: AdvisorState) -> tuple[list[QuestionFacet], list[PlanPhase]]:
    """The question's facets and roadmap spans as the offline engine reads them, so both paths
    follow the same horizon and admit the same gaps."""
    language: Language = state.get("language", "zh")
    facets = find_facets(state.get("facet_text") or state["question"], language, state.get("profile"))
    months = max((f.months or 0 for f in facets if f.kind == "horizon"), default=0) or None
    return facets, roadmap.phases(months, language)


def _with_shape(
    plan: AdoptionPlan,
    facets: Sequence[QuestionFacet],
    spans: list[PlanPhase],
    evidence: Mapping[str, Evidence],
) -> AdoptionPlan:
    """Spans (the model's own extra ones kept), facets marked covered, offline and model gaps."""
    known = {p.id for p in spans}
    extra = [p for p in plan.phases if p.id not in known]
    spans, renamed = roadmap.steps_in_use(spans, {a.phase for a in plan.actions})
    actions = [a.model_copy(update={"phase": renamed.get(a.phase, a.phase)}) for a in plan.actions]
    marked, gaps = coverage(
        facets, [c.quote for c in plan.citations], [e.text for e in evidence.values()], plan.language
    )
    return plan.model_copy(
        update={
            "phases": [*spans, *extra],
            "actions": actions,
            "facets": marked or plan.facets,
            "gaps": list(dict.fromkeys([*gaps, *plan.gaps]))[:8],
        }
    )


async def llm_draft(
    state: AdvisorState, env: Env, findings: Sequence[AreaFindings], evidence: Mapping[str, Evidence]
) -> tuple[AdoptionPlan, LLMCall]:
    """The model's plan, or CallFailed when it is unusable (the verifier would drop all of it)."""
    aliases = _aliases(findings, 2 * env.settings.llm_passages)
    back = {cid: alias for alias, cid in aliases.items()}
    facets, spans = _shape(state)
    stated = [f"{f.kind}: {f.value}" for f in facets] + [facets_text(state.get("facets") or [])]
    prompt = SYNTHESIZER_PROMPT.format(
        question=state["question"],
        profile=profile_text(state.get("profile")),
        facets="; ".join(x for x in dict.fromkeys(stated) if x),
        areas=", ".join(state.get("route") or []),
        phases=", ".join(p.id for p in spans),
        findings=_findings_text(findings, back),
        evidence=evidence_block([(a, evidence[c].title, evidence[c].text) for a, c in aliases.items()]),
    )
    result, record = await llm.structured_call(
        PlanDraft, prompt, settings=env.settings, language=state.get("language", "zh"),
        node="synthesizer", budget=env.budget, check=_usable(aliases),
    )  # fmt: skip
    draft = from_draft(result, aliases, evidence, state, [p.id for p in spans])
    preview = _preverified(draft, evidence)
    if preview.refused:
        raise llm.CallFailed("unsupported", "the verifier would drop every statement of the draft", record)
    if not preview.summary.strip():  # the items alone are no plan a reader can start from
        raise llm.CallFailed("unsupported", "the verifier would drop the draft's whole summary", record)
    _stream_summary(preview.summary)
    return _with_shape(draft, facets, spans, evidence), record


def offline_findings_for(
    state: AdvisorState, env: Env, findings: Sequence[AreaFindings], evidence: Mapping[str, Evidence]
) -> list[AreaFindings]:
    """The findings an offline plan is built from. A model specialist's findings are the model's
    words, which the offline assembler cannot vouch for, so those areas are extracted again."""
    by_model = {c.node.split(":", 1)[1] for c in state.get("llm_log") or []
                if c.node.startswith("specialist:") and c.outcome != "degraded"}  # fmt: skip
    question, language = state["question"], state.get("language", "zh")
    out = []
    for f in findings:
        if f.area not in by_model:
            out.append(f)
            continue
        passages = sorted((e for e in evidence.values() if e.area == f.area), key=lambda e: -e.score)
        out.append(
            offline_findings(
                f.area,
                f.queries,
                passages,
                expand(question, language),
                language,
                focused=not broad(question),
                df=document_frequency(env),
                facet_text=state.get("facet_text") or question,
            )  # fmt: skip
        )
    return out


def _offline_draft(
    state: AdvisorState, env: Env, findings: list[AreaFindings], evidence: dict[str, Evidence]
) -> tuple[AdoptionPlan, dict[str, Evidence]]:
    """The extractive plan, and the passages it fetched to continue an answer."""
    language: Language = state.get("language", "zh")
    assembler = Assembler(evidence, language, df=document_frequency(env), more=partial(continuations, env))
    draft = assembler.build(
        state["question"],
        list(state.get("route") or []),
        offline_findings_for(state, env, findings, evidence),
        state.get("profile"),
        state.get("facet_text") or "",
    )
    draft.mode = state.get("mode", "offline")
    return draft, {ev.chunk_id: ev for ev in assembler.added}


async def synthesizer(state: AdvisorState, runtime: Runtime[AdvisorContext]) -> dict[str, Any]:
    env = env_of(runtime)
    findings = list(state.get("findings") or [])
    evidence = dict(state.get("evidence") or {})
    calls, reasons, log, draft = 0, [], [], None
    added: dict[str, Evidence] = {}
    budget_left = env.settings.max_llm_calls - (state.get("llm_calls") or 0)
    if state.get("mode") == "llm" and budget_left >= 1 and evidence:
        calls = 1
        try:
            draft, record = await llm_draft(state, env, findings, evidence)
        except Exception as exc:  # the LLM being down must never fail the plan
            reason, record = llm.failure("synthesizer", exc)
            reasons.append(reason)
        log.append(record)
    if draft is None:  # CPU-bound: off the event loop, which keeps answering other requests meanwhile
        draft, added = await asyncio.to_thread(_offline_draft, state, env, findings, evidence)
    update: dict[str, Any] = {"draft": draft, "llm_calls": calls, "degraded_reasons": reasons, "llm_log": log}
    if added:  # passages fetched to continue an answer are evidence of this plan too
        update["evidence"] = added
    return update
