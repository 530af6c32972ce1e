"""Whole documents out of the knowledge store: a document's passages in reading order (what the
viewer behind a citation shows) and re-permissioning a document in place. A mixin of
`KnowledgeStore`, kept apart so the store's write and search paths stay readable on their own.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from store.chroma.chunk_table import ChunkRow, ChunkTable
from store.chroma.client import guard
from store.records import Chunk, Passage

if TYPE_CHECKING:
    from settings import Settings
    from store.retrieval import CommittedIndex


class DocumentReader:
    settings: Settings
    freshness_s: float
    _committed: CommittedIndex
    _table: ChunkTable

    if TYPE_CHECKING:

        def _require(self) -> None: ...

        def _entries(self) -> dict[str, dict[str, Any]]: ...

        def upsert_document(
            self,
            source: str,
            doc_hash: str,
            chunks: list[Chunk],
            *,
            title: str,
            access: list[str],
            uploaded: bool = False,
        ) -> None: ...

    def passages_of(self, source: str, *, groups: Sequence[str] | None = None) -> list[Passage]:
        """A document's committed passages in reading order (what a reader opens around a quote);
        [] when it does not exist or `groups` may not see it, so callers cannot tell the two apart."""
        return [
            Passage(
                chunk_id=r.chunk_id,
                score=0.0,
                source=r.source,
                title=r.title,
                section=r.section,
                page=r.page,
                text=r.text,
                access=list(r.access),
            )  # fmt: skip
            for r in self._rows_of(source, groups)
        ]

    def set_access(self, source: str, access: list[str]) -> int:
        """Re-permission a document in place (same chunks and hash, new groups); returns its chunk count."""
        rows = self._rows_of(source, None)
        if not rows:
            return 0
        entry = self._entries().get(source, {})
        doc_hash = str(entry.get("doc_hash", ""))
        chunks = [
            Chunk(
                chunk_id=r.chunk_id,
                source=r.source,
                title=r.title,
                section=r.section,
                page=r.page,
                start=r.start,
                end=r.end,
                text=r.text,
                access=access,
                doc_hash=doc_hash,
            )  # fmt: skip
            for r in rows
        ]
        uploaded = bool(entry.get("uploaded", False))
        self.upsert_document(source, doc_hash, chunks, title=rows[0].title, access=access, uploaded=uploaded)
        return len(chunks)

    def _rows_of(self, source: str, groups: Sequence[str] | None) -> list[ChunkRow]:
        self._require()
        with guard(self.settings):
            index = self._committed.current(self.freshness_s)
            mask = index.mask(groups, [source])
            rows: Any = np.flatnonzero(mask) if mask is not None else []
            found = self._table.fetch([index.ids[r] for r in rows])
        return sorted(found.values(), key=lambda r: (r.start, r.page or 0))
