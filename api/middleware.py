"""A keyless server answers loopback clients only.

The bind check in `server.check_bind_allowed` stops `advisor serve` from exposing a keyless
server; this guard also covers `uvicorn server:app --host 0.0.0.0` started by hand.
"""

from __future__ import annotations

import ipaddress
import json

from starlette.types import ASGIApp, Receive, Scope, Send

from api.errors import error_body


def loopback_address(host: str) -> bool | None:
    """Whether `host` is a loopback address; None when it is not an address at all."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return None


def is_local_client(host: str | None) -> bool:
    # No address (unix socket) or a non-address name (Starlette's in-process TestClient) is local.
    return not host or loopback_address(host) is not False


class LoopbackOnly:
    """Pure ASGI middleware: refuses non-loopback clients with a JSON 403."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        client = scope.get("client")
        if scope["type"] != "http" or is_local_client(client[0] if client else None):
            await self.app(scope, receive, send)
            return
        message = "this server has no API keys configured and only serves loopback clients"
        body = json.dumps(error_body(403, message)).encode()
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": 403, "headers": headers})
        await send({"type": "http.response.body", "body": body})
