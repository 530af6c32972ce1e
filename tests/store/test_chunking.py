"""Chunk boundaries on Chinese text, overlap, size, section paths, pages and stable ids."""

from __future__ import annotations

from pathlib import Path

from store.documents.chunking import chunk_document, chunk_id
from store.documents.loaders import LoadedDocument, Page, load_document

REPO = Path(__file__).resolve().parents[2]
SENTENCES = [
    "企业在部署AI之前应当梳理数据资产。",
    "权限控制要遵循最小授权原则！",
    "所有模型调用都需要记录审计日志；",
    "敏感字段在传输和存储时必须加密。",
    "这样做是否增加成本？",
    "短期看会，长期看能显著降低合规风险。",
]


def _doc(text: str, name: str = "doc.md", tmp_path: Path | None = None) -> LoadedDocument:
    assert tmp_path is not None
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_document(path, tmp_path)


def test_chunks_end_at_chinese_sentence_marks_and_respect_size(tmp_path: Path) -> None:
    paragraph = "".join(SENTENCES * 4)
    doc = _doc(paragraph + "\n\n" + paragraph, tmp_path=tmp_path)
    chunks = chunk_document(doc, chunk_size=100, chunk_overlap=30)
    assert len(chunks) >= 4
    for c in chunks:
        assert len(c.text) <= 100
        assert c.text[-1] in "。！？；", c.text
        assert doc.text[c.start : c.end] == c.text
    # Every sentence of the document survives in some chunk.
    covered = "".join(c.text for c in chunks)
    assert all(s in covered for s in SENTENCES)


def test_consecutive_chunks_overlap_by_whole_sentences(tmp_path: Path) -> None:
    doc = _doc("".join(SENTENCES * 4), tmp_path=tmp_path)
    chunks = chunk_document(doc, chunk_size=100, chunk_overlap=40)
    pairs = list(zip(chunks, chunks[1:], strict=False))
    assert pairs
    for a, b in pairs:
        assert b.start < a.end, "no overlap"
        shared = doc.text[b.start : a.end]
        assert 0 < len(shared) <= 40
        assert shared[-1] in "。！？；"  # the overlap is whole sentences, not a cut word


def test_no_overlap_when_disabled(tmp_path: Path) -> None:
    doc = _doc("".join(SENTENCES * 4), tmp_path=tmp_path)
    chunks = chunk_document(doc, chunk_size=100, chunk_overlap=0)
    assert all(b.start >= a.end for a, b in zip(chunks, chunks[1:], strict=False))


def test_long_sentence_falls_back_to_commas(tmp_path: Path) -> None:
    clause = "我们需要评估现有系统的兼容性，"
    doc = _doc(clause * 20 + "最后完成。", tmp_path=tmp_path)
    chunks = chunk_document(doc, chunk_size=100, chunk_overlap=0)
    assert len(chunks) > 1
    assert all(len(c.text) <= 100 for c in chunks)
    assert all(c.text[-1] in "，。" for c in chunks)


def test_heading_paths_and_no_orphan_headings(tmp_path: Path) -> None:
    body = "".join(SENTENCES * 3)
    text = (
        "# 企业AI安全指南\n\n引言。\n\n"
        "## 一、数据安全\n\n"  # heading-only section: must travel with its first subsection
        f"### 1.1 权限控制\n\n{body}\n\n"
        f"### 1.2 加密\n\n{body}\n\n"
        f"## 二、组织保障\n\n{body}\n"
    )
    doc = _doc(text, tmp_path=tmp_path)
    chunks = chunk_document(doc, chunk_size=120, chunk_overlap=20)
    sections = [c.section for c in chunks]
    assert sections[0] == ""
    assert "一、数据安全 > 1.1 权限控制" in sections and "二、组织保障" in sections
    assert "一、数据安全" not in sections  # no chunk for a heading without text
    heading_lines = {line for line in text.splitlines() if line.startswith("#")}
    for c in chunks:
        body_lines = [line for line in c.text.splitlines() if line.strip() and line not in heading_lines]
        assert body_lines, f"orphan heading chunk: {c.text!r}"
    first_sub = next(c for c in chunks if c.section.endswith("1.1 权限控制"))
    assert first_sub.text.startswith("## 一、数据安全\n\n### 1.1 权限控制")
    for c in chunks:  # a chunk never crosses into another section
        assert c.text.count("## ") <= 2


