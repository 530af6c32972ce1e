"""'审批要多长时间？' is answered by the article that states the span, not by the one on who approves."""

from __future__ import annotations

from agents.offline.answer import direct_answers
from agents.offline.coverage import coverage
from agents.offline.facets import find_facets
from agents.state import Evidence

WHO = (
    "第十五条 审批权限按照风险等级和预算金额确定：（二）二级应用，或者预算50万元（含）以上、500万元以下的，"
    "由信息技术部会同风险合规部审核后，报分管副总裁审批。"
)
SPAN = (
    "第十六条 信息技术部应当在收到完整申请材料后10个工作日内出具审核意见；"
    "需要会审的，应当在20个工作日内完成会审。"
)
PLACE = "第二十五条 人工智能应用处理的L3数据，应当存储在境内的集团数据中心。"
OTHERS = [
    "第十九条 模型版本升级、使用范围扩大的，应用单位应当重新评估风险等级，按照新的等级重新履行审批程序。",
    "第二十条 项目实际支出超出批准预算10%以上的，应当按照本制度第十五条重新履行审批程序。",
    "第五十条 立项预算应当完整列示软件许可或者订阅费、云服务和算力费用。不得拆分项目规避审批。",
]
QUESTION = "我们事业部想采购一款AI工具，预算80万元，需要谁审批？审批要多长时间？"


def _ev(chunk_id: str, text: str) -> Evidence:
    return Evidence(
        chunk_id=chunk_id, score=1.0, source="p.md", title="制度", section="第三章 立项与审批", text=text
    )


def test_how_long_is_answered_by_the_span_the_rules_state() -> None:
    others = [_ev(f"o{i}", text) for i, text in enumerate(OTHERS)]
    found = direct_answers(QUESTION, [_ev("a", WHO), *others, _ev("b", SPAN), _ev("c", PLACE)], "zh", limit=3)
    quotes = [a.quote for a in found]
    assert any("第十六条" in q for q in quotes), quotes
    assert any("第十五条" in q for q in quotes)  # who approves is asked too


def test_a_duration_is_covered_only_by_a_span_of_time() -> None:
    facets = [f for f in find_facets(QUESTION, "zh") if f.kind == "figures"]
    assert facets
    states, gaps = coverage(facets, [WHO], [WHO, SPAN], "zh")
    assert not states[0].covered and gaps  # the budget thresholds are no span
    states, gaps = coverage(facets, [WHO, SPAN], [WHO, SPAN], "zh")
    assert states[0].covered and not gaps  # '审核意见' is the review the approval waits for
