"""Ingestion against the real store (Chroma on a temporary data dir): idempotency, change, prune,
uploads and the staleness check used by `make run`. Failures and crashes: test_ingest_failures.py."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from docfactory import write_docx
from ingest_support import SEEDS, CountingEmbedder, sources

from ingest import format_report, ingest_bytes, ingest_paths, store_is_stale
from settings import Settings
from store.documents import prepare
from store.documents.chunking import chunk_document
from store.documents.loaders import load_document
from store.knowledge import KnowledgeStore

pytest_plugins = ["ingest_support"]


def test_first_ingest_adds_corpus_and_skips_readme_and_hidden(corpus: Path, store: KnowledgeStore) -> None:
    report = ingest_paths([corpus], store, root=corpus, progress=False)
    assert sources(report.files) == {**dict.fromkeys(SEEDS, "added"), "team/policy.md": "added"}
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
    assert sources(report.files)[SEEDS[1]] == "updated"
    assert [f.status for f in report.files if f.source != SEEDS[1]] == ["unchanged"] * 3
    assert store.get(sorted(old_ids - new_ids)) == []  # no stale chunk survives
    assert {p.chunk_id for p in store.get(sorted(new_ids))} == new_ids
    assert next(d.chunks for d in store.list_documents() if d.source == SEEDS[1]) == len(new_ids)
    assert all("消费零售的智能化" not in h.text for h in store.search("消费零售的智能化", k=10))


def test_access_override_reingests_with_new_groups(corpus: Path, store: KnowledgeStore) -> None:
    ingest_paths([corpus], store, root=corpus, progress=False)
    report = ingest_paths([corpus / SEEDS[0]], store, root=corpus, access=["hr"], progress=False)
    assert sources(report.files) == {SEEDS[0]: "updated"}
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
    assert sources(scoped.files) == {"team/policy.md": "pruned"}
    assert SEEDS[2] in store.document_hashes()  # outside the folder just ingested

    full = ingest_paths([corpus], store, root=corpus, prune=True, progress=False)
    assert sources(full.files)[SEEDS[2]] == "pruned"
    assert set(store.document_hashes()) == set(SEEDS[:2])
    assert store.search("技术架构复杂度", k=5, sources=[SEEDS[2]]) == []
    assert format_report(full).endswith("· 1 pruned")


def test_a_gbk_file_name_is_stored_under_its_chinese_name_and_never_pruned(
    corpus: Path, store: KnowledgeStore
) -> None:
    # Names from Chinese Windows and zip archives are GBK bytes; Python shows them as lone surrogates.
    with open(os.fsencode(corpus) + b"/" + "预算制度.txt".encode("gbk"), "wb") as fh:
        fh.write("年度预算须经董事会批准。".encode())
    report = ingest_paths([corpus], store, root=corpus, prune=True, progress=False)
    assert sources(report.files)["预算制度.txt"] == "added"
    assert store.search("年度预算董事会", k=1)[0].source == "预算制度.txt"
    again = ingest_paths([corpus], store, root=corpus, prune=True, progress=False)
    assert sources(again.files)["预算制度.txt"] == "unchanged"  # found, so not pruned as gone


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
    stored = json.loads((uploads / "index.json").read_text(encoding="utf-8"))
    assert list(stored) == ["预算制度.docx"] and stored["预算制度.docx"].startswith("u-")
    assert sorted(p.name for p in uploads.iterdir()) == sorted(["index.json", stored["预算制度.docx"]])
    bad = ingest_bytes("scan.pdf", b"%PDF-1.4 nothing", store)
    assert bad.status == "failed" and bad.error == "corrupt or unreadable PDF"
    assert ingest_bytes("tool.exe", b"MZ", store).error == "unsupported file type '.exe'"
    # no temporary leftovers
    assert sorted(p.name for p in uploads.iterdir()) == sorted(["index.json", stored["预算制度.docx"]])
    # Pruning the corpus keeps uploaded documents: their bytes live in the uploads folder.
    ingest_paths([corpus], store, root=corpus, prune=True, progress=False)
    assert "预算制度.docx" in store.document_hashes()
