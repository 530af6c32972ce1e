"""The documents as MCP resources: a caller lists and reads exactly the documents REST shows them.

Admins see every document (they manage the corpus, as `GET /v1/documents` shows them); a viewer
sees the documents their groups allow. A document the caller may not see reads as not found,
exactly like a missing one, so its existence never shows.
"""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import quote, unquote

from mcp.server import ServerRequestContext
from mcp.shared.exceptions import MCPError
from mcp.types import (
    INVALID_PARAMS,
    ListResourcesResult,
    PaginatedRequestParams,
    ReadResourceRequestParams,
    ReadResourceResult,
    Resource,
    TextResourceContents,
)
from starlette.concurrency import run_in_threadpool

from api.acl import visible_documents
from api.auth import Principal
from api.deps import Services
from api.mcp.caller import caller
from api.stores.audit import AuditEntry
from store.records import DocumentInfo, Passage

PREFIX = "advisor://documents/"
MIME = "text/markdown"


def document_uri(source: str) -> str:
    return PREFIX + quote(source, safe="/")


def _source(uri: str) -> str | None:
    """The source a document URI names; None for any other URI."""
    if not uri.startswith(PREFIX):
        return None
    return unquote(uri.removeprefix(PREFIX)) or None


def _resource(d: DocumentInfo) -> Resource:
    kind = f"{d.format} document" if d.format else "document"
    return Resource(
        uri=document_uri(d.source),
        name=d.source,
        title=d.title,
        description=f"{kind}, {d.chunks} passages",
        mime_type=MIME,
    )


async def list_resources(
    ctx: ServerRequestContext[Any, Any], params: PaginatedRequestParams | None
) -> ListResourcesResult:
    services, principal = caller(ctx)
    documents: list[DocumentInfo] = await run_in_threadpool(services.store.list_documents)
    shown = documents if principal.is_admin else visible_documents(principal, documents)
    return ListResourcesResult(resources=[_resource(d) for d in shown])


def _markdown(passages: list[Passage]) -> str:
    """The document's passages in reading order, with a heading wherever the section changes."""
    out, section = [f"# {passages[0].title}"], ""
    for p in passages:
        if p.section and p.section != section:
            section = p.section
            out.append(f"## {section}")
        out.append(p.text.strip())
    return "\n\n".join(out) + "\n"


def _audit(services: Services, principal: Principal, source: str, status: int, started: float) -> None:
    services.audit.record(
        AuditEntry(
            principal=principal.name,
            role=principal.role,
            endpoint="MCP resources/read",
            status=status,
            sources=[source],
            latency_ms=(time.perf_counter() - started) * 1000,
        )  # fmt: skip
    )


async def read_resource(
    ctx: ServerRequestContext[Any, Any], params: ReadResourceRequestParams
) -> ReadResourceResult:
    started = time.perf_counter()
    services, principal = caller(ctx)
    source = _source(params.uri)
    groups = None if principal.is_admin else principal.search_groups
    found: list[Passage] = (
        await run_in_threadpool(services.store.passages_of, source, groups=groups) if source else []
    )
    if not found:
        _audit(services, principal, source or params.uri[:200], 404, started)
        raise MCPError(
            code=INVALID_PARAMS, message=f"resource {params.uri} not found", data={"uri": params.uri}
        )
    _audit(services, principal, found[0].source, 200, started)
    return ReadResourceResult(
        contents=[TextResourceContents(uri=params.uri, mime_type=MIME, text=_markdown(found))]
    )
