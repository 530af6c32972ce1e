"""The one place chat models are built, and the guarded structured call every LLM node uses.

Nodes never construct provider classes: they call `structured_call`, which builds the model
through `get_chat_model` (the seam tests replace), redacts PII from every message when the
settings ask for it, and asks for structured output by function calling, the form most
OpenAI-compatible servers (OpenAI, DeepSeek, Qwen, vLLM, Ollama) support. Transport failures
are retried with backoff by the client (`max_retries`); whatever still fails raises, and the
calling node falls back to its offline behaviour.
"""

from __future__ import annotations

import asyncio
import weakref
from functools import lru_cache
from typing import Any, TypeVar

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage
from langchain_core.runnables import Runnable
from langchain_core.utils.function_calling import convert_to_openai_tool
from pydantic import BaseModel, SecretStr

from agents.llm.prompts import LANGUAGE_NAMES, SYSTEM_PROMPT
from agents.llm.redact import redact
from agents.state import Language
from settings import Settings

M = TypeVar("M", bound=BaseModel)


_PER_LOOP: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[Any, Any]] = weakref.WeakKeyDictionary()


def _loop_cache() -> dict[Any, Any]:
    """Objects bound to the running event loop: HTTP pools and ready-made structured runnables.

    langchain-openai caches its default async client process-wide, bound to the first loop
    that used it; a later `asyncio.run` (CLI, evals, tests) would then fail with "Event loop
    is closed". Keying by loop keeps connection reuse without that trap, and reusing the
    structured runnable saves rebuilding the tool schema on every call.
    """
    return _PER_LOOP.setdefault(asyncio.get_running_loop(), {})


def get_chat_model(settings: Settings, *, streaming: bool = False) -> BaseChatModel:
    """A ChatOpenAI for the configured OpenAI-compatible endpoint.

    `streaming=True` lets the model stream when a caller listens (LangGraph's "messages"
    mode); otherwise streaming is disabled so tokens of intermediate calls stay internal.
    """
    # Imported on the first LLM call: the OpenAI client costs ~2 s to import, offline plans never need it.
    import openai
    from langchain_openai import ChatOpenAI

    key = settings.openai_api_key
    try:
        cache = _loop_cache()
        if "http" not in cache:
            cache["http"] = openai.DefaultAsyncHttpxClient()
        http_async_client = cache["http"]
    except RuntimeError:  # no running loop: synchronous use, the client's own default is fine
        http_async_client = None
    return ChatOpenAI(
        http_async_client=http_async_client,
        model=settings.model,
        base_url=settings.openai_base_url,
        api_key=SecretStr(key) if key else None,
        timeout=settings.llm_timeout_s,
        max_retries=settings.llm_max_retries,
        disable_streaming=not streaming,
        stream_usage=True,
    )


def prepare(text: str, settings: Settings) -> str:
    return redact(text)[0] if settings.redact_pii else text


def _structured(schema: type[BaseModel], settings: Settings, streaming: bool) -> Runnable[Any, Any]:
    endpoint = (settings.model, settings.openai_base_url, settings.openai_api_key)
    key = (get_chat_model, schema, streaming, *endpoint, settings.llm_timeout_s, settings.llm_max_retries)
    cache = _loop_cache()
    if key not in cache:
        model = get_chat_model(settings, streaming=streaming)
        cache[key] = model.with_structured_output(_tool(schema), method="function_calling")
    return cache[key]


@lru_cache(maxsize=32)
def _tool(schema: type[BaseModel]) -> dict[str, Any]:
    """The schema as an OpenAI tool, built once: langchain would re-derive it on every call."""
    return convert_to_openai_tool(schema)


async def structured_call(
    schema: type[M], prompt: str, *, settings: Settings, language: Language, streaming: bool = False
) -> M:
    """One LLM call returning `schema`; raises on transport errors and malformed output."""
    system = SYSTEM_PROMPT.format(language_name=LANGUAGE_NAMES[language])
    messages = [SystemMessage(prepare(system, settings)), HumanMessage(prepare(prompt, settings))]
    result = await _structured(schema, settings, streaming).ainvoke(messages)
    if result is None:
        raise ValueError(f"the model returned no {schema.__name__}")
    return schema.model_validate(result)


def failure(node: str, exc: BaseException) -> str:
    """A short degraded reason: what failed and that offline behaviour took over (no payloads)."""
    detail = str(exc).splitlines()[0][:160] if str(exc) else ""
    what = f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__
    return f"{node}: LLM call failed ({what}); used offline result"
