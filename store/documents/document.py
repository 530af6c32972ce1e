"""The loaded document every format produces: text, its sections and pages, and its metadata.

Loaders (`loaders` for text and Markdown, `office` for PDF and Word) find the headings their
format marks; `assemble` turns them into the section paths chunking cites.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from store.records import PUBLIC

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
    number: int  # 1-based


@dataclass
class LoadedDocument:
    source: str
    title: str
    text: str
    sections: list[Section] = field(default_factory=list)
    pages: list[Page] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)

    @property
    def access(self) -> list[str]:
        return list(self.metadata.get("access") or [PUBLIC])


@dataclass(frozen=True)
class Heading:
    start: int
    end: int
    level: int
    text: str


def parse_access(value: object) -> list[str]:
    """Access groups from "a, b", ["a", "b"] or nothing; an empty result means public."""
    items = value if isinstance(value, list | tuple) else str(value or "").split(",")
    groups = list(dict.fromkeys(str(g).strip() for g in items if str(g).strip()))
    return groups or [PUBLIC]


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
    meta["title"] = title or _leading_title(text) or Path(source).stem
    return LoadedDocument(source, meta["title"], text, sections, pages or [], meta)


def _leading_title(text: str) -> str:
    """A cover-style opening (short lines such as "2025年" / "AI产业发展十大趋势") read as the title.

    Reports exported to text often have no heading markup; their first short lines are still
    a better title than a hashed file name.
    """
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()][:2]
    if not lines or len(lines[0]) > 40 or lines[0][-1] in SENTENCE_END:
        return ""
    title = lines[0]
    if len(title) < 10 and len(lines) > 1 and len(lines[1]) <= 40 and lines[1][-1] not in SENTENCE_END:
        title += lines[1]
    return title
