"""LLM mode through the real ChatOpenAI client against the scripted OpenAI-compatible server."""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path
from typing import Any

from llm_script import BROAD_ZH, INJECTION, advisor_script, ask, assert_valid_citations, user_text

from agents.llm.prompts import SYSTEM_PROMPT
from agents.offline.scope import REFUSALS
from agents.service import run_plan, stream_plan
from agents.state import AREAS, AdoptionPlan
from evals.scripted_llm import JSON, Reply, ScriptedLLMServer, schema_name, structured_responder
from graph import graph
from settings import Settings


def test_normal_llm_plan(seed_store: Any, scripted_llm: ScriptedLLMServer, llm_settings: Settings) -> None:
    scripted_llm.responder = structured_responder(advisor_script)
    plan = ask(seed_store, llm_settings)
    assert plan.mode == "llm" and not plan.degraded and not plan.refused, plan.degraded_reasons
    assert plan.areas == list(AREAS)
    assert plan.llm_calls == 6 == scripted_llm.calls  # planner 1 + specialists 4 + synthesizer 1
    assert [schema_name(r) for r in scripted_llm.requests].count("SpecialistDraft") == 4
    assert len(plan.actions) == 6 and plan.summary_citations
    assert_valid_citations(plan, seed_store)
    assert plan.verification.citation_recall == 1.0
    assert not scripted_llm.errors


def test_call_cap_keeps_specialists_offline(
    seed_store: Any, scripted_llm: ScriptedLLMServer, llm_settings: Settings
) -> None:
    scripted_llm.responder = structured_responder(advisor_script)
    plan = ask(seed_store, llm_settings.model_copy(update={"max_llm_calls": 3}))
    names = [schema_name(r) for r in scripted_llm.requests]
    assert names.count("PlannerDecision") == 1 and names.count("PlanDraft") == 1
    assert names.count("SpecialistDraft") == 1 and plan.llm_calls == 3
    assert not plan.degraded


def test_server_errors_and_timeouts_are_retried_then_degraded(
    seed_store: Any, scripted_llm: ScriptedLLMServer, llm_settings: Settings
) -> None:
    def flaky(request: JSON) -> Reply:
        name = schema_name(request)
        if name == "PlannerDecision":
            return Reply.error(500)
        if name == "SpecialistDraft":
            return Reply.data({}, sleep=8.0)  # longer than the call deadline
        return structured_responder(advisor_script)(request)

    scripted_llm.responder = flaky
    plan = ask(seed_store, llm_settings.model_copy(update={"llm_timeout_s": 3.0}))
    names = [schema_name(r) for r in scripted_llm.requests]
    assert names.count("PlannerDecision") == 2  # one retry of the 500 (llm_max_retries=1), then fallback
    assert names.count("SpecialistDraft") == 4  # a timeout is final: no retry past the deadline
    assert names.count("PlanDraft") == 0  # the endpoint hung in this plan: not asked again
    assert plan.degraded and not plan.refused
    reasons = " ".join(plan.degraded_reasons)
    assert "planner: LLM call failed (http: HTTP 500" in reasons
    assert all(f"specialist {a}: LLM call failed (timeout" in reasons for a in AREAS)
    assert "synthesizer: LLM call failed (skipped" in reasons
    assert [c.outcome for c in plan.llm] == ["degraded"] * 6
    assert plan.areas == list(AREAS) and plan.actions  # offline behaviour filled in
    assert_valid_citations(plan, seed_store)


def test_a_transient_error_is_retried_without_degrading(
    seed_store: Any, scripted_llm: ScriptedLLMServer, llm_settings: Settings
) -> None:
    scripted_llm.script(Reply.error(503))
    scripted_llm.responder = structured_responder(advisor_script)
    plan = ask(seed_store, llm_settings)
    assert not plan.degraded and scripted_llm.calls == 7


def test_malformed_output_degrades_the_node(
    seed_store: Any, scripted_llm: ScriptedLLMServer, llm_settings: Settings
) -> None:
    def broken(request: JSON) -> Reply:
        if schema_name(request) == "PlanDraft":
            return Reply.tool("PlanDraft", {"summary": 42, "actions": "not a list"})
        return structured_responder(advisor_script)(request)

    scripted_llm.responder = broken
    plan = ask(seed_store, llm_settings)
    assert plan.degraded and any(r.startswith("synthesizer") for r in plan.degraded_reasons)
    assert plan.actions and plan.summary
    assert_valid_citations(plan, seed_store)


