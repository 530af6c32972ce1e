"""Question facets, the gaps they leave, and the roadmap's shape (pure functions, no store)."""

from __future__ import annotations

from agents.offline import roadmap
from agents.offline.coverage import coverage
from agents.offline.facets import find_facets, horizon_months, named_industries, passage_industries

HOSPITAL = (
    "我们是一家三甲医院，IT团队只有3人，患者数据不能出境，想在一年内上线AI导诊，预算50万元以内，该怎么做？"
)
BANK_EN = (
    "We are a 300-person bank with a 5-person IT team. How do we use AI for credit review "
    "without data leaving China? Budget RMB 2 million."
)


def _kinds(question: str, language: str = "zh") -> dict[str, str]:
    return {f.kind: f.value for f in find_facets(question, language)}  # type: ignore[arg-type]


def test_a_constrained_question_yields_each_of_its_constraints() -> None:
    facets = _kinds(HOSPITAL)
    assert facets["industry"] == "医疗/医院"
    assert facets["team"] == "IT团队只有3人"
    assert facets["budget"] == "50万元"
    assert facets["residency"] == "出境"
    assert facets["data"] == "患者数据"
    assert facets["topic"] == "导诊"  # the use case, found by TF-IDF keyword extraction


def test_english_constraints_are_found_too() -> None:
    facets = _kinds(BANK_EN, "en")
    assert facets["industry"] == "finance / banking"
    assert facets["team"] == "5-person IT team"
    assert facets["budget"] == "RMB 2 million"
    assert facets["residency"] == "leaving China"


def test_horizons_are_read_in_months() -> None:
    assert horizon_months("我们的三年规划") == 36
    assert horizon_months("未来3-5年的大模型应用规划") == 60
    assert horizon_months("18个月内完成") == 18
    assert horizon_months("a three-year roadmap") == 36
    assert horizon_months("请给出建议") is None


def test_industries_named_by_questions_and_by_evidence() -> None:
    assert named_industries("我们是一家连锁超市") == {"retail"}
    assert passage_industries("流媒体平台开始发力原创音乐生态") == {"media"}
    assert passage_industries("企业应建立数据安全制度") == set()


def test_unanswered_constraints_become_gaps_in_the_answer_language() -> None:
    facets = find_facets(HOSPITAL, "zh")
    cited = ["实施严格的数据访问控制和加密措施，以防止数据泄露。", "在医疗行业，通过AI进行诊断和预测。"]
    states, gaps = coverage(facets, cited, cited, "zh", in_corpus=lambda w: False)
    covered = {f.kind for f in states if f.covered}
    assert "industry" in covered  # a cited quote names 医疗
    joined = "\n".join(gaps)
    assert "50万元" in joined and "预算" in joined  # no quote holds a money figure
    assert "出境" in joined and "导诊" in joined
    assert not any("医疗/医院" in g for g in gaps)


def test_a_budget_is_covered_only_by_a_quote_with_money_in_it() -> None:
    facets = [f for f in find_facets(HOSPITAL, "zh") if f.kind == "budget"]
    _, gaps = coverage(facets, ["应合理安排预算。"], [], "zh")
    assert gaps
    _, gaps = coverage(facets, ["单项预算50万元以下的由部门审批。"], [], "zh")
    assert not gaps


def test_a_three_year_question_gets_multi_year_spans_in_dependency_order() -> None:
    spans = [p.id for p in roadmap.phases(36, "zh")]
    assert spans == ["0-6", "6-12", "12-24", "24-36"]
    assert roadmap.phase_of("对现有系统进行评估和审计", 36) == "0-6"
    assert roadmap.phase_of("选择一个业务单元开展试点", 36) == "6-12"
    assert roadmap.phase_of("在全集团推广", 36) == "12-24"
    assert roadmap.phase_of("定期复盘并持续优化", 36) == "24-36"
    # an 18-month question ends at month 18, not 24
    assert [p.id for p in roadmap.phases(18, "en")] == ["0-6", "6-12", "12-18"]
    # cost estimation is assessment: it comes before the pilot, not after scaling
    assert roadmap.phase_of("对成本进行准确估算", 12) == "0-3"


def test_owners_are_never_a_c_suite_default() -> None:
    assert roadmap.owner("实施严格的访问控制", "security", None, "zh") == "安全与合规负责人"
    assert roadmap.owner("实施严格的访问控制", "security", "healthcare", "zh").startswith("信息科")
    assert roadmap.owner("管理层应提供预算支持", "org", None, "zh") == "管理层"
    generic = [roadmap.owner("x", a, None, "en") for a in ("tech", "security", "org", "market")]
    assert not any(title in g for g in generic for title in ("CIO", "CISO", "CFO", "CHRO", "CEO"))
