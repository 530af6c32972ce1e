"""Stop generating for a client that has gone away.

llama-cpp-python's server generates a non-streaming completion to its end even when the client
has hung up, and it serves one request at a time. A caller that gave up at its deadline (the
advisor does, by design) would leave the server busy for minutes, and every later call would time
out in the queue behind the abandoned one. This middleware watches each POST for the client's
disconnect and a stopping criterion ends the generation at the next token.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable, MutableMapping
from contextvars import ContextVar
from typing import Any

Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[MutableMapping[str, Any], Receive, Send], Awaitable[None]]

# The current request's "client has gone" flag; the server's worker thread sees it because
# starlette's threadpool runs each call in a copy of the request's context.
CLIENT_GONE: ContextVar[threading.Event | None] = ContextVar("client_gone", default=None)


class AbortOnDisconnect:
    """ASGI middleware: reads a POST's body itself, then listens for the disconnect while the app runs."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: MutableMapping[str, Any], receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") != "POST":
            return await self.app(scope, receive, send)
        body: list[bytes] = []
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return None
            body.append(message.get("body", b""))
            if not message.get("more_body"):
                break
        gone, left = threading.Event(), asyncio.Event()
        pending = [{"type": "http.request", "body": b"".join(body), "more_body": False}]

        async def replay() -> Message:
            if pending:
                return pending.pop()
            await left.wait()  # starlette's is_disconnected() polls this under a cancelled scope
            return {"type": "http.disconnect"}

        async def watch() -> None:
            await receive()  # after the body, the only message left is the disconnect
            gone.set()
            left.set()

        watcher = asyncio.create_task(watch())
        token = CLIENT_GONE.set(gone)
        try:
            await self.app(scope, replay, send)
        finally:
            CLIENT_GONE.reset(token)
            watcher.cancel()


def stop_generating_when_the_client_is_gone() -> None:
    """Every completion gets one more stopping criterion: the request's client has disconnected."""
    from llama_cpp import Llama, StoppingCriteriaList

    create = Llama.create_completion

    def create_completion(self: Any, *args: Any, **kwargs: Any) -> Any:
        gone = CLIENT_GONE.get()
        if gone is not None:
            criteria = [*(kwargs.get("stopping_criteria") or []), lambda _ids, _logits: gone.is_set()]
            kwargs["stopping_criteria"] = StoppingCriteriaList(criteria)
        return create(self, *args, **kwargs)

    Llama.create_completion = create_completion  # type: ignore[method-assign]
