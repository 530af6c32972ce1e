"""Common business English reaches the Chinese documents through what it means, not a word-by-word
dictionary guess: a 'talent gap' is no 差距, a 'workforce' no 职场, a 'rollout' no 布建."""

from __future__ import annotations

from agents.language.glossary import expand_query
from agents.offline.facets import find_facets


def test_an_english_talent_gap_is_a_shortage_of_talent_not_any_gap() -> None:
    expanded = expand_query("How can we close the AI talent gap in our company?")
    assert "人才" in expanded and "差距" not in expanded, expanded


def test_workforce_and_patient_data_reach_the_documents_words() -> None:
    assert "员工" in expand_query("How do we handle the workforce side?")
    assert "病历" in expand_query("Patient data must stay on our servers.")


def test_a_rollout_is_how_the_question_is_put_not_a_topic_the_documents_must_cover() -> None:
    facets = find_facets("What are the risks of the rollout for a mid-sized bank?", "en")
    assert not any(f.kind == "topic" and f.value.lower().startswith("rollout") for f in facets), facets


def test_hours_of_training_reach_class_hours_and_how_many_adds_no_term() -> None:
    expanded = expand_query("How many hours of AI training do employees need each year?")
    assert "学时" in expanded and "小时" in expanded, expanded
    assert "许多" not in expand_query("How many hours must we report it?")  # 'many' only frames the ask


def test_an_outage_and_a_complaint_reach_the_incident_classes() -> None:
    from agents.language.glossary import glossary_terms

    terms = glossary_terms("It was down for 2.5 hours and a wrong alert led to a customer complaint.")
    assert {"中断", "投诉", "错误输出"} <= set(terms), terms


def test_training_people_and_a_law_firms_partners_read_as_such() -> None:
    """'How should we train our lawyers…and deal with senior partners who resist it?' was read as
    列车, 交易 and the privacy law's 其他个人信息处理者."""
    from agents.offline.scope import expand

    words = expand(
        "How should we train our lawyers and deal with senior partners who resist it?", "en"
    ).split()
    assert "培训" in words and "合伙人" in words and "抵触" in words
    assert "列车" not in words and "交易" not in words and "其他个人信息处理者" not in words
