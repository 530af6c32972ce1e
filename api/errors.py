"""One JSON error shape for every failure, and the mapping from internal errors to statuses.

Users get `{"detail": ..., "error": {"message", "type", "code"}}`: `detail` is what FastAPI
clients expect, `error` is what OpenAI clients read. Stack traces only ever reach the log.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from store.knowledge import EmbedderMismatchError, StoreUnavailableError


def error_body(status: int, message: str) -> dict[str, Any]:
    kind = (
        HTTPStatus(status).phrase.lower().replace(" ", "_")
        if status in HTTPStatus._value2member_map_
        else "error"
    )
    return {"detail": message, "error": {"message": message, "type": kind, "code": status}}


def error_response(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(error_body(status, message), status_code=status, headers=headers)


def status_for(exc: BaseException) -> tuple[int, str]:
    """Status and user-facing message for an error raised below the routes."""
    if isinstance(exc, EmbedderMismatchError):
        return 503, str(
            exc
        ) or "the store was built with another embedder; re-ingest with `advisor ingest --rebuild`"
    if isinstance(exc, StoreUnavailableError):
        return 503, f"the knowledge store is unavailable: {exc}"
    if isinstance(exc, TimeoutError):
        return 504, "the request timed out"
    return 500, "internal error; the server log has the details"


def allowed_methods(request: Request) -> str:
    """Every method the path supports. Starlette's own 405 names only the first route it tried."""
    allowed = []
    for method in ("GET", "POST", "PUT", "PATCH", "DELETE"):
        scope = {**request.scope, "method": method}
        if any(route.matches(scope)[0] == Match.FULL for route in request.app.router.routes):
            allowed.append(method)
    return ", ".join(allowed)


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors()[:3]:
        where = ".".join(str(p) for p in err.get("loc", ()) if p != "body") or "body"
        parts.append(f"{where}: {err.get('msg', 'invalid')}")
    return "invalid request: " + "; ".join(parts)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        message = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
        headers = dict(getattr(exc, "headers", None) or {})
        if exc.status_code == 405:
            headers["Allow"] = allowed_methods(request)
        return error_response(exc.status_code, message, headers=headers or None)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_request: Request, exc: RequestValidationError) -> JSONResponse:
        return error_response(422, _validation_message(exc))

    async def known_error(_request: Request, exc: Exception) -> JSONResponse:
        return error_response(*status_for(exc))

    for kind in (StoreUnavailableError, EmbedderMismatchError, TimeoutError):
        app.add_exception_handler(kind, known_error)

    # Starlette still re-raises after this handler, so the traceback reaches the server log.
    @app.exception_handler(Exception)
    async def unexpected(_request: Request, exc: Exception) -> JSONResponse:
        return error_response(*status_for(exc))
