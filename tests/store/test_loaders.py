"""Loaders on real files: every format, every encoding we promise, and every refusal reason."""

from __future__ import annotations

import logging
import os
import warnings
from pathlib import Path

import pytest
from docfactory import pdf_bytes, write_docx, write_encrypted_pdf, write_image_only_pdf, write_pdf

from settings import get_settings
from store.documents.loaders import LoadError, decode_text, load_document, parse_access

REPO = Path(__file__).resolve().parents[2]
ZH = "企业部署人工智能时，必须做好权限控制与数据加密。审计日志需要保留六个月！"


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def test_seed_file_front_matter_title_and_sections() -> None:
    root = REPO / "knowledge"
    doc = load_document(root / "001_70669e957af3f43b.txt", root)
    assert doc.source == "001_70669e957af3f43b.txt"
    assert doc.title == "AI落地的前景与困境：企业如何继续前行？"  # first heading: no title in front matter
    assert doc.metadata["keywords"].startswith("人工智能")
    assert doc.metadata["description"]
    assert doc.access == ["public"]
    assert not doc.text.startswith("---")  # front matter is metadata, not content
    paths = [s.path for s in doc.sections]
    assert "一、市场需求强烈，AI应用领域广泛 > 1.1 消费零售的智能化" in paths
    assert all("AI落地的前景与困境" not in p for p in paths)  # the title heading is not a section


def test_front_matter_title_access_and_nested_source(tmp_path: Path) -> None:
    body = (
        "---\ntitle: 数据治理手册\naccess: hr, finance\nkeywords: [治理, 合规]\n---\n# 另一个标题\n\n正文。\n"
    )
    path = _write(tmp_path, "sub/dir/handbook.md", body.encode())
    doc = load_document(path, tmp_path)
    assert doc.source == "sub/dir/handbook.md"
    assert doc.title == "数据治理手册"
    assert doc.access == ["hr", "finance"]
    assert doc.metadata["keywords"] == "治理, 合规"


@pytest.mark.parametrize(
    ("value", "groups"), [(["a", " b "], ["a", "b"]), ("", ["public"]), (None, ["public"])]
)
def test_parse_access(value: object, groups: list[str]) -> None:
    assert parse_access(value) == groups


def test_title_falls_back_to_file_name(tmp_path: Path) -> None:
    doc = load_document(_write(tmp_path, "plain-notes.txt", ZH.encode()), tmp_path)
    assert doc.title == "plain-notes"


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8-sig", "utf-16", "utf-16-le"])
def test_encodings_are_detected(tmp_path: Path, encoding: str) -> None:
    text = f"# 安全规范\n\n{ZH}\n\n第二段：模型上线前需要经过合规审核。"
    doc = load_document(_write(tmp_path, f"{encoding}.txt", text.encode(encoding)), tmp_path)
    assert ZH in doc.text
    assert doc.title == "安全规范"
    assert not doc.text.startswith("\ufeff")


def test_gb18030_only_characters(tmp_path: Path) -> None:
    text = "罕见字𠀀与常用字混排的段落。" + ZH * 3
    doc = load_document(_write(tmp_path, "rare.txt", text.encode("gb18030")), tmp_path)
    assert "𠀀" in doc.text


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.md", b"  \n\n\t \n", "empty file"),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + os.urandom(2048), "binary file"),
        ("program.md", b"\x7fELF\x02\x01\x01\x00" + bytes(300) + b"abc" * 40, "binary file"),
        ("slides.key", b"PK\x03\x04whatever", "unsupported file type '.key'"),
        ("sheet.xlsx", b"PK\x03\x04whatever", "corrupt or unreadable .xlsx"),
        ("broken-front.md", b"---\ntitle: [unclosed\n---\nbody", "invalid YAML front matter"),
        ("only-front.md", b"---\ntitle: x\n---\n\n", "no text content"),
    ],
)
def test_bad_text_files_get_one_clear_reason(tmp_path: Path, name: str, data: bytes, reason: str) -> None:
    with pytest.raises(LoadError, match=reason.replace("[", r"\[").replace(".", r"\.")):
        load_document(_write(tmp_path, name, data), tmp_path)


def test_file_over_size_limit_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, "big.txt", ZH.encode() * 20_000)  # ~2.1 MB
    with pytest.raises(LoadError, match=r"file too large \(2\.\d MB > limit 1 MB\)"):
        load_document(path, tmp_path, max_file_mb=1)


@pytest.mark.parametrize(
    "data",
    [
        "正文：报销须附发票。".encode() + b"\xed\xa0\x80",  # an encoded surrogate: invalid UTF-8
        "正文：报销须附发票。".encode()[:-1],  # a file cut inside its last character
        b"\xff\xfe" + "正文：报销须附发票。".encode("utf-16-le") + b"\x00\xd8",  # a lone UTF-16 surrogate
    ],
)
def test_a_few_damaged_bytes_are_replaced_not_the_whole_file_refused(data: bytes) -> None:
    text = decode_text(data)
    assert text.startswith("正文：报销须附发票") and 1 <= text.count("\ufffd") <= 3


def test_mostly_undecodable_utf16_is_still_refused() -> None:
    with pytest.raises(LoadError, match=r"undecodable text \(bad utf-16\)"):
        decode_text(b"\xff\xfe" + b"\x00\xd8" * 50)


