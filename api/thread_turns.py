"""One stored turn of a caller's own thread, re-checked against document access.

Feedback, exports and share links all name a turn as (thread, index). The thread must belong
to the caller (another principal's thread looks absent), and the plan is filtered through
`visible_plan`, so nothing a caller may no longer see leaves through an export.
"""

from __future__ import annotations

from fastapi import HTTPException, status
from starlette.concurrency import run_in_threadpool

from agents import service
from agents.state import AdoptionPlan
from api.acl import source_filter, visible_plan
from api.auth import Principal
from api.deps import Services
from api.planning import thread_not_found


async def owned_turn(services: Services, principal: Principal, thread_id: str, turn: int) -> AdoptionPlan:
    """The plan of turn `turn` (0-based; -1 is the latest) as this caller may see it."""
    key = services.threads.checkpoint(principal.name, thread_id)
    if key is None:
        raise thread_not_found(thread_id)
    turns = await service.athread_turns(services.checkpointer, key)
    if not -len(turns) <= turn < len(turns):
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"thread {thread_id} has no turn {turn}")
    may_see = source_filter(principal, await run_in_threadpool(services.store.list_documents))
    return visible_plan(turns[turn].plan, may_see).model_copy(update={"thread_id": thread_id})
