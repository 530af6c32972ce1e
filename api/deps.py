"""Dependencies: the services the lifespan builds once, and the caller's principal.

Routes declare what they need with the `Annotated` aliases below and never build anything.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.auth import LOCAL, KeyRing, Principal
from api.ratelimit import RateLimiter
from api.stores.audit import AuditLog
from api.stores.feedback import FeedbackStore
from api.stores.threads import ThreadRegistry
from api.upload_jobs import UploadJobs
from settings import Settings

if TYPE_CHECKING:
    from store.knowledge import KnowledgeStore


@dataclass
class Services:
    settings: Settings
    store: KnowledgeStore
    checkpointer: Any  # AsyncSqliteSaver; typed loosely so importing this module stays light
    graph: Any  # the compiled advisor graph for stateless plans
    threaded_graph: Any  # the same graph compiled with the checkpointer, for plans in a thread
    keys: KeyRing
    threads: ThreadRegistry
    audit: AuditLog
    limiter: RateLimiter
    uploads: UploadJobs
    feedback: FeedbackStore
    # Plans past this many wait their turn: fewer threads contend for the GIL, so the event
    # loop keeps answering (first SSE events, health checks) while plans queue.
    plan_slots: asyncio.Semaphore = field(default_factory=lambda: asyncio.Semaphore(4))


async def get_services(request: Request) -> Services:
    services: Services | None = getattr(request.app.state, "services", None)
    if services is None:  # only when the app is used without its lifespan
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, detail="the server is still starting")
    return services


ServicesDep = Annotated[Services, Depends(get_services)]

_bearer = HTTPBearer(
    auto_error=False,
    description="An API key from ADVISOR_API_KEYS_FILE. Not needed when the server runs keyless on loopback.",
)


def authenticate(services: Services, key: str | None) -> Principal:
    """The principal holding the bearer `key` (the local user when the server is keyless); 401 else.

    REST routes and the MCP endpoint both authenticate here, so both refuse a caller alike."""
    if not services.keys.enabled:
        return LOCAL
    challenge = {"WWW-Authenticate": "Bearer"}
    if not key:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            detail="missing API key: send `Authorization: Bearer <key>`",
            headers=challenge,
        )
    found = services.keys.authenticate(key)
    if found is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, detail="invalid API key", headers=challenge)
    return found


async def get_principal(
    request: Request,
    services: ServicesDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    """Authenticates the bearer key (when keys are configured) and counts the request against its limit."""
    principal = authenticate(services, credentials.credentials if credentials else None)
    services.limiter.check(principal.key_id)
    request.state.principal = principal
    return principal


PrincipalDep = Annotated[Principal, Depends(get_principal)]


async def require_admin(principal: PrincipalDep) -> Principal:
    if not principal.is_admin:
        raise HTTPException(
            status.HTTP_403_FORBIDDEN, detail=f"{principal.name} is a viewer; this needs an admin key"
        )
    return principal


AdminDep = Annotated[Principal, Depends(require_admin)]