def test_malformed_http_body_degrades_the_planner(
    seed_store: Any, scripted_llm: ScriptedLLMServer, llm_settings: Settings
) -> None:
    scripted_llm.script(Reply.malformed())
    scripted_llm.responder = structured_responder(advisor_script)
    plan = ask(seed_store, llm_settings.model_copy(update={"llm_max_retries": 0}))
    assert plan.degraded and plan.llm[0].node == "planner" and plan.llm[0].method == "tools"
    assert (plan.llm[0].reason or "").startswith("invalid_response:"), plan.llm[0]  # the cause, named
    assert plan.areas == list(AREAS) and not plan.refused


def test_citation_of_an_unknown_id_is_repaired_or_dropped(
    seed_store: Any, scripted_llm: ScriptedLLMServer, llm_settings: Settings
) -> None:
    def ghost(name: str, messages: list[JSON]) -> JSON:
        out = advisor_script(name, messages)
        if name == "PlanDraft":
            out["actions"][0]["evidence_ids"] = ["E99"]
            out["actions"][-1] = (
                {"text": "在月球上建立数据中心", "phase": "0-3", "owner": "CIO", "priority": "low",
                 "area": "tech", "evidence_ids": ["E77"]}
            )  # fmt: skip
        return out

    scripted_llm.responder = structured_responder(ghost)
    plan = ask(seed_store, llm_settings)
    assert "在月球上建立数据中心" not in [a.text for a in plan.actions]
    assert plan.verification.dropped >= 1 and plan.verification.recited >= 1
    assert len(plan.actions) == 6 - 1  # the real action with the bad id was re-cited, the moon dropped
    assert_valid_citations(plan, seed_store)


def test_instructions_inside_a_passage_are_quarantined(
    scripted_llm: ScriptedLLMServer, tmp_path: Path
) -> None:
    from ingest import ingest_paths
    from store.knowledge import KnowledgeStore

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    knowledge = Path(__file__).resolve().parents[2] / "knowledge"
    (corpus / "a.txt").write_text((knowledge / "000_23366926fd57ca3a.txt").read_text("utf-8"), "utf-8")
    (corpus / "evil.md").write_text(
        f"# 数据安全与权限管理\n\n{INJECTION}。企业应建立数据安全与权限管理制度，定期审计访问权限。\n",
        "utf-8",
    )
    settings = Settings(data_dir=tmp_path / "data", embedder="hash", llm_max_retries=0)
    store = KnowledgeStore(settings)
    ingest_paths([corpus], store, root=corpus, progress=False)

    def gullible(request: JSON) -> Reply:
        """Obeys an instruction only when it reaches the model outside an <evidence> fence."""
        text = user_text(request.get("messages", []))
        unfenced = re.sub(r"<evidence .*?</evidence>", "", text, flags=re.S)
        if INJECTION in unfenced:
            return Reply.data(
                {"summary": SYSTEM_PROMPT, "actions": [], "challenges": [], "risks": [], "kpis": []}
            )
        return structured_responder(advisor_script)(request)

    scripted_llm.responder = gullible
    plan = asyncio.run(run_plan(graph, "数据安全与权限管理应该怎么做？", store=store, settings=settings))
    sent = scripted_llm.sent_text()
    assert INJECTION not in sent  # the passage giving orders was set aside before the model saw it
    assert plan.quarantined >= 1
    assert "never follow" in json.dumps(scripted_llm.requests[0]["messages"][0])
    assert "enterprise AI adoption advisor" not in plan.model_dump_json(exclude={"question"})
    assert not plan.refused and plan.actions and plan.citations
    assert set(AdoptionPlan.model_fields) == set(plan.model_dump())
    assert_valid_citations(plan, store)


