"""Loaders for slides, spreadsheets, web pages and tables, and the bounds on files built to expand."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from docfactory import (
    write_docx,
    write_many_member_docx,
    write_pptx,
    write_xlsx,
    write_zip_bomb_docx,
    yaml_alias_bomb,
)

from settings import get_settings
from store.documents.chunking import chunk_document
from store.documents.loaders import LoadError, load_document
from store.documents.loaders.tables import markdown_tables

INTRANET_PAGE = """<!doctype html><html><head><meta charset="utf-8">
<title>数据安全制度 - 内网门户</title></head>
<body><nav><ul><li><a href="/">首页</a></li><li><a href="/news">新闻中心导航</a></li>
<li><a href="/hr">人力资源菜单</a></li></ul></nav>
<header><div class="menu">登录 | 注册 | 网站地图</div></header>
<main><article><h1>数据安全管理制度</h1>
<p>第一条：所有员工访问客户数据前必须经过审批，并记录在审计日志中，保留至少六个月。</p>
<h2>二、模型上线</h2>
<p>模型上线前必须经过红队测试和合规审核，未经审核不得对外提供服务，违者追究部门负责人的责任。</p>
</article></main>
<footer>版权所有 © 2025 某集团 | 联系我们 | 隐私政策</footer></body></html>"""


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """Set ADVISOR_* variables for one test; the cached settings follow them and are reset after."""
    get_settings.cache_clear()
    yield monkeypatch
    monkeypatch.undo()
    get_settings.cache_clear()


def test_pptx_slides_are_pages_titles_are_sections_notes_and_tables_kept(tmp_path: Path) -> None:
    path = write_pptx(
        tmp_path / "deck.pptx",
        [
            {"title": "AI路线图", "body": ["第一阶段：试点客服机器人"], "notes": "预算审批在第二季度完成。"},
            {
                "title": "成本测算",
                "table": [["项目", "金额"], ["GPU租赁", "120万元"], ["标注外包", "35万元"]],
            },
        ],
    )
    doc = load_document(path, tmp_path)
    assert (doc.format, doc.page_count, doc.title) == ("pptx", 2, "AI路线图")
    chunks = chunk_document(doc)
    notes = next(c for c in chunks if "预算审批在第二季度完成" in c.text)
    assert (notes.page, notes.section) == (1, "AI路线图")
    table = next(c for c in chunks if "标注外包" in c.text)
    assert (table.page, table.section) == (2, "成本测算")
    assert "| 项目 | 金额 |\n| --- | --- |" in table.text and "| 标注外包 | 35万元 |" in table.text


def test_xlsx_sheets_are_sections_and_every_chunk_keeps_its_header(tmp_path: Path) -> None:
    rows: list[list[object]] = [["部门", "年度预算（万元）", "用途"]]
    rows += [[f"第{i}事业部", 100 + i, f"第{i}批模型训练与数据标注"] for i in range(60)]
    path = write_xlsx(
        tmp_path / "budget.xlsx", {"预算": rows, "人员": [["岗位", "人数"], ["算法工程师", 12]]}
    )
    doc = load_document(path, tmp_path)
    assert doc.format == "xlsx" and [s.path for s in doc.sections] == ["预算", "人员"]
    chunks = chunk_document(doc, chunk_size=400, chunk_overlap=60)
    budget = [c for c in chunks if c.section == "预算"]
    assert len(budget) > 3  # the sheet is longer than one chunk
    for chunk in budget:
        body = chunk.text.removeprefix("# 预算").strip()
        assert body.startswith("| 部门 | 年度预算（万元） | 用途 |"), chunk.text
        assert all(line.startswith("|") and line.endswith("|") for line in body.splitlines())
    assert any("| 第59事业部 | 159 | 第59批模型训练与数据标注 |" in c.text for c in budget)
    assert next(c for c in chunks if "算法工程师" in c.text).section == "人员"


def test_csv_rows_become_a_markdown_table(tmp_path: Path) -> None:
    path = tmp_path / "kpi.csv"
    path.write_text("指标;目标\n客服响应时间;30秒\n", encoding="gbk")
    doc = load_document(path, tmp_path)
    assert doc.format == "csv" and "| 指标 | 目标 |\n| --- | --- |\n| 客服响应时间 | 30秒 |" in doc.text


def test_html_keeps_the_article_and_drops_navigation(tmp_path: Path) -> None:
    path = tmp_path / "policy.html"
    path.write_text(INTRANET_PAGE, encoding="utf-8")
    doc = load_document(path, tmp_path)
    assert doc.format == "html" and doc.title.startswith("数据安全")
    assert "红队测试" in doc.text and "审计日志" in doc.text
    for chrome in ("新闻中心导航", "人力资源菜单", "网站地图", "隐私政策"):
        assert chrome not in doc.text
    assert any(s.path.endswith("二、模型上线") for s in doc.sections)


def test_docx_tables_are_markdown_with_the_header_repeated(tmp_path: Path) -> None:
    blocks = [("Heading 1", "一、分工"), ("table", "措施|负责人")]
    blocks += [("table-row", f"第{i}项安全措施的详细说明|信息安全部第{i}组") for i in range(12)]
    doc = load_document(_docx_with_table(tmp_path / "plan.docx", blocks), tmp_path)
    tables = [b for b in doc.text.split("\n\n") if b.startswith("|")]
    assert len(tables) > 1
    assert all(t.startswith("| 措施 | 负责人 |\n| --- | --- |\n") for t in tables)
    assert "| 第11项安全措施的详细说明 | 信息安全部第11组 |" in doc.text


def _docx_with_table(path: Path, blocks: list[tuple[str, str]]) -> Path:
    import docx

    document = docx.Document()
    table = None
    for style, text in blocks:
        if style.startswith("Heading"):
            document.add_heading(text, level=int(style.split()[1]))
            continue
        cells = text.split("|")
        if table is None:
            table = document.add_table(rows=0, cols=len(cells))
        for cell, value in zip(table.add_row().cells, cells, strict=True):
            cell.text = value
    document.save(str(path))
    return path


def test_markdown_tables_escape_pipes_and_skip_empty_columns() -> None:
    assert markdown_tables([["a", None, "b|c"], [1.0, None, "x"]]) == [
        "| a | b\\|c |\n| --- | --- |\n| 1 | x |"
    ]


def test_zip_bomb_docx_is_refused_before_it_is_inflated(tmp_path: Path) -> None:
    path = write_zip_bomb_docx(tmp_path / "bomb.docx", zeros_mb=40)
    with pytest.raises(LoadError, match=r"\.docx expands too much \(41 MB from \d+ KB, \d+x > 100x\)"):
        load_document(path, tmp_path)


def test_unzipped_size_limit_applies_to_every_zip_format(tmp_path: Path, env: pytest.MonkeyPatch) -> None:
    env.setenv("ADVISOR_MAX_UNZIPPED_MB", "0.01")
    files = [
        write_docx(tmp_path / "a.docx", [("", "正文。")]),
        write_pptx(tmp_path / "b.pptx", [{"title": "标题"}]),
        write_xlsx(tmp_path / "c.xlsx", {"表": [["a", "b"]]}),
    ]
    for path in files:
        with pytest.raises(
            LoadError, match=rf"{path.suffix} expands too much \(\d+ MB unzipped > limit 0.01 MB\)"
        ):
            load_document(path, tmp_path)


def test_docx_with_too_many_members_is_refused(tmp_path: Path) -> None:
    path = write_many_member_docx(tmp_path / "many.docx", 6000)
    with pytest.raises(LoadError, match=r"too many parts \(6,0\d\d zip members > limit 5,000\)"):
        load_document(path, tmp_path)


def test_yaml_alias_bomb_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bomb.md"
    path.write_text(yaml_alias_bomb(), encoding="utf-8")
    assert path.stat().st_size < 600
    with pytest.raises(LoadError, match="YAML aliases are not allowed in front matter"):
        load_document(path, tmp_path)


def test_front_matter_size_and_title_length_are_bounded(tmp_path: Path) -> None:
    big = tmp_path / "big.md"
    big.write_text("---\nnotes: " + "长" * 20_000 + "\n---\n正文。\n", encoding="utf-8")
    with pytest.raises(LoadError, match=r"front matter too large \(20,\d+ > 16,384 characters\)"):
        load_document(big, tmp_path)
    long = tmp_path / "long.md"
    long.write_text("---\ntitle: " + "题" * 1000 + "\n---\n正文。\n", encoding="utf-8")
    title = load_document(long, tmp_path).title
    assert len(title) == 200 and title.endswith("…")


def test_text_ingest_never_loads_ocr_or_office_libraries(tmp_path: Path) -> None:
    """OCR costs ~1 s and ~200 MB per process to load: plain text must not pay for it."""
    note = tmp_path / "note.md"
    note.write_text("# 标题\n\n正文。\n", encoding="utf-8")
    code = (
        "import sys; from pathlib import Path; from store.documents.loaders import load_document; "
        f"load_document(Path({str(note)!r}), Path({str(tmp_path)!r})); "
        "print(sorted(m for m in ('rapidocr_onnxruntime', 'onnxruntime', 'cv2', 'pypdfium2', 'pptx', "
        "'openpyxl', 'trafilatura') if m in sys.modules))"
    )
    repo = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-c", code], cwd=repo, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
