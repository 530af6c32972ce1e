"""A misbehaving proxy in front of a real OpenAI-compatible server, for what the local model does
not do by itself: refuse or ignore tools, ignore `response_format`, write `<think>` blocks and
fences around its JSON, put reasoning in `reasoning_content` (as DeepSeek's reasoner does), and
the transport faults of a broken endpoint (junk bytes, HTTP 500, a drip that never ends, a hang).

Non-streaming chat completions are rewritten; everything else is passed through unchanged.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import socket
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal
from urllib.parse import urlsplit

import httpx

JSON = dict[str, Any]
DECOY = 'Thinking about it: {"refuse": true, "areas": []} would be wrong.'
JUNK = b"\x00\xff<html>\x1b[31m not json {{{ \xfe"
STOPPED = b'{"error": {"message": "the proxy stopped", "type": "proxy_stopped"}}'
Fault = Literal["junk", "http_500", "drip", "hang"]


@dataclass(frozen=True)
class Misbehaviour:
    refuse_tools: bool = False  # 400 for any request with `tools`
    drop_response_format: bool = False  # forward without `response_format` (the server ignores it)
    think_and_fence: bool = False  # content becomes "<think>…</think>\n```json\n…\n```"
    reasoning_content: bool = False  # adds a decoy JSON object in `reasoning_content`
    ignore_tools: bool = False  # forward without `tools`/`tool_choice`: the reply is plain text
    fault: Fault | None = None  # every chat completion fails this way, the model is never asked


class MisbehavingProxy:
    """Serves on 127.0.0.1 (a free port) and forwards to `upstream` (".../v1")."""

    def __init__(self, upstream: str, behaviour: Misbehaviour, *, timeout_s: float = 600.0) -> None:
        self.upstream, self.behaviour = upstream.rstrip("/"), behaviour
        self.client = httpx.Client(timeout=timeout_s)
        self.timeout_s = timeout_s
        self._open: set[http.client.HTTPConnection] = set()  # upstream POSTs in flight
        self._lock = threading.Lock()
        self.requests: list[JSON] = []
        self.stopped = threading.Event()  # ends drips and hangs
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"

    def stop(self) -> None:
        """Stops serving and hangs up on the upstream requests still in flight, so the server
        stops generating answers nobody will read (closing a socket another thread is reading
        from would not end the connection; shutting it down does)."""
        self.stopped.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        with self._lock:
            for conn in self._open:
                if conn.sock is not None:
                    with contextlib.suppress(OSError):  # already gone
                        conn.sock.shutdown(socket.SHUT_RDWR)
        self.client.close()

    def post(self, path: str, raw: bytes) -> tuple[int, bytes, str]:
        """(status, body, content type) of one upstream POST, abandoned when the proxy stops."""
        url = urlsplit(f"{self.upstream}{path}")
        conn = http.client.HTTPConnection(url.hostname or "127.0.0.1", url.port, timeout=self.timeout_s)
        with self._lock:
            self._open.add(conn)
        try:
            conn.request("POST", url.path, body=raw, headers={"Content-Type": "application/json"})
            r = conn.getresponse()
            return r.status, r.read(), r.getheader("Content-Type") or "application/json"
        except (OSError, http.client.HTTPException):
            if not self.stopped.is_set():
                raise
            return 502, STOPPED, "application/json"  # nobody reads it: the proxy is closing
        finally:
            with self._lock:
                self._open.discard(conn)
            conn.close()

    def __enter__(self) -> MisbehavingProxy:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def rewrite(self, body: JSON) -> tuple[int, JSON]:
        """(status, response) for one non-streaming chat completion."""
        b = self.behaviour
        self.requests.append(body)
        if b.refuse_tools and body.get("tools"):
            return 400, {
                "error": {"message": "this endpoint does not support tools", "type": "invalid_request"}
            }
        dropped = {"response_format"} if b.drop_response_format else set()
        dropped |= {"tools", "tool_choice", "parallel_tool_calls"} if b.ignore_tools else set()
        body = {k: v for k, v in body.items() if k not in dropped}
        status, raw, _ = self.post("/chat/completions", json.dumps(body).encode())
        answer = json.loads(raw)
        if status != 200:
            return status, answer
        for choice in answer.get("choices", []):
            message = choice.get("message") or {}
            if b.think_and_fence and isinstance(message.get("content"), str):
                message["content"] = (
                    f"<think>Let me plan the JSON.</think>\n```json\n{message['content']}\n```"
                )
            if b.reasoning_content:
                message["reasoning_content"] = DECOY
        return 200, answer


def _handler(proxy: MisbehavingProxy) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - quiet test output
            return

        def _reply(self, status: int, payload: bytes, content_type: str = "application/json") -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def do_GET(self) -> None:  # noqa: N802 - http.server naming
            r = proxy.client.get(f"{proxy.upstream}{self.path.removeprefix('/v1')}")
            self._reply(r.status_code, r.content, r.headers.get("content-type", "application/json"))

        def do_POST(self) -> None:  # noqa: N802 - http.server naming
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            body = json.loads(raw or b"{}")
            chat = self.path.rstrip("/") == "/v1/chat/completions"
            if chat and proxy.behaviour.fault:
                return self._fault(proxy.behaviour.fault)
            if chat and not body.get("stream"):
                status, answer = proxy.rewrite(body)
                return self._reply(status, json.dumps(answer).encode())
            self._reply(*proxy.post(self.path.removeprefix("/v1"), raw))

        def _fault(self, fault: Fault) -> None:
            if fault == "junk":
                return self._reply(200, JUNK)
            if fault == "http_500":
                error = {"error": {"message": "internal server error", "type": "server_error"}}
                return self._reply(500, json.dumps(error).encode())
            if fault == "hang":  # the request was read; no byte of an answer ever comes
                proxy.stopped.wait()
                return None
            self.send_response(200)  # drip: one byte a second of a body that is never complete
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", "1000000")
            self.end_headers()
            try:
                while not proxy.stopped.wait(1.0):
                    self.wfile.write(b" ")
                    self.wfile.flush()
            except OSError:  # the client gave up: what a deadline is for
                pass
            return None

    return Handler
