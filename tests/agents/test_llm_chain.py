"""The structured-output chain, deadlines and budget, through the real client and the scripted server.

Each test names a way real servers misbehave (no tools, llama.cpp's json_schema 500, reasoning
models, junk arguments, empty drafts, slow drips, hangs) and checks the plan is an LLM plan with
valid citations or an honest degraded plan with the offline content.
"""

from __future__ import annotations

import time
from typing import Any

from llm_script import advisor_script, ask, assert_valid_citations, user_text

from agents.state import AREAS, AdoptionPlan
from evals.scripted_llm import JSON, Reply, ScriptedLLMServer, schema_name, structured_responder
from settings import Settings

LLAMA_CPP_JSON_SCHEMA_500 = "Input should be 'text' or 'json_object'"


def _no_tools_no_json_schema(answer: Any) -> Any:
    """An endpoint like llama.cpp behind a proxy that refuses tools: 400 for tools, 500 for json_schema."""

    def respond(request: JSON) -> Reply:
        if request.get("tools"):
            return Reply.error(400, "tools are not supported by this server")
        if (request.get("response_format") or {}).get("type") == "json_schema":
            return Reply.error(500, f"response_format.type: {LLAMA_CPP_JSON_SCHEMA_500}")
        return answer(request)

    return respond


def _outcomes(plan: AdoptionPlan) -> dict[str, str]:
    return {c.node: c.outcome for c in plan.llm}


def test_refused_tools_switch_to_json_schema_and_the_choice_is_remembered(
    seed_store: Any, scripted_llm: ScriptedLLMServer, llm_settings: Settings
) -> None:
    answer = structured_responder(advisor_script)

    def no_tools(request: JSON) -> Reply:
        return Reply.error(400, "tools are not supported") if request.get("tools") else answer(request)

    scripted_llm.responder = no_tools
    first = ask(seed_store, llm_settings)
    assert not first.degraded and set(_outcomes(first).values()) == {"llm"}
    assert {c.method for c in first.llm} == {"json_schema"}
    assert sum(bool(r.get("tools")) for r in scripted_llm.requests) == 1  # only the first call tried tools
    # every call is capped, as `max_tokens`: llama.cpp ignores `max_completion_tokens`
    assert all(r.get("max_tokens") and "max_completion_tokens" not in r for r in scripted_llm.requests)
    before = scripted_llm.calls
    second = ask(seed_store, llm_settings)
    assert not second.degraded and scripted_llm.calls - before == 6  # no tools attempt any more
    assert_valid_citations(second, seed_store)


def test_reasoning_model_content_behind_a_llama_cpp_like_server(
    seed_store: Any, scripted_llm: ScriptedLLMServer, llm_settings: Settings
) -> None:
    def thinking(request: JSON) -> Reply:
        return Reply.reasoning_model(advisor_script(str(_name(request)), request["messages"]))

    scripted_llm.responder = _no_tools_no_json_schema(thinking)
    plan = ask(seed_store, llm_settings)
    assert not plan.degraded and not plan.refused, plan.degraded_reasons  # the decoy in reasoning is ignored
    assert {c.method for c in plan.llm} == {"json_object"} and set(_outcomes(plan).values()) == {"llm"}
    json_object = [
        r for r in scripted_llm.requests if (r.get("response_format") or {}).get("type") == "json_object"
    ]
    assert json_object and all("schema" in r["response_format"] for r in json_object)
    assert all("JSON" in user_text(r["messages"]) for r in json_object)
    assert_valid_citations(plan, seed_store)


def _name(request: JSON) -> str | None:
    """The schema a content-mode request asks for, read from the JSON schema in its prompt."""
    text = user_text(request["messages"])
    for name, marker in (
        ("PlannerDecision", '"refuse"'), ("PlanDraft", '"summary"'), ("SpecialistDraft", '"challenges"'),
    ):  # fmt: skip
        if marker in text.rsplit("JSON schema", 1)[-1]:
            return name
    return schema_name(request)


