"""Structured output from any OpenAI-compatible server: a chain of methods, a deadline, one repair.

Servers differ in what they accept. OpenAI, DeepSeek, Qwen and vLLM honour a forced tool call;
llama.cpp's Python server answers `response_format: json_schema` with HTTP 500 but accepts
`json_object` with a schema; some Ollama models ignore tools; reasoning models put `<think>`
blocks and fences around their JSON. So a call tries, in order, tool calling, `json_schema`,
`json_object` and a plain prompt with tolerant extraction. A method the endpoint rejects (an
HTTP error naming it, or a reply without the forced tool call) is skipped for the rest of the
process; `ADVISOR_STRUCTURED_OUTPUT` pins one method instead.

Every call runs under one hard deadline (connect, all bytes, retries: `asyncio.timeout` around
the whole loop; the client itself never retries). Output that does not validate, or that the
node's own check finds unusable (empty, citing nothing retrieved), gets one repair attempt that
shows the model its error; then the call fails and the node answers offline. Failures keep
their cause (timeout, invalid JSON, no tool call, schema error...) for `degraded_reasons`.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any, Literal, TypeVar

import openai
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage
from langchain_core.utils.function_calling import convert_to_openai_tool
from pydantic import BaseModel, ValidationError

from agents.llm.budget import MIN_CALL_S, LLMBudget
from agents.llm.extract import ExtractionError, first_json_object, parse_arguments
from agents.llm.prompts import JSON_INSTRUCTION, REPAIR_PROMPT
from agents.state import LLMCall
from settings import Settings

log = logging.getLogger("advisor.llm")
M = TypeVar("M", bound=BaseModel)
Method = Literal["tools", "json_schema", "json_object", "prompt"]
METHODS: tuple[Method, ...] = ("tools", "json_schema", "json_object", "prompt")
Check = Callable[[Any], str | None]
_CHOSEN: dict[
    tuple[str | None, str], int
] = {}  # endpoint -> index of the first method still believed to work


class CallFailed(Exception):
    """A model call that produced nothing usable; `kind` is the cause, `record` its accounting."""

    def __init__(self, kind: str, message: str, record: LLMCall) -> None:
        super().__init__(f"{kind}: {message}")
        self.kind, self.record = kind, record
        record.outcome, record.reason = "degraded", str(self)


class _Unusable(ValueError):
    kind = "unusable"


def chosen_method(settings: Settings) -> Method:
    """The method the next call to this endpoint will try first."""
    if settings.structured_output != "auto":
        return settings.structured_output
    return METHODS[_CHOSEN.get(_endpoint(settings), 0)]


def _endpoint(settings: Settings) -> tuple[str | None, str]:
    return settings.openai_base_url, settings.model


def _skip(settings: Settings, method: Method, why: str) -> bool:
    """Remember that the endpoint cannot do `method`; False when no other method is left."""
    index = METHODS.index(method)
    if settings.structured_output != "auto" or index + 1 >= len(METHODS):
        return False
    endpoint = _endpoint(settings)
    _CHOSEN[endpoint] = max(_CHOSEN.get(endpoint, 0), index + 1)
    log.warning("structured output: %s does not work with %s (%s); using %s", method, endpoint, why,
                METHODS[_CHOSEN[endpoint]])  # fmt: skip
    return True


@lru_cache(maxsize=32)
def _schema_json(schema: type[BaseModel]) -> dict[str, Any]:
    return convert_to_openai_tool(schema)["function"]["parameters"]  # type: ignore[no-any-return]


def _limit(settings: Settings, max_tokens: int) -> dict[str, Any]:
    """The completion cap as each server reads it. langchain-openai sends `max_tokens` as
    `max_completion_tokens`, which OpenAI wants but llama.cpp, Ollama and others ignore (a
    llama.cpp server then generates until its context is full), so elsewhere it goes as `max_tokens`."""
    if not settings.openai_base_url or "api.openai.com" in settings.openai_base_url:
        return {"max_tokens": max_tokens}
    return {"extra_body": {"max_tokens": max_tokens}}


def _request(model: BaseChatModel, method: Method, schema: type[BaseModel], limit: dict[str, Any]) -> Any:
    name = schema.__name__
    if method == "tools":
        return model.bind_tools([convert_to_openai_tool(schema)], tool_choice=name).bind(**limit)
    formats = {
        "json_schema": {"type": "json_schema", "json_schema": {"name": name, "schema": _schema_json(schema)}},
        "json_object": {"type": "json_object", "schema": _schema_json(schema)},  # llama.cpp reads `schema`
    }
    if method in formats:
        return model.bind(response_format=formats[method], **limit)
    return model.bind(**limit)


def _messages(messages: Sequence[BaseMessage], method: Method, schema: type[BaseModel]) -> list[BaseMessage]:
    """Methods without a tool definition need the schema in the prompt (json_object needs 'JSON' there)."""
    if method == "tools":
        return list(messages)
    spec = json.dumps(_schema_json(schema), ensure_ascii=False, separators=(",", ":"))
    *head, last = messages
    return [*head, HumanMessage(f"{last.content}\n\n{JSON_INSTRUCTION.format(schema=spec)}")]


def _text(message: AIMessage) -> str:
    """The answer's text; `reasoning_content` (additional_kwargs) is deliberately never read."""
    content = message.content
    if isinstance(content, str):
        return content
    return "".join(p.get("text", "") if isinstance(p, dict) else str(p) for p in content)


def _raw(message: AIMessage) -> str:
    """Everything the model answered (content and tool arguments), to show it in a repair prompt."""
    args = [json.dumps(c["args"], ensure_ascii=False) for c in message.tool_calls]
    args += [str(c.get("args") or "") for c in message.invalid_tool_calls]
    return "\n".join([_text(message), *args]).strip()


