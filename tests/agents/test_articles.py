"""Regulation-shaped corpora: the deciding article answers, items keep their lead-in, a rule for
another level is not given, and a narrow question is not padded with loosely related rules.

The corpus is a small invented regulation (tests/data/regulation), shaped like a law: chapters,
articles 第N条, items （一）（二）, classes of systems.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from agents.offline.articles import with_lead_in
from agents.offline.qualifiers import asked, mismatched, search_terms
from agents.service import run_plan
from agents.state import AdoptionPlan
from graph import graph
from ingest import ingest_paths
from settings import Settings

CORPUS = Path(__file__).resolve().parents[1] / "data" / "regulation"
RULES = (CORPUS / "service_systems_rules.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def regulation(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Settings]:
    from store.knowledge import KnowledgeStore

    settings = Settings(
        data_dir=tmp_path_factory.mktemp("regulation"), mode="offline", embedder="hash", openai_api_key=None
    )
    store = KnowledgeStore(settings)
    ingest_paths([CORPUS], store, root=CORPUS, progress=False)
    return store, settings


def ask(regulation: tuple[Any, Settings], question: str) -> AdoptionPlan:
    store, settings = regulation
    return asyncio.run(run_plan(graph, question, store=store, settings=settings))


def quotes(plan: AdoptionPlan) -> str:
    return "\n".join(c.quote for c in plan.citations)


@pytest.mark.parametrize(
    "question",
    [
        "第二类系统投入使用前要满足什么条件？",
        "Before a class-2 system is put into use, what conditions must it meet?",
    ],
)
def test_the_deciding_article_leads_with_its_items_and_no_other_class_rule(
    regulation: tuple[Any, Settings], question: str
) -> None:
    plan = ask(regulation, question)
    assert not plan.refused
    lead = plan.citations[plan.summary_citations[0] - 1].quote
    assert lead.startswith("第八条") and "（四）操作人员已经接受岗位培训" in lead  # items and all
    cited = quotes(plan)
    assert "第九条" not in cited  # stated for 第三类 systems only
    assert "第十七条" not in cited and "第十五条" not in cited  # drills for 第三类, accounts: padding
    assert len(plan.citations) <= 3


def test_a_narrow_question_gets_its_rule_and_little_else(regulation: tuple[Any, Settings]) -> None:
    plan = ask(regulation, "使用第二类系统的员工每年要培训多少学时？")
    assert "8学时" in plan.summary
    assert len(plan.citations) <= 2
    assert "第十七条" not in quotes(plan)


def test_an_item_is_quoted_with_its_lead_in(regulation: tuple[Any, Settings]) -> None:
    plan = ask(regulation, "谁负责审议单项经费100万元以上的建设项目？")
    store, _ = regulation
    answering = [c for c in plan.citations if "审议单项经费100万元以上" in c.quote]
    assert answering and all("领导小组的主要职责是" in c.quote for c in answering)
    assert plan.citations[plan.summary_citations[0] - 1].quote.startswith("第二十条")
    assert len(plan.citations) <= 3  # an area keeps its best finding, no more
    for c in plan.citations:  # still verbatim: the span from the lead-in to the item
        assert c.quote in store.get([c.chunk_id])[0].text


@pytest.mark.parametrize(
    "question",
    [
        "经费50万元的系统建设项目由谁审批？",
        "经费50万的系统建设项目谁来批？",  # an amount without 元, as people say it
        "Who approves a system project with 0.5 million yuan of funding?",
    ],
)
def test_the_tier_that_holds_the_stated_amount_answers(
    regulation: tuple[Any, Settings], question: str
) -> None:
    plan = ask(regulation, question)
    lead = plan.citations[plan.summary_citations[0] - 1].quote
    assert lead.startswith("第二十三条") and "由分管负责人审批" in lead
    assert "审议单项经费100万元以上" not in quotes(plan)  # a threshold that excludes 50万元


def test_with_lead_in_joins_an_item_to_its_introduction() -> None:
    item = with_lead_in(RULES, "（二）审议单项经费100万元以上的系统建设项目；")
    assert item is not None
    assert item.quote in RULES and item.quote.startswith("第二十条 本单位设立智能服务系统领导小组")
    assert item.text.startswith("第二十条") and item.text.endswith("建设项目；")
    assert "（一）" not in item.text  # the items between are in the quote, not in the statement
    assert with_lead_in(RULES, "第十五条 工作人员离岗的，所在单位应当在5个工作日内注销其系统账号。") is None


def test_qualifiers_keep_a_rule_for_another_level_away() -> None:
    level2 = asked("What must be in place before a level-2 AI application goes live?")
    assert level2 == asked("二级应用上线前要做什么？")
    assert mismatched("三级应用的评审应当邀请至少一名外部专家。", level2)
    assert not mismatched("二级和三级应用上线前应当通过模型风险评审。", level2)
    assert not mismatched("使用二级以上应用的岗位人员，应当完成相应培训。", level2)  # 以上 covers 二级
    assert mismatched("使用三级以上应用的岗位人员，应当完成相应培训。", level2)
    assert not mismatched("人工智能安全事件分为三级：", level2)  # counts levels, names none
    assert not mismatched("三级应用每年至少组织一次应急演练。", asked("员工每年要参加多少培训？"))
    assert "二级" in search_terms("before a level-2 application goes live")
    assert mismatched("第九条 第三类系统投入使用前，还应当论证。", asked("a class II system"))


def test_a_stated_amount_keeps_rules_whose_thresholds_exclude_it_away() -> None:
    assert mismatched("（三）审批单项预算500万元以上的人工智能项目；", asked("预算80万的项目谁审批？"))
    budget = asked("我们打算采购一个预算80万元的AI工具，谁来审批？")
    assert not mismatched("（二）二级应用，或者预算50万元（含）以上、500万元以下的，报副总裁审批；", budget)
    assert mismatched("（三）审批单项预算500万元以上的人工智能项目；", budget)
    assert mismatched("各单位可以在年度预算内安排不超过10万元的小额试用经费。", budget)  # 不超过: a ceiling
    assert not mismatched("第二条 本制度适用于集团总部、各事业部。", budget)  # states no threshold
    over = asked("AI项目超预算15%了，需要重新审批吗？")
    assert not mismatched("项目实际支出超出批准预算10%以上的，应当重新履行审批程序。", over)
    assert mismatched("月度费用超过预算月均值20%的，信息技术部应当通知应用单位核查原因。", over)
    english = asked("Who has to approve an AI project with a budget of 3 million RMB?")
    assert not mismatched("二级应用，或者预算50万元（含）以上、500万元以下的", english)
    assert mismatched("三级应用，或者预算500万元（含）以上的", english)
    # the currency first, with a thousands separator: a 45万 project is not one of 500万 or more
    first = asked("We have a budget of RMB 450,000 for 12 months. Who approves it?")
    assert first.amounts == (("money", 450000.0),)
    assert mismatched("三级应用，或者预算500万元（含）以上的", first)


def test_a_short_article_is_quoted_whole_so_its_deadline_stays(regulation: tuple[Any, Settings]) -> None:
    # the question's words ('个人信息泄露', '报告') sit in the article's last sentence; the deadline
    # that answers 'how' sits in its first
    plan = ask(regulation, "系统发生个人信息泄露后应该怎样报告？")
    cited = [c.quote for c in plan.citations if "第二十四条" in c.quote]
    assert cited and all("1小时内报告信息中心" in q and "保密部门" in q for q in cited)


def test_article_spans_are_one_paragraph_articles_only() -> None:
    from agents.offline.articles import article_spans

    spans = [RULES[a:b] for a, b in article_spans(RULES)]
    assert any(s.startswith("第二十四条") and s.endswith("保密部门。") for s in spans)
    assert not any(s.startswith("第二十条") for s in spans)  # a lead-in to items is left to its items


def test_an_enactment_or_scope_clause_answers_only_a_question_about_purpose_or_scope() -> None:
    from agents.offline.articles import PREAMBLE_SHARE, preamble_share

    clause = "为帮助员工安全使用生成式人工智能工具，制定本指引。本指引适用于集团全体员工以及外包人员。"

    def df(word: str) -> tuple[int, int]:  # 员工 is in most passages, 外包人员 in one
        return (1 if word.startswith("外包") else 30, 40)

    assert preamble_share(clause, "员工使用生成式AI工具有哪些禁止事项？", df) == PREAMBLE_SHARE
    # a question naming a party the scope clause lists is asking about scope
    assert preamble_share(clause, "外包人员可以使用集团的AI工具吗？", df) == 1.0
    assert preamble_share(clause, "这份指引适用于外包人员吗？") == 1.0
    assert preamble_share(clause, "Who does the guideline apply to?") == 1.0
    assert preamble_share(clause, "What penalty applies if staff break it?") == PREAMBLE_SHARE  # no scope
    rule = "第十六条 使用第二类以上系统的工作人员，应当每年参加培训。"
    assert preamble_share(rule, "培训多少学时？") == 1.0


def test_a_question_of_fact_gets_no_advice_that_only_sounds_like_the_area() -> None:
    from agents.offline.extract import asks_fact, candidates
    from store.records import Passage

    assert asks_fact("外包人员可以使用集团的AI工具吗？") and asks_fact("Who approves the budget?")
    assert not asks_fact("我们是一家城商行，想用AI辅助信贷审核，有什么建议？")
    padding = "企业应当建立完善的数据安全与隐私保护机制，实施严格的访问控制和加密措施，防止数据泄露。"
    passages = [
        Passage(
            chunk_id="a", score=1.0, source="p.md", title="指引", text="外包人员可以使用集团批准的AI工具。"
        ),
        Passage(chunk_id="b", score=0.9, source="p.md", title="指引", text=padding),
    ]
    fact = candidates("security", passages, "外包人员可以使用集团的AI工具吗？", "zh", focused=True)
    advice = candidates("security", passages, "外包人员使用AI工具有什么建议？", "zh", focused=True)
    assert not any("加密措施" in c.raw for c in fact)  # shares nothing with what was asked
    assert any("加密措施" in c.raw for c in advice)  # advice in the area's own words still helps


def test_a_short_article_answers_whole_in_the_summary() -> None:
    from agents.offline.answer import direct_answers
    from agents.state import Evidence

    text = (
        "## 第四章 数据管理\n\n"
        "第二十七条 日志应当保存不少于180日；三级应用的日志应当保存不少于3年。敏感日志应当加密。\n"
    )
    evidence = [Evidence(chunk_id="c", score=1.0, source="p.md", title="制度", text=text)]
    answers = direct_answers("日志要保存多久？", evidence, "zh")
    assert [a.quote for a in answers] == [text.splitlines()[2]]  # the article, not its sentences apart


def test_a_bare_item_under_a_heading_is_shown_with_it() -> None:
    passage = (
        "### （二）须经部门负责人同意的场景\n\n- 生成对外发布的宣传材料、新闻稿；\n- 生成发给客户的邮件。\n"
    )
    item = with_lead_in(passage, "生成发给客户的邮件。")
    assert item is not None
    assert item.text == "（二）须经部门负责人同意的场景：生成发给客户的邮件。"
    assert item.quote.startswith("（二）") and item.quote in passage  # verbatim, no heading markup
    prose = (
        "### 说明\n\n- 员工应当在使用前逐字核对AI生成的全部内容，并保留核对记录，以备事后检查和审计使用。\n"
    )
    assert with_lead_in(prose, prose.splitlines()[2][2:]) is None  # a long bullet says enough alone


def test_an_english_level_is_searched_as_the_level_not_as_its_words() -> None:
    from agents.offline.scope import expand

    expanded = expand("Who must approve a level 3 AI application?", "en")
    assert "三级" in expanded and "程度" not in expanded  # 'level' is no 'degree' here


def test_a_numbered_item_under_a_heading_loses_its_number_not_its_sense() -> None:
    passage = "## 第三节 数据准备阶段\n\n1. 列出所需数据。\n4. 需要标注的，制定标注规范，抽检比例不低于5%；\n"
    item = with_lead_in(passage, "4. 需要标注的，制定标注规范，抽检比例不低于5%；")
    assert (
        item is not None and item.text == "第三节 数据准备阶段：需要标注的，制定标注规范，抽检比例不低于5%；"
    )


def test_a_question_the_rules_do_not_touch_gets_its_gaps_not_their_articles(
    regulation: tuple[Any, Settings],
) -> None:
    """No word of '多少块GPU' is in any retrieved passage: each area's cue words had picked a dozen
    articles (training, accounts, faults) as the 'plan'. The answer is what the documents lack."""
    plan = ask(regulation, "部署大模型第一年要买多少块GPU？")
    assert not plan.refused
    assert plan.citations == [] and not plan.actions
    assert any("GPU" in g for g in plan.gaps)
    assert "资料没有回答" in plan.summary


def test_a_domain_question_the_rules_never_touch_is_not_refused_or_padded(
    regulation: tuple[Any, Settings],
) -> None:
    """'AI生成的宣传海报，版权算公司的吗？会不会被告侵权？' over a rulebook without a word on copyright was
    refused as out of scope; with 版权 a compliance word it then cited articles that share only
    the scene's words. The answer is that the documents do not cover copyright."""
    plan = ask(regulation, "我们用AI工具生成的宣传海报，版权算公司的吗？会不会被告侵权？")
    assert not plan.refused and plan.citations == []
    assert any("版权" in g for g in plan.gaps) and any("侵权" in g for g in plan.gaps)
    assert not any("以下建议" in g for g in plan.gaps)  # no plan follows to draw on


