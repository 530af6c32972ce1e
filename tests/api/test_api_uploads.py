"""Uploads over real HTTP: any display name (stored under a generated file name), all or nothing,
explicit conflicts (409) and kept access, leftovers of interrupted uploads removed at startup, and
ingestion off the request path (202 and a job) so plans never wait for a document."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from api_support import ADMIN_KEY, FINANCE_KEY, OPS_KEY, api_env, auth, build_app, live_server
from fastapi.testclient import TestClient

BODY = "# 采购审批\n\n企业采购AI服务时应当评估供应商的数据安全能力，并签订保密协议。\n"


@pytest.fixture(scope="module")
def client() -> Iterator[httpx.Client]:
    with live_server(build_app()) as url, httpx.Client(base_url=url, timeout=300) as c:
        yield c


def uploads_dir() -> Path:
    return api_env().settings.data_dir / "uploads"


def listed(client: httpx.Client) -> dict[str, dict[str, object]]:
    return {d["source"]: d for d in client.get("/v1/documents", headers=auth(ADMIN_KEY)).json()}


def upload(client: httpx.Client, name: str, text: str, **form: str) -> httpx.Response:
    files = {"file": (name, text.encode(), "text/markdown")}
    return client.post("/v1/documents", files=files, data=form, headers=auth(ADMIN_KEY))


def test_a_long_multibyte_name_is_stored_under_a_generated_file_name(client: httpx.Client) -> None:
    name = "中" * 150 + f"{uuid.uuid4().hex[:4]}.md"  # > 450 bytes: longer than any file name may be
    r = upload(client, name, BODY)
    assert r.status_code == 201, r.text
    assert r.json()["source"] == name and r.json()["status"] == "added"
    assert name in listed(client)
    assert all(len(p.name.encode()) <= 255 for p in uploads_dir().iterdir())
    audit = client.get("/v1/audit", params={"endpoint": "POST /v1/documents"}, headers=auth(ADMIN_KEY)).json()
    assert any(e["sources"] == [name] and e["status"] == 201 for e in audit)
    files_before = set(uploads_dir().iterdir())
    assert client.delete(f"/v1/documents/{name}", headers=auth(ADMIN_KEY)).status_code == 200
    assert len(set(uploads_dir().iterdir())) == len(files_before) - 1  # its bytes went too


def test_a_failed_commit_changes_nothing(client: httpx.Client, monkeypatch: pytest.MonkeyPatch) -> None:
    from store.knowledge import StoreUnavailableError

    def broken(*_args: object, **_kwargs: object) -> None:
        raise StoreUnavailableError("disk full")

    name = f"atomic-{uuid.uuid4().hex[:6]}.md"
    files_before = sorted(p.name for p in uploads_dir().iterdir())
    monkeypatch.setattr(api_env().store, "commit", broken)
    r = upload(client, name, BODY)
    assert r.status_code == 503 and "disk full" in r.json()["detail"]
    monkeypatch.undo()
    assert name not in listed(client)
    assert sorted(p.name for p in uploads_dir().iterdir()) == files_before


def test_replacing_is_explicit_and_keeps_access(client: httpx.Client) -> None:
    name = f"budget-{uuid.uuid4().hex[:6]}.md"
    assert upload(client, name, BODY, access="finance").status_code == 201
    newer = BODY + "\n供应商每年复审一次，复审结论归档到采购系统。\n"

    r = upload(client, name, newer)
    assert r.status_code == 409 and "replace=true" in r.json()["detail"]
    r = upload(client, name, newer, replace="true")
    assert r.status_code == 201 and r.json()["status"] == "updated"
    assert listed(client)[name]["access"] == ["finance"]  # not made public by the re-upload

    query = {"q": "供应商复审结论归档", "k": 10}
    ops = client.get("/v1/search", params=query, headers=auth(OPS_KEY)).json()
    fin = client.get("/v1/search", params=query, headers=auth(FINANCE_KEY)).json()
    assert name not in {h["source"] for h in ops} and name in {h["source"] for h in fin}

    r = upload(client, name, BODY, access="hr", replace="true")  # a new access must be said
    assert r.status_code == 201 and listed(client)[name]["access"] == ["hr"]
    assert client.delete(f"/v1/documents/{name}", headers=auth(ADMIN_KEY)).status_code == 200


def test_a_corpus_document_cannot_be_replaced_by_an_upload(client: httpx.Client) -> None:
    corpus = api_env().settings.knowledge_dir
    name = next(
        p.name for p in sorted(corpus.iterdir()) if p.suffix in (".md", ".txt") and p.name != "README.md"
    )
    before = listed(client)[name]
    for form in ({}, {"replace": "true"}):
        r = upload(client, name, BODY, **form)
        assert r.status_code == 409 and "corpus" in r.json()["detail"]
    assert listed(client)[name] == before


def test_leftovers_of_interrupted_uploads_are_removed_at_startup() -> None:
    folder = uploads_dir()
    folder.mkdir(parents=True, exist_ok=True)
    leftovers = [
        f".upload-{uuid.uuid4().hex}.docx",
        f".tmp-{uuid.uuid4().hex}.md",
        f"u-{uuid.uuid4().hex}.md",
    ]
    for name in leftovers:
        (folder / name).write_bytes(b"half an upload")
    kept = sorted(p.name for p in folder.iterdir() if p.name not in leftovers)
    with TestClient(build_app()) as started:
        assert started.get("/healthz").status_code == 200
    assert sorted(p.name for p in folder.iterdir()) == kept


def test_ingestion_runs_off_the_request_path() -> None:
    name = f"big-{uuid.uuid4().hex[:6]}.md"
    paragraph = "企业推进AI落地需要建立数据治理委员会，明确数据分级分类和访问审批流程，并定期复盘执行效果。"
    text = "# 大文档\n\n" + "\n\n".join(f"{paragraph}第{i}条。" for i in range(60_000))  # ~8 MB
    with live_server(build_app(upload_wait_s=0)) as url, httpx.Client(base_url=url, timeout=300) as c:
        r = upload(c, name, text)
        assert r.status_code == 202, r.text
        job = r.json()
        assert r.headers["location"] == f"/v1/uploads/{job['id']}" and job["source"] == name
        plan = c.post("/v1/plans", json={"question": "如何建立AI数据治理？"}, headers=auth(OPS_KEY))
        assert plan.status_code == 200
        status = c.get(r.headers["location"], headers=auth(ADMIN_KEY)).json()["status"]
        assert status in ("queued", "running"), "the plan should not have waited for the upload"
        assert c.get(r.headers["location"], headers=auth(OPS_KEY)).status_code == 403
        fresh = auth(ADMIN_KEY) | {"Connection": "close"}  # no idle keep-alive to race with the poll
        for _ in range(3000):
            job = c.get(r.headers["location"], headers=fresh).json()
            if job["status"] not in ("queued", "running"):
                break
            time.sleep(0.1)
        assert job["status"] == "done" and job["result"]["status"] == "added", job
        assert c.delete(f"/v1/documents/{name}", headers=auth(ADMIN_KEY)).status_code == 200


def test_an_upload_the_worker_cannot_finish_is_refused_and_loses_nothing(client: httpx.Client) -> None:
    name = f"kept-{uuid.uuid4().hex[:6]}.md"
    assert upload(client, name, BODY, access="finance").status_code == 201
    before = listed(client)[name]
    files_before = sorted(p.name for p in uploads_dir().iterdir())
    # A deadline no preparation can meet: the worker is killed, as for a file that expands forever.
    with TestClient(build_app(upload_timeout_s=0.01)) as hurried:
        files = {"file": (name, (BODY + "新版本的内容。\n").encode(), "text/markdown")}
        r = hurried.post("/v1/documents", files=files, data={"replace": "true"}, headers=auth(ADMIN_KEY))
        assert r.status_code == 422 and "longer than" in r.json()["detail"]
    assert listed(client)[name] == before
    assert sorted(p.name for p in uploads_dir().iterdir()) == files_before
    assert client.delete(f"/v1/documents/{name}", headers=auth(ADMIN_KEY)).status_code == 200
