"""Plans over HTTP: REST plans, their request limits, and the OpenAI-compatible chat completions."""

from __future__ import annotations

from typing import Any

import pytest
from api_support import OPS_KEY, QUESTION, auth
from fastapi.testclient import TestClient

pytest_plugins = ["api_support"]


def test_viewer_gets_a_cited_plan(client: TestClient) -> None:
    r = client.post("/v1/plans", json={"question": QUESTION}, headers=auth(OPS_KEY))
    assert r.status_code == 200, r.text
    plan = r.json()
    for field in (
        "question",
        "language",
        "mode",
        "areas",
        "summary",
        "actions",
        "risks",
        "kpis",
        "citations",
    ):
        assert field in plan
    assert plan["mode"] == "offline" and not plan["refused"]
    assert set(plan["areas"]) == {"tech", "security", "org", "market"}
    assert plan["citations"] and all(c["quote"] and c["source"] for c in plan["citations"])


def test_profile_and_areas_are_passed_through(client: TestClient) -> None:
    body = {"question": QUESTION, "areas": ["security"], "profile": {"industry": "制造业", "size": "800人"}}
    plan = client.post("/v1/plans", json=body, headers=auth(OPS_KEY)).json()
    assert plan["areas"] == ["security"]
    assert plan["profile"]["industry"] == "制造业"


@pytest.mark.parametrize(
    ("body", "status", "needle"),
    [
        ({"question": "字" * 5000}, 413, "limit is 4000"),
        ({"question": "   "}, 422, "empty"),
        ({}, 422, "question"),
        ({"question": QUESTION, "colour": "red"}, 422, "colour"),
        ({"question": QUESTION, "areas": ["finance"]}, 422, "areas"),
        ({"question": QUESTION, "thread_id": "../../etc"}, 422, "thread_id"),
    ],
)
def test_bad_plan_requests_get_clear_4xx(
    client: TestClient, body: dict[str, object], status: int, needle: str
) -> None:
    for path in ("/v1/plans", "/v1/plans/stream"):
        r = client.post(path, json=body, headers=auth(OPS_KEY))
        assert r.status_code == status, r.text
        assert needle in r.json()["detail"]
        assert "Traceback" not in r.text


def test_chat_completion_limits(client: TestClient) -> None:
    many = [{"role": "user", "content": "你好"}] * 51
    r = client.post("/v1/chat/completions", json={"messages": many}, headers=auth(OPS_KEY))
    assert r.status_code == 413 and "51 messages" in r.json()["error"]["message"]
    none = [{"role": "system", "content": "be brief"}]
    assert (
        client.post("/v1/chat/completions", json={"messages": none}, headers=auth(OPS_KEY)).status_code == 422
    )
    long = [{"role": "user", "content": "字" * 4001}]
    assert (
        client.post("/v1/chat/completions", json={"messages": long}, headers=auth(OPS_KEY)).status_code == 413
    )


def test_chat_completion_carries_markdown_and_citations(client: TestClient) -> None:
    messages = [
        {"role": "system", "content": "You advise managers."},
        {"role": "user", "content": [{"type": "text", "text": QUESTION}]},
    ]
    r = client.post(
        "/v1/chat/completions", json={"model": "anything", "messages": messages}, headers=auth(OPS_KEY)
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["object"] == "chat.completion" and body["model"] == "ai-adoption-advisor"
    content = body["choices"][0]["message"]["content"]
    assert "[1]" in content and body["citations"][0]["id"] == 1
    assert body["citations"][0]["source"] in content
    models = client.get("/v1/models", headers=auth(OPS_KEY)).json()
    assert [m["id"] for m in models["data"]] == ["ai-adoption-advisor"]


def test_chat_context_is_earlier_user_messages_only(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from agents import service

    seen: list[str] = []
    real = service.run_plan

    async def spy(**kwargs: Any) -> object:
        seen.append(kwargs["question"])
        return await real(**kwargs)

    monkeypatch.setattr(service, "run_plan", spy)
    messages = [
        {"role": "system", "content": "SYSTEM-PROMPT-TEXT"},
        {"role": "user", "content": "我们是一家物流公司，关注数据安全。"},
        {"role": "assistant", "content": "ASSISTANT-ANSWER-TEXT"},
        {"role": "user", "content": "第一步应该做什么？"},
    ]
    body = client.post("/v1/chat/completions", json={"messages": messages}, headers=auth(OPS_KEY)).json()
    assert seen == ["我们是一家物流公司，关注数据安全。\n第一步应该做什么？"]
    assert "第一步应该做什么" in body["choices"][0]["message"]["content"]
    assert "SYSTEM-PROMPT-TEXT" not in body["choices"][0]["message"]["content"]
