"""Threads over HTTP: each belongs to the principal that made it, including threads made elsewhere."""

from __future__ import annotations

import uuid

from api_support import FINANCE_KEY, OPS_KEY, QUESTION, api_env, auth
from fastapi.testclient import TestClient

pytest_plugins = ["api_support"]


def test_threads_belong_to_their_creator(client: TestClient) -> None:
    made = client.post("/v1/threads", json={}, headers=auth(FINANCE_KEY))
    assert made.status_code == 201
    tid = made.json()["id"]
    first = client.post("/v1/plans", json={"question": QUESTION, "thread_id": tid}, headers=auth(FINANCE_KEY))
    assert first.status_code == 200 and first.json()["thread_id"] == tid
    follow = {"question": "其中数据安全方面具体要做什么？", "thread_id": tid}
    assert client.post("/v1/plans", json=follow, headers=auth(FINANCE_KEY)).status_code == 200

    history = client.get(f"/v1/threads/{tid}", headers=auth(FINANCE_KEY)).json()
    assert [t["question"] for t in history["turns"]] == [QUESTION, follow["question"]]
    assert history["title"] == QUESTION[:79] + "…" if len(QUESTION) > 80 else QUESTION
    assert tid in [t["id"] for t in client.get("/v1/threads", headers=auth(FINANCE_KEY)).json()]

    # Another principal cannot read, list or delete it: it looks absent.
    assert client.get(f"/v1/threads/{tid}", headers=auth(OPS_KEY)).status_code == 404
    assert tid not in [t["id"] for t in client.get("/v1/threads", headers=auth(OPS_KEY)).json()]
    assert client.delete(f"/v1/threads/{tid}", headers=auth(OPS_KEY)).status_code == 404

    assert client.delete(f"/v1/threads/{tid}", headers=auth(FINANCE_KEY)).json() == {
        "deleted": tid,
        "chunks": None,
    }
    assert client.get(f"/v1/threads/{tid}", headers=auth(FINANCE_KEY)).status_code == 404
    # The checkpoints went too: the id is free again and starts empty.
    again = client.post("/v1/plans", json={"question": QUESTION, "thread_id": tid}, headers=auth(FINANCE_KEY))
    assert again.status_code == 200
    assert len(client.get(f"/v1/threads/{tid}", headers=auth(FINANCE_KEY)).json()["turns"]) == 1


def test_unknown_thread_id_is_created_on_first_use(client: TestClient) -> None:
    tid = f"tool-{uuid.uuid4().hex[:8]}"
    assert client.post(
        "/v1/plans", json={"question": QUESTION, "thread_id": tid}, headers=auth(OPS_KEY)
    ).is_success
    assert client.get(f"/v1/threads/{tid}", headers=auth(OPS_KEY)).json()["title"]


def test_threads_made_outside_the_server_stay_apart(client: TestClient) -> None:
    import asyncio

    from agents.checkpoint import open_checkpointer
    from agents.service import run_plan
    from graph import build_graph

    env = api_env()
    tid = f"cli-{uuid.uuid4().hex[:8]}"

    async def ask_from_cli() -> None:
        async with open_checkpointer(env.settings) as saver:
            await run_plan(
                build_graph(saver), QUESTION, thread_id=tid, store=env.store, settings=env.settings
            )

    asyncio.run(ask_from_cli())
    assert client.get(f"/v1/threads/{tid}", headers=auth(OPS_KEY)).status_code == 404
    served = client.post("/v1/plans", json={"question": QUESTION, "thread_id": tid}, headers=auth(OPS_KEY))
    assert served.status_code == 200  # the caller's own thread of that id, not the CLI's
    assert len(client.get(f"/v1/threads/{tid}", headers=auth(OPS_KEY)).json()["turns"]) == 1
