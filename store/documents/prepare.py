"""File -> PreparedDocument: load, chunk, tokenise and embed, touching no store.

Preparing is pure Python and holds the GIL; so does a Chroma write (chromadb 1.5's Rust core keeps
the GIL while it works). To overlap the two, ingest.py prepares files in a worker process
(prepare_pool.py) while it commits earlier ones. This module is what a worker imports, so it must
not import chromadb or the store.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from store.documents.chunking import chunk_document
from store.documents.loaders import LoadError, load_document
from store.index.embedders import Embedder
from store.index.lexical import TokenCache, index_text, tokenize
from store.records import PUBLIC, Chunk, FileResult


@dataclass(frozen=True)
class PreparedDocument:
    """A document chunked and embedded, ready for `KnowledgeStore.commit`."""

    source: str
    doc_hash: str
    title: str
    groups: tuple[str, ...]
    chunks: list[Chunk]
    vectors: np.ndarray
    format: str = ""
    pages: int | None = None
    ocr_pages: int = 0
    uploaded: bool = False  # through the API, not from a corpus folder


@dataclass(frozen=True)
class Job:
    """A file to prepare, and how to report it once committed."""

    path: Path
    source: str
    doc_hash: str
    status: str  # "added" | "updated"
    size: int


@dataclass(frozen=True)
class Recipe:
    """Everything besides the file that decides its chunks and groups (picklable, for workers)."""

    access: list[str] | None
    chunk_size: int
    chunk_overlap: int
    max_file_mb: float
    max_chunks: int = 20_000


Outcome = FileResult | tuple[FileResult, PreparedDocument]
"""A final result (failed), or the result to report once the prepared document is committed."""


def content_hash(data: bytes, access: list[str] | None, signature: str) -> str:
    h = hashlib.sha256(data)
    h.update(b"\x00" + json.dumps(access).encode() + b"\x00" + signature.encode())
    return h.hexdigest()


def failure(source: str, err: Exception) -> FileResult:
    """The one line a user sees for a file that could not be ingested."""
    if isinstance(err, LoadError):
        return FileResult(source=source, status="failed", error=str(err))
    detail = str(err).strip().splitlines()[0][:200] if str(err).strip() else ""
    error = f"{type(err).__name__}: {detail}" if detail else type(err).__name__
    return FileResult(source=source, status="failed", error=error)


def prepare_document(
    embedder: Embedder,
    tokens: TokenCache,
    source: str,
    doc_hash: str,
    chunks: list[Chunk],
    *,
    title: str,
    access: list[str],
) -> PreparedDocument:
    """Embed the unique chunks; their tokens go to the cache now (keyed by content, never stale)."""
    unique = list({c.chunk_id: c for c in reversed(chunks)}.values())[::-1]  # first of duplicates
    indexed = [index_text(c.section, c.text) for c in unique]
    vectors = np.asarray(embedder.embed_documents(indexed), dtype=np.float32)
    tokens.put_many({c.chunk_id: tokenize(t) for c, t in zip(unique, indexed, strict=True)})
    groups = tuple(sorted(set(access or [PUBLIC])))
    return PreparedDocument(source, doc_hash, title, groups, unique, vectors)


def prepare_job(job: Job, recipe: Recipe, embedder: Embedder, tokens: TokenCache) -> Outcome:
    """Load, chunk and embed one file; any failure is that file's alone."""
    try:
        doc = load_document(job.path, job.path.parent, source=job.source, max_file_mb=recipe.max_file_mb)
        chunks = chunk_document(
            doc,
            doc_hash=job.doc_hash,
            access=recipe.access,
            chunk_size=recipe.chunk_size,
            chunk_overlap=recipe.chunk_overlap,
        )
        if len(chunks) > recipe.max_chunks:
            raise LoadError(
                f"too many chunks ({len(chunks):,} > limit {recipe.max_chunks:,}; ADVISOR_MAX_CHUNKS_PER_DOC)"
            )
        groups = list(recipe.access) if recipe.access else doc.access
        prepared = prepare_document(
            embedder, tokens, job.source, job.doc_hash, chunks, title=doc.title, access=groups
        )
        fmt, pages, ocr = doc.format, doc.page_count, len(doc.ocr_pages)
        result = FileResult(
            source=job.source, status=job.status, chunks=len(chunks), title=doc.title, format=fmt, pages=pages
        )
        result.ocr_pages = ocr
        if truncated := doc.metadata.get("ocr_truncated"):
            result.warning = (
                f"OCR ran out of time on page(s) {', '.join(map(str, truncated))}; kept what it read"
            )
        return result, replace(prepared, format=fmt, pages=pages, ocr_pages=ocr)
    except Exception as err:  # one bad file must never abort the batch
        return failure(job.source, err)
