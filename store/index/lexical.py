"""Chinese-aware tokenisation and the BM25 index over committed chunks.

Default BM25/scikit-learn tokenizers turn a run of Chinese characters into one token, so a question
never matches a passage unless both share the exact run. `tokenize` segments Chinese with jieba
(the Rust port `rjieba`: same dictionary and algorithm, ~8x faster, which keeps ingest above 1 MB/s)
in search mode, and adds character bigrams where the dictionary does not know the word.
"""

from __future__ import annotations

import json
import logging
import re
import sqlite3
import threading
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import bm25s
import numpy as np
import rjieba

from store.records import PUBLIC

logging.getLogger("bm25s").setLevel(logging.WARNING)

# Bump when tokenize() changes: on-disk token caches and index snapshots are keyed by it.
TOKENIZER_VERSION = "rjieba-search-bigram-v2"  # v2: section headings indexed too (index_text)

_RUNS = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[a-z0-9]+")
_CJK_FIRST = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")

_STOPWORDS_FILE = Path(__file__).resolve().parent / "data" / "stopwords.txt"
STOPWORDS: frozenset[str] = frozenset(
    w
    for line in _STOPWORDS_FILE.read_text(encoding="utf-8").splitlines()
    if not line.startswith("#")
    for w in line.split()
)
ZH_STOPWORDS = frozenset(w for w in STOPWORDS if not w.isascii())
EN_STOPWORDS = frozenset(w for w in STOPWORDS if w.isascii())


def cut(text: str) -> list[str]:
    """Dictionary-only word segmentation (punctuation and spaces kept): the one segmenter that
    relevance and support checks share with the index."""
    return list(rjieba.cut(text, hmm=False))


def cut_for_search(text: str) -> list[str]:
    """Search-mode segmentation: compounds and their parts ('数据安全' -> '数据', '安全', '数据安全')."""
    return list(rjieba.cut_for_search(text))


