"""Scanned, mixed and garbage-layer PDFs, images, slides, sheets and web pages through the real
store: search finds text that exists only in the scanned or structured part, citations carry the
right page or slide, expanding files are refused and the store keeps what it had."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from docfactory import (
    cjk_font_path,
    write_many_member_docx,
    write_mixed_pdf,
    write_png,
    write_pptx,
    write_table_pdf,
    write_xlsx,
    write_zip_bomb_docx,
    yaml_alias_bomb,
)

from ingest import ingest_paths
from settings import Settings
from store.index.embedders import HashingEmbedder
from store.knowledge import KnowledgeStore
from store.records import IngestReport

REPO = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.skipif(
    cjk_font_path() is None, reason="no CJK font under /usr/share/fonts (apt-get install fonts-noto-cjk)"
)
NAV_PAGE = """<html><head><meta charset="utf-8"><title>内网：差旅报销规定</title></head><body>
<nav><a href="/">首页</a> <a href="/news">集团新闻频道</a> <a href="/it">信息化服务台</a></nav>
<article><h1>差旅报销规定</h1><p>员工出差住宿标准为一线城市每晚六百元，超出部分需要分管副总裁审批后方可报销。</p>
<p>报销单据须在出差结束后十五个工作日内提交财务共享中心，逾期不予受理。</p></article>
<footer>版权所有 集团信息中心 | 网站导航 | 联系方式</footer></body></html>"""


def _build_corpus(root: Path) -> None:
    root.mkdir(parents=True)
    write_mixed_pdf(root / "scanned.pdf", [("scan", ["扫描合同：乙方须在三十日内完成客户数据脱敏。"])])
    write_mixed_pdf(
        root / "mixed.pdf",
        [
            ("text", ["第一页：企业AI落地的权限控制。"]),
            ("scan", ["第二页扫描件：违约金按合同总额的百分之五计算。"]),
            ("text", ["第三页：数据加密与审计日志！"]),
        ],
    )
    write_mixed_pdf(root / "garbage.pdf", [("garbage", ["模型上线前必须经过红队测试与伦理审查。"])])
    write_png(root / "whiteboard.png", ["董事会批准了三百万元的智能质检预算。"])
    write_pptx(
        root / "roadmap.pptx",
        [
            {"title": "项目背景", "body": ["客服中心人力成本逐年上升。"]},
            {
                "title": "投入测算",
                "table": [["项目", "金额"], ["算力租赁", "一百二十万元"]],
                "notes": "讲者提示：采购流程需要法务会签。",
            },
        ],
    )
    write_xlsx(
        root / "budget.xlsx",
        {
            "研发": [["项目", "预算"], ["大模型微调", "八十万元"]],
            "运营": [["项目", "预算"], ["知识库运维", "十五万元"]],
        },
    )
    (root / "travel.html").write_text(NAV_PAGE, encoding="utf-8")
    models = [
        ["机构", "模型", "基本情况"],
        ["月之暗面", "k0-math", "主打数学推理能力"],
        ["阿里巴巴", "QwQ", "开源推理"],
    ]
    write_table_pdf(root / "report.pdf", "推理模型进展如下表。", models, "以上为公开资料整理。", pages=2)


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> tuple[KnowledgeStore, IngestReport, Path]:
    base = tmp_path_factory.mktemp("formats")
    settings = Settings(data_dir=base / "data", knowledge_dir=base / "knowledge")
    _build_corpus(settings.knowledge_dir)
    store = KnowledgeStore(settings, embedder=HashingEmbedder(dim=256))
    report = ingest_paths([settings.knowledge_dir], store, root=settings.knowledge_dir, progress=False)
    return store, report, settings.knowledge_dir


@pytest.mark.parametrize(
    ("query", "source", "page", "section", "ocr", "expected"),
    [
        ("乙方客户数据脱敏", "scanned.pdf", 1, "", True, "三十日内"),
        ("违约金合同总额", "mixed.pdf", 2, "", True, "百分之五"),
        ("红队测试伦理审查", "garbage.pdf", 1, "", True, "模型上线前"),
        ("董事会智能质检预算", "whiteboard.png", 1, "", True, "三百万元"),
        ("采购流程法务会签", "roadmap.pptx", 2, "投入测算", False, "讲者提示"),
        ("算力租赁金额", "roadmap.pptx", 2, "投入测算", False, "| 算力租赁 | 一百二十万元 |"),
        ("知识库运维预算", "budget.xlsx", None, "运营", False, "| 项目 | 预算 |"),
        ("出差住宿标准审批", "travel.html", None, "", False, "六百元"),
        ("主打数学推理能力", "report.pdf", 1, "", False, "| 机构 | 模型 | 基本情况 |\n| --- | --- | --- |"),
    ],
)
def test_search_finds_scanned_and_structured_text_with_its_page(
    ingested: tuple[KnowledgeStore, IngestReport, Path],
    query: str,
    source: str,
    page: int | None,
    section: str,
    ocr: bool,
    expected: str,
) -> None:
    store, _, _ = ingested
    hits = store.search(query, k=1)
    assert hits, query
    hit = hits[0]
    assert (hit.source, hit.page, hit.ocr) == (source, page, ocr), hit
    assert hit.section.endswith(section) and expected in hit.text, hit


def test_mixed_pdf_keeps_text_pages_with_their_numbers(
    ingested: tuple[KnowledgeStore, IngestReport, Path],
) -> None:
    store, _, _ = ingested
    hit = store.search("数据加密与审计日志", k=1, sources=["mixed.pdf"])[0]
    assert (hit.page, hit.ocr) == (3, False)


def test_html_navigation_is_not_searchable(ingested: tuple[KnowledgeStore, IngestReport, Path]) -> None:
    store, _, _ = ingested
    text = "".join(
        p.text for p in store.search("集团新闻频道 信息化服务台 网站导航", k=20, sources=["travel.html"])
    )
    assert "报销" in text and "集团新闻频道" not in text and "信息化服务台" not in text


def test_listing_agrees_with_the_report(ingested: tuple[KnowledgeStore, IngestReport, Path]) -> None:
    store, report, _ = ingested
    assert not report.failed, report.failed
    listed = {d.source: d for d in store.list_documents()}
    assert set(listed) == {f.source for f in report.files}
    for f in report.files:
        d = listed[f.source]
        assert (d.format, d.pages, d.ocr_pages, d.chunks, d.title) == (
            f.format,
            f.pages,
            f.ocr_pages,
            f.chunks,
            f.title,
        )
    assert (listed["mixed.pdf"].pages, listed["mixed.pdf"].ocr_pages) == (3, 1)
    assert (listed["roadmap.pptx"].format, listed["roadmap.pptx"].pages) == ("pptx", 2)
    assert (listed["budget.xlsx"].pages, listed["whiteboard.png"].ocr_pages) == (None, 1)


def test_expanding_files_are_refused_and_the_store_keeps_what_it_had(
    tmp_path: Path, ingested: tuple[KnowledgeStore, IngestReport, Path]
) -> None:
    store, _, _ = ingested
    root = tmp_path / "bombs"
    root.mkdir()
    before = [d.model_dump() for d in store.list_documents()]
    # Same names as stored documents: a refused new version must not remove the old one.
    write_zip_bomb_docx(root / "roadmap.docx")
    write_many_member_docx(root / "members.docx", 6000)
    (root / "aliases.md").write_text(yaml_alias_bomb(), encoding="utf-8")
    report = ingest_paths([root], store, root=root, progress=False)
    reasons = {f.source: f.error for f in report.files}
    assert [f.status for f in report.files] == ["failed"] * 3
    assert reasons["aliases.md"] == "YAML aliases are not allowed in front matter"
    assert "expands too much" in str(reasons["roadmap.docx"])
    assert "too many parts" in str(reasons["members.docx"])
    assert [d.model_dump() for d in store.list_documents()] == before


def test_chunk_limit_refuses_a_document_and_keeps_the_previous_version(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", knowledge_dir=tmp_path / "k", max_chunks_per_doc=5)
    settings.knowledge_dir.mkdir()
    doc = settings.knowledge_dir / "notes.md"
    doc.write_text("# 笔记\n\n短文档。\n", encoding="utf-8")
    store = KnowledgeStore(settings, embedder=HashingEmbedder(dim=64))
    assert ingest_paths([doc], store, root=settings.knowledge_dir, progress=False).files[0].status == "added"
    doc.write_text(
        "# 笔记\n\n" + "\n\n".join(f"第{i}段：" + "内容" * 150 for i in range(20)), encoding="utf-8"
    )
    again = ingest_paths([doc], store, root=settings.knowledge_dir, progress=False).files[0]
    assert again.status == "failed" and again.error is not None
    assert again.error.startswith("too many chunks (") and "> limit 5;" in again.error
    assert store.search("短文档", k=1)[0].text.endswith("短文档。")


def test_cli_ingest_json_and_documents_json_agree(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_pptx(
        corpus / "deck.pptx",
        [{"title": "目标", "notes": "备注内容。"}, {"title": "计划", "body": ["三步走。"]}],
    )
    write_png(corpus / "scan.png", ["扫描的会议纪要。"])
    (corpus / "bad.docx").write_bytes(b"PK\x03\x04broken")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "ADVISOR_", "CHROMA_"))}
    env |= {"ADVISOR_DATA_DIR": str(tmp_path / "data"), "PYTHONPATH": str(REPO)}

    def advisor(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "cli", *args]
        return subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=600)

    ingest = advisor("ingest", str(corpus), "--json")
    assert ingest.returncode == 1 and "Traceback" not in ingest.stderr  # one file failed
    files = {row["source"]: row for row in json.loads(ingest.stdout)}
    assert {s: r["status"] for s, r in files.items()} == {
        "bad.docx": "failed",
        "deck.pptx": "ingested",
        "scan.png": "ingested",
    }
    assert files["bad.docx"]["reason"].startswith("corrupt or unreadable .docx")
    listed = advisor("documents", "--json")
    assert listed.returncode == 0, listed.stderr
    documents = {row["source"]: row for row in json.loads(listed.stdout)}
    assert set(documents) == {"deck.pptx", "scan.png"}
    for source, doc in documents.items():
        for key in ("title", "format", "pages", "chunks", "ocr_pages"):
            assert doc[key] == files[source][key], (source, key)
        assert doc["access"] == ["public"] and doc["ingested_at"]
    assert (documents["scan.png"]["ocr_pages"], documents["deck.pptx"]["pages"]) == (1, 2)
    lines = advisor("documents").stdout.splitlines()
    assert lines[0].startswith("deck.pptx [pptx] 目标 · ") and lines[-1] == "2 documents · 3 chunks", lines
    again = advisor("ingest", str(corpus), "--json")
    assert {r["source"]: r["status"] for r in json.loads(again.stdout)}["deck.pptx"] == "unchanged"
