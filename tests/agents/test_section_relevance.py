"""A sentence is relevant through the headings it stands under, not only its own words."""

from __future__ import annotations

from agents.offline.extract import candidates
from store.records import Passage

QUESTION = "AI人才短缺，企业应该怎么解决？"
OUTSOURCE = "如果企业内部培训无法满足需求，考虑外包某些技术项目也是一种解决方案。"


def _passage(chunk_id: str, section: str, text: str) -> Passage:
    return Passage(chunk_id=chunk_id, score=0.03, source="a.md", title="AI落地", section=section, text=text)


def test_a_sentence_under_a_heading_that_names_the_question_counts_as_evidence() -> None:
    under_talent = _passage("c1", "三、缺乏专业人才 > 外包与合作", OUTSOURCE)
    elsewhere = _passage("c2", "四、市场推广 > 渠道合作", OUTSOURCE)  # the same words elsewhere
    found = candidates("org", [elsewhere, under_talent], QUESTION, "zh")  # the other one ranks first
    by_chunk = {c.chunk_id: c.score for c in found}
    assert "c1" in by_chunk, "the outsourcing advice under the talent-shortage heading is evidence"
    assert by_chunk["c1"] > by_chunk.get("c2", 0.0)


def test_a_sentence_in_a_document_whose_title_names_the_question_counts_as_evidence() -> None:
    """A report titled with the question ('AI如何帮助企业提高运营效率？') answers it in every section,
    even where a sentence names only the means ('自动化重复性任务')."""
    question = "AI可以通过哪些方式提升企业的运营效率？"
    sentence = "企业需要通过自动化重复性任务来减少人工成本。"
    on_topic = Passage(
        chunk_id="c1", score=0.03, source="a.md", title="AI如何帮助企业提高运营效率？", section="摘要",
        text=sentence,
    )  # fmt: skip
    other = on_topic.model_copy(update={"chunk_id": "c2", "source": "b.md", "title": "游戏行业报告"})
    found = candidates("market", [other, on_topic], question, "zh", focused=True)
    by_chunk = {c.chunk_id: c.score for c in found}
    assert "c1" in by_chunk, "the advice in the report about operating efficiency is evidence"
    assert by_chunk["c1"] > by_chunk.get("c2", 0.0)
