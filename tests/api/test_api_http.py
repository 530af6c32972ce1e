"""The HTTP API through Starlette's TestClient: keys, health, limits, errors and the UI mount.

Plans: test_api_plans.py; threads: test_api_threads.py; documents, search, audit: test_api_documents.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from api_support import ADMIN_KEY, FINANCE_KEY, OPS_KEY, QUESTION, api_env, auth, build_app, make_settings
from fastapi.testclient import TestClient

pytest_plugins = ["api_support"]


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
    assert ready.status_code == 200 and ready.json() == {"status": "ready", "reason": None}
    config = client.get("/v1/config").json()
    assert config["auth_required"] is True and config["mode"] == "offline" and config["model"] is None
    assert config["version"]


def test_malformed_json_is_422_not_500(client: TestClient) -> None:
    r = client.post(
        "/v1/plans", content=b"{not json", headers=auth(OPS_KEY) | {"content-type": "application/json"}
    )
    assert r.status_code == 422 and "invalid request" in r.json()["detail"]


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
        ('[{"key": "short", "principal": "x"}]', "entry 0 .principal 'x'.: the key has 5 characters"),
        ('[{"key": "long-enough-key-0123", "principal": "x", "role": "root"}]', "principal 'x'.: role"),
        (
            '[{"key": "same-key-twice-0123", "principal": "a"},'
            ' {"key": "same-key-twice-0123", "principal": "b"}]',
            "the same key as entry 0",
        ),
    ]
    for content, needle in cases:
        bad.write_text(content)
        with pytest.raises(KeyFileError, match=needle):
            create_app(make_settings(tmp_path, api_keys_file=bad), store=api_env().store)
    with pytest.raises(KeyFileError, match="does not exist"):
        create_app(make_settings(tmp_path, api_keys_file=tmp_path / "missing.json"), store=api_env().store)


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
