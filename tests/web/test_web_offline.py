"""The server dies under the page: the thread list stays, an inline offline notice and Retry
appear, and nothing keeps spinning. Then the server comes back and Retry answers.

This module runs its own server process, so killing it disturbs no other test.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import WEB_CHROMIUM
from web_support import QUESTION, Page, ask, thread_id

from evals.bench_api import free_port, server_env, wait_for_http
from settings import REPO_ROOT


class Server:
    """A real `uvicorn server:app` that a test may kill and start again on the same port."""

    def __init__(self, data_dir: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = server_env(ADVISOR_DATA_DIR=str(data_dir / "data"), ADVISOR_MODE="offline")
        self.log = data_dir / "server.log"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        command = [
            sys.executable,
            "-m",
            "uvicorn",
            "server:app",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
        ]
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(
                command, cwd=REPO_ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT
            )
        wait_for_http(self.proc, f"{self.url}/readyz", self.log, timeout_s=300)

    def kill(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait(timeout=30)
            self.proc = None


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    if not WEB_CHROMIUM.exists():
        pytest.skip(f"browser tests need Debian's Chromium at {WEB_CHROMIUM}")
    running = Server(tmp_path)
    running.start()
    yield running
    running.kill()


def test_a_killed_server_keeps_the_threads_and_offers_retry(
    chromium_browser: Any, server: Server, shoot: Callable[..., None]
) -> None:
    context = chromium_browser.new_context(base_url=server.url, locale="zh-CN", reduced_motion="reduce")
    context.set_default_timeout(60_000)
    page: Page = context.new_page()
    try:
        page.goto("/")
        ask(page, QUESTION)
        tid = thread_id(page)
        item = page.locator(f".thread[data-id='{tid}']")
        item.wait_for()

        server.kill()
        page.locator("#composer-input").fill("人才短缺的问题具体怎么解决？")
        page.locator("#composer-input").press("Enter")
        error = page.locator(".turn").nth(1).locator(".error-box")
        error.wait_for()
        assert "无法连接到服务器" in error.inner_text()
        notice = page.locator("#threads-notice")
        notice.wait_for()
        assert "暂时连不上服务器" in notice.inner_text()
        assert item.is_visible(), "the thread list stays when the server is gone"
        assert page.locator(".spinner, .lane .dots, .lane[data-state=running]").count() == 0
        shoot(page, "27-server-gone-desktop")

        server.start()
        error.get_by_role("button", name="重试").click()
        page.locator(".turn").nth(1).locator("[data-testid=plan]").wait_for()
        notice.wait_for(state="hidden")  # the finished turn refreshed the list
        assert item.is_visible()
    finally:
        context.close()
