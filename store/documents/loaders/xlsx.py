"""Spreadsheets (.xlsx through openpyxl, .csv): one section per sheet, rows as small header-aware
Markdown tables, so a chunk never separates a row from its column names."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from store.documents.loaders.archive import check_zip
from store.documents.loaders.base import LoadedDocument, LoadError, TextBuilder, assemble
from store.documents.loaders.tables import markdown_tables
from store.documents.loaders.text import decode_text
from store.records import PUBLIC


def load_xlsx(path: Path, source: str) -> LoadedDocument:
    check_zip(path, ".xlsx")
    out = TextBuilder()
    try:
        # read_only streams rows; data_only gives the values Excel last computed instead of formulas.
        book = load_workbook(path, read_only=True, data_only=True)
        try:
            title = (book.properties.title or "").strip()
            for sheet in book.worksheets:
                if not hasattr(sheet, "iter_rows"):
                    continue  # a chart sheet
                # A declared range can claim a million empty rows; read only the rows the file holds.
                sheet.reset_dimensions()
                blocks = markdown_tables(sheet.iter_rows(values_only=True))
                if blocks:
                    out.heading(sheet.title, 1)
                    for block in blocks:
                        out.add(block)
        finally:
            book.close()
    except LoadError:
        raise
    except Exception:
        raise LoadError("corrupt or unreadable .xlsx") from None
    meta: dict[str, Any] = {"access": [PUBLIC], "title": title or Path(source).stem}
    doc = assemble(source, out.text, out.headings, meta, explicit_title=False)
    doc.format = "xlsx"
    return doc


def load_csv(data: bytes, source: str) -> LoadedDocument:
    text = decode_text(data)
    try:
        dialect: Any = csv.Sniffer().sniff(text[:8192], delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    try:
        rows = list(csv.reader(text.splitlines(), dialect))
    except csv.Error as err:
        raise LoadError(f"malformed CSV ({err})") from None
    out = TextBuilder()
    for block in markdown_tables(rows):
        out.add(block)
    meta: dict[str, Any] = {"access": [PUBLIC], "title": Path(source).stem}
    doc = assemble(source, out.text, [], meta, explicit_title=False)
    doc.format = "csv"
    return doc
