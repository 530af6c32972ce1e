"""Split a loaded document into retrieval chunks that respect Chinese sentence ends.

Chunks never cross a heading or a PDF page, so every chunk carries one truthful `section` and `page`
for citations; a heading always travels with the text under it rather than becoming a chunk of its own.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from langchain_text_splitters import RecursiveCharacterTextSplitter

from settings import get_settings
from store.documents.loaders import LoadedDocument
from store.records import Chunk

# Bump when loading or splitting changes so content hashes change and re-ingest rebuilds every document.
CHUNKER_VERSION = "4"  # 3: ruled PDF tables as Markdown tables; 4: articles and FAQ pairs kept whole

# A numbered article of a regulation ('第十八条 …应当具备以下条件：' with its items （一）…（五）) or a
# question-and-answer pair is one unit of meaning: a chunk starts at its first line, so a lead-in never
# lands in one chunk and its items in the next. Text without such lines falls through to the rest.
ARTICLE_START = r"\n+(?=(?:第[零〇一二三四五六七八九十百千\d]+条|Article \d+|问[：:]|Q[：:])\s?)"
# Coarsest first: articles, paragraphs, lines, sentence ends (keeping closing quotes with their sentence),
# then clause marks, then spaces, then anything. Separators stay at the end of the piece they close.
SEPARATORS = [
    ARTICLE_START,
    r"\n\n",
    r"\n",
    r"[。！？；!?;][”’\"』」）)]*",
    r"\.(?=\s)",
    r"[，,、：:]",
    r" ",
    r"",
]


@dataclass(frozen=True)
class _Region:
    start: int
    end: int
    body_start: int  # text before this offset is heading lines only
    path: str


@lru_cache(maxsize=8)
def _splitter(chunk_size: int, chunk_overlap: int) -> RecursiveCharacterTextSplitter:
    return RecursiveCharacterTextSplitter(
        separators=SEPARATORS,
        is_separator_regex=True,
        keep_separator="end",
        chunk_size=chunk_size,
        chunk_overlap=min(chunk_overlap, chunk_size // 2),
        length_function=len,
    )


def chunking_signature(chunk_size: int | None = None, chunk_overlap: int | None = None) -> str:
    """What besides the file bytes decides the chunks; part of every document's content hash.

    The OCR mode is part of it: switching ADVISOR_OCR re-reads the files it changes the text of."""
    settings = get_settings()
    size = chunk_size or settings.chunk_size
    overlap = settings.chunk_overlap if chunk_overlap is None else chunk_overlap
    return f"chunker-{CHUNKER_VERSION}:{size}:{overlap}:ocr-{settings.ocr}"


def chunk_document(
    doc: LoadedDocument,
    *,
    doc_hash: str = "",
    access: list[str] | None = None,
    chunk_size: int | None = None,
    chunk_overlap: int | None = None,
) -> list[Chunk]:
    """Chunks in document order; `access` overrides the document's own access groups."""
    settings = get_settings()
    splitter = _splitter(
        chunk_size or settings.chunk_size, settings.chunk_overlap if chunk_overlap is None else chunk_overlap
    )
    groups = list(access) if access else doc.access
    page_starts = [p.start for p in doc.pages]
    ocr_pages = set(doc.ocr_pages)
    seen: Counter[str] = Counter()
    chunks: list[Chunk] = []
    for region in _regions(doc):
        for start, end in _split_region(splitter, doc.text, region):
            text = doc.text[start:end]
            page = doc.pages[max(bisect_right(page_starts, start) - 1, 0)].number if doc.pages else None
            chunks.append(
                Chunk(
                    chunk_id=chunk_id(doc.source, text, seen[text]),
                    source=doc.source,
                    title=doc.title,
                    section=region.path,
                    page=page,
                    ocr=page in ocr_pages,
                    start=start,
                    end=end,
                    text=text,
                    access=groups,
                    doc_hash=doc_hash,
                )
            )
            seen[text] += 1
    return chunks


def chunk_id(source: str, text: str, occurrence: int = 0) -> str:
    """Stable across runs; `occurrence` tells apart identical passages repeated in one document."""
    return hashlib.sha256(f"{source}\x00{text}\x00{occurrence}".encode()).hexdigest()[:32]


def _regions(doc: LoadedDocument) -> list[_Region]:
    """Cut the text at every heading and page start; heading-only sections join the next region."""
    sections = {s.start: s for s in doc.sections}
    section_starts = sorted(sections)
    cuts = sorted({0, *section_starts, *(p.start for p in doc.pages)})
    bounds = [*cuts, len(doc.text)]
    regions: list[_Region] = []
    pending: int | None = None
    for i, cut in enumerate(cuts):
        end = bounds[i + 1]
        k = bisect_right(section_starts, cut) - 1
        section = sections[section_starts[k]] if k >= 0 else None
        path = section.path if section else ""
        body_start = section.body_start if section and section.start == cut else cut
        if end <= cut:
            continue
        heading_only = section is not None and section.start == cut and not doc.text[body_start:end].strip()
        if heading_only and i + 1 < len(cuts) and cuts[i + 1] in sections:
            pending = cut if pending is None else pending
            continue
        if not doc.text[cut:end].strip():
            continue
        regions.append(_Region(cut if pending is None else pending, end, body_start, path))
        pending = None
    return regions


def _split_region(
    splitter: RecursiveCharacterTextSplitter, text: str, region: _Region
) -> list[tuple[int, int]]:
    part = text[region.start : region.end]
    spans: list[tuple[int, int]] = []
    pos = 0
    for piece in splitter.split_text(part):
        found = part.find(piece, pos)
        index = found if found >= 0 else part.find(piece)
        spans.append((region.start + index, region.start + index + len(piece)))
        pos = index + 1
    # A chunk holding only heading lines is glued to the chunk after it.
    while len(spans) > 1 and spans[0][1] <= region.body_start:
        spans[0:2] = [(spans[0][0], spans[1][1])]
    return spans
