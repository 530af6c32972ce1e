"""Office formats: PDF (text layer, page numbers) and Word (heading styles, tables as rows).

Library exceptions and warnings end here as one `LoadError` reason, like every loader's.
"""

from __future__ import annotations

import logging
import re
import warnings
from pathlib import Path
from typing import Any

import docx
from docx.table import Table
from pypdf import PasswordType, PdfReader

from store.documents.document import Heading, LoadedDocument, LoadError, Page, assemble
from store.records import PUBLIC

_DOCX_HEADING = re.compile(r"^(?:heading|标题)\s*(\d)$", re.IGNORECASE)


def load_pdf(path: Path, source: str) -> LoadedDocument:
    # pypdf reports every malformed object through logging and warnings; users only need our one line.
    logging.getLogger("pypdf").setLevel(logging.CRITICAL + 1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            reader = PdfReader(path)
            if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
                raise LoadError("encrypted PDF (password required)")
            texts = [(page.extract_text() or "").strip() for page in reader.pages]
            info_title = str(reader.metadata.title or "").strip() if reader.metadata else ""
        except LoadError:
            raise
        except Exception as err:
            if "decrypt" in str(err).lower() or "password" in str(err).lower():
                raise LoadError("encrypted PDF (password required)") from None
            raise LoadError("corrupt or unreadable PDF") from None
    if not texts:
        raise LoadError("corrupt PDF (no pages)")
    if not any(texts):
        raise LoadError("no text layer (scanned or image-only PDF; OCR it first)")
    pages: list[Page] = []
    parts: list[str] = []
    offset = 0
    for number, page_text in enumerate(texts, start=1):
        if page_text:
            pages.append(Page(offset, number))
            parts.append(page_text)
            offset += len(page_text) + 2
    meta: dict[str, Any] = {"access": [PUBLIC], "pages": len(texts)}
    if info_title.lower() not in ("", "untitled", "anonymous"):
        meta["title"] = info_title
    return assemble(source, "\n\n".join(parts), [], meta, explicit_title=False, pages=pages)


def load_docx(path: Path, source: str) -> LoadedDocument:
    """Word files: heading styles become markdown-style heading lines; tables become `a | b` rows."""
    try:
        document = docx.Document(str(path))
        blocks = list(document.iter_inner_content())
        core_title = (document.core_properties.title or "").strip()
    except Exception:
        raise LoadError("corrupt or unreadable .docx") from None
    parts: list[str] = []
    headings: list[Heading] = []
    offset = 0
    for block in blocks:
        if isinstance(block, Table):
            rows = [" | ".join(c.text.strip() for c in row.cells) for row in block.rows]
            line = "\n".join(r for r in rows if r.strip(" |"))
        else:
            line = block.text.strip()
            style = block.style.name if block.style is not None else ""
            level = 0 if style == "Title" else _heading_level(style)
            if line and level is not None:
                line = f"{'#' * max(level, 1)} {line}"
                headings.append(Heading(offset, offset + len(line) + 1, level, line.lstrip("# ")))
        if line:
            parts.append(line)
            offset += len(line) + 2
    meta: dict[str, Any] = {"access": [PUBLIC]}
    if core_title:
        meta["title"] = core_title
    return assemble(source, "\n\n".join(parts), headings, meta, explicit_title=True)


def _heading_level(style: str) -> int | None:
    match = _DOCX_HEADING.match(style.strip())
    return int(match.group(1)) if match else None
