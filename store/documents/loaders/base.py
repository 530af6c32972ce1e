"""What every loader returns, and the pieces they share: refusals, headings, pages, titles.

Every refusal is a `LoadError` carrying a short human reason, because ingestion prints it as the one
line a user sees for that file; library exceptions and warnings never get past the loaders.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from store.records import PUBLIC

# A title rides along on every search hit and every citation: a document may not make it huge.
MAX_TITLE_CHARS = 200
SENTENCE_END = "。；！？，,;.!?：:"


class LoadError(Exception):
    """A file that cannot be ingested; `str(err)` is the reason shown to the user."""


@dataclass(frozen=True)
class Section:
    start: int  # offset of the heading line
    body_start: int  # offset just past the heading line
    path: str  # "一、… > 1.1 …"


@dataclass(frozen=True)
class Page:
    start: int
    number: int  # 1-based page, or slide number


@dataclass
class LoadedDocument:
    source: str
    title: str
    text: str
    sections: list[Section] = field(default_factory=list)
    pages: list[Page] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)
    format: str = ""  # "pdf", "docx", … (the file's own kind, also for converted legacy files)
    page_count: int | None = None  # pages or slides the file has, text or not
    ocr_pages: list[int] = field(default_factory=list)  # pages whose text came from OCR

    @property
    def access(self) -> list[str]:
        return list(self.metadata.get("access") or [PUBLIC])


@dataclass(frozen=True)
class Heading:
    start: int
    end: int
    level: int
    text: str


class TextBuilder:
    """Blocks joined by blank lines, remembering where headings and pages start in the joined text."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.headings: list[Heading] = []
        self.pages: list[Page] = []
        self._offset = 0
        self._pending_page: int | None = None

    def page(self, number: int) -> None:
        """The next block starts page `number` (a page without blocks leaves no mark)."""
        self._pending_page = number

    def heading(self, text: str, level: int) -> None:
        text = " ".join(text.split())
        if text:
            line = f"{'#' * max(level, 1)} {text}"
            self._mark_page()
            self.headings.append(Heading(self._offset, self._offset + len(line) + 1, level, text))
            self._append(line)

    def add(self, block: str) -> None:
        block = block.strip()
        if block:
            self._mark_page()
            self._append(block)

    @property
    def text(self) -> str:
        return "\n\n".join(self.parts)

    def _mark_page(self) -> None:
        if self._pending_page is not None:
            self.pages.append(Page(self._offset, self._pending_page))
            self._pending_page = None

    def _append(self, block: str) -> None:
        self.parts.append(block)
        self._offset += len(block) + 2


def source_name(relative: str) -> str:
    """A stored source name for a path whose name may not be UTF-8 (Python keeps such bytes as lone
    surrogates, which no JSON, database or terminal accepts): names from Chinese Windows machines
    and zip archives are usually GBK, so GB18030 is tried before bytes are replaced."""
    try:
        relative.encode("utf-8")
        return relative
    except UnicodeEncodeError:
        raw = relative.encode("utf-8", "surrogateescape")
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        return raw.decode("utf-8", "replace")


def clip_title(title: str) -> str:
    title = " ".join(str(title).split())
    return title if len(title) <= MAX_TITLE_CHARS else title[: MAX_TITLE_CHARS - 1] + "…"


def assemble(
    source: str,
    text: str,
    headings: list[Heading],
    meta: dict[str, Any],
    *,
    explicit_title: bool,
    pages: list[Page] | None = None,
) -> LoadedDocument:
    """Build the heading paths; a lone top-level first heading is the document title, not a section."""
    title = str(meta.get("title") or "")
    sections: list[Section] = []
    if explicit_title and headings:
        title = title or headings[0].text
        if all(h.level > headings[0].level for h in headings[1:]):
            # The title heading opens a section with an empty path so it still counts as a heading.
            sections.append(Section(headings[0].start, headings[0].end, ""))
            headings = headings[1:]
    stack: list[Heading] = []
    for h in headings:
        while stack and stack[-1].level >= h.level:
            stack.pop()
        stack.append(h)
        sections.append(Section(h.start, h.end, " > ".join(s.text for s in stack)))
    meta["title"] = clip_title(title or leading_title(text) or Path(source).stem)
    return LoadedDocument(source, meta["title"], text, sections, pages or [], meta)


def leading_title(text: str) -> str:
    """A cover-style opening (short lines such as "2025年" / "AI产业发展十大趋势") read as the title.

    Reports exported to text often have no heading markup; their first short lines are still
    a better title than a hashed file name.
    """
    lines = [ln.strip() for ln in text[:4096].splitlines() if ln.strip()][:2]
    if not lines or len(lines[0]) > 40 or lines[0][-1] in SENTENCE_END:
        return ""
    title = lines[0]
    if len(title) < 10 and len(lines) > 1 and len(lines[1]) <= 40 and lines[1][-1] not in SENTENCE_END:
        title += lines[1]
    return title
