"""BM25 over the committed chunks, with collection statistics computed over what the caller may see.

BM25 weighs a query word by how rare it is in the collection (IDF) and a passage by its length
relative to the average. Computed over the whole collection, both move when a document the caller
cannot see is added or removed, so a caller could watch scores shift and learn that hidden
documents containing a word exist. bm25s (used before) bakes those statistics into its
precomputed score matrix, so the index here keeps raw term frequencies instead, and every query
computes document count, document frequencies and average length over the caller's visible rows
only. Scores, ranks and everything derived from them then depend on visible documents alone.

The formula is bm25s's default (Lucene variant, k1 = 1.5, b = 0.75), so an unrestricted caller
gets the same scores as before. Like bm25s, the per-row scores of every term are precomputed,
once per caller view (the set of rows a caller may see; callers with the same groups share one)
the first time it is queried: ~0.5 s at 100k chunks, then a query costs one sparse sum over the
postings of its words.
"""

from __future__ import annotations

import hashlib
import json
import threading
from array import array
from collections import Counter, OrderedDict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from store.index.lexical import TOKENIZER_VERSION
from store.records import PUBLIC

K1, B = 1.5, 0.75
VIEWS_KEPT = 4  # distinct caller views whose score matrices stay in memory (each ~8 bytes per posting)
_View = tuple[np.ndarray, np.ndarray, np.ndarray]  # indptr, rows, scores: CSC by term
SNAPSHOT_FORMAT = 2  # 2: raw term frequencies (per-caller statistics); 1 was a bm25s score matrix