def test_the_largest_fine_answers_how_much_at_most() -> None:
    """'最多可能被罚多少钱？' was answered with the article's first fine (一百万元) and never quoted its cap
    (五千万元 or 5% of turnover): rules write sums in Chinese numerals, and '被罚' was cut into 被 + 罚."""
    from agents.offline.answer import direct_answers
    from agents.offline.qualifiers import largest_money
    from agents.state import Evidence

    article = (
        "第二十七条 违反本规则处理个人信息的，由履行个人信息保护职责的部门责令改正，给予警告，没收违法所得，"
        "对违法处理个人信息的应用程序责令暂停或者终止提供服务；拒不改正的，并处一百万元以下罚款，对直接负责的"
        "主管人员和其他直接责任人员处一万元以上十万元以下罚款。有前款规定的违法行为，情节严重的，处五千万元"
        "以下或者上一年度营业额百分之五以下罚款，并可以责令暂停相关业务。情节严重的，对直接负责的主管人员和"
        "其他直接责任人员处十万元以上一百万元以下罚款。"
    )
    assert largest_money("处五千万元以下或者上一年度营业额百分之五以下罚款") == 50_000_000
    assert largest_money("单项预算500万元以上") == 5_000_000 and largest_money("第二十七条") == 0
    ev = Evidence(chunk_id="a", score=1.0, source="r.md", title="个人信息处理规则", text=article)
    answers = direct_answers("如果公司在用户数据上违规，最多可能被罚多少钱？", [ev], "zh")
    assert "五千万元" in answers[0].quote
