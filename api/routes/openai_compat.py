"""OpenAI-compatible endpoints, so internal tools can call the advisor like any chat model.

The last user message is the question; the messages before it are context. The answer's
content is the plan as Markdown with [n] markers and a numbered source list, and the
structured citations ride along in an extra `citations` field (on the last chunk when streaming).
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Literal

from fastapi import APIRouter, HTTPException, status
from sse_starlette import EventSourceResponse, ServerSentEvent

from agents import service
from agents.state import AdoptionPlan, Citation
from api.deps import PrincipalDep, Services, ServicesDep
from api.errors import error_body
from api.models import error_responses
from api.openai_models import (
    AssistantMessage,
    ChatCompletion,
    ChatCompletionChunk,
    ChatCompletionRequest,
    Choice,
    ChunkChoice,
    Delta,
    ModelCard,
    ModelList,
    Usage,
)
from api.planning import PlanCall, check_question, plan_events, run_plan_for

router = APIRouter(prefix="/v1", tags=["openai-compatible"])
PIECE_CHARS = 160


@router.get("/models", response_model=ModelList, responses=error_responses(401, 429))
async def list_models(principal: PrincipalDep) -> ModelList:
    return ModelList(data=[ModelCard()])


def _call(services: Services, body: ChatCompletionRequest) -> PlanCall:
    limit = services.settings.max_messages
    if len(body.messages) > limit:
        raise HTTPException(
            status.HTTP_413_CONTENT_TOO_LARGE, detail=f"{len(body.messages)} messages; the limit is {limit}"
        )
    last = max((i for i, m in enumerate(body.messages) if m.role == "user"), default=None)
    if last is None:
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_CONTENT, detail="no user message: nothing to answer"
        )
    question = check_question(services, body.messages[last].text())
    # Earlier user messages are the context a follow-up needs; system prompts and the advisor's
    # own earlier answers would only pollute retrieval. The most recent ones that fit are kept.
    earlier: list[str] = []
    room = services.settings.max_question_chars
    for message in reversed(body.messages[:last]):
        text = message.text().strip()
        if message.role != "user" or not text:
            continue
        if len(text) > room:
            break
        earlier.insert(0, text)
        room -= len(text)
    return PlanCall(endpoint="POST /v1/chat/completions", question=question, context="\n".join(earlier))


def _usage(prompt: str, completion: str) -> Usage:
    prompt_tokens, completion_tokens = max(1, len(prompt) // 4), max(1, len(completion) // 4)
    return Usage(
        prompt_tokens=prompt_tokens,
        completion_tokens=completion_tokens,
        total_tokens=prompt_tokens + completion_tokens,
    )


def _pieces(text: str) -> Iterator[str]:
    """Line-aligned pieces, so a streaming client renders whole lines as they come."""
    piece = ""
    for line in text.splitlines(keepends=True):
        piece += line
        if len(piece) >= PIECE_CHARS:
            yield piece
            piece = ""
    if piece:
        yield piece


@router.post(
    "/chat/completions",
    response_model=ChatCompletion,
    responses={
        200: {
            "content": {"text/event-stream": {}},
            "description": "A chat.completion, or chunks when `stream`.",
        },
        **error_responses(400, 401, 413, 422, 429, 503, 504),
    },
    summary="OpenAI Chat Completions: the plan as Markdown with [n] citations",
)
async def chat_completions(
    body: ChatCompletionRequest, services: ServicesDep, principal: PrincipalDep
) -> ChatCompletion | EventSourceResponse:
    call = _call(services, body)
    completion_id, created = f"chatcmpl-{uuid.uuid4().hex}", int(time.time())
    if not body.stream:
        plan = await run_plan_for(services, principal, call)
        content = service.plan_to_markdown(plan)
        return ChatCompletion(
            id=completion_id,
            created=created,
            choices=[Choice(message=AssistantMessage(content=content))],
            usage=_usage(call.context + call.question, content),
            citations=plan.citations,
        )

    def chunk(
        delta: Delta, finish: Literal["stop"] | None = None, citations: list[Citation] | None = None
    ) -> str:
        body = ChatCompletionChunk(
            id=completion_id, created=created, choices=[ChunkChoice(delta=delta, finish_reason=finish)]
        )
        data = body.model_dump(mode="json", exclude_none=True)  # deltas carry only what changed
        if citations is not None:
            data["citations"] = [c.model_dump(mode="json") for c in citations]
        return json.dumps(data, ensure_ascii=False)

    async def chunks() -> AsyncIterator[ServerSentEvent]:
        yield ServerSentEvent(data=chunk(Delta(role="assistant", content="")))
        async for name, data in plan_events(services, principal, call):
            if name == "plan":
                plan = AdoptionPlan.model_validate(data)
                for piece in _pieces(service.plan_to_markdown(plan)):
                    yield ServerSentEvent(data=chunk(Delta(content=piece)))
                yield ServerSentEvent(data=chunk(Delta(), "stop", plan.citations))
            elif name == "error":
                payload = error_body(int(data.get("status", 500)), str(data.get("detail", "error")))
                yield ServerSentEvent(data=json.dumps(payload, ensure_ascii=False))
                return
        yield ServerSentEvent(data="[DONE]")

    return EventSourceResponse(chunks(), ping=services.settings.sse_ping_s)
