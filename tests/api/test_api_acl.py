"""The document ACL across every endpoint: a finance-only document and two principals.

fiona (group finance) must find the confidential document everywhere it is relevant; oscar
(group ops) must never see a trace of it: not its source, not its title, not its words.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from api_support import (
    FINANCE_KEY,
    KEYS,
    OPS_KEY,
    SECRET_QUESTION,
    SECRET_SOURCE,
    SECRET_WORD,
    api_env,
    auth,
    build_app,
    sse_events,
)
from fastapi.testclient import TestClient


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(build_app()) as c:
        yield c


def leaks(payload: object) -> bool:
    text = payload if isinstance(payload, str) else json.dumps(payload, ensure_ascii=False)
    return SECRET_SOURCE in text or SECRET_WORD in text


def test_search(client: TestClient) -> None:
    params = {"q": SECRET_QUESTION, "k": 10}
    insider = client.get("/v1/search", params=params, headers=auth(FINANCE_KEY)).json()
    outsider = client.get("/v1/search", params=params, headers=auth(OPS_KEY)).json()
    assert insider[0]["source"] == SECRET_SOURCE
    assert outsider and not leaks(outsider)


def test_plans(client: TestClient) -> None:
    insider = client.post("/v1/plans", json={"question": SECRET_QUESTION}, headers=auth(FINANCE_KEY)).json()
    outsider = client.post("/v1/plans", json={"question": SECRET_QUESTION}, headers=auth(OPS_KEY)).json()
    assert SECRET_SOURCE in {c["source"] for c in insider["citations"]}
    assert not leaks(outsider)


def test_plan_stream(client: TestClient) -> None:
    body = {"question": SECRET_QUESTION}
    insider = sse_events(client, "/v1/plans/stream", body, FINANCE_KEY)
    outsider = sse_events(client, "/v1/plans/stream", body, OPS_KEY)
    assert insider[-1].event == "plan" and outsider[-1].event == "plan"
    assert SECRET_SOURCE in {c["source"] for c in insider[-1].json()["citations"]}
    for event in outsider:
        assert not leaks(event.json()), event


def test_chat_completions(client: TestClient) -> None:
    messages = [{"role": "user", "content": SECRET_QUESTION}]
    insider = client.post(
        "/v1/chat/completions", json={"messages": messages}, headers=auth(FINANCE_KEY)
    ).json()
    outsider = client.post("/v1/chat/completions", json={"messages": messages}, headers=auth(OPS_KEY)).json()
    assert SECRET_SOURCE in insider["choices"][0]["message"]["content"]
    assert SECRET_SOURCE in {c["source"] for c in insider["citations"]}
    assert not leaks(outsider)


def test_chat_completions_stream(client: TestClient) -> None:
    body = {"messages": [{"role": "user", "content": SECRET_QUESTION}], "stream": True}
    outsider = sse_events(client, "/v1/chat/completions", body, OPS_KEY)
    insider = sse_events(client, "/v1/chat/completions", body, FINANCE_KEY)
    assert outsider[-1].data == insider[-1].data == "[DONE]"
    assert any(leaks(e.data) for e in insider)
    assert not any(leaks(e.data) for e in outsider)


def test_thread_history(client: TestClient) -> None:
    histories = {}
    for key in (FINANCE_KEY, OPS_KEY):
        tid = client.post("/v1/threads", headers=auth(key)).json()["id"]
        assert client.post(
            "/v1/plans", json={"question": SECRET_QUESTION, "thread_id": tid}, headers=auth(key)
        ).is_success
        histories[key] = (tid, client.get(f"/v1/threads/{tid}", headers=auth(key)).json())
    fiona_tid, fiona = histories[FINANCE_KEY]
    _, oscar = histories[OPS_KEY]
    assert SECRET_SOURCE in {c["source"] for c in fiona["turns"][0]["plan"]["citations"]}
    assert not leaks(oscar)
    assert client.get(f"/v1/threads/{fiona_tid}", headers=auth(OPS_KEY)).status_code == 404


def test_documents_list(client: TestClient) -> None:
    insider = client.get("/v1/documents", headers=auth(FINANCE_KEY)).json()
    outsider = client.get("/v1/documents", headers=auth(OPS_KEY)).json()
    assert SECRET_SOURCE in {d["source"] for d in insider}
    assert outsider and not leaks(outsider)


def test_history_is_rechecked_when_groups_shrink(client: TestClient, tmp_path: Path) -> None:
    """A plan stored while fiona was in finance stops showing finance evidence once she leaves it."""
    tid = client.post("/v1/threads", headers=auth(FINANCE_KEY)).json()["id"]
    client.post("/v1/plans", json={"question": SECRET_QUESTION, "thread_id": tid}, headers=auth(FINANCE_KEY))
    demoted = [k | {"groups": []} if k["key"] == FINANCE_KEY else k for k in KEYS]
    keys_file = tmp_path / "keys.json"
    keys_file.write_text(json.dumps(demoted))
    with TestClient(build_app(api_env(), api_keys_file=keys_file)) as after:
        history = after.get(f"/v1/threads/{tid}", headers=auth(FINANCE_KEY)).json()
    plan = history["turns"][0]["plan"]
    assert not leaks(plan)
    assert all(c["source"] != SECRET_SOURCE for c in plan["citations"])
