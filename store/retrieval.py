"""Ranking over the committed chunks of a Chroma collection: the BM25 catalog, vector tiers, RRF.

Filters come before ranking. BM25 ranks only allowed rows (a mask). Chroma's `where` pre-filter
is exact but costs ~0.3-0.8 s at 100k chunks, so the vector side uses it only as the last resort.
First it over-fetches the unfiltered nearest neighbours (sized by the allowed fraction) and keeps
the allowed ones, which are then the nearest allowed neighbours; when the filter is too selective
for that and the allowed set is small, it scores those chunks exactly from their stored vectors.
"""

from __future__ import annotations

import math
import shutil
import threading
import time
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from chromadb.api.models.Collection import Collection

from store.chroma.chunk_table import ChunkTable
from store.chroma.client import StoreDamagedError
from store.chroma.manifest import Manifest
from store.index.bm25 import BM25Index
from store.index.lexical import TokenCache, index_text, tokenize
from store.records import PUBLIC, Passage

RRF_K = 60
BATCH = 2000
EXACT_MAX = 256  # allowed sets this small are scored exactly from their stored vectors
OVERFETCH_MAX = 1500  # the longest unfiltered neighbour list worth filtering in Python

Ranking = list[tuple[int, float]]  # (index row, score), best first


def rrf(rankings: Sequence[Sequence[int]], k: int = RRF_K) -> Ranking:
    """Reciprocal rank fusion: rank-based, so BM25 and cosine scores need no common scale."""
    fused: dict[int, float] = {}
    for ranking in rankings:
        for rank, row in enumerate(ranking):
            fused[row] = fused.get(row, 0.0) + 1.0 / (k + rank + 1)
    return sorted(fused.items(), key=lambda item: (-item[1], item[0]))


def fuse(lexical: Ranking | None, vector: Ranking | None) -> Ranking:
    """Hybrid (both given): RRF of the two rankings; otherwise the one given, with its own scores."""
    if lexical is not None and vector is not None:
        return rrf([[row for row, _ in lexical], [row for row, _ in vector]])
    return lexical if lexical is not None else vector or []


def chroma_where(groups: Sequence[str] | None, sources: Sequence[str] | None) -> dict[str, Any] | None:
    """The Chroma pre-filter equivalent to `BM25Index.mask` (access stored as `acl_<group>: True`)."""
    clauses: list[dict[str, Any]] = []
    if groups is not None:
        acl = [{f"acl_{g}": True} for g in sorted({PUBLIC, *groups})]
        clauses.append(acl[0] if len(acl) == 1 else {"$or": acl})
    if sources is not None:
        clauses.append({"source": {"$in": list(sources)}})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def build_index(
    table: ChunkTable, committed: dict[str, str], tokens: TokenCache, generation: str
) -> BM25Index:
    """The BM25 catalog of the chunks whose version is the one their document's manifest commits."""
    rows = [r for r in table.catalog() if committed.get(r[2]) == r[3]]
    chunk_ids = [cid for _, cid, _, _, _ in rows]
    known = tokens.get_many(chunk_ids)
    missing = [(rid, cid) for rid, cid, _, _, _ in rows if cid not in known]
    for k in range(0, len(missing), BATCH):  # written by another machine, or a cleared cache
        part = missing[k : k + BATCH]
        found = table.fetch([rid for rid, _ in part])
        fresh = {
            cid: tokenize(index_text(hit.section, hit.text)) if (hit := found.get(rid)) else []
            for rid, cid in part
        }
        tokens.put_many(fresh)
        known.update(fresh)
    return BM25Index.build(
        [rid for rid, _, _, _, _ in rows],
        chunk_ids,
        [source for _, _, source, _, _ in rows],
        [access for _, _, _, _, access in rows],
        (known[c] for c in chunk_ids),
        generation=generation,
    )


