"""Turn one file on disk into plain text plus the structure chunking needs (headings, PDF pages).

Every refusal is a `LoadError` carrying a short human reason, because ingestion prints it as the one
line a user sees for that file; library exceptions and warnings never get past this module.
"""

from __future__ import annotations

import codecs
import contextlib
import logging
import re
import warnings
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path
from typing import Any

import docx
import frontmatter
from charset_normalizer import from_bytes
from docx.table import Table
from markdown_it import MarkdownIt
from pypdf import PasswordType, PdfReader

from settings import get_settings
from store.records import PUBLIC

TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown"})
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | {".pdf", ".docx"}

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Plain-text outline headings (一、… / 第三章 … / 趋势3：…), used only when a .txt has no markdown headings.
_OUTLINE = re.compile(
    r"^(?:第[一二三四五六七八九十百零\d]+[章节篇部分]|[一二三四五六七八九十]+、|(?![图表])[\u4e00-\u9fff]{1,4}\d{1,2}[：:])"
)
_SENTENCE_END = "。；！？，,;.!?：:"
_INLINE_MARKUP = re.compile(r"\*\*|__|`")
_DOCX_HEADING = re.compile(r"^(?:heading|标题)\s*(\d)$", re.IGNORECASE)


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
class _Heading:
    start: int
    end: int
    level: int
    text: str


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
    if suffix == ".pdf":
        doc = _load_pdf(path, src)
    elif suffix == ".docx":
        doc = _load_docx(path, src)
    else:
        doc = _load_text(path.read_bytes(), src, markdown=suffix != ".txt")
    if not doc.text.strip():
        raise LoadError("no text content")
    return doc


def decode_text(data: bytes) -> str:
    """Decode bytes of unknown encoding (UTF-8/16/32 with or without BOM, GBK/GB18030, ...)."""
    if not data.strip():
        raise LoadError("empty file")
    text: str | None = None
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                raise LoadError(f"undecodable text (bad {encoding})") from None
            break
    has_nul = b"\x00" in data
    if text is None and not has_nul:
        with contextlib.suppress(UnicodeDecodeError):
            text = data.decode("utf-8")
    if text is None:
        match = from_bytes(data).best()
        if match is None or (has_nul and not match.encoding.startswith(("utf_16", "utf_32"))):
            raise LoadError("binary file (not text in any known encoding)")
        encoding = "gb18030" if match.encoding in ("gb2312", "gbk") else match.encoding
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            text = str(match)
    if len(_CONTROL.findall(text[:65536])) > 0.01 * min(len(text), 65536):
        raise LoadError("binary file (control characters in text)")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise LoadError("empty file")
    return text


def _load_text(data: bytes, source: str, *, markdown: bool) -> LoadedDocument:
    raw = decode_text(data)
    try:
        post = frontmatter.loads(raw)
    except Exception as err:  # yaml raises many error types; any of them means the header is broken
        line = getattr(getattr(err, "problem_mark", None), "line", None)
        where = f" (line {line + 1})" if line is not None else ""
        raise LoadError(f"invalid YAML front matter{where}") from None
    text = post.content
    headings = _markdown_headings(text, setext=markdown)
    explicit = bool(headings)
    if not headings and not markdown:
        headings = _outline_headings(text)
    meta = _normalise_metadata(post.metadata)
    return _assemble(source, text, headings, meta, explicit_title=explicit)


def _markdown_headings(text: str, *, setext: bool) -> list[_Heading]:
    """ATX (and, for .md, setext) headings outside code blocks, via markdown-it's block parser."""
    rules = ["heading", "fence", "code"] + (["lheading"] if setext else [])
    tokens = MarkdownIt("zero").enable(rules).parse(text)
    line_starts = [0, *accumulate(len(line) for line in text.splitlines(keepends=True))]
    found: list[_Heading] = []
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open" and tok.map:
            title = _INLINE_MARKUP.sub("", tokens[i + 1].content).strip()
            start, end = line_starts[tok.map[0]], line_starts[min(tok.map[1], len(line_starts) - 1)]
            if title:
                found.append(_Heading(start, end, int(tok.tag[1]), title))
    return found


def _outline_headings(text: str) -> list[_Heading]:
    found: list[_Heading] = []
    offset = 0
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        if 0 < len(stripped) <= 80 and stripped[-1] not in _SENTENCE_END and _OUTLINE.match(stripped):
            found.append(_Heading(offset, offset + len(line), 1, stripped))
        offset += len(line)
    return found


def _normalise_metadata(meta: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {k: v for k, v in meta.items() if k not in ("access", "keywords")}
    for key in ("title", "description"):
        if key in out:
            out[key] = str(out[key] or "").strip()
    keywords = meta.get("keywords")
    if keywords:
        out["keywords"] = ", ".join(map(str, keywords)) if isinstance(keywords, list) else str(keywords)
    out["access"] = parse_access(meta.get("access"))
    return out


def parse_access(value: object) -> list[str]:
    """Access groups from "a, b", ["a", "b"] or nothing; an empty result means public."""
    items = value if isinstance(value, list | tuple) else str(value or "").split(",")
    groups = list(dict.fromkeys(str(g).strip() for g in items if str(g).strip()))
    return groups or [PUBLIC]


def _assemble(
    source: str,
    text: str,
    headings: list[_Heading],
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
    stack: list[_Heading] = []
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
    if not lines or len(lines[0]) > 40 or lines[0][-1] in _SENTENCE_END:
        return ""
    title = lines[0]
    if len(title) < 10 and len(lines) > 1 and len(lines[1]) <= 40 and lines[1][-1] not in _SENTENCE_END:
        title += lines[1]
    return title


def _load_pdf(path: Path, source: str) -> LoadedDocument:
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
    return _assemble(source, "\n\n".join(parts), [], meta, explicit_title=False, pages=pages)


def _load_docx(path: Path, source: str) -> LoadedDocument:
    """Word files: heading styles become markdown-style heading lines; tables become `a | b` rows."""
    try:
        document = docx.Document(str(path))
        blocks = list(document.iter_inner_content())
        core_title = (document.core_properties.title or "").strip()
    except Exception:
        raise LoadError("corrupt or unreadable .docx") from None
    parts: list[str] = []
    headings: list[_Heading] = []
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
                headings.append(_Heading(offset, offset + len(line) + 1, level, line.lstrip("# ")))
        if line:
            parts.append(line)
            offset += len(line) + 2
    meta: dict[str, Any] = {"access": [PUBLIC]}
    if core_title:
        meta["title"] = core_title
    return _assemble(source, "\n\n".join(parts), headings, meta, explicit_title=True)


def _heading_level(style: str) -> int | None:
    match = _DOCX_HEADING.match(style.strip())
    return int(match.group(1)) if match else None
