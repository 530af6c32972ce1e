"""What a manager reads in an offline plan is statements: no run of table cells posing as one, no
Markdown heading inside a quote, no title posing as a challenge, no risk posing as an action."""

from __future__ import annotations

import pytest

from agents.language.text import is_listing
from agents.offline.answer import direct_answers
from agents.offline.extract import candidates
from agents.offline.sentences import classify
from agents.offline.units import answer_units, thicken
from agents.state import Evidence


def _ev(text: str, chunk_id: str = "c1", title: str = "报告") -> Evidence:
    return Evidence(chunk_id=chunk_id, score=1.0, source=f"{chunk_id}.md", title=title, text=text)


@pytest.mark.parametrize(
    ("text", "listing"),
    [
        ("零售、体检、AI+病理诊断、辅助诊断、医疗机器人、药物检索、用药指导", True),
        ("产品辅助设计、生产计划/智能排产、事故预警、仓储配送", True),
        ("金融 文娱 教育+公用事业 消费/电商 制造+能源 医疗+健康", True),  # an industry header row
        ("金融：代码助手、智能办公/智慧运营、智能风控、信贷业务智能审核放款", True),  # a labelled row
        ("数据、算力、人才是AI落地的三大要素。", False),  # the last item has a predicate
        ("企业应定期开展AI相关培训。", False),
        ("起草、改写和润色内部文稿", False),
        ("Security, privacy and compliance are key to adoption", False),
    ],
)
def test_a_run_of_names_is_told_from_a_statement(text: str, listing: bool) -> None:
    assert is_listing(text) is listing


def test_a_run_of_names_is_never_a_challenge_action_or_risk() -> None:
    text = "主要障碍：\n\n数据孤岛、人才短缺、成本压力、合规风险\n\n企业应当先解决数据孤岛问题。\n"
    assert classify("数据孤岛、人才短缺、成本压力、合规风险") is not None  # cue words alone would say so
    found = candidates("tech", [_ev(text)], "企业落地AI的主要障碍和数据孤岛问题", "zh")
    assert found and all(not is_listing(c.raw) for c in found)
    assert all("、人才短缺、" not in c.raw for c in found)


def test_a_table_row_answers_only_a_question_that_names_one_of_its_cells() -> None:
    table = (
        "行业\t场景\n医疗\t导诊/分诊\tAI+医学影像\t精准医疗\t病历录入\n"
        "零售\t体检\tAI+病理诊断\t辅助诊断\t医疗机器人\n"
    )
    asked = direct_answers("医院想用AI做导诊，有哪些做法？", [_ev(table)], "zh", limit=4)
    assert asked, "the row that names 导诊 answers"
    assert all("导诊" in a.quote for a in asked)  # the neighbouring row does not
    assert all(a.text.startswith("资料所列：") for a in asked)  # shown as a list, not as a statement
    assert not direct_answers("医院如何做好患者分流管理？", [_ev(table)], "zh", limit=4)
    rule = (
        "| 级别 | 类别 | 示例 | 外部AI工具 |\n| --- | --- | --- | --- |\n"
        "| L1 | 公开数据 | 新闻稿、公开年报 | 可以使用 |\n"
    )
    said = direct_answers("公开数据能不能用外部AI工具？", [_ev(rule)], "zh", limit=4)
    assert any("可以使用" in a.quote and not a.text.startswith("资料所列") for a in said)  # a row that states


HANDBOOK = """# 实施AI客服的挑战与解决方案

## 摘要

面对快速变化的市场环境，越来越多的企业开始实施AI客服以提升客户服务质量和效率。

## 第六章 模型风险管理

第三十四条 二级以上的人工智能应用上线前，应当通过模型风险评审。
"""


