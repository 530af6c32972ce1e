"""GET /v1/audit: the audit log, newest first, for admins only."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import AdminDep, ServicesDep
from api.models import error_responses
from api.stores.audit import AuditEntry

router = APIRouter(prefix="/v1", tags=["audit"])


@router.get("/audit", response_model=list[AuditEntry], responses=error_responses(401, 403, 422, 429))
async def read_audit(
    services: ServicesDep,
    principal: AdminDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    who: Annotated[str | None, Query(alias="principal", max_length=128)] = None,
    endpoint: Annotated[str | None, Query(max_length=200, description="e.g. `POST /v1/plans`")] = None,
) -> list[AuditEntry]:
    return services.audit.query(limit=limit, principal=who, endpoint=endpoint)
