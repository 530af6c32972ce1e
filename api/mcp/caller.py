"""Who is asking, inside an MCP handler: the principal the endpoint authenticated, and the services."""

from __future__ import annotations

from typing import Any

from mcp.server import ServerRequestContext
from mcp.shared.exceptions import MCPError
from mcp.types import INTERNAL_ERROR

from api.auth import Principal
from api.deps import Services


def caller(ctx: ServerRequestContext[Any, Any]) -> tuple[Services, Principal]:
    """The services and principal of the HTTP request carrying this MCP message.

    `McpEndpoint` puts the principal on the request's state before the SDK sees the request, so
    a handler never runs for a caller that was not authenticated; without one it refuses."""
    request = ctx.request
    principal = getattr(getattr(request, "state", None), "principal", None)
    services = getattr(request.app.state, "services", None) if request is not None else None
    if not isinstance(principal, Principal) or not isinstance(services, Services):
        raise MCPError(code=INTERNAL_ERROR, message="no authenticated caller for this request")
    return services, principal
