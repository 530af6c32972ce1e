"""Reading one document: its passages in order (the viewer behind a citation), and changing who
may read it (admins). A document the caller may not see answers 404, exactly like a missing one.

Paths sit outside `/v1/documents/{source}` on purpose: a source is a path and may end in anything."""

from __future__ import annotations

import time
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, status
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from api.auth import GROUP_PATTERN
from api.deps import AdminDep, PrincipalDep, ServicesDep
from api.models import error_responses
from api.stores.audit import AuditEntry
from store.records import PUBLIC, DocumentInfo, Passage

router = APIRouter(prefix="/v1", tags=["documents"])
Source = Annotated[str, Path(description="The document's source, as citations name it.")]


class DocumentPassage(BaseModel):
    chunk_id: str = Field(description="The id citations carry, so a viewer can find the cited passage.")
    section: str = ""
    page: int | None = Field(default=None, description="1-based page (PDF) or slide (PPTX), else null.")
    text: str


class DocumentPassages(BaseModel):
    source: str
    title: str
    passages: list[DocumentPassage] = Field(description="In reading order.")


class AccessChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    access: list[Annotated[str, Field(pattern=GROUP_PATTERN)]] = Field(
        default_factory=list, max_length=50, description="Groups that may read it; empty means public."
    )


def _not_found(source: str) -> HTTPException:
    return HTTPException(status.HTTP_404_NOT_FOUND, detail=f"document {source} not found")


@router.get(
    "/passages/{source:path}",
    response_model=DocumentPassages,
    responses=error_responses(401, 404, 429, 503),
    summary="A document's passages in reading order, for a caller allowed to see it",
)
async def document_passages(
    services: ServicesDep, principal: PrincipalDep, source: Source
) -> DocumentPassages:
    groups = None if principal.is_admin else principal.search_groups
    found: list[Passage] = await run_in_threadpool(services.store.passages_of, source, groups=groups)
    if not found:
        raise _not_found(source)
    return DocumentPassages(
        source=source,
        title=found[0].title,
        passages=[
            DocumentPassage(chunk_id=p.chunk_id, section=p.section, page=p.page, text=p.text) for p in found
        ],
    )


@router.put(
    "/access/{source:path}",
    response_model=DocumentInfo,
    responses=error_responses(400, 401, 403, 404, 413, 422, 429),
    summary="Change which groups may read a document (admins)",
)
async def change_access(
    services: ServicesDep, principal: AdminDep, source: Source, body: AccessChange
) -> DocumentInfo:
    started = time.perf_counter()
    groups = sorted(set(body.access)) or [PUBLIC]
    chunks: int = await run_in_threadpool(services.store.set_access, source, groups)
    if not chunks:
        raise _not_found(source)
    services.audit.record(
        AuditEntry(
            principal=principal.name,
            role=principal.role,
            endpoint="PUT /v1/access/{source}",
            status=200,
            sources=[source],
            detail=f"access={groups}",
            latency_ms=(time.perf_counter() - started) * 1000,
        )  # fmt: skip
    )
    documents: list[DocumentInfo] = await run_in_threadpool(services.store.list_documents)
    return next(d for d in documents if d.source == source)
