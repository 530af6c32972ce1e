"""PDF: the text layer through pypdf, pypdfium2 when pypdf cannot read the page tree, and OCR
decided page by page, so a mixed PDF keeps its scanned pages. Ruled tables on text pages become
Markdown tables (pdf_tables.py).

A page goes to OCR (ADVISOR_OCR=auto) when its text layer is glyph garbage (`(cid:123)`, `/G21`,
private-use or replacement characters: fonts without a Unicode map), or empty while the page holds
an image. `force` OCRs every page; `off` never does. Encrypted files are opened with the empty
password, which is all an owner-password-only PDF needs.
"""

from __future__ import annotations

import logging
import re
import warnings
from pathlib import Path
from typing import Any

import pypdfium2
import pypdfium2.raw as pdfium_c
from pypdf import PasswordType, PdfReader

from settings import get_settings
from store.documents.loaders.base import LoadedDocument, LoadError, TextBuilder, assemble
from store.documents.loaders.ocr import recognize
from store.documents.loaders.pdf_tables import ruled_pages, table_pages
from store.documents.progress import page_done
from store.records import PUBLIC

_GARBAGE = re.compile(
    r"\(cid:\d+\)|/(?:G|g|uni|glyph)[0-9A-Fa-f]{1,5}|[\ufffd\ue000-\uf8ff\x00-\x08\x0e-\x1f]"
)
GARBAGE_SHARE = 0.3  # a page whose text is this much glyph garbage has no usable text layer
SPARSE_CHARS = 40  # fewer readable characters than this may be a typed header over a scan
SCAN_SHARE = 0.3  # images covering this much of a sparse page make it a scan
RENDER_DPI = 144
MAX_RENDER_SIDE = 2400  # pixels: bounds the time and memory of one page's OCR
_ENCRYPTED = "encrypted PDF (password required)"


def readable(text: str) -> bool:
    """Whether a page's text layer is real text rather than nothing or unmapped glyph ids."""
    compact = "".join(text.split())
    if not compact:
        return False
    junk = sum(len(m) for m in _GARBAGE.findall(compact))
    return len(compact) - junk >= 2 and junk < GARBAGE_SHARE * len(compact)


def load_pdf(path: Path, source: str) -> LoadedDocument:
    mode = get_settings().ocr
    layer, title = _pypdf_layer(path)
    from_pypdf = bool(layer)
    pdfium: Any = None
    try:
        if not layer:  # pypdf could not read the page tree (or found no page in it): the second parser tries
            pdfium = _open_pdfium(path)
            layer = [_pdfium_text(pdfium, i) for i in range(len(pdfium))]
            title = str(pdfium.get_metadata_dict().get("Title", "")).strip()
        if not layer:
            raise LoadError("corrupt PDF (no pages)")
        texts = [t.strip() if readable(t) else "" for t in layer]
        wanted = [i for i, t in enumerate(layer) if mode == "force" or (mode == "auto" and _suspect(t))]
        ocr_pages, truncated = [], []
        if wanted:
            pdfium = pdfium or _open_pdfium(path)
            for done, i in enumerate(wanted, start=1):
                found = _ocr_page(pdfium, i, layer[i], force=mode == "force")
                if found is not None and found[0].strip():
                    texts[i] = found[0].strip()
                    ocr_pages.append(i + 1)
                    if not found[1]:
                        truncated.append(i + 1)
                page_done(source, done, len(wanted))
        if from_pypdf:  # pdfplumber reads what pypdf reads; a tree only pdfium reads keeps its layer
            text_pages = [i for i, t in enumerate(texts) if t and i + 1 not in ocr_pages]
            pdfium = pdfium or _open_pdfium(path, strict=False)
            ruled = ruled_pages(pdfium, text_pages) if pdfium is not None else []
            for i, text in table_pages(path, ruled).items():
                texts[i] = text
    finally:
        if pdfium is not None:
            pdfium.close()
    if not any(texts):
        raise LoadError(_no_text_reason(layer, mode))
    out = TextBuilder()
    for number, text in enumerate(texts, start=1):
        out.page(number)
        out.add(text)
    meta: dict[str, Any] = {"access": [PUBLIC], "pages": len(texts)}
    if truncated:
        meta["ocr_truncated"] = truncated
    if title.strip("()").lower() not in ("", "untitled", "anonymous"):
        meta["title"] = title
    doc = assemble(source, out.text, [], meta, explicit_title=False, pages=out.pages)
    doc.format, doc.page_count, doc.ocr_pages = "pdf", len(texts), ocr_pages
    return doc


