"""Turn one file on disk into plain text plus the structure chunking needs (headings, pages, OCR).

One module per format; this one picks the loader by suffix and applies the checks every file gets.

May import: settings, store.records, store.documents.progress and the format libraries. Never the
rest of the store, agents/ or api/: a worker process imports the loaders and must stay light.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from settings import get_settings
from store.documents.loaders.base import LoadedDocument as LoadedDocument
from store.documents.loaders.base import LoadError as LoadError
from store.documents.loaders.base import Page as Page
from store.documents.loaders.base import Section as Section
from store.documents.loaders.text import decode_text as decode_text
from store.documents.loaders.text import load_text
from store.documents.loaders.text import parse_access as parse_access

TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown"})
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg"})
LEGACY_SUFFIXES = frozenset({".doc", ".ppt", ".xls"})
SUPPORTED_SUFFIXES = (
    TEXT_SUFFIXES
    | IMAGE_SUFFIXES
    | LEGACY_SUFFIXES
    | {".pdf", ".docx", ".pptx", ".xlsx", ".csv", ".html", ".htm"}
)


def load_document(
    path: Path, root: Path, *, source: str | None = None, max_file_mb: float | None = None
) -> LoadedDocument:
    """Load `path`; `source` defaults to its posix path relative to `root`."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        kinds = ", ".join(sorted(SUPPORTED_SUFFIXES))
        raise LoadError(f"unsupported file type '{suffix or path.name}' (supported: {kinds})")
    limit = get_settings().max_file_mb if max_file_mb is None else max_file_mb
    try:
        size = path.stat().st_size
    except OSError as err:
        raise LoadError(f"cannot read file ({err.strerror or err})") from None
    if size > limit * 1024 * 1024:
        raise LoadError(f"file too large ({size / 1048576:.1f} MB > limit {limit:g} MB)")
    if size == 0:
        raise LoadError("empty file")
    src = source if source is not None else path.resolve().relative_to(root.resolve()).as_posix()
    if suffix in LEGACY_SUFFIXES:
        from store.documents.loaders.legacy import load_legacy

        doc = load_legacy(path, src, _file_loader)
    else:
        doc = _file_loader(path, src)
    if not doc.text.strip():
        raise LoadError("no text content")
    return doc


def _file_loader(path: Path, source: str) -> LoadedDocument:
    """Format modules are imported on demand: a text-only ingest never loads PDF, Office or OCR code."""
    suffix = path.suffix.lower()
    loader: Callable[[Path, str], LoadedDocument]
    if suffix == ".pdf":
        from store.documents.loaders.pdf import load_pdf as loader
    elif suffix == ".docx":
        from store.documents.loaders.docx import load_docx as loader
    elif suffix == ".pptx":
        from store.documents.loaders.pptx import load_pptx as loader
    elif suffix == ".xlsx":
        from store.documents.loaders.xlsx import load_xlsx as loader
    elif suffix in IMAGE_SUFFIXES:
        from store.documents.loaders.ocr import load_image as loader
    else:
        return _bytes_loader(path.read_bytes(), source, suffix)
    return loader(path, source)


def _bytes_loader(data: bytes, source: str, suffix: str) -> LoadedDocument:
    if suffix == ".csv":
        from store.documents.loaders.xlsx import load_csv

        return load_csv(data, source)
    if suffix in (".html", ".htm"):
        from store.documents.loaders.html import load_html

        return load_html(data, source)
    return load_text(data, source, markdown=suffix != ".txt")
