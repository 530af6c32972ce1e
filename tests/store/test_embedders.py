"""Embedders: the offline hashing embedder and OpenAI-compatible embeddings over real HTTP."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import retrieval_settings

from evals.scripted_llm import ScriptedLLMServer
from store.index.embedders import HashingEmbedder, OpenAIEmbedder, get_embedder
from store.records import Chunk

REPO = Path(__file__).resolve().parents[2]
SECURITY = "企业在部署AI时必须做好权限设置和数据加密，并建立完善的数据审计机制。"
SECURITY_2 = "如何合理管理和控制访问权限，对数据加密，将直接影响到企业的信息安全。"
TALENT = "人才短缺制约发展，企业需要加强内部培训与引进人才。"


def _cos(a: list[float], b: list[float]) -> float:
    return float(np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b)))


def test_hashing_vectors_are_unit_length_and_sized() -> None:
    embedder = HashingEmbedder(256)
    vectors = embedder.embed_documents([SECURITY, TALENT, "", "！！？"])
    assert all(len(v) == 256 for v in vectors)
    assert all(abs(np.linalg.norm(v) - 1.0) < 1e-5 for v in vectors)  # also for empty text: no NaN cosine
    assert embedder.name == "hash-jieba-bigram-v1-256"


def test_hashing_embedder_ranks_shared_vocabulary_closer() -> None:
    embedder = HashingEmbedder()
    security, security_2, talent = embedder.embed_documents([SECURITY, SECURITY_2, TALENT])
    assert _cos(security, security_2) > _cos(security, talent) + 0.1
    assert np.array_equal(embedder.embed_query(SECURITY), security)


def test_hashing_embedder_is_stable_across_processes() -> None:
    """Python's hash() is salted per process; vectors stored yesterday must match queries today."""
    code = (
        "import json; from store.index.embedders import HashingEmbedder; "
        "print(json.dumps(HashingEmbedder(64).embed_query('数据安全 audit')))"
    )
    env = os.environ | {"PYTHONHASHSEED": "12345", "PYTHONPATH": str(REPO)}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=REPO, capture_output=True, text=True, check=True
    )
    assert np.allclose(json.loads(out.stdout), HashingEmbedder(64).embed_query("数据安全 audit"), atol=1e-7)


def test_get_embedder_picks_hash_offline_and_openai_when_configured(tmp_path: Path) -> None:
    offline = retrieval_settings(tmp_path, embedder="auto", hash_dim=128)
    assert isinstance(get_embedder(offline), HashingEmbedder)
    keyed = retrieval_settings(tmp_path, embedder="auto", embedding_model="emb-1", openai_api_key="k")
    chosen = get_embedder(keyed)
    assert isinstance(chosen, OpenAIEmbedder) and chosen.name == "openai:emb-1"
    key_only = retrieval_settings(tmp_path, embedder="auto", openai_api_key="k")  # LLM key, no model
    assert isinstance(get_embedder(key_only), HashingEmbedder)


def test_openai_embedder_without_model_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="ADVISOR_EMBEDDING_MODEL"):
        get_embedder(retrieval_settings(tmp_path, embedder="openai", openai_api_key="k"))


def test_openai_embedder_over_http_sends_raw_text(scripted_llm: ScriptedLLMServer, tmp_path: Path) -> None:
    """Real langchain-openai client against a local server; tiktoken downloads fail loudly here."""
    settings = retrieval_settings(
        tmp_path,
        embedder="openai",
        embedding_model="emb-1",
        openai_api_key="test-key",
        openai_base_url=scripted_llm.base_url,
    )
    embedder = get_embedder(settings)
    vectors = embedder.embed_documents([SECURITY, TALENT])
    query = embedder.embed_query(SECURITY)
    assert len(vectors) == 2 and len(vectors[0]) == scripted_llm.embedding_dim
    assert np.allclose(query, vectors[0], atol=1e-6)
    inputs = [r["input"] for r in scripted_llm.embedding_requests]
    assert inputs[0] == [SECURITY, TALENT]  # strings, not tiktoken token ids
    assert all(r["model"] == "emb-1" for r in scripted_llm.embedding_requests)


def test_store_with_openai_embeddings(scripted_llm: ScriptedLLMServer, tmp_path: Path) -> None:
    from store.knowledge import KnowledgeStore

    settings = retrieval_settings(
        tmp_path / "data",
        embedder="openai",
        embedding_model="emb-1",
        openai_api_key="test-key",
        openai_base_url=scripted_llm.base_url,
    )
    store = KnowledgeStore(settings)
    chunk = Chunk(chunk_id="c1", source="a.txt", title="A", text=SECURITY)
    store.upsert_document("a.txt", "h1", [chunk], title="A", access=["public"])
    assert store.embedder_name == "openai:emb-1"
    hits = store.search(SECURITY, 1, method="vector")
    assert [h.chunk_id for h in hits] == ["c1"] and hits[0].score == pytest.approx(1.0, abs=1e-4)
