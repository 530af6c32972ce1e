"""KnowledgeStore on a real embedded Chroma: writes, atomic replacement, crash safety, filters."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import retrieval_settings

from store import retrieval
from store.index.embedders import HashingEmbedder
from store.knowledge import EmbedderMismatchError, KnowledgeStore, StoreUnavailableError
from store.records import Chunk

MakeStore = Callable[..., KnowledgeStore]
MakeChunks = Callable[..., list[Chunk]]
METHODS = ["hybrid", "bm25", "vector"]
REPO = Path(__file__).resolve().parents[2]

SECURITY = [
    "企业在部署AI时必须做好权限设置和数据加密。",
    "建立完善的数据审计机制，以便及时定位风险。",
]
TALENT = ["人才短缺制约发展，企业需要加强人才培养。", "与高校合作，加速人才培养。"]
SECRET = ["财务部门的预算审批流程属于机密信息，仅限财务人员查阅。"]


def _stored_records(store: KnowledgeStore) -> int:
    """Everything in the chunks collection, committed or not."""
    return int(store._chunks.count())


def _put(store: KnowledgeStore, chunks: list[Chunk], doc_hash: str, access: list[str] | None = None) -> None:
    source = chunks[0].source
    store.upsert_document(source, doc_hash, chunks, title=source, access=access or ["public"])


def test_upsert_list_count_and_hashes(make_store: MakeStore, make_chunks: MakeChunks) -> None:
    store = make_store()
    _put(store, make_chunks("security.md", SECURITY), "h-sec")
    _put(store, make_chunks("talent.md", TALENT), "h-tal", ["hr"])
    assert store.document_hashes() == {"security.md": "h-sec", "talent.md": "h-tal"}
    assert store.count() == 4
    docs = {d.source: d for d in store.list_documents()}
    assert docs["talent.md"].chunks == 2 and docs["talent.md"].access == ["hr"]
    assert docs["security.md"].doc_hash == "h-sec" and docs["security.md"].ingested_at
    hit = store.search("数据加密", 1)[0]
    assert (hit.source, hit.title, hit.text) == ("security.md", "security.md", SECURITY[0])
    assert store.ping() and store.embedder_name.startswith("hash-")


def test_replace_leaves_exactly_the_new_chunks(make_store: MakeStore, make_chunks: MakeChunks) -> None:
    store = make_store()
    old = make_chunks("doc.md", ["旧版本里独有的蓝色条款。", SECURITY[0]])
    _put(store, old, "v1")
    new = make_chunks("doc.md", [SECURITY[0], "新版本加入了绿色条款。", "以及第三段。"])
    _put(store, new, "v2")
    assert store.document_hashes() == {"doc.md": "v2"}
    assert store.count() == 3 and _stored_records(store) == 3  # old version's records are gone
    for method in METHODS:
        texts = [p.text for p in store.search("蓝色条款", 5, method=method)]  # type: ignore[arg-type]
        assert "旧版本里独有的蓝色条款。" not in texts
    assert store.get([old[0].chunk_id]) == []
    assert [p.text for p in store.get([new[1].chunk_id, new[0].chunk_id])] == [new[1].text, new[0].text]


def test_delete_document(make_store: MakeStore, make_chunks: MakeChunks) -> None:
    store = make_store()
    _put(store, make_chunks("security.md", SECURITY), "h1")
    _put(store, make_chunks("talent.md", TALENT), "h2")
    assert store.delete_document("security.md") == 2
    assert store.delete_document("security.md") == 0
    assert store.document_hashes() == {"talent.md": "h2"}
    assert all(p.source == "talent.md" for p in store.search("数据加密 人才", 5))


def test_duplicate_chunks_are_stored_once(make_store: MakeStore, make_chunks: MakeChunks) -> None:
    store = make_store()
    chunks = make_chunks("dup.md", [SECURITY[0], SECURITY[0], SECURITY[1]])
    _put(store, chunks, "h")
    assert store.count() == 2 and _stored_records(store) == 2


def test_embedder_mismatch_is_a_clear_error(
    tmp_path: Path, make_store: MakeStore, make_chunks: MakeChunks
) -> None:
    _put(make_store(), make_chunks("security.md", SECURITY), "h1")
    other = KnowledgeStore(make_store().settings, embedder=HashingEmbedder(64))
    with pytest.raises(EmbedderMismatchError, match=r"advisor ingest --rebuild") as err:
        other.search("数据加密")
    assert "hash-jieba-bigram-v1-768" in str(err.value) and "hash-jieba-bigram-v1-64" in str(err.value)
    with pytest.raises(EmbedderMismatchError):
        _put(other, make_chunks("talent.md", TALENT), "h2")
    other.reset()  # what `advisor ingest --rebuild` does
    _put(other, make_chunks("talent.md", TALENT), "h2")
    assert [p.source for p in other.search("人才", 1)] == ["talent.md"]


def test_an_empty_store_adopts_a_new_embedder(make_store: MakeStore, make_chunks: MakeChunks) -> None:
    make_store()  # creates the collections with the 768-dim embedder, no documents
    small = KnowledgeStore(make_store().settings, embedder=HashingEmbedder(64))
    _put(small, make_chunks("talent.md", TALENT), "h")
    assert small.search("人才", 1)[0].source == "talent.md"


@pytest.fixture(params=["exact", "overfetch", "where"])
def vector_tier(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Force each path of retrieval.vector_top, so every one of them is shown to filter."""
    if request.param != "overfetch":
        monkeypatch.setattr(retrieval, "OVERFETCH_MAX", -1)
    if request.param == "where":
        monkeypatch.setattr(retrieval, "EXACT_MAX", -1)
    return str(request.param)


