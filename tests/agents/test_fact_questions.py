"""A question of fact that names planning in passing is answered by the fact, not by a plan."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from agents.offline.extract import asks_fact
from agents.offline.scope import broad
from agents.service import run_plan
from graph import graph
from settings import Settings

FACT = (
    "我们是200人的SaaS公司，下季度要给AI应用立项。想确认一个事实：那份报告的调研里，企业规划AI应用"
    "开发路径时排第一的考虑因素是什么、占比多少？排在后面的还有哪些因素和比例？"
)


def test_planning_named_in_passing_leaves_a_question_of_fact() -> None:
    assert not broad(FACT) and asks_fact(FACT)
    assert broad("董事会要求我们制定未来3-5年的大模型应用规划，请给出建议。")
    assert not asks_fact("请给出分阶段的落地计划，需要多少钱？")  # a plan is asked for
    assert not asks_fact("我们想做AI客服，有什么建议？")


@pytest.fixture(scope="module")
def offline(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings(
        data_dir=tmp_path_factory.mktemp("facts"), mode="offline", embedder="hash", openai_api_key=None
    )


def test_a_survey_fact_is_answered_without_a_four_area_plan(seed_store: Any, offline: Settings) -> None:
    plan = asyncio.run(run_plan(graph, FACT, store=seed_store, settings=offline))
    assert "53.2%" in plan.summary and "34.2%" in plan.summary  # the leader and the ones after it
    # the fact and little else: the four areas' stock steps, obstacles and metrics are padding here
    assert len(plan.citations) <= 6, [c.quote[:30] for c in plan.citations]


def test_the_areas_come_from_what_is_asked_not_from_the_scene() -> None:
    from agents.offline.scope import _areas

    scene = (
        "Our board wants an ROI case for a 2 million RMB AI pilot at our 1,500-employee garment group "
        "(three factories, ERP is SAP ECC 6.0). Which metrics should the ROI case be built on, and what "
        "payback period can we promise?"
    )
    assert _areas(scene, "", [], None) == ["market"]
    # a whole plan is still asked of every area
    assert (
        len(
            _areas(
                "How should a mid-sized manufacturer with SAP roll out AI in its first year?", "", [], None
            )
        )
        == 4
    )


def test_a_private_company_asking_about_retention_is_no_privacy_question() -> None:
    from agents.offline.industries import named_industries
    from agents.offline.scope import _areas

    question = (
        "We're a 150-person private K-12 tutoring company with a parent-facing app. What does the "
        "material say about AI-native apps versus existing apps adding AI, and about user retention?"
    )
    assert _areas(question, "", [], None) == ["market"]
    assert named_industries(question) == {"education"}  # a games studio's retention is another trade's


def test_a_span_in_the_scene_does_not_make_a_pointed_question_a_plan_request() -> None:
    pointed = (
        "A 300-person plant running an old SAP ERP wants predictive maintenance within 12 months. "
        "What integration pitfalls should we watch out for?"
    )
    assert not broad(pointed)
    assert broad("We are a 300-person plant. Please give us a phased plan to adopt AI within 12 months.")
    assert broad("我们是一家300人的工厂，打算一年内引入AI。应该从哪里开始？")


def test_build_or_buy_is_read_as_a_technology_and_market_question() -> None:
    from agents.offline.question import read_as, reading_areas

    question = "我们想做巡检图像识别，应该自建算法团队还是采购外部成熟方案？"
    assert reading_areas(question) == {"tech", "market"}
    assert "解决方案提供商" in read_as(question)
    assert reading_areas("Should we build it in-house or buy an off-the-shelf product?") == {"tech", "market"}
    assert not reading_areas("我们自建了数据中心，怎么保证数据安全？")