def _stem(word: str) -> str:
    """Light English stemming: plurals only, so `permissions` meets `permission` without surprises."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith("sses"):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _cjk_tokens(run: str, out: list[str]) -> None:
    singles: list[str] = []  # consecutive one-character words: jieba did not know the word they form
    for word in rjieba.cut_for_search(run):
        if len(word) == 1:
            if word not in ZH_STOPWORDS:
                out.append(word)
                singles.append(word)
                continue
        else:
            if word not in ZH_STOPWORDS:
                out.append(word)
                if len(word) > 2 and not rjieba.has_word(word):
                    out.extend(word[i : i + 2] for i in range(len(word) - 1))
        if len(singles) > 1:
            out.extend(a + b for a, b in zip(singles, singles[1:], strict=False))
        singles = []
    if len(singles) > 1:
        out.extend(a + b for a, b in zip(singles, singles[1:], strict=False))


@lru_cache(maxsize=8192)
def _tokenize_cached(text: str) -> tuple[str, ...]:
    out: list[str] = []
    for match in _RUNS.finditer(text.lower()):
        run = match.group()
        if _CJK_FIRST.match(run):
            _cjk_tokens(run, out)
        elif len(run) > 1 and run not in EN_STOPWORDS:
            out.append(_stem(run))
    return tuple(out)


def tokenize(text: str) -> list[str]:
    """Chinese-aware tokens for BM25, the hashing embedder and lexical judging.

    Chinese: jieba search-mode words (stopwords dropped) plus character bigrams for words the
    dictionary does not know; English: lowercased words, stopwords dropped, plurals stemmed.
    Memoised because ingest embeds and indexes the same chunk text back to back.
    """
    return list(_tokenize_cached(text))


def index_text(section: str, text: str) -> str:
    """What BM25 and the embedder see of a chunk: its heading path, then its text.

    A chunk cut from the middle of a section loses the heading that names its topic; putting
    the heading back (contextual chunk headers) helps both rankers find it.
    """
    return f"{section}\n{text}" if section else text


class TokenCache:
    """Tokens per chunk id on local disk, so a restart never re-runs jieba over the whole corpus.

    Chunk ids are content hashes, so an entry can never go stale; the file name carries the
    tokenizer version.
    """

    def __init__(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.path = directory / f"tokens-{TOKENIZER_VERSION}.sqlite3"
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, check_same_thread=False, timeout=30)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")  # a cache: a lost entry is re-tokenised, not wrong
        self._db.execute("CREATE TABLE IF NOT EXISTS tokens (chunk_id TEXT PRIMARY KEY, toks TEXT NOT NULL)")

    def get_many(self, chunk_ids: Sequence[str]) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        with self._lock:
            for i in range(0, len(chunk_ids), 900):  # stay below SQLite's variable limit
                part = chunk_ids[i : i + 900]
                marks = ",".join("?" * len(part))
                rows = self._db.execute(
                    f"SELECT chunk_id, toks FROM tokens WHERE chunk_id IN ({marks})", part
                )
                found.update((cid, toks.split("\x1f") if toks else []) for cid, toks in rows)
        return found

    def put_many(self, tokens: Mapping[str, Sequence[str]]) -> None:
        with self._lock, self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO tokens VALUES (?, ?)",
                (((cid, "\x1f".join(toks)) for cid, toks in tokens.items())),
            )

    def clear(self) -> None:
        with self._lock, self._db:
            self._db.execute("DELETE FROM tokens")


class BM25Index:
    """bm25s over the committed chunks, plus per-row source and access for pre-ranking masks.

    Rows are addressed by position; `ids` are the store's record ids and `chunk_ids` the stable ids
    that plans cite. `generation` names the store state the index was built from.
    """

    def __init__(
        self,
        ids: list[str],
        chunk_ids: list[str],
        sources: list[str],
        access: list[list[str]],
        retriever: bm25s.BM25 | None,
        generation: str = "",
    ) -> None:
        self.ids, self.chunk_ids, self.generation = ids, chunk_ids, generation
        self._retriever = retriever
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
        retriever = None
        if ids:
            retriever = bm25s.BM25()
            retriever.index(list(tokens), show_progress=False)
        return cls(ids, chunk_ids, sources, access, retriever, generation)

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

    def top(self, query_tokens: list[str], n: int, mask: np.ndarray | None = None) -> list[tuple[int, float]]:
        """The best `n` rows with a positive BM25 score; masked-out rows are never ranked."""
        if self._retriever is None or n <= 0:
            return []
        token_ids = self._retriever.get_tokens_ids(query_tokens)
        if not token_ids:
            return []
        weights = None if mask is None else mask.astype(np.float32)
        scores = self._retriever.get_scores(token_ids, weight_mask=weights)
        hits = np.flatnonzero(scores > 0)
        if hits.size > n:
            hits = hits[np.argpartition(-scores[hits], n - 1)[:n]]
        hits = hits[np.argsort(-scores[hits], kind="stable")]
        return [(int(i), float(scores[i])) for i in hits]

    # --- snapshot on disk (restarts skip the metadata scan and the index build) ---------------------
    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        if self._retriever is not None:
            self._retriever.save(str(directory / "bm25"))
        sources = [self._source_names[i] for i in self._source_idx]
        access = [list(self._acl_names[i]) for i in self._acl_idx]
        catalog: dict[str, Any] = {
            "generation": self.generation,
            "tokenizer": TOKENIZER_VERSION,
            "ids": self.ids,
        }
        catalog |= {"chunk_ids": self.chunk_ids, "sources": sources, "access": access}
        (directory / "catalog.json").write_text(json.dumps(catalog, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, directory: Path) -> BM25Index | None:
        """The snapshot in `directory`, or None when it is missing, unreadable or from another tokenizer."""
        try:
            catalog = json.loads((directory / "catalog.json").read_text(encoding="utf-8"))
            if catalog.get("tokenizer") != TOKENIZER_VERSION:
                return None
            retriever = bm25s.BM25.load(str(directory / "bm25")) if catalog["ids"] else None
            return cls(
                catalog["ids"],
                catalog["chunk_ids"],
                catalog["sources"],
                catalog["access"],
                retriever,
                catalog["generation"],
            )
        except (OSError, ValueError, KeyError):
            return None
