"""Shared helpers for the API server tests (test_api_*.py, test_server_*.py).

One store per test process holds the seed corpus plus a confidential finance document, so
the ACL matrix has something to hide. It is built once (`api_env()` is cached) because
session fixtures imported into several modules would otherwise be built once per module.
"""

from __future__ import annotations

import atexit
import json
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient

from evals.bench_api import free_port
from settings import REPO_ROOT, Settings

ADMIN_KEY = "admin-key-0123456789"
FINANCE_KEY = "finance-key-0123456789"  # viewer in group finance
OPS_KEY = "ops-key-0123456789"  # viewer in group ops: may not see the finance document
KEYS = [
    {"key": ADMIN_KEY, "principal": "alice", "groups": ["it"], "role": "admin"},
    {"key": FINANCE_KEY, "principal": "fiona", "groups": ["finance"], "role": "viewer"},
    {"key": OPS_KEY, "principal": "oscar", "groups": ["ops"], "role": "viewer"},
]

QUESTION = "我们是一家中型制造企业，计划在未来一年内落地AI，请给出分阶段的落地计划。"
SECRET_SOURCE = "finance_ai_budget.md"
SECRET_WORD = "青鸾"  # appears only in the confidential document
SECRET_QUESTION = "AI项目预算应该如何审批，如何衡量投资回报率ROI？"  # names nothing secret itself
SECRET_DOC = """---
title: 青鸾计划 AI 预算与投资回报管理办法
access: finance
---
# 青鸾计划 AI 预算审批

青鸾计划是公司财务部主导的AI投资专项。青鸾计划的AI项目预算应由财务部与业务部门联合审批，单个项目超过五百万元需要提交青鸾委员会复核。

## 青鸾计划投资回报率

青鸾计划建议每季度衡量AI项目的投资回报率ROI，以成本节约、收入增长和人效提升作为核心指标。青鸾计划要求在试点三个月后评估ROI，未达标的项目应当暂停追加预算。

## 青鸾计划风险控制

青鸾计划的主要风险是预算超支和收益无法量化，需要建立月度预算复盘机制，并由财务部持续跟踪AI项目的成本。
"""


def auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


@dataclass(frozen=True)
class ApiEnv:
    root: Path
    settings: Settings
    store: Any  # store.KnowledgeStore


def make_settings(root: Path, **overrides: Any) -> Settings:
    """Offline settings under `root`, with the three test keys unless overridden."""
    keys_file = root / "keys.json"
    if not keys_file.exists():
        keys_file.write_text(json.dumps(KEYS), encoding="utf-8")
    values: dict[str, Any] = {
        "data_dir": root / "data",
        "knowledge_dir": REPO_ROOT / "knowledge",
        "api_keys_file": keys_file,
        "rate_limit": "100000/minute",
        "embedder": "hash",  # isolated from the developer's ADVISOR_* / CHROMA_* environment
        "embedding_model": None,
        "chroma_host": None,
        "mode": "offline",
        "openai_api_key": None,
        "openai_base_url": None,
    }
    return Settings(**(values | overrides))


@cache
def api_env() -> ApiEnv:
    """The shared store: seed corpus plus the finance-only document. Built once per process."""
    from ingest import ingest_bytes, ingest_paths
    from store.knowledge import KnowledgeStore

    root = Path(tempfile.mkdtemp(prefix="advisor-api-"))
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    settings = make_settings(root)
    store = KnowledgeStore(settings)
    report = ingest_paths([settings.knowledge_dir], store, root=settings.knowledge_dir)
    assert not report.failed, report
    result = ingest_bytes(SECRET_SOURCE, SECRET_DOC.encode(), store, access=["finance"])
    assert result.status in ("added", "updated"), result
    return ApiEnv(root, settings, store)


def build_app(env: ApiEnv | None = None, **overrides: Any) -> FastAPI:
    """An app over the shared store; `overrides` change settings (a fresh limiter each time)."""
    from server import create_app

    env = env or api_env()
    settings = env.settings.model_copy(update=overrides) if overrides else env.settings
    return create_app(settings, store=env.store, auto_ingest=False)


# --- a real uvicorn on loopback ---------------------------------------------------------------


@contextmanager
def live_server(app: FastAPI) -> Iterator[str]:
    """Serves `app` with uvicorn in a background thread; yields the base URL."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


# --- Server-Sent Events -----------------------------------------------------------------------


@dataclass
class Sse:
    event: str
    data: str

    def json(self) -> Any:
        return json.loads(self.data)


def iter_sse(lines: Iterator[str]) -> Iterator[Sse | str]:
    """Parses an SSE stream; yields events and, as plain strings, comment lines (heartbeats)."""
    event, data = "message", []
    for line in lines:
        if line.startswith(":"):
            yield line
        elif not line:
            if data:
                yield Sse(event, "\n".join(data))
            event, data = "message", []
        elif line.startswith("event:"):
            event = line[6:].strip()
        elif line.startswith("data:"):
            data.append(line[5:].removeprefix(" "))


def sse_events(client: httpx.Client, path: str, body: dict[str, Any], key: str | None) -> list[Sse]:
    headers = auth(key) if key else {}
    with client.stream("POST", path, json=body, headers=headers, timeout=120) as response:
        assert response.status_code == 200, response.read()
        assert response.headers["content-type"].startswith("text/event-stream")
        return [e for e in iter_sse(response.iter_lines()) if isinstance(e, Sse)]


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    """The app with its lifespan, for modules that declare `pytest_plugins = ["api_support"]`."""
    with TestClient(build_app()) as c:
        yield c