class Postings:
    """Term -> (rows, term frequencies) in CSC layout, plus every row's length in tokens."""

    def __init__(
        self, vocab: list[str], indptr: np.ndarray, rows: np.ndarray, tf: np.ndarray, lengths: np.ndarray
    ) -> None:
        self.vocab, self.indptr, self.rows, self.tf, self.lengths = vocab, indptr, rows, tf, lengths
        self.term_id = {term: i for i, term in enumerate(vocab)}
        self._lock = threading.Lock()
        self._views: OrderedDict[bytes, _View | None] = OrderedDict()

    @classmethod
    def build(cls, tokens: Iterable[Sequence[str]]) -> Postings:
        term_id: dict[str, int] = {}
        terms, lengths = array("i"), array("i")
        for toks in tokens:
            terms.extend(term_id.setdefault(t, len(term_id)) for t in toks)
            lengths.append(len(toks))
        n, vocab_size = len(lengths), len(term_id)
        row_of = np.repeat(np.arange(n, dtype=np.int64), np.frombuffer(lengths, dtype=np.int32))
        keys, counts = np.unique(
            np.frombuffer(terms, dtype=np.int32).astype(np.int64) * max(n, 1) + row_of, return_counts=True
        )
        indptr = np.zeros(vocab_size + 1, dtype=np.int64)
        np.cumsum(np.bincount(keys // max(n, 1), minlength=vocab_size), out=indptr[1:])
        rows = (keys % max(n, 1)).astype(np.int32)
        return cls(
            list(term_id), indptr, rows, counts.astype(np.float32), np.asarray(lengths, dtype=np.float32)
        )

    def scores(self, query_tokens: Sequence[str], visible: np.ndarray | None) -> np.ndarray | None:
        """BM25 of every row, with N, df and the average length taken over `visible` rows only."""
        weights = Counter(self.term_id[t] for t in query_tokens if t in self.term_id)
        view = self._view(visible)
        if not weights or view is None:
            return None
        indptr, rows, data = view
        scores = np.zeros(self.lengths.size, dtype=np.float32)
        for term, times in weights.items():  # a repeated query word counts each time, as in bm25s
            lo, hi = indptr[term], indptr[term + 1]
            scores[rows[lo:hi]] += data[lo:hi] if times == 1 else data[lo:hi] * times
        return scores

    def _view(self, visible: np.ndarray | None) -> _View | None:
        """Per-row scores of every term as a caller seeing `visible` rows gets them, built once per
        distinct view (callers with the same groups share one) and kept for the next queries."""
        key = b"" if visible is None else hashlib.blake2b(np.packbits(visible).tobytes()).digest()
        with self._lock:
            if key in self._views:
                self._views.move_to_end(key)
                return self._views[key]
        view = self._build_view(visible)
        with self._lock:
            self._views[key] = view
            while len(self._views) > VIEWS_KEPT:
                self._views.popitem(last=False)
        return view

    def _build_view(self, visible: np.ndarray | None) -> _View | None:
        terms = np.repeat(np.arange(len(self.vocab), dtype=np.int32), np.diff(self.indptr))
        rows, tf = self.rows, self.tf
        lengths = self.lengths if visible is None else self.lengths[visible]
        if not lengths.size:
            return None
        if visible is not None:
            seen = visible[rows]
            rows, tf, terms = rows[seen], tf[seen], terms[seen]
        df = np.bincount(terms, minlength=len(self.vocab))
        idf = np.log1p((lengths.size - df + 0.5) / (df + 0.5)).astype(np.float32)
        norm = K1 * (1 - B + B * self.lengths[rows] / max(float(lengths.mean()), 1e-9))
        data = (idf[terms] * tf / (tf + norm)).astype(np.float32)
        indptr = np.zeros(len(self.vocab) + 1, dtype=np.int64)
        np.cumsum(df, out=indptr[1:])
        return indptr, rows, data


class BM25Index:
    """The postings of the committed chunks, plus per-row source and access for pre-ranking masks.

    Rows are addressed by position; `ids` are the store's record ids and `chunk_ids` the stable ids
    that plans cite. `generation` names the store state the index was built from.
    """

    def __init__(
        self,
        ids: list[str],
        chunk_ids: list[str],
        sources: list[str],
        access: list[list[str]],
        postings: Postings | None,
        generation: str = "",
    ) -> None:
        self.ids, self.chunk_ids, self.generation = ids, chunk_ids, generation
        self._postings = postings
        self._row = {rid: i for i, rid in enumerate(ids)}
        self._chunk_row = {cid: i for i, cid in enumerate(chunk_ids)}
        self._source_names = sorted(set(sources))
        source_pos = {s: i for i, s in enumerate(self._source_names)}
        self._source_idx = np.fromiter((source_pos[s] for s in sources), dtype=np.int32, count=len(sources))
        self._acl_names = sorted({tuple(sorted(set(a))) for a in access})
        acl_pos = {a: i for i, a in enumerate(self._acl_names)}
        self._acl_idx = np.fromiter(
            (acl_pos[tuple(sorted(set(a)))] for a in access), dtype=np.int32, count=len(access)
        )

    @classmethod
    def build(
        cls,
        ids: list[str],
        chunk_ids: list[str],
        sources: list[str],
        access: list[list[str]],
        tokens: Iterable[list[str]],
        generation: str = "",
    ) -> BM25Index:
        postings = Postings.build(tokens) if ids else None
        return cls(ids, chunk_ids, sources, access, postings, generation)

    @property
    def size(self) -> int:
        return len(self.ids)

    def row_of(self, record_id: str) -> int | None:
        return self._row.get(record_id)

    def row_of_chunk(self, chunk_id: str) -> int | None:
        return self._chunk_row.get(chunk_id)

    def source_of(self, row: int) -> str:
        return self._source_names[self._source_idx[row]]

    def access_of(self, row: int) -> list[str]:
        return list(self._acl_names[self._acl_idx[row]])

    def mask(self, groups: Sequence[str] | None, sources: Sequence[str] | None) -> np.ndarray | None:
        """Rows a caller may rank: None means every row (no filter at all)."""
        if groups is None and sources is None:
            return None
        mask = np.ones(self.size, dtype=bool)
        if groups is not None:
            visible = {PUBLIC, *groups}
            allowed = [i for i, acl in enumerate(self._acl_names) if visible.intersection(acl)]
            mask &= np.isin(self._acl_idx, allowed)
        if sources is not None:
            wanted = set(sources)
            allowed = [i for i, s in enumerate(self._source_names) if s in wanted]
            mask &= np.isin(self._source_idx, allowed)
        return mask

    def top(
        self,
        query_tokens: list[str],
        n: int,
        mask: np.ndarray | None = None,
        visible: np.ndarray | None = None,
    ) -> list[tuple[int, float]]:
        """The best `n` rows of `mask` with a positive score; statistics come from `visible` rows.

        Pass the caller's access mask as `visible` (`mask(groups, None)`) and any narrower filter
        (sources) as `mask`; masked-out rows are never ranked. None means every row.
        """
        if self._postings is None or n <= 0:
            return []
        scores = self._postings.scores(query_tokens, visible)
        if scores is None:
            return []
        if mask is not None:
            scores *= mask
        hits = np.flatnonzero(scores > 0)
        if hits.size > n:
            hits = hits[np.argpartition(-scores[hits], n - 1)[:n]]
        hits = hits[np.argsort(-scores[hits], kind="stable")]
        return [(int(i), float(scores[i])) for i in hits]

    # --- snapshot on disk (restarts skip the metadata scan and the index build) ---------------------
    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        p = self._postings
        if p is not None:
            np.savez(directory / "postings.npz", indptr=p.indptr, rows=p.rows, tf=p.tf, lengths=p.lengths)
        catalog: dict[str, Any] = {
            "format": SNAPSHOT_FORMAT,
            "generation": self.generation,
            "tokenizer": TOKENIZER_VERSION,
            "ids": self.ids,
            "chunk_ids": self.chunk_ids,
            "sources": [self._source_names[i] for i in self._source_idx],
            "access": [list(self._acl_names[i]) for i in self._acl_idx],
            "vocab": p.vocab if p is not None else [],
        }
        (directory / "catalog.json").write_text(json.dumps(catalog, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, directory: Path) -> BM25Index | None:
        """The snapshot in `directory`, or None when it is missing, unreadable or of another format."""
        try:
            catalog = json.loads((directory / "catalog.json").read_text(encoding="utf-8"))
            if catalog.get("tokenizer") != TOKENIZER_VERSION or catalog.get("format") != SNAPSHOT_FORMAT:
                return None
            postings = None
            if catalog["ids"]:
                with np.load(directory / "postings.npz") as arrays:
                    postings = Postings(
                        catalog["vocab"], arrays["indptr"], arrays["rows"], arrays["tf"], arrays["lengths"]
                    )
            return cls(
                catalog["ids"],
                catalog["chunk_ids"],
                catalog["sources"],
                catalog["access"],
                postings,
                catalog["generation"],
            )
        except (OSError, ValueError, KeyError):
            return None
