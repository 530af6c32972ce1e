"""An article that introduces a list of what the question asks for answers it ahead of passages
that share more of the question's framing words."""

from __future__ import annotations

from agents.offline.answer import announces, direct_answers
from agents.offline.scope import expand
from agents.state import Evidence

CONDITIONS = (
    "第十八条 人工智能应用正式上线应当具备以下条件：\n\n（一）二级和三级应用已通过模型风险评审；\n\n"
    "（二）准确率等关键指标达到立项时确定的目标值；\n\n（三）完成安全测试，高危漏洞已修复；\n\n"
    "（四）制定应急预案和人工接管流程；\n\n（五）使用人员已完成培训。"
)
FRAMING = (
    "本指南用于指导各单位组织实施人工智能项目。"
    "项目一般分为需求评估、数据准备、试点验证、推广上线和运营优化五个阶段。"
)
FINANCE = "第十条 财务部负责人工智能项目的预算审核、投资评估和项目决算，参与项目上线后评价。"
# a project guide names its projects throughout: 项目 is common there, as in any such corpus
GUIDE = (
    "第十四条 各单位新建人工智能项目，应当提交项目立项申请表。",
    "第十五条 项目预算500万元以上的，由管委会审批。",
    "第二十条 项目实际支出超出批准预算10%以上的，应当重新履行审批程序。",
    "数据准备常常占项目工作量的一半左右，应当在项目计划中预留充足时间。",
)


def _ev(chunk_id: str, text: str, score: float) -> Evidence:
    return Evidence(chunk_id=chunk_id, score=score, source="p.md", title="制度", section="", text=text)


def test_the_article_listing_the_conditions_asked_for_leads() -> None:
    question = "AI项目上线前要满足哪些条件？"
    evidence = [_ev("guide", FRAMING, 0.9), _ev("finance", FINANCE, 0.8), _ev("rule", CONDITIONS, 0.5)]
    evidence += [_ev(f"g{i}", text, 0.4) for i, text in enumerate(GUIDE)]
    answers = direct_answers(question, evidence, "zh")
    assert answers and answers[0].chunk_id == "rule", [a.quote[:30] for a in answers]


def test_only_a_list_of_the_asked_category_on_the_lines_below_is_announced() -> None:
    assert announces(CONDITIONS, frozenset({"条件"}))
    assert not announces(CONDITIONS, frozenset({"风险"}))
    # a ranking told inline is a survey's finding, not a list introduced for its items
    assert not announces("考虑因素如下：“数据安全”以53.2%的比例位居首位。", frozenset({"因素"}))


def test_a_threshold_the_stated_figure_meets_is_no_answer_on_its_own() -> None:
    # an English question states no 'of' for its figures: every threshold they meet 'fits' them
    question = expand(
        "Our chatbot passed acceptance at 96% accuracy; monitoring now shows 89%. Who must we notify?", "en"
    )
    labelling = _ev("label", "4. 需要标注的，制定标注规范，抽检比例不低于5%；", 0.9)
    drop = _ev(
        "drop",
        "第三十六条 人工智能应用上线后应当持续监控模型表现。关键指标较上线验收值下降超过5个百分点的，"
        "应用单位应当在5个工作日内报告信息技术部。",
        0.5,
    )
    answers = direct_answers(
        question, [labelling, drop, *[_ev(f"g{i}", t, 0.4) for i, t in enumerate(GUIDE)]], "en"
    )
    assert answers and answers[0].chunk_id == "drop", [a.quote[:20] for a in answers]
    assert all(a.chunk_id != "label" for a in answers)  # '不低于5%' holds 89% too, yet is about labelling
