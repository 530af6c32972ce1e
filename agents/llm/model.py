"""The one place chat models are built, and the guarded structured call every LLM node uses.

Nodes never construct provider classes: they call `structured_call`, which builds the model
through `get_chat_model` (the seam tests replace), redacts PII from every message when the
settings ask for it, and hands the call to `agents.llm.structured`: a chain of structured-output
methods under a hard deadline and the plan's budget. The client never retries on its own
(`max_retries=0`): a retry it sent after its own timeout would queue behind the abandoned
request on a one-request-at-a-time server such as llama.cpp.
"""

from __future__ import annotations

import asyncio
import weakref
from typing import Any, TypeVar

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage
from pydantic import BaseModel, SecretStr

from agents.llm import structured
from agents.llm.budget import LLMBudget
from agents.llm.prompts import LANGUAGE_NAMES, SYSTEM_PROMPT
from agents.llm.redact import redact
from agents.state import Language, LLMCall
from settings import Settings

M = TypeVar("M", bound=BaseModel)
CallFailed = structured.CallFailed

_PER_LOOP: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[Any, Any]] = weakref.WeakKeyDictionary()


def _loop_cache() -> dict[Any, Any]:
    """Objects bound to the running event loop: HTTP pools and ready-made models.

    langchain-openai caches its default async client process-wide, bound to the first loop
    that used it; a later `asyncio.run` (CLI, evals, tests) would then fail with "Event loop
    is closed". Keying by loop keeps connection reuse without that trap.
    """
    return _PER_LOOP.setdefault(asyncio.get_running_loop(), {})


def get_chat_model(settings: Settings, *, streaming: bool = False) -> BaseChatModel:
    """A chat model for the configured OpenAI-compatible endpoint (langchain's `init_chat_model`).

    `streaming=True` lets a caller listening in LangGraph's "messages" mode see tokens; the
    structured nodes never stream, so no token of a draft that later fails is ever shown.
    """
    # Imported on the first LLM call: the OpenAI client costs ~2 s to import, offline plans never need it.
    import openai
    from langchain.chat_models import init_chat_model

    key = settings.openai_api_key
    try:
        cache = _loop_cache()
        if "http" not in cache:
            cache["http"] = openai.DefaultAsyncHttpxClient()
        http_async_client = cache["http"]
    except RuntimeError:  # no running loop: synchronous use, the client's own default is fine
        http_async_client = None
    return init_chat_model(
        settings.model,
        model_provider="openai",
        http_async_client=http_async_client,
        base_url=settings.openai_base_url,
        api_key=SecretStr(key) if key else None,
        timeout=settings.llm_timeout_s,  # the hard deadline is `structured.call`'s; this is a backstop
        max_retries=0,
        disable_streaming=not streaming,
        stream_usage=True,
    )


def _model(settings: Settings) -> BaseChatModel:
    key = (
        get_chat_model,
        settings.model,
        settings.openai_base_url,
        settings.openai_api_key,
        settings.llm_timeout_s,
    )
    cache = _loop_cache()
    if key not in cache:
        cache[key] = get_chat_model(settings)
    return cache[key]  # type: ignore[no-any-return]


def prepare(text: str, settings: Settings) -> str:
    return redact(text)[0] if settings.redact_pii else text


async def structured_call(
    schema: type[M],
    prompt: str,
    *,
    settings: Settings,
    language: Language,
    node: str,
    budget: LLMBudget,
    check: structured.Check | None = None,
) -> tuple[M, LLMCall]:
    """One guarded LLM call returning `schema` and its record; raises `CallFailed` with the cause."""
    system = SYSTEM_PROMPT.format(language_name=LANGUAGE_NAMES[language])
    messages = [SystemMessage(prepare(system, settings)), HumanMessage(prepare(prompt, settings))]
    return await structured.call(
        _model(settings), schema, messages, node=node, settings=settings, budget=budget, check=check
    )


def failure(node: str, exc: BaseException) -> tuple[str, LLMCall]:
    """A short degraded reason (cause, no payload) and the call's record, for any exception."""
    if isinstance(exc, CallFailed):
        record = exc.record
    else:  # a bug or an unexpected client error: still degrade, still say what it was
        detail = str(exc).splitlines()[0][:160] if str(exc) else ""
        record = LLMCall(node=node, outcome="degraded", reason=f"{type(exc).__name__}: {detail}".rstrip(": "))
    return f"{node}: LLM call failed ({record.reason}); used offline result", record
