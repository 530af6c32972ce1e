"""The scripted OpenAI-compatible HTTP server: the queue of replies, what the client sent, and
the handler that writes each reply as a real endpoint would (keep-alive, SSE, cut connections)."""

from __future__ import annotations

import json
import threading
from collections import deque
from collections.abc import Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from socketserver import TCPServer
from typing import Any

from evals.scripted_llm.replies import JSON, Reply, Responder
from evals.scripted_llm.wire import chunks, completion, embeddings, message_parts, usage_of


class _Server(ThreadingHTTPServer):
    daemon_threads = True  # a handler sleeping for a scripted timeout must not block stop()
    request_queue_size = 128  # parallel benchmarks open many connections at once

    def server_bind(self) -> None:
        TCPServer.server_bind(self)  # skips HTTPServer's reverse DNS lookup, slow on some CI hosts


class ScriptedLLMServer:
    """Serves /v1/chat/completions, /v1/models and /v1/embeddings from a script.

    Each chat call takes the next queued Reply, else asks `responder`; with neither, it answers
    500 and notes it in `errors`. Every request body is recorded before any scripted sleep.
    """

    def __init__(self, script: Responder | Iterable[Reply] | None = None, *, embedding_dim: int = 64) -> None:
        self.responder: Responder | None = script if callable(script) else None
        self._queue: deque[Reply] = deque([] if script is None or callable(script) else script)
        self.embedding_dim = embedding_dim
        self.requests: list[JSON] = []  # chat completion bodies, in arrival order
        self.embedding_requests: list[JSON] = []
        self.usages: list[JSON] = []  # `usage` of every successful chat response
        self.errors: list[str] = []  # script problems (exhausted queue, responder exceptions)
        self.max_in_flight = 0  # most chat calls seen at the same time: a parallelism probe
        self._in_flight = 0
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd = _Server(("127.0.0.1", 0), _handler_for(self))
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.02,), daemon=True)
        self._thread.start()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"

    @property
    def calls(self) -> int:
        with self._lock:
            return len(self.requests)

    @property
    def prompt_tokens(self) -> int:
        with self._lock:
            return sum(u["prompt_tokens"] for u in self.usages)

    def script(self, *replies: Reply) -> None:
        with self._lock:
            self._queue.extend(replies)

    def sent_text(self) -> str:
        """Everything the client sent (chat and embeddings) as one string, for leak checks."""
        with self._lock:
            return json.dumps(self.requests + self.embedding_requests, ensure_ascii=False)

    def stop(self) -> None:
        self._stopping.set()  # wakes scripted sleeps so stopping is quick
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> ScriptedLLMServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _next_reply(self, request: JSON) -> Reply:
        with self._lock:
            self.requests.append(request)
            self._in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self._in_flight)
            queued = self._queue.popleft() if self._queue else None
        if queued is not None:
            return queued
        if self.responder is None:
            return self._script_error("no reply scripted for this call")
        try:
            return self.responder(request)
        except Exception as exc:  # noqa: BLE001 - surfaced to the test through `errors`
            return self._script_error(f"responder raised {exc!r}")

    def _script_error(self, message: str) -> Reply:
        with self._lock:
            self.errors.append(message)
        return Reply.error(500, f"ScriptedLLMServer: {message}")

    def _done(self, usage: JSON | None, *, finished: bool = True) -> None:
        with self._lock:
            self._in_flight -= finished
            if usage is not None:
                self.usages.append(usage)

    def _embeddings(self, request: JSON) -> JSON:
        with self._lock:
            self.embedding_requests.append(request)
        return embeddings(request, self.embedding_dim)


def _handler_for(server: ScriptedLLMServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as the OpenAI client's connection pool expects
        disable_nagle_algorithm = True  # headers and body go out separately; no delayed-ACK stall

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - quiet test output
            return

        def _send(
            self, status: int, body: bytes, headers: dict[str, str] | None = None, cut: int = 0
        ) -> None:
            """`cut` > 0 announces the whole body but sends only that many bytes, then hangs up."""
            self.send_response(status)
            for key, value in {"Content-Type": "application/json", **(headers or {})}.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[:cut] if cut else body)
            self.close_connection = self.close_connection or bool(cut)

        def do_GET(self) -> None:  # noqa: N802 - http.server naming
            if self.path.rstrip("/") != "/v1/models":
                return self._send(404, b'{"error": {"message": "not found"}}')
            model = {"id": "gpt-4o-mini", "object": "model", "created": 0, "owned_by": "scripted"}
            self._send(200, json.dumps({"object": "list", "data": [model]}).encode())

        def do_POST(self) -> None:  # noqa: N802 - http.server naming
            try:
                request = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
            except json.JSONDecodeError:
                return self._send(400, b'{"error": {"message": "request body is not JSON"}}')
            try:
                if self.path.rstrip("/") == "/v1/chat/completions":
                    self._chat(request)
                elif self.path.rstrip("/") == "/v1/embeddings":
                    self._send(200, json.dumps(server._embeddings(request)).encode())
                else:
                    self._send(404, b'{"error": {"message": "not found"}}')
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True  # the client gave up (timeout): nothing to answer

        def _chat(self, request: JSON) -> None:
            reply = server._next_reply(request)
            try:
                if reply.sleep and server._stopping.wait(reply.sleep):
                    self.close_connection = True
                    return
                self._answer(reply, request)
            finally:
                server._done(None)

        def _answer(self, reply: Reply, request: JSON) -> JSON | None:
            """Writes the response; returns the usage it reported (None when it failed on purpose)."""
            if reply.kind == "error":
                err = {"error": {"message": reply.content, "type": "server_error", "code": reply.status}}
                retry = {"retry-after-ms": str(reply.retry_after_ms)} if reply.retry_after_ms else {}
                self._send(reply.status, json.dumps(err).encode(), retry)
                return None
            stream = bool(request.get("stream"))
            if reply.kind == "drip":
                self._drip(reply)
                return None
            if reply.kind == "malformed":
                if not stream:
                    self._send(200, reply.content.encode())
                    return None
                events, usage = [reply.content], None
            else:
                content, tool = message_parts(reply, request)
                usage = usage_of(request, content if tool is None else tool[1])
                if reply.kind != "truncated":
                    # Recorded before the client can read it, so a test sees it as soon as the client does.
                    server._done(usage, finished=False)
                if not stream:
                    body = json.dumps(completion(request, content, tool, usage, reply.reasoning)).encode()
                    self._send(200, body, cut=len(body) // 2 if reply.kind == "truncated" else 0)
                    return None if reply.kind == "truncated" else usage
                events = chunks(request, content, tool, usage)
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for i, payload in enumerate([*events, "[DONE]"]):
                if reply.kind == "truncated" and i > reply.after_chunks:
                    self.close_connection = True  # no terminating chunk: the body is incomplete
                    return None
                if reply.chunk_sleep and i and server._stopping.wait(reply.chunk_sleep):
                    return None
                data = f"data: {payload}\n\n".encode()
                self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
            self.wfile.write(b"0\r\n\r\n")
            return usage

        def _drip(self, reply: Reply) -> None:
            body = reply.content.encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            for i in range(len(body)):
                self.wfile.write(body[i : i + 1])
                self.wfile.flush()
                if server._stopping.wait(reply.chunk_sleep):
                    break
            self.close_connection = True

    return Handler
