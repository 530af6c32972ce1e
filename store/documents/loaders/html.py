"""Saved web pages (.html, .htm): trafilatura keeps the main content (headings, paragraphs,
tables) and drops navigation, menus, footers and other boilerplate that would pollute search."""

from __future__ import annotations

from typing import Any

import trafilatura

from store.documents.loaders.base import LoadedDocument, LoadError, assemble
from store.documents.loaders.text import markdown_headings
from store.records import PUBLIC


def load_html(data: bytes, source: str) -> LoadedDocument:
    try:
        # Precision first: on short intranet pages the recall mode keeps menu links as text. A page
        # where precision finds nothing gets the recall mode rather than a refusal.
        text = _extract(data, precision=True) or _extract(data, precision=False)
        found = trafilatura.extract_metadata(data)
    except Exception:
        raise LoadError("corrupt or unreadable HTML") from None
    if not text or not text.strip():
        raise LoadError("no main text found in the HTML page")
    title = str(getattr(found, "title", "") or "").strip() if found is not None else ""
    meta: dict[str, Any] = {"access": [PUBLIC], "title": title}
    doc = assemble(source, text, markdown_headings(text, setext=True), meta, explicit_title=True)
    doc.format = "html"
    return doc


def _extract(data: bytes, *, precision: bool) -> str | None:
    """Markdown output keeps headings (for sections) and tables (as Markdown tables)."""
    text = trafilatura.extract(
        data,
        output_format="markdown",
        include_tables=True,
        include_links=False,
        include_images=False,
        include_comments=False,
        favor_precision=precision,
        favor_recall=not precision,
    )
    return str(text) if text and text.strip() else None
