"""Markdown rendering of a plan, with headings in the plan's language.

Used by the CLI (through rich) and the API's markdown format; refusals render as a plain
statement with nothing that looks like advice.
"""

from __future__ import annotations

import re
from typing import Any

from agents.language.lexicon import AREA_LABELS
from agents.state import PHASES, STEP_PATTERN, AdoptionPlan, Citation

_TEXT: dict[str, dict[str, Any]] = {
    "zh": {
        "title": "AI落地计划", "question": "问题", "refused": "无法回答", "summary": "概要",
        "areas": "涉及领域", "challenges": "主要挑战", "roadmap": "路线图", "risks": "风险与应对",
        "risk": "风险", "mitigation": "应对", "kpis": "关键指标（KPI）", "sources": "引用来源",
        "owner": "负责人", "page": "第{n}页", "degraded": "降级运行", "gaps": "资料未覆盖",
        "quarantined": "已隔离 {n} 段含有指令性内容的资料（未作为证据）。", "months": "{span}个月",
        "step": "第{n}步",
        "action": "行动", "priority_label": "优先级",
        "verify": "核验（{judge}）：{s}/{n} 条陈述有引用支持，引用召回 {r:.0%}，引用精度 {p:.0%}，"
        "删除 {d} 条，重新引用 {c} 条。（核验只查引文是否逐字出自资料并支撑陈述，不评判是否切题。）",
        "phase": {"0-3": "0–3个月：打基础", "3-6": "3–6个月：集成与推广", "6-12": "6–12个月：规模化与复盘"},
        "priority": {"high": "高", "medium": "中", "low": "低"},
    },
    "en": {
        "title": "AI adoption plan", "question": "Question", "refused": "Cannot answer", "summary": "Summary",
        "areas": "Areas consulted", "challenges": "Main challenges", "roadmap": "Roadmap",
        "risks": "Risks and mitigations",
        "risk": "Risk", "mitigation": "Mitigation", "kpis": "KPIs", "sources": "Sources",
        "owner": "owner", "page": "p. {n}", "degraded": "Degraded", "gaps": "Not covered by your documents",
        "quarantined": "{n} passage(s) that give instructions were set aside (not used as evidence).",
        "months": "Months {span}", "step": "Step {n}", "action": "Action", "priority_label": "Priority",
        "verify": "Verification ({judge}): {s}/{n} statements supported by their citations, citation recall "
        "{r:.0%}, citation precision {p:.0%}, {d} dropped, {c} re-cited. (This checks that each quote is "
        "verbatim from the documents and backs its statement, not that it is on the question.)",
        "phase": {"0-3": "Months 0–3: foundations", "3-6": "Months 3–6: integrate and roll out",
                  "6-12": "Months 6–12: scale and review"},
        "priority": {"high": "high", "medium": "medium", "low": "low"},
    },
}  # fmt: skip


def labels(lang: str) -> dict[str, Any]:
    """The headings and words of a rendered plan in `lang` (shared by the Markdown and Word renderers)."""
    return _TEXT[lang]


def _marks(numbers: list[int]) -> str:
    return "".join(f"[{n}]" for n in numbers)


def _source_line(c: Citation, lang: str) -> str:
    where = [c.title]
    if c.section:
        where.append(c.section)
    if c.page:
        where.append(_TEXT[lang]["page"].format(n=c.page))
    where.append(f"`{c.source}`")
    quote = " ".join(c.quote.replace("**", "").split())
    if len(quote) > 240:  # the JSON keeps the full verbatim quote; the page shows its start
        quote = quote[:240] + "…"
    return f"{c.id}. {' · '.join(where)}\n   > {quote}"


