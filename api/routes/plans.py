"""POST /v1/plans (the plan JSON) and POST /v1/plans/stream (Server-Sent Events)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

from fastapi import APIRouter, HTTPException, status
from sse_starlette import EventSourceResponse, ServerSentEvent

from agents import service
from agents.state import AdoptionPlan
from api.deps import PrincipalDep, ServicesDep
from api.models import PlanRequest, ReviewDecision, StreamPlanRequest, error_responses
from api.planning import PlanCall, check_question, claim_thread, plan_events, run_plan_for, thread_not_found

router = APIRouter(prefix="/v1/plans", tags=["plans"])
ERRORS = error_responses(400, 401, 404, 413, 422, 429, 503, 504)

STREAM_DOC = """Server-Sent Events, in order:

- `progress`: `{node, status, ...counts}` for the planner and each specialist, synthesizer, verifier;
- `token`: `{text}` pieces of the summary as the model writes it (LLM mode only);
- `plan`: the final plan, the same JSON as `POST /v1/plans`;
- `review` (only with `review: true`): `{question, language, areas, subqueries, thread_id}`, the
  planner's decision; the stream ends and the run waits for `POST /v1/plans/resume` on that thread;
- `error`: `{status, detail}`, after which the stream ends.

Comment lines (`: ping`) are heartbeats. Closing the connection cancels the work.
"""


def _call(endpoint: str, body: PlanRequest | StreamPlanRequest, question: str) -> PlanCall:
    return PlanCall(
        endpoint=endpoint,
        question=question,
        thread_id=body.thread_id,
        profile=body.profile,
        areas=body.areas,
        review=isinstance(body, StreamPlanRequest) and body.review,
    )


def _stream(services: ServicesDep, principal: PrincipalDep, call: PlanCall) -> EventSourceResponse:
    async def events() -> AsyncIterator[ServerSentEvent]:
        async for name, data in plan_events(services, principal, call):
            yield ServerSentEvent(event=name, data=json.dumps(data, ensure_ascii=False))

    return EventSourceResponse(events(), ping=services.settings.sse_ping_s)


@router.post("", response_model=AdoptionPlan, responses=ERRORS, summary="Ask for a cited adoption plan")
async def create_plan(body: PlanRequest, services: ServicesDep, principal: PrincipalDep) -> AdoptionPlan:
    question = check_question(services, body.question)
    return await run_plan_for(services, principal, _call("POST /v1/plans", body, question))


@router.post(
    "/stream",
    response_class=EventSourceResponse,
    responses={200: {"content": {"text/event-stream": {}}, "description": STREAM_DOC}, **ERRORS},
    summary="Ask for a plan and follow its progress as Server-Sent Events",
    description=STREAM_DOC,
)
async def stream_plan(
    body: StreamPlanRequest, services: ServicesDep, principal: PrincipalDep
) -> EventSourceResponse:
    question = check_question(services, body.question)
    call = _call("POST /v1/plans/stream", body, question)
    if call.review and not call.thread_id:  # a paused run lives in a thread's checkpoints
        call.thread_id = services.threads.create(principal.name, title=question).id
    claim_thread(services, principal, call)
    return _stream(services, principal, call)


@router.post(
    "/resume",
    response_class=EventSourceResponse,
    responses={
        200: {"content": {"text/event-stream": {}}, "description": STREAM_DOC},
        **error_responses(400, 401, 404, 409, 413, 422, 429, 503, 504),
    },
    summary="Approve or edit a paused plan's decision and follow the rest of the run",
)
async def resume_plan(
    body: ReviewDecision, services: ServicesDep, principal: PrincipalDep
) -> EventSourceResponse:
    """Continues the run a `review: true` stream paused, on the same thread, with these areas."""
    key = services.threads.checkpoint(principal.name, body.thread_id)
    if key is None:
        raise thread_not_found(body.thread_id)
    waiting = await service.pending_review(services.threaded_graph, key)
    if waiting is None:
        raise HTTPException(
            status.HTTP_409_CONFLICT, detail=f"thread {body.thread_id} has no plan awaiting review"
        )
    call = PlanCall(
        endpoint="POST /v1/plans/resume", question=str(waiting["question"]), thread_id=body.thread_id,
        resume={"areas": body.areas, "subqueries": body.subqueries or {}}, checkpoint=key,
    )  # fmt: skip
    return _stream(services, principal, call)
