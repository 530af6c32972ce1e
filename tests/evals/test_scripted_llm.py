"""The scripted server speaks OpenAI well enough for the real clients the advisor uses.

If these fail, every LLM-mode integration test built on `scripted_llm` is suspect.
"""

from __future__ import annotations

import threading
from typing import Any

import httpx
import openai
import pytest
from langchain_openai import ChatOpenAI
from pydantic import BaseModel, Field, SecretStr

from evals.scripted_llm import Reply, ScriptedLLMServer, count_tokens, schema_name, structured_responder


class Verdict(BaseModel):
    answer: str = Field(description="The answer.")
    score: int


def _chat(server: ScriptedLLMServer, **kwargs: Any) -> ChatOpenAI:
    options: dict[str, Any] = {"max_retries": 0, "timeout": 10.0, **kwargs}
    return ChatOpenAI(model="gpt-4o-mini", base_url=server.base_url, api_key=SecretStr("test-key"), **options)


def test_plain_content_and_usage(scripted_llm: ScriptedLLMServer) -> None:
    scripted_llm.script(Reply.text("采用 AI 的第一步"))
    message = _chat(scripted_llm).invoke("hello")
    assert message.content == "采用 AI 的第一步"
    sent = scripted_llm.requests[0]["messages"]
    assert sent == [{"role": "user", "content": "hello"}]
    assert message.usage_metadata is not None
    assert message.usage_metadata["input_tokens"] == count_tokens(sent) == scripted_llm.prompt_tokens
    assert message.usage_metadata["output_tokens"] == count_tokens("采用 AI 的第一步")


def test_fixture_points_settings_at_the_server(scripted_llm: ScriptedLLMServer) -> None:
    from settings import get_settings

    settings = get_settings()
    assert settings.openai_base_url == scripted_llm.base_url
    assert settings.run_mode == "llm"
    scripted_llm.script(Reply.text("via env"))
    # No base_url/api_key passed: the client must pick up OPENAI_* from the fixture's env.
    assert ChatOpenAI(model="gpt-4o-mini", max_retries=0).invoke("x").content == "via env"


def test_streaming_yields_several_tokens_and_usage(scripted_llm: ScriptedLLMServer) -> None:
    scripted_llm.script(Reply.text("plan the pilot first 先试点"))
    chunks = list(_chat(scripted_llm, stream_usage=True).stream("go"))
    pieces = [c.content for c in chunks if isinstance(c.content, str) and c.content]
    assert "".join(pieces) == "plan the pilot first 先试点"
    assert len(pieces) >= 6
    assert scripted_llm.requests[0]["stream"] is True
    usage = [c.usage_metadata for c in chunks if c.usage_metadata]
    assert usage and usage[-1]["input_tokens"] == scripted_llm.prompt_tokens > 0


@pytest.mark.parametrize("method", ["json_schema", "function_calling"])
@pytest.mark.parametrize("stream", [False, True])
def test_structured_output_both_methods(scripted_llm: ScriptedLLMServer, method: str, stream: bool) -> None:
    seen: list[str] = []

    def answer(name: str, messages: list[dict[str, Any]]) -> dict[str, Any]:
        seen.append(name)
        return {"answer": messages[-1]["content"], "score": 7}

    scripted_llm.responder = structured_responder(answer)
    model = _chat(scripted_llm).with_structured_output(Verdict, method=method)  # type: ignore[arg-type]
    result = list(model.stream("ask"))[-1] if stream else model.invoke("ask")
    assert result == Verdict(answer="ask", score=7)
    assert seen == ["Verdict"]
    request = scripted_llm.requests[0]
    assert ("tools" in request) == (method == "function_calling")
    assert ("response_format" in request) == (method == "json_schema")


def test_default_structured_output_uses_response_format(scripted_llm: ScriptedLLMServer) -> None:
    """The installed ChatOpenAI defaults to json_schema; the server must answer in that form."""
    scripted_llm.responder = structured_responder(lambda name, _: {"answer": name, "score": 1})
    assert _chat(scripted_llm).with_structured_output(Verdict).invoke("x") == Verdict(
        answer="Verdict", score=1
    )
    assert schema_name(scripted_llm.requests[0]) == "Verdict"
    assert scripted_llm.requests[0]["response_format"]["type"] == "json_schema"


def test_explicit_tool_call_reply(scripted_llm: ScriptedLLMServer) -> None:
    scripted_llm.script(Reply.tool("Verdict", {"answer": "yes", "score": 2}))
    message = _chat(scripted_llm).bind_tools([Verdict]).invoke("x")
    assert message.tool_calls[0]["name"] == "Verdict"  # type: ignore[attr-defined]
    assert message.tool_calls[0]["args"] == {"answer": "yes", "score": 2}  # type: ignore[attr-defined]


