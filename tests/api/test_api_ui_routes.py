"""The routes behind the chat UI, through real HTTP (uvicorn on loopback): the document viewer,
re-permissioning, feedback, Markdown and Word export, plan review and resume, thread rename.

Each one is checked against the ACL: a viewer never reads another group's document, through the
viewer or an export, and never touches another principal's thread.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from api_support import (
    ADMIN_KEY,
    FINANCE_KEY,
    OPS_KEY,
    SECRET_QUESTION,
    SECRET_SOURCE,
    auth,
    build_app,
    live_server,
    sse_events,
)
from docx import Document

from evals.golden import GoldenItem

PROBE_SOURCE = "xuanwu_budget.md"
PROBE_WORD = "玄武"
PROBE_TITLE = "玄武项目 AI 预算审批细则"
PROBE_DOC = """---
title: 玄武项目 AI 预算审批细则
---
# 玄武项目预算审批

玄武项目的AI项目预算应由财务部与业务部门联合审批，预算审批需要说明投资回报率ROI的测算方法。

## 玄武项目投资回报

玄武项目要求每季度衡量AI项目的投资回报率ROI，以成本节约和人效提升作为核心指标。
"""


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    with live_server(build_app()) as url:
        yield url


@pytest.fixture(scope="module")
def client(base: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base, timeout=120) as c:
        yield c


def plan_in_thread(client: httpx.Client, key: str, question: str) -> tuple[str, dict[str, Any]]:
    thread = client.post("/v1/threads", json={}, headers=auth(key)).json()
    events = sse_events(client, "/v1/plans/stream", {"question": question, "thread_id": thread["id"]}, key)
    assert events[-1].event == "plan", events[-1]
    return thread["id"], events[-1].json()


def test_viewer_returns_passages_in_order_only_to_callers_who_may_see_them(client: httpx.Client) -> None:
    path = f"/v1/passages/{SECRET_SOURCE}"
    insider = client.get(path, headers=auth(FINANCE_KEY))
    assert insider.status_code == 200
    doc = insider.json()
    assert doc["title"].startswith("青鸾计划")
    texts = [p["text"] for p in doc["passages"]]
    joined = "".join(texts)
    assert joined.index("预算审批") < joined.index("投资回报率") < joined.index("风险控制") or len(texts) == 1
    assert all(p["chunk_id"] for p in doc["passages"])

    outsider = client.get(path, headers=auth(OPS_KEY))
    missing = client.get("/v1/passages/no_such_file.md", headers=auth(OPS_KEY))
    assert outsider.status_code == missing.status_code == 404
    assert outsider.json()["detail"] == f"document {SECRET_SOURCE} not found"
    assert client.get(path).status_code == 401


def test_feedback_is_stored_listed_and_exported_as_golden_candidates(client: httpx.Client) -> None:
    tid, plan = plan_in_thread(client, FINANCE_KEY, SECRET_QUESTION)
    body = {"thread_id": tid, "turn": 0, "rating": "down", "comment": "缺少审批时限"}
    # another principal cannot vote on (or learn about) fiona's thread
    assert client.post("/v1/feedback", json=body, headers=auth(OPS_KEY)).status_code == 404
    assert client.post("/v1/feedback", json={**body, "turn": 5}, headers=auth(FINANCE_KEY)).status_code == 404
    assert (
        client.post("/v1/feedback", json={**body, "rating": "meh"}, headers=auth(FINANCE_KEY)).status_code
        == 422
    )
    saved = client.post("/v1/feedback", json=body, headers=auth(FINANCE_KEY))
    assert saved.status_code == 201, saved.text
    entry = saved.json()
    assert entry["question"] == SECRET_QUESTION and entry["sources"] and entry["areas"] == plan["areas"]
    again = client.post(
        "/v1/feedback", json={**body, "rating": "up", "comment": ""}, headers=auth(FINANCE_KEY)
    )
    assert again.status_code == 201  # a second vote replaces the first

    assert client.get("/v1/feedback", headers=auth(FINANCE_KEY)).status_code == 403
    listed = [e for e in client.get("/v1/feedback", headers=auth(ADMIN_KEY)).json() if e["thread_id"] == tid]
    assert [e["rating"] for e in listed] == ["up"]
    export = client.get("/v1/feedback/export", params={"golden_candidates": True}, headers=auth(ADMIN_KEY))
    assert export.status_code == 200 and export.headers["content-type"].startswith("application/x-ndjson")
    lines = [json.loads(line) for line in export.text.splitlines()]
    mine = next(line for line in lines if line["question"] == SECRET_QUESTION)
    item = GoldenItem.model_validate(mine)  # the golden loader accepts it as it is
    assert item.key_points == [] and item.areas == plan["areas"]
    assert set(item.sources) == {c["source"] for c in plan["citations"]}


def test_markdown_and_word_exports_follow_the_acl(client: httpx.Client) -> None:
    upload = client.post(
        "/v1/documents",
        files={"file": (PROBE_SOURCE, PROBE_DOC.encode(), "text/markdown")},
        data={"access": "finance"},
        headers=auth(ADMIN_KEY),
    )
    assert upload.status_code in (200, 201), upload.text
    tid, plan = plan_in_thread(client, FINANCE_KEY, "玄武项目的AI预算如何审批，投资回报率ROI怎么衡量？")
    assert PROBE_SOURCE in {c["source"] for c in plan["citations"]}
    path = f"/v1/threads/{tid}/turns/0/export"

    markdown = client.get(path, headers=auth(FINANCE_KEY))
    assert markdown.status_code == 200 and markdown.headers["content-type"].startswith("text/markdown")
    assert markdown.text.startswith("# AI落地计划") and PROBE_TITLE in markdown.text
    word = client.get(path, params={"format": "docx"}, headers=auth(FINANCE_KEY))
    assert word.status_code == 200 and "attachment" in word.headers["content-disposition"]
    doc = Document(io.BytesIO(word.content))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert headings[0] == "AI落地计划" and "路线图" in headings and "引用来源" in headings
    if plan["actions"]:
        table = doc.tables[0]
        assert [c.text for c in table.rows[0].cells] == ["路线图", "行动", "负责人", "优先级"]
        assert len(table.rows) == 1 + len(plan["actions"])
    quotes = [p.text for p in doc.paragraphs if p.style.name == "Intense Quote"]
    assert len(quotes) == len(plan["citations"]) and any(PROBE_WORD in q for q in quotes)
    assert any(PROBE_TITLE in p.text for p in doc.paragraphs)

    assert client.get(path, headers=auth(OPS_KEY)).status_code == 404  # not oscar's thread
    assert client.get(f"/v1/threads/{tid}/turns/3/export", headers=auth(FINANCE_KEY)).status_code == 404

    # Re-permissioned away from finance: fiona loses it in the viewer and in every export.
    moved = client.put(f"/v1/access/{PROBE_SOURCE}", json={"access": ["hr"]}, headers=auth(ADMIN_KEY))
    assert moved.status_code == 200 and moved.json()["access"] == ["hr"]
    assert (
        client.put(
            f"/v1/access/{PROBE_SOURCE}", json={"access": ["hr"]}, headers=auth(FINANCE_KEY)
        ).status_code
        == 403
    )
    assert client.get(f"/v1/passages/{PROBE_SOURCE}", headers=auth(FINANCE_KEY)).status_code == 404
    text = client.get(path, headers=auth(FINANCE_KEY)).text
    assert PROBE_SOURCE not in text and PROBE_TITLE not in text
    word = client.get(path, params={"format": "docx"}, headers=auth(FINANCE_KEY))
    assert PROBE_TITLE not in "\n".join(p.text for p in Document(io.BytesIO(word.content)).paragraphs)
    assert client.delete(f"/v1/documents/{PROBE_SOURCE}", headers=auth(ADMIN_KEY)).status_code == 200


def test_review_pauses_after_the_planner_and_resumes_with_the_edited_areas(client: httpx.Client) -> None:
    thread = client.post("/v1/threads", json={}, headers=auth(FINANCE_KEY)).json()
    tid = thread["id"]
    question = "我们计划在未来一年内落地AI，技术整合、数据安全、人才和投资回报分别该怎么做？"
    events = sse_events(
        client, "/v1/plans/stream", {"question": question, "thread_id": tid, "review": True}, FINANCE_KEY
    )
    assert [e.event for e in events][-1] == "review" and all(e.event != "plan" for e in events)
    decision = events[-1].json()
    assert len(decision["areas"]) >= 2 and set(decision["subqueries"]) >= set(decision["areas"])
    assert {f["kind"] for f in decision["facets"]} >= {"horizon"}, decision["facets"]
    assert client.get(f"/v1/threads/{tid}", headers=auth(FINANCE_KEY)).json()["turns"] == []

    edited = {"thread_id": tid, "areas": ["security"], "subqueries": {"security": ["数据安全 权限控制"]}}
    assert client.post("/v1/plans/resume", json=edited, headers=auth(OPS_KEY)).status_code == 404
    resumed = sse_events(client, "/v1/plans/resume", edited, FINANCE_KEY)
    plan = resumed[-1].json()
    assert resumed[-1].event == "plan" and plan["areas"] == ["security"] and plan["question"] == question
    lanes = [
        e.json()["area"] for e in resumed if e.event == "progress" and e.json().get("node") == "specialist"
    ]
    assert set(lanes) == {"security"}
    turns = client.get(f"/v1/threads/{tid}", headers=auth(FINANCE_KEY)).json()["turns"]
    assert len(turns) == 1 and turns[0]["plan"]["areas"] == ["security"]
    again = client.post("/v1/plans/resume", json=edited, headers=auth(FINANCE_KEY))
    assert again.status_code == 409

    # without a thread id the server makes one for the paused run and names it in the event
    made = sse_events(client, "/v1/plans/stream", {"question": question, "review": True}, FINANCE_KEY)
    made_id = made[-1].json()["thread_id"]
    assert made[-1].event == "review" and made_id != tid
    assert client.get(f"/v1/threads/{made_id}", headers=auth(FINANCE_KEY)).status_code == 200
    assert (
        client.post(
            "/v1/plans", json={"question": question, "review": True}, headers=auth(FINANCE_KEY)
        ).status_code
        == 422
    )
    # without review the same thread answers straight through, as before
    _, plain = plan_in_thread(client, FINANCE_KEY, question)
    assert len(plain["areas"]) >= 2


def test_rename_me_and_config(client: httpx.Client) -> None:
    tid = client.post("/v1/threads", json={"title": "old"}, headers=auth(FINANCE_KEY)).json()["id"]
    renamed = client.patch(f"/v1/threads/{tid}", json={"title": "预算审批"}, headers=auth(FINANCE_KEY))
    assert renamed.status_code == 200 and renamed.json()["title"] == "预算审批"
    assert client.patch(f"/v1/threads/{tid}", json={"title": "x"}, headers=auth(OPS_KEY)).status_code == 404
    assert (
        client.patch(f"/v1/threads/{tid}", json={"title": "  "}, headers=auth(FINANCE_KEY)).status_code == 422
    )
    me = client.get("/v1/me", headers=auth(FINANCE_KEY)).json()
    assert me == {"principal": "fiona", "role": "viewer", "groups": ["finance"]}
    assert client.get("/v1/config").json()["max_question_chars"] == 4000


def test_openapi_documents_the_ui_routes(client: httpx.Client) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in (
        "/v1/passages/{source}",
        "/v1/access/{source}",
        "/v1/feedback",
        "/v1/feedback/export",
        "/v1/threads/{thread_id}/turns/{turn}/export",
        "/v1/plans/resume",
        "/v1/me",
    ):
        assert path in paths, sorted(paths)
