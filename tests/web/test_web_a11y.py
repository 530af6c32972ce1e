"""axe-core (vendored, tests/web/vendor) on every state of the chat UI, in light and dark:
0 critical and 0 serious violations. Also the skip link and the dialogs' roles."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from web_support import OFF_TOPIC_EN, QUESTION, Page, ask, axe_violations


def hold_stream(route: object) -> None:
    """Never answers: the page stays in its streaming state."""


def check(page: Page, state: str, scheme: str, shoot: Callable[..., None]) -> None:
    shoot(page, f"30-axe-{state}-{scheme}")
    found = axe_violations(page)
    assert not found, f"{state} ({scheme}): {found}"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_violations_in_any_state(
    web_page: Callable[..., Page], scheme: str, shoot: Callable[..., None]
) -> None:
    page = web_page(color_scheme=scheme)
    page.goto("/")
    page.locator("[data-testid=welcome]").wait_for()
    check(page, "welcome", scheme, shoot)

    page.route("**/v1/plans/stream", hold_stream)
    page.locator("#composer-input").fill(QUESTION)
    page.locator("#composer-input").press("Enter")
    page.locator(".lane").first.wait_for()
    check(page, "streaming", scheme, shoot)
    page.get_by_role("button", name="停止").click()
    page.get_by_text("已停止生成。").wait_for()
    check(page, "stopped", scheme, shoot)
    page.unroute("**/v1/plans/stream")

    page.route("**/v1/plans/stream", lambda route: route.fulfill(status=500, json={"detail": "boom"}))
    page.locator("#composer-input").fill(QUESTION)
    page.locator("#composer-input").press("Enter")
    page.locator(".error-box").wait_for()
    check(page, "error", scheme, shoot)
    page.unroute("**/v1/plans/stream")

    turn = ask(page, QUESTION)
    check(page, "plan", scheme, shoot)
    turn.locator(".chip").first.click()
    page.locator("#drawer .quote").wait_for()
    check(page, "drawer", scheme, shoot)
    page.keyboard.press("Escape")
    turn.locator(".source").first.click()
    page.locator("#viewer .passage[aria-current=true]").wait_for()
    check(page, "viewer", scheme, shoot)
    page.keyboard.press("Escape")

    ask(page, OFF_TOPIC_EN)
    check(page, "refusal", scheme, shoot)


def test_skip_link_and_dialog_roles(web_page: Callable[..., Page]) -> None:
    # On a touch screen the page does not focus the composer, so Tab starts at the top.
    page = web_page(width=375, height=780, is_mobile=True, has_touch=True)
    page.goto("/")
    page.locator("[data-testid=welcome]").wait_for()
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert skip.evaluate("el => el === document.activeElement")
    page.keyboard.press("Enter")
    assert page.locator("#composer-input").evaluate("el => el === document.activeElement")
    for dialog in ("#drawer", "#viewer", "#docs-dialog", "#profile-dialog"):
        assert page.locator(dialog).evaluate("el => el.tagName") == "DIALOG"
