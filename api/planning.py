"""Running the advisor for one request: limits, thread ownership, timeout, cancellation, audit.

`/v1/plans`, `/v1/plans/stream` and `/v1/chat/completions` all come through here, so every way
in obeys the same rules and leaves the same audit trail.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncGenerator, AsyncIterator
from contextlib import aclosing
from dataclasses import dataclass
from typing import Any, cast

from fastapi import HTTPException, status

from agents import service
from agents.llm.redact import redact
from agents.state import AdoptionPlan, Area, CompanyProfile
from api.auth import Principal
from api.deps import Services
from api.errors import status_for
from api.stores.audit import AuditEntry
from api.stores.errors import ConstraintError

log = logging.getLogger("advisor.server")
Event = tuple[str, dict[str, Any]]


@dataclass
class PlanCall:
    endpoint: str
    question: str
    thread_id: str | None = None
    profile: CompanyProfile | None = None
    areas: list[Area] | None = None
    context: str = ""  # earlier user messages (OpenAI endpoint); the plan's `question` stays the last one
    checkpoint: str | None = None  # where the thread lives in the checkpointer (`claim_thread` sets it)
    review: bool = False  # stream only: pause after the planner for the user's review
    resume: dict[str, Any] | None = None  # stream only: the reviewed decision a paused run continues with


def check_question(services: Services, question: str, what: str = "the question") -> str:
    """The stripped text; 422 when blank, 413 when longer than ADVISOR_MAX_QUESTION_CHARS."""
    text = question.strip()
    if not text:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, detail=f"{what} is empty")
    limit = services.settings.max_question_chars
    if len(text) > limit:
        raise HTTPException(
            status.HTTP_413_CONTENT_TOO_LARGE,
            detail=f"{what} has {len(text)} characters; the limit is {limit}",
        )
    return text


def thread_not_found(thread_id: str) -> HTTPException:
    return HTTPException(status.HTTP_404_NOT_FOUND, detail=f"thread {thread_id} not found")


def claim_thread(services: Services, principal: Principal, call: PlanCall) -> None:
    """Resolve the call's thread among the caller's own; an id they have not used yet becomes a new
    thread of theirs. Ids are per principal, so whether anyone else uses the same id never shows."""
    if not call.thread_id:
        return
    name = principal.name
    if (key := services.threads.checkpoint(name, call.thread_id)) is None:
        with contextlib.suppress(ConstraintError):  # a concurrent request of theirs made it
            services.threads.create(name, thread_id=call.thread_id, title=call.question)
        key = services.threads.checkpoint(name, call.thread_id)
    call.checkpoint = key


def _arguments(services: Services, principal: Principal, call: PlanCall) -> dict[str, Any]:
    # The graph reads context only from thread turns, so chat context travels in the question.
    question = f"{call.context}\n{call.question}" if call.context else call.question
    return {
        # Stateless plans skip the checkpointer: there is no thread to save into.
        "graph": services.threaded_graph if call.thread_id else services.graph,
        "question": question,
        "profile": call.profile,
        "areas": call.areas,
        "thread_id": call.checkpoint,
        "groups": principal.search_groups,
        "store": services.store,
        "settings": services.settings,
    }


def _audit(
    services: Services,
    principal: Principal,
    call: PlanCall,
    started: float,
    *,
    status_code: int,
    plan: AdoptionPlan | None = None,
    detail: str | None = None,
) -> None:
    redacted_question, counts = redact(call.question)
    _, context_counts = redact(call.context) if call.context else ("", {})
    redactions = {k: counts.get(k, 0) + context_counts.get(k, 0) for k in {*counts, *context_counts}}
    services.audit.record(
        AuditEntry(
            principal=principal.name,
            role=principal.role,
            endpoint=call.endpoint,
            status=status_code,
            mode=plan.mode if plan else services.settings.run_mode,
            question=redacted_question,
            thread_id=call.thread_id,
            sources=list(dict.fromkeys(c.source for c in plan.citations)) if plan else [],
            refused=plan.refused if plan else None,
            redactions={k: v for k, v in redactions.items() if v},
            latency_ms=(time.perf_counter() - started) * 1000,
            detail=detail,
        )
    )


OFFLINE_GRACE_S = 30.0  # what an offline plan may take after the model ran out of time


async def offline_instead(services: Services, principal: Principal, call: PlanCall) -> AdoptionPlan:
    """The offline plan, flagged, for a request whose LLM-mode plan missed the request timeout:
    a slow or hanging model must cost the caller quality, not the answer."""
    offline = services.settings.model_copy(update={"mode": "offline"})
    async with asyncio.timeout(OFFLINE_GRACE_S):
        plan = await service.run_plan(**{**_arguments(services, principal, call), "settings": offline})
    plan.degraded = True
    plan.degraded_reasons.append(
        f"the LLM-mode plan did not finish within {services.settings.request_timeout_s:g} s; "
        "this is the offline plan"
    )
    return plan


async def _plan_within_timeout(services: Services, principal: Principal, call: PlanCall) -> AdoptionPlan:
    try:
        async with asyncio.timeout(services.settings.request_timeout_s), services.plan_slots:
            return await service.run_plan(**_arguments(services, principal, call))
    except TimeoutError:
        if services.settings.run_mode != "llm":
            raise
    return await offline_instead(services, principal, call)


async def run_plan_for(services: Services, principal: Principal, call: PlanCall) -> AdoptionPlan:
    started = time.perf_counter()
    claim_thread(services, principal, call)
    try:
        plan = await _plan_within_timeout(services, principal, call)
        plan.question, plan.thread_id = call.question, call.thread_id
    except Exception as exc:
        code, message = status_for(exc)
        if isinstance(exc, TimeoutError):
            message = f"the advisor did not finish within {services.settings.request_timeout_s:g} s"
        _audit(services, principal, call, started, status_code=code, detail=message)
        if code == 500:
            raise
        raise HTTPException(code, detail=message) from None
    _audit(services, principal, call, started, status_code=200, plan=plan)
    if call.thread_id:
        services.threads.touch(call.thread_id, principal.name, call.question)
    return plan


async def _produce(
    services: Services, principal: Principal, call: PlanCall, queue: asyncio.Queue[Any]
) -> None:
    """Runs the graph and forwards its events; failures become one `error` event."""
    try:
        async with asyncio.timeout(services.settings.request_timeout_s):
            arguments = _arguments(services, principal, call) | {"review": call.review, "resume": call.resume}
            events = cast(AsyncGenerator[Event, None], service.stream_plan(**arguments))
            async with aclosing(events):
                # The announcement needs no work, so it goes out before waiting for a plan slot.
                await queue.put(await anext(events))
                async with services.plan_slots:
                    async for event in events:
                        await queue.put(event)
        await queue.put(None)
    except Exception as exc:
        if isinstance(exc, TimeoutError) and services.settings.run_mode == "llm":
            return await _stream_offline(services, principal, call, queue)
        code, message = status_for(exc)
        if isinstance(exc, TimeoutError):
            message = f"the advisor did not finish within {services.settings.request_timeout_s:g} s"
        elif code == 500:
            log.exception("plan stream failed")
        await queue.put(("error", {"status": code, "detail": message}))


async def _stream_offline(
    services: Services, principal: Principal, call: PlanCall, queue: asyncio.Queue[Any]
) -> None:
    try:
        plan = await offline_instead(services, principal, call)
    except Exception as exc:
        code, message = status_for(exc)
        await queue.put(("error", {"status": code, "detail": message}))
        return
    await queue.put(("plan", plan.model_dump(mode="json")))
    await queue.put(None)


async def plan_events(services: Services, principal: Principal, call: PlanCall) -> AsyncIterator[Event]:
    """The graph's events for one request. The graph runs in its own task, which is cancelled
    the moment the consumer stops listening (a client disconnect), so no work is left running.

    Call `claim_thread` before streaming starts.
    """
    started = time.perf_counter()
    queue: asyncio.Queue[Event | None] = asyncio.Queue()
    task = asyncio.create_task(_produce(services, principal, call, queue), name=f"plan:{call.endpoint}")
    plan: AdoptionPlan | None = None
    code: int = 499
    detail: str | None = "the client disconnected"
    try:
        while (event := await queue.get()) is not None:
            name, data = event
            if name == "plan":
                data["question"], data["thread_id"] = call.question, call.thread_id
                plan, code, detail = AdoptionPlan.model_validate(data), 200, None
            elif name == "error":
                code, detail = int(data.get("status", 500)), str(data.get("detail", "error"))
            elif name == "review":
                data["thread_id"] = call.thread_id  # the caller's id, not the checkpoint key
                code, detail = 202, "paused for review"
            yield event
            if name in ("error", "review"):
                return
        if plan is None:
            code, detail = 500, "the advisor produced no plan"
            yield "error", {"status": code, "detail": detail}
    finally:
        # No awaiting here: a cancelled consumer would be cancelled again at any await.
        task.cancel()
        _audit(services, principal, call, started, status_code=code, plan=plan, detail=detail)
        if plan is not None and call.thread_id:
            services.threads.touch(call.thread_id, principal.name, call.question)
