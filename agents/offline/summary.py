"""The offline plan's summary: what answers the question first, then challenges, roadmap and risk.

The lead is the evidence that answers the question itself (agents.answer); a narrow question is
answered there before any roadmap. Then each area's headline challenge, the roadmap's first step
per phase, and one risk that the challenges did not already name. Every fragment carries the
citation numbers of the evidence it restates.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from agents.language.lexicon import ACTION_VERBS, AREA_LABELS, CHALLENGE_CUES, RISK_CUES
from agents.language.text import action_clause, first_clause
from agents.state import PHASES, AreaFindings, Claim, CompanyProfile, Language, PlanAction, PlanRisk

Cite = Callable[[Claim], list[int]]
_LEAD_IN = re.compile(r"^(其他还包括|还包括|包括|其中|最突出的问题是)")
PHASE_LABEL = {
    "zh": {"0-3": "0–3个月", "3-6": "3–6个月", "6-12": "6–12个月"},
    "en": {"0-3": "months 0–3", "3-6": "months 3–6", "6-12": "months 6–12"},
}


def key_clause(sentence: str, cues: Sequence[str]) -> str:
    """The clause of a sentence that carries one of the cues, else its first clause."""
    clauses = [c for c in re.split(r"[，；,;：:]", sentence.rstrip("。！？；;")) if c.strip()]
    for clause in clauses:
        if any(cue in clause for cue in cues) and len(clause) >= 6:
            return clause.strip()
    return first_clause(sentence)


def _marks(numbers: Sequence[int]) -> str:
    return "".join(f"[{n}]" for n in numbers)


_INNER_STOP = re.compile(r"[。！？]|(?<=[.!?])\s+")


def _answer(answers: Sequence[Claim], zh: bool, cite: Cite) -> str:
    """One sentence per answer, each with its own citation: the verifier checks a sentence
    against the citations it carries, so an answer of two sentences is joined into one
    ('…服务中，这个阶段的关键是…') and answers are not run together."""
    parts = []
    for a in answers:
        text = _INNER_STOP.sub("，" if zh else "; ", a.text.rstrip("。.；; "))
        parts.append(f"{text}{_marks(cite(a))}。" if zh else f"{text} {_marks(cite(a))}.")
    if not parts:
        return ""
    if zh:
        return "资料要点：" + "".join(parts)
    return "what the sources say on this: " + lower(parts[0]) + "".join(" " + p for p in parts[1:])


def _challenges(findings: Sequence[AreaFindings], language: Language, cite: Cite) -> tuple[str, set[str]]:
    zh = language == "zh"
    parts, headlines = [], set()
    for f in findings:
        c = _headline(f)
        if c is None:
            continue
        headlines.add(c.text)
        label = AREA_LABELS[f.area][language]
        short = _LEAD_IN.sub("", c.text.rstrip("。"))
        text = (short if len(short) <= 30 else key_clause(short, CHALLENGE_CUES)) if zh else lower(c.text)
        marks = _marks(cite(c))
        parts.append(f"{label}方面，{text}{marks}" if zh else f"in {lower(label)}, {text} {marks}")
    if not parts:
        return "", headlines
    if zh:
        return "资料指出的主要挑战包括：" + "；".join(parts) + "。", headlines
    return "the main challenges the sources name are: " + "; ".join(parts) + ".", headlines


def _roadmap(actions: Sequence[PlanAction], zh: bool) -> str:
    steps = []
    for phase in PHASES:
        in_phase = [a for a in actions if a.phase == phase]
        # the summary names a step by its verb; "通过…" (by means of) clauses make poor headlines
        first = next(
            (a for a in in_phase if not a.text.startswith("通过")), in_phase[0] if in_phase else None
        )
        if first is None:
            continue
        text = action_clause(first.text, ACTION_VERBS) if zh else lower(first.text)
        marks = _marks(first.citations)
        steps.append(
            f"{PHASE_LABEL['zh'][phase]}{text}{marks}"
            if zh
            else f"{PHASE_LABEL['en'][phase]}, {text} {marks}"
        )
    if not steps:
        return ""
    return "路线图：" + "；".join(steps) + "。" if zh else "roadmap: " + "; ".join(steps) + "."


def _risk(risks: Sequence[PlanRisk], headlines: set[str], zh: bool) -> str:
    fresh = [r for r in risks if r.risk not in headlines]
    if not fresh:
        return ""
    r = fresh[0]
    short = r.risk.rstrip("。")
    clause = (short if len(short) <= 45 else key_clause(short, RISK_CUES)) if zh else lower(r.risk)
    marks = _marks(r.citations[:1])
    return f"需重点防范：{clause}{marks}。" if zh else f"key risk to manage: {clause} {marks}."


def write_summary(
    language: Language,
    findings: Sequence[AreaFindings],
    actions: Sequence[PlanAction],
    risks: Sequence[PlanRisk],
    profile: CompanyProfile | None,
    answers: Sequence[Claim],
    cite: Cite,
) -> str:
    zh = language == "zh"
    challenges, headlines = _challenges(findings, language, cite)
    sentences = [
        s
        for s in (_answer(answers, zh, cite), challenges, _roadmap(actions, zh), _risk(risks, headlines, zh))
        if s
    ]
    if not sentences:
        return ""
    sentences[0] = _who(profile, zh) + sentences[0]
    return "".join(sentences) if zh else " ".join(s[0].upper() + s[1:] for s in sentences)


def _headline(f: AreaFindings) -> Claim | None:
    """The area's challenge for the summary: a short, heading-like one if the evidence has it."""
    pool = [*f.challenges, *f.risks]
    return next((c for c in pool if len(c.text) <= 31), pool[0] if pool else None)


def lower(text: str) -> str:
    """Sentence case inside a sentence, leaving acronyms (AI, ROI) alone."""
    head = text.split(" ", 1)[0]
    return text if len(head) > 1 and head.isupper() else text[0].lower() + text[1:]


def _who(profile: CompanyProfile | None, zh: bool) -> str:
    if profile is None or not (profile.industry or profile.size):
        return ""
    desc = ("" if zh else " ").join(x for x in (profile.size, profile.industry) if x)
    return f"对于{desc}企业，" if zh else f"for a {desc} company, "
