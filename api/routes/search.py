"""GET /v1/search: hybrid retrieval, filtered by the caller's groups before ranking."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import PrincipalDep, ServicesDep
from api.models import error_responses
from api.searching import Method, search_for
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
    method: Annotated[Method, Query()] = "hybrid",
) -> list[Passage]:
    return await search_for(
        services, principal, q, k, method=method, endpoint="GET /v1/search", what="the query `q`"
    )
