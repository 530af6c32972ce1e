"""Helpers for the chat UI tests (tests/web): ask a question the way a user does, read the thread back."""

from __future__ import annotations

import re
from typing import Any

import httpx

QUESTION = (
    "我们是一家中型制造企业，计划在未来一年内落地AI，技术整合、数据安全合规、人才培养和投资回报分别该怎么做？"
)

Page = Any


def ask(page: Page, question: str) -> None:
    """Type the question, send it with Enter and wait until this turn's answer is rendered."""
    before = page.locator("[data-testid=turn]").count()
    page.locator("#composer-input").fill(question)
    page.locator("#composer-input").press("Enter")
    turn = page.locator("[data-testid=turn]").nth(before)
    turn.locator("[data-testid=plan], [data-testid=refusal], .error-box").first.wait_for()
    assert turn.locator(".error-box").count() == 0, turn.locator(".error-box").inner_text()


def thread_id(page: Page) -> str:
    match = re.match(r"^#/t/(.+)$", page.evaluate("location.hash"))
    assert match, "the page did not put the thread in its address"
    return match.group(1)


def server_plans(base_url: str, tid: str) -> list[dict[str, Any]]:
    detail = httpx.get(f"{base_url}/v1/threads/{tid}", timeout=30).json()
    return [turn["plan"] for turn in detail["turns"]]