@pytest.mark.parametrize("method", METHODS)
def test_access_filter_before_ranking(
    method: str, vector_tier: str, make_store: MakeStore, make_chunks: MakeChunks
) -> None:
    store = make_store()
    _put(store, make_chunks("finance.md", SECRET), "h1", ["finance"])
    _put(store, make_chunks("security.md", SECURITY), "h2")
    _put(store, make_chunks("talent.md", TALENT), "h3", ["public", "hr"])
    query = "财务预算审批流程的数据"

    def sources(groups: list[str] | None) -> list[str]:
        return [p.source for p in store.search(query, 5, groups=groups, method=method)]  # type: ignore[arg-type]

    public = sources(["public"])
    assert "finance.md" not in public and public  # hidden, and others still fill the page
    assert "finance.md" not in sources([]) and "finance.md" not in sources(["hr"])
    assert sources(["finance"])[0] == "finance.md"
    assert sources(None)[0] == "finance.md"  # unrestricted local caller
    assert store.search(query, 5, groups=["finance"], sources=["security.md"], method=method)  # type: ignore[arg-type]


@pytest.mark.parametrize("method", METHODS)
def test_sources_filter(
    method: str, vector_tier: str, make_store: MakeStore, make_chunks: MakeChunks
) -> None:
    store = make_store()
    _put(store, make_chunks("security.md", SECURITY), "h1")
    _put(store, make_chunks("talent.md", TALENT), "h2")
    hits = store.search("企业的数据加密和审计", 5, sources=["talent.md"], method=method)  # type: ignore[arg-type]
    assert hits and {p.source for p in hits} == {"talent.md"}
    assert store.search("数据加密", 5, sources=["nope.md"], method=method) == []  # type: ignore[arg-type]


def test_get_respects_groups_and_order(make_store: MakeStore, make_chunks: MakeChunks) -> None:
    store = make_store()
    secret = make_chunks("finance.md", SECRET)
    public = make_chunks("security.md", SECURITY)
    _put(store, secret, "h1", ["finance"])
    _put(store, public, "h2")
    wanted = [public[1].chunk_id, secret[0].chunk_id, "unknown", public[0].chunk_id]
    assert [p.chunk_id for p in store.get(wanted, groups=["public"])] == [
        public[1].chunk_id,
        public[0].chunk_id,
    ]
    assert len(store.get(wanted, groups=["finance"])) == 3
    assert store.get(wanted)[1].access == ["finance"]


def test_search_argument_errors(make_store: MakeStore, make_chunks: MakeChunks) -> None:
    store = make_store()
    assert store.search("数据") == []  # empty store
    _put(store, make_chunks("security.md", SECURITY), "h1")
    assert store.search("   ") == []
    with pytest.raises(ValueError, match="unknown search method"):
        store.search("数据", method="fuzzy")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="k must be"):
        store.search("数据", k=0)