def test_quotes_and_answers_carry_no_markdown_heading() -> None:
    for unit in answer_units(HANDBOOK):
        assert "#" not in unit.quote, unit
        if unit.kind != "heading" or unit.quote != unit.text:
            continue
        assert not unit.text.startswith(("第六章", "实施AI客服")), unit  # no heading run into the text
    assert not direct_answers("实施AI客服有哪些挑战与解决方案？", [_ev(HANDBOOK.split("## 摘要")[0])], "zh")
    answers = direct_answers("二级应用上线前需要通过什么评审？", [_ev(HANDBOOK)], "zh")
    assert answers and answers[0].text.startswith("第三十四条"), answers
    assert all("第六章" not in a.text and "#" not in a.quote for a in answers)


def test_a_heading_is_run_in_only_when_it_labels_the_sentence_under_it() -> None:
    text = (
        "# 员工使用AI工具指引\n\n为帮助员工安全地使用AI工具，制定本指引。\n\n"
        "### 美术资产生成\n\n这是AI赋能游戏行业最重要的部分之一。\n"
    )
    units = {u.text: u for u in answer_units(text) if u.kind == "heading"}
    assert "为帮助员工安全地使用AI工具，制定本指引。" in units  # the document's title is not run in
    labelled = units["美术资产生成：这是AI赋能游戏行业最重要的部分之一。"]  # a label is
    assert labelled.quote.startswith("美术资产生成") and "#" not in labelled.quote


def test_a_bare_title_is_thickened_only_by_prose_right_under_it() -> None:
    title = "实施AI客服的挑战与解决方案"
    assert thicken(HANDBOOK, title) == title  # not '… ## 摘要 …'
    thick = thicken(HANDBOOK, "第六章 模型风险管理")
    assert thick.startswith("第六章 模型风险管理") and thick.endswith("应当通过模型风险评审。")
    assert "#" not in thick


@pytest.mark.parametrize(
    ("sentence", "heading", "kind"),
    [
        ("实施AI客服的挑战与解决方案", True, None),  # an article title names a subject
        ("Challenges and solutions of AI customer service", True, None),
        ("数据安全与隐私保护不可忽视，合规性管理至关重要", True, "challenge"),
        ("成本控制压力：开发和维护融合AI能力的产品体系可能需要较高的成本。", False, "challenge"),
        ("数据安全风险：引入外部技术可能带来数据泄露的风险。", False, "risk"),
        ("企业应定期开展AI相关培训。", False, "action"),
    ],
)
def test_titles_are_not_challenges_and_labelled_risks_are_not_actions(
    sentence: str, heading: bool, kind: str | None
) -> None:
    assert classify(sentence, heading) == kind


def test_an_article_of_prose_is_quoted_whole_and_a_long_text_is_cut_between_sentences() -> None:
    """An article of three sentences was cut at a comma before the sentence that answers the
    question ('…情形下' without '应当取得个人的单独同意')."""
    from agents.language.text import shorten

    article = (
        "第八条 敏感个人信息是一旦泄露或者非法使用，容易导致自然人的人格尊严受到侵害或者人身、"
        "财产安全受到危害的个人信息，包括生物识别、宗教信仰、特定身份、医疗健康、金融账户、行踪轨迹等信息。只有在具有特定的目的和"
        "充分的必要性，并采取严格保护措施的情形下，处理者方可处理敏感个人信息。处理敏感个人信息应当取得个人的单独同意。"
    )
    found = direct_answers("处理患者的医疗健康信息需要取得什么样的同意？", [_ev(article, title="规则")], "zh")
    assert found and found[0].text.rstrip("。").endswith("应当取得个人的单独同意")
    text = (
        "企业应当建立数据分类分级制度，明确各类数据的保护要求。" * 3
        + "其余事项另行规定，包括适用范围、例外情形和过渡安排等。"
    )
    cut = shorten(text, 90)
    assert cut.endswith("。") and cut in text and len(cut) <= 90  # whole sentences, never a clause


