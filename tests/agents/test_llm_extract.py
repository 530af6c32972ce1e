"""Tolerant JSON extraction from what a model wrote: fences, think blocks, and small models' slips."""

from __future__ import annotations

import pytest

from agents.llm.extract import ExtractionError, first_json_object


def test_an_escaped_apostrophe_from_a_small_model_still_parses() -> None:
    reply = '<think>x</think>```json\n{"summary": "A model that describes the business\\\'s strategy"}\n```'
    assert first_json_object(reply) == {"summary": "A model that describes the business's strategy"}


def test_a_real_backslash_before_a_quote_is_kept() -> None:
    assert first_json_object('{"path": "C:\\\\", "note": "ok"}') == {"path": "C:\\", "note": "ok"}


def test_a_reply_without_an_object_is_named_invalid_json() -> None:
    with pytest.raises(ExtractionError) as caught:
        first_json_object("I cannot help with that.")
    assert caught.value.kind == "invalid_json"


def test_a_reply_cut_at_its_token_cap_is_mended() -> None:
    """A weak model's fenced object that ends mid-string (the cap, or a stop) keeps what it holds."""
    reply = (
        '<think>plan</think>```json\n{"actions": [{"text": "建立数据治理制度", "evidence_ids": ["E1"]}, '
        '{"text": "先试'
    )
    value = first_json_object(reply)
    assert value["actions"][0] == {"text": "建立数据治理制度", "evidence_ids": ["E1"]}
    assert len(value["actions"]) == 2


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        ('{"summary": "第一行\n第二行", "actions": []}', {"summary": "第一行\n第二行", "actions": []}),
        ('Answer: {"refuse": false, "areas": ["tech",]}', {"refuse": False, "areas": ["tech"]}),
    ],
    ids=["raw-newline-in-string", "trailing-comma"],
)
def test_small_slips_in_an_object_are_mended(reply: str, expected: dict[str, object]) -> None:
    assert first_json_object(reply) == expected


def test_braces_in_prose_are_not_taken_for_an_answer() -> None:
    with pytest.raises(ExtractionError) as caught:
        first_json_object("Use {curly} braces in templates, then start small.")
    assert caught.value.kind == "invalid_json"


def test_an_object_after_braces_in_prose_is_the_answer() -> None:
    assert first_json_object('I like {curly} braces; answer: {"a": {"b": 1}}') == {"a": {"b": 1}}
