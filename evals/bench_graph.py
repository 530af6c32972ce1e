"""Advisor graph benchmark: offline plan latency, LLM-mode critical path, calls and prompt tokens.

Run with `python -m evals.bench_graph`. It measures; it asserts nothing. Targets on the 2-core
reference machine: offline plan p50 <= 100 ms and p95 <= 250 ms (warm, seed corpus); with a
scripted model that sleeps L per call, end-to-end <= 1.10 x 3L (planner, the four parallel
specialists and the synthesizer are the only sequential calls); at most 6 LLM calls per plan.
Prompt tokens come from the scripted server's `usage` (a deterministic stand-in tokenizer),
so they compare runs of this code, not bills.
"""

from __future__ import annotations

import asyncio
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from agents.service import run_plan
from agents.state import AREAS
from evals.scripted_llm import Reply, ScriptedLLMServer, schema_name, structured_responder
from graph import graph
from ingest import ingest_paths
from settings import REPO_ROOT, Settings
from store.knowledge import KnowledgeStore

TARGET_PLAN_P50_MS = 100.0
TARGET_PLAN_P95_MS = 250.0
TARGET_E2E_OVER_3L = 1.10
TARGET_LLM_CALLS = 6
QUESTIONS = [
    "我们是一家中型制造企业，计划在未来一年内落地AI，请给出分阶段的落地计划。",
    "我们的客服中心想引入AI，客户数据的隐私和权限安全要注意什么？",
    "How should a mid-sized retailer roll out AI in its first year?",
    "企业如何培养AI人才，组织上要做哪些调整？",
    "明天上海的天气怎么样？",
]
_EVIDENCE = re.compile(r'<evidence id="(E\d+)" title="[^"]*">\n(.*?)\n</evidence>', re.S)


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _seed_store(data_dir: Path) -> KnowledgeStore:
    store = KnowledgeStore(
        Settings(data_dir=data_dir, embedder="hash", openai_api_key=None, chroma_host=None)
    )
    knowledge = REPO_ROOT / "knowledge"
    report = ingest_paths([knowledge], store, root=knowledge, progress=False)
    if report.failed:
        raise RuntimeError(f"seed ingest failed: {report.failed}")
    return store


def _offline(store: KnowledgeStore, settings: Settings, rounds: int) -> dict[str, float]:
    async def go() -> tuple[list[float], float]:
        for q in QUESTIONS:  # warm: caches, index, imports
            await run_plan(graph, q, store=store, settings=settings)
        latencies: list[float] = []
        cpu = time.process_time()
        for _ in range(rounds):
            for q in QUESTIONS:
                started = time.perf_counter()
                await run_plan(graph, q, store=store, settings=settings)
                latencies.append((time.perf_counter() - started) * 1000)
        return latencies, (time.process_time() - cpu) * 1000 / len(latencies)

    latencies, cpu_ms = asyncio.run(go())
    return {
        "plan_offline_p50_ms": round(statistics.median(latencies), 1),
        "plan_offline_p95_ms": round(_percentile(latencies, 0.95), 1),
        "plan_offline_cpu_ms": round(cpu_ms, 1),
        "plan_offline_samples": len(latencies),
    }


def _script(name: str, messages: list[dict[str, Any]]) -> dict[str, Any]:
    """A scripted model that answers each advisor schema from the evidence it was shown."""
    prompt = "\n".join(str(m.get("content") or "") for m in messages if m.get("role") == "user")
    evidence = [(alias, text.strip().split("。")[0]) for alias, text in _EVIDENCE.findall(prompt)]
    if name == "PlannerDecision":
        queries = [
            {"area": a, "queries": [q]}
            for a, q in zip(AREAS, ("技术整合", "数据安全", "人才培养", "投资回报"), strict=True)
        ]
        return {"refuse": False, "areas": list(AREAS), "subqueries": queries}
    if name == "SpecialistDraft":
        claims = [{"text": t, "evidence_ids": [a], "quote": t} for a, t in evidence[:3]]  # the schema's caps
        return {"challenges": claims[:1], "actions": claims, "risks": claims[1:2], "kpis": []}
    actions = [
        {"text": t, "phase": ("0-3", "3-6", "6-12")[i % 3], "owner": "CIO", "priority": "high",
         "area": AREAS[i % 4], "evidence_ids": [a]}
        for i, (a, t) in enumerate(evidence[:6])
    ]  # fmt: skip
    summary = "".join(f"{t}[{a}]。" for a, t in evidence[:2])
    return {"summary": summary, "challenges": [], "actions": actions, "risks": [], "kpis": []}


