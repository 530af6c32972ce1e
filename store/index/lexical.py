"""Chinese-aware tokenisation and the on-disk token cache that feeds the BM25 index (bm25.py).

Default BM25/scikit-learn tokenizers turn a run of Chinese characters into one token, so a question
never matches a passage unless both share the exact run. `tokenize` segments Chinese with jieba
(the Rust port `rjieba`: same dictionary and algorithm, ~8x faster, which keeps ingest above 1 MB/s)
in search mode, and adds character bigrams where the dictionary does not know the word.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path

import rjieba

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