def test_heading_stays_with_a_long_first_paragraph(tmp_path: Path) -> None:
    doc = _doc("## 二、预算\n\n预算充足。\n\n## 三、组织\n\n" + "".join(SENTENCES * 5), tmp_path=tmp_path)
    chunks = chunk_document(doc, chunk_size=100, chunk_overlap=0)
    first = next(c for c in chunks if c.section == "三、组织")
    assert first.text.startswith("## 三、组织\n\n企业")


def test_pdf_pages_are_kept_and_never_crossed() -> None:
    page1, page2 = "".join(SENTENCES), "".join(reversed(SENTENCES))
    text = page1 + "\n\n" + page2
    doc = LoadedDocument("r.pdf", "R", text, pages=[Page(0, 1), Page(len(page1) + 2, 4)])
    chunks = chunk_document(doc, chunk_size=400, chunk_overlap=60)
    assert [(c.page, c.text) for c in chunks] == [(1, page1), (4, page2)]


def test_ids_are_stable_unique_and_source_bound(tmp_path: Path) -> None:
    text = "第一段。\n\n" + "重复的段落内容。\n\n" * 3
    doc = _doc(text, tmp_path=tmp_path)
    first = chunk_document(doc, chunk_size=100, chunk_overlap=0)
    again = chunk_document(_doc(text, tmp_path=tmp_path), chunk_size=100, chunk_overlap=0)
    assert [c.chunk_id for c in first] == [c.chunk_id for c in again]
    small = chunk_document(doc, chunk_size=100, chunk_overlap=0)
    assert len({c.chunk_id for c in small}) == len(small)
    assert chunk_id("a.txt", "同样的文字") != chunk_id("b.txt", "同样的文字")
    assert chunk_id("a.txt", "同样的文字", 0) != chunk_id("a.txt", "同样的文字", 1)


def test_metadata_and_access_override(tmp_path: Path) -> None:
    doc = _doc("---\ntitle: 手册\naccess: [hr]\n---\n正文内容。", tmp_path=tmp_path)
    (chunk,) = chunk_document(doc, doc_hash="h1")
    assert (chunk.source, chunk.title, chunk.access, chunk.doc_hash, chunk.page) == (
        "doc.md",
        "手册",
        ["hr"],
        "h1",
        None,
    )
    (overridden,) = chunk_document(doc, access=["finance", "legal"])
    assert overridden.access == ["finance", "legal"]


def test_seed_corpus_chunks_are_sane() -> None:
    root = REPO / "knowledge"
    for path in sorted(root.glob("*.txt")):
        doc = load_document(path, root)
        chunks = chunk_document(doc, chunk_size=400, chunk_overlap=60)
        assert chunks, path.name
        assert max(len(c.text) for c in chunks) <= 400 + 80  # a glued heading may add a line
        assert all(doc.text[c.start : c.end] == c.text for c in chunks)
        assert len({c.chunk_id for c in chunks}) == len(chunks)


def test_an_article_and_its_items_stay_in_one_chunk(tmp_path: Path) -> None:
    """A regulation's lead-in ('…应当具备以下条件：') never lands in one chunk and its items in the next."""
    filler = "第{n}条 各单位应当按照本办法的规定，做好人工智能应用的日常管理和记录工作，并定期报告。\n\n"
    article = "第九条 人工智能应用正式上线应当具备以下条件：\n\n" + "".join(
        f"（{c}）第{c}项条件的内容说明，应当在上线评审时逐项核对并记录结果；\n\n" for c in "一二三四五"
    )
    text = "".join(filler.format(n=n) for n in "一二三四五六七八") + article + filler.format(n="十")
    chunks = chunk_document(_doc(text, tmp_path=tmp_path), chunk_size=400, chunk_overlap=60)
    holding = [c for c in chunks if "第九条" in c.text]
    assert len(holding) == 1 and "（五）第五项条件" in holding[0].text
    assert all(c.text.startswith("第") for c in chunks)  # every chunk opens an article
