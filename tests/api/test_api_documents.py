"""Documents, search and the audit log over HTTP: upload rules, clear refusals, admin-only audit."""

from __future__ import annotations

import sqlite3
import uuid

import pytest
from api_support import ADMIN_KEY, FINANCE_KEY, OPS_KEY, QUESTION, api_env, auth, build_app
from fastapi.testclient import TestClient

pytest_plugins = ["api_support"]


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
    assert again.status_code == 409 and "replace=true" in again.json()["detail"]
    replaced = {"access": "it, hr", "replace": "true"}
    again = client.post("/v1/documents", files=files, data=replaced, headers=auth(ADMIN_KEY))
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
