"""Two `advisor serve` deployments on one Chroma server, PostgreSQL and Redis behave as one service.

Each server has its own data directory, as it would on its own machine, so whatever the test sees
through the second can only have come through the shared engines. The second runs two worker
processes (`--workers 2`), so a request may land on any of three processes.
"""

from __future__ import annotations

import json
import shutil
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack

import engines
import httpx
import pytest
from api_support import ADMIN_KEY, KEYS, OPS_KEY, auth
from test_server_e2e import advisor_command

from evals.bench_api import free_port, server_env, server_process
from settings import REPO_ROOT

FIRST = "我们是一家中型制造企业，计划在未来一年内落地AI，请给出分阶段的落地计划。"
RATE = 40  # per minute and key: well above what the other checks send, reached on purpose below
BURST_KEY = "burst-key-0123456789"


@pytest.fixture(scope="module")
def two_servers(
    tmp_path_factory: pytest.TempPathFactory,
    postgres_server: engines.PostgresServer,
    redis_server: engines.RedisServer,
) -> Iterator[tuple[httpx.Client, httpx.Client]]:
    binary = engines.chroma_binary()
    if binary is None:
        engines.missing("the `chroma` CLI (installed with chromadb)")
    root = tmp_path_factory.mktemp("scale-out")
    corpus = root / "corpus"
    shutil.copytree(REPO_ROOT / "knowledge", corpus, ignore=shutil.ignore_patterns("README*"))
    keys_file = root / "keys.json"
    burst = {"key": BURST_KEY, "principal": "burst", "groups": ["ops"], "role": "viewer"}
    keys_file.write_text(json.dumps([*KEYS, burst]))
    redis_server.flush()
    with ExitStack() as stack:
        chroma = engines.ChromaServer(str(binary), root / "chroma-db")
        stack.callback(chroma.stop)
        shared = {
            "CHROMA_HOST": "127.0.0.1", "CHROMA_PORT": str(chroma.port),
            "ADVISOR_DATABASE_URL": postgres_server.fresh_database(), "ADVISOR_REDIS_URL": redis_server.url,
            "ADVISOR_API_KEYS_FILE": str(keys_file), "ADVISOR_KNOWLEDGE_DIR": str(corpus),
            "ADVISOR_MODE": "offline", "ADVISOR_EMBEDDER": "hash", "ADVISOR_RATE_LIMIT": f"{RATE}/minute",
            "PYTHONUNBUFFERED": "1",
        }  # fmt: skip
        clients = []
        # One after the other: the first ingests. The first answers uploads at once with their job.
        for name, workers, wait in (("a", "1", "0"), ("b", "2", "30")):
            port = free_port()
            env = server_env(**shared, ADVISOR_DATA_DIR=str(root / name), ADVISOR_UPLOAD_WAIT_S=wait)
            command = [*advisor_command(), "serve", "--port", str(port), "--workers", workers]
            url = stack.enter_context(server_process(command, env, port, root / f"{name}.log"))
            clients.append(stack.enter_context(httpx.Client(base_url=url, timeout=120)))
        yield clients[0], clients[1]


def test_a_thread_started_on_one_server_continues_on_the_other(
    two_servers: tuple[httpx.Client, httpx.Client],
) -> None:
    a, b = two_servers
    thread = f"t-{uuid.uuid4().hex[:8]}"
    first = a.post("/v1/plans", json={"question": FIRST, "thread_id": thread}, headers=auth(OPS_KEY))
    assert first.status_code == 200, first.text
    vague = b.post("/v1/plans", json={"question": "还有呢？", "thread_id": thread}, headers=auth(OPS_KEY))
    assert vague.status_code == 200 and not vague.json()["refused"], vague.text  # resolved via turn one
    detail = a.get(f"/v1/threads/{thread}", headers=auth(OPS_KEY)).json()
    assert [t["question"] for t in detail["turns"]] == [FIRST, "还有呢？"]


def test_an_upload_through_one_server_is_searchable_through_the_other(
    two_servers: tuple[httpx.Client, httpx.Client],
) -> None:
    a, b = two_servers
    word = f"量子{uuid.uuid4().hex[:6]}治理框架"
    name = f"scale-{uuid.uuid4().hex[:6]}.md"
    text = f"# 新制度\n\n企业采用{word}，由数据治理委员会每季度复盘AI项目的风险与收益。\n"
    files = {"file": (name, text.encode(), "text/markdown")}
    added = a.post("/v1/documents", files=files, data={"access": "ops"}, headers=auth(ADMIN_KEY))
    assert added.status_code == 202, added.text
    job: dict[str, str] = {}
    for _ in range(300):  # the job runs on the first server; the second reads it from PostgreSQL
        job = b.get(added.headers["location"], headers=auth(ADMIN_KEY)).json()
        if job["status"] in ("done", "failed"):
            break
        time.sleep(0.2)
    assert job["status"] == "done", job
    found: list[str] = []
    for _ in range(50):  # each process checks the shared store for new commits about once a second
        hits = b.get("/v1/search", params={"q": word}, headers=auth(OPS_KEY)).json()
        if found := [h["source"] for h in hits if h["source"] == name]:
            break
        time.sleep(0.2)
    assert found == [name]
    listed = {d["source"]: d for d in b.get("/v1/documents", headers=auth(ADMIN_KEY)).json()}
    assert listed[name]["uploaded"]  # so the other server lets it be replaced, unlike a corpus file
    replaced = b.post("/v1/documents", files=files, data={"replace": "true"}, headers=auth(ADMIN_KEY))
    assert replaced.status_code in (200, 201), replaced.text


def test_the_rate_limit_is_shared_and_the_audit_log_is_complete(
    two_servers: tuple[httpx.Client, httpx.Client],
) -> None:
    a, b = two_servers
    codes = [
        (a if i % 2 else b).get("/v1/search", params={"q": "数据安全"}, headers=auth(BURST_KEY)).status_code
        for i in range(RATE + 4)
    ]
    assert codes[:RATE] == [200] * RATE and set(codes[RATE:]) == {429}  # one limit, not one per process
    logged: list[int] = []
    for _ in range(50):  # a refusal's entry is written just after its answer went out
        query = {"principal": "burst", "limit": 1000}
        logged = sorted(e["status"] for e in b.get("/v1/audit", params=query, headers=auth(ADMIN_KEY)).json())
        if len(logged) >= len(codes):
            break
        time.sleep(0.1)
    assert logged == sorted(codes)  # every request, from every process
