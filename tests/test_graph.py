"""The graph's wiring: node names, the Studio entry point, and specialists running in parallel."""

from __future__ import annotations

import asyncio
import importlib
import json
from pathlib import Path
from typing import Any

from llm_script import BROAD_ZH, advisor_script

from agents.service import run_plan
from agents.state import AREAS
from evals.scripted_llm import JSON, Reply, ScriptedLLMServer, schema_name, structured_responder
from graph import build_graph, graph
from settings import Settings

ROOT = Path(__file__).resolve().parent.parent


def test_graph_wires_the_advisor_nodes() -> None:
    drawn = build_graph().get_graph()
    assert set(drawn.nodes) == {
        "__start__",
        "planner",
        "specialist",
        "synthesizer",
        "verifier",
        "refuse",
        "review",
        "recall",
        "__end__",
    }
    edges = {(e.source, e.target) for e in drawn.edges}
    assert {("planner", "specialist"), ("planner", "refuse"), ("specialist", "synthesizer")} <= edges
    assert {("planner", "review"), ("review", "specialist"), ("review", "refuse")} <= edges
    assert {("synthesizer", "verifier"), ("verifier", "__end__"), ("refuse", "__end__")} <= edges
    assert {("planner", "recall"), ("recall", "__end__")} <= edges


def test_langgraph_json_points_at_a_compiled_graph() -> None:
    config = json.loads((ROOT / "langgraph.json").read_text("utf-8"))
    module_path, attr = config["graphs"]["advisor"].split(":")
    module = importlib.import_module(Path(module_path).stem)
    assert hasattr(getattr(module, attr), "astream")


def test_specialists_run_in_parallel(
    seed_store: Any, scripted_llm: ScriptedLLMServer, tmp_path: Path
) -> None:
    """The four specialists' model calls are in flight together. Each call is held for a second, so
    sequential specialists would never have more than one open; no wall-clock bound is asserted
    (timing belongs to `make bench`, and a busy machine makes it flaky)."""
    answer = structured_responder(advisor_script)

    def slow(request: JSON) -> Reply:
        reply = answer(request)
        return Reply.data(reply.args, sleep=1.0) if schema_name(request) else reply

    settings = Settings(data_dir=tmp_path, embedder="hash", llm_timeout_s=10.0)
    scripted_llm.responder = slow
    plan = asyncio.run(run_plan(graph, BROAD_ZH, store=seed_store, settings=settings))
    assert plan.areas == list(AREAS) and plan.llm_calls == 6 and not plan.degraded
    assert scripted_llm.max_in_flight == 4, "specialist calls did not overlap: not parallel"
