"""The edge of the HTTP API: what every request passes through before and after the routes.

- Body limits: a JSON body past `json_limit`, an upload past `upload_limit`, is refused with a
  JSON 413 (Starlette's own limiter answers in plain text, so the app does not use it).
- JSON bodies holding lone UTF-16 surrogates (`"\\ud800"`) are refused with 422. They are valid
  JSON but not valid text, and would otherwise fail deep inside (UTF-8 encoding in the text code,
  in SQLite, in the LLM client) as a 500.
- Every error leaves as JSON with `detail`, whoever wrote it (a static file's 404, say).
- Every `/v1` request is audited exactly once. Routes that know more (the question, the cited
  sources) record their own entry; `AuditLog.record` marks the request as done, and for the rest
  (401, 403, 404, 413, 422, 429, 500, reads without side effects) the edge records method, route,
  status, latency and the error's detail.
"""

from __future__ import annotations

import json
import logging
import time
from http import HTTPStatus
from typing import Any

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.auth import LOCAL, Principal
from api.errors import error_body
from api.middleware import is_local_client
from api.stores.audit import AuditEntry, audit_scope

log = logging.getLogger("advisor.server")
UPLOAD_PATH = "/v1/documents"
_MAX_DETAIL = 500


def _phrase(status: int) -> str:
    return HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "error"


