"""Documents: list (with chunk counts and access), upload-and-ingest, delete. Writes need an admin key.

Uploads are stored under generated file names (any display name works) and ingested by a
background job (api/upload_jobs.py), all or nothing. A name that is already taken answers 409:
a corpus document always (the next restart would put the corpus file back), an earlier upload
unless `replace=true`. A replacement keeps its access groups unless the upload gives new ones.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Callable
from pathlib import PurePath
from typing import Annotated

from fastapi import APIRouter, File, Form, HTTPException, Path, Response, UploadFile, status
from starlette.concurrency import run_in_threadpool

from api.acl import visible_documents
from api.auth import GROUP_PATTERN, Principal
from api.deps import AdminDep, PrincipalDep, Services, ServicesDep
from api.models import Deleted, error_responses
from api.stores.audit import AuditEntry
from api.upload_jobs import UploadJob
from store.documents.loaders import SUPPORTED_SUFFIXES, parse_access
from store.documents.uploads import upload_folder
from store.records import DocumentInfo, FileResult

router = APIRouter(prefix="/v1/documents", tags=["documents"])
jobs_router = APIRouter(prefix="/v1/uploads", tags=["documents"])
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


def _conflict(services: Services, name: str, documents: list[DocumentInfo], replace: bool) -> str | None:
    """Why an upload named `name` may not go ahead, if it may not."""
    if services.uploads.pending(name):
        return f"an upload of {name} is still being ingested; wait for it to finish"
    existing = next((d for d in documents if d.source == name), None)
    if existing is None:
        return None
    # Uploads from before the manifest kept the flag are known only to the local folder.
    if not existing.uploaded and name not in upload_folder(services.settings.data_dir / "uploads").files():
        return (
            f"{name} is a corpus document (from the knowledge folder), which the next restart would "
            "restore; change it there, or upload under another name"
        )
    if not replace:
        return f"{name} already exists; send replace=true to replace it"
    return None


def _finish_later(services: Services, principal: Principal) -> Callable[[UploadJob, float], None]:
    def finished(job: UploadJob, started: float) -> None:
        detail = job.detail or f"job {job.id}: {job.result.status if job.result else job.status}"
        endpoint = "POST /v1/documents (job)"
        _audit(services, principal, endpoint, job.source, job.status_code or 500, started, detail)

    return finished


@router.post(
    "",
    response_model=FileResult | UploadJob,
    status_code=status.HTTP_201_CREATED,
    responses={
        200: {"model": FileResult, "description": "Unchanged"},
        202: {"model": UploadJob, "description": "Still ingesting: follow `Location`"},
        **error_responses(400, 401, 403, 409, 413, 415, 422, 429, 503),
    },
    summary="Upload a document (.txt, .md, .pdf, .docx) and ingest it",
)
async def upload_document(
    services: ServicesDep,
    principal: AdminDep,
    response: Response,
    file: Annotated[UploadFile, File(description="The document.")],
    access: Annotated[
        str | None,
        Form(
            description="Comma-separated groups. Default: a replaced document keeps its access; "
            "a new one takes its front matter's, else public."
        ),
    ] = None,
    replace: Annotated[
        bool, Form(description="Replace an uploaded document of the same name (else 409).")
    ] = False,
) -> FileResult | UploadJob:
    """Ingested off the request path: the answer is the result (201 added or updated, 200 unchanged,
    422 refused) when the ingest ends within `ADVISOR_UPLOAD_WAIT_S`, else 202 and the job."""
    started = time.perf_counter()
    name = _filename(file.filename)
    groups = _groups(access)
    data = await _read_limited(file, name, int(services.settings.max_upload_mb * (1 << 20)))
    documents: list[DocumentInfo] = await run_in_threadpool(services.store.list_documents)
    if problem := _conflict(services, name, documents, replace):
        _audit(services, principal, "POST /v1/documents", name, 409, started, problem)
        raise HTTPException(status.HTTP_409_CONFLICT, detail=problem)
    if groups is None:  # a replacement keeps its access unless the upload says otherwise
        groups = next((d.access for d in documents if d.source == name), None)
    job, future = services.uploads.submit(name, data, groups)
    try:
        done = await asyncio.wait_for(
            asyncio.shield(asyncio.wrap_future(future)), services.settings.upload_wait_s
        )
    except TimeoutError:
        if services.uploads.detach(job.id, _finish_later(services, principal)):
            _audit(services, principal, "POST /v1/documents", name, 202, started, f"job {job.id} queued")
            response.status_code = status.HTTP_202_ACCEPTED
            response.headers["Location"] = f"/v1/uploads/{job.id}"
            return services.uploads.get(job.id) or job
        done = await asyncio.wrap_future(future)
    code = done.status_code or 500
    if done.result is None or done.status == "failed":
        _audit(services, principal, "POST /v1/documents", name, code, started, done.detail)
        raise HTTPException(code, detail=done.detail or f"{name} could not be ingested")
    result = done.result
    _audit(
        services,
        principal,
        "POST /v1/documents",
        result.source,
        code,
        started,
        f"{result.status}, access={groups}",
    )
    response.status_code = code
    return result


@jobs_router.get(
    "/{job_id}",
    response_model=UploadJob,
    responses=error_responses(401, 403, 404, 429),
    summary="An upload's ingest job: queued, running, done (with the result) or failed (with why)",
)
async def upload_job(services: ServicesDep, principal: AdminDep, job_id: str) -> UploadJob:
    job = services.uploads.get(job_id)
    if job is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"upload job {job_id} not found")
    return job


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
    upload_folder(services.settings.data_dir / "uploads").forget(source)
    _audit(services, principal, "DELETE /v1/documents/{source}", source, 200, started, f"{chunks} chunks")
    return Deleted(deleted=source, chunks=chunks)
