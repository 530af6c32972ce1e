"""The manifest: one record per document naming its committed version, plus a generation record.

It lives in the collection `<collection>_docs`. Writing a document's record is the commit point of
that document (store.py); the generation changes with every commit, so readers in this and other
processes know when to rebuild their BM25 index.
"""

from __future__ import annotations

import json
import uuid
from pathlib import PurePosixPath
from typing import Any

import numpy as np
from chromadb.api.models.Collection import Collection

from store.documents.prepare import PreparedDocument
from store.records import DocumentInfo

GENERATION_ID = "__advisor_generation__"


def manifest_entry(doc: PreparedDocument, version: str, ingested_at: str) -> dict[str, Any]:
    """A document's record (Chroma metadata values: str | int | float | bool)."""
    entry: dict[str, Any] = {"doc_hash": doc.doc_hash, "version": version, "title": doc.title}
    entry |= {"access": json.dumps(list(doc.groups)), "chunks": len(doc.chunks), "ingested_at": ingested_at}
    # Added later: records written before lack these keys and read back with the defaults.
    entry |= {"format": doc.format, "ocr_pages": doc.ocr_pages}
    entry |= {"uploaded": True} if doc.uploaded else {}  # shared by every process, unlike uploads/
    return entry | ({"pages": doc.pages} if doc.pages is not None else {})


def document_info(source: str, m: dict[str, Any]) -> DocumentInfo:
    return DocumentInfo(
        source=source,
        title=str(m.get("title", "")),
        chunks=int(m.get("chunks", 0)),
        access=json.loads(m.get("access", "[]")),
        doc_hash=str(m.get("doc_hash", "")),
        ingested_at=str(m.get("ingested_at", "")),
        format=str(m.get("format") or PurePosixPath(source).suffix.lower().lstrip(".")),
        pages=int(m["pages"]) if m.get("pages") is not None else None,
        ocr_pages=int(m.get("ocr_pages", 0)),
        uploaded=bool(m.get("uploaded", False)),
    )


class Manifest:
    def __init__(self, docs: Collection) -> None:
        self._docs = docs

    def entries(self) -> dict[str, dict[str, Any]]:
        """Committed documents: source -> doc_hash, version, title, access (JSON), chunks, ingested_at."""
        got = self._docs.get(include=["metadatas"])
        return {
            i: dict(m or {})
            for i, m in zip(got["ids"], got["metadatas"] or [], strict=False)
            if i != GENERATION_ID
        }

    def commit(self, entries: dict[str, dict[str, Any]]) -> None:
        """Commit documents (any number, in one write) and move the generation on."""
        records: Any = [*entries.values(), {"generation": uuid.uuid4().hex}]
        ids = [*entries, GENERATION_ID]
        self._docs.upsert(ids=ids, embeddings=np.ones((len(ids), 1), np.float32), metadatas=records)

    def delete(self, source: str) -> None:
        self._docs.delete(ids=[source])

    def generation(self) -> str:
        got = self._docs.get(ids=[GENERATION_ID], include=["metadatas"])
        return str((got["metadatas"] or [{}])[0].get("generation", "")) if got["ids"] else ""

    def bump(self) -> None:
        """Tell every reader that committed content changed (deletes, reconcile)."""
        self.commit({})
