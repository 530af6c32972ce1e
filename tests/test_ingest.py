"""Ingestion against the real store (Chroma on a temporary data dir): idempotency, change, prune,
crash safety, bad files in a batch, uploads and the staleness check used by `make run`."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from docfactory import write_docx, write_encrypted_pdf, write_pdf

from ingest import format_report, ingest_bytes, ingest_paths, store_is_stale
from settings import Settings
from store.documents import prepare
from store.documents.chunking import chunk_document
from store.documents.loaders import load_document
from store.index.embedders import HashingEmbedder
from store.knowledge import KnowledgeStore

REPO = Path(__file__).resolve().parents[1]
SEEDS = ["000_23366926fd57ca3a.txt", "001_70669e957af3f43b.txt", "003_e70335604cef97da.txt"]


class CountingEmbedder(HashingEmbedder):
    """The real offline embedder, counting what it embeds; `fail_on_call` makes one call fail."""

    def __init__(self) -> None:
        super().__init__(dim=256)
        self.embedded = 0
        self.calls = 0
        self.fail_on_call: int | None = None

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        self.calls += 1
        if self.calls == self.fail_on_call:
            raise RuntimeError("embedding service went away")
        self.embedded += len(texts)
        return super().embed_documents(texts)


def _raw_chunk_count(store: KnowledgeStore) -> int:
    """Every chunk record in Chroma, committed or not (peeks past the store's manifest on purpose)."""
    return store._chunks.count()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", knowledge_dir=tmp_path / "knowledge")


@pytest.fixture
def embedder() -> CountingEmbedder:
    return CountingEmbedder()


@pytest.fixture
def store(settings: Settings, embedder: CountingEmbedder) -> KnowledgeStore:
    return KnowledgeStore(settings, embedder=embedder)


@pytest.fixture
def corpus(settings: Settings) -> Path:
    root = settings.knowledge_dir
    (root / "team").mkdir(parents=True)
    for name in SEEDS:
        shutil.copy(REPO / "knowledge" / name, root / name)
    (root / "team" / "policy.md").write_text(
        "---\ntitle: 数据安全制度\naccess: security\n---\n"
        "## 一、权限\n\n员工按角色授权，访问记录写入审计日志。\n",
        encoding="utf-8",
    )
    (root / "README.md").write_text("# How to add documents\n", encoding="utf-8")
    (root / ".draft.md").write_text("# hidden\n\n草稿。", encoding="utf-8")
    return root


def _sources(report_files: list) -> dict[str, str]:  # type: ignore[type-arg]
    return {f.source: f.status for f in report_files}


def test_first_ingest_adds_corpus_and_skips_readme_and_hidden(corpus: Path, store: KnowledgeStore) -> None:
    report = ingest_paths([corpus], store, root=corpus, progress=False)
    assert _sources(report.files) == {**dict.fromkeys(SEEDS, "added"), "team/policy.md": "added"}
    assert report.chunks > 20 and not report.failed
    docs = {d.source: d for d in store.list_documents()}
    assert docs["team/policy.md"].title == "数据安全制度" and docs["team/policy.md"].access == ["security"]
    assert docs[SEEDS[0]].title == "进入AI时代，企业需要重视哪些落地挑战？"
    hits = store.search("权限与安全控制", k=3, sources=[SEEDS[0]])
    assert hits and hits[0].section.startswith("二、权限与安全控制")


def test_unchanged_reingest_parses_and_embeds_nothing(
    corpus: Path, store: KnowledgeStore, embedder: CountingEmbedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    ingest_paths([corpus], store, root=corpus, progress=False)
    embedded = embedder.embedded

    def no_parsing(*args: object, **kwargs: object) -> None:
        raise AssertionError("an unchanged file was parsed")

    monkeypatch.setattr(prepare, "load_document", no_parsing)
    again = ingest_paths([corpus], store, root=corpus, progress=False)
    assert {f.status for f in again.files} == {"unchanged"} and len(again.files) == 4
    assert again.chunks == 0 and again.skipped == 4
    assert embedder.embedded == embedded
    assert "4 files · 0 chunks · 4 unchanged · 0 failed" in format_report(again)


def _chunk_ids(path: Path, root: Path, settings: Settings) -> set[str]:
    doc = load_document(path, root)
    chunks = chunk_document(doc, chunk_size=settings.chunk_size, chunk_overlap=settings.chunk_overlap)
    return {c.chunk_id for c in chunks}


def test_changed_file_replaces_all_old_chunks(
    corpus: Path, settings: Settings, store: KnowledgeStore
) -> None:
    ingest_paths([corpus], store, root=corpus, progress=False)
    path = corpus / SEEDS[1]
    old_ids = _chunk_ids(path, corpus, settings)
    assert len(store.get(sorted(old_ids))) == len(old_ids)
    old = path.read_text(encoding="utf-8")
    path.write_text(
        old.split("### 1.1")[0] + "## 新增章节\n\n规划改写为全新的落地路线图。\n", encoding="utf-8"
    )
    new_ids = _chunk_ids(path, corpus, settings)
    assert old_ids - new_ids and new_ids - old_ids

    report = ingest_paths([corpus], store, root=corpus, progress=False)
    assert _sources(report.files)[SEEDS[1]] == "updated"
    assert [f.status for f in report.files if f.source != SEEDS[1]] == ["unchanged"] * 3
    assert store.get(sorted(old_ids - new_ids)) == []  # no stale chunk survives
    assert {p.chunk_id for p in store.get(sorted(new_ids))} == new_ids
    assert next(d.chunks for d in store.list_documents() if d.source == SEEDS[1]) == len(new_ids)
    assert all("消费零售的智能化" not in h.text for h in store.search("消费零售的智能化", k=10))


def test_access_override_reingests_with_new_groups(corpus: Path, store: KnowledgeStore) -> None:
    ingest_paths([corpus], store, root=corpus, progress=False)
    report = ingest_paths([corpus / SEEDS[0]], store, root=corpus, access=["hr"], progress=False)
    assert _sources(report.files) == {SEEDS[0]: "updated"}
    assert next(d.access for d in store.list_documents() if d.source == SEEDS[0]) == ["hr"]
    assert store.search("权限与安全控制", k=5, groups=["public"], sources=[SEEDS[0]]) == []
    assert store.search("权限与安全控制", k=5, groups=["hr"], sources=[SEEDS[0]])


def test_prune_removes_only_deleted_files_inside_the_given_folder(
    corpus: Path, store: KnowledgeStore
) -> None:
    ingest_paths([corpus], store, root=corpus, progress=False)
    (corpus / SEEDS[2]).unlink()
    (corpus / "team" / "policy.md").unlink()
    kept = ingest_paths([corpus], store, root=corpus, progress=False)  # no --prune: nothing removed
    assert "pruned" not in {f.status for f in kept.files}
    assert {SEEDS[2], "team/policy.md"} <= set(store.document_hashes())

    scoped = ingest_paths([corpus / "team"], store, root=corpus, prune=True, progress=False)
    assert _sources(scoped.files) == {"team/policy.md": "pruned"}
    assert SEEDS[2] in store.document_hashes()  # outside the folder just ingested

    full = ingest_paths([corpus], store, root=corpus, prune=True, progress=False)
    assert _sources(full.files)[SEEDS[2]] == "pruned"
    assert set(store.document_hashes()) == set(SEEDS[:2])
    assert store.search("技术架构复杂度", k=5, sources=[SEEDS[2]]) == []
    assert format_report(full).endswith("· 1 pruned")


def test_embedding_failure_mid_batch_keeps_previous_version_and_continues(
    corpus: Path, settings: Settings, store: KnowledgeStore, embedder: CountingEmbedder
) -> None:
    ingest_paths([corpus], store, root=corpus, progress=False)
    before_hash = store.document_hashes()[SEEDS[1]]
    before_chunks = next(d.chunks for d in store.list_documents() if d.source == SEEDS[1])
    path = corpus / SEEDS[1]
    path.write_text(path.read_text(encoding="utf-8") + "\n\n补充说明：新的版本在这里。\n", encoding="utf-8")
    (corpus / "zz_new.md").write_text("# 新文件\n\n批处理继续执行。\n", encoding="utf-8")
    embedder.fail_on_call = embedder.calls + 1  # the changed document's embedding call fails

    report = ingest_paths([corpus], store, root=corpus, progress=False)
    statuses = _sources(report.files)
    assert statuses[SEEDS[1]] == "failed" and statuses["zz_new.md"] == "added"
    assert report.failed[0].error == "RuntimeError: embedding service went away"
    assert store.document_hashes()[SEEDS[1]] == before_hash
    assert next(d.chunks for d in store.list_documents() if d.source == SEEDS[1]) == before_chunks
    assert all("新的版本在这里" not in h.text for h in store.search("补充说明 新的版本在这里", k=20))
    assert _raw_chunk_count(store) == store.count()
    retry = ingest_paths([corpus], store, root=corpus, progress=False)  # the failure is not remembered
    assert _sources(retry.files)[SEEDS[1]] == "updated"


def test_write_failing_before_commit_leaves_no_partial_document(
    corpus: Path, settings: Settings, store: KnowledgeStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    ingest_paths([corpus], store, root=corpus, progress=False)
    committed = store.count()
    before_hash = store.document_hashes()[SEEDS[0]]
    path = corpus / SEEDS[0]
    path.write_text(path.read_text(encoding="utf-8").replace("权限", "授权边界"), encoding="utf-8")
    (corpus / "brand-new.md").write_text("# 全新文档\n\n首次写入时失败的文档内容。\n", encoding="utf-8")

    def disk_full(entries: dict[str, object]) -> None:  # every chunk is written, the commit fails
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store, "_write_manifest", disk_full)
    report = ingest_paths([corpus], store, root=corpus, progress=False)
    assert _sources(report.files) == {
        **dict.fromkeys(SEEDS, "unchanged"),
        SEEDS[0]: "failed",
        "brand-new.md": "failed",
        "team/policy.md": "unchanged",
    }
    assert {f.error for f in report.failed} == {"OSError: [Errno 28] No space left on device"}
    assert _raw_chunk_count(store) > committed  # the failure really happened mid-write
    # Readers never see the half-written versions ...
    assert store.document_hashes()[SEEDS[0]] == before_hash and "brand-new.md" not in store.document_hashes()
    assert all("授权边界" not in h.text for h in store.search("授权边界", k=20))
    assert store.search("首次写入时失败的文档内容", k=5, sources=["brand-new.md"]) == []
    # ... and the next run's reconcile removes them before doing anything else.
    monkeypatch.undo()
    reopened = KnowledgeStore(settings, embedder=CountingEmbedder())
    again = ingest_paths([corpus / "team"], reopened, root=corpus, progress=False)
    assert _sources(again.files) == {"team/policy.md": "unchanged"}
    assert _raw_chunk_count(reopened) == reopened.count() == committed


KILLED_INGEST = """
import os, signal, sys
from pathlib import Path

from store.index.embedders import HashingEmbedder
from ingest import ingest_paths
from settings import Settings
from store.knowledge import KnowledgeStore

settings = Settings(data_dir=Path(sys.argv[1]), knowledge_dir=Path(sys.argv[2]))
store = KnowledgeStore(settings, embedder=HashingEmbedder(dim=256))
if sys.argv[3] == "kill":
    # Every chunk of the new version is written; the process dies just before the commit.
    store._write_manifest = lambda entries: os.kill(os.getpid(), signal.SIGKILL)
ingest_paths([settings.knowledge_dir], store, root=settings.knowledge_dir, progress=False)
"""


def test_kill_mid_write_never_exposes_a_partial_document(corpus: Path, tmp_path: Path) -> None:
    data_dir = tmp_path / "killed-data"

    def run(mode: str) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        args = [sys.executable, "-c", KILLED_INGEST, str(data_dir), str(corpus), mode]
        return subprocess.run(args, cwd=REPO, env=env, capture_output=True, text=True, timeout=300)

    assert run("normal").returncode == 0
    before = KnowledgeStore(Settings(data_dir=data_dir), embedder=CountingEmbedder()).document_hashes()
    for name in SEEDS[:2]:  # two changed documents and a new one: one batch, one manifest write
        path = corpus / name
        text = path.read_text(encoding="utf-8").replace("权限", "授权边界") + "\n\n补充：授权边界。\n"
        path.write_text(text, encoding="utf-8")
    (corpus / "new.md").write_text("# 新文档\n\n授权边界的新规定。\n", encoding="utf-8")
    killed = run("kill")
    assert killed.returncode == -signal.SIGKILL, killed.stderr

    store = KnowledgeStore(Settings(data_dir=data_dir), embedder=CountingEmbedder())
    committed = store.count()
    assert _raw_chunk_count(store) > committed  # the kill left uncommitted chunks behind
    assert store.document_hashes() == before
    assert all("授权边界" not in h.text for h in store.search("授权边界", k=20))
    assert "权限" in "".join(h.text for h in store.search("权限", k=5, sources=[SEEDS[0]]))
    report = ingest_paths([corpus], store, root=corpus, progress=False)
    statuses = _sources(report.files)
    assert (statuses[SEEDS[0]], statuses[SEEDS[1]], statuses["new.md"]) == ("updated", "updated", "added")
    assert _raw_chunk_count(store) == store.count()
    assert any("授权边界" in h.text for h in store.search("授权边界", k=5, sources=[SEEDS[0]]))


def test_mixed_batch_with_bad_files(tmp_path: Path, store: KnowledgeStore) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    write_pdf(folder / "report.pdf", [["第一页：权限控制。"], ["第二页：数据加密与审计！"]])
    write_docx(folder / "plan.docx", [("Heading 1", "一、组织保障"), ("", "成立AI委员会，统筹落地。")])
    (folder / "notes.txt").write_bytes("GBK编码的笔记：模型评估要覆盖安全性。".encode("gbk"))
    (folder / "broken.pdf").write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 200)
    write_encrypted_pdf(folder / "locked.pdf", [["机密"]], user_password="pw")
    (folder / "empty.md").write_bytes(b"")
    report = ingest_paths([folder], store, root=folder, progress=False)
    statuses = _sources(report.files)
    assert [s for s, v in sorted(statuses.items()) if v == "added"] == [
        "notes.txt",
        "plan.docx",
        "report.pdf",
    ]
    assert {f.source: f.error for f in report.failed} == {
        "broken.pdf": "corrupt or unreadable PDF",
        "empty.md": "empty file",
        "locked.pdf": "encrypted PDF (password required)",
    }
    text = format_report(report)
    assert "✗ broken.pdf: corrupt or unreadable PDF" in text.splitlines()
    assert re.search(r"^6 files · \d+ chunks · 0 unchanged · 3 failed · \d+\.\d s$", text.splitlines()[-1])
    assert "\x1b[" not in text and "Traceback" not in text
    page_two = store.search("数据加密与审计", k=1, sources=["report.pdf"])
    assert page_two and page_two[0].page == 2


def test_missing_path_is_a_failure_not_a_crash(corpus: Path, store: KnowledgeStore) -> None:
    report = ingest_paths([corpus / "nope.txt", corpus / SEEDS[0]], store, root=corpus, progress=False)
    assert [f.status for f in report.files] == ["failed", "added"]
    assert report.failed[0].error == "no such file"


def test_store_is_stale(corpus: Path, store: KnowledgeStore) -> None:
    assert store_is_stale(corpus, store)  # empty store
    ingest_paths([corpus], store, root=corpus, progress=False)
    assert not store_is_stale(corpus, store)
    (corpus / "README.md").write_text("# changed readme is not a document\n", encoding="utf-8")
    assert not store_is_stale(corpus, store)
    (corpus / SEEDS[0]).write_text("# 改了\n\n内容变化。", encoding="utf-8")
    assert store_is_stale(corpus, store)
    ingest_paths([corpus], store, root=corpus, progress=False)
    (corpus / "added.txt").write_text("新增文件。", encoding="utf-8")
    assert store_is_stale(corpus, store)


def test_upload_bytes(settings: Settings, store: KnowledgeStore, corpus: Path, tmp_path: Path) -> None:
    data = write_docx(tmp_path / "x.docx", [("Heading 1", "一、预算"), ("", "预算按季度审批。")]).read_bytes()
    first = ingest_bytes("../../evil/预算制度.docx", data, store, access=["finance"])
    assert (first.source, first.status, first.error) == ("预算制度.docx", "added", None) and first.chunks == 1
    assert ingest_bytes("预算制度.docx", data, store, access=["finance"]).status == "unchanged"
    uploads = settings.data_dir / "uploads"
    assert sorted(p.name for p in uploads.iterdir()) == ["预算制度.docx"]
    bad = ingest_bytes("scan.pdf", b"%PDF-1.4 nothing", store)
    assert bad.status == "failed" and bad.error == "corrupt or unreadable PDF"
    assert ingest_bytes("tool.exe", b"MZ", store).error == "unsupported file type '.exe'"
    assert sorted(p.name for p in uploads.iterdir()) == ["预算制度.docx"]  # no temporary leftovers
    # Pruning the corpus keeps uploaded documents: their bytes live in the uploads folder.
    ingest_paths([corpus], store, root=corpus, prune=True, progress=False)
    assert "预算制度.docx" in store.document_hashes()
