"""Threads: create, list, read back (turns) and delete. Thread ids are per principal
(api/stores/threads.py): another principal's id is simply not one of yours, so it answers 404
exactly like a missing one, and using it creates your own thread.
"""

from __future__ import annotations

import time

from fastapi import APIRouter, HTTPException, Path, status
from starlette.concurrency import run_in_threadpool

from agents import service
from api.acl import source_filter, visible_plan
from api.deps import PrincipalDep, ServicesDep
from api.models import THREAD_ID_PATTERN, Deleted, ThreadCreate, ThreadDetail, ThreadRename, error_responses
from api.planning import thread_not_found
from api.stores.audit import AuditEntry
from api.stores.threads import ThreadInfo

router = APIRouter(prefix="/v1/threads", tags=["threads"])
ThreadId = Path(pattern=THREAD_ID_PATTERN, description="The thread's id.")


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=ThreadInfo,
    responses=error_responses(400, 401, 422, 429),
)
async def create_thread(
    services: ServicesDep, principal: PrincipalDep, body: ThreadCreate | None = None
) -> ThreadInfo:
    return services.threads.create(principal.name, title=body.title if body else None)


@router.get("", response_model=list[ThreadInfo], responses=error_responses(401, 429))
async def list_threads(services: ServicesDep, principal: PrincipalDep) -> list[ThreadInfo]:
    return services.threads.list(principal.name)


@router.get("/{thread_id}", response_model=ThreadDetail, responses=error_responses(401, 404, 422, 429))
async def get_thread(
    services: ServicesDep, principal: PrincipalDep, thread_id: str = ThreadId
) -> ThreadDetail:
    info = services.threads.get(thread_id, principal.name)
    key = services.threads.checkpoint(principal.name, thread_id)
    if info is None or key is None:
        raise thread_not_found(thread_id)
    turns = await service.athread_turns(services.checkpointer, key)
    may_see = source_filter(principal, await run_in_threadpool(services.store.list_documents))
    visible = [
        t.model_copy(
            update={"plan": visible_plan(t.plan, may_see).model_copy(update={"thread_id": thread_id})}
        )
        for t in turns
    ]
    return ThreadDetail(**info.model_dump(), turns=visible)


@router.patch(
    "/{thread_id}", response_model=ThreadInfo, responses=error_responses(400, 401, 404, 413, 422, 429)
)
async def rename_thread(
    body: ThreadRename, services: ServicesDep, principal: PrincipalDep, thread_id: str = ThreadId
) -> ThreadInfo:
    """Rename a thread of your own."""
    if not body.title.strip():
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, detail="the title is empty")
    info = services.threads.rename(thread_id, principal.name, body.title)
    if info is None:
        raise thread_not_found(thread_id)
    return info


@router.delete("/{thread_id}", response_model=Deleted, responses=error_responses(401, 404, 422, 429))
async def delete_thread(services: ServicesDep, principal: PrincipalDep, thread_id: str = ThreadId) -> Deleted:
    started = time.perf_counter()
    key = services.threads.checkpoint(principal.name, thread_id)
    if key is None:
        raise thread_not_found(thread_id)
    await services.checkpointer.adelete_thread(key)
    services.threads.delete(thread_id, principal.name)
    services.audit.record(
        AuditEntry(
            principal=principal.name,
            role=principal.role,
            endpoint="DELETE /v1/threads/{id}",
            status=200,
            thread_id=thread_id,
            latency_ms=(time.perf_counter() - started) * 1000,
        )  # fmt: skip
    )
    return Deleted(deleted=thread_id)