def _payload(message: AIMessage, method: Method, name: str) -> dict[str, Any]:
    if method != "tools":
        return first_json_object(_text(message))
    for call in message.tool_calls:
        if call["name"] == name:
            return dict(call["args"])
    for bad in message.invalid_tool_calls:  # truncated or fenced arguments land here
        try:
            return parse_arguments(bad.get("args") or "")
        except ExtractionError as exc:
            raise ExtractionError("invalid_json", f"tool arguments are not JSON ({exc})") from None
    try:
        return first_json_object(_text(message))  # some servers answer a forced tool call in content
    except ExtractionError:
        raise ExtractionError("no_tool_call", f"the reply has no {name} tool call") from None


# A body that is no chat completion: the client's JSON decoder fails (a ValueError), or, for a
# non-JSON content type, langchain-openai refuses the text the client hands it (a ValueError too).
_JUNK_REPLY = (ValueError, openai.APIResponseValidationError)
_METHOD_WORDS = ("tool", "function", "response_format", "json_schema", "json_object", "schema", "grammar")


def _unsupported(exc: openai.APIStatusError) -> bool:
    """An HTTP error that rejects the way output was requested (a 4xx or, as llama.cpp answers
    json_schema, a 500 that names it), not a passing failure or a prompt the server refuses."""
    body = f"{exc.message} {exc.body}".lower()
    return exc.status_code == 501 or (exc.status_code >= 400 and any(w in body for w in _METHOD_WORDS))


def _usage(record: LLMCall, message: AIMessage) -> None:
    usage: Any = message.usage_metadata or {}
    record.prompt_tokens += int(usage.get("input_tokens") or 0)
    record.completion_tokens += int(usage.get("output_tokens") or 0)


async def call(
    model: BaseChatModel,
    schema: type[M],
    messages: Sequence[BaseMessage],
    *,
    node: str,
    settings: Settings,
    budget: LLMBudget,
    check: Check | None = None,
) -> tuple[M, LLMCall]:
    """`schema` from the model, or CallFailed; the record says how it went either way."""
    budget.start(settings.plan_llm_budget_s)
    record = LLMCall(node=node, outcome="degraded", method=chosen_method(settings))
    if budget.tripped:
        raise CallFailed("skipped", budget.tripped, record)
    window = budget.call_window(settings.llm_timeout_s)
    if window < min(MIN_CALL_S, settings.llm_timeout_s):
        raise CallFailed("budget", f"the plan's {budget.budget_s:g} s LLM budget is spent", record)
    started = time.monotonic()
    try:
        async with asyncio.timeout(window):
            return await _attempts(model, schema, messages, record, settings, budget, check), record
    except TimeoutError:
        budget.trip(f"an earlier call got no complete answer within {window:.1f} s")
        raise CallFailed("timeout", f"no complete answer within {window:.1f} s", record) from None
    finally:
        record.latency_ms = round((time.monotonic() - started) * 1000, 1)


async def _attempts(
    model: BaseChatModel,
    schema: type[M],
    messages: Sequence[BaseMessage],
    record: LLMCall,
    settings: Settings,
    budget: LLMBudget,
    check: Check | None,
) -> M:
    retries, repair_note = settings.llm_max_retries, None
    convo = list(messages)
    limit = _limit(settings, getattr(schema, "MAX_TOKENS", 1024))
    while True:
        method = record.method = chosen_method(settings)
        record.attempts += 1
        try:
            reply = await _request(model, method, schema, limit).ainvoke(_messages(convo, method, schema))
        except openai.APIStatusError as exc:
            if _unsupported(exc) and _skip(settings, method, f"HTTP {exc.status_code}"):
                continue
            if retries > 0 and (exc.status_code in (408, 409, 429) or exc.status_code >= 500):
                retries -= 1
                await asyncio.sleep(0.2)
                continue
            raise CallFailed("http", f"HTTP {exc.status_code} {str(exc.message)[:120]}", record) from None
        except _JUNK_REPLY as exc:  # bytes that are no chat completion at all: like a 5xx
            if retries > 0:
                retries -= 1
                await asyncio.sleep(0.2)
                continue
            raise CallFailed("invalid_response", f"the reply is not a chat completion ({type(exc).__name__})",
                             record) from None  # fmt: skip
        except openai.APIConnectionError as exc:  # includes the client's own timeout
            if retries > 0 and not isinstance(exc, openai.APITimeoutError):
                retries -= 1
                await asyncio.sleep(0.2)
                continue
            budget.trip(f"an earlier call could not reach the endpoint ({type(exc).__name__})")
            raise CallFailed("connection", type(exc).__name__, record) from None
        _usage(record, reply)
        try:
            value = schema.model_validate(_payload(reply, method, schema.__name__))
            if check is not None and (problem := check(value)):
                raise _Unusable(problem)
        except (ExtractionError, ValidationError, _Unusable) as exc:
            kind = exc.kind if isinstance(exc, ExtractionError | _Unusable) else "schema"
            detail = _detail(exc)
            if kind == "no_tool_call" and _skip(settings, method, "no tool call in the reply"):
                continue
            if repair_note is not None:
                raise CallFailed(kind, detail, record) from None
            repair_note = f"{kind}: {detail}"
            convo = [*messages, HumanMessage(REPAIR_PROMPT.format(answer=_raw(reply)[:2000], error=detail))]
            continue
        record.outcome, record.reason = ("repaired", repair_note) if repair_note else ("llm", None)
        return value


def _detail(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        errors = exc.errors()[:3]
        return "; ".join(f"{'.'.join(map(str, e['loc'])) or 'root'}: {e['msg']}" for e in errors)[:240]
    return str(exc)[:240]
