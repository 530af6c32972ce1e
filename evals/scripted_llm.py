"""A scripted OpenAI-compatible HTTP server on 127.0.0.1 for tests and benchmarks.

The advisor's LLM mode talks to the real `langchain_openai.ChatOpenAI` client; this server lets
tests exercise that real network path (retries, timeouts, SSE parsing, structured output) while
every answer stays scripted. Replies are duck-typed on purpose: the module may be imported as
`fake_llm_server` (pytest puts tests/ on sys.path) and as `tests.fake_llm_server` at once.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from socketserver import TCPServer
from typing import Any, Literal

import numpy as np

JSON = dict[str, Any]
ReplyKind = Literal["text", "tool", "data", "error", "malformed", "truncated"]


@dataclass(frozen=True)
class Reply:
    """One scripted answer; build it with the class methods, not the constructor."""

    kind: ReplyKind
    content: str = ""
    tool_name: str | None = None
    args: JSON = field(default_factory=dict)
    status: int = 200
    sleep: float = 0.0  # seconds before the response starts (latency, or a client timeout)
    chunk_sleep: float = 0.0  # seconds between stream chunks
    after_chunks: int = 2  # truncated: content chunks sent before the connection drops
    retry_after_ms: int | None = 10  # errors only; None leaves the client's own backoff

    @classmethod
    def text(cls, content: str, *, sleep: float = 0.0, chunk_sleep: float = 0.0) -> Reply:
        return cls("text", content=content, sleep=sleep, chunk_sleep=chunk_sleep)

    @classmethod
    def tool(cls, name: str, args: JSON, *, sleep: float = 0.0, chunk_sleep: float = 0.0) -> Reply:
        return cls("tool", tool_name=name, args=args, sleep=sleep, chunk_sleep=chunk_sleep)

    @classmethod
    def data(cls, args: JSON, *, sleep: float = 0.0, chunk_sleep: float = 0.0) -> Reply:
        """Structured output in whatever form the request asked: tool call or JSON content."""
        return cls("data", args=args, sleep=sleep, chunk_sleep=chunk_sleep)

    @classmethod
    def error(cls, status: int = 500, message: str = "scripted failure", *, sleep: float = 0.0) -> Reply:
        """An OpenAI-style error body; `retry-after-ms` keeps the client's retries fast."""
        return cls("error", content=message, status=status, sleep=sleep)

    @classmethod
    def malformed(cls, body: str = '{"id": "chatcmpl-bad", "choices": [', *, sleep: float = 0.0) -> Reply:
        return cls("malformed", content=body, sleep=sleep)

    @classmethod
    def truncated(cls, content: str, *, after_chunks: int = 2, sleep: float = 0.0) -> Reply:
        """Streams: the connection drops mid-body; non-streams: the body is cut short."""
        return cls("truncated", content=content, after_chunks=after_chunks, sleep=sleep)


Responder = Callable[[JSON], Reply]


