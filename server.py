"""The advisor's HTTP server: app assembly only. Routes live in `api/`, one module per concern.

The lifespan builds the store, the checkpointer, the compiled graphs and the small registries
once; routes reach them through the dependencies in `api.deps`. Run it with `advisor serve` or
`uvicorn server:app`; either way a missing or stale corpus is ingested at startup.

Without API keys the single caller is the local user ("local", admin, unrestricted groups):
the server then refuses to bind anything but loopback and answers loopback clients only.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool
from starlette.routing import Match, Mount, Route
from starlette.types import Scope

from agents.checkpoint import open_checkpointer
from api.auth import KeyRing
from api.deps import Services
from api.edge import Edge
from api.errors import install_error_handlers
from api.mcp import McpEndpoint
from api.middleware import LoopbackOnly, loopback_address
from api.models import document_limits
from api.ratelimit import RateLimiter
from api.routes import audit, document_view, documents, exports, health, openai_compat, plans, search, threads
from api.routes import feedback as feedback_routes
from api.routes.health import app_version
from api.stores.opening import open_stores
from api.upload_jobs import UploadJobs
from graph import build_graph, graph
from ingest import format_report, ingest_paths, store_is_stale
from settings import REPO_ROOT, Settings, get_settings
from store.documents.uploads import upload_folder
from store.knowledge import KnowledgeStore, get_store
from store.records import IngestReport

log = logging.getLogger("advisor.server")
WEB_DIR = REPO_ROOT / "web"
JSON_BODY_LIMIT = 4 << 20  # questions are capped far below this; it only stops abuse early
MULTIPART_OVERHEAD = 1 << 20  # form boundaries and the `access` field around an upload
API_PATHS = ("/v1/", "/mcp", "/healthz", "/readyz", "/docs", "/redoc", "/openapi.json")


class UiMount(Mount):
    """The chat UI at `/`. It never claims API paths, so those keep their own 404 and 405 answers."""

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope.get("path", "").startswith(API_PATHS):
            return Match.NONE, {}
        return super().matches(scope)


def check_bind_allowed(host: str, settings: Settings | None = None) -> None:
    """Refuses a non-loopback bind without API keys; warns when serving keyless on loopback."""
    settings = settings or get_settings()
    if KeyRing.from_file(settings.api_keys_file).enabled:
        return
    if not loopback_address(host):
        raise RuntimeError(
            f"refusing to serve on {host} without API keys: set ADVISOR_API_KEYS_FILE "
            "to a JSON list of keys, or bind 127.0.0.1"
        )
    log.warning("no API keys configured (ADVISOR_API_KEYS_FILE): serving %s to loopback clients only", host)


def ensure_ingested(
    settings: Settings | None = None, store: KnowledgeStore | None = None
) -> IngestReport | None:
    """Ingests the knowledge folder when the store is empty or stale; prints the summary line."""
    settings = settings or get_settings()
    store = store or get_store(settings)
    folder = settings.knowledge_dir
    if not folder.is_dir():
        log.warning("knowledge folder %s does not exist; nothing to ingest", folder)
        return None
    if store.count() and not store_is_stale(folder, store):
        return None
    report = ingest_paths([folder], store, root=folder)
    print(format_report(report), file=sys.stderr)
    return report


def create_app(
    settings: Settings | None = None, *, store: KnowledgeStore | None = None, auto_ingest: bool = True
) -> FastAPI:
    """The app. Tests pass their own settings and an already ingested store."""
    settings = settings or get_settings()
    keys = KeyRing.from_file(settings.api_keys_file)  # a bad keys file fails here, before serving
    limiter = RateLimiter(settings.rate_limit, settings.redis_url)
    mcp_endpoint = McpEndpoint(app_version(), keyless=not keys.enabled)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if not keys.enabled:
            log.warning("no API keys configured: every caller is the local admin; loopback clients only")
        knowledge = store or get_store(settings)  # the same store `advisor serve` just ingested into
        if auto_ingest:
            await run_in_threadpool(ensure_ingested, settings, knowledge)
        async with AsyncExitStack() as stack:
            saver = await stack.enter_async_context(open_checkpointer(settings))
            stores = stack.enter_context(open_stores(settings.database_url, settings.data_dir))
            if removed := upload_folder(settings.data_dir / "uploads").clean():
                log.warning("removed %d files left by interrupted uploads", len(removed))
            uploads = UploadJobs(
                knowledge, settings.upload_worker_mb, settings.upload_timeout_s, board=stores.jobs
            )
            stack.callback(uploads.close)
            await stack.enter_async_context(mcp_endpoint.running())
            app.state.services = Services(
                settings=settings,
                store=knowledge,
                checkpointer=saver,
                graph=graph,
                threaded_graph=build_graph(saver),
                keys=keys,
                threads=stores.threads,
                audit=stores.audit,
                limiter=limiter,
                uploads=uploads,
                feedback=stores.feedback,
                plan_slots=asyncio.Semaphore(settings.max_concurrent_plans),
            )
            yield
            app.state.services = None

    app = FastAPI(
        title="AI adoption advisor",
        version=app_version(),
        description="Cited AI adoption plans from the knowledge base: REST, SSE and OpenAI-compatible.",
        lifespan=lifespan,
    )
    # Uploads may be larger than JSON bodies; the route itself enforces the exact file limit.
    upload_body = int(settings.max_upload_mb * (1 << 20)) + MULTIPART_OVERHEAD
    if not keys.enabled:
        app.add_middleware(LoopbackOnly)
    app.add_middleware(Edge, json_limit=JSON_BODY_LIMIT, upload_limit=upload_body)  # outermost
    install_error_handlers(app)
    for module in (
        health,
        plans,
        threads,
        exports,
        search,
        openai_compat,
        audit,
        documents,
        feedback_routes,
        document_view,
    ):
        app.include_router(module.router)
    app.include_router(documents.jobs_router)
    app.router.routes.append(Route("/mcp", endpoint=mcp_endpoint, name="mcp"))  # MCP, streamable HTTP
    if WEB_DIR.is_dir():
        app.router.routes.append(UiMount("/", app=StaticFiles(directory=WEB_DIR, html=True), name="web"))

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = document_limits(
                get_openapi(
                    title=app.title, version=app.version, description=app.description, routes=app.routes
                ),
                max_question_chars=settings.max_question_chars,
                max_messages=settings.max_messages,
            )
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app


app = create_app()