class CommittedIndex:
    """The BM25 catalog of the committed chunks, rebuilt when the manifest's generation moves on.

    Snapshots on disk (one per generation) let a restarted process skip the build.
    """

    def __init__(
        self, manifest: Manifest, table: ChunkTable, tokens: TokenCache, cache_dir: Path, where: str
    ) -> None:
        self._manifest, self._table, self._tokens = manifest, table, tokens
        self._cache_dir, self._where = cache_dir, where
        self._lock = threading.Lock()
        self._index: BM25Index | None = None
        self._checked_at = 0.0

    def invalidate(self) -> None:
        with self._lock:
            self._index = None

    def current(self, freshness_s: float) -> BM25Index:
        """The index of what is committed, checking for other writers at most every `freshness_s`."""
        with self._lock:
            now = time.monotonic()
            if self._index is not None and now - self._checked_at < freshness_s:
                return self._index
            generation = self._manifest.generation()
            self._checked_at = now
            if self._index is None or self._index.generation != generation:
                snapshot = self._cache_dir / f"index-{generation or 'empty'}"
                self._index = BM25Index.load(snapshot)
                if self._index is None or self._index.generation != generation:
                    self._index = self._build(generation)
                    save_snapshot(self._index, self._cache_dir, snapshot)
            return self._index

    def _build(self, generation: str) -> BM25Index:
        manifest = self._manifest.entries()
        committed = {src: str(m.get("version")) for src, m in manifest.items()}
        index = build_index(self._table, committed, self._tokens, generation)
        expected = sum(int(m.get("chunks", 0)) for m in manifest.values())
        if index.size < expected and self._manifest.generation() == generation:  # no writer raced us
            raise StoreDamagedError(
                f"The knowledge store at {self._where} lists {expected} chunks but only {index.size} are"
                f" readable ({self._table.layout} layout); re-ingest with `advisor ingest --rebuild`."
            )
        return index


def save_snapshot(index: BM25Index, cache_dir: Path, target: Path) -> None:
    """Write to a temporary folder and rename: concurrent processes never read half a snapshot."""
    tmp = cache_dir / f".tmp-{uuid.uuid4().hex}"
    try:
        index.save(tmp)
        for old in cache_dir.glob("index-*"):
            shutil.rmtree(old, ignore_errors=True)
        tmp.rename(target)
    except OSError:
        shutil.rmtree(tmp, ignore_errors=True)


def vector_top(
    chunks: Collection,
    index: BM25Index,
    vector: list[float],
    n: int,
    mask: np.ndarray | None,
    where: dict[str, Any] | None,
) -> Ranking:
    """The `n` nearest allowed rows by cosine similarity (see the module docstring for the tiers)."""
    allowed = index.size if mask is None else int(mask.sum())
    fetch = math.ceil(n * index.size / max(allowed, 1) * 1.3) + 16  # margin for crash orphans
    if fetch <= OVERFETCH_MAX:
        hits, exhausted = _nearest(chunks, index, vector, fetch, None, mask)
        if len(hits) >= min(n, allowed) or exhausted:
            return hits[:n]
    if mask is not None and allowed <= EXACT_MAX:
        return _exact(chunks, index, vector, n, np.flatnonzero(mask))
    return _nearest(chunks, index, vector, n + 16, where, mask)[0][:n]


def _nearest(
    chunks: Collection,
    index: BM25Index,
    vector: list[float],
    fetch: int,
    where: dict[str, Any] | None,
    mask: np.ndarray | None,
) -> tuple[Ranking, bool]:
    """Allowed hits among the `fetch` nearest, and whether the collection had no more to give."""
    got = chunks.query(
        query_embeddings=np.asarray([vector], dtype=np.float32),
        n_results=max(fetch, 1),
        where=where,
        include=["distances"],
    )
    hits = []
    for rid, dist in zip(got["ids"][0], (got["distances"] or [[]])[0], strict=True):
        row = index.row_of(rid)
        if row is not None and (mask is None or mask[row]):
            hits.append((row, 1.0 - float(dist)))
    return hits, len(got["ids"][0]) < fetch


def _exact(chunks: Collection, index: BM25Index, vector: list[float], n: int, rows: np.ndarray) -> Ranking:
    got = chunks.get(ids=[index.ids[r] for r in rows], include=["embeddings"])
    if not got["ids"]:
        return []
    matrix = np.asarray(got["embeddings"], dtype=np.float32)
    query = np.asarray(vector, dtype=np.float32)
    sims = matrix @ query / (np.linalg.norm(matrix, axis=1) * np.linalg.norm(query) + 1e-12)
    row_of = {index.ids[r]: int(r) for r in rows}
    return [(row_of[got["ids"][i]], float(sims[i])) for i in np.argsort(-sims, kind="stable")[:n]]


def passages(table: ChunkTable, index: BM25Index, ranked: Sequence[tuple[int, float]]) -> list[Passage]:
    """Passages for ranked rows, in order; rows deleted meanwhile by another process are skipped."""
    if not ranked:
        return []
    found = table.fetch([index.ids[row] for row, _ in ranked])
    return [
        Passage(
            chunk_id=index.chunk_ids[row],
            score=score,
            source=index.source_of(row),
            title=hit.title,
            section=hit.section,
            page=hit.page,
            ocr=hit.ocr,
            text=hit.text,
            access=index.access_of(row),
        )
        for row, score in ranked
        if (hit := found.get(index.ids[row])) is not None
    ]
