"""The knowledge store: Chroma (embedded or server) + BM25, with access- and source-filtered hybrid search.

Atomicity without transactions: each write of a document gets a fresh `version`, its chunks are
stored under ids `<chunk_id>@<version>`, and a manifest record per document (manifest.py) names the
committed version. The manifest is written last, so until it lands the new chunks are invisible and
the old version stays whole; search, get and list only ever see manifest versions, and
`reconcile()` deletes what a crash left behind. `commit` writes the chunks of many documents in one
Chroma call (each call has a fixed cost), then all their manifest records in one more: each document
still appears whole or not at all. Where chunk texts live: chunk_table.py; ranking: retrieval.py.
"""

from __future__ import annotations

import contextlib
import dataclasses
import shutil
import threading
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, Literal

import numpy as np
from chromadb.api.models.Collection import Collection

from settings import Settings, get_settings
from store import retrieval
from store.chroma.chunk_table import ChromaTable, ChunkRow, ChunkTable, SqliteTable, scan
from store.chroma.client import EmbedderMismatchError, connect, guard, where
from store.chroma.client import StoreDamagedError as StoreDamagedError  # re-exported: callers import it here
from store.chroma.client import StoreUnavailableError as StoreUnavailableError
from store.chroma.manifest import GENERATION_ID, Manifest, document_info, manifest_entry
from store.documents.prepare import PreparedDocument, prepare_document
from store.index.embedders import Embedder, get_embedder
from store.index.lexical import TokenCache, tokenize
from store.reading import DocumentReader
from store.records import Chunk, DocumentInfo, Passage
from store.retrieval import CommittedIndex

_WRITE = 2000  # records per Chroma call
# Measured on chromadb 1.5: per-document writes of ~30 chunks were 2-3x faster with the HNSW sync
# threshold at 100 than at the default 1000; batched writes of ~1000 chunks cost the same with either.
_COLLECTION_CONFIG: Any = {"hnsw": {"space": "cosine", "sync_threshold": 100, "batch_size": 100}}
Method = Literal["hybrid", "bm25", "vector"]


