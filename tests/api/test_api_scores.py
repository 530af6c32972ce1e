"""No score side channel across the ACL: what a caller sees must not move when a document they
may not see is added or removed, through every search method, and the offline engine's word
weights likewise; a caller who may see the document does see the change."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator

import httpx
import pytest
from api_support import ADMIN_KEY, FINANCE_KEY, OPS_KEY, api_env, auth, build_app, live_server

QUERY = "数据安全 风险评估 权限控制"
HIDDEN = (
    "# 财务数据安全专项\n\n"
    + "财务部的数据安全风险评估要覆盖权限控制，数据安全与权限控制每月复核，风险评估结果上报。\n\n" * 30
)


@pytest.fixture(scope="module")
def client() -> Iterator[httpx.Client]:
    with live_server(build_app()) as url, httpx.Client(base_url=url, timeout=120) as c:
        yield c


def hits(client: httpx.Client, key: str, method: str) -> list[tuple[str, float]]:
    params: dict[str, str | int] = {"q": QUERY, "k": 20, "method": method}
    r = client.get("/v1/search", params=params, headers=auth(key))
    assert r.status_code == 200, r.text
    return [(h["chunk_id"], h["score"]) for h in r.json()]


def upload_hidden(client: httpx.Client) -> str:
    name = f"finance-hidden-{uuid.uuid4().hex[:6]}.md"
    files = {"file": (name, HIDDEN.encode(), "text/markdown")}
    r = client.post("/v1/documents", files=files, data={"access": "finance"}, headers=auth(ADMIN_KEY))
    assert r.status_code in (200, 201, 202), r.text
    return name


def wait_until_listed(client: httpx.Client, name: str) -> None:
    for _ in range(600):
        listed = client.get("/v1/documents", headers=auth(ADMIN_KEY)).json()
        if any(d["source"] == name for d in listed):
            return
        time.sleep(0.1)
    raise AssertionError(f"{name} never appeared")


def test_hidden_documents_never_move_a_callers_scores(client: httpx.Client) -> None:
    methods = ("bm25", "hybrid", "vector")
    before = {m: hits(client, OPS_KEY, m) for m in methods}
    insider_before = hits(client, FINANCE_KEY, "bm25")
    assert before["bm25"], "the query must match public passages"

    name = upload_hidden(client)
    wait_until_listed(client, name)
    try:
        during = {m: hits(client, OPS_KEY, m) for m in methods}
        insider_during = hits(client, FINANCE_KEY, "bm25")
    finally:
        assert client.delete(f"/v1/documents/{name}", headers=auth(ADMIN_KEY)).status_code == 200
    after = {m: hits(client, OPS_KEY, m) for m in methods}

    assert during == before and after == before
    # The check can see a change: for a caller who may read the document, the scores do move.
    assert name not in {cid for cid, _ in insider_before}
    public_scores = dict(insider_before)
    assert any(cid in public_scores and score != public_scores[cid] for cid, score in insider_during), (
        "a visible document should shift the insider's BM25 statistics"
    )


def test_offline_word_weights_ignore_hidden_documents() -> None:
    from agents.env import Env
    from agents.offline import corpus
    from ingest import ingest_bytes

    env = api_env()
    viewer = Env(settings=env.settings, store=env.store, groups=["ops", "public"])
    words = ("数据安全", "权限控制", "风险评估")

    def weights() -> list[tuple[int, int]]:
        corpus._counts.clear()
        df = corpus.document_frequency(viewer)
        return [df(w) for w in words]

    before = weights()
    name = f"finance-hidden-{uuid.uuid4().hex[:6]}.md"
    assert ingest_bytes(name, HIDDEN.encode(), env.store, access=["finance"]).status == "added"
    try:
        during = weights()
    finally:
        env.store.delete_document(name)
    assert during == before
