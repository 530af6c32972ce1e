"""Plain text and Markdown: encoding detection, YAML front matter (safely bounded), headings.

Front matter is read with a YAML loader that refuses aliases and a size cap, because a few hundred
bytes of nested aliases can expand into megabytes of title that would ride along on every search hit.
"""

from __future__ import annotations

import codecs
import contextlib
import re
from functools import lru_cache
from itertools import accumulate
from typing import Any

import frontmatter
import yaml
from charset_normalizer import from_bytes
from frontmatter.default_handlers import YAMLHandler
from markdown_it import MarkdownIt

from store.documents.loaders.base import SENTENCE_END, Heading, LoadedDocument, LoadError, assemble
from store.records import PUBLIC

MAX_FRONT_MATTER_CHARS = 16_384
# A file in an encoding but for a few damaged characters is read with them replaced, not refused.
DAMAGED_CHARS, DAMAGED_SHARE = 4, 0.01
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
# Lines that can make a heading at all: an ATX opener, or a setext underline. Text without one has no
# headings, and skipping the parser then saves a quarter of the CPU a plain-text file costs to ingest.
_ATX_LINE = re.compile(r"^ {0,3}#{1,6}(?:[ \t]|$)", re.MULTILINE)
_SETEXT_LINE = re.compile(r"^ {0,3}(?:=+|-+)[ \t]*$", re.MULTILINE)


class _NoAliasLoader(yaml.SafeLoader):
    """SafeLoader that refuses aliases (`*name`): the only way YAML multiplies its input."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            raise LoadError("YAML aliases are not allowed in front matter")
        return super().compose_node(parent, index)


class _SafeYAMLHandler(YAMLHandler):
    def load(self, fm: str, **kwargs: object) -> Any:
        if len(fm) > MAX_FRONT_MATTER_CHARS:
            raise LoadError(f"front matter too large ({len(fm):,} > {MAX_FRONT_MATTER_CHARS:,} characters)")
        return yaml.load(fm, Loader=_NoAliasLoader)  # noqa: S506 - a SafeLoader subclass


def decode_text(data: bytes) -> str:
    """Decode bytes of unknown encoding (UTF-8/16/32 with or without BOM, GBK/GB18030, ...)."""
    if not data.strip():
        raise LoadError("empty file")
    text: str | None = None
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = _decode_damaged(data, encoding)
            if text is None:
                raise LoadError(f"undecodable text (bad {encoding})")
            break
    has_nul = b"\x00" in data
    if text is None and not has_nul:
        with contextlib.suppress(UnicodeDecodeError):
            text = data.decode("utf-8")
    if text is None:
        match = from_bytes(data).best()
        if match is not None and (not has_nul or match.encoding.startswith(("utf_16", "utf_32"))):
            encoding = "gb18030" if match.encoding in ("gb2312", "gbk") else match.encoding
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                text = str(match)
        elif not has_nul:  # no encoding fits every byte: UTF-8 with a few damaged characters?
            text = _decode_damaged(data, "utf-8")
        if text is None:
            raise LoadError("binary file (not text in any known encoding)")
    if len(_CONTROL.findall(text[:65536])) > 0.01 * min(len(text), 65536):
        raise LoadError("binary file (control characters in text)")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise LoadError("empty file")
    return text


def _decode_damaged(data: bytes, encoding: str) -> str | None:
    """`data` in `encoding`, a few damaged bytes (a cut multi-byte character, a lone surrogate)
    replaced by U+FFFD; None when too much is damaged for the file to be in that encoding."""
    text = data.decode(encoding, "replace")
    return text if text.count("\ufffd") <= DAMAGED_CHARS + DAMAGED_SHARE * len(text) else None


def load_text(data: bytes, source: str, *, markdown: bool) -> LoadedDocument:
    raw = decode_text(data)
    handler = _SafeYAMLHandler()
    try:
        post = frontmatter.loads(raw, handler=handler) if handler.detect(raw) else frontmatter.Post(raw)
    except LoadError:
        raise
    except Exception as err:  # yaml raises many error types; any of them means the header is broken
        line = getattr(getattr(err, "problem_mark", None), "line", None)
        where = f" (line {line + 1})" if line is not None else ""
        raise LoadError(f"invalid YAML front matter{where}") from None
    if not isinstance(post.metadata, dict):
        raise LoadError("invalid YAML front matter (not a mapping)")
    text = post.content
    headings = markdown_headings(text, setext=markdown)
    explicit = bool(headings)
    if not headings and not markdown:
        headings = _outline_headings(text)
    meta = _normalise_metadata(post.metadata)
    doc = assemble(source, text, headings, meta, explicit_title=explicit)
    doc.format = "md" if markdown else "txt"
    return doc


def markdown_headings(text: str, *, setext: bool) -> list[Heading]:
    """ATX (and, for .md, setext) headings outside code blocks, via markdown-it's block parser."""
    if not _ATX_LINE.search(text) and not (setext and _SETEXT_LINE.search(text)):
        return []
    tokens = _block_parser(setext).parse(text)
    line_starts = [0, *accumulate(len(line) for line in text.splitlines(keepends=True))]
    found: list[Heading] = []
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open" and tok.map:
            title = _INLINE_MARKUP.sub("", tokens[i + 1].content).strip()
            start, end = line_starts[tok.map[0]], line_starts[min(tok.map[1], len(line_starts) - 1)]
            if title:
                found.append(Heading(start, end, int(tok.tag[1]), title))
    return found


@lru_cache(maxsize=2)
def _block_parser(setext: bool) -> MarkdownIt:
    """Block rules only: a heading's text is already on its inline token without the inline pass."""
    rules = ["heading", "fence", "code"] + (["lheading"] if setext else [])
    return MarkdownIt("zero").enable(rules).disable("inline")


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


def parse_access(value: object) -> list[str]:
    """Access groups from "a, b", ["a", "b"] or nothing; an empty result means public."""
    items = value if isinstance(value, list | tuple) else str(value or "").split(",")
    groups = list(dict.fromkeys(str(g).strip() for g in items if str(g).strip()))
    return groups or [PUBLIC]