def roadmap_phases(plan: AdoptionPlan) -> list[tuple[str, str]]:
    """(span id, heading): the plan's own spans, else the default one-year roadmap.

    Months are shown only when the question set a horizon: a date range no one stated would be a
    figure the plan invented, so the spans of a question without one read as numbered steps.
    Step ids ("step-2") carry their number; month spans of a plan without a horizon (plans made
    before steps existed) are numbered over the spans that hold actions.
    """
    t = _TEXT[plan.language]
    sep = "：" if plan.language == "zh" else ": "
    timed = any(f.kind == "horizon" for f in plan.facets)
    if not plan.phases:
        return [(p, t["phase"][p]) for p in PHASES]
    steps = [(p, re.match(STEP_PATTERN, p.id)) for p in plan.phases]
    if all(m for _, m in steps):
        return [(p.id, f"{t['step'].format(n=int(m.group(1)))}{sep}{p.label}") for p, m in steps if m]
    if not timed:
        used = [p for p in plan.phases if any(a.phase == p.id for a in plan.actions)]
        return [(p.id, f"{t['step'].format(n=i)}{sep}{p.label}") for i, p in enumerate(used, 1)]
    return [(p.id, f"{t['months'].format(span=p.id.replace('-', '–'))}{sep}{p.label}") for p in plan.phases]


def plan_to_markdown(plan: AdoptionPlan) -> str:
    lang = plan.language
    t = _TEXT[lang]
    out = [
        f"# {t['title']}",
        f"> {t['question']}：{plan.question}" if lang == "zh" else f"> {t['question']}: {plan.question}",
    ]
    if plan.refused:
        out.append(
            f"**{t['refused']}**：{plan.refusal_reason or ''}"
            if lang == "zh"
            else f"**{t['refused']}**: {plan.refusal_reason or ''}"
        )
        return "\n\n".join(out) + "\n"
    sep = "：" if lang == "zh" else ": "
    areas = " · ".join(AREA_LABELS[a][lang] for a in plan.areas)
    out += [
        f"## {t['summary']}",
        plan.summary,
        *(f"*{n}*" for n in plan.notes),
        f"**{t['areas']}**{sep}{areas}",
    ]
    if plan.gaps:
        out.append(f"## {t['gaps']}")
        out.append("\n".join(f"- {g}" for g in plan.gaps))
    if plan.challenges:
        out.append(f"## {t['challenges']}")
        out.append(
            "\n".join(
                f"- **{AREA_LABELS[c.area][lang]}**{sep}{c.text} {_marks(c.citations)}"
                for c in plan.challenges
            )
        )
    if plan.actions:
        out.append(f"## {t['roadmap']}")
        for phase, label in roadmap_phases(plan):
            items = [a for a in plan.actions if a.phase == phase]
            if items:
                out.append(f"### {label}")
                out.append(
                    "\n".join(
                        f"- [{t['priority'][a.priority]}] {a.text} — {t['owner']}{sep}{a.owner} "
                        f"({AREA_LABELS[a.area][lang]}) {_marks(a.citations)}"
                        for a in items
                    )
                )
    if plan.risks:
        out.append(f"## {t['risks']}")
        out.append(
            "\n".join(
                f"- **{t['risk']}**{sep}{r.risk}\n"
                f"  **{t['mitigation']}**{sep}{r.mitigation} {_marks(r.citations)}"
                for r in plan.risks
            )
        )
    if plan.kpis:
        out.append(f"## {t['kpis']}")
        out.append(
            "\n".join(
                f"- **{k.name}**{' — ' + k.target if k.target else ''} {_marks(k.citations)}"
                for k in plan.kpis
            )
        )
    if plan.citations:
        out.append(f"## {t['sources']}")
        out.append("\n".join(_source_line(c, lang) for c in plan.citations))
    v = plan.verification
    out.append(
        "---\n"
        + t["verify"].format(
            judge=v.judge,
            s=v.supported,
            n=v.statements,
            r=v.citation_recall,
            p=v.citation_precision,
            d=v.dropped,
            c=v.recited,
        )
    )
    if plan.quarantined:
        out.append(t["quarantined"].format(n=plan.quarantined))
    if plan.degraded:
        out.append(f"**{t['degraded']}**{sep}" + "; ".join(plan.degraded_reasons))
    return "\n\n".join(out) + "\n"