def test_a_plan_of_steps_alone_still_has_a_summary() -> None:
    """A narrow rules question whose articles were all found as steps (no direct answer, challenge
    or risk) had an empty summary: the manager saw a roadmap with no lead. The steps that match
    most of the question lead (the assembler ranks them), not each area's first."""
    from agents.offline.summary import write_summary
    from agents.state import AreaFindings, Claim

    step = Claim(
        text="第十六条 向境外提供个人信息的，应当通过安全评估。", evidence_ids=["a"], quote="第十六条…"
    )
    findings = [AreaFindings(area="security", queries=[], evidence_ids=["a"], actions=[step])]
    summary = write_summary("zh", findings, [], [], lambda c: [1], broad=False, steps=[step])
    assert summary == "资料要点：第十六条 向境外提供个人信息的，应当通过安全评估[1]。"
    assert (
        write_summary(
            "zh", [AreaFindings(area="security", queries=[], evidence_ids=[])], [], [], lambda c: [1]
        )
        == ""
    )


def test_a_rules_duty_is_an_action_and_a_definition_is_neither_risk_nor_step() -> None:
    """'我们的AI客服…把手机号和收货地址泄露出去了，接下来应该怎么处理？' showed the breach-notice article
    as a risk: its condition ('发生…泄露的，') named the incident the duty is for."""
    from agents.offline.sentences import classify

    duty = "第二十五条 发生或者可能发生个人信息泄露、篡改、丢失的，处理者应当立即采取补救措施，并通知个人。"
    assert classify(duty) == "action"
    assert classify("数据泄露可能导致企业声誉受损和法律风险。") == "risk"  # an incident itself stays a risk
    definition = "敏感个人信息，是指一旦被泄露、滥用或者非法提供，可能危及人身、财产安全的个人信息。"
    assert classify(definition) is None


def test_a_clause_opening_with_yao_is_advice_and_a_unified_data_view_is_groundwork() -> None:
    """'同时，要对分散在各个业务系统中的数据进行整合，形成统一的数据视图' was never a candidate (no modal
    the classifier knew), so '数据孤岛…怎样整合数据' plans missed it; as an action it fell in 'integrate
    and scale', after the pilot it is groundwork for."""
    from agents.offline import roadmap

    unify = "同时，要对分散在各个业务系统中的数据进行整合，形成统一的数据视图，以便于后续的分析和利用。"
    assert classify(unify) == "action"
    assert roadmap.stage(unify) == "foundation"
    plain = ("这是重要的一步。", "主要对象是客户。", "要素包括数据和算力。", "我们想要对客户做分析。")
    for not_advice in plain:
        assert classify(not_advice) is None, not_advice


def test_a_step_of_a_named_phase_is_placed_by_its_phase() -> None:
    """'第六节 运营优化阶段：按照制度第三十七条参加复评' had fallen into the first months through '制度':
    a step listed under a phase belongs to that phase."""
    from agents.offline import roadmap

    assert roadmap.stage("第六节 运营优化阶段：按照制度第三十七条参加复评。") == "sustain"
    assert roadmap.stage("第五节 推广上线阶段：完成使用人员培训和考核。") == "scale"
    assert roadmap.stage("第四节 试点验证阶段：按照制度组织模型风险评审。") == "pilot"
    assert roadmap.stage("第三节 数据准备阶段：清洗数据，处理缺失、重复的问题。") == "foundation"
    # a lead-in that names no phase leaves the step to its own words
    assert roadmap.stage("主要原则：按照制度第三十七条参加复评。") == "foundation"


def test_an_incident_response_comes_first_and_go_live_conditions_before_scale() -> None:
    """A reviewer found a data-leak response under 'pilot' (no cue word: the default) and the
    conditions for going live under 'operate and review'."""
    from agents.offline import roadmap

    respond = "发现安全事件后，应用单位应当立即采取控制措施，并在2小时内报告信息技术部。"
    assert roadmap.stage(respond) == "foundation"
    assert roadmap.stage("人工智能应用正式上线应当具备以下条件：已通过模型风险评审。") == "pilot"
    assert roadmap.stage("二级和三级应用上线前应当通过模型风险评审。") == "foundation"


def test_a_duty_due_within_hours_is_done_first() -> None:
    from agents.offline import roadmap

    assert roadmap.stage("发现以下情况，应当在1小时内通过信息安全热线或者服务台报告。") == "foundation"
