"""Legacy Office files (.doc, .xls, .ppt): real files made by LibreOffice itself, converted back and
read; without LibreOffice on PATH they are refused with the remedy."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from docfactory import write_pptx, write_xlsx

from store.documents.chunking import chunk_document
from store.documents.loaders import LoadError, load_document

SOFFICE = shutil.which("soffice")
needs_soffice = pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice is not installed (apt-get install libreoffice-writer-nogui …)"
)


def _legacy(modern: Path, suffix: str, export_filter: str = "") -> Path:
    """`modern` saved by LibreOffice in the legacy binary format (Word 97, Excel 97, PowerPoint 97)."""
    assert SOFFICE is not None
    out = modern.parent / "legacy"
    profile = (modern.parent / "profile").as_uri()
    target = suffix[1:] + (f":{export_filter}" if export_filter else "")
    command = [SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to", target]
    subprocess.run(
        [*command, "--outdir", str(out), str(modern)], capture_output=True, timeout=180, check=True
    )
    legacy = out / f"{modern.stem}{suffix}"
    assert legacy.read_bytes()[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an OLE2 compound file
    return legacy


POLICY_PAGE = """<html><head><meta charset="utf-8"></head><body>
<h1>总则</h1><p>本制度适用于集团采购。</p><h1>审批</h1><p>超过五十万元的采购需要三级签字。</p>
<table border="1"><tr><td>级别</td><td>审批人</td></tr><tr><td>一级</td><td>部门经理</td></tr></table>
</body></html>"""


@needs_soffice
def test_a_real_doc_is_converted_and_keeps_headings_and_tables(tmp_path: Path) -> None:
    # Written as HTML: LibreOffice 7.4 drops python-docx's tables when it saves Word 97, not Word's own.
    page = tmp_path / "policy.html"
    page.write_text(POLICY_PAGE, encoding="utf-8")
    legacy = _legacy(page, ".doc", "MS Word 97")
    doc = load_document(legacy, legacy.parent)
    assert (doc.format, doc.source) == ("doc", "policy.doc")
    chunk = next(c for c in chunk_document(doc) if "三级签字" in c.text)
    assert chunk.section == "审批" and "| 级别 | 审批人 |\n| --- | --- |\n| 一级 | 部门经理 |" in doc.text


@needs_soffice
def test_a_real_xls_keeps_its_sheets_as_sections(tmp_path: Path) -> None:
    sheets: dict[str, list[list[object]]] = {"研发": [["项目", "预算"], ["大模型微调", "八十万元"]]}
    sheets["运营"] = [["项目", "预算"], ["知识库运维", "十五万元"]]
    legacy = _legacy(write_xlsx(tmp_path / "budget.xlsx", sheets), ".xls")
    doc = load_document(legacy, legacy.parent)
    chunk = next(c for c in chunk_document(doc) if "知识库运维" in c.text)
    assert doc.format == "xls" and chunk.section == "运营" and "| 项目 | 预算 |" in chunk.text


@needs_soffice
def test_a_real_ppt_keeps_slide_numbers_and_notes(tmp_path: Path) -> None:
    slides: list[dict[str, object]] = [{"title": "背景", "body": ["人力成本上升。"]}]
    slides.append({"title": "投入测算", "body": ["算力租赁一百二十万元。"], "notes": "采购需法务会签。"})
    legacy = _legacy(write_pptx(tmp_path / "deck.pptx", slides), ".ppt")
    doc = load_document(legacy, legacy.parent)
    chunk = next(c for c in chunk_document(doc) if "算力租赁" in c.text)
    assert (doc.format, doc.page_count, chunk.page) == ("ppt", 2, 2) and "法务会签" in doc.text


@pytest.mark.parametrize("suffix", [".doc", ".ppt", ".xls"])
def test_legacy_office_without_libreoffice_is_refused_with_the_remedy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suffix: str
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))  # soffice, if installed, is out of sight
    path = tmp_path / f"old{suffix}"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1024))
    with pytest.raises(LoadError, match=rf"legacy \{suffix} needs LibreOffice to convert"):
        load_document(path, tmp_path)


@needs_soffice
def test_a_corrupt_doc_is_refused_with_a_reason(tmp_path: Path) -> None:
    path = tmp_path / "broken.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00garbage" * 64)
    # Without the forced Word 97 filter LibreOffice imports it as UTF-16 text: pages of mojibake.
    with pytest.raises(LoadError, match=r"^LibreOffice could not convert this \.doc file"):
        load_document(path, tmp_path)


@needs_soffice
def test_a_file_that_is_no_office_file_at_all_is_refused_before_conversion(tmp_path: Path) -> None:
    path = tmp_path / "renamed.xls"
    path.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(LoadError, match=r"^not a legacy Office file \(no \.xls header\)$"):
        load_document(path, tmp_path)
