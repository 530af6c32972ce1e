"""Ingestion failures against the real store: an embedding call or the commit failing mid-batch,
a process killed mid-write, and bad files among good ones. Readers never see half a document."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from docfactory import write_docx, write_encrypted_pdf, write_pdf
from ingest_support import REPO, SEEDS, CountingEmbedder, raw_chunk_count, sources

from ingest import format_report, ingest_paths
from settings import Settings
from store.knowledge import KnowledgeStore

pytest_plugins = ["ingest_support"]


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
    statuses = sources(report.files)
    assert statuses[SEEDS[1]] == "failed" and statuses["zz_new.md"] == "added"
    assert report.failed[0].error == "RuntimeError: embedding service went away"
    assert store.document_hashes()[SEEDS[1]] == before_hash
    assert next(d.chunks for d in store.list_documents() if d.source == SEEDS[1]) == before_chunks
    assert all("新的版本在这里" not in h.text for h in store.search("补充说明 新的版本在这里", k=20))
    assert raw_chunk_count(store) == store.count()
    retry = ingest_paths([corpus], store, root=corpus, progress=False)  # the failure is not remembered
    assert sources(retry.files)[SEEDS[1]] == "updated"


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
    assert sources(report.files) == {
        **dict.fromkeys(SEEDS, "unchanged"),
        SEEDS[0]: "failed",
        "brand-new.md": "failed",
        "team/policy.md": "unchanged",
    }
    assert {f.error for f in report.failed} == {"OSError: [Errno 28] No space left on device"}
    assert raw_chunk_count(store) > committed  # the failure really happened mid-write
    # Readers never see the half-written versions ...
    assert store.document_hashes()[SEEDS[0]] == before_hash and "brand-new.md" not in store.document_hashes()
    assert all("授权边界" not in h.text for h in store.search("授权边界", k=20))
    assert store.search("首次写入时失败的文档内容", k=5, sources=["brand-new.md"]) == []
    # ... and the next run's reconcile removes them before doing anything else.
    monkeypatch.undo()
    reopened = KnowledgeStore(settings, embedder=CountingEmbedder())
    again = ingest_paths([corpus / "team"], reopened, root=corpus, progress=False)
    assert sources(again.files) == {"team/policy.md": "unchanged"}
    assert raw_chunk_count(reopened) == reopened.count() == committed


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
    assert raw_chunk_count(store) > committed  # the kill left uncommitted chunks behind
    assert store.document_hashes() == before
    assert all("授权边界" not in h.text for h in store.search("授权边界", k=20))
    assert "权限" in "".join(h.text for h in store.search("权限", k=5, sources=[SEEDS[0]]))
    report = ingest_paths([corpus], store, root=corpus, progress=False)
    statuses = sources(report.files)
    assert (statuses[SEEDS[0]], statuses[SEEDS[1]], statuses["new.md"]) == ("updated", "updated", "added")
    assert raw_chunk_count(store) == store.count()
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
    statuses = sources(report.files)
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
