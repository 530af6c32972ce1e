"""Embedders: an offline hashing embedder (the default) and OpenAI-compatible embeddings.

Chroma's default embedding function downloads an ONNX model at run time, which fails offline, so
the store always passes vectors it computed here. `name` is a fingerprint written into the
collection: vectors from different embedders must never be compared.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from typing import TYPE_CHECKING, Protocol

import numpy as np

from lexical import tokenize

if TYPE_CHECKING:
    from settings import Settings

_CJK_BIGRAM = re.compile(r"(?=([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]{2}))")
_BIGRAM_WEIGHT = 0.5  # character bigrams back up the words; they should not outvote them


class Embedder(Protocol):
    name: str

    def embed_documents(self, texts: list[str]) -> list[list[float]]: ...

    def embed_query(self, text: str) -> list[float]: ...


def _slot(feature: str, dim: int) -> int:
    """Stable signed bucket, encoded as +/-(index + 1); Python's hash() is salted per process."""
    h = int.from_bytes(hashlib.blake2b(feature.encode("utf-8"), digest_size=8).digest(), "little")
    return (h % dim + 1) * (1 if h >> 63 else -1)


class HashingEmbedder:
    """Signed feature hashing of jieba tokens and Chinese character bigrams, sublinear tf, L2-normalised.

    Works offline, downloads nothing and is deterministic across processes and machines. It is a
    lexical embedder: it finds passages sharing vocabulary, not paraphrases.
    """

    def __init__(self, dim: int = 768) -> None:
        self.dim = dim
        self.name = f"hash-jieba-bigram-v1-{dim}"
        self._slots: dict[str, int] = {}  # feature -> signed bucket; the corpus vocabulary is bounded

    def _signed(self, features: Counter[str], prefix: str) -> tuple[np.ndarray, np.ndarray]:
        slots = self._slots
        if len(slots) > 1 << 20:
            slots.clear()
        out = np.empty(len(features), dtype=np.int64)
        for i, f in enumerate(features):
            key = prefix + f
            s = slots.get(key)
            if s is None:
                s = slots[key] = _slot(key, self.dim)
            out[i] = s
        tf = np.fromiter(features.values(), dtype=np.float64, count=len(features))
        return out, 1.0 + np.log(tf)

    def _vector(self, text: str) -> np.ndarray:
        words, words_tf = self._signed(Counter(tokenize(text)), "")
        grams, grams_tf = self._signed(Counter(_CJK_BIGRAM.findall(text)), "\x02")
        signed = np.concatenate([words, grams])
        values = np.concatenate([words_tf, _BIGRAM_WEIGHT * grams_tf]) * np.sign(signed)
        vec = np.bincount(np.abs(signed) - 1, weights=values, minlength=self.dim)
        norm = float(np.linalg.norm(vec))
        if norm == 0.0:  # empty or symbol-only text (or features cancelling out): a fixed unit vector
            vec[:] = 0.0
            vec[0], norm = 1.0, 1.0
        return (vec / norm).astype(np.float32)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self._vector(t).tolist() for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._vector(text).tolist()


class OpenAIEmbedder:
    """OpenAI-compatible embeddings through langchain-openai, without tiktoken (it downloads encodings)."""

    def __init__(self, settings: Settings) -> None:
        from langchain_openai import OpenAIEmbeddings
        from pydantic import SecretStr

        if not settings.embedding_model:
            raise ValueError("OpenAI embeddings need ADVISOR_EMBEDDING_MODEL (e.g. text-embedding-3-small).")
        if not settings.openai_api_key:
            raise ValueError("OpenAI embeddings need OPENAI_API_KEY.")
        self.name = f"openai:{settings.embedding_model}"
        self._client = OpenAIEmbeddings(
            model=settings.embedding_model,
            api_key=SecretStr(settings.openai_api_key),
            base_url=settings.openai_base_url,
            check_embedding_ctx_length=False,  # send raw text: no tiktoken, no transformers tokenizer
            tiktoken_enabled=False,
            timeout=settings.llm_timeout_s,
            max_retries=settings.llm_max_retries,
        )

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._client.embed_documents(texts) if texts else []

    def embed_query(self, text: str) -> list[float]:
        return self._client.embed_query(text)


def get_embedder(settings: Settings) -> Embedder:
    """`openai` when asked for, or in `auto` mode when an embedding model and a key are both set."""
    wants_openai = settings.embedder == "openai" or (
        settings.embedder == "auto" and bool(settings.embedding_model) and bool(settings.openai_api_key)
    )
    if wants_openai:
        return OpenAIEmbedder(settings)
    return HashingEmbedder(settings.hash_dim)
