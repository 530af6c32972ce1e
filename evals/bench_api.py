"""API benchmark: offline plans through the HTTP server under 32 concurrent clients.

Run with `python -m evals.bench_api` (or `--quick`). The server runs as `uvicorn server:app` in
its own process on loopback, over a fresh data directory it ingests at startup, so the load
generator here does not share its interpreter. It measures; it asserts nothing.
Targets on the 2-core reference machine: >= 20 plans/s, p95 <= 1 s, SSE first event <= 100 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from evals.metrics import percentile
from settings import REPO_ROOT

TARGET_PLANS_PER_S = 20.0
TARGET_P95_S = 1.0
TARGET_FIRST_EVENT_MS = 100.0
BENCH_KEY = "bench-viewer-key-0123456789"
QUESTIONS = (
    "我们是一家中型制造企业，计划在未来一年内落地AI，请给出分阶段的落地计划。",
    "部署AI时如何做好权限控制和数据安全？",
    "如何培养员工的AI技能并推动组织变革？",
    "How should a retailer measure the ROI of AI projects?",
    "零售企业引入大模型客服，应该先从哪些场景开始？",
    "What are the main risks of integrating AI into legacy systems?",
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def server_env(**values: str) -> dict[str, str]:
    """This process's environment without any advisor, OpenAI or Chroma setting, plus `values`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "ADVISOR_", "CHROMA_"))}
    return env | values


def wait_for_http(proc: subprocess.Popen[bytes], url: str, log_path: Path, *, timeout_s: float) -> None:
    """Returns once `url` answers 200; raises with the log's tail if the process exits or time runs out."""
    deadline = time.monotonic() + timeout_s
    while True:
        if proc.poll() is not None:
            tail = log_path.read_text(encoding="utf-8", errors="replace")[-2000:]
            raise RuntimeError(f"the process exited with {proc.returncode}:\n{tail}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not answer within {timeout_s:g} s")
        time.sleep(0.2)


@contextmanager
def server_process(command: list[str], env: dict[str, str], port: int, log_path: Path) -> Iterator[str]:
    """Runs a server command from the repository root; yields its URL once /readyz says ready
    (a fresh data directory is ingested first), and stops it afterwards."""
    with log_path.open("ab") as log:
        proc = subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_http(proc, f"{url}/readyz", log_path, timeout_s=300)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


@contextmanager
def served(data_dir: Path, *, keyed: bool) -> Iterator[str]:
    """`uvicorn server:app` on loopback, offline, over `data_dir`; yields its URL once ready.

    Keyed, the one key is a viewer's, so every plan goes through the access-group filter as an
    internal tool's would; keyless, the local user is unrestricted.
    """
    port = free_port()
    env = server_env(
        ADVISOR_DATA_DIR=str(data_dir), ADVISOR_MODE="offline", ADVISOR_RATE_LIMIT="1000000/minute"
    )
    if keyed:
        keys_file = data_dir / "keys.json"
        keys_file.write_text(json.dumps([{"key": BENCH_KEY, "principal": "bench", "groups": ["staff"]}]))
        env["ADVISOR_API_KEYS_FILE"] = str(keys_file)
    command = [sys.executable, "-m", "uvicorn", "server:app", "--port", str(port), "--log-level", "warning"]
    with server_process(command, env, port, data_dir / "server.log") as url:
        yield url


async def plan_seconds(client: httpx.AsyncClient, question: str) -> float:
    started = time.perf_counter()
    response = await client.post("/v1/plans", json={"question": question})
    response.raise_for_status()
    return time.perf_counter() - started


async def first_event_seconds(client: httpx.AsyncClient, question: str) -> float:
    """Seconds from sending the request to the first complete SSE event (heartbeats excluded)."""
    started = time.perf_counter()
    first: float | None = None
    async with client.stream("POST", "/v1/plans/stream", json={"question": question}) as response:
        response.raise_for_status()
        async for line in response.aiter_lines():  # read to the end, so the work is not cancelled
            if first is None and line.startswith("event:"):
                first = time.perf_counter() - started
    if first is None:
        raise RuntimeError("the stream ended without an event")
    return first


async def _load(url: str, clients: int, per_client: int, key: str | None, prefix: str) -> dict[str, Any]:
    limits = httpx.Limits(max_connections=clients * 2, max_keepalive_connections=clients * 2)
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    async with httpx.AsyncClient(base_url=url, timeout=120, limits=limits, headers=headers) as client:
        for question in QUESTIONS:  # warm caches and lazy imports
            await plan_seconds(client, question)
        idle = [await first_event_seconds(client, QUESTIONS[i % len(QUESTIONS)]) for i in range(10)]

        async def worker(n: int) -> list[float]:
            return [
                await plan_seconds(client, QUESTIONS[(n + i) % len(QUESTIONS)]) for i in range(per_client)
            ]

        started = time.perf_counter()
        latencies = [t for batch in await asyncio.gather(*(worker(n) for n in range(clients))) for t in batch]
        elapsed = time.perf_counter() - started

        # All clients open a stream at once: the first event waits behind everyone's planner.
        streams = (first_event_seconds(client, QUESTIONS[n % len(QUESTIONS)]) for n in range(clients))
        loaded = list(await asyncio.gather(*streams))
    return {
        f"{prefix}_clients": clients,
        f"{prefix}_plans": len(latencies),
        f"{prefix}_plans_per_s": round(len(latencies) / elapsed, 2),
        f"{prefix}_plan_p50_s": round(percentile(latencies, 50), 3),
        f"{prefix}_plan_p95_s": round(percentile(latencies, 95), 3),
        f"{prefix}_sse_first_event_ms_idle_p50": round(percentile(idle, 50) * 1000, 1),
        f"{prefix}_sse_first_event_ms_{clients}_p50": round(percentile(loaded, 50) * 1000, 1),
        f"{prefix}_sse_first_event_ms_{clients}_p95": round(percentile(loaded, 95) * 1000, 1),
    }


def run(clients: int = 32, per_client: int = 8) -> dict[str, Any]:
    """Serves a fresh temporary data directory twice: with a viewer key (`api_*`, the internal-tool
    path, access-filtered) and keyless (`api_keyless_*`). Returns the figures with their targets."""
    figures: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="advisor-bench-api-") as tmp:
        with served(Path(tmp), keyed=True) as url:
            figures |= asyncio.run(_load(url, clients, per_client, BENCH_KEY, "api"))
        with served(Path(tmp), keyed=False) as url:
            figures |= asyncio.run(_load(url, clients, per_client, None, "api_keyless"))
    return figures | {
        "target_api_plans_per_s": TARGET_PLANS_PER_S,
        "target_api_plan_p95_s": TARGET_P95_S,
        "target_api_sse_first_event_ms": TARGET_FIRST_EVENT_MS,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="4 plans per client instead of 8")
    args = parser.parse_args(argv)
    print(json.dumps(run(per_client=4 if args.quick else 8), ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
