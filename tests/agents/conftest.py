"""Fixtures of the agents tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from evals.scripted_llm import ScriptedLLMServer
from settings import Settings


@pytest.fixture
def llm_settings(scripted_llm: ScriptedLLMServer, tmp_path: Path) -> Settings:
    settings = Settings(data_dir=tmp_path, embedder="hash", llm_max_retries=1, llm_timeout_s=5.0)
    assert settings.run_mode == "llm"
    return settings
