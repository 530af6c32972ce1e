"""Ruled tables on PDF text pages become Markdown tables, through pdfplumber's table finder (MIT).

A text layer gives a table as one cell per line ("tab soup"): a row's cells lose each other and
their column names, and a chunk boundary can fall anywhere in the grid. pdfplumber finds the grid
from the drawn rules and the characters inside each cell. It reads a page through pdfminer, about
ten times slower than pypdf, so only pages that draw enough lines to hold a grid are looked at;
every other page keeps pypdf's text. Tables without rules (columns aligned by spaces only) are
left as the text layer gives them: guessing columns from whitespace splits ordinary prose.
"""

from __future__ import annotations

import logging
import re
import warnings
from pathlib import Path
from typing import Any

import pypdfium2.raw as pdfium_c

from store.documents.loaders.tables import markdown_tables

MIN_RULES = 4  # path objects a page must draw before its tables are looked for (a grid has more)
FOOTER_CHARS = 12  # text after a page's last table no longer than this is a footer, not prose
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef"
Row = list[str]
Box = tuple[float, float, float, float]
_CJK_BREAK = re.compile(rf"(?<=[{_CJK}])\s*\n\s*(?=[{_CJK}])")


def ruled_pages(pdfium: Any, indexes: list[int]) -> list[int]:
    """The pages among `indexes` that draw at least `MIN_RULES` lines or boxes (cheap, via pdfium)."""
    found: list[int] = []
    for index in indexes:
        try:
            paths = pdfium[index].get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=3)
            if sum(1 for _, _ in zip(range(MIN_RULES), paths, strict=False)) >= MIN_RULES:
                found.append(index)
        except Exception:  # a page pdfium cannot load keeps its text layer
            continue
    return found


def table_pages(path: Path, indexes: list[int]) -> dict[int, str]:
    """Page index -> the page's text with each table as Markdown blocks, for pages holding a table.

    Text outside the tables keeps its place: each table comes after the text above it and the
    text beside it. A table that runs on from the previous page (it opens the page with as many
    columns as the table that closed the page before) gets that table's header back. A page or a
    file pdfplumber cannot read keeps its text layer (nothing is lost).
    """
    if not indexes:
        return {}
    import pdfplumber  # imported here: a PDF without ruled pages never pays for pdfminer

    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    out: dict[int, str] = {}
    header: Row | None = None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            with pdfplumber.open(path, password="") as pdf:
                for index in indexes:
                    carried = header if index - 1 in out else None
                    text, header = _tables_of(pdf, index, carried)
                    if text:
                        out[index] = text
        except Exception:
            return out
    return out


def _tables_of(pdf: Any, index: int, carried: Row | None) -> tuple[str, Row | None]:
    """The page's text with its tables, and the header of a table that ends the page."""
    try:
        page = pdf.pages[index]
    except Exception:
        return "", None
    try:
        grids = [(t.bbox, rows) for t in page.find_tables() if _is_table(rows := _rows(t.extract()))]
        return _page_text(page, sorted(grids, key=lambda g: g[0][1]), carried) if grids else ("", None)
    except Exception:
        return "", None
    finally:
        page.close()  # drops the page's cached layout: a long report stays small in memory


def _rows(table: list[list[str | None]]) -> list[Row]:
    return [[_cell(c) for c in row] for row in table]


def _is_table(rows: list[Row]) -> bool:
    """A grid worth a Markdown table: two rows and two columns with text (not a frame or a chart)."""
    filled = [[c for c in row if c.strip()] for row in rows]
    return sum(1 for row in filled if row) >= 2 and max((len(row) for row in filled), default=0) >= 2


def _page_text(page: Any, grids: list[tuple[Box, list[Row]]], carried: Row | None) -> tuple[str, Row | None]:
    outside = page.filter(lambda obj: not any(_inside(obj, box) for box, _ in grids))
    edges = [float("-inf"), *(box[1] for box, _ in grids), float("inf")]
    bands = [_band(outside, edges[i], edges[i + 1]).strip() for i in range(len(edges) - 1)]
    first = grids[0][1]
    if carried and not bands[0] and len(first[0]) == len(carried) and first[0] != carried:
        grids[0] = (grids[0][0], [carried, *first])
    blocks = [bands[0]]
    for (_, rows), band in zip(grids, bands[1:], strict=True):
        blocks += [*markdown_tables(rows), band]
    ends_page = len(bands[-1]) <= FOOTER_CHARS  # nothing but a page number after the last table
    return "\n\n".join(b for b in blocks if b), grids[-1][1][0] if ends_page else None


def _band(page: Any, top: float, bottom: float) -> str:
    """Text whose characters' vertical middles lie in [top, bottom)."""
    band = page.filter(lambda obj: top <= (obj.get("top", 0) + obj.get("bottom", 0)) / 2 < bottom)
    return str(band.extract_text() or "")


def _inside(obj: dict[str, Any], bbox: Box) -> bool:
    if "x0" not in obj or "top" not in obj:
        return False
    x = (obj["x0"] + obj["x1"]) / 2
    y = (obj["top"] + obj["bottom"]) / 2
    return bbox[0] <= x <= bbox[2] and bbox[1] <= y <= bbox[3]


def _cell(value: str | None) -> str:
    """A cell's lines joined: without a space between Chinese characters, with one otherwise."""
    return _CJK_BREAK.sub("", value) if value else ""
