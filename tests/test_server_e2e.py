"""The issue's "Done when" script, end to end against `advisor serve` in a subprocess with a keys file."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import openai
import pytest
from api_support import ADMIN_KEY, FINANCE_KEY, KEYS, OPS_KEY, SECRET_DOC, SECRET_QUESTION, auth

from evals.bench_api import free_port, server_env, server_process
from settings import REPO_ROOT

UPLOADED = "finance_ai_budget_e2e.md"
PLAN_QUESTION = "我们是一家中型制造企业，计划在未来一年内落地AI，请给出分阶段的落地计划。"


def advisor_command() -> list[str]:
    script = shutil.which("advisor", path=str(Path(sys.executable).parent))
    return [script] if script else [sys.executable, "-m", "cli"]


def env_for(root: Path, keys_file: Path | None) -> dict[str, str]:
    env = server_env(ADVISOR_DATA_DIR=str(root / "data"), ADVISOR_MODE="offline", PYTHONUNBUFFERED="1")
    return env | ({"ADVISOR_API_KEYS_FILE": str(keys_file)} if keys_file else {})


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("e2e")
    keys_file = root / "keys.json"
    keys_file.write_text(json.dumps(KEYS))
    port = free_port()
    command = [*advisor_command(), "serve", "--host", "127.0.0.1", "--port", str(port)]
    with server_process(command, env_for(root, keys_file), port, root / "server.log") as url:
        yield url


def citations_of(client: httpx.Client, key: str, question: str) -> set[str]:
    r = client.post("/v1/plans", json={"question": question}, headers=auth(key))
    assert r.status_code == 200, r.text
    return {c["source"] for c in r.json()["citations"]}


def test_done_when(served: str) -> None:
    client = httpx.Client(base_url=served, timeout=120)

    # 401 without a key
    assert client.post("/v1/plans", json={"question": PLAN_QUESTION}).status_code == 401

    # a cited plan with a viewer key
    plan = client.post("/v1/plans", json={"question": PLAN_QUESTION}, headers=auth(OPS_KEY)).json()
    assert plan["citations"] and all(c["quote"] for c in plan["citations"])
    assert set(plan["areas"]) == {"tech", "security", "org", "market"}

    # an oversized question gets a 4xx
    too_long = client.post("/v1/plans", json={"question": "问" * 100_000}, headers=auth(OPS_KEY))
    assert 400 <= too_long.status_code < 500

    # the openai client gets content with [1] markers, plain and streamed
    oai = openai.OpenAI(base_url=f"{served}/v1", api_key=OPS_KEY, max_retries=0, timeout=120)
    messages: list = [{"role": "user", "content": PLAN_QUESTION}]  # type: ignore[type-arg]
    plain = oai.chat.completions.create(model="ai-adoption-advisor", messages=messages)
    assert "[1]" in (plain.choices[0].message.content or "")
    streamed = oai.chat.completions.create(model="ai-adoption-advisor", messages=messages, stream=True)
    assert "[1]" in "".join(c.choices[0].delta.content or "" for c in streamed if c.choices)

    # an admin can upload a document with access=finance; a viewer cannot upload
    files = {"file": (UPLOADED, SECRET_DOC.replace("access: finance\n", "").encode(), "text/markdown")}
    denied = client.post("/v1/documents", files=files, data={"access": "finance"}, headers=auth(OPS_KEY))
    assert denied.status_code == 403
    added = client.post("/v1/documents", files=files, data={"access": "finance"}, headers=auth(ADMIN_KEY))
    assert added.status_code == 201 and added.json()["status"] == "added", added.text

    # its text is found by a finance member and by no one else, in search and in plans
    for key, allowed in ((FINANCE_KEY, True), (OPS_KEY, False), (ADMIN_KEY, False)):
        hits = client.get("/v1/search", params={"q": SECRET_QUESTION, "k": 10}, headers=auth(key)).json()
        assert (UPLOADED in {h["source"] for h in hits}) is allowed, key
        assert (UPLOADED in citations_of(client, key, SECRET_QUESTION)) is allowed, key


def test_serve_refuses_a_public_bind_without_keys(tmp_path: Path) -> None:
    proc = subprocess.run(
        [*advisor_command(), "serve", "--host", "0.0.0.0", "--port", str(free_port())],
        cwd=REPO_ROOT,
        env=env_for(tmp_path, None),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode != 0
    assert "without API keys" in proc.stderr and "Traceback" not in proc.stderr
