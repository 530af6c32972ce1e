"""Commit prepared documents in batches: ~1000 chunks of many documents per Chroma write.

Every Chroma write call has a fixed cost (tens of ms), so a batch goes in one call, followed by one
manifest write that commits all its documents; each document still appears whole or not at all
(see store.py). One bad document never fails the others: when a batch fails, its documents are
retried one by one and only those that fail alone are reported failed.
"""

from __future__ import annotations

from store.documents.prepare import PreparedDocument, failure
from store.knowledge import EmbedderMismatchError, KnowledgeStore, StoreUnavailableError
from store.records import FileResult

BATCH_CHUNKS = 1000
BATCH_DOCUMENTS = 200

_Pending = tuple[FileResult, PreparedDocument]  # the result to report once the document is committed


def commit_batch(store: KnowledgeStore, batch: list[_Pending]) -> list[FileResult]:
    """Commit `batch`; on failure, isolate the documents that fail alone."""
    try:
        store.commit([doc for _, doc in batch])
        return [result for result, _ in batch]
    except (EmbedderMismatchError, StoreUnavailableError):
        raise  # the whole store is unusable: the caller stops with one clear error
    except Exception as err:
        if len(batch) == 1:
            return [failure(batch[0][0].source, err)]
        return [result for pending in batch for result in commit_batch(store, [pending])]


class BatchCommitter:
    """`add` prepared documents; results come back as their batch is committed (`add`, `close`)."""

    def __init__(
        self, store: KnowledgeStore, max_chunks: int = BATCH_CHUNKS, max_documents: int = BATCH_DOCUMENTS
    ) -> None:
        self._store = store
        self._max_chunks, self._max_documents = max_chunks, max_documents
        self._pending: list[_Pending] = []
        self._chunks = 0

    def add(self, result: FileResult, doc: PreparedDocument) -> list[FileResult]:
        """Queue a document; returns the batch's results when this one filled it."""
        self._pending.append((result, doc))
        self._chunks += len(doc.chunks)
        if self._chunks >= self._max_chunks or len(self._pending) >= self._max_documents:
            return self.close()
        return []

    def close(self) -> list[FileResult]:
        """Commit what is queued; returns its results."""
        batch, self._pending, self._chunks = self._pending, [], 0
        return commit_batch(self._store, batch) if batch else []
