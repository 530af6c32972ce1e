"""Documents: list (with chunk counts and access), upload-and-ingest, delete. Writes need an admin key."""

from __future__ import annotations

import asyncio
import re
import time
from pathlib import PurePath
from typing import Annotated

from fastapi import APIRouter, File, Form, HTTPException, Path, Response, UploadFile, status
from starlette.concurrency import run_in_threadpool

from api.acl import visible_documents
from api.auth import GROUP_PATTERN, Principal
from api.deps import AdminDep, PrincipalDep, Services, ServicesDep
from api.models import Deleted, error_responses
from api.stores.audit import AuditEntry
from ingest import ingest_bytes
from store.documents.document import parse_access
from store.documents.loaders import SUPPORTED_SUFFIXES
from store.records import DocumentInfo, FileResult

router = APIRouter(prefix="/v1/documents", tags=["documents"])
_CHUNK = 1 << 20
_BAD_NAME = re.compile(r"[\x00-\x1f\x7f\\/]")


def _audit(
    services: Services,
    principal: Principal,
    endpoint: str,
    source: str,
    status_code: int,
    started: float,
    detail: str | None = None,
) -> None:
    services.audit.record(
        AuditEntry(
            principal=principal.name,
            role=principal.role,
            endpoint=endpoint,
            status=status_code,
            sources=[source],
            detail=detail,
            latency_ms=(time.perf_counter() - started) * 1000,
        )  # fmt: skip
    )


@router.get("", response_model=list[DocumentInfo], responses=error_responses(401, 429, 503))
async def list_documents(services: ServicesDep, principal: PrincipalDep) -> list[DocumentInfo]:
    """Viewers see the documents their groups allow; admins manage the corpus and see all of them."""
    documents: list[DocumentInfo] = await run_in_threadpool(services.store.list_documents)
    return documents if principal.is_admin else visible_documents(principal, documents)


def _filename(raw: str | None) -> str:
    name = PurePath((raw or "").replace("\\", "/")).name.strip()
    if not name or name.startswith(".") or _BAD_NAME.search(name) or len(name) > 200:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, detail=f"unusable file name {raw!r}")
    suffix = PurePath(name).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        kinds = ", ".join(sorted(SUPPORTED_SUFFIXES))
        raise HTTPException(
            status.HTTP_415_UNSUPPORTED_MEDIA_TYPE,
            detail=f"{name}: unsupported file type '{suffix or name}' (supported: {kinds})",
        )
    return name


def _groups(access: str | None) -> list[str] | None:
    if access is None or not access.strip():
        return None
    groups = parse_access(access)
    bad = [g for g in groups if not re.fullmatch(GROUP_PATTERN, g)]
    if bad:
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_CONTENT,
            detail=f"invalid access group {bad[0]!r}: use letters, digits, '_', '-' or '.'",
        )
    return groups


async def _read_limited(file: UploadFile, name: str, limit: int) -> bytes:
    data = bytearray()
    while chunk := await file.read(_CHUNK):
        data += chunk
        if len(data) > limit:
            raise HTTPException(
                status.HTTP_413_CONTENT_TOO_LARGE,
                detail=f"{name} is larger than the {limit >> 20} MB upload limit",
            )
    if not data:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, detail=f"{name} is empty")
    return bytes(data)


@router.post(
    "",
    response_model=FileResult,
    status_code=status.HTTP_201_CREATED,
    responses={
        200: {"model": FileResult, "description": "Unchanged"},
        **error_responses(400, 401, 403, 413, 415, 422, 429),
    },
    summary="Upload a document (.txt, .md, .pdf, .docx) and ingest it now",
)
async def upload_document(
    services: ServicesDep,
    principal: AdminDep,
    response: Response,
    file: Annotated[UploadFile, File(description="The document.")],
    access: Annotated[
        str | None, Form(description="Comma-separated groups; default: front matter, else public.")
    ] = None,
) -> FileResult:
    started = time.perf_counter()
    name = _filename(file.filename)
    groups = _groups(access)
    data = await _read_limited(file, name, int(services.settings.max_upload_mb * (1 << 20)))
    async with asyncio.timeout(services.settings.request_timeout_s):
        result: FileResult = await run_in_threadpool(ingest_bytes, name, data, services.store, access=groups)
    if result.status == "failed":
        message = f"{name}: {result.error or 'could not be ingested'}"
        _audit(services, principal, "POST /v1/documents", name, 422, started, message)
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, detail=message)
    _audit(
        services,
        principal,
        "POST /v1/documents",
        result.source,
        201,
        started,
        f"{result.status}, access={groups}",
    )
    if result.status == "unchanged":
        response.status_code = status.HTTP_200_OK
    return result


@router.delete("/{source:path}", response_model=Deleted, responses=error_responses(401, 403, 404, 429))
async def delete_document(
    services: ServicesDep,
    principal: AdminDep,
    source: Annotated[str, Path(description="The document's source.")],
) -> Deleted:
    started = time.perf_counter()
    chunks: int = await run_in_threadpool(services.store.delete_document, source)
    if not chunks:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"document {source} not found")
    _audit(services, principal, "DELETE /v1/documents/{source}", source, 200, started, f"{chunks} chunks")
    return Deleted(deleted=source, chunks=chunks)
