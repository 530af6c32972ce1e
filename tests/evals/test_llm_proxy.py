"""The misbehaving proxy of the real-model suite hangs up on the model server when it stops.

A proxy that kept waiting for an abandoned answer would leave the single-slot model server busy
generating it, and the next test's first call would time out in the queue behind it.
"""

from __future__ import annotations

import select
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from evals.llm_local.proxy import MisbehavingProxy, Misbehaviour


class SlowUpstream:
    """Answers no POST within a minute, and records when its client hangs up meanwhile."""

    def __init__(self) -> None:
        self.received, self.hung_up = threading.Event(), threading.Event()
        upstream = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - quiet
                return

            def do_POST(self) -> None:  # noqa: N802 - http.server naming
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                upstream.received.set()
                for _ in range(600):
                    readable, _, _ = select.select([self.connection], [], [], 0.1)
                    if readable and not self.connection.recv(1, socket.MSG_PEEK):
                        upstream.hung_up.set()
                        return

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"


@pytest.fixture
def upstream() -> Iterator[SlowUpstream]:
    server = SlowUpstream()
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()


@pytest.mark.parametrize("path", ["/chat/completions", "/embeddings"])
def test_stopping_the_proxy_hangs_up_on_the_upstream(upstream: SlowUpstream, path: str) -> None:
    proxy = MisbehavingProxy(upstream.url, Misbehaviour(ignore_tools=True))

    def call() -> None:
        with pytest.raises(httpx.HTTPError):  # the caller gives up, as the advisor does at its deadline
            httpx.post(f"{proxy.base_url}{path}", json={"messages": []}, timeout=1.0)

    caller = threading.Thread(target=call)
    caller.start()
    assert upstream.received.wait(10)
    caller.join(10)
    assert not upstream.hung_up.is_set()  # the proxy itself is still waiting for the answer
    proxy.stop()
    assert upstream.hung_up.wait(10), "the model server would go on generating an abandoned answer"
