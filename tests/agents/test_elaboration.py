"""A finding is shown with the sentence that spells it out ('这包括…'), quoted verbatim as one span."""

from __future__ import annotations

from agents.offline.elaboration import elaboration, with_elaboration
from agents.offline.extract import offline_findings
from evals.metrics import _quote_in
from store.records import Passage

STEP = "企业在部署AI客服时，需确保其数据收集和使用政策符合当地法律法规的要求。"
DETAIL = "这包括明确告知用户数据的使用目的、保留期限以及用户的权利等。"
PASSAGE = f"## 法规遵从要求\n\n{STEP}**{DETAIL}**为此，企业可以聘请法律专家。\n\n下一段。"


def test_the_sentence_that_spells_a_step_out_is_shown_with_it_and_quoted_as_one_span() -> None:
    found = elaboration(STEP, PASSAGE)
    assert found is not None
    assert found.text == DETAIL
    assert found.quote.startswith(STEP) and found.quote.endswith(DETAIL.rstrip("。") + "。")
    assert found.quote in PASSAGE  # verbatim, markup included
    text, quote = with_elaboration("确保其数据收集和使用政策符合当地法律法规的要求。", STEP, PASSAGE)
    assert text.endswith(DETAIL) and quote == found.quote


def test_a_plain_next_sentence_a_next_line_or_one_industrys_example_is_no_elaboration() -> None:
    assert elaboration(DETAIL, PASSAGE) is None  # '为此，…' goes on to a new step
    assert elaboration(STEP, f"{STEP}\n{DETAIL}") is None  # a new line is a new paragraph or item
    example = "例如，在制造业中，AI算法可以实时监控生产线。"
    assert elaboration(STEP, f"{STEP}{example}") is None
    assert with_elaboration("x", "not in the passage", PASSAGE) == ("x", "not in the passage")


def test_offline_findings_carry_the_elaboration_and_their_quote_stays_verbatim() -> None:
    passage = Passage(chunk_id="c1", score=1.0, source="a.md", title="AI客服", section="", text=PASSAGE)
    findings = offline_findings(
        "security", ["隐私"], [passage], "AI客服怎样满足隐私法规的要求？", "zh", focused=True
    )
    claims = [c for c in findings.actions if STEP[:10] in (c.quote or "")]
    assert claims, findings.actions
    claim = claims[0]
    assert "保留期限" in claim.text
    assert claim.quote is not None and _quote_in(claim.quote, PASSAGE)
