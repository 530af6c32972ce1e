"""PowerPoint (.pptx): one page per slide (the citation's page is the slide number), the slide
title as its section, then body text, tables as Markdown and the speaker notes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pptx import Presentation

from store.documents.loaders.archive import check_zip
from store.documents.loaders.base import LoadedDocument, LoadError, TextBuilder, assemble
from store.documents.loaders.tables import markdown_tables
from store.records import PUBLIC

NOTES_LABEL = "备注："


def load_pptx(path: Path, source: str) -> LoadedDocument:
    check_zip(path, ".pptx")
    try:
        deck = Presentation(str(path))
        slides = list(deck.slides)
        core_title = (deck.core_properties.title or "").strip()
        out = TextBuilder()
        titles = [_slide(out, number, slide) for number, slide in enumerate(slides, start=1)]
    except LoadError:
        raise
    except Exception:
        raise LoadError("corrupt or unreadable .pptx") from None
    title = core_title or next(filter(None, titles), Path(source).stem)
    meta: dict[str, Any] = {"access": [PUBLIC], "title": title}
    doc = assemble(source, out.text, out.headings, meta, explicit_title=False, pages=out.pages)
    doc.format, doc.page_count = "pptx", len(slides)
    return doc


def _slide(out: TextBuilder, number: int, slide: Any) -> str:
    """Add one slide; returns its title ("" when it has none)."""
    out.page(number)
    title_shape = slide.shapes.title
    title = title_shape.text_frame.text.strip() if title_shape is not None else ""
    out.heading(title or f"幻灯片 {number}", 1)
    for shape in _shapes(slide.shapes):
        if title_shape is not None and shape.shape_id == title_shape.shape_id:
            continue
        if getattr(shape, "has_table", False) and shape.has_table:
            rows = [[cell.text for cell in row.cells] for row in shape.table.rows]
            for table in markdown_tables(rows):
                out.add(table)
        elif getattr(shape, "has_text_frame", False) and shape.has_text_frame:
            out.add(shape.text_frame.text)
    if slide.has_notes_slide:
        notes = slide.notes_slide.notes_text_frame
        if notes is not None and notes.text.strip():
            out.add(NOTES_LABEL + notes.text.strip())
    return title


def _shapes(shapes: Any) -> Iterator[Any]:
    """Shapes in order, descending into groups."""
    for shape in shapes:
        if hasattr(shape, "shapes"):  # a group shape
            yield from _shapes(shape.shapes)
        else:
            yield shape
