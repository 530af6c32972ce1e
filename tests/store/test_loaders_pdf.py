"""PDF pages decided one by one: text layer, glyph garbage, OCR modes, the second parser, time bounds."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from docfactory import CJK_FONT, cjk_font_path, pdf_bytes, text_image, write_mixed_pdf, write_table_pdf
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from settings import get_settings
from store.documents.chunking import chunk_document
from store.documents.loaders import LoadError, load_document
from store.documents.loaders.ocr import recognize
from store.documents.loaders.pdf import readable

needs_font = pytest.mark.skipif(
    cjk_font_path() is None, reason="no CJK font under /usr/share/fonts (apt-get install fonts-noto-cjk)"
)


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    get_settings.cache_clear()
    yield monkeypatch
    monkeypatch.undo()
    get_settings.cache_clear()


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("企业AI落地的权限控制。", True),
        ("Quarterly review", True),
        ("", False),
        ("  \n ", False),
        ("(cid:123)(cid:124)(cid:125)(cid:126)", False),
        ("/G21/G22/G23/G24/G25", False),
        ("\ue001\ue002\ue003\ue004", False),
        ("\ufffd\ufffd\ufffd\ufffd", False),
        (
            "第3页：企业部署人工智能的权限控制方案 (cid:12)",
            True,
        ),  # mostly text: one stray glyph id does not condemn the page
    ],
)
def test_readable_tells_text_from_glyph_garbage(text: str, ok: bool) -> None:
    assert readable(text) is ok


def test_pdfium_reads_what_pypdf_finds_no_pages_in(tmp_path: Path) -> None:
    data = pdf_bytes([["第一页：权限控制。"], ["第二页：审计日志。"]])
    broken = data.replace(b"/Type /Pages", b"/Type /Pagex", 1)  # pypdf sees an empty page tree
    path = tmp_path / "broken-tree.pdf"
    path.write_bytes(broken)
    doc = load_document(path, tmp_path)
    assert "权限控制" in doc.text and "审计日志" in doc.text
    assert [p.number for p in doc.pages] == [1, 2] and doc.page_count == 2 and doc.ocr_pages == []


@needs_font
def test_ocr_off_keeps_the_text_pages_and_drops_the_scanned_one(
    tmp_path: Path, env: pytest.MonkeyPatch
) -> None:
    env.setenv("ADVISOR_OCR", "off")
    path = write_mixed_pdf(
        tmp_path / "mixed.pdf",
        [("text", ["第一页：正文。"]), ("scan", ["扫描的第二页。"]), ("text", ["第三页：结尾。"])],
    )
    doc = load_document(path, tmp_path)
    assert [p.number for p in doc.pages] == [1, 3] and doc.ocr_pages == [] and "扫描" not in doc.text
    garbage = write_mixed_pdf(tmp_path / "garbage.pdf", [("garbage", ["乱码页。"])])
    with pytest.raises(LoadError, match=r"glyph garbage in the text layer .*ADVISOR_OCR=off"):
        load_document(garbage, tmp_path)
    image = tmp_path / "scan.png"
    text_image(["图片。"]).save(image)
    with pytest.raises(LoadError, match=r"image files need OCR, which is off \(ADVISOR_OCR=off\)"):
        load_document(image, tmp_path)


@needs_font
def test_force_reads_the_image_even_where_a_text_layer_exists(
    tmp_path: Path, env: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "stamped.pdf"
    pdf = canvas.Canvas(str(path))
    pdf.setFont(CJK_FONT, 11)
    pdf.drawString(50, 800, "文字层：季度经营分析。")
    pdf.drawImage(ImageReader(text_image(["盖章页：总经理已审批通过。"])), 50, 500, width=500, height=120)
    pdf.showPage()
    pdf.save()
    assert "总经理" not in load_document(path, tmp_path).text  # auto: a readable layer is trusted
    env.setenv("ADVISOR_OCR", "force")
    get_settings.cache_clear()
    doc = load_document(path, tmp_path)
    assert "总经理已审批通过" in doc.text and doc.ocr_pages == [1]


@needs_font
def test_ocr_stops_at_the_page_deadline_and_says_so() -> None:
    image = text_image([f"第{i}行：超时测试的文字内容。" for i in range(30)])
    found = recognize(image, timeout_s=0)
    assert found.complete is False and found.text == ""


@needs_font
def test_a_scan_with_a_typed_page_number_is_still_ocrd(tmp_path: Path) -> None:
    path = tmp_path / "numbered-scan.pdf"
    pdf = canvas.Canvas(str(path))
    pdf.setFont(CJK_FONT, 9)
    pdf.drawString(280, 20, "第 1 页")
    scan = text_image(["扫描正文：设备采购须经三家比价。"] + ["（以下空白）"] * 11)
    pdf.drawImage(ImageReader(scan), 40, 360, width=520, height=520 * scan.height / scan.width)
    pdf.showPage()
    pdf.save()
    doc = load_document(path, tmp_path)
    assert "设备采购须经三家比价" in doc.text and doc.ocr_pages == [1]


@needs_font
def test_a_page_out_of_time_keeps_what_was_read_and_the_report_says_so(
    tmp_path: Path, env: pytest.MonkeyPatch
) -> None:
    from store.documents import prepare
    from store.documents.loaders import ocr
    from store.index.embedders import HashingEmbedder
    from store.index.lexical import TokenCache

    ticks = iter(range(100))  # a clock that advances one second per look: the deadline passes after one batch
    env.setattr(ocr, "monotonic", lambda: float(next(ticks)))
    env.setattr(ocr, "BATCH", 1)
    env.setenv("ADVISOR_OCR_PAGE_TIMEOUT_S", "1.5")
    get_settings.cache_clear()
    image = tmp_path / "minutes.png"
    text_image(["第一行：会议纪要。", "第二行：预算通过。", "第三行：下周复核。"]).save(image)
    job = prepare.Job(image, "minutes.png", "hash", "added", image.stat().st_size)
    recipe = prepare.Recipe(access=None, chunk_size=400, chunk_overlap=60, max_file_mb=50)
    outcome = prepare.prepare_job(job, recipe, HashingEmbedder(64), TokenCache(tmp_path / "tokens"))
    assert isinstance(outcome, tuple), outcome
    result, doc = outcome
    assert result.warning == "OCR ran out of time on page(s) 1; kept what it read"
    assert "第一行" in doc.chunks[0].text and "第三行" not in doc.chunks[0].text


REPORT_TABLE = [
    ["机构", "模型", "基本情况"],
    ["深度求索", "DeepSeek-R1-Lite", "数学与代码推理媲美同类预览模型"],
    ["月之暗面", "k0-math", "主打数学推理能力，对标同类推理模型"],
]


def test_a_ruled_pdf_table_becomes_a_markdown_table_between_its_paragraphs(tmp_path: Path) -> None:
    path = write_table_pdf(
        tmp_path / "report.pdf", "表格之前：推理模型进展如下。", REPORT_TABLE, "表格之后：结论。"
    )
    doc = load_document(path, tmp_path)
    head = "| 机构 | 模型 | 基本情况 |\n| --- | --- | --- |"
    assert doc.text == (
        f"表格之前：推理模型进展如下。\n\n{head}\n"
        "| 深度求索 | DeepSeek-R1-Lite | 数学与代码推理媲美同类预览模型 |\n"
        "| 月之暗面 | k0-math | 主打数学推理能力，对标同类推理模型 |\n\n表格之后：结论。"
    )
    assert doc.title == "report"  # reportlab's "(anonymous)" info title is no title


def test_a_long_pdf_table_is_chunked_with_its_header_in_every_chunk(tmp_path: Path) -> None:
    rows = REPORT_TABLE[:1] + [[f"第{i}家机构", f"模型{i}", f"第{i}行的基本情况说明文字"] for i in range(40)]
    doc = load_document(write_table_pdf(tmp_path / "long.pdf", "前言。", rows, "结语。"), tmp_path)
    chunks = [c for c in chunk_document(doc) if "行的基本情况" in c.text]
    assert len(chunks) > 2
    # Every chunk holding rows holds the header, also on page 2, where the table runs on.
    assert {c.page for c in chunks} == {1, 2}
    assert all("| 机构 | 模型 | 基本情况 |\n| --- | --- | --- |\n| 第" in c.text for c in chunks), chunks
    assert all(f"| 第{i}家机构 | 模型{i} |" in doc.text for i in range(40))


def test_a_page_without_rules_keeps_its_text_layer_untouched(tmp_path: Path) -> None:
    path = tmp_path / "plain.pdf"
    path.write_bytes(pdf_bytes([["机构 模型 基本情况", "深度求索 DeepSeek 推理"]]))
    assert load_document(path, tmp_path).text == "机构 模型 基本情况\n深度求索 DeepSeek 推理"