def _no_text_reason(layer: list[str], mode: str) -> str:
    kind = "glyph garbage in the text layer" if any(t.strip() for t in layer) else "no text layer"
    if mode == "off":
        return f"{kind} (scanned or image-only PDF; OCR is off: ADVISOR_OCR=off)"
    return f"{kind}, and OCR found no text either"


def _pypdf_layer(path: Path) -> tuple[list[str] | None, str]:
    """Text per page and the info title; None when pypdf cannot read the page tree."""
    # pypdf reports every malformed object through logging and warnings; users only need our one line.
    logging.getLogger("pypdf").setLevel(logging.CRITICAL + 1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            reader = PdfReader(path)
            if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
                raise LoadError(_ENCRYPTED)
            title = str(reader.metadata.title or "").strip() if reader.metadata else ""
            return [page.extract_text() or "" for page in reader.pages], title
        except LoadError:
            raise
        except Exception as err:
            if "decrypt" in str(err).lower() or "password" in str(err).lower():
                raise LoadError(_ENCRYPTED) from None
            return None, ""


def _open_pdfium(path: Path, *, strict: bool = True) -> Any:
    """The pdfium document; a refusal when `strict`, else None (for optional work such as tables)."""
    try:
        return pypdfium2.PdfDocument(str(path))
    except Exception as err:
        if not strict:
            return None
        if "password" in str(err).lower():
            raise LoadError(_ENCRYPTED) from None
        raise LoadError("corrupt or unreadable PDF") from None


def _pdfium_text(pdf: Any, index: int) -> str:
    try:
        return str(pdf[index].get_textpage().get_text_bounded())
    except Exception:  # a page pdfium cannot load has no text; the others still count
        return ""


def _suspect(text: str) -> bool:
    """A layer that may hide a scan: garbage, nothing, or a few words (a stamp or page number)."""
    return not readable(text) or len("".join(text.split())) < SPARSE_CHARS


def _ocr_page(pdf: Any, index: int, layer: str, *, force: bool) -> tuple[str, bool] | None:
    """OCR text of a page and whether it finished in time; None when OCR is not worth it.

    A garbage layer is OCR'd even without images: its glyphs are drawn as text the layer cannot map.
    An empty layer is OCR'd when the page holds an image (else the page is blank and never
    rendered); a few readable words only when an image covers a good part of the page (a scan
    with a typed header or page number), since the OCR text then replaces them.
    """
    try:
        page = pdf[index]
    except Exception:
        return None
    if not force and readable(layer) and _image_share(page) < SCAN_SHARE:
        return None
    if not force and not layer.strip() and _image_share(page) == 0:
        return None
    width, height = page.get_size()
    scale = min(RENDER_DPI / 72, MAX_RENDER_SIDE / max(width, height, 1))
    image = page.render(scale=scale).to_pil().convert("RGB")
    found = recognize(image)
    return found.text, found.complete


def _image_share(page: Any) -> float:
    """How much of the page its images cover (0 when it has none; overlaps count twice, capped at 1)."""
    width, height = page.get_size()
    covered = 0.0
    for image in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=3):
        left, bottom, right, top = image.get_bounds()
        covered += max(right - left, 0) * max(top - bottom, 0)
    return min(covered / max(width * height, 1), 1.0)
