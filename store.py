"""The knowledge store: Chroma (embedded or server) + BM25, with access- and source-filtered hybrid search.

Atomicity without transactions: each write of a document gets a fresh `version`, its chunks are
stored under ids `<chunk_id>@<version>`, and a manifest record per document (collection
`<collection>_docs`) names the committed version. The manifest is written last, so until it lands
the new chunks are invisible and the old version stays whole; search, get and list only ever see
manifest versions, and `reconcile()` deletes what a crash left behind. Ranking lives in retrieval.py.
"""

from __future__ import annotations

import contextlib
import json
import logging
import shutil
import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any, Literal

import chromadb
import numpy as np
from chromadb.api.models.Collection import Collection
from chromadb.config import Settings as ChromaSettings

import retrieval
from embedders import Embedder, get_embedder
from glossary import expand_query
from lexical import BM25Index, TokenCache, index_text, tokenize
from records import PUBLIC, Chunk, DocumentInfo, Passage
from settings import Settings, get_settings

logging.getLogger("chromadb").setLevel(logging.ERROR)

GENERATION_ID = "__advisor_generation__"  # manifest record whose value changes on every commit
_BATCH = retrieval.BATCH
_UNIT = np.ones((1, 1), dtype=np.float32)  # manifest records need a vector; they carry no meaning
# Measured on chromadb 1.5: a write costs more the more records wait to be synced into the HNSW
# index (default threshold 1000); at 100, per-document writes of ~30 chunks are ~2-3x faster.
_COLLECTION_CONFIG: Any = {"hnsw": {"space": "cosine", "sync_threshold": 100, "batch_size": 100}}
Method = Literal["hybrid", "bm25", "vector"]


class EmbedderMismatchError(RuntimeError):
    """The collection was built by another embedder; its vectors cannot be compared with ours."""


class StoreUnavailableError(RuntimeError):
    """Chroma cannot be reached (server mode) or opened."""