def test_decode_rejects_control_garbage() -> None:
    with pytest.raises(LoadError, match="binary"):
        decode_text(bytes(range(1, 32)) * 50)


def test_chinese_pdf_keeps_text_and_page_numbers(tmp_path: Path) -> None:
    pages = [["第一页：企业AI落地的权限控制。"], [], ["第三页：数据加密与审计日志！"]]
    path = write_pdf(tmp_path / "report.pdf", pages, title="AI安全白皮书")
    doc = load_document(path, tmp_path)
    assert doc.title == "AI安全白皮书"
    assert "企业AI落地的权限控制" in doc.text and "数据加密与审计日志" in doc.text
    assert [p.number for p in doc.pages] == [1, 3]  # the blank page 2 holds no text
    third = doc.text.index("第三页")
    assert doc.pages[1].start <= third and doc.pages[0].start <= doc.text.index("第一页") < doc.pages[1].start
    assert doc.metadata["pages"] == 3


def test_pdf_without_title_uses_file_name(tmp_path: Path) -> None:
    doc = load_document(write_pdf(tmp_path / "q3-review.pdf", [["季度复盘。"]]), tmp_path)
    assert doc.title == "q3-review"  # reportlab's default "untitled" is ignored


def test_encrypted_pdf_with_password_is_refused(tmp_path: Path) -> None:
    path = write_encrypted_pdf(tmp_path / "locked.pdf", [["机密内容。"]], user_password="s3cret")
    with pytest.raises(LoadError, match="encrypted PDF"):
        load_document(path, tmp_path)


def test_encrypted_pdf_with_empty_user_password_opens(tmp_path: Path) -> None:
    path = write_encrypted_pdf(tmp_path / "owner-only.pdf", [["只限制编辑的文档。"]], user_password="")
    assert "只限制编辑的文档" in load_document(path, tmp_path).text


@pytest.mark.parametrize(
    "data",
    [pdf_bytes([["截断的文件。"]])[:400], b"%PDF-1.7\n" + os.urandom(4000), b"not a pdf at all"],
    ids=["truncated", "garbage", "not-pdf"],
)
def test_corrupt_pdf_is_refused(tmp_path: Path, data: bytes) -> None:
    with pytest.raises(LoadError, match="corrupt"):
        load_document(_write(tmp_path, "bad.pdf", data), tmp_path)


def test_image_only_pdf_is_refused_when_ocr_is_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ADVISOR_OCR", "off")
    get_settings.cache_clear()
    with pytest.raises(LoadError, match=r"no text layer .*ADVISOR_OCR=off"):
        load_document(write_image_only_pdf(tmp_path / "scan.pdf"), tmp_path)


def test_damaged_pdf_loads_without_library_warnings(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    good = pdf_bytes([["交叉引用表损坏但可恢复。"]])
    damaged = good.replace(b"startxref\n", b"startxref\n9").replace(b"xref", b"xreX", 1)
    path = _write(tmp_path, "damaged.pdf", damaged)
    caplog.set_level(logging.DEBUG)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        doc = load_document(path, tmp_path)
    assert "交叉引用表损坏但可恢复" in doc.text
    assert [r for r in caplog.records if r.name.startswith("pypdf")] == []
    assert caught == []


def test_docx_headings_become_section_paths(tmp_path: Path) -> None:
    path = write_docx(
        tmp_path / "plan.docx",
        [
            ("Title", "AI落地实施方案"),
            ("", "本方案说明企业如何分阶段落地AI。"),
            ("Heading 1", "一、数据安全"),
            ("Heading 2", "1.1 权限控制"),
            ("", "按角色最小授权，所有访问写入审计日志。"),
            ("table", "措施|负责人"),
            ("Heading 1", "二、组织保障"),
            ("", "成立AI委员会。"),
        ],
    )
    doc = load_document(path, tmp_path)
    assert doc.title == "AI落地实施方案"
    assert [s.path for s in doc.sections if s.path] == [
        "一、数据安全",
        "一、数据安全 > 1.1 权限控制",
        "二、组织保障",
    ]
    assert "按角色最小授权" in doc.text and "措施 | 负责人" in doc.text
    section = next(s for s in doc.sections if s.path.endswith("权限控制"))
    assert doc.text[section.start : section.body_start].strip() == "## 1.1 权限控制"


def test_docx_core_title_wins_over_headings(tmp_path: Path) -> None:
    path = write_docx(tmp_path / "x.docx", [("Heading 1", "章节"), ("", "内容。")], core_title="正式标题")
    assert load_document(path, tmp_path).title == "正式标题"


def test_corrupt_docx_is_refused(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match=r"corrupt or unreadable \.docx"):
        load_document(_write(tmp_path, "broken.docx", b"PK\x03\x04" + os.urandom(500)), tmp_path)


def test_cover_lines_become_the_title_when_there_is_no_heading(tmp_path: Path) -> None:
    doc = tmp_path / "report.txt"
    doc.write_text(
        "\n\n2025年\n\nAI产业发展十大趋势\n\n易观分析\n\n正文第一段，说明趋势。\n", encoding="utf-8"
    )
    assert load_document(doc, tmp_path).title == "2025年AI产业发展十大趋势"


def test_prose_opening_does_not_become_the_title(tmp_path: Path) -> None:
    doc = tmp_path / "notes.txt"
    doc.write_text("企业落地AI需要先梳理数据。\n\n第二段。\n", encoding="utf-8")
    assert load_document(doc, tmp_path).title == "notes"
