"""The chat UI in a real Chromium against a real server (offline mode, seed corpus): lanes,
plans, citation chips, threads, export, refusal and the phone layout. Language, profile,
keyboard and error handling: test_web_controls.py."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import httpx
from web_support import QUESTION, Page, ask, server_plans, thread_id

FOLLOW_UP = "人才短缺的问题具体怎么解决？"


SECOND = "引入大模型时，数据安全与隐私合规需要先做哪些准备？"


OFF_TOPIC = "明天北京的天气怎么样？"


AREAS = ("tech", "security", "org", "market")


# Records every state each lane is drawn in. The card is redrawn per event, so the added nodes
# keep each drawn state even when two events land in one network read and one task.
LANE_RECORDER = """
window.__laneStates = {};
new MutationObserver((records) => {
  for (const record of records) {
    for (const node of record.addedNodes) {
      if (!(node instanceof Element)) continue;
      for (const lane of node.matches('.lane') ? [node] : node.querySelectorAll('.lane')) {
        const seen = (window.__laneStates[lane.dataset.area] ||= []);
        const state = lane.dataset.state + '|' + lane.querySelector('.lane-status').textContent;
        if (seen[seen.length - 1] !== state) seen.push(state);
      }
    }
  }
}).observe(document, {subtree: true, childList: true});
"""


def test_lanes_progress_then_a_cited_plan_whose_chip_opens_the_quote(
    web_page: Callable[..., Page], web_server: str, shoot: Callable[..., None]
) -> None:
    page = web_page()
    page.add_init_script(LANE_RECORDER)
    page.goto("/")
    page.get_by_role("heading", name="今天想规划哪项 AI 落地？").wait_for()
    shoot(page, "01-welcome-desktop")
    page.locator("#composer-input").fill(QUESTION)
    page.locator("#composer-input").press("Enter")
    page.locator(".lane").first.wait_for()
    shoot(page, "02-progress-desktop")
    page.locator("[data-testid=plan]").wait_for()

    states: dict[str, list[str]] = page.evaluate("window.__laneStates")
    plan = server_plans(web_server, thread_id(page))[-1]
    assert set(plan["areas"]) == set(AREAS), "the question names all four areas"
    for area in AREAS:
        final_state, final_text = states[area][-1].split("|")
        assert final_state == "done" and re.fullmatch(r"\d+ 段证据 · \d+ 条发现", final_text), states[area]
        shown = [s.split("|")[0] for s in states[area]]
        assert "running" in shown[: shown.index("done")], f"lane {area} never showed its search: {shown}"
    labels = page.locator(".lane-name").all_text_contents()
    assert labels == ["技术整合", "安全合规", "组织人才", "市场与ROI"]
    assert "分派给 4 个专家" in page.locator(".step-planner").text_content()

    plan_card = page.locator("[data-testid=plan]")
    verify = plan_card.locator(".verify")
    v = plan["verification"]
    assert verify.inner_text().startswith(f"{v['statements']} 条陈述"), "plain words, no jargon"
    assert "召回" not in verify.inner_text() and "精确" not in verify.inner_text()
    assert f"引用召回率 {round(v['citation_recall'] * 100)}%" in (verify.get_attribute("title") or "")
    assert plan_card.locator(".banner").is_visible(), "offline mode must say so"
    phases = plan_card.locator(".phase-label").all_inner_texts()
    assert phases and all(p.startswith(("0–3 个月", "3–6 个月", "6–12 个月")) for p in phases)
    assert plan_card.locator(".source-list li").count() == len(plan["citations"])
    shoot(page, "03-plan-desktop")
    page.locator(".progress-head").click()  # the finished progress card folds open again
    assert page.locator(".lane-name").all_inner_texts() == ["技术整合", "安全合规", "组织人才", "市场与ROI"]
    shoot(page, "03b-progress-done-desktop")
    page.locator(".progress-head").click()

    chip = plan_card.locator(".chip").first
    number = int(chip.inner_text())
    cited = next(c for c in plan["citations"] if c["id"] == number)
    chip.focus()
    page.keyboard.press("Enter")  # chips are buttons: the keyboard opens them too
    drawer = page.locator("#drawer")
    drawer.locator(".quote").wait_for()
    assert drawer.locator(".src-title").inner_text() == cited["title"]
    quote = drawer.locator(".quote").inner_text()
    assert quote.strip() == cited["quote"].replace("**", "").strip()
    marked = drawer.locator(".quote mark")
    assert marked.count() == 1 and marked.inner_text().strip() in quote
    shoot(page, "04-citation-drawer-desktop")
    page.keyboard.press("Escape")
    drawer.wait_for(state="hidden")  # a dialog closes on Escape through the browser's close watcher
    assert chip.evaluate("el => el === document.activeElement"), "focus returns to the chip"


def test_threads_switch_back_and_survive_a_reload(web_page: Callable[..., Page]) -> None:
    page = web_page()
    page.goto("/")
    ask(page, QUESTION)
    first = thread_id(page)
    ask(page, FOLLOW_UP)
    assert thread_id(page) == first, "a follow-up stays in its thread"

    page.get_by_role("button", name="新对话").click()
    page.locator("[data-testid=welcome]").wait_for()
    ask(page, SECOND)
    second = thread_id(page)
    assert second != first
    for tid in (first, second):
        assert page.locator(f".thread[data-id='{tid}']").is_visible()

    page.locator(f".thread[data-id='{first}'] [data-testid=thread]").click()
    page.locator("[data-testid=turn]").nth(1).wait_for()
    bubbles = page.locator(".msg.user .bubble").all_inner_texts()
    assert bubbles == [QUESTION, FOLLOW_UP]
    assert page.locator("[data-testid=plan]").count() == 2

    page.reload()
    page.locator("[data-testid=turn]").nth(1).wait_for()
    assert page.locator(".msg.user .bubble").all_inner_texts() == [QUESTION, FOLLOW_UP]
    assert page.locator(f".thread[data-id='{first}']").get_attribute("class") == "thread current"

    # Delete asks for a confirmation in place, then removes the thread everywhere.
    page.locator(f".thread[data-id='{second}'] .thread-del").click()
    page.locator(".thread.confirming .danger-btn").click()
    page.locator(f".thread[data-id='{second}']").wait_for(state="detached")
    page.reload()
    page.locator(f".thread[data-id='{first}']").wait_for()
    assert page.locator(f".thread[data-id='{second}']").count() == 0


def test_export_markdown_download_and_clipboard(
    web_page: Callable[..., Page], web_server: str, tmp_path: Any
) -> None:
    page = web_page(permissions=["clipboard-read", "clipboard-write"])
    page.goto("/")
    ask(page, QUESTION)
    plan = server_plans(web_server, thread_id(page))[-1]
    with page.expect_download() as info:
        page.get_by_role("button", name="下载 Markdown").click()
    download = info.value
    assert download.suggested_filename.endswith(".md")
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    text = target.read_text(encoding="utf-8")

    # The server renders it (agents/render.py), so the file is exactly what the API returns.
    served = httpx.get(f"{web_server}/v1/threads/{thread_id(page)}/turns/0/export", timeout=30).text
    assert text == served
    assert text.startswith("# AI落地计划\n") and f"> 问题：{plan['question']}" in text
    for heading in ("## 概要", "## 路线图", "## 引用来源"):
        assert heading in text
    for action in plan["actions"]:
        assert action["text"] in text and action["owner"] in text
    for citation in plan["citations"]:
        assert f"{citation['id']}. {citation['title']}" in text
    for risk in plan["risks"]:
        assert risk["mitigation"] in text

    page.get_by_role("button", name="复制", exact=True).click()
    page.locator(".toast.show").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == text


def test_refusal_is_a_plain_notice(web_page: Callable[..., Page], shoot: Callable[..., None]) -> None:
    page = web_page()
    page.goto("/")
    ask(page, OFF_TOPIC)
    notice = page.locator("[data-testid=refusal]")
    assert "无法回答这个问题" in notice.inner_text()
    assert page.locator("[data-testid=plan]").count() == 0
    assert notice.locator(".chip").count() == 0
    assert page.locator(".lane[data-state=skipped]").count() == 4
    assert "问题超出知识库范围" in page.locator(".progress-head").inner_text()
    shoot(page, "05-refusal-desktop")


def test_phone_width_layout(web_page: Callable[..., Page], shoot: Callable[..., None]) -> None:
    page = web_page(width=375, height=780, is_mobile=True, has_touch=True)
    page.goto("/")
    shoot(page, "07-welcome-phone")
    ask(page, QUESTION)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px at phone width"
    wide = page.evaluate(
        "[...document.querySelectorAll('.plan *')].filter(e => e.getBoundingClientRect().right > 376).length"
    )
    assert wide == 0, "plan content sticks out of a 375px screen"
    shoot(page, "08-plan-phone")
    page.locator("[data-testid=plan] .chip").first.click()
    page.locator("#drawer .quote").wait_for()
    shoot(page, "09-citation-phone")
    page.get_by_role("button", name="关闭", exact=True).click()
    page.get_by_role("button", name="打开菜单").click()
    page.locator("[data-testid=thread]").first.wait_for(state="visible")
    shoot(page, "10-sidebar-phone")