def _json_response(status: int, payload: dict[str, Any], headers: list[tuple[bytes, bytes]]) -> list[Message]:
    body = json.dumps(payload, ensure_ascii=False).encode()
    kept = [(k, v) for k, v in headers if k.lower() not in (b"content-type", b"content-length")]
    kept += [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    return [
        {"type": "http.response.start", "status": status, "headers": kept},
        {"type": "http.response.body", "body": body},
    ]


def json_error(status: int, body: bytes, content_type: str) -> dict[str, Any]:
    """The error body as JSON with `detail`: kept when it already is, wrapped otherwise."""
    if "json" in content_type:
        try:
            payload = json.loads(body)
        except ValueError:
            payload = None
        if isinstance(payload, dict):
            if isinstance(payload.get("detail"), str):
                return payload
            reason = payload.get("reason")
            return {**payload, **error_body(status, reason if isinstance(reason, str) else _phrase(status))}
    text = body.decode("utf-8", "replace").strip()[:_MAX_DETAIL]
    return error_body(status, text or _phrase(status))


def has_lone_surrogate(body: bytes) -> bool:
    """Whether a JSON body decodes to text that cannot be encoded as UTF-8."""
    try:
        value = json.loads(body)
    except (ValueError, RecursionError):  # malformed or absurdly nested: the route answers 4xx
        return False
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


class Edge:
    """Pure ASGI middleware: limits, text screening, JSON errors, one audit entry per request."""

    def __init__(self, app: ASGIApp, *, json_limit: int, upload_limit: int) -> None:
        self.app = app
        self.json_limit, self.upload_limit = json_limit, upload_limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        scope.setdefault("state", {})
        outcome: dict[str, Any] = {"status": 500, "detail": None}
        with audit_scope() as audited:
            try:
                await self._serve(scope, receive, send, outcome)
            finally:
                if scope["path"].startswith("/v1/") and not audited.done:
                    self._audit(scope, outcome, started)

    async def _serve(self, scope: Scope, receive: Receive, send: Send, outcome: dict[str, Any]) -> None:
        async def reply(status: int, message: str) -> None:
            for part in _json_response(status, error_body(status, message), []):
                await send(part)
            outcome.update(status=status, detail=message)

        headers = {k.lower(): v for k, v in scope.get("headers", [])}
        content_type = headers.get(b"content-type", b"").decode("latin-1").lower()
        upload = scope["path"].startswith(UPLOAD_PATH) and "multipart" in content_type
        limit = self.upload_limit if upload else self.json_limit
        try:
            declared = int(headers.get(b"content-length", b"0"))
        except ValueError:
            declared = 0
        if declared > limit:
            await reply(413, f"the request body has {declared} bytes; the limit is {limit}")
            return
        screen = not upload and ("json" in content_type or not content_type)
        if screen and scope["method"] in ("POST", "PUT", "PATCH"):
            body, tail = await _read_all(receive, limit)
            if body is None:
                await reply(413, f"the request body is larger than the limit of {limit} bytes")
                return
            if has_lone_surrogate(body):
                await reply(
                    422, "invalid request: the text contains a lone UTF-16 surrogate; send valid Unicode"
                )
                return
            receive = _replay(body, tail, receive)
        await self.app(scope, _counted(receive, limit), self._send_json_errors(send, outcome))

    def _send_json_errors(self, send: Send, outcome: dict[str, Any]) -> Send:
        """Passes responses through, rewriting error bodies that are not JSON with `detail`."""
        held: list[Message] = []

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                outcome.update(status=message["status"], started=True)
                if message["status"] < 400:
                    await send(message)
                    return
                held.append(message)
                return
            if not held or message["type"] != "http.response.body":
                await send(message)
                return
            held.append(message)
            if message.get("more_body"):
                return
            start, body = held[0], b"".join(m.get("body", b"") for m in held[1:])
            held.clear()
            content_type = dict(start.get("headers", [])).get(b"content-type", b"").decode("latin-1")
            payload = json_error(start["status"], body, content_type.lower())
            outcome["detail"] = str(payload.get("detail"))[:_MAX_DETAIL]
            for part in _json_response(start["status"], payload, list(start.get("headers", []))):
                await send(part)

        return send_wrapper

    def _audit(self, scope: Scope, outcome: dict[str, Any], started: float) -> None:
        services = getattr(scope["app"].state, "services", None) if "app" in scope else None
        if services is None:
            return
        principal = scope["state"].get("principal") or _caller(services, scope)
        route = scope.get("route")
        path = getattr(route, "path", None) or scope["path"][:200]
        try:
            services.audit.record(
                AuditEntry(
                    principal=principal.name if principal else "anonymous",
                    role=principal.role if principal else "none",
                    endpoint=f"{scope['method']} {path}",
                    status=int(outcome["status"]),
                    latency_ms=(time.perf_counter() - started) * 1000,
                    detail=outcome.get("detail"),
                )
            )
        except Exception:  # the audit must never turn an answer into a failure
            log.exception("could not write the audit entry")


def _caller(services: Any, scope: Scope) -> Principal | None:
    """Who sent a request the edge refused before authentication ran (for the audit only)."""
    if not services.keys.enabled:
        client = scope.get("client")
        return LOCAL if is_local_client(client[0] if client else None) else None
    header = dict(scope.get("headers", [])).get(b"authorization", b"").decode("latin-1")
    scheme, _, key = header.partition(" ")
    return services.keys.authenticate(key.strip()) if scheme.lower() == "bearer" and key else None


async def _read_all(receive: Receive, limit: int) -> tuple[bytes | None, list[Message]]:
    """The whole body (None when it passes `limit`) and any message that came after it."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return b"".join(chunks), [message]
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None, []
        chunks.append(chunk)
        if not message.get("more_body"):
            return b"".join(chunks), []


def _replay(body: bytes, tail: list[Message], receive: Receive) -> Receive:
    """The body read up front, then the connection again (SSE waits on it for a disconnect)."""
    pending: list[Message] = [{"type": "http.request", "body": body, "more_body": False}, *tail]

    async def receive_again() -> Message:
        return pending.pop(0) if pending else await receive()

    return receive_again


def _counted(receive: Receive, limit: int) -> Receive:
    """Counts streamed body bytes. The 413 is raised inside the route's body parsing, where the
    app's own error handlers turn it into the JSON answer."""
    size = 0

    async def receive_counted() -> Message:
        nonlocal size
        message = await receive()
        if message["type"] == "http.request":
            size += len(message.get("body", b""))
            if size > limit:
                raise HTTPException(413, detail=f"the request body is larger than the limit of {limit} bytes")
        return message

    return receive_counted
