"""Liveness, readiness and the public configuration the chat UI reads before anything else."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from api.deps import PrincipalDep, ServicesDep
from api.models import ConfigInfo, Health, Readiness, error_responses

router = APIRouter(tags=["health"])


def app_version() -> str:
    try:
        return version("ai-adoption-advisor")
    except PackageNotFoundError:
        return "0+unknown"


@router.get("/healthz", response_model=Health, summary="Liveness")
async def healthz() -> Health:
    return Health()


@router.get(
    "/readyz",
    response_model=Readiness,
    responses={503: {"model": Readiness, "description": "Not ready"}},
    summary="Readiness: the store answers and the corpus is ingested",
)
async def readyz(services: ServicesDep) -> Readiness | JSONResponse:
    def probe() -> Readiness:
        if not services.store.ping():
            return Readiness(status="not ready", reason="the knowledge store does not answer")
        if not services.store.count():
            return Readiness(status="not ready", reason="the knowledge base is empty; run `advisor ingest`")
        return Readiness(status="ready")

    try:
        result = await run_in_threadpool(probe)
    except Exception as exc:  # readiness reports failures, it does not raise them
        result = Readiness(status="not ready", reason=f"the knowledge store failed: {type(exc).__name__}")
    if result.status != "ready":
        return JSONResponse(result.model_dump(), status_code=503)
    return result


@router.get("/v1/config", response_model=ConfigInfo, summary="What the UI needs to know (no key needed)")
async def config(services: ServicesDep) -> ConfigInfo:
    settings = services.settings
    return ConfigInfo(
        auth_required=services.keys.enabled,
        mode=settings.run_mode,
        model=settings.model if settings.llm_enabled else None,
        version=app_version(),
        max_question_chars=settings.max_question_chars,
    )


class Me(BaseModel):
    principal: str
    role: str
    groups: list[str] | None = Field(description="Access groups; null means unrestricted.")


@router.get(
    "/v1/me", response_model=Me, responses=error_responses(401, 429), summary="Who the key belongs to"
)
async def me(principal: PrincipalDep) -> Me:
    """The UI shows admin tools (document management, feedback export) only to admins."""
    groups = None if principal.groups is None else list(principal.groups)
    return Me(principal=principal.name, role=principal.role, groups=groups)
