"""Asks the documents rarely answer are named, and a scope clause answers no constraint."""

from __future__ import annotations

from agents.offline.coverage import coverage
from agents.offline.facet_answers import facet_answers
from agents.offline.facets import find_facets, named_industries
from agents.offline.setting import setting_of
from agents.state import Evidence

VISION = "我们制造事业部想做产线视觉质检，IT只有3个人。集团推荐用哪家模型或云厂商？"


def test_a_vendor_asked_for_is_a_gap_unless_a_quote_recommends_one() -> None:
    vendor = [f for f in find_facets(VISION, "zh") if f.kind == "vendor"]
    assert vendor, find_facets(VISION, "zh")
    _, gaps = coverage(vendor, ["第二十九条 采购外部人工智能服务，应当对供应商开展准入评估。"], [], "zh")
    assert gaps and "厂商" in gaps[0]
    _, none = coverage(vendor, ["小型单位推荐使用集团平台上的国产大模型。"], [], "zh")
    assert not none
    assert [f for f in find_facets("Which vendor should we pick?", "en") if f.kind == "vendor"]
    # 'which model' of a review or a level asks no vendor; '哪个部门' asks who
    assert not [f for f in find_facets("Which model risk review applies?", "en") if f.kind == "vendor"]
    assert not [f for f in find_facets("哪个部门负责审批？", "zh") if f.kind == "vendor"]


def test_a_scope_clause_is_no_answer_to_a_small_team() -> None:
    team = [f for f in find_facets(VISION, "zh") if f.kind == "team"]
    scope = "本指引适用于集团全体员工，以及在集团办公网络中工作的外包人员、实习生和顾问。"
    practice = "小型单位可以优先选择成熟的云服务或者采购产品，减少自行开发和运维的工作量。"
    evidence = [
        Evidence(chunk_id="scope", score=0.9, source="g.md", title="指引", text=scope),
        Evidence(chunk_id="guide", score=0.2, source="i.md", title="指南", text=practice),
    ]
    claims = facet_answers(team, evidence, [], VISION, setting_of(VISION, "zh"), "zh")
    assert [c.evidence_ids for c in claims] == [["guide"]]


def test_a_finance_function_is_no_finance_industry() -> None:
    assert "finance" not in named_industries("I run the finance shared-service centre of a subsidiary.")
    assert "finance" in named_industries("We are a city commercial bank.")
    assert "finance" in named_industries("We are a financial services company.")


def test_a_cross_border_shop_is_no_residency_constraint_and_a_daily_volume_no_topic() -> None:
    question = "我们是跨境电商公司，日均咨询约3000条，客户数据不能出境。AI客服先做哪几步？"
    facets = {(f.kind, f.value) for f in find_facets(question, "zh")}
    assert ("residency", "出境") in facets and ("residency", "跨境") not in facets
    assert not {v for k, v in facets if k == "topic" and v == "日均"}
    assert ("residency", "跨境") in {(f.kind, f.value) for f in find_facets("数据要跨境传输，合规吗？", "zh")}


def test_a_city_named_in_english_is_where_the_asker_is_not_a_topic() -> None:
    question = (
        "We are a 300-person insurance broker in Chengdu. How should we run a claims summarisation pilot?"
    )
    assert "chengdu" not in {f.value.lower() for f in find_facets(question, "en")}


def test_what_a_number_is_asked_of_is_a_noun_not_a_modal() -> None:
    question = "按调用量计费的外部大模型服务，月度费用超过多少要预警？"
    figures = [f for f in find_facets(question, "zh") if f.kind == "figures"]
    assert figures and not figures[0].parts, figures  # not '要预警': the 20% rule answers it
    rule = (
        "第五十一条 按调用量计费的外部服务，应当设置费用预警。月度费用超过预算月均值20%的，应当通知应用单位。"
    )
    _, gaps = coverage(figures, [rule], [], "zh")
    assert not gaps


def test_a_rule_for_every_level_with_a_longer_term_for_another_is_kept() -> None:
    from agents.offline.qualifiers import asked, mismatched

    level2 = asked("我们的坐席辅助应用是二级应用，日志要保存多久？")
    both = (
        "第二十七条 人工智能应用的输入、输出和操作日志应当保存不少于180日；三级应用的日志应当保存不少于3年。"
    )
    assert not mismatched(both, level2)  # its first clause binds every level
    assert mismatched("第四十四条 三级应用每年至少组织一次应急演练，检验人工接管流程的有效性。", level2)


def test_a_number_asked_for_is_searched_on_its_own_words() -> None:
    from agents.offline.facets import facet_queries

    question = "需要重新走什么流程？上线前准确率要达到多少？日志要保存多久？"
    figures = [f for f in find_facets(question, "zh") if f.kind == "figures"]
    queries = facet_queries(figures, "整个问题的其他词")
    assert queries and all("整个问题" not in q for q in queries)
