"""The chat UI's controls in a real Chromium against a real server: language, company profile,
keyboard and stop, and readable errors with retry."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from web_support import QUESTION, Page, ask, thread_id


def test_english_follows_the_browser_and_the_toggle(
    web_page: Callable[..., Page], shoot: Callable[..., None]
) -> None:
    page = web_page(locale="en-US")
    page.goto("/")
    assert page.get_by_role("button", name="New chat").is_visible()
    assert page.evaluate("document.documentElement.lang") == "en"

    page = web_page(locale="zh-CN")
    page.goto("/")
    page.get_by_role("button", name="新对话").wait_for()
    page.get_by_role("button", name="Switch to English").click()
    assert page.get_by_role("button", name="New chat").is_visible()
    ask(page, QUESTION)
    assert page.locator(".lane-name").all_text_contents() == [
        "Tech integration",
        "Security & compliance",
        "Organization & talent",
        "Market & ROI",
    ]
    assert page.get_by_role("heading", name="Roadmap").is_visible()
    page.reload()
    page.get_by_role("heading", name="Roadmap").wait_for()  # the choice is remembered
    shoot(page, "06-plan-english")
    page.get_by_role("button", name="切换到中文").click()
    assert page.get_by_role("heading", name="落地路线图").is_visible()


def test_profile_is_sent_and_remembered_per_thread(web_page: Callable[..., Page]) -> None:
    page = web_page()
    page.goto("/")
    page.locator("#profile-button").click()
    page.get_by_label("行业").fill("制造业")
    page.get_by_label("规模").fill("500 人")
    page.get_by_label("目标").fill("提升客服效率")
    page.get_by_role("button", name="保存").click()
    assert page.locator("#profile-summary").inner_text() == "制造业 · 500 人"
    with page.expect_request("**/v1/plans/stream") as sent:
        ask(page, QUESTION)
    body = json.loads(sent.value.post_data or "{}")
    assert body["profile"] == {"industry": "制造业", "size": "500 人", "goals": "提升客服效率"}
    first = thread_id(page)

    assert page.locator("#thread-profile").inner_text() == "制造业 · 500 人", "shown in the thread header"
    page.get_by_role("button", name="新对话").click()
    page.locator("[data-testid=welcome]").wait_for()
    # A new chat starts without a profile: nothing is carried into it silently.
    assert page.locator("#profile-summary").inner_text() == "企业画像"
    assert page.locator("#thread-profile").is_hidden()
    with page.expect_request("**/v1/plans/stream") as sent:
        ask(page, "引入大模型时，数据安全与隐私合规需要先做哪些准备？")
    assert "profile" not in json.loads(sent.value.post_data or "{}")

    page.goto(f"/#/t/{first}")
    page.reload()
    page.locator("[data-testid=plan]").wait_for()
    assert page.locator("#profile-summary").inner_text() == "制造业 · 500 人"


def test_keyboard_shift_enter_is_a_newline_and_stop_cancels(web_page: Callable[..., Page]) -> None:
    page = web_page()
    page.goto("/")
    box = page.locator("#composer-input")
    box.click()
    box.type("第一行")
    box.press("Shift+Enter")
    box.type("第二行")
    assert box.input_value() == "第一行\n第二行"
    assert page.locator("[data-testid=turn]").count() == 0

    # Hold the stream open forever, so the only way out is the Stop button.
    page.route("**/v1/plans/stream", lambda route: None)
    box.press("Enter")
    stop = page.get_by_role("button", name="停止")
    stop.wait_for()
    stop.click()
    page.get_by_text("已停止生成。").wait_for()
    # Stopped is a calm state of its own: no error wording, no lane left spinning.
    assert page.locator(".progress[data-state=stopped]").count() == 1
    assert page.locator(".progress-title").inner_text() == "已停止"
    assert page.locator(".error-box").count() == 0 and "出了点问题" not in page.locator(".turn").inner_text()
    assert page.locator(".lane[data-state=running], .lane .dots, .spinner").count() == 0
    assert page.get_by_role("button", name="发送").is_visible()


STREAM_START = (
    'event: progress\ndata: {"node": "planner", "status": "done", "areas": ["tech"], "language": "zh"}\n\n'
    ": ping\n\n"
    'event: progress\ndata: {"node": "specialist", "area": "tech", "status": "started"}\n\n'
)


STREAM_ERROR = 'event: error\ndata: {"status": 504, "detail": "the advisor did not finish within 120 s"}\n\n'


@pytest.mark.parametrize(
    ("fault", "message"),
    [
        ("429", "请求过于频繁"),
        ("500", "服务器出错（500）：boom。请稍后重试。"),
        ("offline", "无法连接到服务器"),
        ("stream-error", "服务器出错（504）：the advisor did not finish within 120 s。"),
        ("stream-cut", "连接在方案完成前中断了"),
    ],
)
def test_errors_are_readable_and_retry_works(web_page: Callable[..., Page], fault: str, message: str) -> None:
    page = web_page()
    page.goto("/")

    def fail(route: Any) -> None:
        if fault == "offline":
            route.abort("internetdisconnected")
        elif fault.startswith("stream"):
            # The stream starts fine, then fails in the middle (as a server timeout does) or just ends.
            last = STREAM_ERROR if fault == "stream-error" else ""
            route.fulfill(status=200, content_type="text/event-stream", body=STREAM_START + last)
        else:
            headers = {"Retry-After": "1"} if fault == "429" else {}
            route.fulfill(status=int(fault), json={"detail": "boom"}, headers=headers)

    page.route("**/v1/plans/stream", fail)
    page.locator("#composer-input").fill(QUESTION)
    page.locator("#composer-input").press("Enter")
    error = page.locator(".error-box")
    error.wait_for()
    assert message in error.inner_text()
    assert page.locator(".spinner").count() == 0, "no spinner may keep turning after a failure"
    page.unroute("**/v1/plans/stream")
    error.get_by_role("button", name="重试").click()  # waits out the 1 s Retry-After countdown
    page.locator("[data-testid=plan]").wait_for()
    assert page.locator(".error-box").count() == 0


def test_a_question_cannot_race_the_boot(web_page: Callable[..., Page]) -> None:
    """While the page is still loading its threads the composer takes nothing; a question sent
    once it is ready keeps its turn on screen, even when the answer comes back at once."""
    page = web_page()
    held: list[Any] = []

    def hold(route: Any) -> None:
        if route.request.method == "GET":
            held.append(route)
        else:
            route.continue_()

    page.route("**/v1/threads", hold)
    page.route(
        "**/v1/plans/stream",
        lambda route: route.fulfill(status=200, content_type="text/event-stream", body=STREAM_START),
    )
    page.goto("/")
    page.wait_for_function("document.readyState === 'complete'")
    page.wait_for_timeout(300)
    assert held, "the page asks for its threads while it boots"
    assert page.locator("#composer-input").is_disabled(), "nothing can be sent before the page is ready"
    page.unroute("**/v1/threads")
    for route in held:
        route.continue_()
    page.locator("#composer-input").fill(QUESTION)  # waits until the composer is enabled
    page.locator("#composer-input").press("Enter")
    error = page.locator(".error-box")
    error.wait_for()
    page.wait_for_timeout(500)
    assert error.is_visible(), "the failed turn stays on screen after the route's first render"
