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
