"""Embedders: an offline hashing embedder (the default) and OpenAI-compatible embeddings.

Chroma's default embedding function downloads an ONNX model at run time, which fails offline, so
the store always passes vectors it computed here. `name` is a fingerprint written into the
collection: vectors from different embedders must never be compared.
"""

from __future__ import annotations

import hashlib
import re
import threading
from typing import TYPE_CHECKING, Protocol

import numpy as np
from pydantic import SecretStr

from store.index.lexical import tokenize

if TYPE_CHECKING:
    from settings import Settings

_CJK_BIGRAM = re.compile(r"(?=([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]{2}))")
_BIGRAM_WEIGHT = 0.5  # character bigrams back up the words; they should not outvote them
_GRAM = "\x02"  # key prefix keeping a bigram feature apart from the same two characters as a word


class Embedder(Protocol):
    name: str

    def embed_documents(self, texts: list[str]) -> list[list[float]] | np.ndarray: ...

    def embed_query(self, text: str) -> list[float]: ...


class HashingEmbedder:
    """Signed feature hashing of jieba tokens and Chinese character bigrams, sublinear tf, L2-normalised.

    Works offline, downloads nothing and is deterministic across processes and machines. It is a
    lexical embedder: it finds passages sharing vocabulary, not paraphrases. A batch is embedded in
    one pass of numpy over all its features (ingest embeds ~1500 chunks per MB).
    """

    def __init__(self, dim: int = 768) -> None:
        self.dim = dim
        self.name = f"hash-jieba-bigram-v1-{dim}"
        # Feature vocabularies (words, bigrams): feature -> id, and per id its bucket and signed
        # weight. The corpus vocabulary is bounded, so remembering it saves re-hashing every feature.
        self._words: dict[str, int] = {}
        self._grams: dict[str, int] = {}
        self._bucket = np.empty(4096, dtype=np.int64)
        self._weight = np.empty(4096, dtype=np.float64)
        self._lock = threading.Lock()  # the vocabulary grows while searches embed queries in threads

    def _feature_ids(self, features: list[str], vocabulary: dict[str, int], prefix: str) -> list[int]:
        for feature in set(features).difference(vocabulary):  # set operations run in C
            self._add(feature, vocabulary, prefix)
        return list(map(vocabulary.__getitem__, features))

    def _add(self, feature: str, vocabulary: dict[str, int], prefix: str) -> int:
        fid = len(self._words) + len(self._grams)
        if fid == len(self._bucket):
            self._bucket = np.resize(self._bucket, 2 * fid)
            self._weight = np.resize(self._weight, 2 * fid)
        key = (prefix + feature).encode("utf-8")
        h = int.from_bytes(hashlib.blake2b(key, digest_size=8).digest(), "little")
        self._bucket[fid] = h % self.dim
        sign = 1.0 if h >> 63 else -1.0  # Python's hash() is salted per process: blake2b is stable
        self._weight[fid] = sign * (_BIGRAM_WEIGHT if prefix else 1.0)
        vocabulary[feature] = fid
        return fid

    def _matrix(self, texts: list[str]) -> np.ndarray:
        words = [tokenize(t) for t in texts]
        grams = [_CJK_BIGRAM.findall(t) for t in texts]
        with self._lock:
            if len(self._words) + len(self._grams) > 1 << 20:  # unbounded input (a flood of queries)
                self._words.clear()
                self._grams.clear()
            ids: list[int] = []
            for w, g in zip(words, grams, strict=True):
                ids += self._feature_ids(w, self._words, "")
                ids += self._feature_ids(g, self._grams, _GRAM)
            width = len(self._words) + len(self._grams) or 1
            n = len(texts)
            counts = [len(w) + len(g) for w, g in zip(words, grams, strict=True)]
            rows = np.repeat(np.arange(n, dtype=np.int64), counts)
            pairs, tf = np.unique(rows * width + np.asarray(ids, dtype=np.int64), return_counts=True)
            row, fid = np.divmod(pairs, width)
            values = (1.0 + np.log(tf)) * self._weight[fid]
            buckets = self._bucket[fid]
        flat = np.bincount(row * self.dim + buckets, weights=values, minlength=n * self.dim)
        matrix = flat.reshape(n, self.dim)
        norms = np.linalg.norm(matrix, axis=1)
        empty = norms == 0.0  # empty or symbol-only text (or features cancelling out): a fixed unit vector
        matrix[empty] = 0.0
        matrix[empty, 0] = 1.0
        norms[empty] = 1.0
        return (matrix / norms[:, None]).astype(np.float32)

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        """One row per text (an array, not lists: ingest hands it to Chroma as is)."""
        return self._matrix(texts) if texts else np.empty((0, self.dim), dtype=np.float32)

    def embed_query(self, text: str) -> list[float]:
        return self._matrix([text])[0].tolist()


class OpenAIEmbedder:
    """OpenAI-compatible embeddings through langchain-openai, without tiktoken (it downloads encodings)."""

    def __init__(self, settings: Settings) -> None:
        # Imported only for ADVISOR_EMBEDDER=openai: langchain-openai costs ~2 s to import.
        from langchain_openai import OpenAIEmbeddings

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
