"""The synthesizer node: findings in, one cited plan draft out.

In LLM mode one streamed call writes the draft (summary first, so its tokens can be shown as
they arrive); evidence aliases are mapped to numbered citations through `CitationBook`, which
accepts only this plan's evidence. Offline, or when the call fails or the budget is spent,
`agents.assemble` builds the draft from the findings.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from langgraph.runtime import Runtime

from agents.context import AdvisorContext
from agents.env import env_of
from agents.grounding.citations import CitationBook
from agents.llm import model as llm
from agents.llm.prompts import SYNTHESIZER_PROMPT, evidence_block
from agents.llm.schemas import PlanDraft
from agents.offline.assemble import Assembler
from agents.offline.corpus import document_frequency
from agents.offline.neighbors import continuations
from agents.offline.scope import profile_text
from agents.state import (
    AdoptionPlan,
    AdvisorState,
    AreaFindings,
    Evidence,
    Language,
    PlanAction,
    PlanChallenge,
    PlanKPI,
    PlanRisk,
)

MAX_EVIDENCE = 16  # passages shown to the synthesizer: the ones the findings cite, best first
_ALIAS = re.compile(r"\[(E\d+)\]")


def _aliases(findings: Sequence[AreaFindings]) -> dict[str, str]:
    ids: list[str] = []
    for f in findings:
        for claim in [*f.challenges, *f.actions, *f.risks, *f.kpis]:
            ids.extend(i for i in claim.evidence_ids if i not in ids)
    return {f"E{i}": cid for i, cid in enumerate(ids[:MAX_EVIDENCE], 1)}


def _findings_text(findings: Sequence[AreaFindings], back: Mapping[str, str]) -> str:
    lines = []
    for f in findings:
        for kind in ("challenges", "actions", "risks", "kpis"):
            for claim in getattr(f, kind):
                ids = ", ".join(back[i] for i in claim.evidence_ids if i in back)
                lines.append(f"- [{f.area}/{kind}] {claim.text} ({ids})")
    return "\n".join(lines)


def from_draft(
    draft: PlanDraft, aliases: Mapping[str, str], evidence: Mapping[str, Evidence], state: AdvisorState
) -> AdoptionPlan:
    """Map the model's alias citations onto numbered citations of this plan's evidence."""
    language: Language = state.get("language", "zh")
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
        profile=state.get("profile"),
    )  # fmt: skip


async def synthesizer(state: AdvisorState, runtime: Runtime[AdvisorContext]) -> dict[str, Any]:
    env = env_of(runtime)
    settings = env.settings
    findings = list(state.get("findings") or [])
    evidence = dict(state.get("evidence") or {})
    language: Language = state.get("language", "zh")
    areas = list(state.get("route") or [])
    calls, reasons, draft = 0, [], None
    added: dict[str, Evidence] = {}
    budget_left = settings.max_llm_calls - (state.get("llm_calls") or 0)
    if state.get("mode") == "llm" and budget_left >= 1 and evidence:
        calls = 1
        aliases = _aliases(findings)
        back = {cid: alias for alias, cid in aliases.items()}
        prompt = SYNTHESIZER_PROMPT.format(
            question=state["question"],
            profile=profile_text(state.get("profile")),
            areas=", ".join(areas),
            findings=_findings_text(findings, back),
            evidence=evidence_block([(a, evidence[c].title, evidence[c].text) for a, c in aliases.items()]),
        )
        try:
            result = await llm.structured_call(
                PlanDraft, prompt, settings=settings, language=language, streaming=True
            )
            draft = from_draft(result, aliases, evidence, state)
        except Exception as exc:  # the LLM being down must never fail the plan
            reasons.append(llm.failure("synthesizer", exc))
    if draft is None:
        assembler = Assembler(
            evidence, language, df=document_frequency(env), more=lambda evs: continuations(env, evs)
        )
        draft = assembler.build(
            state["question"], areas, findings, state.get("profile"), state.get("facet_text") or ""
        )
        added = {ev.chunk_id: ev for ev in assembler.added}
        draft.mode = state.get("mode", "offline")
    update: dict[str, Any] = {"draft": draft, "llm_calls": calls, "degraded_reasons": reasons}
    if added:  # passages fetched to continue an answer are evidence of this plan too
        update["evidence"] = added
    return update
