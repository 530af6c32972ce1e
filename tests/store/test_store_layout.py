"""Batched commits and where chunk texts live (chunk_table.py), on a real embedded Chroma."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import chromadb
import pytest
from chromadb.config import Settings as ChromaSettings

from store import knowledge as store_module
from store.documents.prepare import PreparedDocument, prepare_document
from store.knowledge import KnowledgeStore, StoreDamagedError
from store.records import Chunk

MakeStore = Callable[..., KnowledgeStore]
MakeChunks = Callable[..., list[Chunk]]

SECURITY = ["企业在部署AI时必须做好权限设置和数据加密。", "建立完善的数据审计机制，以便及时定位风险。"]
TALENT = ["人才短缺制约发展，企业需要加强人才培养。", "与高校合作，加速人才培养。"]
ROADMAP = ["制定分阶段的落地路线图，先试点再推广。"]


def _prepared(store: KnowledgeStore, chunks: list[Chunk], doc_hash: str) -> PreparedDocument:
    source = chunks[0].source
    return prepare_document(
        store.embedder, store.token_cache, source, doc_hash, chunks, title=source, access=["public"]
    )


def _table_rows(store: KnowledgeStore) -> int:
    return sum(1 for _ in store._table.catalog())


def test_a_batch_commits_every_document_and_replaces_old_versions(
    make_store: MakeStore, make_chunks: MakeChunks
) -> None:
    store = make_store()
    store.upsert_document(
        "talent.md", "t1", make_chunks("talent.md", ["旧的人才段落。"]), title="t", access=[]
    )
    batch = [
        _prepared(store, make_chunks("security.md", SECURITY), "s1"),
        _prepared(store, make_chunks("talent.md", TALENT), "t2"),
        _prepared(store, make_chunks("roadmap.md", ROADMAP), "r1"),
    ]
    store.commit(batch)
    assert store.document_hashes() == {"security.md": "s1", "talent.md": "t2", "roadmap.md": "r1"}
    assert store.count() == 5 and store._chunks.count() == 5 and _table_rows(store) == 5  # old version gone
    assert [p.text for p in store.search("路线图", 1)] == ROADMAP
    assert not [p for p in store.search("旧的人才段落", 5) if "旧的" in p.text]
    with pytest.raises(ValueError, match="each document once"):
        store.commit([batch[0], batch[0]])


def test_embedded_chroma_holds_vectors_and_filter_keys_only(
    make_store: MakeStore, make_chunks: MakeChunks
) -> None:
    store = make_store()
    chunks = make_chunks("security.md", SECURITY, section="二、权限")
    store.upsert_document("security.md", "s1", chunks, title="安全", access=["public", "hr"])
    got = store._chunks.get(include=["documents", "metadatas"])
    assert got["documents"] == [None, None]
    assert set((got["metadatas"] or [{}])[0]) == {"source", "version", "acl_public", "acl_hr"}
    hit = store.get([chunks[1].chunk_id])[0]  # the rest comes back from the chunk table
    assert (hit.text, hit.section, hit.title, hit.access) == (
        SECURITY[1],
        "二、权限",
        "安全",
        ["hr", "public"],
    )


def test_a_crash_before_the_batch_manifest_shows_none_of_its_documents(
    make_store: MakeStore, make_chunks: MakeChunks, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = make_store()
    store.upsert_document("talent.md", "t1", make_chunks("talent.md", TALENT), title="t", access=[])
    batch = [
        _prepared(store, make_chunks("security.md", SECURITY), "s1"),
        _prepared(store, make_chunks("talent.md", ["人才培养的新版本。"]), "t2"),
    ]

    def crash(self: KnowledgeStore, entries: dict[str, object]) -> None:
        raise RuntimeError("simulated crash after the chunks of the batch were written")

    monkeypatch.setattr(KnowledgeStore, "_write_manifest", crash)
    with pytest.raises(RuntimeError, match="simulated crash"):
        store.commit(batch)
    monkeypatch.undo()
    assert store._chunks.count() == 5 and _table_rows(store) == 5  # orphans of both documents exist...
    assert store.document_hashes() == {"talent.md": "t1"}  # ...but only the old version is visible
    assert sorted(p.text for p in store.search("人才 数据加密 新版本", 10)) == sorted(TALENT)
    assert store.reconcile() == 3
    assert store._chunks.count() == 2 and _table_rows(store) == 2


def test_a_collection_without_layout_mark_keeps_texts_in_chroma(
    tmp_path: Path, make_store: MakeStore, make_chunks: MakeChunks
) -> None:
    """Stores built before the chunk table existed stay readable and writable as they are."""
    first = make_store("legacy")
    name, config = first.settings.collection, store_module._COLLECTION_CONFIG
    client = chromadb.PersistentClient(
        path=str(first.settings.data_dir / "chroma"), settings=ChromaSettings(anonymized_telemetry=False)
    )
    client.delete_collection(name)
    client.create_collection(name, metadata={"embedder": first.embedder.name}, configuration=config)
    legacy = make_store("legacy")
    legacy.upsert_document("security.md", "s1", make_chunks("security.md", SECURITY), title="t", access=[])
    assert legacy._table.layout == "chroma"
    assert sorted(legacy._chunks.get(include=["documents"])["documents"] or []) == sorted(SECURITY)
    assert [p.text for p in make_store("legacy").search("数据审计", 1)] == [SECURITY[1]]


def test_a_lost_chunk_table_is_a_clear_error(make_store: MakeStore, make_chunks: MakeChunks) -> None:
    store = make_store()
    store.upsert_document("security.md", "s1", make_chunks("security.md", SECURITY), title="t", access=[])
    store._table.clear()  # as if the file under <data_dir>/chunks had been deleted
    with pytest.raises(StoreDamagedError, match=r"lists 2 chunks but only 0.*advisor ingest --rebuild"):
        make_store().search("数据审计")
