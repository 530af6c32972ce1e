"""The bench aggregator: targets compared honestly, missing or broken modules reported, never faked.

The real benchmark modules take minutes, so these tests drive the aggregator with small
benchmark modules written to a temporary folder.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from rich.console import Console

from evals import bench
from evals.bench import Figure, Suite

FAST = Figure("speed", "Speed", "ops/s", ">=", 10.0, "target_speed")
SLOW = Figure("latency_ms", "Latency", "ms", "<=", 5.0)
INFO = Figure("tokens", "Tokens", "tokens")


@pytest.fixture
def bench_modules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    (tmp_path / "fake_bench_ok.py").write_text(
        "def run(scale=1):\n"
        "    return {'speed': 12.0 * scale, 'latency_ms': 7.5, 'tokens': 321, 'target_speed': 20.0}\n",
        encoding="utf-8",
    )
    (tmp_path / "fake_bench_broken.py").write_text(
        "def run():\n    raise RuntimeError('server did not start')\n", encoding="utf-8"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    yield
    for name in ("fake_bench_ok", "fake_bench_broken"):
        sys.modules.pop(name, None)


SUITES = (
    Suite("fake_bench_ok", "OK", (FAST, SLOW, INFO), full={"scale": 2}, quick={"scale": 1}),
    Suite("fake_bench_broken", "Broken", (FAST,)),
    Suite("fake_bench_missing", "Missing", (SLOW,)),
)


def test_targets_missing_and_failed_modules(bench_modules: None) -> None:
    report = bench.run_all(quick=True, suites=SUITES)
    rows = {(r["suite"], r["key"]): r for r in report["figures"]}
    speed = rows[("OK", "speed")]
    # the module's own target (20) wins over the default (10): 12 < 20 is a miss
    assert (speed["value"], speed["target"], speed["met"]) == (12.0, 20.0, False)
    assert rows[("OK", "latency_ms")]["met"] is False
    assert (rows[("OK", "tokens")]["value"], rows[("OK", "tokens")]["met"]) == (321, None)
    assert report["suites"]["fake_bench_broken"]["status"] == "failed"
    assert "server did not start" in report["suites"]["fake_bench_broken"]["error"]
    assert report["suites"]["fake_bench_missing"]["status"] == "not available"
    assert rows[("Missing", "latency_ms")]["value"] is None and rows[("Missing", "latency_ms")]["met"] is None


def test_full_run_uses_full_arguments_and_passes_targets(bench_modules: None) -> None:
    report = bench.run_all(quick=False, suites=SUITES[:1])
    speed = next(r for r in report["figures"] if r["key"] == "speed")
    assert (speed["value"], speed["met"]) == (24.0, True)


def test_table_says_not_available_and_json_is_written(
    bench_modules: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bench, "SUITES", SUITES)
    out = tmp_path / "bench.json"
    code = bench.run_cli(SimpleNamespace(json_out=out, quick=True))
    assert code == 1, "a benchmark that crashed makes the command fail"
    data = json.loads(out.read_text(encoding="utf-8"))
    assert set(data) == {"machine", "quick", "measured_at", "figures", "suites"}
    assert data["machine"]["cores"]
    console = Console(record=True, width=200)
    bench.print_table(data, console)
    text = console.export_text()
    assert "not available" in text and "failed" in text and ">= 20" in text


def test_every_suite_names_a_bench_module() -> None:
    assert {s.module for s in bench.SUITES} == {
        "evals.bench_ingest",
        "evals.bench_ocr",
        "evals.bench_search",
        "evals.bench_graph",
        "evals.bench_api",
        "evals.bench_scale",
    }


def test_target_is_judged_only_at_the_size_it_was_set_for() -> None:
    scaled = Figure("p95_ms", "p95 on {chunks} chunks", "ms", "<=", 50.0, judged_if=("chunks", 100_000))
    small = bench.check(scaled, {"p95_ms": 10.0, "chunks": 20_000})
    assert (small["label"], small["met"]) == ("p95 on 20000 chunks", None)
    assert bench.check(scaled, {"p95_ms": 60.0, "chunks": 100_000})["met"] is False
    assert bench.check(scaled, {})["label"] == "p95 on ? chunks"


def test_the_graph_benchs_scripted_model_answers_within_the_advisors_schemas() -> None:
    """The graph bench times LLM mode with a scripted model; an answer the schemas reject makes every
    call fall back to offline, and the bench then measures nothing."""
    from agents.llm.schemas import PlanDraft, PlannerDecision, SpecialistDraft
    from evals.bench_graph import _script

    shown = "\n".join(f'<evidence id="E{i}" title="t">\n第{i}条证据。其余\n</evidence>' for i in range(1, 12))
    messages = [{"role": "user", "content": shown}]
    for schema in (PlannerDecision, SpecialistDraft, PlanDraft):
        schema.model_validate(_script(schema.__name__, messages))