class KnowledgeStore:
    """Chunks of documents with atomic per-document replacement and filtered hybrid search.

    Thread-safe; one instance per process is enough (`get_store`).
    """

    freshness_s = 1.0  # how often a reader checks whether another process committed a change

    def __init__(self, settings: Settings | None = None, embedder: Embedder | None = None) -> None:
        self.settings = settings or get_settings()
        self.embedder = embedder or get_embedder(self.settings)
        s = self.settings
        self._where_label = (
            f"{s.chroma_host}:{s.chroma_port}" if s.chroma_host else str(s.data_dir / "chroma")
        )
        slug = f"{s.collection}-{s.chroma_host}-{s.chroma_port}" if s.chroma_host else s.collection
        self._cache_dir = s.data_dir / "lexical" / slug
        self._lock = threading.RLock()
        self._index: BM25Index | None = None
        self._checked_at = 0.0
        self._mismatch: str | None = None
        with self._guard():
            self._client = self._connect()
            self._open()
        self._tokens = TokenCache(s.data_dir / "lexical")

    # --- connection -------------------------------------------------------------------------------
    def _connect(self) -> Any:
        s, telemetry = self.settings, ChromaSettings(anonymized_telemetry=False)
        if s.chroma_host:
            client = chromadb.HttpClient(host=s.chroma_host, port=s.chroma_port, settings=telemetry)
            client.heartbeat()
            return client
        try:
            (s.data_dir / "chroma").mkdir(parents=True, exist_ok=True)
            return chromadb.PersistentClient(path=str(s.data_dir / "chroma"), settings=telemetry)
        except Exception as exc:
            raise StoreUnavailableError(f"cannot open the local store at {self._where_label}: {exc}") from exc

    @contextlib.contextmanager
    def _guard(self) -> Iterator[None]:
        """Turn transport failures into one clear error naming the server."""
        try:
            yield
        except Exception as exc:
            if self.settings.chroma_host and _is_transport_error(exc):
                raise StoreUnavailableError(
                    f"Chroma server at {self._where_label} is unreachable; "
                    "start it (`chroma run --path DIR --port N`) or unset CHROMA_HOST to use the local store."
                ) from exc
            raise

    def _open(self) -> None:
        name, config = self.settings.collection, _COLLECTION_CONFIG
        self._chunks: Collection = self._client.get_or_create_collection(
            name, metadata={"embedder": self.embedder.name}, configuration=config, embedding_function=None
        )
        self._docs: Collection = self._client.get_or_create_collection(
            f"{name}_docs", configuration=config, embedding_function=None
        )
        built_by = (self._chunks.metadata or {}).get("embedder")
        self._mismatch = None
        if built_by != self.embedder.name:
            if self._chunks.count() == 0:  # nothing to compare against: adopt the current embedder
                self._drop_collections()
                self._open()
                return
            self._mismatch = (
                f"The knowledge store at {self._where_label} was built with embedder '{built_by}', but the "
                f"current embedder is '{self.embedder.name}'. Re-ingest with `advisor ingest --rebuild` "
                "(or restore the previous ADVISOR_EMBEDDER / ADVISOR_EMBEDDING_MODEL)."
            )

    def _require(self) -> None:
        if self._mismatch:
            raise EmbedderMismatchError(self._mismatch)

    def _drop_collections(self) -> None:
        for name in (self.settings.collection, f"{self.settings.collection}_docs"):
            with contextlib.suppress(Exception):  # absent already
                self._client.delete_collection(name)

    @property
    def embedder_name(self) -> str:
        return self.embedder.name

    def ping(self) -> bool:
        try:
            self._client.heartbeat()
            return True
        except Exception:
            return False

    # --- manifest -----------------------------------------------------------------------------------
    def _manifest(self) -> dict[str, dict[str, Any]]:
        got = self._docs.get(include=["metadatas"])
        return {
            i: dict(m or {})
            for i, m in zip(got["ids"], got["metadatas"] or [], strict=False)
            if i != GENERATION_ID
        }

    def _write_manifest(self, source: str, entry: dict[str, Any]) -> None:
        """The commit point of a document write; one call that also moves the generation on."""
        records: Any = [entry, {"generation": uuid.uuid4().hex}]
        self._docs.upsert(
            ids=[source, GENERATION_ID], embeddings=np.ones((2, 1), np.float32), metadatas=records
        )
        with self._lock:
            self._index = None

    def _generation(self) -> str:
        got = self._docs.get(ids=[GENERATION_ID], include=["metadatas"])
        return str((got["metadatas"] or [{}])[0].get("generation", "")) if got["ids"] else ""

    def _bump(self) -> None:
        """Tell every reader (this and other processes) that committed content changed."""
        self._docs.upsert(ids=[GENERATION_ID], embeddings=_UNIT, metadatas=[{"generation": uuid.uuid4().hex}])
        with self._lock:
            self._index = None

    # --- writes -------------------------------------------------------------------------------------
    def upsert_document(
        self, source: str, doc_hash: str, chunks: list[Chunk], *, title: str, access: list[str]
    ) -> None:
        """Atomically replace `source` by `chunks`; readers see the old version or the new, never a mix."""
        if source == GENERATION_ID or not source:
            raise ValueError(f"invalid document source: {source!r}")
        self._require()
        unique = list({c.chunk_id: c for c in reversed(chunks)}.values())[::-1]  # first of duplicates
        groups = sorted(set(access or [PUBLIC]))
        # Embed before any write: a failing embedder leaves the store untouched.
        indexed = [index_text(c.section, c.text) for c in unique]
        vectors = np.asarray(self.embedder.embed_documents(indexed), dtype=np.float32)
        self._tokens.put_many({c.chunk_id: tokenize(t) for c, t in zip(unique, indexed, strict=True)})
        version = uuid.uuid4().hex[:16]
        metas: list[Any] = []  # chroma metadata values: str | int | float | bool
        for c in unique:
            meta: dict[str, Any] = {
                "chunk_id": c.chunk_id,
                "source": source,
                "title": title,
                "section": c.section,
            }
            meta |= {"start": c.start, "end": c.end, "doc_hash": doc_hash, "version": version}
            meta |= {"access": json.dumps(groups), **{f"acl_{g}": True for g in groups}}
            if c.page is not None:
                meta["page"] = c.page
            metas.append(meta)
        ids = [f"{c.chunk_id}@{version}" for c in unique]
        entry: dict[str, Any] = {
            "doc_hash": doc_hash,
            "version": version,
            "title": title,
            "access": json.dumps(groups),
        }
        entry |= {"chunks": len(unique), "ingested_at": datetime.now(UTC).isoformat(timespec="seconds")}
        with self._guard():
            for i in range(0, len(ids), _BATCH):
                j = i + _BATCH
                docs = [c.text for c in unique[i:j]]
                self._chunks.add(ids=ids[i:j], embeddings=vectors[i:j], documents=docs, metadatas=metas[i:j])
            self._write_manifest(source, entry)
            stale: Any = {"$and": [{"source": source}, {"version": {"$ne": version}}]}
            self._chunks.delete(where=stale)  # no longer visible: the manifest names the new version

    def delete_document(self, source: str) -> int:
        """Remove a document (manifest first, so it vanishes at once); returns the chunks removed."""
        self._require()
        with self._guard():
            ids = self._chunks.get(where={"source": source}, include=[])["ids"]
            self._docs.delete(ids=[source])
            for i in range(0, len(ids), _BATCH):
                self._chunks.delete(ids=ids[i : i + _BATCH])
            self._bump()
        return len(ids)

    def reconcile(self) -> int:
        """Delete chunks no manifest commits (left by a crash mid-write); returns how many."""
        self._require()
        with self._guard():
            committed = {str(m.get("version")) for m in self._manifest().values()}
            if 0 < len(committed) <= 5000:  # one query; larger lists would hit SQLite's variable limit
                uncommitted: Any = {"version": {"$nin": sorted(committed)}}
                orphans = self._chunks.get(where=uncommitted, include=[])["ids"]
            else:
                pages = retrieval.scan(self._chunks, ["metadatas"])
                orphans = [i for p in pages for i, m in p if m.get("version") not in committed]
            for i in range(0, len(orphans), _BATCH):
                self._chunks.delete(ids=orphans[i : i + _BATCH])
            if orphans:
                self._bump()
        return len(orphans)

    def reset(self) -> None:
        """Drop every document and cache; the next collection records the current embedder."""
        with self._guard(), self._lock:
            self._drop_collections()
            self._open()
            self._index = None
            shutil.rmtree(self._cache_dir, ignore_errors=True)
            self._tokens.clear()

    # --- listing ------------------------------------------------------------------------------------
    def document_hashes(self) -> dict[str, str]:
        self._require()
        with self._guard():
            return {s: str(m.get("doc_hash", "")) for s, m in self._manifest().items()}

    def list_documents(self) -> list[DocumentInfo]:
        self._require()
        with self._guard():
            manifest = self._manifest()
        return [
            DocumentInfo(
                source=s,
                title=str(m.get("title", "")),
                chunks=int(m.get("chunks", 0)),
                access=json.loads(m.get("access", "[]")),
                doc_hash=str(m.get("doc_hash", "")),
                ingested_at=str(m.get("ingested_at", "")),
            )
            for s, m in sorted(manifest.items())
        ]

    def count(self) -> int:
        """Searchable (committed) chunks."""
        self._require()
        with self._guard():
            return sum(int(m.get("chunks", 0)) for m in self._manifest().values())

    # --- the lexical index of committed chunks --------------------------------------------------
    def _current_index(self) -> BM25Index:
        with self._lock:
            now = time.monotonic()
            if self._index is not None and now - self._checked_at < self.freshness_s:
                return self._index
            generation = self._generation()
            self._checked_at = now
            if self._index is None or self._index.generation != generation:
                snapshot = self._cache_dir / f"index-{generation or 'empty'}"
                self._index = BM25Index.load(snapshot)
                if self._index is None or self._index.generation != generation:
                    committed = {src: str(m.get("version")) for src, m in self._manifest().items()}
                    self._index = retrieval.build_index(self._chunks, committed, self._tokens, generation)
                    retrieval.save_snapshot(self._index, self._cache_dir, snapshot)
            return self._index

    # --- reads --------------------------------------------------------------------------------------
    def search(
        self,
        query: str,
        k: int = 5,
        *,
        groups: Sequence[str] | None = None,
        sources: Sequence[str] | None = None,
        method: Method = "hybrid",
    ) -> list[Passage]:
        """Top-k passages the caller may see. groups=None is unrestricted (trusted local callers).

        Scores: hybrid = RRF of both rankings, bm25 = BM25 score, vector = cosine similarity.
        """
        if method not in ("hybrid", "bm25", "vector"):
            raise ValueError(f"unknown search method {method!r}; use hybrid, bm25 or vector")
        if k < 1:
            raise ValueError("k must be at least 1")
        self._require()
        if not query.strip():
            return []
        with self._guard():
            index = self._current_index()
            mask = index.mask(groups, sources)
            if index.size == 0 or (mask is not None and not mask.any()):
                return []
            expanded, n = expand_query(query), max(50, 4 * k)
            rankings: list[retrieval.Ranking] = []
            if method != "vector":
                rankings.append(index.top(tokenize(expanded), n, mask))
            if method != "bm25":
                vector = self.embedder.embed_query(expanded)
                where = retrieval.chroma_where(groups, sources)
                rankings.append(retrieval.vector_top(self._chunks, index, vector, n, mask, where))
            ranked = (
                retrieval.rrf([[row for row, _ in r] for r in rankings])
                if method == "hybrid"
                else rankings[0]
            )
            return retrieval.passages(self._chunks, index, ranked[:k])

    def get(self, chunk_ids: Sequence[str], *, groups: Sequence[str] | None = None) -> list[Passage]:
        """Committed passages by stable chunk id, in the order asked, skipping unknown or invisible ones."""
        self._require()
        with self._guard():
            index = self._current_index()
            mask = index.mask(groups, None)
            rows = [r for c in dict.fromkeys(chunk_ids) if (r := index.row_of_chunk(c)) is not None]
            return retrieval.passages(
                self._chunks, index, [(r, 0.0) for r in rows if mask is None or mask[r]]
            )


def _is_transport_error(exc: BaseException) -> bool:
    import httpx

    while exc is not None:
        if isinstance(exc, httpx.TransportError | ConnectionError | TimeoutError):
            return True
        text = str(exc).lower()
        if "connect" in text or "could not reach" in text:
            return True
        exc = exc.__cause__ or exc.__context__  # type: ignore[assignment]
    return False


_STORES: dict[tuple[Any, ...], KnowledgeStore] = {}
_STORES_LOCK = threading.Lock()


def get_store(settings: Settings | None = None) -> KnowledgeStore:
    """The process-wide store for these settings (built once: Chroma clients and indexes are costly)."""
    s = settings or get_settings()
    key = (
        str(s.data_dir),
        s.collection,
        s.chroma_host,
        s.chroma_port,
        s.embedder,
        s.embedding_model,
        s.hash_dim,
    )
    with _STORES_LOCK:
        if key not in _STORES:
            _STORES[key] = KnowledgeStore(s)
        return _STORES[key]


def clear_store_cache() -> None:
    """Forget cached stores (tests that change settings between cases)."""
    with _STORES_LOCK:
        _STORES.clear()