@pytest.mark.parametrize("previous", [False, True], ids=["new-document", "replacement"])
def test_crash_before_the_manifest_leaves_no_partial_document(
    previous: bool, make_store: MakeStore, make_chunks: MakeChunks, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = make_store()
    old = make_chunks("doc.md", TALENT)
    if previous:
        _put(store, old, "v1")
    new = make_chunks("doc.md", SECURITY + ["新增的第三段：异常检测系统。"])

    def crash(self: KnowledgeStore, entries: dict[str, object]) -> None:
        raise RuntimeError("simulated crash after the chunks were written")

    monkeypatch.setattr(KnowledgeStore, "_write_manifest", crash)
    with pytest.raises(RuntimeError, match="simulated crash"):
        _put(store, new, "v2")
    monkeypatch.undo()
    assert _stored_records(store) == len(new) + (len(old) if previous else 0)  # the orphans exist...
    for method in METHODS:  # ...but nothing of the new version is visible
        texts = [p.text for p in store.search("数据加密 异常检测 人才", 10, method=method)]  # type: ignore[arg-type]
        assert not set(texts) & {c.text for c in new}
        assert sorted(texts) == (sorted(c.text for c in old) if previous else [])
    assert store.get([c.chunk_id for c in new]) == []
    assert store.document_hashes() == ({"doc.md": "v1"} if previous else {})
    assert store.count() == (len(old) if previous else 0)
    assert store.reconcile() == len(new)
    assert _stored_records(store) == (len(old) if previous else 0) and store.reconcile() == 0


def test_a_killed_writer_leaves_no_partial_document(tmp_path: Path, make_store: MakeStore) -> None:
    """A real process dies (os._exit) between writing the chunks and committing the manifest."""
    store = make_store()
    script = textwrap.dedent(
        f"""
        import os, sys
        sys.path[:0] = [{str(REPO)!r}, {str(REPO / "tests")!r}]
        from conftest import retrieval_settings
        from store.records import Chunk
        from store.knowledge import KnowledgeStore
        store = KnowledgeStore(retrieval_settings({str(store.settings.data_dir)!r}))
        one = [Chunk(chunk_id="c1", source="doc.md", title="t", text="第一版：人才培养。")]
        store.upsert_document("doc.md", "v1", one, title="t", access=["public"])
        KnowledgeStore._write_manifest = lambda *a: os._exit(9)
        texts = [f"第二版第{{i}}段：数据加密。" for i in range(50)]
        two = [Chunk(chunk_id=f"n{{i}}", source="doc.md", title="t", text=t) for i, t in enumerate(texts)]
        store.upsert_document("doc.md", "v2", two, title="t", access=["public"])
        """
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ADVISOR_", "CHROMA_", "OPENAI_"))}
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, cwd=tmp_path, capture_output=True, text=True
    )
    assert done.returncode == 9, done.stderr[-2000:]
    store.freshness_s = 0.0
    assert store.document_hashes() == {"doc.md": "v1"}
    assert [p.chunk_id for p in store.search("数据加密 人才培养", 10)] == ["c1"]
    assert store.reconcile() == 50 and _stored_records(store) == 1


def test_other_writers_and_restarts_are_seen(make_store: MakeStore, make_chunks: MakeChunks) -> None:
    reader, writer = make_store(), make_store()
    reader.freshness_s = 0.0
    assert reader.search("人才") == []
    _put(writer, make_chunks("talent.md", TALENT), "h1")
    assert [p.source for p in reader.search("人才", 1)] == ["talent.md"]
    writer.delete_document("talent.md")
    assert reader.search("人才") == []
    _put(writer, make_chunks("security.md", SECURITY), "h2")
    restarted = make_store()  # loads the index snapshot written by the reader
    assert [p.source for p in restarted.search("数据加密", 1)] == ["security.md"]
    assert [p.source for p in reader.search("数据加密", 1)] == ["security.md"]


def test_reset_drops_everything(make_store: MakeStore, make_chunks: MakeChunks) -> None:
    store = make_store()
    _put(store, make_chunks("talent.md", TALENT), "h1")
    assert store.search("人才")
    store.reset()
    assert store.count() == 0 and store.list_documents() == [] and store.search("人才") == []


def test_unusable_data_dir_is_one_clear_error(tmp_path: Path) -> None:
    (tmp_path / "chroma").write_text("not a folder")
    with pytest.raises(StoreUnavailableError, match="cannot open the local store"):
        KnowledgeStore(retrieval_settings(tmp_path))
