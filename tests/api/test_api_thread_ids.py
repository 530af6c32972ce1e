"""Thread ids are per principal over real HTTP: nobody can learn that another principal uses an id
(the answers are the same as for an unused one), and nobody can take an id before its owner."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import httpx
import pytest
from api_support import ADMIN_KEY, FINANCE_KEY, OPS_KEY, auth, build_app, live_server

QUESTION = "如何控制AI项目的数据安全风险？"


@pytest.fixture(scope="module")
def client() -> Iterator[httpx.Client]:
    with live_server(build_app()) as url, httpx.Client(base_url=url, timeout=120) as c:
        yield c


def ask(client: httpx.Client, key: str, thread_id: str, question: str = QUESTION) -> httpx.Response:
    return client.post("/v1/plans", json={"question": question, "thread_id": thread_id}, headers=auth(key))


def turns(client: httpx.Client, key: str, thread_id: str) -> list[str]:
    r = client.get(f"/v1/threads/{thread_id}", headers=auth(key))
    assert r.status_code == 200, r.text
    return [t["question"] for t in r.json()["turns"]]


def test_probing_an_id_tells_nothing(client: httpx.Client) -> None:
    used = f"probe-{uuid.uuid4().hex[:8]}"
    unused = f"probe-{uuid.uuid4().hex[:8]}"
    assert ask(client, FINANCE_KEY, used).status_code == 200

    def answers(thread_id: str) -> list[tuple[int, str]]:
        got = [
            client.get(f"/v1/threads/{thread_id}", headers=auth(OPS_KEY)),
            client.delete(f"/v1/threads/{thread_id}", headers=auth(OPS_KEY)),
        ]
        return [(r.status_code, r.json()["detail"].replace(thread_id, "<id>")) for r in got]

    assert answers(used) == answers(unused)
    # Posting with either id is the same too: it starts the caller's own, empty thread.
    for thread_id in (used, unused):
        r = ask(client, OPS_KEY, thread_id, "我们如何开始？")
        assert r.status_code == 200 and r.json()["thread_id"] == thread_id
        assert turns(client, OPS_KEY, thread_id) == ["我们如何开始？"]
    assert turns(client, FINANCE_KEY, used) == [QUESTION]


def test_an_id_cannot_be_squatted(client: httpx.Client) -> None:
    future = f"alice-{uuid.uuid4().hex[:8]}"
    assert ask(client, OPS_KEY, future, "抢先占用这个编号").status_code == 200  # oscar gets there first
    r = ask(client, ADMIN_KEY, future)
    assert r.status_code == 200 and r.json()["thread_id"] == future
    assert turns(client, ADMIN_KEY, future) == [QUESTION]
    assert future in [t["id"] for t in client.get("/v1/threads", headers=auth(ADMIN_KEY)).json()]
    stream = client.post(
        "/v1/plans/stream", json={"question": "后续问题", "thread_id": future}, headers=auth(ADMIN_KEY)
    )
    assert stream.status_code == 200 and "event: plan" in stream.text
    assert turns(client, ADMIN_KEY, future) == [QUESTION, "后续问题"]
    assert turns(client, OPS_KEY, future) == ["抢先占用这个编号"]
    assert client.delete(f"/v1/threads/{future}", headers=auth(OPS_KEY)).status_code == 200
    assert turns(client, ADMIN_KEY, future) == [QUESTION, "后续问题"]  # oscar's delete was his own
