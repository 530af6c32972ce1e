"""Shared pytest fixtures. Each helper owns a clearly separated section below."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fake_llm_server import ScriptedLLMServer


# ----------------------------------------------------------------------------------------------
# Scripted OpenAI-compatible server (tests/fake_llm_server.py): LLM mode over real HTTP.
# ----------------------------------------------------------------------------------------------
@pytest.fixture
def scripted_llm(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[ScriptedLLMServer]:
    """A running ScriptedLLMServer with OPENAI_* pointing at it; script it before calling the advisor.

    tiktoken downloads are made to fail loudly: CI has no internet, so token counting must come
    from the API's `usage`, never from tiktoken.
    """
    import tiktoken.load

    from settings import get_settings

    def _no_download(blobpath: str) -> bytes:
        raise RuntimeError(f"tiktoken tried to download {blobpath}; count tokens from `usage` instead")

    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(tmp_path / "no-tiktoken-cache"))
    monkeypatch.setattr(tiktoken.load, "read_file", _no_download)
    with ScriptedLLMServer() as server:
        monkeypatch.setenv("OPENAI_API_KEY", "test-key")
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
        get_settings.cache_clear()
        yield server
        get_settings.cache_clear()
