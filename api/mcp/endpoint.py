"""`/mcp`: each HTTP request is authenticated like a REST call, then served by the SDK.

The SDK's `StreamableHTTPSessionManager` runs stateless, with JSON answers: every request
stands alone, so any server process behind a load balancer can answer it, and nothing about
a caller is remembered between requests (threads live in the advisor's own thread store). So
there is no stream for server-initiated messages: GET answers 405, as the protocol allows.
A keyless server (loopback only) also turns on the SDK's DNS-rebinding check, so a web page
cannot reach the local advisor through a hostile domain name.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import HTTPException
from fastapi.security.utils import get_authorization_scheme_param
from mcp.server import Server
from mcp.server.streamable_http_manager import StreamableHTTPSessionManager
from mcp.server.transport_security import TransportSecuritySettings
from mcp.types import ListToolsResult, PaginatedRequestParams
from starlette.datastructures import Headers
from starlette.types import Receive, Scope, Send

from api.auth import Principal
from api.deps import Services, authenticate
from api.errors import error_response
from api.mcp.resources import list_resources, read_resource
from api.mcp.tools import TOOLS, call_tool
from api.stores.audit import AuditEntry

LOOPBACK = TransportSecuritySettings(
    allowed_hosts=["127.0.0.1:*", "localhost:*", "[::1]:*"],
    allowed_origins=["http://127.0.0.1:*", "http://localhost:*", "http://[::1]:*"],
)


async def list_tools(_ctx: Any, _params: PaginatedRequestParams | None) -> ListToolsResult:
    return ListToolsResult(tools=[spec.tool for spec in TOOLS.values()])


def build_server(version: str) -> Server[Any]:
    return Server(
        "ai-adoption-advisor",
        version=version,
        title="AI adoption advisor",
        instructions="Cited AI adoption plans and search over the company's documents the caller may read.",
        get_tool_input_schema=lambda name: TOOLS[name].tool.input_schema if name in TOOLS else None,
        on_list_tools=list_tools,
        on_call_tool=call_tool,
        on_list_resources=list_resources,
        on_read_resource=read_resource,
    )


class McpEndpoint:
    """The ASGI app mounted at `/mcp`; `running()` belongs in the app's lifespan."""

    def __init__(self, version: str, *, keyless: bool) -> None:
        self.server = build_server(version)
        self.security = LOOPBACK if keyless else None
        self._manager: StreamableHTTPSessionManager | None = None

    @asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        # A session manager runs once, so each lifespan (tests start several) gets its own.
        manager = StreamableHTTPSessionManager(
            self.server, json_response=True, stateless=True, security_settings=self.security
        )
        async with manager.run():
            self._manager = manager
            try:
                yield
            finally:
                self._manager = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        services: Services | None = getattr(scope["app"].state, "services", None)
        if services is None or self._manager is None:
            await error_response(503, "the server is still starting")(scope, receive, send)
            return
        if scope["method"] != "POST":
            # Stateless: no stream for server-initiated messages (GET) and no session to end (DELETE).
            response = error_response(405, "the MCP endpoint takes POST only", headers={"Allow": "POST"})
            await response(scope, receive, send)
            return
        started = time.perf_counter()
        scheme, key = get_authorization_scheme_param(Headers(scope=scope).get("authorization"))
        principal: Principal | None = None
        try:
            principal = authenticate(services, key if scheme.lower() == "bearer" else None)
            services.limiter.check(principal.key_id)
        except HTTPException as exc:
            _audit_refusal(services, scope, principal, exc, started)
            response = error_response(exc.status_code, str(exc.detail), headers=dict(exc.headers or {}))
            await response(scope, receive, send)
            return
        scope.setdefault("state", {})["principal"] = principal
        await self._manager.handle_request(scope, receive, send)


def _audit_refusal(
    services: Services, scope: Scope, principal: Principal | None, exc: HTTPException, started: float
) -> None:
    """REST refusals are audited at the edge; this one never reaches a route, so it is audited here."""
    services.audit.record(
        AuditEntry(
            principal=principal.name if principal else "anonymous",
            role=principal.role if principal else "none",
            endpoint=f"{scope['method']} /mcp",
            status=exc.status_code,
            latency_ms=(time.perf_counter() - started) * 1000,
            detail=str(exc.detail),
        )  # fmt: skip
    )
