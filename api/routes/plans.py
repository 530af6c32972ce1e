"""POST /v1/plans (the plan JSON) and POST /v1/plans/stream (Server-Sent Events)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

from fastapi import APIRouter
from sse_starlette import EventSourceResponse, ServerSentEvent

from agents.state import AdoptionPlan
from api.deps import PrincipalDep, ServicesDep
from api.models import PlanRequest, error_responses
from api.planning import PlanCall, check_question, claim_thread, plan_events, run_plan_for

router = APIRouter(prefix="/v1/plans", tags=["plans"])
ERRORS = error_responses(400, 401, 404, 413, 422, 429, 503, 504)

STREAM_DOC = """Server-Sent Events, in order:

- `progress`: `{node, status, ...counts}` for the planner and each specialist, synthesizer, verifier;
- `token`: `{text}` pieces of the summary as the model writes it (LLM mode only);
- `plan`: the final plan, the same JSON as `POST /v1/plans`;
- `error`: `{status, detail}`, after which the stream ends.

Comment lines (`: ping`) are heartbeats. Closing the connection cancels the work.
"""


def _call(endpoint: str, body: PlanRequest, question: str) -> PlanCall:
    return PlanCall(
        endpoint=endpoint, question=question, thread_id=body.thread_id, profile=body.profile, areas=body.areas
    )


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
    body: PlanRequest, services: ServicesDep, principal: PrincipalDep
) -> EventSourceResponse:
    question = check_question(services, body.question)
    call = _call("POST /v1/plans/stream", body, question)
    claim_thread(services, principal, call)

    async def events() -> AsyncIterator[ServerSentEvent]:
        async for name, data in plan_events(services, principal, call):
            yield ServerSentEvent(event=name, data=json.dumps(data, ensure_ascii=False))

    return EventSourceResponse(events(), ping=services.settings.sse_ping_s)
