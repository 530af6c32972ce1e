"""How an eval run reads: a rich table in the terminal, the same content as Markdown."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

from evals.llm_cost import COLUMNS, PLAN_COLUMNS, llm_figures, llm_rows, llm_summary, plan_rows
from evals.results import METRIC_KEYS, EvalRun, area_breakdown
from evals.thresholds import THRESHOLDS, meets

_AREA_COLUMNS = ("n", "key_point_coverage", "consulted", "retrieval_hit_at_5")


def _fmt(key: str, value: Any) -> str:
    if key == "n":
        return str(int(value))
    if key.endswith("_s"):
        return f"{value * 1000:.0f} ms"
    return f"{value:.3f}"


def _target(key: str, value: float) -> tuple[str, str]:
    """(threshold text, mark) for a gated metric, blanks otherwise."""
    if key not in THRESHOLDS:
        return "", ""
    op, threshold = THRESHOLDS[key]
    return f"{op} {threshold:.2f}", "✓" if meets(key, value) else "✗"


def overall_rows(figures: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    return [(k, _fmt(k, figures[k]), *_target(k, float(figures[k]))) for k in METRIC_KEYS]


def area_rows(run: EvalRun) -> list[list[str]]:
    return [
        [area, *(_fmt(c, row[c]) for c in _AREA_COLUMNS)] for area, row in area_breakdown(run.results).items()
    ]


def failing(run: EvalRun) -> list[tuple[str, str, list[str]]]:
    return [(r.id, r.question, issues) for r in run.results if (issues := r.issues())]


def print_run(run: EvalRun, out: Console, regressions: list[str] | None = None) -> None:
    table = Table(title="Overall", title_justify="left")
    for col in ("metric", "value", "threshold", ""):
        table.add_column(col)
    for row in overall_rows(run.figures):
        table.add_row(*row)
    out.print(table)

    areas = Table(title="Per area (questions expecting the area)", title_justify="left")
    for col in ("area", *_AREA_COLUMNS):
        areas.add_column(col)
    for area_row in area_rows(run):
        areas.add_row(*area_row)
    out.print(areas)

    if cost := llm_figures(run.results):
        llm = Table(title="LLM calls per node", title_justify="left", caption=llm_summary(cost))
        for col in COLUMNS:
            llm.add_column(col)
        for llm_row in llm_rows(cost):
            llm.add_row(*llm_row)
        out.print(llm)
        plans = Table(title="LLM plans", title_justify="left", caption=run.subset)
        for col in PLAN_COLUMNS:
            plans.add_column(col)
        for plan_row in plan_rows(run.results):
            plans.add_row(*plan_row)
        out.print(plans)

    fails = failing(run)
    if fails:
        table = Table(title=f"Questions with misses ({len(fails)})", title_justify="left", show_lines=True)
        table.add_column("id", no_wrap=True)
        table.add_column("question", max_width=40)
        table.add_column("missed")
        for qid, question, issues in fails:
            table.add_row(qid, question, "\n".join(issues))
        out.print(table)
    if regressions is not None:
        if regressions:
            out.print("[red bold]Gate failed:[/]")
            for line in regressions:
                out.print(line, highlight=False, markup=False)
        else:
            out.print("[green bold]Gate passed.[/]")


def _md_escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def to_markdown(run: EvalRun, regressions: list[str]) -> str:
    lines = ["# Eval report", "", *([f"Subset: {run.subset}", ""] if run.subset else [])]
    lines += ["## Overall", "", "| metric | value | threshold | |", "|---|---|---|---|"]
    lines += [f"| {' | '.join(row)} |" for row in overall_rows(run.figures)]
    lines += ["", "## Per area", "", f"| area | {' | '.join(_AREA_COLUMNS)} |", "|---" * 5 + "|"]
    lines += [f"| {' | '.join(row)} |" for row in area_rows(run)]
    if cost := llm_figures(run.results):
        lines += ["", "## LLM calls per node", "", llm_summary(cost), "", f"| {' | '.join(COLUMNS)} |"]
        lines += ["|---" * len(COLUMNS) + "|", *(f"| {' | '.join(row)} |" for row in llm_rows(cost))]
        lines += ["", "## LLM plans", "", f"| {' | '.join(PLAN_COLUMNS)} |", "|---" * len(PLAN_COLUMNS) + "|"]
        lines += [f"| {' | '.join(_md_escape(cell) for cell in row)} |" for row in plan_rows(run.results)]
    lines += ["", "## Gate", ""]
    lines += [f"    {line}" for line in regressions] if regressions else ["All thresholds met."]
    lines += ["", "## Questions with misses", ""]
    fails = failing(run)
    if not fails:
        lines.append("None.")
    for qid, question, issues in fails:
        lines.append(f"- **{qid}** {_md_escape(question)}")
        lines += [f"  - {_md_escape(issue)}" for issue in issues]
    return "\n".join(lines) + "\n"
