"""A passage fetched to continue an answer completes that answer; it takes no other answer's place."""

from __future__ import annotations

from agents.offline.assemble import Assembler
from agents.state import Evidence

QUESTION = "信贷审核怎样用AI提速？"


def _ev(chunk_id: str, text: str, score: float) -> Evidence:
    return Evidence(
        chunk_id=chunk_id, score=score, source="r.md", title="报告", section="", text=text, area="market"
    )


EVIDENCE = [
    _ev("a", "信贷审核借助AI模型能够把审批时间从三天缩短到一小时。常见做法如下：", 0.9),
    _ev("b", "某城商行用机器学习模型辅助信贷审核，人工复核量下降一半。", 0.8),
    _ev("c", "信贷审核中的AI评分卡需要每季度校准一次，防止审核结论漂移。", 0.7),
    _ev("d", "AI可以自动读取信贷申请材料，减少信贷审核中的手工录入。", 0.6),
]
CONTINUATION = _ev("e", "常见做法如下：\n\n1. 自动抽取申请材料\n2. 模型预审\n3. 人工终审", 0.9)


def _more(passages: list[Evidence]) -> list[tuple[str, Evidence]]:
    return [("a", CONTINUATION)] if any(p.chunk_id == "a" for p in passages) else []


def test_a_continuation_does_not_push_out_an_answer_found_before_it() -> None:
    alone = Assembler({e.chunk_id: e for e in EVIDENCE}, "zh")._answers(QUESTION, None)
    assert len(alone) == 4, [a.quote for a in alone]  # every passage answers: the limit is reached
    continued = Assembler({e.chunk_id: e for e in EVIDENCE}, "zh", more=_more)._answers(QUESTION, None)
    cited = {i for a in continued for i in a.evidence_ids}
    assert "e" in cited, "the continuation of the leading answer is read"
    assert {"a", "b", "c", "d"} <= cited, "no answer found before it was pushed out"


def test_a_passage_opening_on_a_heading_of_its_own_subject_does_not_inherit_the_answer() -> None:
    """A chunk split after '…成本效益分析' may open on the next heading ('数据隐私和安全合规…'): that is
    the next section, not the rest of the answer, so it earns nothing from the passage before it. A
    passage opening on a list the question asks about still does."""
    sibling = _ev("e", "数据隐私和安全合规\n\n企业需要确保系统遵守相关的数据保护法规和标准。", 0.9)

    def more(passages: list[Evidence]) -> list[tuple[str, Evidence]]:
        return [("a", sibling)] if any(p.chunk_id == "a" for p in passages) else []

    found = Assembler({e.chunk_id: e for e in EVIDENCE}, "zh", more=more)._answers(QUESTION, None)
    assert "e" not in {i for a in found for i in a.evidence_ids}
