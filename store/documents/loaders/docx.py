"""Word (.docx): heading styles become sections, tables become header-aware Markdown tables."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import docx
from docx.table import Table

from store.documents.loaders.archive import check_zip
from store.documents.loaders.base import LoadedDocument, LoadError, TextBuilder, assemble
from store.documents.loaders.tables import markdown_tables
from store.records import PUBLIC

_HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*(\d)$", re.IGNORECASE)


def load_docx(path: Path, source: str) -> LoadedDocument:
    check_zip(path, ".docx")
    try:
        document = docx.Document(str(path))
        blocks = list(document.iter_inner_content())
        core_title = (document.core_properties.title or "").strip()
    except Exception:
        raise LoadError("corrupt or unreadable .docx") from None
    out = TextBuilder()
    for block in blocks:
        if isinstance(block, Table):
            for table in markdown_tables(_rows(block)):
                out.add(table)
            continue
        line = block.text.strip()
        style = block.style.name if block.style is not None else ""
        level = 0 if style == "Title" else _heading_level(style)
        if level is not None:
            out.heading(line, level)
        else:
            out.add(line)
    meta: dict[str, Any] = {"access": [PUBLIC]}
    if core_title:
        meta["title"] = core_title
    doc = assemble(source, out.text, out.headings, meta, explicit_title=True)
    doc.format = "docx"
    return doc


def _rows(table: Any) -> list[list[str]]:
    """Cell texts per row; a merged cell (the same cell object repeated) counts once."""
    rows: list[list[str]] = []
    for row in table.rows:
        cells: list[str] = []
        last: object = None
        for cell in row.cells:
            if cell._tc is not last:
                cells.append(cell.text)
            last = cell._tc
        rows.append(cells)
    return rows


def _heading_level(style: str) -> int | None:
    match = _HEADING_STYLE.match(style.strip())
    return int(match.group(1)) if match else None
