"""Shared pytest fixtures. Each helper owns a clearly separated section below."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from fake_llm_server import ScriptedLLMServer

if TYPE_CHECKING:
    from settings import Settings


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


# ----------------------------------------------------------------------------------------------
# Retrieval layer (store.py, retrieval.py, lexical.py, embedders.py): stores on temporary data
# dirs, isolated from the developer's ADVISOR_* / CHROMA_* environment, and the seed corpus
# ingested once per session.
# ----------------------------------------------------------------------------------------------
KNOWLEDGE_DIR = Path(__file__).resolve().parent.parent / "knowledge"


def retrieval_settings(data_dir: Path, **overrides: object) -> Settings:
    """Settings for a local embedded store with the offline hashing embedder."""
    from settings import Settings

    values: dict[str, object] = {"data_dir": data_dir, "embedder": "hash", "chroma_host": None}
    values |= {"embedding_model": None, "openai_api_key": None, "collection": "advisor_chunks"}
    return Settings(**(values | overrides))  # type: ignore[arg-type]


@pytest.fixture
def make_store(tmp_path: Path) -> object:
    """Factory of KnowledgeStores; calls with the same `name` share one data dir (two processes' view)."""
    from store import KnowledgeStore

    def make(name: str = "data", **overrides: object) -> KnowledgeStore:
        return KnowledgeStore(retrieval_settings(tmp_path / name, **overrides))

    return make


@pytest.fixture
def make_chunks() -> object:
    """Factory of Chunks for one source from plain texts; ids hash source and text like ingest does."""
    import hashlib

    from records import Chunk

    def make(source: str, texts: list[str], *, title: str = "", section: str = "") -> list[Chunk]:
        chunks, offset = [], 0
        for text in texts:
            digest = hashlib.sha256(f"{source}\x00{text}".encode()).hexdigest()[:24]
            chunks.append(
                Chunk(
                    chunk_id=digest,
                    source=source,
                    title=title or source,
                    section=section,
                    start=offset,
                    end=offset + len(text),
                    text=text,
                )
            )
            offset += len(text)
        return chunks

    return make


@pytest.fixture(scope="session")
def seed_store(tmp_path_factory: pytest.TempPathFactory) -> object:
    """The five seed articles of knowledge/ ingested through ingest.py into one store (read-only!)."""
    from ingest import ingest_paths
    from store import KnowledgeStore

    store = KnowledgeStore(retrieval_settings(tmp_path_factory.mktemp("seed-store") / "data"))
    report = ingest_paths([KNOWLEDGE_DIR], store, root=KNOWLEDGE_DIR, progress=False)
    assert not report.failed, report.failed
    return store