def _responder(latency: float) -> Any:
    answer = structured_responder(_script)

    def respond(request: dict[str, Any]) -> Any:
        reply = answer(request)
        return Reply.data(reply.args, sleep=latency) if schema_name(request) and latency else reply

    return respond


def serve(latency: float) -> None:
    """`python -m evals.bench_graph --serve L`: the sleeping scripted model in its own process.

    In-process, the scripted server's threads would compete with the advisor for the GIL and
    inflate the advisor's overhead; a real model is remote, so the timing run uses this one.
    """
    with ScriptedLLMServer(_responder(latency)) as server:
        print(server.base_url, flush=True)
        sys.stdin.read()  # runs until the parent closes our stdin


def _llm_settings(data_dir: Path, base_url: str) -> Settings:
    return Settings(
        data_dir=data_dir, embedder="hash", mode="llm", openai_api_key="bench-key",
        openai_base_url=base_url, llm_timeout_s=30.0, llm_max_retries=0,
    )  # fmt: skip


def _llm_usage(store: KnowledgeStore, data_dir: Path, rounds: int) -> dict[str, float]:
    """Calls and prompt tokens per plan, counted by an in-process scripted server."""
    with ScriptedLLMServer(_responder(0.0)) as server:
        settings = _llm_settings(data_dir, server.base_url)

        async def go() -> list[int]:
            return [
                (await run_plan(graph, QUESTIONS[0], store=store, settings=settings)).llm_calls
                for _ in range(rounds)
            ]

        calls = asyncio.run(go())
        return {
            "llm_calls_per_plan": round(statistics.mean(calls), 2),
            "http_calls_per_plan": round(server.calls / rounds, 2),
            "prompt_tokens_per_plan": round(server.prompt_tokens / rounds),
        }


def _llm_latency(store: KnowledgeStore, data_dir: Path, latency: float, rounds: int) -> dict[str, float]:
    """End-to-end time of a 4-area plan against a model that sleeps `latency` per call."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "evals.bench_graph", "--serve", str(latency)],
        cwd=REPO_ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert proc.stdout is not None and proc.stdin is not None
        settings = _llm_settings(data_dir, proc.stdout.readline().strip())

        async def go() -> list[float]:
            await run_plan(graph, QUESTIONS[0], store=store, settings=settings)  # warm
            elapsed = []
            for _ in range(rounds):
                started = time.perf_counter()
                plan = await run_plan(graph, QUESTIONS[0], store=store, settings=settings)
                elapsed.append(time.perf_counter() - started)
                if plan.degraded or plan.llm_calls != TARGET_LLM_CALLS:
                    raise RuntimeError(f"benchmark plan not as scripted: {plan.degraded_reasons}")
            return elapsed

        elapsed = asyncio.run(go())
    finally:
        if proc.stdin is not None:
            proc.stdin.close()
        proc.wait(timeout=30)
    return {
        "e2e_s": round(statistics.median(elapsed), 3),
        "e2e_over_3l": round(statistics.median(elapsed) / (3 * latency), 3),
        "llm_latency_s": latency,
    }


def run(rounds: int = 20, llm_rounds: int = 5, latency: float = 0.5) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="advisor-bench-graph-") as tmp:
        data_dir = Path(tmp)
        store = _seed_store(data_dir)
        offline = Settings(data_dir=data_dir, embedder="hash", mode="offline", openai_api_key=None)
        figures: dict[str, Any] = _offline(store, offline, rounds)
        figures |= _llm_usage(store, data_dir, llm_rounds)
        figures |= _llm_latency(store, data_dir, latency, llm_rounds)
    return figures | {
        "target_plan_p50_ms": TARGET_PLAN_P50_MS,
        "target_plan_p95_ms": TARGET_PLAN_P95_MS,
        "target_e2e_over_3l": TARGET_E2E_OVER_3L,
        "target_llm_calls": TARGET_LLM_CALLS,
    }


if __name__ == "__main__":
    import json
    import sys

    if sys.argv[1:2] == ["--serve"]:
        serve(float(sys.argv[2]))
    else:
        print(json.dumps(run(), indent=1, ensure_ascii=False))
