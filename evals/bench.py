"""`advisor bench` / `make bench`: every performance figure in one table and one JSON file.

Each `evals.bench_*` module measures one part and returns a dict of figures from `run(...)`.
This module only runs them one after another (the machine has 2 cores; parallel benchmarks
would measure each other), compares figures with their targets, and records the machine.
A module that is missing or fails is reported as such; no figure is ever made up.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

console = Console(stderr=True)


@dataclass(frozen=True)
class Figure:
    key: str
    label: str  # may name other figures of the module in braces, e.g. "{search_100k_chunks} chunks"
    unit: str
    op: str | None = None  # ">=" or "<=": how the figure compares with its target
    target: float | None = None
    target_key: str | None = None  # the module's own target, when it reports one, wins
    judged_if: tuple[str, float] | None = None  # the target applies only when this figure is >= the value


@dataclass(frozen=True)
class Suite:
    module: str
    title: str
    figures: tuple[Figure, ...]
    full: dict[str, Any] = field(default_factory=dict)
    quick: dict[str, Any] = field(default_factory=dict)


_100K = ("search_100k_chunks", 100_000)

# fmt: off
SUITES: tuple[Suite, ...] = (
    Suite("evals.bench_ingest", "Ingest", (
        Figure("ingest_mb_per_s", "Ingest, Chinese text", "MB/s", ">=", 1.0, "target_mb_per_s"),
        Figure("reingest_unchanged_s", "Unchanged re-ingest, seed", "s", "<=", 2.0, "target_unchanged_s"),
    ), full={"target_mb": 5.0}, quick={"target_mb": 1.0}),
    Suite("evals.bench_ocr", "OCR", (
        Figure("ocr_pages_per_s", "OCR, scanned Chinese A4 pages", "pages/s"),
        Figure("ocr_s_per_page", "OCR time per page", "s"),
    ), full={"pages": 6}, quick={"pages": 2}),
    Suite("evals.bench_search", "Search", (
        Figure("search_seed_p50_ms", "Search p50, seed corpus", "ms"),
        Figure("search_seed_p95_ms", "Search p95, seed corpus", "ms"),
        Figure("search_100k_p50_ms", "Search p50, {search_100k_chunks} chunks", "ms"),
        Figure("search_100k_p95_ms", "Search p95, {search_100k_chunks} chunks", "ms", "<=", 50.0,
               "target_100k_p95_ms", _100K),
    ), full={"n_chunks": 100_000}, quick={"n_chunks": 20_000}),
    Suite("evals.bench_graph", "Advisor graph", (
        Figure("plan_offline_p50_ms", "Offline plan p50, warm", "ms", "<=", 100.0, "target_plan_p50_ms"),
        Figure("plan_offline_p95_ms", "Offline plan p95, warm", "ms", "<=", 250.0, "target_plan_p95_ms"),
        Figure("e2e_over_3l", "End-to-end ÷ 3L, sleeping model", "×", "<=", 1.10, "target_e2e_over_3l"),
        Figure("llm_calls_per_plan", "LLM calls per plan", "calls", "<=", 6.0, "target_llm_calls"),
        Figure("prompt_tokens_per_plan", "Prompt tokens per plan", "tokens"),
    ), quick={"rounds": 10, "llm_rounds": 3}),
    Suite("evals.bench_api", "API, 32 clients", (
        Figure("api_plans_per_s", "API plans/s", "plans/s", ">=", 20.0, "target_api_plans_per_s"),
        Figure("api_plan_p95_s", "API plan p95", "s", "<=", 1.0, "target_api_plan_p95_s"),
        Figure("api_sse_first_event_ms_idle_p50", "SSE first event p50, idle", "ms", "<=", 100.0,
               "target_api_sse_first_event_ms"),
        Figure("api_sse_first_event_ms_32_p95", "SSE first event p95, 32 clients", "ms", "<=", 100.0,
               "target_api_sse_first_event_ms"),
    ), full={"per_client": 8}, quick={"per_client": 4}),
    Suite("evals.bench_scale", "Scale-out, 64 clients", (
        Figure("scale_1w_plans_per_s", "Plans/s, 1 worker", "plans/s"),
        Figure("scale_2w_plans_per_s", "Plans/s, 2 workers", "plans/s"),
        Figure("scale_speedup_2w", "2 workers ÷ 1", "×", ">=", 1.6, "target_scale_speedup"),
        Figure("scale_1w_plan_p95_s", "Plan p95, 1 worker", "s", "<=", 1.5, "target_scale_p95_s"),
        Figure("scale_2w_plan_p95_s", "Plan p95, 2 workers", "s", "<=", 1.5, "target_scale_p95_s"),
        Figure("scale_1w_sse_burst_first_event_p50_ms", "SSE first event p50, burst of 32, 1 worker", "ms",
               "<=", 100.0, "target_scale_first_event_ms"),
        Figure("scale_2w_sse_burst_first_event_p50_ms", "SSE first event p50, burst of 32, 2 workers", "ms",
               "<=", 100.0, "target_scale_first_event_ms"),
    ), full={"per_client": 6}, quick={"per_client": 3}),
)
# fmt: on


class _Known(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "?"


def run_suite(suite: Suite, quick: bool) -> dict[str, Any]:
    """{"status": ok | not available | failed, "seconds", "figures", "error"?} for one module."""
    started = time.perf_counter()
    try:
        module = importlib.import_module(suite.module)
    except ModuleNotFoundError as exc:
        if exc.name == suite.module:
            return {"status": "not available", "error": f"{suite.module} does not exist yet", "figures": {}}
        return {"status": "not available", "error": f"cannot import {suite.module}: {exc}", "figures": {}}
    try:
        figures = dict(module.run(**(suite.quick if quick else suite.full)))
    except Exception as exc:  # one broken benchmark must not hide the others' figures
        return {
            "status": "failed",
            "error": f"{type(exc).__name__}: {exc}",
            "figures": {},
            "seconds": round(time.perf_counter() - started, 1),
        }
    return {"status": "ok", "figures": figures, "seconds": round(time.perf_counter() - started, 1)}


def check(figure: Figure, figures: dict[str, Any]) -> dict[str, Any]:
    """One row: the value (None when not reported), its target and whether it is met."""
    value = figures.get(figure.key)
    target = figures.get(figure.target_key, figure.target) if figure.target_key else figure.target
    met: bool | None = None
    if isinstance(value, int | float) and figure.op and target is not None:
        met = value >= target if figure.op == ">=" else value <= target
        if figure.judged_if and not figures.get(figure.judged_if[0], 0) >= figure.judged_if[1]:
            met = None  # e.g. a quick run's smaller corpus says nothing about the 100k target
    label = figure.label.format_map(_Known(figures))
    return {"key": figure.key, "label": label, "unit": figure.unit, "value": value, "op": figure.op,
            "target": target, "met": met}  # fmt: skip


def machine() -> dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    mem_gb = None
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem_gb = round(int(line.split()[1]) / 1024**2, 1)
    except OSError:
        pass
    # Other work on the machine skews every figure; the load when the run began says how much.
    load = round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": mem_gb,
        "python": platform.python_version(),
        "os": platform.platform(),
        "load_avg_1m": load,
    }


def run_all(quick: bool, suites: tuple[Suite, ...] | None = None) -> dict[str, Any]:
    host = machine()
    results: dict[str, Any] = {}
    rows: list[dict[str, Any]] = []
    for suite in SUITES if suites is None else suites:
        console.print(f"[bold]▶ {suite.title}[/] ({suite.module}{', quick' if quick else ''})")
        result = run_suite(suite, quick)
        results[suite.module] = result
        if result["status"] != "ok":
            console.print(f"  [yellow]{result['status']}:[/] {result['error']}")
        rows += [
            {"suite": suite.title, "status": result["status"], **check(f, result["figures"])}
            for f in suite.figures
        ]
    return {
        "machine": host,
        "quick": quick,
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "figures": rows,
        "suites": results,
    }


def _value(row: dict[str, Any]) -> str:
    value = row["value"]
    if value is None:
        return row["status"] if row["status"] != "ok" else "not reported"
    if isinstance(value, float):
        return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def print_table(report: dict[str, Any], out: Console) -> None:
    m = report["machine"]
    where = f"{m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB, load {m.get('load_avg_1m')}"
    title = f"Benchmarks{' (quick)' if report['quick'] else ''}: {where}"
    table = Table(title=title, title_justify="left")
    for col in ("suite", "figure", "value", "unit", "target", ""):
        table.add_column(col)
    for row in report["figures"]:
        target = f"{row['op']} {row['target']:g}" if row["op"] and row["target"] is not None else ""
        mark = {True: "[green]✓[/]", False: "[red]✗[/]", None: "[dim]n/a[/]" if target else ""}[row["met"]]
        table.add_row(row["suite"], row["label"], _value(row), row["unit"], target, mark)
    out.print(table)


def run_cli(args: argparse.Namespace) -> int:
    report = run_all(bool(args.quick))
    out = Console()
    print_table(report, out if out.is_terminal else Console(width=120))
    path = Path(args.json_out or "bench-results/bench.json")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    console.print(f"wrote {path}")
    return 1 if any(r["status"] == "failed" for r in report["suites"].values()) else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run every benchmark and print one table.")
    parser.add_argument("--json", dest="json_out", type=Path, default=Path("bench-results/bench.json"))
    parser.add_argument("--quick", action="store_true")
    return run_cli(parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
