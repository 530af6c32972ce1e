"""Scale-out benchmark: offline plans under 64 concurrent clients with 1 and 2 server processes,
and the SSE first event under a burst of 32 streams opened at once.

Run with `python -m evals.bench_scale` (or `--quick`). A real `chroma run` holds the store (several
processes cannot share the embedded one); `advisor serve --workers N` serves it offline with a
viewer key, so every plan goes through the access filter. It measures; it asserts nothing.
Goals on the 2-core reference machine: 2 workers >= 1.6x the plans/s of 1, p95 <= 1.5 s at 64
clients, burst first-event p50 <= 100 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from evals.bench_api import (
    BENCH_KEY,
    QUESTIONS,
    first_event_seconds,
    free_port,
    plan_seconds,
    server_env,
    server_process,
    wait_for_http,
)
from evals.metrics import percentile

TARGET_SPEEDUP = 1.6
TARGET_P95_S = 1.5
TARGET_FIRST_EVENT_MS = 100.0


@contextmanager
def chroma_server(path: Path) -> Iterator[int]:
    beside = Path(sys.executable).parent / "chroma"
    binary = str(beside) if beside.exists() else shutil.which("chroma")
    if binary is None:
        raise RuntimeError("the `chroma` CLI (installed with chromadb) is missing")
    port, log_path = free_port(), path.parent / "chroma.log"
    with log_path.open("wb") as log:
        command = [binary, "run", "--path", str(path), "--port", str(port), "--host", "127.0.0.1"]
        proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_for_http(proc, f"http://127.0.0.1:{port}/api/v2/heartbeat", log_path, timeout_s=60)
        yield port
    finally:
        proc.terminate()
        proc.wait(15)


@contextmanager
def served(root: Path, chroma_port: int, workers: int) -> Iterator[str]:
    data_dir = root / f"workers-{workers}"
    data_dir.mkdir(parents=True, exist_ok=True)
    keys_file = data_dir / "keys.json"
    keys_file.write_text(json.dumps([{"key": BENCH_KEY, "principal": "bench", "groups": ["staff"]}]))
    env = server_env(
        ADVISOR_DATA_DIR=str(data_dir), ADVISOR_MODE="offline", ADVISOR_RATE_LIMIT="1000000/minute",
        ADVISOR_API_KEYS_FILE=str(keys_file), CHROMA_HOST="127.0.0.1", CHROMA_PORT=str(chroma_port),
    )  # fmt: skip
    port = free_port()
    command = [sys.executable, "-m", "cli", "serve", "--port", str(port), "--workers", str(workers)]
    with server_process(command, env, port, data_dir / "server.log") as url:
        yield url


async def _load(url: str, clients: int, per_client: int, burst: int, prefix: str) -> dict[str, Any]:
    limits = httpx.Limits(max_connections=clients * 2, max_keepalive_connections=clients * 2)
    headers = {"Authorization": f"Bearer {BENCH_KEY}"}
    async with httpx.AsyncClient(base_url=url, timeout=120, limits=limits, headers=headers) as client:
        # Warm every worker's caches and lazy imports (connections land on any of them).
        await asyncio.gather(*(plan_seconds(client, q) for q in QUESTIONS * 4))

        async def worker(n: int) -> list[float]:
            return [
                await plan_seconds(client, QUESTIONS[(n + i) % len(QUESTIONS)]) for i in range(per_client)
            ]

        started = time.perf_counter()
        latencies = [t for batch in await asyncio.gather(*(worker(n) for n in range(clients))) for t in batch]
        elapsed = time.perf_counter() - started
        await asyncio.sleep(1)
        # A burst: every stream opens at once, so each first event races everyone's planning.
        streams = (first_event_seconds(client, QUESTIONS[n % len(QUESTIONS)]) for n in range(burst))
        firsts = list(await asyncio.gather(*streams))
    return {
        f"{prefix}_plans_per_s": round(len(latencies) / elapsed, 2),
        f"{prefix}_plan_p50_s": round(percentile(latencies, 50), 3),
        f"{prefix}_plan_p95_s": round(percentile(latencies, 95), 3),
        f"{prefix}_sse_burst_first_event_p50_ms": round(percentile(firsts, 50) * 1000, 1),
        f"{prefix}_sse_burst_first_event_p95_ms": round(percentile(firsts, 95) * 1000, 1),
    }


def run(clients: int = 64, per_client: int = 6, burst: int = 32) -> dict[str, Any]:
    figures: dict[str, Any] = {"scale_clients": clients, "scale_burst": burst}
    with (
        tempfile.TemporaryDirectory(prefix="advisor-bench-scale-") as tmp,
        chroma_server(Path(tmp) / "chroma") as chroma_port,
    ):
        for workers in (1, 2):
            with served(Path(tmp), chroma_port, workers) as url:
                figures |= asyncio.run(_load(url, clients, per_client, burst, f"scale_{workers}w"))
    figures["scale_speedup_2w"] = round(figures["scale_2w_plans_per_s"] / figures["scale_1w_plans_per_s"], 2)
    return figures | {
        "target_scale_speedup": TARGET_SPEEDUP,
        "target_scale_p95_s": TARGET_P95_S,
        "target_scale_first_event_ms": TARGET_FIRST_EVENT_MS,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="3 plans per client instead of 6")
    args = parser.parse_args(argv)
    print(json.dumps(run(per_client=3 if args.quick else 6), ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
