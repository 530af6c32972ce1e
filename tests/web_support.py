"""Helpers shared by the browser tests in tests/web/: asking through the composer, reading the
thread back from the server, and running axe-core in the page."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx

Page = Any
AXE = Path(__file__).resolve().parent / "web" / "vendor" / "axe.min.js"
QUESTION = (
    "我们是一家中型制造企业，计划在未来一年内落地AI，技术整合、数据安全合规、人才培养和投资回报分别该怎么做？"
)
OFF_TOPIC_EN = "What will the weather be like in Beijing tomorrow?"


def ask(page: Page, question: str) -> Any:
    """Type the question, send it with Enter, wait until this turn's answer is rendered; the turn."""
    before = page.locator("[data-testid=turn]").count()
    page.locator("#composer-input").fill(question)
    page.locator("#composer-input").press("Enter")
    turn = page.locator("[data-testid=turn]").nth(before)
    turn.locator("[data-testid=plan], [data-testid=refusal], .error-box").first.wait_for()
    assert turn.locator(".error-box").count() == 0, turn.locator(".error-box").inner_text()
    return turn


def thread_id(page: Page) -> str:
    """The thread id the page put in its address (it does so once the server has named the thread)."""
    page.wait_for_function("location.hash.startsWith('#/t/')", timeout=30_000)
    match = re.match(r"^#/t/([^/]+)", page.evaluate("location.hash"))
    assert match, "the page did not put the thread in its address"
    return match.group(1)


def server_plans(base_url: str, tid: str) -> list[dict[str, Any]]:
    return [turn["plan"] for turn in server_turns(base_url, tid)]


def server_turns(base_url: str, tid: str) -> list[dict[str, Any]]:
    detail = httpx.get(f"{base_url}/v1/threads/{tid}", timeout=30).json()
    return list(detail["turns"])


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """Critical and serious axe-core violations on the page as it is now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    results = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' ') + ' :: '"
        " + n.failureSummary).slice(0, 5)}))"
    )
    return [v for v in results if v["impact"] in ("critical", "serious")]