def test_junk_arguments_get_one_repair_then_degrade(
    seed_store: Any, scripted_llm: ScriptedLLMServer, llm_settings: Settings
) -> None:
    answer = structured_responder(advisor_script)
    junk = {"unexpected": [1, 2, 3]}

    def junk_once(request: JSON) -> Reply:
        if schema_name(request) == "PlanDraft" and "<error>" not in user_text(request["messages"]):
            return Reply.tool("PlanDraft", junk)
        return answer(request)

    scripted_llm.responder = junk_once
    repaired = ask(seed_store, llm_settings)
    assert not repaired.degraded and _outcomes(repaired)["synthesizer"] == "repaired"
    repair_prompt = user_text(scripted_llm.requests[-1]["messages"])
    assert "unexpected" in repair_prompt and "Extra inputs are not permitted" in repair_prompt

    def always_junk(request: JSON) -> Reply:
        return Reply.tool("PlanDraft", junk) if schema_name(request) == "PlanDraft" else answer(request)

    scripted_llm.responder = always_junk
    before = scripted_llm.calls
    plan = ask(seed_store, llm_settings)
    assert scripted_llm.calls - before == 7  # the synthesizer tried twice
    assert plan.degraded and not plan.refused and plan.actions and plan.summary
    assert any(r.startswith("synthesizer: LLM call failed (schema:") for r in plan.degraded_reasons)
    assert _outcomes(plan)["synthesizer"] == "degraded"
    assert_valid_citations(plan, seed_store)


def test_an_empty_specialist_draft_is_a_failed_call(
    seed_store: Any, scripted_llm: ScriptedLLMServer, llm_settings: Settings
) -> None:
    def empty(name: str, messages: list[JSON]) -> JSON:
        return {} if name == "SpecialistDraft" else advisor_script(name, messages)

    scripted_llm.responder = structured_responder(empty)
    plan = ask(seed_store, llm_settings)
    reasons = " ".join(plan.degraded_reasons)
    assert all(f"specialist {a}: LLM call failed (unusable: no findings at all)" in reasons for a in AREAS)
    assert [schema_name(r) for r in scripted_llm.requests].count("SpecialistDraft") == 8  # one repair each
    assert plan.degraded and not plan.refused and plan.actions
    assert_valid_citations(plan, seed_store)


def test_a_draft_the_verifier_would_empty_falls_back_offline(
    seed_store: Any, scripted_llm: ScriptedLLMServer, llm_settings: Settings
) -> None:
    def unsupported(name: str, messages: list[JSON]) -> JSON:
        out = advisor_script(name, messages)
        if name == "PlanDraft":
            out["summary"] = "在月球上建立数据中心[E1]。"
            for action in out["actions"]:
                action["text"] = "在月球上建立数据中心"
        return out

    scripted_llm.responder = structured_responder(unsupported)
    plan = ask(seed_store, llm_settings)
    assert plan.degraded and not plan.refused and plan.actions
    assert "月球" not in plan.summary and all("月球" not in a.text for a in plan.actions)
    assert any("verifier would drop every statement" in r for r in plan.degraded_reasons)


def test_a_draft_whose_summary_the_verifier_would_drop_falls_back_offline(
    seed_store: Any, scripted_llm: ScriptedLLMServer, llm_settings: Settings
) -> None:
    """Supported actions under an unsupported summary would leave a plan with no summary at all."""

    def unsupported_summary(name: str, messages: list[JSON]) -> JSON:
        out = advisor_script(name, messages)
        if name == "PlanDraft":
            out["summary"] = "在月球上建立数据中心[E1]。"
        return out

    scripted_llm.responder = structured_responder(unsupported_summary)
    plan = ask(seed_store, llm_settings)
    assert plan.summary and plan.summary_citations and "月球" not in plan.summary
    assert plan.degraded and any("summary" in r for r in plan.degraded_reasons)
    assert _outcomes(plan)["synthesizer"] == "degraded"
    assert_valid_citations(plan, seed_store)


def _timed(store: Any, settings: Settings) -> tuple[AdoptionPlan, float]:
    started = time.monotonic()
    plan = ask(store, settings)
    return plan, time.monotonic() - started


def test_a_slow_drip_is_cut_at_the_call_deadline(
    seed_store: Any, scripted_llm: ScriptedLLMServer, llm_settings: Settings
) -> None:
    scripted_llm.responder = lambda request: Reply.drip(byte_sleep=1.0)  # 600 bytes: ten minutes
    plan, elapsed = _timed(seed_store, llm_settings.model_copy(update={"llm_timeout_s": 2.0}))
    assert elapsed < 60  # coarse: the drip alone would take 600 s; per-read timeouts never fire
    assert scripted_llm.calls == 1  # no retry after a timeout; later nodes do not call a hanging endpoint
    assert plan.degraded and not plan.refused and plan.actions
    assert plan.degraded_reasons[0].startswith("planner: LLM call failed (timeout")
    assert all("skipped" in r for r in plan.degraded_reasons[1:])
    assert_valid_citations(plan, seed_store)


