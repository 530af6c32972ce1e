"""Advice that contradicts the question's own constraints is not offered as a step."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from agents.offline.conflicts import contradicts, ruled_out
from agents.offline.gate import allowed
from agents.service import run_plan
from agents.state import AreaFindings, Claim
from graph import graph
from settings import Settings

HIRE = "而在外部，积极引进具有丰富经验的人才，以增强团队的整体实力。"
CLOUD = "企业可以选择成熟的云服务，降低推理成本。"
TRAIN = "对于已有的员工，企业应定期开展AI相关培训，提升他们的专业技能。"


def test_a_small_team_rules_out_hiring_and_on_premises_rules_out_the_cloud() -> None:
    team = ruled_out("我们IT只有3个人，AI人才短缺，该怎么解决？")
    assert contradicts(HIRE, team) and not contradicts(TRAIN, team) and not contradicts(CLOUD, team)
    assert contradicts("投入大量资源加强数据安全防护措施，如采用先进的加密技术。", team)
    assert contradicts(HIRE, ruled_out("Our IT team of four people cannot hire. How do we close the gap?"))
    onshore = ruled_out("数据必须放在自己的服务器上，怎样降低推理成本？")
    assert contradicts(CLOUD, onshore) and not contradicts(HIRE, onshore)
    assert contradicts(CLOUD, ruled_out("Our data must stay in China on our own servers. How to cut costs?"))
    assert contradicts(CLOUD, ruled_out("我们是政务服务中心，三年预算约150万元，数据不能上公有云。"))
    assert not contradicts(CLOUD, ruled_out("我们想用云服务降低成本。"))


def test_no_constraint_rules_nothing_out_and_a_warning_is_no_advice() -> None:
    assert ruled_out("AI人才短缺，企业应该怎么解决？") == ()
    assert ruled_out("我们IT团队有50个人，怎么推进AI？") == ()  # fifty is no small team
    budget = ruled_out("预算有限的中小企业第一年怎么引入AI？")
    assert contradicts("企业应大规模投入算力，自建数据中心。", budget)
    # a warning against what the constraint rules out supports it
    assert not contradicts("将全部资源投入 AI 存在较大的战略风险。", budget)


def test_only_steps_are_dropped_not_the_obstacles_that_name_the_same_thing() -> None:
    challenge = Claim(text="人才短缺", evidence_ids=["c"], quote="招聘和留住高素质人才可能成为难题。")
    steps = [Claim(text=q, evidence_ids=["c"], quote=q) for q in (HIRE, TRAIN)]
    findings = AreaFindings(area="org", queries=[], evidence_ids=["c"], challenges=[challenge], actions=steps)
    kept = allowed(findings, ruled_out("信息部只有两个人，怎么补齐AI人才？"))
    assert [c.quote for c in kept.actions] == [TRAIN]
    assert kept.challenges == [challenge]


@pytest.fixture(scope="module")
def offline(seed_store: Any, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings(
        data_dir=tmp_path_factory.mktemp("conflicts"), mode="offline", embedder="hash", openai_api_key=None
    )


@pytest.mark.parametrize(
    ("question", "banned"),
    [
        ("我们IT只有3个人，AI人才短缺，该怎么解决？", "引进"),
        ("Our IT team of four people cannot hire AI engineers. How do we close the AI talent gap?", "引进"),
        ("预算有限的中小企业，数据要放在自己的服务器上，怎样降低大模型推理成本？", "云服务"),
    ],
)
def test_a_plan_never_advises_what_its_question_rules_out(
    seed_store: Any, offline: Settings, question: str, banned: str
) -> None:
    plan = asyncio.run(run_plan(graph, question, store=seed_store, settings=offline))
    assert plan.actions  # still a plan, not a refusal
    steps = [c.quote for a in plan.actions for c in plan.citations if c.id in a.citations]
    assert all(banned not in q for q in steps), steps
    assert banned not in plan.summary


def test_a_public_body_or_hospital_is_not_told_to_beat_its_rivals() -> None:
    rivalry = "企业可以在竞争日益激烈的市场环境中获得领先优势。"
    for question in (
        "我们是某市政务服务中心，想用大模型做热线工单分类，怎么规划？",
        "一家二甲医院想用AI做导诊，怎么做？",
    ):
        assert contradicts(rivalry, ruled_out(question))
    assert not contradicts(rivalry, ruled_out("一家连锁零售企业想用AI做营销，怎么做？"))
    # nor measured by a sales metric
    kpi = Claim(text="转化率", evidence_ids=["c"], quote="AI推荐可以提高销售转化率。")
    findings = AreaFindings(area="market", queries=[], evidence_ids=["c"], kpis=[kpi])
    assert allowed(findings, ruled_out("A public hospital wants AI triage. How do we start?")).kpis == []


def test_an_interface_that_cannot_change_rules_out_integrating_with_it() -> None:
    question = "经销商管理系统是主机厂指定的老系统，接口改不了，IT工作外包给一家小公司。先做哪件事？"
    against = ruled_out(question)
    assert contradicts("关注兼容性，例如如何将AI客服功能无缝集成到已有的客户管理平台中。", against)
    assert contradicts("新出现的与 AI 相关的岗位，需要专业人才来填补。", against)  # IT is outsourced
    assert not contradicts("进行详细的系统审计，对现有的基础设施进行深入分析。", against)
    assert not contradicts(
        "将AI客服功能无缝集成到已有的客户管理平台中。", ruled_out("我们想上线AI客服，怎么做？")
    )


def test_no_money_for_new_staff_rules_out_recruiting_but_not_training() -> None:
    fill = "新出现的与 AI 相关的岗位，如 AI 工程师、数据分析师等，需要专业人才来填补。"
    for question in (
        "We run a service centre with 200 staff and no budget for new hires this year. How do we adopt AI?",
        "我们今年没有招聘预算，员工担心被AI替代，组织上怎么调整？",
        "Hiring freeze this year: how do we staff our AI work?",
    ):
        against = ruled_out(question)
        assert contradicts(fill, against) and contradicts(HIRE, against), question
        assert not contradicts(TRAIN, against), question
    assert not contradicts(fill, ruled_out("我们今年有招聘计划，怎么组建AI团队？"))
