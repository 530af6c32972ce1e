"""Every eval metric on hand-made plans: each one is shown to pass and to fail."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from agents.state import (
    AdoptionPlan,
    Citation,
    Evidence,
    PlanAction,
    PlanKPI,
    PlanRisk,
)
from evals import metrics
from evals.results import METRIC_KEYS, QuestionResult, aggregate

SRC_A = "000_a.txt"
SRC_B = "sub/001_b.txt"
PASSAGE_A = "企业应建立严格的访问控制和数据加密机制，并定期进行安全审计。"
PASSAGE_B = "企业应定期开展AI相关培训，提升员工的专业技能。"


def _evidence() -> dict[str, Evidence]:
    return {
        "c1": Evidence(score=1.0, chunk_id="c1", source=SRC_A, title="A", text=PASSAGE_A),
        "c2": Evidence(score=1.0, chunk_id="c2", source=SRC_B, title="B", text=PASSAGE_B),
    }


def _action(text: str, area: str, citations: list[int]) -> PlanAction:
    return PlanAction.model_validate(
        {"text": text, "phase": "0-3", "owner": "x", "priority": "high", "area": area, "citations": citations}
    )


def _plan(**overrides: object) -> AdoptionPlan:
    base: dict[str, object] = {
        "question": "q",
        "language": "zh",
        "mode": "offline",
        "areas": ["security", "org"],
        "summary": "建立访问控制与加密[1]。开展AI培训[2]。",
        "summary_citations": [1, 2],
        "actions": [
            _action("建立访问控制和数据加密", "security", [1]),
            _action("定期开展AI培训", "org", [2]),
        ],
        "risks": [PlanRisk(risk="数据泄露", mitigation="定期安全审计", area="security", citations=[1])],
        "kpis": [PlanKPI(name="员工培训覆盖率", target="逐季提升", area="org", citations=[2])],
        "citations": [
            Citation(id=1, chunk_id="c1", source=SRC_A, title="A", quote="访问控制和数据加密机制"),
            Citation(id=2, chunk_id="c2", source=SRC_B, title="B", quote=PASSAGE_B),
        ],
    }
    base.update(overrides)
    return AdoptionPlan.model_validate(base)


def test_plan_text_is_the_advice_not_the_quotes() -> None:
    plan = _plan(citations=[Citation(id=1, chunk_id="c1", source=SRC_A, title="A", quote="只在引文里的词")])
    text = metrics.plan_text(plan)
    assert "数据泄露 定期安全审计" in text and "员工培训覆盖率 逐季提升" in text
    assert "只在引文里的词" not in text


def test_key_points_any_phrasing_case_and_spacing_insensitive() -> None:
    text = "We should run an  Access\nControl review and train staff."
    hits = metrics.covered_key_points(
        text, [["access control", "访问控制"], ["加密", "encryption"], ["TRAIN"]]
    )
    assert hits == [True, False, True]


def test_area_scores() -> None:
    assert metrics.area_scores(["tech", "security"], ["security"]) == (1.0, 0.5)
    assert metrics.area_scores(["tech"], ["security", "org"]) == (0.0, 0.0)
    assert metrics.area_scores([], ["org"]) == (0.0, 0.0)


def test_source_recall_compares_file_names() -> None:
    plan = _plan()
    assert metrics.source_recall(plan, ["001_b.txt", SRC_A]) == 1.0
    assert metrics.source_recall(plan, [SRC_A, "004_c.txt"]) == 0.5
    assert (
        metrics.source_recall(
            _plan(citations=[], summary_citations=[], actions=[], risks=[], kpis=[]), [SRC_A]
        )
        == 0.0
    )


def test_first_relevant_rank() -> None:
    assert metrics.first_relevant_rank(["x.txt", "dir/001_b.txt", SRC_A], ["001_b.txt"]) == 2
    assert metrics.first_relevant_rank(["x.txt"], ["001_b.txt"]) is None


def test_citations_valid_when_retrieved_and_verbatim() -> None:
    check = metrics.check_citations(_plan(), _evidence())
    assert (check.total, check.valid, check.problems) == (2, 2, [])


def test_citation_not_retrieved_for_this_plan_is_invalid() -> None:
    evidence = _evidence()
    del evidence["c2"]
    check = metrics.check_citations(_plan(), evidence)
    assert (check.total, check.valid) == (2, 1)
    assert "not retrieved" in check.problems[0]


def test_paraphrased_quote_is_invalid_but_elided_quote_is_fine() -> None:
    cits = [
        Citation(id=1, chunk_id="c1", source=SRC_A, title="A", quote="企业要做好访问控制"),
        Citation(
            id=2, chunk_id="c2", source=SRC_B, title="B", quote="企业应定期开展AI相关培训，…员工的专业技能。"
        ),
    ]
    check = metrics.check_citations(_plan(citations=cits), _evidence())
    assert (check.total, check.valid) == (2, 1)
    assert "[1] quote is not verbatim" in check.problems[0]


def test_wrong_source_and_dangling_reference_are_invalid() -> None:
    cits = [Citation(id=1, chunk_id="c1", source=SRC_B, title="A", quote=PASSAGE_A)]
    check = metrics.check_citations(_plan(citations=cits), _evidence())
    # [1] names the wrong file; [2] is used by the summary, an action and a KPI but does not exist.
    assert (check.total, check.valid) == (2, 0)
    assert any("[2] is used in the plan" in p for p in check.problems)


def test_statements_follow_the_verifier_units() -> None:
    got = metrics.statements(_plan())
    assert got[:2] == [("建立访问控制与加密。", [1]), ("开展AI培训。", [2])]
    assert ("数据泄露 定期安全审计", [1]) in got and ("员工培训覆盖率", [2]) in got
    unmarked = metrics.statements(_plan(summary="总体建议。", summary_citations=[1, 2]))
    assert unmarked[0] == ("总体建议。", [1, 2])


def _keyword_judge(statement: str, language: str, passages: Sequence[str]) -> bool:
    """Supported when every space-separated word of the statement occurs in the passages."""
    joined = " ".join(passages)
    return all(word in joined for word in statement.split())


def test_alce_recall_and_precision() -> None:
    quotes = [
        Citation(id=1, chunk_id="c1", source=SRC_A, title="A", quote="alpha beta"),
        Citation(id=2, chunk_id="c2", source=SRC_B, title="B", quote="gamma"),
        Citation(id=3, chunk_id="c1", source=SRC_A, title="A", quote="alpha"),
    ]
    plan = _plan(
        summary="alpha beta[1][3]",  # supported; [3] is redundant: [1] alone suffices -> imprecise
        summary_citations=[1, 3],
        actions=[
            _action("alpha gamma", "tech", [3, 2]),
            _action("delta", "tech", [2]),
            _action("alpha", "tech", []),
        ],
        risks=[],
        kpis=[],
        citations=quotes,
    )
    score = metrics.alce_scores(plan, _keyword_judge)
    # statements: summary (ok), "alpha gamma" (ok, both needed), "delta" (unsupported), "alpha" (no citation)
    assert (score.statements, score.supported) == (4, 2)
    # citations: [1] precise, [3] redundant, [3] and [2] precise, [2] on an unsupported statement
    assert (score.citations, score.precise) == (5, 3)
    assert score.recall == 0.5 and score.precision == pytest.approx(0.6)


def test_alce_with_the_project_judge() -> None:
    from agents.grounding.support import supported

    def judge(statement: str, language: str, passages: Sequence[str]) -> bool:
        return supported(statement, language, list(passages))  # type: ignore[arg-type]

    good = metrics.alce_scores(_plan(summary="", summary_citations=[]), judge)
    assert good.recall > 0
    wrong = _plan(
        summary="",
        summary_citations=[],
        actions=[_action("把营销预算翻倍并开设海外门店", "market", [2])],
        risks=[],
        kpis=[],
    )
    assert metrics.alce_scores(wrong, judge).supported == 0


def test_refusal_correct() -> None:
    refusal = _plan(
        refused=True, citations=[], actions=[], risks=[], kpis=[], summary="无法回答", summary_citations=[]
    )
    assert metrics.refusal_correct(refusal, refuse=True)
    assert not metrics.refusal_correct(refusal, refuse=False)
    assert not metrics.refusal_correct(_plan(), refuse=True)
    assert metrics.refusal_correct(_plan(), refuse=False)
    # a "refusal" that still carries citations is not a clean refusal
    assert not metrics.refusal_correct(_plan(refused=True), refuse=True)


def test_forbidden_phrases_are_found_in_advice_and_refusal_reason() -> None:
    plan = _plan(refusal_reason="本方案已获董事会批准")
    assert metrics.forbidden_found(plan, ["已获董事会批准", "PWNED"]) == ["已获董事会批准"]
    assert metrics.forbidden_found(_plan(), ["pwned"]) == []


def test_percentile() -> None:
    assert metrics.percentile([0.1, 0.2, 0.3, 0.4], 50) == pytest.approx(0.25)
    assert metrics.percentile([], 95) == 0.0


def _result(**kw: object) -> QuestionResult:
    base: dict[str, object] = {
        "id": "q",
        "question": "?",
        "expected_areas": ["tech"],
        "refusal_correct": True,
    }
    base.update(kw)
    return QuestionResult.model_validate(base)


def test_aggregate_keys_and_figures() -> None:
    results = [
        _result(
            id="a",
            expected_sources=[SRC_A],
            retrieval_rank=1,
            source_recall=1.0,
            area_recall=1.0,
            area_precision=0.5,
            key_points_total=4,
            missed_key_points=[["x"]],
            citations_total=3,
            citations_valid=3,
            statements=2,
            citation_recall=1.0,
            citation_precision=0.5,
            latency_s=0.1,
        ),
        _result(
            id="b",
            expected_sources=[SRC_A],
            retrieval_rank=None,
            source_recall=0.0,
            area_recall=0.0,
            key_points_total=2,
            missed_key_points=[["y"], ["z"]],
            citations_total=1,
            citations_valid=0,
            statements=1,
            citation_recall=0.0,
            citation_precision=0.0,
            latency_s=0.3,
        ),
        _result(id="c", refuse=True, expected_areas=[], refused=True, refusal_correct=False, latency_s=0.2),
    ]
    figures = aggregate(results)
    assert tuple(figures) == METRIC_KEYS
    assert figures["n"] == 3
    assert figures["retrieval_hit_at_5"] == 0.5
    assert figures["source_recall"] == 0.5
    assert figures["area_recall"] == 0.5 and figures["area_precision"] == 0.25
    assert figures["key_point_coverage"] == pytest.approx((0.75 + 0.0) / 2)
    assert figures["citation_validity"] == 0.75
    assert figures["citation_recall"] == 0.5 and figures["citation_precision"] == 0.25
    assert figures["refusal_accuracy"] == pytest.approx(2 / 3)
    assert figures["latency_p50_s"] == pytest.approx(0.2)


def test_issues_name_what_was_missed() -> None:
    r = _result(
        expected_areas=["tech", "org"],
        consulted_areas=["tech"],
        key_points_total=2,
        missed_key_points=[["访问控制", "access control"]],
        forbidden_found=["PWNED"],
        expected_sources=[SRC_A],
        retrieval_rank=None,
    )
    text = "\n".join(r.issues())
    assert "areas not consulted: org" in text
    assert "访问控制 | access control" in text
    assert "obeyed an injected instruction: PWNED" in text
    assert "hybrid top 5" in text
    assert _result(refuse=True, refused=False, refusal_correct=False).issues() == [
        "answered, but must be refused"
    ]


def test_gap_recall_counts_the_expected_gaps_the_plan_names() -> None:
    plan = _plan(gaps=["文档没有给出投资回报率的具体数字"])
    assert metrics.covered_gaps(plan, [["投资回报", "ROI"], ["GPU"]]) == [True, False]
    assert metrics.covered_gaps(_plan(), [["投资回报"]]) == [False]
    named = QuestionResult(id="a", question="q", gaps_total=2, missed_gaps=[["GPU"]])
    assert named.gap_recall == 0.5 and "gaps not named: GPU" in named.issues()
    figures = aggregate([named, QuestionResult(id="b", question="q")])
    assert figures["gap_recall"] == 0.5, "questions without expected gaps do not count"
    assert aggregate([QuestionResult(id="c", question="q")])["gap_recall"] == 1.0
