"""The HTTP API through Starlette's TestClient: auth, plans, threads, documents, audit, limits, errors."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from api_support import ADMIN_KEY, FINANCE_KEY, OPS_KEY, api_env, auth, build_app, make_settings
from fastapi.testclient import TestClient

QUESTION = "我们是一家中型制造企业，计划在未来一年内落地AI，请给出分阶段的落地计划。"


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(build_app()) as c:
        yield c


PROTECTED = [
    ("POST", "/v1/plans", {"question": QUESTION}),
    ("POST", "/v1/plans/stream", {"question": QUESTION}),
    ("GET", "/v1/search?q=AI", None),
    ("GET", "/v1/threads", None),
    ("POST", "/v1/threads", {}),
    ("GET", "/v1/threads/abc", None),
    ("DELETE", "/v1/threads/abc", None),
    ("GET", "/v1/documents", None),
    ("DELETE", "/v1/documents/x.md", None),
    ("GET", "/v1/models", None),
    ("POST", "/v1/chat/completions", {"messages": [{"role": "user", "content": QUESTION}]}),
    ("GET", "/v1/audit", None),
]


@pytest.mark.parametrize(("method", "path", "body"), PROTECTED, ids=[f"{m} {p}" for m, p, _ in PROTECTED])
def test_every_v1_route_needs_a_valid_key(client: TestClient, method: str, path: str, body: object) -> None:
    for headers in ({}, auth("not-a-key-at-all"), {"Authorization": f"Basic {ADMIN_KEY}"}):
        r = client.request(method, path, json=body, headers=headers)
        assert r.status_code == 401, (headers, r.text)
        assert r.headers["www-authenticate"] == "Bearer"
        assert r.json()["detail"] and r.json()["error"]["code"] == 401


def test_health_ready_and_config_need_no_key(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["chunks"] > 0
    config = client.get("/v1/config").json()
    assert config["auth_required"] is True and config["mode"] == "offline" and config["model"] is None
    assert config["version"]


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


def test_malformed_json_is_422_not_500(client: TestClient) -> None:
    r = client.post(
        "/v1/plans", content=b"{not json", headers=auth(OPS_KEY) | {"content-type": "application/json"}
    )
    assert r.status_code == 422 and "invalid request" in r.json()["detail"]


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

    # Another principal cannot read, list, continue or delete it: it looks absent.
    assert client.get(f"/v1/threads/{tid}", headers=auth(OPS_KEY)).status_code == 404
    assert tid not in [t["id"] for t in client.get("/v1/threads", headers=auth(OPS_KEY)).json()]
    assert client.post("/v1/plans", json=follow, headers=auth(OPS_KEY)).status_code == 404
    assert client.post("/v1/plans/stream", json=follow, headers=auth(OPS_KEY)).status_code == 404
    assert client.delete(f"/v1/threads/{tid}", headers=auth(OPS_KEY)).status_code == 404

    assert client.delete(f"/v1/threads/{tid}", headers=auth(FINANCE_KEY)).json() == {
        "deleted": tid,
        "chunks": None,
    }
    assert client.get(f"/v1/threads/{tid}", headers=auth(FINANCE_KEY)).status_code == 404
    # The checkpoints went too: the id is free again and starts empty.
    again = client.post("/v1/plans", json={"question": QUESTION, "thread_id": tid}, headers=auth(OPS_KEY))
    assert again.status_code == 200
    assert len(client.get(f"/v1/threads/{tid}", headers=auth(OPS_KEY)).json()["turns"]) == 1


def test_unknown_thread_id_is_created_on_first_use(client: TestClient) -> None:
    tid = f"tool-{uuid.uuid4().hex[:8]}"
    assert client.post(
        "/v1/plans", json={"question": QUESTION, "thread_id": tid}, headers=auth(OPS_KEY)
    ).is_success
    assert client.get(f"/v1/threads/{tid}", headers=auth(OPS_KEY)).json()["title"]


def test_search_returns_cli_fields(client: TestClient) -> None:
    r = client.get(
        "/v1/search", params={"q": "部署AI时如何做好权限控制和数据安全", "k": 3}, headers=auth(OPS_KEY)
    )
    assert r.status_code == 200
    hits = r.json()
    assert len(hits) == 3
    for hit in hits:
        assert {"chunk_id", "source", "title", "section", "page", "score", "text"} <= hit.keys()
    assert client.get("/v1/search", params={"q": "x" * 4001}, headers=auth(OPS_KEY)).status_code == 413
    assert client.get("/v1/search", params={"q": " "}, headers=auth(OPS_KEY)).status_code == 422
    assert client.get("/v1/search", params={"q": "AI", "k": 0}, headers=auth(OPS_KEY)).status_code == 422


def test_document_upload_rules(client: TestClient) -> None:
    name = f"upload-{uuid.uuid4().hex[:6]}.md"
    text = "# 上传测试\n\n企业应当建立AI模型的上线评审流程，评审需要覆盖数据来源和安全风险。".encode()
    files = {"file": (name, text, "text/markdown")}
    viewer = client.post("/v1/documents", files=files, headers=auth(FINANCE_KEY))
    assert viewer.status_code == 403 and "viewer" in viewer.json()["detail"]

    added = client.post("/v1/documents", files=files, data={"access": "it, hr"}, headers=auth(ADMIN_KEY))
    assert added.status_code == 201, added.text
    assert added.json()["status"] == "added" and added.json()["chunks"] >= 1
    listed = {d["source"]: d for d in client.get("/v1/documents", headers=auth(ADMIN_KEY)).json()}
    assert sorted(listed[name]["access"]) == ["hr", "it"]
    again = client.post("/v1/documents", files=files, data={"access": "it, hr"}, headers=auth(ADMIN_KEY))
    assert again.status_code == 200 and again.json()["status"] == "unchanged"

    deleted = client.delete(f"/v1/documents/{name}", headers=auth(ADMIN_KEY))
    assert deleted.status_code == 200 and deleted.json()["chunks"] >= 1
    assert client.delete(f"/v1/documents/{name}", headers=auth(ADMIN_KEY)).status_code == 404
    assert client.delete(f"/v1/documents/{name}", headers=auth(OPS_KEY)).status_code == 403


@pytest.mark.parametrize(
    ("name", "content", "data", "status", "needle"),
    [
        ("tool.exe", b"MZ\x90\x00", None, 415, "unsupported file type"),
        ("notes", b"hello", None, 415, "unsupported file type"),
        ("empty.md", b"", None, 422, "empty"),
        ("broken.pdf", b"%PDF-1.4 this is not really a pdf", None, 422, "broken.pdf"),
        ("ok.md", "# t\n\n内容。".encode(), {"access": "fin ance"}, 422, "access group"),
        (".hidden.md", b"# t", None, 422, "file name"),
    ],
)
def test_bad_uploads_get_one_clear_line(
    client: TestClient, name: str, content: bytes, data: dict[str, str] | None, status: int, needle: str
) -> None:
    r = client.post("/v1/documents", files={"file": (name, content)}, data=data, headers=auth(ADMIN_KEY))
    assert r.status_code == status, r.text
    assert needle in r.json()["detail"] and "\n" not in r.json()["detail"]


def test_upload_too_large_is_413() -> None:
    with TestClient(build_app(max_upload_mb=0.01)) as small:
        big = "企业应当建立AI治理流程。\n".encode() * 2000  # ~60 KB against a 10 KB limit
        r = small.post("/v1/documents", files={"file": ("big.md", big)}, headers=auth(ADMIN_KEY))
        assert r.status_code == 413 and "upload limit" in r.json()["detail"]
        huge = b"x" * (2 << 20)  # beyond limit + multipart allowance: refused before parsing
        r = small.post("/v1/documents", files={"file": ("huge.md", huge)}, headers=auth(ADMIN_KEY))
        assert r.status_code == 413


def test_rate_limit_is_429_with_retry_after() -> None:
    with TestClient(build_app(rate_limit="3/minute")) as limited:
        codes = [limited.get("/v1/models", headers=auth(OPS_KEY)).status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        r = limited.get("/v1/models", headers=auth(OPS_KEY))
        assert r.status_code == 429 and 1 <= int(r.headers["retry-after"]) <= 60
        assert "rate limit" in r.json()["detail"]
        # The limit is per key: another key is not affected.
        assert limited.get("/v1/models", headers=auth(FINANCE_KEY)).status_code == 200


def test_plan_timeout_is_504() -> None:
    with TestClient(build_app(request_timeout_s=0.000001)) as hurried:
        r = hurried.post("/v1/plans", json={"question": QUESTION}, headers=auth(OPS_KEY))
        assert r.status_code == 504 and "did not finish" in r.json()["detail"]


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


def test_audit_log_is_admin_only_and_redacted(client: TestClient) -> None:
    marker = uuid.uuid4().hex[:8]
    question = f"{QUESTION} 编号{marker}，联系人 13812345678，邮箱 li.wei@example.com"
    assert client.post("/v1/plans", json={"question": question}, headers=auth(FINANCE_KEY)).status_code == 200
    assert client.get("/v1/audit", headers=auth(FINANCE_KEY)).status_code == 403

    entries = client.get("/v1/audit", params={"principal": "fiona"}, headers=auth(ADMIN_KEY)).json()
    entry = next(e for e in entries if marker in (e["question"] or ""))
    assert "13812345678" not in entry["question"] and "li.wei@example.com" not in entry["question"]
    assert sum(entry["redactions"].values()) >= 2
    assert entry["endpoint"] == "POST /v1/plans" and entry["status"] == 200 and entry["mode"] == "offline"
    assert entry["sources"] and entry["latency_ms"] > 0 and entry["ts"]


def test_audit_log_is_append_only() -> None:
    path = api_env().settings.data_dir / "audit.sqlite3"
    with TestClient(build_app()) as c:
        c.get("/v1/search", params={"q": "AI"}, headers=auth(OPS_KEY))
    db = sqlite3.connect(path)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        db.execute("UPDATE audit SET principal = 'mallory'")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        db.execute("DELETE FROM audit")
    db.close()


def test_keyless_server_is_local_admin_on_loopback_only() -> None:
    from server import check_bind_allowed

    env = api_env()
    settings = env.settings.model_copy(update={"api_keys_file": None})
    check_bind_allowed("127.0.0.1", settings)
    check_bind_allowed("localhost", settings)
    with pytest.raises(RuntimeError, match="without API keys"):
        check_bind_allowed("0.0.0.0", settings)
    check_bind_allowed("0.0.0.0", env.settings)  # with keys any address is fine

    app = build_app(api_keys_file=None)
    with TestClient(app) as local:
        assert local.get("/v1/config").json()["auth_required"] is False
        assert local.get("/v1/audit").status_code == 200  # the local user is the admin
    with TestClient(app, client=("10.1.2.3", 5000)) as remote:
        r = remote.get("/v1/search", params={"q": "AI"})
        assert r.status_code == 403 and "loopback" in r.json()["detail"]


def test_bad_keys_file_fails_at_startup(tmp_path: Path) -> None:
    from api.auth import KeyFileError
    from server import create_app

    bad = tmp_path / "keys.json"
    cases = [
        ("not json", "not readable JSON"),
        ('[{"key": "short", "principal": "x"}]', "0.key"),
        ('[{"key": "long-enough-key", "principal": "x", "role": "root"}]', "0.role"),
        (
            '[{"key": "same-key-twice", "principal": "a"}, {"key": "same-key-twice", "principal": "b"}]',
            "twice",
        ),
    ]
    for content, needle in cases:
        bad.write_text(content)
        with pytest.raises(KeyFileError, match=needle):
            create_app(make_settings(tmp_path, api_keys_file=bad), store=api_env().store)
    with pytest.raises(KeyFileError, match="does not exist"):
        create_app(make_settings(tmp_path, api_keys_file=tmp_path / "missing.json"), store=api_env().store)


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


def test_threads_made_outside_the_server_cannot_be_claimed(client: TestClient) -> None:
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
    assert (
        client.post(
            "/v1/plans", json={"question": QUESTION, "thread_id": tid}, headers=auth(OPS_KEY)
        ).status_code
        == 404
    )
    assert client.get(f"/v1/threads/{tid}", headers=auth(OPS_KEY)).status_code == 404


def test_ui_is_served_without_shadowing_the_api(client: TestClient) -> None:
    from server import WEB_DIR

    if (WEB_DIR / "index.html").exists():
        page = client.get("/")
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    missing = client.get("/v1/nothing-here", headers=auth(OPS_KEY))
    assert missing.status_code == 404 and missing.json()["detail"]
    wrong = client.request("PUT", "/v1/threads", headers=auth(OPS_KEY))
    assert wrong.status_code == 405 and wrong.headers["allow"] == "GET, POST"
    assert (
        client.get("/openapi.json").json()["components"]["securitySchemes"]["HTTPBearer"]["scheme"]
        == "bearer"
    )
