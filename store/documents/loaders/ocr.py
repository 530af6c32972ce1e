"""OCR through RapidOCR: the PP-OCRv4 Chinese/English detection and recognition models (and the
direction classifier) ship inside the rapidocr-onnxruntime wheel as ONNX files, so OCR works
offline with nothing downloaded. Also the loader for image files (PNG, JPEG).

Time per page is bounded: detection runs once on an image capped at `max_side_len`, then text lines
are recognised in batches and the deadline is checked between batches. A page that runs out of
time keeps the lines read so far and is reported as truncated.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from time import monotonic
from typing import Any

from PIL import Image, UnidentifiedImageError

from settings import get_settings
from store.documents.loaders.base import LoadedDocument, LoadError, Page, clip_title
from store.records import PUBLIC

BATCH = 12  # text lines recognised between two deadline checks
MAX_IMAGE_PIXELS = 60_000_000  # ~ an A3 page at 600 dpi; larger "images" are decompression bombs


@dataclass(frozen=True)
class OcrText:
    text: str
    complete: bool  # False when the page's time ran out before every line was read


@lru_cache(maxsize=1)
def _engine() -> Any:
    # Imported on first use, never at module import: onnxruntime, OpenCV and the three models cost
    # about a second and ~200 MB per process, and plain-text ingest (including every worker process
    # that prepares text files) must not pay that unless a page really needs OCR.
    from rapidocr_onnxruntime import RapidOCR

    return RapidOCR(print_verbose=False)


def recognize(image: Any, *, timeout_s: float | None = None) -> OcrText:
    """Text of a PIL image, lines in reading order (top to bottom, then left to right)."""
    budget = get_settings().ocr_page_timeout_s if timeout_s is None else timeout_s
    started = monotonic()
    engine = _engine()
    img = engine.load_img(image)
    img, _, _ = engine.preprocess(img)
    img, _ = engine.maybe_add_letterbox(img, {})
    boxes, _ = engine.auto_text_det(img)
    if boxes is None:
        return OcrText("", True)
    crops = engine.get_crop_img_list(img, boxes)
    read: list[tuple[str, float]] = []
    for i in range(0, len(crops), BATCH):
        if monotonic() - started > budget:
            break
        part, _, _ = engine.text_cls(crops[i : i + BATCH])
        recognised, _ = engine.text_rec(part, False)
        read.extend((str(r[0]), float(r[1])) for r in recognised)
    pairs = zip(boxes, read, strict=False)
    kept = [(box, text) for box, (text, score) in pairs if score >= engine.text_score]
    return OcrText(_reading_order(kept), complete=len(read) == len(crops))


def _reading_order(found: list[tuple[Any, str]]) -> str:
    """Group boxes whose vertical centres are close into lines; join CJK without spaces."""
    lines: list[list[tuple[float, str]]] = []
    centre = height = 0.0
    for box, text in found:
        ys = [float(p[1]) for p in box]
        cy, h = sum(ys) / len(ys), max(ys) - min(ys)
        x = min(float(p[0]) for p in box)
        if lines and abs(cy - centre) < 0.5 * max(height, h):
            lines[-1].append((x, text))
        else:
            lines.append([(x, text)])
            centre, height = cy, h
    return "\n".join(_join([t for _, t in sorted(line)]) for line in lines)


def _join(parts: list[str]) -> str:
    out = ""
    for part in parts:
        if out and (out[-1].isascii() or part[0].isascii()):
            out += " "
        out += part
    return out


def load_image(path: Path, source: str) -> LoadedDocument:
    """A scanned page saved as an image: OCR is the only way to its text."""
    if get_settings().ocr == "off":
        raise LoadError("image files need OCR, which is off (ADVISOR_OCR=off)")
    try:
        with Image.open(path) as image:
            if image.width * image.height > MAX_IMAGE_PIXELS:
                raise LoadError(
                    f"image too large ({image.width}x{image.height} pixels > {MAX_IMAGE_PIXELS:,})"
                )
            rgb = image.convert("RGB")
    except LoadError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise LoadError("corrupt or unreadable image") from None
    found = recognize(rgb)
    if not found.text.strip():
        raise LoadError("no text found in the image by OCR")
    meta: dict[str, Any] = {"access": [PUBLIC], "title": clip_title(Path(source).stem)}
    if not found.complete:
        meta["ocr_truncated"] = [1]
    return LoadedDocument(
        source,
        meta["title"],
        found.text,
        pages=[Page(0, 1)],
        metadata=meta,
        format=path.suffix.lower().lstrip(".").replace("jpeg", "jpg"),
        page_count=1,
        ocr_pages=[1],
    )
