"""Survey reports: a chart's caption, its credit lines and its ranking read as a reader reads them.

A caption announced by '调研结果如下：' is answered by the prose after the chart's credits, in the
next chunk; a caption under the prose that discusses its chart closes that discussion. A ranking
named by its leader ('…如下：“数据安全”以53.2%的比例位居首位') goes on in entries with their shares.
"""

from __future__ import annotations

from agents.offline.answer import direct_answers
from agents.offline.assemble import Assembler
from agents.offline.edges import ends_open
from agents.offline.facets import find_facets
from agents.offline.units import answer_units
from agents.state import Evidence

CREDITS = "\n\n数据来源：某研究院开发者调研，调研时间2024年9-10月\n\n©某研究院\n\nwww.example.cn"
ANNOUNCED = (
    "行业用户在推进AI项目时面临不少挑战。调研结果如下：\n\n企业在AI规划和开发过程中遇到的主要问题" + CREDITS
)
DISCUSSED = "普遍选择的AI应用场景如下，代码开发与测试以59.2%位居首位。\n\n行业企业目前选择的AI场景" + CREDITS


def _ev(chunk_id: str, text: str, score: float, section: str = "调研") -> Evidence:
    return Evidence(
        chunk_id=chunk_id, score=score, source="r.md", title="报告", section=section, text=text, area="market"
    )


def test_credit_lines_are_no_answer_and_a_caption_opens_more_only_when_announced() -> None:
    assert not any("数据来源" in u.text for u in answer_units(ANNOUNCED))
    rule = "第十条 训练数据的要求如下。\n\n数据来源：应当合法、正当，不得使用来源不明的数据。"
    assert any("不得使用来源不明的数据" in u.text for u in answer_units(rule))  # a rule, not a credit
    assert ends_open(ANNOUNCED)  # the chart's discussion follows its credits, in the next chunk
    assert not ends_open(DISCUSSED)  # the discussion came first: the next chunk is another subject
    assert ends_open("一、概述\n\n企业正在加速落地AI。\n\n## 二、主要挑战")  # a plain heading still does


def test_the_prose_after_an_announced_caption_answers_the_question_the_caption_names() -> None:
    question = "企业在AI规划和开发中最常遇到哪些问题？"
    successor = _ev(
        "next",
        "©某研究院\n\nwww.example.cn\n\n最突出的问题是“没有合适的流程和场景”，很多企业难以把模型用进业务。",
        0.5,
    )
    evidence = {e.chunk_id: e for e in [_ev("cap", ANNOUNCED, 0.9), _ev("x", "企业应当重视员工培训。", 0.8)]}

    def more(passages: list[Evidence]) -> list[tuple[str, Evidence]]:
        return [("cap", successor)] if any(p.chunk_id == "cap" for p in passages) else []

    answers = Assembler(evidence, "zh", more=more)._answers(question, None)
    quotes = [a.quote for a in answers]
    assert any("没有合适的流程和场景" in q for q in quotes), quotes
    assert not any(q.strip() == "企业在AI规划和开发过程中遇到的主要问题" for q in quotes), (
        "a bare caption says nothing"
    )


def test_a_caption_hands_on_only_its_own_relevance() -> None:
    """The caption names problems; a question about costs must not inherit the problems chart's prose
    through the text above the caption that did answer it."""
    text = "AI项目的成本构成如下：算力成本占比最高。调研结果如下：\n\n企业遇到的主要障碍" + CREDITS
    successor = _ev("next", "©某研究院\n\nwww.example.cn\n\n最突出的是员工抵触新工具，培训跟不上。", 0.5)

    def more(passages: list[Evidence]) -> list[tuple[str, Evidence]]:
        return [("cap", successor)] if any(p.chunk_id == "cap" for p in passages) else []

    answers = Assembler({"cap": _ev("cap", text, 0.9)}, "zh", more=more)._answers(
        "AI项目的成本构成是怎样的？", None
    )
    assert answers and not any("员工抵触" in a.quote for a in answers), [a.quote for a in answers]


def test_a_rankings_later_entries_answer_with_its_leader() -> None:
    question = "企业在规划AI开发路径时主要考虑哪些因素？"
    leader = "行业企业在进行AI开发路径规划时主要考虑的因素如下：“数据安全与隐私保护”以53.2%的比例位居首位。"
    entry = "“技术支持与维护”占比34.2%，“定制化与灵活性”占比30.5%，这表明企业也重视服务。"
    other = entry.replace("技术", "渠道")
    evidence = [_ev("a", leader, 0.9), _ev("b", entry, 0.5), _ev("c", other, 0.5, "别处")]
    quotes = [a.quote for a in direct_answers(question, evidence, "zh", limit=2)]
    assert entry in quotes, quotes  # the same section's next chunk goes on with the list
    assert other not in quotes  # an entry of another section's chart does not


def test_data_that_must_not_leave_the_plant_is_a_residency_constraint() -> None:
    facets = find_facets("我们是制造企业，数据不能出厂，想做设备预测性维护，怎么开始？", "zh")
    assert any(f.kind == "residency" and "出厂" in f.value for f in facets), facets


def test_asking_which_factors_names_no_topic_of_its_own() -> None:
    facets = find_facets("企业在规划AI开发路径时主要考虑哪些因素？", "zh")
    assert not any(f.kind == "topic" and "因素" in f.value for f in facets), facets


def test_a_sequence_goes_on_after_its_first_step_in_reading_order() -> None:
    """'最突出的问题是…' answers a question about the most common problems; '其次，…' and '再次，…' are
    the rest of that list, shown after it in the text's order, and a '其次' of another passage is not."""
    question = "企业推进AI项目时最常遇到哪些问题？"
    text = (
        "最突出的问题是企业推进AI项目时缺少合适的业务场景。\n\n"
        "其次，数据资源不足限制了模型效果。\n\n"
        "再次，是成本投入方面的压力。\n\n"
        "最后，法律和伦理层面的顾虑也不少。"
    )
    other = _ev("o", "其次，门店装修需要提前三个月规划。", 0.95, "别处")
    answers = direct_answers(question, [_ev("a", text, 0.9), other], "zh", limit=1)
    quotes = [a.quote for a in answers]
    assert quotes and quotes[0].startswith("最突出的问题"), quotes
    assert [q[:2] for q in quotes[1:]] == ["其次", "再次"], quotes  # at most two, in reading order
    assert not any("门店装修" in q for q in quotes)
