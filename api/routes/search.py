"""GET /v1/search: hybrid retrieval, filtered by the caller's groups before ranking."""

from __future__ import annotations

import asyncio
import time
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from starlette.concurrency import run_in_threadpool

from agents.language.glossary import expand_query
from agents.llm.redact import redact
from api.deps import PrincipalDep, ServicesDep
from api.models import error_responses
from api.planning import check_question
from api.stores.audit import AuditEntry
from store.records import Passage

router = APIRouter(prefix="/v1", tags=["search"])


@router.get(
    "/search",
    response_model=list[Passage],
    responses=error_responses(401, 413, 422, 429, 503),
    summary="Search the knowledge base (same fields as `advisor search --json`)",
)
async def search(
    services: ServicesDep,
    principal: PrincipalDep,
    q: Annotated[
        str, Query(description="The query, Chinese or English.", json_schema_extra={"pattern": r"\S"})
    ],
    k: Annotated[int, Query(ge=1, le=50)] = 5,
    method: Annotated[Literal["hybrid", "bm25", "vector"], Query()] = "hybrid",
) -> list[Passage]:
    started = time.perf_counter()
    query = check_question(services, q, "the query `q`")
    async with asyncio.timeout(services.settings.request_timeout_s):
        passages: list[Passage] = await run_in_threadpool(
            services.store.search, expand_query(query), k, groups=principal.search_groups, method=method
        )
    redacted, counts = redact(query)
    services.audit.record(
        AuditEntry(
            principal=principal.name,
            role=principal.role,
            endpoint="GET /v1/search",
            status=200,
            question=redacted,
            sources=list(dict.fromkeys(p.source for p in passages)),
            redactions={k: v for k, v in counts.items() if v},
            latency_ms=(time.perf_counter() - started) * 1000,
        )  # fmt: skip
    )
    return passages
