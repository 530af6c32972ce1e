"""A heading the documents repeat inside the answer it heads is said once in the summary."""

from __future__ import annotations

from agents.offline.summary import write_summary
from agents.state import Claim


def test_a_heading_inside_the_answer_it_heads_is_said_once() -> None:
    heading = Claim(text="AI价值认知，以及投资回报率", evidence_ids=["b"], quote="AI价值认知，以及投资回报率")
    answer = Claim(
        text="AI价值认知，以及投资回报率：如何进行详细的成本效益分析，设定可量化的指标。",
        evidence_ids=["a"],
        quote="如何进行详细的成本效益分析，设定可量化的指标。",
    )
    numbers = {"a": 1, "b": 2}
    summary = write_summary(
        "zh", [], [], [answer, heading], lambda c: [numbers[c.evidence_ids[0]]], broad=False
    )
    assert summary.count("AI价值认知，以及投资回报率") == 1 and "[2]" not in summary
    short = Claim(text="数据安全", evidence_ids=["b"], quote="数据安全")  # too short to be a repeat
    kept = write_summary("zh", [], [], [answer, short], lambda c: [numbers[c.evidence_ids[0]]], broad=False)
    assert "[2]" in kept