def test_500_is_retried_by_the_client_then_raises(scripted_llm: ScriptedLLMServer) -> None:
    scripted_llm.script(Reply.error(500), Reply.error(500), Reply.error(500), Reply.text("never reached"))
    with pytest.raises(openai.InternalServerError):
        _chat(scripted_llm, max_retries=2).invoke("x")
    assert scripted_llm.calls == 3


def test_retry_recovers_after_a_429(scripted_llm: ScriptedLLMServer) -> None:
    scripted_llm.script(Reply.error(429, "slow down"), Reply.text("second try"))
    assert _chat(scripted_llm, max_retries=1).invoke("x").content == "second try"
    assert scripted_llm.calls == 2


def test_sleep_beyond_client_timeout_raises_timeout(scripted_llm: ScriptedLLMServer) -> None:
    scripted_llm.script(Reply.text("too late", sleep=30))
    with pytest.raises(openai.APITimeoutError):
        _chat(scripted_llm, timeout=0.3).invoke("x")


@pytest.mark.parametrize("stream", [False, True])
def test_malformed_json_raises(scripted_llm: ScriptedLLMServer, stream: bool) -> None:
    scripted_llm.script(Reply.malformed())
    model = _chat(scripted_llm)
    with pytest.raises(ValueError):  # json.JSONDecodeError is a ValueError
        list(model.stream("x")) if stream else model.invoke("x")


@pytest.mark.parametrize("stream", [False, True])
def test_truncated_response_raises(scripted_llm: ScriptedLLMServer, stream: bool) -> None:
    scripted_llm.script(Reply.truncated("one two three four five six", after_chunks=2))
    model = _chat(scripted_llm)
    with pytest.raises(openai.APIConnectionError):
        list(model.stream("x")) if stream else model.invoke("x")


def test_unscripted_call_is_reported(scripted_llm: ScriptedLLMServer) -> None:
    with pytest.raises(openai.InternalServerError, match="no reply scripted"):
        _chat(scripted_llm).invoke("x")
    assert scripted_llm.errors == ["no reply scripted for this call"]


def test_concurrent_calls_overlap(scripted_llm: ScriptedLLMServer) -> None:
    """Sleeping replies must not serialise the server, or parallelism benchmarks would lie."""
    scripted_llm.responder = lambda request: Reply.text("ok", sleep=0.3)
    model = _chat(scripted_llm)
    threads = [threading.Thread(target=model.invoke, args=(f"q{i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert scripted_llm.calls == 4
    assert scripted_llm.max_in_flight == 4


def test_requests_are_recorded_for_leak_checks(scripted_llm: ScriptedLLMServer) -> None:
    scripted_llm.script(Reply.text("ok"))
    _chat(scripted_llm).invoke("call me at 13800138000")
    assert "13800138000" in scripted_llm.sent_text()


def test_official_openai_client_streams(scripted_llm: ScriptedLLMServer) -> None:
    scripted_llm.script(Reply.text("alpha beta gamma"))
    client = openai.OpenAI(base_url=scripted_llm.base_url, api_key="test-key", max_retries=0)
    stream = client.chat.completions.create(
        model="gpt-4o-mini",
        messages=[{"role": "user", "content": "hi"}],
        stream=True,
        stream_options={"include_usage": True},
    )
    chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == "alpha beta gamma"
    assert chunks[-1].usage is not None and chunks[-1].usage.prompt_tokens == scripted_llm.prompt_tokens
    assert [m.id for m in client.models.list()] == ["gpt-4o-mini"]


def test_embeddings_are_deterministic_unit_vectors(scripted_llm: ScriptedLLMServer) -> None:
    client = openai.OpenAI(base_url=scripted_llm.base_url, api_key="test-key", max_retries=0)
    first = client.embeddings.create(model="e", input=["数据治理", "pilot", "数据治理"]).data  # base64 path
    floats = client.embeddings.create(model="e", input="数据治理", encoding_format="float").data
    assert first[0].embedding == first[2].embedding == pytest.approx(floats[0].embedding)
    assert first[0].embedding != first[1].embedding
    assert sum(v * v for v in first[1].embedding) == pytest.approx(1.0, rel=1e-4)


def test_tiktoken_guard_fails_loudly(scripted_llm: ScriptedLLMServer) -> None:
    """Proves the fixture's guard works, so the tests above show tiktoken was never needed."""
    import tiktoken.registry

    tiktoken.registry.ENCODINGS.clear()  # an encoding loaded elsewhere must not hide a download
    with pytest.raises(RuntimeError, match="tiktoken tried to download"):
        _chat(scripted_llm).get_num_tokens("hello")


def test_stop_closes_the_port_despite_a_sleeping_reply() -> None:
    server = ScriptedLLMServer([Reply.text("late", sleep=60)])
    model = _chat(server, timeout=0.2)
    with pytest.raises(openai.APITimeoutError):
        model.invoke("x")
    server.stop()
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{server.base_url}/models", timeout=1)
