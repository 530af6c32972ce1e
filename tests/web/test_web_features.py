"""The chat UI's newer features in a real Chromium against a real offline server: sources by
title, the document viewer, gaps and roadmap spans, feedback, Word export, share links,
regenerate and edit, thread rename and search, the theme toggle, the input counter, honest Stop,
plan review, refusals in the interface language, admin document management and touch targets."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from docx import Document
from web_support import OFF_TOPIC_EN, QUESTION, Page, ask, server_turns, thread_id

HASH_NAME = re.compile(r"\d{3}_[0-9a-f]{16}\.txt")
GAPS = ["三年以上的预算测算", "与现有 ERP 的数据接口规格"]
PHASES = [{"id": "0-6", "label": "试点"}, {"id": "6-12", "label": "推广"}]


def with_gaps_and_phases(route: Any) -> None:
    """The real stream, with gaps and two custom roadmap spans written into the plan event."""
    response = route.fetch()
    blocks = []
    for block in response.text().replace("\r\n", "\n").split("\n\n"):
        if block.startswith("event: plan"):
            head, data = block.split("\ndata: ", 1)
            plan = json.loads(data)
            plan["gaps"], plan["phases"] = GAPS, PHASES
            for i, action in enumerate(plan["actions"]):
                action["phase"] = PHASES[i % 2]["id"]
            block = f"{head}\ndata: {json.dumps(plan, ensure_ascii=False)}"
        blocks.append(block)
    route.fulfill(status=200, headers=dict(response.headers), body="\n\n".join(blocks))


def test_sources_by_title_open_a_viewer_scrolled_to_the_cited_passage(
    web_page: Callable[..., Page], web_server: str, shoot: Callable[..., None]
) -> None:
    page = web_page()
    page.goto("/")
    turn = ask(page, QUESTION)
    plan = server_turns(web_server, thread_id(page))[-1]["plan"]
    sources = turn.locator(".source-list")
    assert not HASH_NAME.search(sources.inner_text()), "sources are named by title, not file name"
    first = plan["citations"][0]
    assert sources.locator(".source-title").first.inner_text() == first["title"]

    button = sources.locator(".source").first
    button.click()
    viewer = page.get_by_role("dialog", name=first["title"])
    viewer.locator(".passage").first.wait_for()
    cited = viewer.locator(".passage[aria-current=true]")
    squash = "".join
    assert cited.count() == 1
    # the cited passage is marked whole; the quote is one span of it, not necessarily its opening
    assert squash(first["quote"].split())[:30] in squash(cited.locator("mark").inner_text().split())
    assert cited.evaluate("el => el === document.activeElement"), "the cited passage takes focus"
    passages = httpx.get(f"{web_server}/v1/passages/{first['source']}", timeout=30).json()
    assert viewer.locator(".passage").count() == len(passages["passages"])
    box = cited.bounding_box()
    assert box and 0 <= box["y"] < 860, "scrolled to the cited passage"
    shoot(page, "20-viewer-desktop")
    for _ in range(12):  # focus never leaves the dialog
        page.keyboard.press("Tab")
        assert viewer.evaluate("d => d.contains(document.activeElement)")
    page.keyboard.press("Escape")
    viewer.wait_for(state="hidden")
    assert button.evaluate("el => el === document.activeElement"), "focus returns to the source"

    # From a chip: the drawer is a dialog too; no literal "null", also when stepping with ‹ ›.
    turn.locator(".chip").first.click()
    drawer = page.get_by_role("dialog", name="来源")
    drawer.locator(".quote").wait_for()
    assert "null" not in drawer.inner_text()
    for _ in range(3):
        if page.locator("#drawer-next").is_enabled():
            page.locator("#drawer-next").click()
            assert "null" not in drawer.inner_text() and not HASH_NAME.search(drawer.inner_text())
    for _ in range(8):
        page.keyboard.press("Tab")
        assert drawer.evaluate("d => d.contains(document.activeElement)")
    drawer.get_by_role("button", name="阅读全文").click()
    page.locator("#viewer .passage[aria-current=true]").wait_for()
    page.keyboard.press("Escape")
    page.locator("#viewer").wait_for(state="hidden")
    page.keyboard.press("Escape")
    drawer.wait_for(state="hidden")


def test_gaps_show_above_a_roadmap_of_the_plans_own_spans(
    web_page: Callable[..., Page], shoot: Callable[..., None]
) -> None:
    page = web_page()
    page.route("**/v1/plans/stream", with_gaps_and_phases)
    page.goto("/")
    turn = ask(page, QUESTION)
    gaps = turn.get_by_role("region", name="资料未覆盖")
    assert gaps.locator("li").all_inner_texts() == GAPS
    roadmap = turn.get_by_role("region", name="落地路线图")
    assert gaps.bounding_box()["y"] < roadmap.bounding_box()["y"]  # type: ignore[index]
    labels = roadmap.locator(".phase-label").all_inner_texts()
    assert labels == ["0–6 个月 · 试点", "6–12 个月 · 推广"]
    gaps.scroll_into_view_if_needed()
    shoot(page, "21-gaps-roadmap-desktop")


def test_a_question_without_a_horizon_shows_numbered_steps_not_months(
    web_page: Callable[..., Page], web_server: str
) -> None:
    page = web_page()
    page.goto("/")
    turn = ask(page, "我们是一家中型制造企业，想落地AI，技术整合和人才培养分别该怎么做？")
    plan = server_turns(web_server, thread_id(page))[-1]["plan"]
    assert {a["phase"] for a in plan["actions"]} <= {p["id"] for p in plan["phases"]}
    shown = [f"第 {p['id'].removeprefix('step-')} 步 · {p['label']}" for p in plan["phases"]]
    labels = turn.get_by_role("region", name="落地路线图").locator(".phase-label").all_inner_texts()
    assert labels and labels == shown and not any("个月" in x for x in labels)


def test_feedback_word_export_share_regenerate_and_edit(
    web_page: Callable[..., Page], web_server: str, tmp_path: Path
) -> None:
    page = web_page(permissions=["clipboard-read", "clipboard-write"])
    page.goto("/")
    turn = ask(page, QUESTION)
    tid = thread_id(page)

    turn.get_by_role("button", name="没帮助").click()
    turn.get_by_label("补充说明（可选）").fill("没有提到预算")
    turn.get_by_role("button", name="提交反馈").click()
    turn.get_by_text("感谢你的反馈").wait_for()
    stored = [e for e in httpx.get(f"{web_server}/v1/feedback", timeout=30).json() if e["thread_id"] == tid]
    assert [(e["rating"], e["comment"], e["turn"]) for e in stored] == [("down", "没有提到预算", 0)]

    with page.expect_download() as info:
        turn.get_by_role("button", name="下载 Word").click()
    assert info.value.suggested_filename.endswith(".docx")
    target = tmp_path / "plan.docx"
    info.value.save_as(target)
    doc = Document(io.BytesIO(target.read_bytes()))
    assert doc.paragraphs[0].text == "AI落地计划" and doc.tables, "headings and the roadmap table"

    turn.get_by_role("button", name="复制链接").click()
    link = page.evaluate("navigator.clipboard.readText()")
    assert link.endswith(f"#/t/{tid}/turn/0")

    turn.get_by_role("button", name="重新生成").click()
    page.locator("[data-testid=turn]").nth(1).locator("[data-testid=plan]").wait_for()
    assert page.locator(".msg.user .bubble").all_inner_texts() == [QUESTION, QUESTION]
    assert len(server_turns(web_server, tid)) == 2

    page.locator("[data-testid=turn]").nth(0).get_by_role("button", name="编辑问题").click()
    assert page.locator("#composer-input").input_value() == QUESTION
    assert page.locator("#composer-input").evaluate("el => el === document.activeElement")

    shared = web_page()
    shared.goto(link.replace(web_server, ""))
    target_turn = shared.locator(".turn.shared")
    target_turn.wait_for()
    assert shared.locator("[data-testid=turn]").nth(0).get_attribute("class") == "turn shared"


def test_rename_and_search_threads(web_page: Callable[..., Page], web_server: str) -> None:
    page = web_page()
    page.goto("/")
    ask(page, QUESTION)
    tid = thread_id(page)
    item = page.locator(f".thread[data-id='{tid}']")
    item.get_by_role("button", name=re.compile("^重命名对话")).click()
    page.get_by_label("对话名称").fill("制造业一年计划")
    page.get_by_label("对话名称").press("Enter")
    page.locator(f".thread[data-id='{tid}'] .thread-title").get_by_text("制造业一年计划").wait_for()
    assert page.locator("#thread-title").inner_text() == "制造业一年计划"
    assert httpx.get(f"{web_server}/v1/threads/{tid}", timeout=30).json()["title"] == "制造业一年计划"

    search = page.get_by_role("searchbox", name="搜索对话")
    search.fill("一年计划")
    assert page.locator(".thread").count() == 1
    search.fill("不存在的标题xyz")
    assert page.locator(".thread").count() == 0 and page.get_by_text("没有匹配的对话").is_visible()


def test_theme_toggle_is_remembered(web_page: Callable[..., Page], shoot: Callable[..., None]) -> None:
    page = web_page(color_scheme="light")
    page.goto("/")
    toggle = page.locator("#theme-toggle")
    assert toggle.inner_text().strip() == "主题：跟随系统"
    toggle.click()
    toggle.click()
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    ask(page, QUESTION)
    page.reload()
    page.locator("[data-testid=plan]").wait_for()
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(23, 24, 28)", background
    shoot(page, "22-plan-dark-desktop")


def test_counter_near_the_limit_and_no_silent_truncation(web_page: Callable[..., Page]) -> None:
    page = web_page()
    page.goto("/")
    box = page.locator("#composer-input")
    box.fill("数" * 3500)
    assert page.locator("#composer-counter").inner_text() == "3500 / 4000"
    box.fill("数" * 10_000)
    assert len(box.input_value()) == 10_000, "nothing is cut silently"
    assert page.locator("#composer-counter").inner_text() == "超出 6000 字，请精简后再发送"
    assert page.get_by_role("button", name="发送").is_disabled()
    box.press("Enter")
    assert page.locator("[data-testid=turn]").count() == 0
    box.fill("短问题")
    assert page.locator("#composer-counter").inner_text() == ""


def test_stop_is_honest_about_what_the_server_kept(web_page: Callable[..., Page], web_server: str) -> None:
    page = web_page()
    page.goto("/")
    # The server finishes the plan, but its answer never reaches the page: then Stop.
    page.route("**/v1/plans/stream", lambda route: route.fetch())
    page.locator("#composer-input").fill(QUESTION)
    page.locator("#composer-input").press("Enter")
    page.locator(".lane").first.wait_for()
    tid = thread_id(page)
    while not server_turns(web_server, tid):
        page.wait_for_timeout(100)
    page.get_by_role("button", name="停止").click()
    page.locator("[data-testid=plan]").wait_for()
    assert "停止生效前，方案已经生成" in page.locator(".turn").inner_text()
    page.unroute("**/v1/plans/stream")
    page.reload()
    page.locator("[data-testid=plan]").wait_for()
    assert page.locator("[data-testid=turn]").count() == 1 == len(server_turns(web_server, tid))

    # A stop before the server finished: nothing is kept, and a reload shows nothing either.
    page.route("**/v1/plans/stream", lambda route: None)
    page.locator("#composer-input").fill("人才短缺的问题具体怎么解决？")
    page.locator("#composer-input").press("Enter")
    page.get_by_role("button", name="停止").click()
    page.get_by_text("已停止生成。").wait_for()
    assert page.locator("[data-testid=turn]").count() == 2 and len(server_turns(web_server, tid)) == 1
    page.reload()
    page.locator("[data-testid=plan]").wait_for()
    assert page.locator("[data-testid=turn]").count() == 1


def test_plan_review_lets_the_user_narrow_the_areas(
    web_page: Callable[..., Page], web_server: str, shoot: Callable[..., None]
) -> None:
    page = web_page()
    page.goto("/")
    page.get_by_label("先审阅计划").check()
    with page.expect_request("**/v1/plans/stream") as sent:
        page.locator("#composer-input").fill(QUESTION)
        page.locator("#composer-input").press("Enter")
    assert json.loads(sent.value.post_data or "{}")["review"] is True
    card = page.locator("[data-testid=review]")
    card.wait_for()
    assert page.locator(".spinner, .lane .dots").count() == 0, "waiting for the user is not busy"
    assert page.locator(".progress-title").inner_text() == "等待你确认计划"
    assert "一年" in card.locator(".review-facets").inner_text(), "the planner's reading of the question"
    for area in ("技术整合", "组织人才", "市场与ROI"):
        card.get_by_role("checkbox", name=area).uncheck()
    card.get_by_label("安全合规：检索词").fill("数据安全 权限控制\n隐私合规")
    shoot(page, "23-review-desktop")
    card.get_by_role("button", name="按此计划分析").click()
    plan_card = page.locator("[data-testid=plan]")
    plan_card.wait_for()
    plan = server_turns(web_server, thread_id(page))[-1]["plan"]
    assert plan["areas"] == ["security"]
    assert page.locator(".lane[data-state=done]").count() == 1
    assert page.locator(".lane[data-area=security]").get_attribute("data-state") == "done"


def test_refusals_speak_the_interface_language(web_page: Callable[..., Page]) -> None:
    page = web_page(locale="en-US")
    page.goto("/")
    turn = ask(page, OFF_TOPIC_EN)
    head = turn.locator(".progress-head")
    assert turn.locator(".progress").get_attribute("data-state") == "refused"
    assert "Analysis complete" not in head.inner_text() and "Not answered" in head.inner_text()
    assert "分析完成" not in turn.inner_text()

    page = web_page(locale="zh-CN")
    page.goto("/")
    turn = ask(page, OFF_TOPIC_EN)
    reason = turn.locator(".refusal-reason")
    assert reason.count() == 0 or re.search(r"[\u4e00-\u9fff]", reason.inner_text()), reason.inner_text()
    assert "未作答" in turn.locator(".progress-head").inner_text()


def test_admin_uploads_repermissions_and_deletes_a_document(
    web_page: Callable[..., Page], web_server: str, tmp_path: Path, shoot: Callable[..., None]
) -> None:
    page = web_page()
    page.goto("/")
    page.get_by_role("button", name="文档管理").click()
    dialog = page.get_by_role("dialog", name="文档管理")
    dialog.locator(".doc-row").first.wait_for()
    doc = tmp_path / "ai_pilot_notes.md"
    doc.write_text(
        "# 试点记录\n\n企业在AI试点阶段应当先梳理数据资产，并建立模型评估流程。\n" * 40, encoding="utf-8"
    )
    dialog.get_by_label("文件").set_input_files(str(doc))
    dialog.get_by_label("访问组").first.fill("ops")
    dialog.get_by_role("button", name="上传").click()
    dialog.get_by_text("ai_pilot_notes.md：已加入").wait_for()
    row = dialog.locator(".doc-row[data-source='ai_pilot_notes.md']")
    row.wait_for()
    shoot(page, "24-documents-desktop")
    listed = {d["source"]: d for d in httpx.get(f"{web_server}/v1/documents", timeout=30).json()}
    assert listed["ai_pilot_notes.md"]["access"] == ["ops"]

    row.get_by_label("访问组").fill("ops, finance")
    row.get_by_role("button", name="保存权限").click()
    page.get_by_text("权限已更新").first.wait_for()
    listed = {d["source"]: d for d in httpx.get(f"{web_server}/v1/documents", timeout=30).json()}
    assert listed["ai_pilot_notes.md"]["access"] == ["finance", "ops"]

    row = dialog.locator(".doc-row[data-source='ai_pilot_notes.md']")
    row.get_by_role("button", name=re.compile("删除")).click()
    row.get_by_role("button", name=re.compile("删除")).click()  # the second click confirms
    row.wait_for(state="detached")
    listed = {d["source"] for d in httpx.get(f"{web_server}/v1/documents", timeout=30).json()}
    assert "ai_pilot_notes.md" not in listed


def test_phone_touch_targets_and_dialogs(web_page: Callable[..., Page], shoot: Callable[..., None]) -> None:
    page = web_page(width=375, height=780, is_mobile=True, has_touch=True)
    page.goto("/")
    turn = ask(page, QUESTION)
    small = page.evaluate(
        """() => [...document.querySelectorAll('.plan .chip, .plan .toolbar .tool, .plan .vote')]
          .map(e => e.getBoundingClientRect()).filter(r => r.width < 44 || r.height < 44).length"""
    )
    assert small == 0, f"{small} citation markers or toolbar buttons are under 44 px"
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    turn.locator(".source").first.click()
    page.locator("#viewer .passage[aria-current=true]").wait_for()
    shoot(page, "25-viewer-phone")
    page.keyboard.press("Escape")
    turn.locator(".sec-sources").scroll_into_view_if_needed()
    shoot(page, "26-plan-sources-phone")
