"""The specialist node: one per area, run in parallel through `Send`.

Each specialist retrieves with its own sub-queries (hybrid search, filtered to the caller's
groups), keeps the passages as evidence, and returns findings that cite them: from the LLM
when the planner gave it a call, else (or when the call fails) by offline extraction.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import Any

from langgraph.config import get_stream_writer
from langgraph.runtime import Runtime

from agents.context import AdvisorContext
from agents.env import Env, env_of, retrieve
from agents.grounding.quarantine import partition
from agents.language.lexicon import AREA_LABELS
from agents.language.synonyms import with_synonyms
from agents.llm import model as llm
from agents.llm.prompts import LANGUAGE_NAMES, SPECIALIST_PROMPT, evidence_block
from agents.llm.schemas import DraftClaim, SpecialistDraft
from agents.offline.corpus import document_frequency
from agents.offline.extract import offline_findings
from agents.offline.references import referenced
from agents.offline.scope import broad, expand, profile_text
from agents.state import Area, AreaFindings, Claim, Evidence, Facet, Language, LLMCall, SpecialistInput
from store.records import Passage


def alias_map(passages: Sequence[Passage]) -> dict[str, Passage]:
    return {f"E{i}": p for i, p in enumerate(passages, 1)}


def resolve_claims(claims: Sequence[DraftClaim], aliases: dict[str, Passage], limit: int) -> list[Claim]:
    """Aliases back to chunk ids; unknown aliases are dropped and non-verbatim quotes cleared."""
    out = []
    for claim in claims[:limit]:
        cited = [aliases[a.strip()] for a in claim.evidence_ids if a.strip() in aliases]
        quote = claim.quote if claim.quote and any(claim.quote in p.text for p in cited) else None
        out.append(Claim(text=claim.text, evidence_ids=[p.chunk_id for p in cited], quote=quote))
    return out


def facets_text(facets: Sequence[Facet]) -> str:
    return "; ".join(f"{f.kind}: {f.value}" for f in facets)


def _cites_evidence(aliases: dict[str, Passage]) -> Callable[[SpecialistDraft], str | None]:
    """A draft is usable when it has findings and at least one cites evidence that was shown."""

    def check(draft: SpecialistDraft) -> str | None:
        claims = [*draft.challenges, *draft.actions, *draft.risks, *draft.kpis]
        if not claims:
            return "no findings at all"
        if not any(a.strip() in aliases for c in claims for a in c.evidence_ids):
            return f"no finding cites one of the evidence ids {', '.join(aliases)}"
        return None

    return check


async def llm_findings(
    area: Area, passages: Sequence[Passage], state: SpecialistInput, env: Env
) -> tuple[AreaFindings, LLMCall]:
    aliases = alias_map(passages[: env.settings.llm_passages])
    language: Language = state["language"]
    prompt = SPECIALIST_PROMPT.format(
        area_label=AREA_LABELS[area]["en"],
        question=state["question"],
        profile=profile_text(state.get("profile")),
        facets=facets_text(state.get("facets") or []),
        evidence=evidence_block([(a, p.title, p.text) for a, p in aliases.items()]),
        language_name=LANGUAGE_NAMES[language],
    )
    draft, record = await llm.structured_call(
        SpecialistDraft, prompt, settings=env.settings, language=language,
        node=f"specialist:{area}", budget=env.budget, check=_cites_evidence(aliases),
    )  # fmt: skip
    findings = AreaFindings(
        area=area,
        queries=state["queries"],
        evidence_ids=[p.chunk_id for p in passages],
        challenges=resolve_claims(draft.challenges, aliases, 2),
        actions=resolve_claims(draft.actions, aliases, 3),
        risks=resolve_claims(draft.risks, aliases, 2),
        kpis=resolve_claims(draft.kpis, aliases, 2),
    )
    return findings, record


def _evidence(passages: Sequence[Passage], area: Area) -> dict[str, Evidence]:
    return {p.chunk_id: Evidence.of(p, area) for p in passages}


def _retrieve(env: Env, state: SpecialistInput) -> list[Passage]:
    language = state["language"]
    # searches also use the documents' other words for the question's (批准 -> 审批)
    queries = [with_synonyms(expand(q, language)) for q in state["queries"] or [state["question"]]]
    # one combined sub-query per area (what it asks plus the area's usual obstacles), so keep >= 8
    found = retrieve(env, queries, max(env.settings.top_k, 8))
    # offline extraction also reads the articles its passages point to ('按照制度第三十六条报告');
    # a model reads what search found, so its prompt keeps its size
    return found if state.get("use_llm") else [*found, *referenced(env, found)]


def _offline(env: Env, state: SpecialistInput, passages: list[Passage]) -> AreaFindings:
    question, language = state["question"], state["language"]
    facet_text = state.get("facet_text") or question
    return offline_findings(
        state["area"], state["queries"], passages, expand(question, language), language,
        focused=not broad(question), df=document_frequency(env), facet_text=facet_text,
    )  # fmt: skip


async def specialist(state: SpecialistInput, runtime: Runtime[AdvisorContext]) -> dict[str, Any]:
    area = state["area"]
    get_stream_writer()({"node": "specialist", "area": area, "status": "started"})
    env = env_of(runtime)
    # Expansion (dictionary lookups) and search are CPU work: off the event loop, in one hop.
    found = await asyncio.to_thread(_retrieve, env, state)
    passages, aside = partition(found)  # planted instructions never reach either path
    findings: AreaFindings | None = None
    calls, reasons, log = 0, [], []
    if state.get("use_llm") and passages:
        calls = 1
        try:
            findings, record = await llm_findings(area, passages, state, env)
        except Exception as exc:  # the LLM being down must never fail the plan
            reason, record = llm.failure(f"specialist {area}", exc)
            reasons.append(reason)
        log.append(record)
    if findings is None:
        findings = await asyncio.to_thread(_offline, env, state, passages)
        if reasons:
            findings.degraded_reason = reasons[0]
    return {
        "findings": [findings],
        "evidence": _evidence(passages, area),
        "quarantined": [p.chunk_id for p in aside],
        "llm_calls": calls,
        "degraded_reasons": reasons,
        "llm_log": log,
    }