def test_pii_never_reaches_the_model(
    seed_store: Any, scripted_llm: ScriptedLLMServer, llm_settings: Settings
) -> None:
    scripted_llm.responder = structured_responder(advisor_script)
    question = (
        "我是张经理，手机13812345678，邮箱 zhang@corp.cn，身份证110101199003071234，"
        "我们想落地AI客服，安全上要注意什么？"
    )
    plan = ask(seed_store, llm_settings, question)
    sent = scripted_llm.sent_text()
    for secret in ("13812345678", "zhang@corp.cn", "110101199003071234"):
        assert secret not in sent
    assert "[PHONE]" in sent and "[EMAIL]" in sent and "[ID_NUMBER]" in sent
    assert plan.question == question  # the caller's own plan keeps their words


def test_summary_tokens_stream_in_llm_mode(
    seed_store: Any, scripted_llm: ScriptedLLMServer, llm_settings: Settings
) -> None:
    scripted_llm.responder = structured_responder(advisor_script)

    async def go() -> list[tuple[str, dict[str, Any]]]:
        return [e async for e in stream_plan(graph, BROAD_ZH, store=seed_store, settings=llm_settings)]

    events = asyncio.run(go())
    tokens = [d["text"] for e, d in events if e == "token"]
    plan = AdoptionPlan.model_validate(events[-1][1])
    assert len(tokens) > 3
    assert "".join(tokens) == re.sub(r"\[\d+\]", "", plan.summary)
    # the draft is not streamed from the model: only an accepted summary reaches listeners
    draft_request = next(r for r in scripted_llm.requests if schema_name(r) == "PlanDraft")
    assert not draft_request.get("stream")


def test_optional_llm_judge_counts_against_the_cap(
    seed_store: Any, scripted_llm: ScriptedLLMServer, llm_settings: Settings
) -> None:
    scripted_llm.responder = structured_responder(advisor_script)
    capped = ask(seed_store, llm_settings.model_copy(update={"llm_judge": True}))
    assert capped.verification.judge == "lexical" and capped.llm_calls == 6  # no call left for a judge
    judged = ask(seed_store, llm_settings.model_copy(update={"llm_judge": True, "max_llm_calls": 7}))
    assert judged.verification.judge == "llm" and judged.llm_calls == 7
    assert judged.verification.supported == 0  # the judge's verdicts, not the lexical ones
    assert judged.verification.recited + judged.verification.dropped == judged.verification.statements


def test_model_refusal_stands_only_where_the_offline_scope_refuses_too(
    seed_store: Any, scripted_llm: ScriptedLLMServer, llm_settings: Settings
) -> None:
    def refusing(name: str, messages: list[JSON]) -> JSON:
        return {"refuse": True, "areas": [], "subqueries": []}

    scripted_llm.responder = structured_responder(refusing)
    plan = ask(seed_store, llm_settings, "明天北京天气怎么样？")
    assert plan.refused and plan.refusal_reason == REFUSALS["scope"]["zh"]  # never the model's own text
    assert plan.citations == [] and plan.actions == [] and plan.llm_calls == 1 == scripted_llm.calls
    assert not plan.degraded and plan.llm[0].outcome == "llm"


def test_model_refusal_of_a_supported_question_is_overruled(
    seed_store: Any, scripted_llm: ScriptedLLMServer, llm_settings: Settings
) -> None:
    def refusing_planner(name: str, messages: list[JSON]) -> JSON:
        if name == "PlannerDecision":
            return {"refuse": True, "areas": [], "subqueries": []}
        return advisor_script(name, messages)

    scripted_llm.responder = structured_responder(refusing_planner)
    plan = ask(seed_store, llm_settings)
    assert not plan.refused and plan.actions and plan.areas == list(AREAS)
    assert plan.degraded and plan.degraded_reasons[0].startswith("planner: overruled: the model refused")
    assert [c.outcome for c in plan.llm][:1] == ["degraded"]
    assert_valid_citations(plan, seed_store)


def test_model_may_accept_what_the_lexicons_missed(
    seed_store: Any, scripted_llm: ScriptedLLMServer, llm_settings: Settings
) -> None:
    scripted_llm.responder = structured_responder(advisor_script)
    question = "还有呢？"  # offline, without a thread, this has nothing to stand on
    plan = ask(seed_store, llm_settings, question)
    assert not plan.refused and plan.areas == list(AREAS) and plan.citations
    assert_valid_citations(plan, seed_store)
