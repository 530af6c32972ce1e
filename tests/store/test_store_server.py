"""Server mode: KnowledgeStore over HTTP against a real `chroma run` on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import engines
import pytest
from api_support import free_port
from conftest import retrieval_settings

from settings import Settings
from store.knowledge import KnowledgeStore, StoreUnavailableError
from store.records import Chunk

SECURITY = Chunk(
    chunk_id="s1", source="security.md", title="Security", text="企业在部署AI时必须做好权限设置和数据加密。"
)
SECRET = Chunk(
    chunk_id="f1", source="finance.md", title="Finance", text="财务部门的数据加密预算审批流程属于机密。"
)


class ChromaServer(engines.ChromaServer):
    def settings(self, data_dir: Path) -> Settings:
        return retrieval_settings(data_dir, chroma_host="127.0.0.1", chroma_port=self.port)


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChromaServer]:
    binary = engines.chroma_binary()
    if binary is None:
        pytest.skip("the `chroma` CLI (installed with chromadb) is not on this machine")
    server = ChromaServer(binary, tmp_path_factory.mktemp("chroma-server") / "db")
    yield server
    server.stop()


def test_upsert_and_filtered_search_through_the_server(chroma_server: ChromaServer, tmp_path: Path) -> None:
    settings = chroma_server.settings(tmp_path / "a")
    settings = settings.model_copy(update={"collection": "server_acl"})
    store = KnowledgeStore(settings)
    store.upsert_document("security.md", "h1", [SECURITY], title="Security", access=["public"])
    store.upsert_document("finance.md", "h2", [SECRET], title="Finance", access=["finance"])
    assert store.ping() and store.count() == 2 and store.reconcile() == 0
    assert not (tmp_path / "a" / "chroma").exists()  # nothing went to the embedded store
    for method in ("hybrid", "bm25", "vector"):
        public = store.search("数据加密", 5, groups=["public"], method=method)  # type: ignore[arg-type]
        assert [p.chunk_id for p in public] == ["s1"]
        finance = store.search("财务预算", 5, groups=["finance"], method=method)  # type: ignore[arg-type]
        assert finance[0].chunk_id == "f1" and finance[0].title == "Finance"


def test_a_second_client_sees_the_same_documents(chroma_server: ChromaServer, tmp_path: Path) -> None:
    """Another machine's process: its own data dir, so its tokens come from the server's texts."""
    writer = KnowledgeStore(
        chroma_server.settings(tmp_path / "w").model_copy(update={"collection": "shared"})
    )
    writer.upsert_document("security.md", "h1", [SECURITY], title="Security", access=["public"])
    reader = KnowledgeStore(
        chroma_server.settings(tmp_path / "r").model_copy(update={"collection": "shared"})
    )
    assert reader.document_hashes() == {"security.md": "h1"}
    assert [p.chunk_id for p in reader.search("权限设置", 1, method="bm25")] == ["s1"]


def test_unreachable_server_is_one_clear_error(tmp_path: Path) -> None:
    port = free_port()  # nothing listens here
    with pytest.raises(StoreUnavailableError, match=rf"127\.0\.0\.1:{port}.*CHROMA_HOST"):
        KnowledgeStore(retrieval_settings(tmp_path, chroma_host="127.0.0.1", chroma_port=port))


def test_server_going_away_is_reported(tmp_path_factory: pytest.TempPathFactory, tmp_path: Path) -> None:
    binary = engines.chroma_binary()
    if binary is None:
        pytest.skip("the `chroma` CLI (installed with chromadb) is not on this machine")
    server = ChromaServer(binary, tmp_path_factory.mktemp("chroma-dying") / "db")
    try:
        store = KnowledgeStore(server.settings(tmp_path))
        store.upsert_document("security.md", "h1", [SECURITY], title="Security", access=["public"])
    finally:
        server.stop()
    assert not store.ping()
    with pytest.raises(StoreUnavailableError, match=rf"127\.0\.0\.1:{server.port}"):
        store.document_hashes()