class KnowledgeStore(DocumentReader):
    """Chunks of documents with atomic per-document replacement and filtered hybrid search.

    Thread-safe; one instance per process is enough (`get_store`).
    """

    freshness_s = 1.0  # how often a reader checks whether another process committed a change

    def __init__(self, settings: Settings | None = None, embedder: Embedder | None = None) -> None:
        self.settings = s = settings or get_settings()
        self.embedder = embedder or get_embedder(s)
        slug = f"{s.collection}-{s.chroma_host}-{s.chroma_port}" if s.chroma_host else s.collection
        self._cache_dir = s.data_dir / "lexical" / slug
        self._lock = threading.RLock()
        self._mismatch: str | None = None
        self.token_cache = TokenCache(s.data_dir / "lexical")
        with guard(s):
            self._client = connect(s)
            self._open()

    def _open(self) -> None:
        s, config = self.settings, _COLLECTION_CONFIG
        layout = "chroma" if s.chroma_host else "sqlite"  # for a new collection; see chunk_table.py
        self._chunks: Collection = self._client.get_or_create_collection(
            s.collection,
            metadata={"embedder": self.embedder.name, "layout": layout},
            configuration=config,
            embedding_function=None,
        )
        docs = self._client.get_or_create_collection(
            f"{s.collection}_docs", configuration=config, embedding_function=None
        )
        self._manifest = Manifest(docs)
        built = self._chunks.metadata or {}
        self._table: ChunkTable = (
            SqliteTable(s.data_dir / "chunks" / f"{s.collection}.sqlite3")
            if built.get("layout") == "sqlite"
            else ChromaTable(self._chunks)
        )
        self._committed = CommittedIndex(
            self._manifest, self._table, self.token_cache, self._cache_dir, where(s)
        )
        self._mismatch = None
        if (built_by := built.get("embedder")) != self.embedder.name:
            if self._chunks.count() == 0:  # nothing to compare against: adopt the current embedder
                self._drop_collections()
                self._open()
                return
            self._mismatch = (
                f"The knowledge store at {where(s)} was built with embedder '{built_by}', but the current "
                f"embedder is '{self.embedder.name}'. Re-ingest with `advisor ingest --rebuild` "
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

    def _write_manifest(self, entries: dict[str, dict[str, Any]]) -> None:
        """The commit point of a batch of documents (tests replace it to crash right before)."""
        self._manifest.commit(entries)
        self._committed.invalidate()

    def _bump(self) -> None:
        """Tell every reader (this and other processes) that committed content changed."""
        self._manifest.bump()
        self._committed.invalidate()

    # --- writes -------------------------------------------------------------------------------------
    def commit(self, docs: Sequence[PreparedDocument]) -> None:
        """Atomically replace each document by its prepared version; readers never see a mix."""
        if any(d.source == GENERATION_ID or not d.source for d in docs):
            raise ValueError(f"invalid document source among {[d.source for d in docs]!r}")
        if len({d.source for d in docs}) != len(docs):
            raise ValueError("a commit holds each document once")
        self._require()
        versions = {d.source: uuid.uuid4().hex[:16] for d in docs}
        now = datetime.now(UTC).isoformat(timespec="seconds")
        rows = [
            ChunkRow.of(c, d.source, versions[d.source], title=d.title, access=d.groups, doc_hash=d.doc_hash)
            for d in docs
            for c in d.chunks
        ]
        entries = {d.source: manifest_entry(d, versions[d.source], now) for d in docs}
        with guard(self.settings):
            self._table.write(rows)
            metas, texts = self._table.chroma_fields(rows)
            vectors = np.concatenate([d.vectors for d in docs if d.chunks]) if rows else None
            for i in range(0, len(rows), _WRITE):
                j = i + _WRITE
                self._chunks.add(
                    ids=[r.record_id for r in rows[i:j]],
                    embeddings=vectors[i:j],  # type: ignore[index]
                    metadatas=metas[i:j],
                    documents=texts[i:j] if texts is not None else None,
                )
            self._write_manifest(entries)
            # No longer visible: the manifest names the new versions.
            sources, kept = list(versions), list(versions.values())
            stale: Any = {"$and": [{"source": {"$in": sources}}, {"version": {"$nin": kept}}]}
            self._chunks.delete(where=stale)
            self._table.delete_stale(sources, kept)

    def upsert_document(
        self,
        source: str,
        doc_hash: str,
        chunks: list[Chunk],
        *,
        title: str,
        access: list[str],
        uploaded: bool = False,
    ) -> None:
        """Atomically replace `source` by `chunks`; readers see the old version or the new, never a mix."""
        self._require()
        embed = prepare_document  # embeds first: a failing embedder leaves the store untouched
        doc = embed(self.embedder, self.token_cache, source, doc_hash, chunks, title=title, access=access)
        self.commit([dataclasses.replace(doc, uploaded=uploaded)])

    def delete_document(self, source: str) -> int:
        """Remove a document (manifest first, so it vanishes at once); returns the chunks removed."""
        self._require()
        with guard(self.settings):
            ids = self._chunks.get(where={"source": source}, include=[])["ids"]
            self._manifest.delete(source)
            for i in range(0, len(ids), _WRITE):
                self._chunks.delete(ids=ids[i : i + _WRITE])
            self._table.delete_stale([source], [])
            self._bump()
        return len(ids)

    def reconcile(self) -> int:
        """Delete chunks no manifest commits (left by a crash mid-write); returns how many."""
        self._require()
        with guard(self.settings):
            committed = {s: str(m.get("version")) for s, m in self._manifest.entries().items()}
            versions = set(committed.values())
            if 0 < len(versions) <= 5000:  # one query; larger lists would hit SQLite's variable limit
                uncommitted: Any = {"version": {"$nin": sorted(versions)}}
                orphans = self._chunks.get(where=uncommitted, include=[])["ids"]
            else:
                pages = scan(self._chunks, ["metadatas"])
                orphans = [i for p in pages for i, m in p if m.get("version") not in versions]
            for i in range(0, len(orphans), _WRITE):
                self._chunks.delete(ids=orphans[i : i + _WRITE])
            if self._table.delete_uncommitted(committed) or orphans:
                self._bump()
        return len(orphans)

    def reset(self) -> None:
        """Drop every document and cache; the next collection records the current embedder."""
        with guard(self.settings), self._lock:
            self._table.clear()
            self._drop_collections()
            self._open()
            self._table.clear()
            shutil.rmtree(self._cache_dir, ignore_errors=True)
            self.token_cache.clear()

    # --- listing ------------------------------------------------------------------------------------
    def _entries(self) -> dict[str, dict[str, Any]]:
        self._require()
        with guard(self.settings):
            return self._manifest.entries()

    def document_hashes(self) -> dict[str, str]:
        return {s: str(m.get("doc_hash", "")) for s, m in self._entries().items()}

    def list_documents(self) -> list[DocumentInfo]:
        return [document_info(s, m) for s, m in sorted(self._entries().items())]

    def count(self, groups: Sequence[str] | None = None) -> int:
        """Searchable (committed) chunks; with `groups`, only those such a caller may see."""
        if groups is None:
            return sum(int(m.get("chunks", 0)) for m in self._entries().values())
        self._require()
        with guard(self.settings):
            index = self._committed.current(self.freshness_s)
            mask = index.mask(groups, None)
            return index.size if mask is None else int(mask.sum())

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
        with guard(self.settings):
            index = self._committed.current(self.freshness_s)
            mask = index.mask(groups, sources)
            if index.size == 0 or (mask is not None and not mask.any()):
                return []
            expanded, n = query, max(50, 4 * k)  # domain expansion is the caller's (agents.language)
            # BM25 statistics over what the caller may see: hidden documents never move a score.
            visible = index.mask(groups, None)
            lexical = index.top(tokenize(expanded), n, mask, visible) if method != "vector" else None
            vector = None
            if method != "bm25":
                where_ = retrieval.chroma_where(groups, sources)
                embedded = self.embedder.embed_query(expanded)
                vector = retrieval.vector_top(self._chunks, index, embedded, n, mask, where_)
            return retrieval.passages(self._table, index, retrieval.fuse(lexical, vector)[:k])

    def get(self, chunk_ids: Sequence[str], *, groups: Sequence[str] | None = None) -> list[Passage]:
        """Committed passages by stable chunk id, in the order asked, skipping unknown or invisible ones."""
        self._require()
        with guard(self.settings):
            index = self._committed.current(self.freshness_s)
            mask = index.mask(groups, None)
            rows = [r for c in dict.fromkeys(chunk_ids) if (r := index.row_of_chunk(c)) is not None]
            return retrieval.passages(self._table, index, [(r, 0.0) for r in rows if mask is None or mask[r]])


_STORE_KEY = ("collection", "chroma_host", "chroma_port", "embedder", "embedding_model", "hash_dim")
_STORES: dict[tuple[Any, ...], KnowledgeStore] = {}
_STORES_LOCK = threading.Lock()


def get_store(settings: Settings | None = None) -> KnowledgeStore:
    """The process-wide store for these settings (built once: Chroma clients and indexes are costly)."""
    s = settings or get_settings()
    key = (str(s.data_dir), *(getattr(s, f) for f in _STORE_KEY))
    with _STORES_LOCK:
        if key not in _STORES:
            _STORES[key] = KnowledgeStore(s)
        return _STORES[key]


def clear_store_cache() -> None:
    """Forget cached stores (tests that change settings between cases)."""
    with _STORES_LOCK:
        _STORES.clear()