def count_tokens(value: Any) -> int:
    """Deterministic stand-in for a tokenizer (no tiktoken): a quarter of the JSON length."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return max(1, len(text) // 4)


def schema_name(request: JSON) -> str | None:
    """The tool or json_schema name a request asks for (e.g. "AdoptionPlan"), else None."""
    choice = request.get("tool_choice")
    if isinstance(choice, dict) and "function" in choice:
        return str(choice["function"]["name"])
    if request.get("tools"):
        return str(request["tools"][0]["function"]["name"])
    fmt = request.get("response_format") or {}
    if fmt.get("type") == "json_schema":
        return str(fmt["json_schema"]["name"])
    return None


def structured_responder(
    fn: Callable[[str, list[JSON]], JSON | Reply],
    text: str | Callable[[list[JSON]], str | Reply] = "ok",
) -> Responder:
    """Answers schema requests with `fn(schema_name, messages)`, plain requests with `text`.

    `fn` returns the arguments dict (sent as tool call or JSON content, as requested) or a Reply.
    """

    def respond(request: JSON) -> Reply:
        messages = request.get("messages", [])
        name = schema_name(request)
        if name is None:
            out = text(messages) if callable(text) else text
            return Reply.text(out) if isinstance(out, str) else out
        result = fn(name, messages)
        return Reply.data(result) if isinstance(result, dict) else result

    return respond


def _tokens(text: str) -> list[str]:
    """ASCII words stay whole; every other character (CJK included) is its own token."""
    return re.findall(r"\s*[A-Za-z0-9_']+|\s*\S|\s+", text) or [""]


def _message(reply: Reply, request: JSON) -> tuple[str | None, tuple[str, str] | None]:
    """(content, (tool name, JSON arguments)) as this request expects the reply."""
    if reply.kind == "tool":
        return None, (str(reply.tool_name), json.dumps(reply.args, ensure_ascii=False))
    if reply.kind == "data":
        forced = isinstance(request.get("tool_choice"), dict) or request.get("tool_choice") == "required"
        if request.get("tools") and (forced or not request.get("response_format")):
            return None, (str(schema_name(request)), json.dumps(reply.args, ensure_ascii=False))
        return json.dumps(reply.args, ensure_ascii=False), None
    return reply.content, None


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
        """Deterministic unit vectors from SHA-256, as floats or base64 (the client's default)."""
        with self._lock:
            self.embedding_requests.append(request)
        inputs = request.get("input", [])
        inputs = [inputs] if isinstance(inputs, str) else inputs
        data = []
        for i, item in enumerate(inputs):
            seed = hashlib.sha256((item if isinstance(item, str) else json.dumps(item)).encode()).digest()
            vector = np.random.default_rng(list(seed)).standard_normal(self.embedding_dim).astype("<f4")
            vector /= np.linalg.norm(vector)
            b64 = request.get("encoding_format") == "base64"
            embedding = base64.b64encode(vector.tobytes()).decode() if b64 else vector.tolist()
            data.append({"object": "embedding", "index": i, "embedding": embedding})
        usage = {"prompt_tokens": count_tokens(inputs), "total_tokens": count_tokens(inputs)}
        return {"object": "list", "data": data, "model": request.get("model", ""), "usage": usage}


def _usage(request: JSON, produced: str | None) -> JSON:
    prompt, done = count_tokens(request.get("messages", [])), count_tokens(produced or "")
    return {"prompt_tokens": prompt, "completion_tokens": done, "total_tokens": prompt + done}


def _completion(request: JSON, content: str | None, tool: tuple[str, str] | None, usage: JSON) -> JSON:
    message: JSON = {"role": "assistant", "content": content}
    if tool is not None:
        function = {"name": tool[0], "arguments": tool[1]}
        message["tool_calls"] = [{"id": "call_0", "type": "function", "function": function}]
    choice = {"index": 0, "message": message, "finish_reason": "tool_calls" if tool else "stop"}
    return {**_head(request), "object": "chat.completion", "choices": [choice], "usage": usage}


def _chunks(request: JSON, content: str | None, tool: tuple[str, str] | None, usage: JSON) -> list[str]:
    """SSE data payloads: role, deltas, finish, then usage if the client asked for it."""
    head = {**_head(request), "object": "chat.completion.chunk"}

    def chunk(delta: JSON, reason: str | None = None) -> str:
        return json.dumps({**head, "choices": [{"index": 0, "delta": delta, "finish_reason": reason}]})

    if tool is None:
        body = [chunk({"content": piece}) for piece in _tokens(content or "")]
    else:
        call = {
            "index": 0,
            "id": "call_0",
            "type": "function",
            "function": {"name": tool[0], "arguments": ""},
        }
        pieces = [tool[1][i : i + 16] for i in range(0, len(tool[1]), 16)]
        body = [chunk({"tool_calls": [call]})]
        body += [chunk({"tool_calls": [{"index": 0, "function": {"arguments": p}}]}) for p in pieces]
    out = [chunk({"role": "assistant", "content": "" if tool is None else None}), *body]
    out.append(chunk({}, "tool_calls" if tool else "stop"))
    if (request.get("stream_options") or {}).get("include_usage"):
        out.append(json.dumps({**head, "choices": [], "usage": usage}))
    return out


def _head(request: JSON) -> JSON:
    return {"id": f"chatcmpl-{id(request)}", "created": int(time.time()), "model": request.get("model")}


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
            if reply.kind == "malformed":
                if not stream:
                    self._send(200, reply.content.encode())
                    return None
                events, usage = [reply.content], None
            else:
                content, tool = _message(reply, request)
                usage = _usage(request, content if tool is None else tool[1])
                if reply.kind != "truncated":
                    # Recorded before the client can read it, so a test sees it as soon as the client does.
                    server._done(usage, finished=False)
                if not stream:
                    body = json.dumps(_completion(request, content, tool, usage)).encode()
                    self._send(200, body, cut=len(body) // 2 if reply.kind == "truncated" else 0)
                    return None if reply.kind == "truncated" else usage
                events = _chunks(request, content, tool, usage)
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

    return Handler