def test_a_hang_costs_one_deadline_per_plan(
    seed_store: Any, scripted_llm: ScriptedLLMServer, llm_settings: Settings
) -> None:
    answer = structured_responder(advisor_script)

    def hang_specialists(request: JSON) -> Reply:
        if schema_name(request) == "SpecialistDraft":
            return Reply.data({}, sleep=600)
        return answer(request)

    scripted_llm.responder = hang_specialists
    plan, elapsed = _timed(seed_store, llm_settings.model_copy(update={"llm_timeout_s": 2.0}))
    assert elapsed < 60
    names = [schema_name(r) for r in scripted_llm.requests]
    assert names.count("SpecialistDraft") == 4 and "PlanDraft" not in names
    assert _outcomes(plan) == {"planner": "llm", **{f"specialist:{a}": "degraded" for a in AREAS},
                               "synthesizer": "degraded"}  # fmt: skip
    assert plan.degraded and plan.actions


def test_the_plan_budget_sends_later_nodes_offline(
    seed_store: Any, scripted_llm: ScriptedLLMServer, llm_settings: Settings
) -> None:
    answer = structured_responder(advisor_script)

    def slow(request: JSON) -> Reply:
        reply = answer(request)
        return Reply.data(reply.args, sleep=1.0)

    scripted_llm.responder = slow
    plan = ask(seed_store, llm_settings.model_copy(update={"llm_budget_s": 1.5}))
    specialists = [r for r in plan.degraded_reasons if r.startswith("specialist")]
    assert len(specialists) == 4 and all(("budget" in r) or ("skipped" in r) for r in specialists)
    assert plan.degraded and not plan.refused and plan.actions
    assert_valid_citations(plan, seed_store)


def test_a_stray_phase_lands_in_the_first_span(
    seed_store: Any, scripted_llm: ScriptedLLMServer, llm_settings: Settings
) -> None:
    """The phase has no `pattern` in the schema (llama.cpp's grammar crashes on it), so the node fixes it."""

    def stray(name: str, messages: list[JSON]) -> JSON:
        out = advisor_script(name, messages)
        if name == "PlanDraft":
            out["actions"][0]["phase"] = "first quarter"
        return out

    scripted_llm.responder = structured_responder(stray)
    plan = ask(seed_store, llm_settings)
    assert not plan.degraded and plan.actions[0].phase == plan.phases[0].id == "0-3"


def test_the_offline_fallback_never_builds_on_the_model_findings(
    seed_store: Any, scripted_llm: ScriptedLLMServer, llm_settings: Settings
) -> None:
    """A synthesizer that fails after specialists answered: the offline plan comes from offline findings."""

    def moon(name: str, messages: list[JSON]) -> JSON:
        if name == "SpecialistDraft":
            claim = {"text": "在月球上建立数据中心", "evidence_ids": ["E1"]}
            return {"challenges": [claim], "actions": [claim], "risks": [], "kpis": []}
        if name == "PlanDraft":
            return {"unexpected": [1, 2, 3]}
        return advisor_script(name, messages)

    scripted_llm.responder = structured_responder(moon)
    plan = ask(seed_store, llm_settings)
    assert plan.degraded and not plan.refused and plan.actions
    assert "月球" not in plan.model_dump_json()
    assert_valid_citations(plan, seed_store)


def test_the_plan_budget_never_exceeds_one_and_a_half_call_deadlines(
    seed_store: Any, scripted_llm: ScriptedLLMServer, llm_settings: Settings
) -> None:
    """Only the call deadline configured (2 s; the 90 s default budget left alone): calls of 1.2 s
    each fit their deadline, but the plan's three-call path does not fit 1.5 deadlines, so a later
    node answers offline and the plan stays within twice the deadline."""
    answer = structured_responder(advisor_script)
    scripted_llm.responder = lambda request: Reply.data(answer(request).args, sleep=1.2)
    settings = llm_settings.model_copy(update={"llm_timeout_s": 2.0})
    assert settings.llm_budget_s == 90.0 and settings.plan_llm_budget_s == 3.0
    plan = ask(seed_store, settings)
    assert _outcomes(plan)["planner"] == "llm"
    late = [c for c in plan.llm if c.outcome == "degraded"]
    assert late and all((c.reason or "").startswith(("budget", "timeout", "skipped")) for c in late)
    assert plan.degraded and not plan.refused and plan.actions
    assert_valid_citations(plan, seed_store)
