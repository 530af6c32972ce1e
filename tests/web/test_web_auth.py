"""The chat UI against a server that requires API keys: the key prompt, a rejected key, and a
key that stops working mid-session sending the user back to the prompt."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

GOOD_KEY = "web-manager-key-0123456789"
WEB_KEYS = [{"key": GOOD_KEY, "principal": "mia", "groups": ["ops"], "role": "viewer"}]

Page = Any


def test_key_prompt_rejects_a_bad_key_and_accepts_a_good_one(
    web_page: Callable[..., Page], shoot: Callable[..., None]
) -> None:
    page = web_page()
    page.goto("/")
    dialog = page.locator("#key-dialog")
    dialog.get_by_role("heading", name="需要 API 密钥").wait_for()
    shoot(page, "11-key-prompt")

    dialog.get_by_label("API 密钥").fill("not-a-valid-key-000")
    dialog.get_by_role("button", name="继续").click()
    dialog.get_by_role("alert").get_by_text("密钥无效或已过期").wait_for()
    assert page.evaluate("sessionStorage.getItem('advisor.apiKey')") is None

    page.keyboard.press("Escape")  # the prompt cannot be dismissed without a key
    assert dialog.is_visible()

    dialog.get_by_label("API 密钥").fill(GOOD_KEY)
    dialog.get_by_role("button", name="继续").click()
    page.locator("[data-testid=welcome]").wait_for()
    assert not dialog.is_visible()
    assert page.evaluate("sessionStorage.getItem('advisor.apiKey')") == GOOD_KEY

    page.locator("#composer-input").fill("企业落地AI时如何做好数据安全与合规？")
    page.locator("#composer-input").press("Enter")
    page.locator("[data-testid=plan]").wait_for()

    # A reload keeps the key for this tab: no prompt, the thread is still there.
    page.reload()
    page.locator("[data-testid=plan]").wait_for()
    assert not dialog.is_visible()


def test_a_401_sends_the_user_back_to_the_prompt(web_page: Callable[..., Page]) -> None:
    page = web_page()
    page.add_init_script(f"sessionStorage.setItem('advisor.apiKey', '{GOOD_KEY}')")
    page.goto("/")
    page.locator("[data-testid=welcome]").wait_for()
    assert not page.locator("#key-dialog").is_visible()

    page.evaluate("sessionStorage.setItem('advisor.apiKey', 'revoked-key-0123456789')")
    page.locator("#composer-input").fill("企业如何评估AI项目的投资回报？")
    page.locator("#composer-input").press("Enter")
    dialog = page.locator("#key-dialog")
    dialog.get_by_role("alert").get_by_text("密钥无效或已过期").wait_for()
    assert page.locator("[data-testid=turn] .error-box").get_by_role("button", name="重试").is_visible()

    dialog.get_by_label("API 密钥").fill(GOOD_KEY)
    dialog.get_by_role("button", name="继续").click()
    page.locator("[data-testid=turn] .error-box").get_by_role("button", name="重试").click()
    page.locator("[data-testid=plan]").wait_for()
