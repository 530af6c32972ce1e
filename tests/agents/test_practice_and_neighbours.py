"""Described practice counts as a step, and a sentence next to the answer earns part of its relevance."""

from __future__ import annotations

from agents.offline.extract import NEIGHBOUR, _with_neighbours, candidates
from agents.offline.sentences import analyse, classify
from store.records import Passage

PRACTICE = (
    "企业会投入大量资源加强数据安全防护措施，"
    "如采用先进的加密技术、建立严格的访问控制机制、定期进行数据安全审计等。"
)


def test_measures_an_enterprise_takes_spelled_out_as_steps_are_an_action() -> None:
    assert classify(PRACTICE) == "action"
    # a method of the technology itself, with no organisation taking it, is no step for the reader
    method = "训练方式不断创新，例如新的联合训练策略，即在训练过程中先固定模型权重，再进行整体训练。"
    assert classify(method) is None
    english = "Companies take measures such as to establish audit trails and encrypt backups."
    assert classify(english) == "action"


def test_a_sentence_beside_the_answer_earns_a_share_of_its_relevance_within_its_passage_only() -> None:
    s = analyse(f"{PRACTICE}", "security", "zh")[0]
    kept = [(0, "a", s, 0.9), (0, "a", s, 0.1), (1, "b", s, 0.1)]
    out = [r for *_, r in _with_neighbours(kept)]
    assert out[0] == 0.9
    assert abs(out[1] - NEIGHBOUR * 0.9) < 1e-9  # next to the answer, in the same passage
    assert out[2] == 0.1  # another passage's sentence is no neighbour


def test_the_step_after_the_deciding_rule_is_kept_for_the_question_it_continues() -> None:
    text = (
        "第四十一条 发现安全事件后，应用单位应当立即采取控制措施，并在2小时内报告信息技术部。\n\n"
        "第四十二条 事件处置措施包括暂停相关功能、切换人工流程、保存日志和证据、排查原因。"
        "恢复使用前应当经信息技术部评估。\n\n"
        "第四十九条 员工每年参加不少于4学时的培训。"
    )
    passage = Passage(chunk_id="c", score=1.0, source="p.md", title="制度", section="第七章", text=text)
    found = candidates("security", [passage], "发生安全事件后应该怎样报告？", "zh", focused=True)
    quotes = " ".join(c.raw for c in found)
    assert "第四十一条" in quotes and "第四十二条" in quotes
    assert "第四十九条" not in quotes


def test_a_rule_in_a_chapter_headed_in_the_area_words_fits_the_area_a_report_section_does_not() -> None:
    """'第四十二条 事件处置措施包括暂停相关功能…' never says 安全, but its chapter is '安全事件处置'; a
    report's section heading vouches for nothing ('AI价值认知' under a security-sounding heading)."""
    rule = (
        "第四十二条 事件处置措施包括暂停相关功能、切换人工流程、保存日志和证据、排查原因、修复缺陷。"
        "恢复使用前应当经信息技术部评估。"
    )
    chapter = "第七章 安全事件处置"
    assert [s.fit for s in analyse(rule, "security", "zh")] == [False]
    assert [s.fit for s in analyse(rule, "security", "zh", chapter)] == [True]
    report = "企业需要设定可量化的指标来评估技术的成功，例如业务流程改进和客户满意度提升。"
    in_report = analyse(report, "security", "zh", "二、安全与合规挑战")
    assert in_report and not any(s.fit for s in in_report)


STAGE = (
    "## 第三节 数据准备阶段\n\n"
    "1. 列出所需数据清单，逐项确认数据级别、数据来源和授权情况；\n"
    "2. 清洗数据，处理缺失、重复和格式不一致的问题；\n"
    "3. 按照制度第三十七条参加复评。\n"
)


def test_the_numbered_work_of_a_phase_is_a_list_of_steps_though_it_has_no_modal() -> None:
    """Items under '第三节 数据准备阶段' separated from it by a blank line had been read as table cells
    and dropped, and '清洗数据，处理缺失…' had no modal to make it a step."""
    found = [s for s in analyse(STAGE, "tech", "zh") if s.kind == "action"]
    said = " ".join(s.text for s in found)
    assert "清洗数据" in said and "参加复评" in said
    # a list of benefits under a heading that names no work is not a list of steps
    benefits = "## 智能客服的价值\n\n1. 提高客户满意度，缩短响应时间；\n2. 降低运营成本，减少人工坐席。\n"
    assert not [s for s in analyse(benefits, "market", "zh") if s.kind == "action"]
    # cells of a table row are still no sentence
    assert not analyse("数据准备阶段：\t清洗数据\t处理缺失值和重复记录", "tech", "zh")


def test_a_question_asking_for_the_steps_ranks_the_listed_steps_of_a_phase_first() -> None:
    """'请给出…的实施步骤' had been answered by any rule that sounded like its area, level with the
    documents' own phased steps; those steps are what it asks for, and lead by a clear margin."""
    rule = Passage(
        chunk_id="r", score=1.0, source="p.md", title="制度", section="第三章",
        text="第十八条 系统上线应当经信息技术部批准，未经批准不得上线。",
    )  # fmt: skip
    stage = STAGE.replace("参加复评", "完成系统上线前的数据检查")
    steps = Passage(
        chunk_id="s", score=0.9, source="g.md", title="指南", section="第三节 数据准备阶段", text=stage
    )
    found = candidates("tech", [rule, steps], "请给出未来一年内上线AI坐席辅助系统的实施步骤。", "zh")
    step = max(c.score for c in found if c.chunk_id == "s")
    assert step - max(c.score for c in found if c.chunk_id == "r") > 1.0
