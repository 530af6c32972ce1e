"""The offline plan's summary: what answers the question first, then the headline challenges and risk.

The lead is the evidence that answers the question itself (agents.offline.answer). Then each
area's headline challenge and one risk the challenges did not already name, each only when the
evidence states it in one short sentence: the summary quotes whole sentences, never clauses cut
out of them. Every sentence carries the citation numbers of the evidence it quotes; the roadmap,
gaps and KPIs follow in their own sections.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from agents.language.lexicon import AREA_LABELS
from agents.offline.answer import LISTED
from agents.state import AreaFindings, Claim, Language, PlanRisk

Cite = Callable[[Claim], list[int]]
HEADLINE_MAX = 40  # characters: a challenge longer than this stays in its section
RISK_MAX = 60
MIN_REPEAT = 8  # characters: a shorter answer inside a longer one may still say something of its own
LEAD_STEPS = 2  # a summary with no answer, challenge or risk leads with this many of the best steps
_LEAD_IN = re.compile(r"^(其他还包括|还包括|包括|其中|最突出的问题是)")
_INNER_STOP = re.compile(r"[。！？]")
_ENUMERATION = re.compile(r"^(\d{1,2}|[一二三四五六七八九十]+)[、.．)）]\s*")


def key_clause(sentence: str, cues: Sequence[str]) -> str:
    """The clause of a sentence that carries one of the cues, else the whole sentence."""
    clauses = [c for c in re.split(r"[，；,;：:]", sentence.rstrip("。！？；;")) if c.strip()]
    for clause in clauses:
        if any(cue in clause for cue in cues) and len(clause) >= 6:
            return _ENUMERATION.sub("", clause.strip())
    return sentence


def _marks(numbers: Sequence[int]) -> str:
    return "".join(f"[{n}]" for n in numbers)


def _answer(answers: Sequence[Claim], cite: Cite) -> list[str]:
    """One sentence per answer, each with its own citation: the verifier checks a sentence
    against the citations it carries, so an answer of two sentences is joined into one."""
    return [f"{_INNER_STOP.sub('，', a.text.rstrip('。.；; '))}{_marks(cite(a))}。" for a in answers]


def _challenges(
    findings: Sequence[AreaFindings], language: Language, cite: Cite
) -> tuple[list[str], set[str]]:
    parts, headlines = [], set()
    for f in findings:
        c = next(
            (c for c in [*f.challenges, *f.risks] if len(_LEAD_IN.sub("", c.text)) <= HEADLINE_MAX), None
        )
        if c is None:
            continue
        headlines.add(c.text)
        text = _LEAD_IN.sub("", c.text.rstrip("。"))
        label = AREA_LABELS[f.area]["zh"]
        parts.append(
            f"{label}：{text}{_marks(cite(c))}。" if language == "zh" else f"{text}{_marks(cite(c))}。"
        )
    return parts, headlines


def _risk(risks: Sequence[PlanRisk], headlines: set[str]) -> list[str]:
    fresh = [r for r in risks if r.risk not in headlines and len(r.risk) <= RISK_MAX]
    if not fresh:
        return []
    r = fresh[0]
    return [f"{r.risk.rstrip('。')}{_marks(r.citations[:1])}。"]


def _within(a: Claim, b: Claim) -> bool:
    """`a` says nothing `b` does not: its words are part of b's (a heading the documents repeat)."""
    bare = a.text.rstrip("。.；; ")
    return a is not b and MIN_REPEAT <= len(bare) < len(b.text) and bare in b.text


def write_summary(
    language: Language,
    findings: Sequence[AreaFindings],
    risks: Sequence[PlanRisk],
    answers: Sequence[Claim],
    cite: Cite,
    broad: bool = True,
    steps: Sequence[Claim] = (),
) -> str:
    """Quoted sentences only; an English plan's summary quotes the Chinese evidence as it stands.
    A focused question's summary is its answers; a broad one also names each area's headline. With
    neither, nor a risk, `steps` (the plan's best steps for the question) lead."""
    challenges, headlines = _challenges(findings, language, cite) if broad or not answers else ([], set())
    risk = _risk(risks, headlines)
    if not (answers or challenges or risk):  # rules found as steps only: the best steps lead
        answers = list(steps)
    firsts: dict[str, Claim] = {}
    for a in answers:  # the same statement from two passages (overlapping chunks) is said once
        firsts.setdefault(a.text, a)
    answers = list(firsts.values())
    # a heading said again inside the answer it heads ('AI价值认知，以及投资回报率' and 'AI价值认知，以及
    # 投资回报率：如何进行详细的成本效益分析…') is said once
    answers = [a for a in answers if not any(_within(a, b) for b in answers)]
    statements = [a for a in answers if not a.text.startswith(tuple(LISTED.values()))]
    answered = _answer([*statements, *(a for a in answers if a not in statements)], cite)
    if statements and language == "zh":
        answered[0] = "资料要点：" + answered[0]
    return "".join([*answered, *challenges, *risk])
