"""The API's edge over real HTTP: body limits answer in JSON, lone surrogates get a 4xx, and
every request, failed ones included, leaves exactly one audit entry."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator

import httpx
import pytest
from api_support import ADMIN_KEY, OPS_KEY, auth, build_app, live_server

SURROGATE_QUESTION = "数据安全\ud800风险"


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with live_server(build_app(max_upload_mb=1)) as url:
        yield url


def audit_entries(client: httpx.Client, endpoint: str, principal: str = "oscar") -> list[dict[str, object]]:
    """The entries of `principal` (reading the log is itself audited, under the admin's name)."""
    params = {"endpoint": endpoint, "principal": principal, "limit": 1000}
    r = client.get("/v1/audit", params=params, headers=auth(ADMIN_KEY))
    assert r.status_code == 200, r.text
    entries: list[dict[str, object]] = r.json()
    return entries


def test_body_limits_answer_in_json(base_url: str) -> None:
    with httpx.Client(base_url=base_url, timeout=60) as client:
        big = {"question": "字" * (5 << 20)}
        r = client.post("/v1/plans", json=big, headers=auth(OPS_KEY))
        assert r.status_code == 413 and r.headers["content-type"] == "application/json"
        assert "limit" in r.json()["detail"]

        upload = {"file": ("big.md", b"x" * (3 << 20))}
        r = client.post("/v1/documents", files=upload, headers=auth(ADMIN_KEY))
        assert r.status_code == 413 and r.headers["content-type"] == "application/json"
        assert r.json()["detail"]

        def chunks() -> Iterator[bytes]:  # no Content-Length: the limit counts streamed bytes
            yield b'{"question": "'
            for _ in range(6):
                yield b"a" * (1 << 20)
            yield b'"}'

        streamed = client.post(
            "/v1/plans", content=chunks(), headers=auth(OPS_KEY) | {"content-type": "application/json"}
        )
        assert streamed.status_code == 413 and streamed.json()["detail"]


def test_errors_from_outside_the_routes_are_json(base_url: str) -> None:
    with httpx.Client(base_url=base_url, timeout=60) as client:
        missing = client.get("/no-such-file.css")
        assert missing.status_code == 404 and missing.json()["detail"]


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/v1/plans", {"question": SURROGATE_QUESTION}),
        ("/v1/plans/stream", {"question": SURROGATE_QUESTION}),
        ("/v1/chat/completions", {"messages": [{"role": "user", "content": SURROGATE_QUESTION}]}),
        (
            "/v1/chat/completions",
            {"messages": [{"role": "user", "content": SURROGATE_QUESTION}], "stream": True},
        ),
        ("/v1/threads", {"title": SURROGATE_QUESTION}),
        ("/v1/plans", {"question": "数据安全风险", "profile": {"industry": "制造\udfff"}}),
    ],
)
def test_lone_surrogates_get_a_4xx_and_an_audit_entry(base_url: str, path: str, body: object) -> None:
    with httpx.Client(base_url=base_url, timeout=60) as client:
        before = len(audit_entries(client, f"POST {path}"))
        raw = json.dumps(body).encode()  # ASCII escapes: the way a client sends "\ud800"
        r = client.post(path, content=raw, headers=auth(OPS_KEY) | {"content-type": "application/json"})
        assert r.status_code == 422, r.text
        assert r.headers["content-type"] == "application/json"
        assert "surrogate" in r.json()["detail"]
        after = audit_entries(client, f"POST {path}")
        assert len(after) == before + 1
        assert after[0]["status"] == 422 and after[0]["principal"] == "oscar"


def test_search_with_an_undecodable_query_is_not_a_500(base_url: str) -> None:
    with httpx.Client(base_url=base_url, timeout=60) as client:
        r = client.get("/v1/search?q=%E6%95%B0%ED%A0%80%E6%8D%AE&method=bm25", headers=auth(OPS_KEY))
        assert r.status_code < 500 and r.headers["content-type"] == "application/json"


def test_every_request_is_audited_once(base_url: str) -> None:
    marker = uuid.uuid4().hex[:8]
    with httpx.Client(base_url=base_url, timeout=60) as client:
        cases = [
            ("GET", f"/v1/threads/nothing-{marker}", auth(OPS_KEY), None, 404, "GET /v1/threads/{thread_id}"),
            ("GET", "/v1/documents", {}, None, 401, "GET /v1/documents"),
            ("POST", "/v1/plans", auth(OPS_KEY), {"question": " "}, 422, "POST /v1/plans"),
            ("POST", "/v1/plans", auth(OPS_KEY), {"question": "字" * (5 << 20)}, 413, "POST /v1/plans"),
            ("GET", "/v1/audit", auth(OPS_KEY), None, 403, "GET /v1/audit"),
        ]
        for method, path, headers, body, status, endpoint in cases:
            who = "oscar" if headers else "anonymous"
            before = len(audit_entries(client, endpoint, who))
            r = client.request(method, path, headers=headers, json=body)
            assert r.status_code == status, r.text
            after = audit_entries(client, endpoint, who)
            assert len(after) == before + 1, (endpoint, after[:2])
            assert after[0]["status"] == status and after[0]["detail"] == r.json()["detail"]
        # A plan records its own richer entry, and only that one.
        before = len(audit_entries(client, "POST /v1/plans"))
        plan = client.post(
            "/v1/plans", json={"question": f"如何控制AI数据安全风险？{marker}"}, headers=auth(OPS_KEY)
        )
        assert plan.status_code == 200
        after = audit_entries(client, "POST /v1/plans")
        assert len(after) == before + 1 and marker in json.dumps(after[0], ensure_ascii=False)


def test_absurdly_nested_json_is_a_4xx(base_url: str) -> None:
    with httpx.Client(base_url=base_url, timeout=60) as client:
        body = b"[" * 200_000 + b"]" * 200_000
        headers = auth(OPS_KEY) | {"content-type": "application/json"}
        r = client.post("/v1/plans", content=body, headers=headers)
        assert 400 <= r.status_code < 500 and r.json()["detail"]
