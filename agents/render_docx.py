"""A plan as a Word document: managers forward .docx, not Markdown.

Same content and labels as `render.plan_to_markdown` (summary, gaps, the roadmap as a table,
risks, KPIs, numbered citations with their quotes), built with python-docx on the server.
"""

from __future__ import annotations

import io

from docx import Document
from docx.document import Document as DocxDocument

from agents.language.lexicon import AREA_LABELS
from agents.render import labels, roadmap_phases
from agents.state import AdoptionPlan


def _marks(numbers: list[int]) -> str:
    return "".join(f"[{n}]" for n in numbers)


def _bullets(doc: DocxDocument, lines: list[str]) -> None:
    for line in lines:
        doc.add_paragraph(line, style="List Bullet")


def _roadmap(doc: DocxDocument, plan: AdoptionPlan) -> None:
    t, lang = labels(plan.language), plan.language
    table = doc.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, text in zip(
        table.rows[0].cells, (t["roadmap"], t["action"], t["owner"], t["priority_label"]), strict=True
    ):
        cell.text = text
    for phase, heading in roadmap_phases(plan):
        for a in (a for a in plan.actions if a.phase == phase):
            row = table.add_row().cells
            row[0].text = heading
            row[1].text = f"{a.text} {_marks(a.citations)} ({AREA_LABELS[a.area][lang]})"
            row[2].text = a.owner
            row[3].text = t["priority"][a.priority]


def _sources(doc: DocxDocument, plan: AdoptionPlan) -> None:
    t = labels(plan.language)
    for c in plan.citations:
        where = [c.title, c.section, t["page"].format(n=c.page) if c.page else ""]
        doc.add_paragraph(f"[{c.id}] " + " · ".join(w for w in where if w))
        doc.add_paragraph(" ".join(c.quote.replace("**", "").split()), style="Intense Quote")


def plan_to_docx(plan: AdoptionPlan) -> bytes:
    """The .docx bytes of one plan, headings in the plan's language."""
    t, lang = labels(plan.language), plan.language
    sep = "：" if lang == "zh" else ": "
    doc = Document()
    doc.add_heading(t["title"], level=0)
    doc.add_paragraph(f"{t['question']}{sep}{plan.question}")
    if plan.refused:
        doc.add_paragraph(f"{t['refused']}{sep}{plan.refusal_reason or ''}")
        return _bytes(doc)
    doc.add_heading(t["summary"], level=1)
    doc.add_paragraph(f"{plan.summary} {_marks(plan.summary_citations)}".strip())
    doc.add_paragraph(f"{t['areas']}{sep}" + " · ".join(AREA_LABELS[a][lang] for a in plan.areas))
    if plan.gaps:
        doc.add_heading(t["gaps"], level=1)
        _bullets(doc, plan.gaps)
    if plan.challenges:
        doc.add_heading(t["challenges"], level=1)
        _bullets(
            doc, [f"{AREA_LABELS[c.area][lang]}{sep}{c.text} {_marks(c.citations)}" for c in plan.challenges]
        )
    if plan.actions:
        doc.add_heading(t["roadmap"], level=1)
        _roadmap(doc, plan)
    if plan.risks:
        doc.add_heading(t["risks"], level=1)
        _bullets(
            doc,
            [f"{r.risk} — {t['mitigation']}{sep}{r.mitigation} {_marks(r.citations)}" for r in plan.risks],
        )
    if plan.kpis:
        doc.add_heading(t["kpis"], level=1)
        _bullets(
            doc, [f"{k.name}{' — ' + k.target if k.target else ''} {_marks(k.citations)}" for k in plan.kpis]
        )
    if plan.citations:
        doc.add_heading(t["sources"], level=1)
        _sources(doc, plan)
    return _bytes(doc)


def _bytes(doc: DocxDocument) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
