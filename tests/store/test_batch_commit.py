"""Batched commits: one failing document fails alone; a store-wide failure stops the run."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pytest

from store.documents.batch_commit import BatchCommitter
from store.documents.prepare import PreparedDocument, prepare_document
from store.knowledge import KnowledgeStore, StoreUnavailableError
from store.records import Chunk, FileResult

MakeStore = Callable[..., KnowledgeStore]
MakeChunks = Callable[..., list[Chunk]]
TEXTS = {
    "a.md": ["企业在部署AI时必须做好权限设置。"],
    "bad.md": ["这一份文件会在提交时失败。"],
    "c.md": ["与高校合作，加速人才培养。"],
}


def _pending(store: KnowledgeStore, make_chunks: MakeChunks) -> list[tuple[FileResult, PreparedDocument]]:
    docs = []
    for source, texts in TEXTS.items():
        chunks = make_chunks(source, texts)
        doc = prepare_document(
            store.embedder, store.token_cache, source, "h", chunks, title=source, access=[]
        )
        docs.append((FileResult(source=source, status="added", chunks=len(chunks)), doc))
    return docs


def test_a_document_failing_in_a_batch_fails_alone(
    make_store: MakeStore, make_chunks: MakeChunks, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = make_store()
    real_commit = store.commit
    batches: list[list[str]] = []

    def commit(docs: Sequence[PreparedDocument]) -> None:
        batches.append([d.source for d in docs])
        if any(d.source == "bad.md" for d in docs):
            raise ValueError("metadata rejected")
        real_commit(docs)

    monkeypatch.setattr(store, "commit", commit)
    committer = BatchCommitter(store, max_chunks=100)
    assert [committer.add(*p) for p in _pending(store, make_chunks)] == [[], [], []]  # not full yet
    results = {r.source: r for r in committer.close()}
    assert batches[0] == ["a.md", "bad.md", "c.md"]  # one write for the batch, then one per document
    assert {s: r.status for s, r in results.items()} == {"a.md": "added", "bad.md": "failed", "c.md": "added"}
    assert results["bad.md"].error == "ValueError: metadata rejected"
    assert store.document_hashes() == {"a.md": "h", "c.md": "h"} and store.count() == 2


def test_a_full_batch_is_committed_at_once(make_store: MakeStore, make_chunks: MakeChunks) -> None:
    store = make_store()
    committer = BatchCommitter(store, max_chunks=2)
    pending = _pending(store, make_chunks)
    assert committer.add(*pending[0]) == []
    assert [r.source for r in committer.add(*pending[1])] == ["a.md", "bad.md"]
    assert sorted(store.document_hashes()) == ["a.md", "bad.md"]
    assert [r.source for r in committer.close() + committer.close()] == []
    committer.add(*pending[2])
    assert [r.source for r in committer.close()] == ["c.md"]


def test_an_unreachable_store_stops_the_run(
    make_store: MakeStore, make_chunks: MakeChunks, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = make_store()

    def unreachable(docs: Sequence[PreparedDocument]) -> None:
        raise StoreUnavailableError("Chroma server at 127.0.0.1:1 is unreachable")

    monkeypatch.setattr(store, "commit", unreachable)
    committer = BatchCommitter(store)
    for pending in _pending(store, make_chunks):
        committer.add(*pending)
    with pytest.raises(StoreUnavailableError, match="unreachable"):
        committer.close()
