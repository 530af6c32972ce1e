"""The verifier: ALCE-style citation checks, then repair.

Statements are the summary's sentences, each challenge, action, risk (risk and mitigation
together) and KPI (its name). For each statement:

- **Support** (citation recall): the statement is supported when its cited passages, taken
  together, support it. The default judge is lexical (agents.support): the cited quotes must
  cover at least 60% of a Chinese statement's content tokens, or 50% of an English
  statement's concepts, which are mapped to Chinese through the glossary first. With
  `ADVISOR_LLM_JUDGE=true` in LLM mode, one extra model call judges support instead (it
  counts against the call cap; on failure the lexical judge takes over).
- **Precision**: a citation is precise when it is needed: it supports the statement alone,
  or removing it leaves the statement unsupported. Citations of unsupported statements are
  imprecise, as in ALCE.

Citations may only point at evidence retrieved for this plan (which retrieval already limited
to what the caller may see); others are dropped, and quotes that are not verbatim are replaced
by the chunk's best sentence. An unsupported statement is re-cited from the plan's evidence
when some passage supports it, else dropped. Figures describe the draft as written (before
repair); `dropped` and `recited` say what repair changed. Citations are renumbered 1..n.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from langgraph.config import get_config
from langgraph.runtime import Runtime

from agents.context import AdvisorContext
from agents.env import Env, env_of
from agents.grounding.figures import invented
from agents.grounding.support import best_sentence, supported
from agents.llm import model as llm
from agents.llm.prompts import JUDGE_PROMPT
from agents.llm.schemas import SupportVerdicts
from agents.offline.units import thicken
from agents.state import AdoptionPlan, AdvisorState, Citation, Evidence, Language, LLMCall, Turn, Verification

Kind = Literal["summary", "challenges", "actions", "risks", "kpis"]
_MARK = re.compile(r"\s?\[(\d+)\]")
_SENTENCE = re.compile(r".*?(?:[。！？]|[.!?](?=\s|$)|$)(?:\s*\[\d+\])*", re.S)


def summary_sentences(summary: str) -> list[str]:
    """Sentences of the summary, each keeping the [n] markers that follow its full stop."""
    return [m.group(0) for m in _SENTENCE.finditer(summary) if m.group(0).strip()]


@dataclass
class Statement:
    kind: Kind
    index: int
    text: str
    cites: list[Citation]
    refs: int  # citation numbers the draft gave, valid or not
    keep: bool = True
    recited: bool = False
    old_ids: list[int] = field(default_factory=list)


def _valid_citations(draft: AdoptionPlan, evidence: Mapping[str, Evidence]) -> dict[int, Citation]:
    valid: dict[int, Citation] = {}
    for c in draft.citations:
        ev = evidence.get(c.chunk_id)
        if ev is None:
            continue
        if not c.quote or c.quote not in ev.text:
            c = c.model_copy(update={"quote": ev.text.strip()})
        valid[c.id] = c
    return valid


def collect(draft: AdoptionPlan, evidence: Mapping[str, Evidence]) -> list[Statement]:
    valid = _valid_citations(draft, evidence)
    out: list[Statement] = []

    def add(kind: Kind, index: int, text: str, numbers: Sequence[int]) -> None:
        cites = [valid[n] for n in dict.fromkeys(numbers) if n in valid]
        out.append(Statement(kind, index, text, cites, len(set(numbers)), old_ids=list(numbers)))

    sentences = summary_sentences(draft.summary)
    unmarked = not _MARK.search(draft.summary)
    for i, sentence in enumerate(sentences):
        numbers = draft.summary_citations if unmarked else [int(n) for n in _MARK.findall(sentence)]
        add("summary", i, _MARK.sub("", sentence).strip(), numbers)
    for i, c in enumerate(draft.challenges):
        add("challenges", i, c.text, c.citations)
    for i, a in enumerate(draft.actions):
        add("actions", i, a.text, a.citations)
    for i, r in enumerate(draft.risks):
        add("risks", i, f"{r.risk} {r.mitigation}", r.citations)
    for i, k in enumerate(draft.kpis):
        add("kpis", i, k.name, k.citations)
    return out


def lexical_verdicts(statements: Sequence[Statement], language: Language) -> list[bool]:
    return [supported(s.text, language, [c.quote for c in s.cites]) for s in statements]


def _precise(s: Statement, language: Language) -> int:
    quotes = [c.quote for c in s.cites]
    return sum(
        1
        for i, q in enumerate(quotes)
        if supported(s.text, language, [q]) or not supported(s.text, language, quotes[:i] + quotes[i + 1 :])
    )


def _recite(s: Statement, language: Language, evidence: Mapping[str, Evidence]) -> Citation | None:
    best: tuple[float, Evidence, str] | None = None
    for ev in evidence.values():
        quote, cov = best_sentence(s.text, language, ev.text)
        if best is None or cov > best[0]:
            best = (cov, ev, quote)
    if best is None or not supported(s.text, language, [best[2]]):
        return None
    _, ev, quote = best
    quote = thicken(ev.text, quote)
    return Citation.of(ev, 0, quote)


def repair(
    draft: AdoptionPlan,
    evidence: Mapping[str, Evidence],
    statements: list[Statement],
    verdicts: Sequence[bool],
    judge: str = "lexical",
) -> AdoptionPlan:
    lang = draft.language
    n_supported = sum(verdicts)
    refs = sum(s.refs for s in statements)
    precise = sum(_precise(s, lang) for s, ok in zip(statements, verdicts, strict=True) if ok)
    recited = dropped = 0
    for s, ok in zip(statements, verdicts, strict=True):
        if not ok:
            fresh = _recite(s, lang, evidence)
            if fresh is None:
                s.keep = False
                dropped += 1
                continue
            s.cites, s.recited = [fresh], True
            recited += 1
        if invented(s.text, [draft.question, *(c.quote for c in s.cites)]):
            s.keep = False  # a figure from nowhere is never shown, whatever else supports the statement
            dropped += 1
            recited -= int(s.recited)
    plan = _rebuild(draft, statements)
    plan.verification = Verification(
        judge=judge,
        statements=len(statements),
        supported=n_supported,
        citation_recall=round(n_supported / len(statements), 4) if statements else 1.0,
        citation_precision=round(precise / refs, 4) if refs else (0.0 if statements else 1.0),
        dropped=dropped,
        recited=recited,
    )
    # a cited answer in the summary is a plan too: a question of fact needs no roadmap
    findings = plan.actions or plan.risks or plan.kpis or plan.challenges or plan.summary_citations
    if not findings and not plan.refused and plan.gaps:
        # what the documents lack is the answer ('多少块GPU' over a rulebook): said, not refused
        plan.summary, plan.citations, plan.summary_citations = NOT_IN_DOCUMENTS[lang], [], []
    elif not findings and not plan.refused:
        plan.refused = True
        plan.refusal_reason = (
            "知识库中的资料不足以支持可靠的建议。"
            if lang == "zh"
            else "The evidence is too thin to support a plan."
        )
        plan.summary, plan.citations, plan.summary_citations = plan.refusal_reason, [], []
    return plan


NOT_IN_DOCUMENTS = {
    "zh": "资料没有回答这个问题，缺少的内容见“资料未覆盖”。",
    "en": "The documents do not answer this question; what they lack is listed under "
    "'Not covered by your documents'.",
}


def _rebuild(draft: AdoptionPlan, statements: Sequence[Statement]) -> AdoptionPlan:
    numbers: dict[tuple[str, str], int] = {}
    citations: list[Citation] = []

    def number(c: Citation) -> int:
        key = (c.chunk_id, c.quote)
        if key not in numbers:
            numbers[key] = len(citations) + 1
            citations.append(c.model_copy(update={"id": numbers[key]}))
        return numbers[key]

    lists: dict[str, list[Any]] = {k: [] for k in ("challenges", "actions", "risks", "kpis")}
    sentences: list[str] = []
    original = summary_sentences(draft.summary)
    for s in statements:
        if not s.keep:
            continue
        mapping = {c.id: number(c) for c in s.cites}
        new = list(dict.fromkeys(mapping.values()))
        if s.kind == "summary":
            sentences.append(_remark(original[s.index], mapping, new, s.recited, draft.language).strip())
        else:
            item = getattr(draft, s.kind)[s.index]
            lists[s.kind].append(item.model_copy(update={"citations": new}))
    summary = ("" if draft.language == "zh" else " ").join(sentences)
    return draft.model_copy(
        update={
            **lists,
            "summary": summary,
            "summary_citations": sorted({int(n) for n in _MARK.findall(summary)}),
            "citations": citations,
        }
    )


def _remark(sentence: str, mapping: dict[int, int], new: list[int], recited: bool, language: Language) -> str:
    """A summary sentence with its [n] markers renumbered (or replaced, when re-cited)."""
    if recited or not _MARK.search(sentence):
        body = _MARK.sub("", sentence).rstrip()
        end = body[-1] if body and body[-1] in "。.！？!?" else ""
        body = body[: len(body) - len(end)]
        sep = "" if language == "zh" else " "
        return f"{body}{sep}{''.join(f'[{n}]' for n in new)}{end}"

    def sub(m: re.Match[str]) -> str:
        old = int(m.group(1))
        lead = m.group(0)[: m.group(0).index("[")]
        return f"{lead}[{mapping[old]}]" if old in mapping else ""

    return _MARK.sub(sub, sentence)


def _lexical(draft: AdoptionPlan, evidence: dict[str, Evidence]) -> tuple[list[Statement], list[bool]]:
    statements = collect(draft, evidence)
    return statements, lexical_verdicts(statements, draft.language)


async def verifier(state: AdvisorState, runtime: Runtime[AdvisorContext]) -> dict[str, Any]:
    env = env_of(runtime)
    settings = env.settings
    draft = state.get("draft")
    if draft is None:
        raise ValueError("verifier reached without a draft")
    evidence = dict(state.get("evidence") or {})
    # CPU-bound steps run off the event loop, which keeps answering other requests meanwhile.
    statements, verdicts = await asyncio.to_thread(_lexical, draft, evidence)
    calls, reasons, log, judge = 0, [], [], "lexical"
    budget_left = settings.max_llm_calls - (state.get("llm_calls") or 0)
    if settings.llm_judge and state.get("mode") == "llm" and budget_left >= 1 and statements:
        calls = 1
        try:
            verdicts, record = await _llm_verdicts(statements, draft.language, env)
            judge = "llm"
        except Exception as exc:  # fall back to the lexical judge
            reason, record = llm.failure("verifier", exc)
            reasons.append(reason)
        log.append(record)
    plan = await asyncio.to_thread(repair, draft, evidence, statements, verdicts, judge)
    all_reasons = [*(state.get("degraded_reasons") or []), *reasons]
    plan.degraded, plan.degraded_reasons = bool(all_reasons), all_reasons
    plan.llm_calls = (state.get("llm_calls") or 0) + calls
    plan.llm = [*(state.get("llm_log") or []), *log]
    plan.thread_id = (get_config().get("configurable") or {}).get("thread_id")
    plan.mode = state.get("mode", plan.mode)
    plan.quarantined = len(state.get("quarantined") or [])
    return {
        "plan": plan,
        "turns": [Turn(question=state["question"], plan=plan)],
        "llm_calls": calls,
        "degraded_reasons": reasons,
        "llm_log": log,
    }


async def _llm_verdicts(
    statements: Sequence[Statement], language: Language, env: Env
) -> tuple[list[bool], LLMCall]:
    lines = []
    for i, s in enumerate(statements, 1):
        quotes = " | ".join(c.quote for c in s.cites) or "(no citation)"
        lines.append(f'{i}. statement: {s.text}\n   <evidence id="S{i}">{quotes}</evidence>')
    prompt = JUDGE_PROMPT.format(statements="\n".join(lines))

    def one_per_statement(result: SupportVerdicts) -> str | None:
        n = len(result.supported)
        return None if n == len(statements) else f"{n} verdicts for {len(statements)} statements"

    result, record = await llm.structured_call(
        SupportVerdicts, prompt, settings=env.settings, language=language, node="verifier",
        budget=env.budget, check=one_per_statement,
    )  # fmt: skip
    return list(result.supported), record
