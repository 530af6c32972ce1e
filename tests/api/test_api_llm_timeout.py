"""A model slower than the request timeout costs the caller quality, never the answer."""

from __future__ import annotations

from api_support import OPS_KEY, auth, build_app, sse_events
from fastapi.testclient import TestClient

from evals.scripted_llm import JSON, Reply, ScriptedLLMServer

QUESTION = "我们是一家中型制造企业，计划在未来一年内落地AI，请给出分阶段的落地计划。"


def test_request_timeout_gives_the_degraded_offline_plan(scripted_llm: ScriptedLLMServer) -> None:
    def hang(request: JSON) -> Reply:
        return Reply.data({}, sleep=600)

    scripted_llm.responder = hang
    app = build_app(
        mode="llm", openai_api_key="test-key", openai_base_url=scripted_llm.base_url,
        llm_timeout_s=300.0, llm_budget_s=300.0, request_timeout_s=2.0,
    )  # fmt: skip
    with TestClient(app) as client:
        r = client.post("/v1/plans", json={"question": QUESTION}, headers=auth(OPS_KEY))
        assert r.status_code == 200, r.text
        plan = r.json()
        assert plan["degraded"] and plan["actions"] and not plan["refused"]
        assert "did not finish within 2 s" in plan["degraded_reasons"][-1]
        events = sse_events(client, "/v1/plans/stream", {"question": QUESTION}, OPS_KEY)
    streamed = [e.json() for e in events if e.event == "plan"]
    assert streamed and streamed[0]["degraded"] and streamed[0]["actions"]
    assert not [e for e in events if e.event == "error"]
