"""Turn one file on disk into plain text plus the structure chunking needs (headings, PDF pages).

Every refusal is a `LoadError` carrying a short human reason, because ingestion prints it as the one
line a user sees for that file; library exceptions and warnings never get past this module.
"""

from __future__ import annotations

import codecs
import contextlib
import re
from itertools import accumulate
from pathlib import Path
from typing import Any

import frontmatter
from charset_normalizer import from_bytes
from markdown_it import MarkdownIt

from settings import get_settings
from store.documents.document import SENTENCE_END, Heading, LoadedDocument, LoadError, assemble, parse_access
from store.documents.office import load_docx, load_pdf

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
_INLINE_MARKUP = re.compile(r"\*\*|__|`")


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
        doc = load_pdf(path, src)
    elif suffix == ".docx":
        doc = load_docx(path, src)
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
    return assemble(source, text, headings, meta, explicit_title=explicit)


def _markdown_headings(text: str, *, setext: bool) -> list[Heading]:
    """ATX (and, for .md, setext) headings outside code blocks, via markdown-it's block parser."""
    rules = ["heading", "fence", "code"] + (["lheading"] if setext else [])
    tokens = MarkdownIt("zero").enable(rules).parse(text)
    line_starts = [0, *accumulate(len(line) for line in text.splitlines(keepends=True))]
    found: list[Heading] = []
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open" and tok.map:
            title = _INLINE_MARKUP.sub("", tokens[i + 1].content).strip()
            start, end = line_starts[tok.map[0]], line_starts[min(tok.map[1], len(line_starts) - 1)]
            if title:
                found.append(Heading(start, end, int(tok.tag[1]), title))
    return found


def _outline_headings(text: str) -> list[Heading]:
    found: list[Heading] = []
    offset = 0
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        if 0 < len(stripped) <= 80 and stripped[-1] not in SENTENCE_END and _OUTLINE.match(stripped):
            found.append(Heading(offset, offset + len(line), 1, stripped))
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
