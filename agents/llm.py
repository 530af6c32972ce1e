"""The one place chat models are built, and the guarded structured call every LLM node uses.

Nodes never construct provider classes: they call `structured_call`, which builds the model
through `get_chat_model` (the seam tests replace), redacts PII from every message when the
settings ask for it, and asks for structured output by function calling, the form most
OpenAI-compatible servers (OpenAI, DeepSeek, Qwen, vLLM, Ollama) support. Transport failures
are retried with backoff by the client (`max_retries`); whatever still fails raises, and the
calling node falls back to its offline behaviour.
"""

from __future__ import annotations

from typing import TypeVar

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage
from pydantic import BaseModel, SecretStr

from agents.prompts import LANGUAGE_NAMES, SYSTEM_PROMPT
from agents.redact import redact
from agents.state import Language
from settings import Settings

M = TypeVar("M", bound=BaseModel)


def get_chat_model(settings: Settings, *, streaming: bool = False) -> BaseChatModel:
    """A ChatOpenAI for the configured OpenAI-compatible endpoint."""
    from langchain_openai import ChatOpenAI

    key = settings.openai_api_key
    return ChatOpenAI(
        model=settings.model,
        base_url=settings.openai_base_url,
        api_key=SecretStr(key) if key else None,
        timeout=settings.llm_timeout_s,
        max_retries=settings.llm_max_retries,
        streaming=streaming,
        disable_streaming=not streaming,
        stream_usage=True,
    )


def prepare(text: str, settings: Settings) -> str:
    return redact(text)[0] if settings.redact_pii else text


async def structured_call(
    schema: type[M], prompt: str, *, settings: Settings, language: Language, streaming: bool = False
) -> M:
    """One LLM call returning `schema`; raises on transport errors and malformed output."""
    system = SYSTEM_PROMPT.format(language_name=LANGUAGE_NAMES[language])
    messages = [SystemMessage(prepare(system, settings)), HumanMessage(prepare(prompt, settings))]
    model = get_chat_model(settings, streaming=streaming)
    result = await model.with_structured_output(schema, method="function_calling").ainvoke(messages)
    if isinstance(result, schema):
        return result
    if result is None:
        raise ValueError(f"the model returned no {schema.__name__}")
    return schema.model_validate(result)


def failure(node: str, exc: BaseException) -> str:
    """A short degraded reason: what failed and that offline behaviour took over (no payloads)."""
    detail = str(exc).splitlines()[0][:160] if str(exc) else ""
    what = f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__
    return f"{node}: LLM call failed ({what}); used offline result"
