"""A real uvicorn on loopback: SSE (heartbeats, cancellation on disconnect), the official
`openai` client plain and streaming, and 32 parallel plan requests."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from typing import Any

import httpx
import openai
import pytest
from api_support import ADMIN_KEY, FINANCE_KEY, OPS_KEY, QUESTION, Sse, auth, build_app, iter_sse, live_server


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with live_server(build_app()) as url:
        yield url


def test_sse_streams_progress_then_the_plan(base_url: str) -> None:
    with (
        httpx.Client(base_url=base_url, timeout=60) as client,
        client.stream("POST", "/v1/plans/stream", json={"question": QUESTION}, headers=auth(OPS_KEY)) as r,
    ):
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
        events = [e for e in iter_sse(r.iter_lines()) if isinstance(e, Sse)]
    names = [e.event for e in events]
    assert names[0] == "progress" and names[-1] == "plan" and names.count("plan") == 1
    assert {e.json()["node"] for e in events if e.event == "progress"} >= {"planner"}
    plan = events[-1].json()
    assert plan["citations"] and not plan["refused"]


class SlowSpecialist:
    """Replaces the graph's specialist node with one that never finishes, and notes its cancellation."""

    def __init__(self) -> None:
        self.started = threading.Event()
        self.cancelled = threading.Event()

    def node(self) -> Any:
        async def specialist(state: dict[str, Any]) -> dict[str, Any]:  # the node keeps its name
            self.started.set()
            try:
                await asyncio.Event().wait()
            except asyncio.CancelledError:
                self.cancelled.set()
                raise
            return {}

        return specialist


def test_disconnect_cancels_the_graph_and_heartbeats_flow(monkeypatch: pytest.MonkeyPatch) -> None:
    import graph

    slow = SlowSpecialist()
    # Threaded plans compile a graph for the app's checkpointer, so the slow node is wired in.
    monkeypatch.setattr(graph, "specialist", slow.node())
    app = build_app(sse_ping_s=0.05)
    with live_server(app) as url, httpx.Client(base_url=url, timeout=30) as client:
        body = {"question": f"{QUESTION}（断开测试）", "thread_id": f"disconnect-{threading.get_ident()}"}
        with client.stream("POST", "/v1/plans/stream", json=body, headers=auth(FINANCE_KEY)) as r:
            seen: list[Sse | str] = []
            for item in iter_sse(r.iter_lines()):
                seen.append(item)
                events = [s for s in seen if isinstance(s, Sse)]
                if isinstance(item, str) and slow.started.is_set() and events:
                    break  # a heartbeat while the slow node runs
        # Leaving the `with` closed the connection mid-stream.
        assert events[0].event == "progress" and events[0].json()["node"] == "planner"
        assert all(e.event == "progress" for e in events)
        assert slow.cancelled.wait(10), "the graph kept running after the client disconnected"
        entries = client.get("/v1/audit", params={"principal": "fiona"}, headers=auth(ADMIN_KEY)).json()
        entry = next(e for e in entries if "断开测试" in (e["question"] or ""))
        assert entry["status"] == 499 and entry["endpoint"] == "POST /v1/plans/stream"


def test_openai_client_plain_and_streaming(base_url: str) -> None:
    client = openai.OpenAI(base_url=f"{base_url}/v1", api_key=OPS_KEY, max_retries=0, timeout=60)
    assert [m.id for m in client.models.list()] == ["ai-adoption-advisor"]
    messages: Any = [{"role": "user", "content": QUESTION}]

    reply = client.chat.completions.create(model="ai-adoption-advisor", messages=messages)
    content = reply.choices[0].message.content or ""
    assert "[1]" in content and reply.choices[0].finish_reason == "stop"
    citations = (reply.model_extra or {})["citations"]
    assert citations[0]["id"] == 1 and citations[0]["quote"]

    stream = client.chat.completions.create(model="ai-adoption-advisor", messages=messages, stream=True)
    chunks = list(stream)
    streamed = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert "[1]" in streamed
    assert streamed == content  # same plan, same Markdown: offline mode is deterministic
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert (chunks[-1].model_extra or {})["citations"] == citations

    with pytest.raises(openai.AuthenticationError):
        openai.OpenAI(base_url=f"{base_url}/v1", api_key="wrong-key-123", max_retries=0).models.list()


def test_openai_client_sees_streamed_errors_as_errors(base_url: str) -> None:
    client = openai.OpenAI(base_url=f"{base_url}/v1", api_key=OPS_KEY, max_retries=0)
    with pytest.raises(openai.APIStatusError) as info:
        client.chat.completions.create(
            model="x", messages=[{"role": "user", "content": "字" * 4001}], stream=True
        )
    assert info.value.status_code == 413


def test_32_parallel_plans_all_succeed(base_url: str) -> None:
    questions = [
        QUESTION,
        "部署AI时如何做好权限控制和数据安全？",
        "How should a retailer measure the ROI of AI projects?",
        "如何培养员工的AI技能并推动组织变革？",
    ]

    async def run() -> list[httpx.Response]:
        async with httpx.AsyncClient(base_url=base_url, timeout=120) as client:
            calls = [
                client.post("/v1/plans", json={"question": questions[i % 4]}, headers=auth(OPS_KEY))
                for i in range(32)
            ]
            return await asyncio.gather(*calls)

    responses = asyncio.run(run())
    assert [r.status_code for r in responses] == [200] * 32
    assert all(r.json()["citations"] for r in responses)
