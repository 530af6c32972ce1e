"""Answer units of a passage: what evidence can be quoted as, beyond single sentences.

Long reports state much of what they know in headings, lists and tables, which sentence splitting
drops or cuts into fragments. A unit is a sentence (split at 。！？ only, so an enumeration joined by
'；' stays whole); a heading-like line with the first sentence under it (a bare heading is thin
evidence); an introduction ending in '：' with its list items (a regulation's article with all of
them); or a table row (tab-separated, or a Markdown row '| a | b |'), shown as a list of its cells.
Every unit's `quote` is a verbatim substring of the passage, so it can be cited as it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Literal

from agents.language.lexicon import CREDIT_LINE, PROMO
from agents.language.text import SENTENCE_END, clean

UnitKind = Literal["sentence", "heading", "list", "table"]

_EDGE = " \t\u3000*#>-•●■"
_TERMINAL = "。！？!?；;.…"
_CN = "一二三四五六七八九十"
_ITEM = re.compile(rf"^\s*([-*•●■◆]|\d{{1,2}}[、.．)]|[（(](\d{{1,2}}|[{_CN}]{{1,3}})[)）]|[{_CN}]+、)\s*")
_INLINE_LIST = re.compile(r"^[*\s]*(1[、.．]|①|（1）|\(1\))")
_REFERS_BACK = re.compile(r"^[*\s]*(这|此|该|其|它|为此|对此|因此|由此)")
_ORDINAL = re.compile(r"^[*\s]*其[次一二三四]")  # '其次，…' goes on with a list; it points at nothing
CREDIT_MAX = 80  # a credit line names a source; a longer line starting '来源：' says more
_FRONT_MATTER = re.compile(r"^(---|[a-z_]+:\s)")
MD_ROW = re.compile(r"^\|.*\|$")
_TITLE = re.compile(r"^#(?!#)")  # a level-1 Markdown heading: the document's title
ARTICLE = re.compile(r"^第[一二三四五六七八九十百千零〇两\d]+条")  # an article that carries its own number
MD_RULE = re.compile(r"^\|(\s*:?-{3,}:?\s*\|)+$")  # '| --- | --- |' under a Markdown header row
SHORT_SENTENCE = 30  # a heading's first sentence shorter than this says little on its own
BODY_MAX = 150  # a heading keeps its first two sentences when together they stay this short
TABLE_ROWS = 7  # a whole table shows up to six rows, each whole, its cells under their column names
TABLE_CHARS, HEADER_CELL = 360, 10  # rows past TABLE_CHARS are left out whole, never cut mid-cell
HEADING_MAX = 40  # characters: a longer line without a full stop is prose, not a heading
LIST_ITEMS, NAME_ITEM_MAX = 8, 12  # an unmarked list item only names its point ('数据飞轮')


@dataclass(frozen=True)
class Unit:
    kind: UnitKind
    quote: str  # verbatim substring of the passage
    text: str  # readable form (markup stripped, heading and first sentence joined by '：')
    label: str = ""  # a table row's label, inherited by the rows that continue it; a heading's text
    opening: bool = False  # the passage opens with it: it may continue the passage before


@dataclass(frozen=True)
class _Line:
    start: int
    raw: str  # the line without surrounding whitespace
    kind: Literal["blank", "table", "heading", "item", "para"]
    indented: bool = False


def refers_back(text: str) -> bool:
    """A short sentence that opens by pointing at the one before it ("这种方式能够有效缓解人才短缺的
    困境"): alone it says nothing. A long one ("这表现在两个方面：一方面…") carries its own content."""
    pointing = _REFERS_BACK.match(text) is not None and not _ORDINAL.match(text)
    return len(text) < SHORT_SENTENCE + 10 and pointing


def cells(raw: str) -> list[str]:
    """The cells of a Markdown or tab-separated table row."""
    parts = re.split(r"(?<!\\)\|", raw[1:-1]) if MD_ROW.match(raw) else raw.split("\t")
    return [c.strip() for c in parts if c.strip()]


def _kind(stripped: str) -> Literal["blank", "table", "heading", "item", "para"]:
    promo = len(stripped) <= HEADING_MAX and PROMO.search(stripped)
    credit = len(stripped) <= CREDIT_MAX and CREDIT_LINE.match(stripped)
    if not stripped or _FRONT_MATTER.match(stripped) or promo or credit or MD_RULE.match(stripped):
        return "blank"  # credits and source lines ('©…', 'www.…', '数据来源：…') carry no content
    if ("\t" in stripped or MD_ROW.match(stripped)) and len(cells(stripped)) >= 2:
        return "table"
    if stripped.startswith("#"):
        return "heading"
    body = clean(stripped)
    if len(body) <= HEADING_MAX and body and body[-1] not in _TERMINAL + "：:":
        return "heading"
    return "item" if _ITEM.match(stripped) else "para"


@lru_cache(maxsize=8192)
def _lines(text: str) -> tuple[_Line, ...]:
    out, pos = [], 0
    for line in text.splitlines(keepends=True):
        lead = len(line) - len(line.lstrip())
        stripped = line.strip()
        out.append(_Line(pos + lead, stripped, _kind(stripped), lead > 0))
        pos += len(line)
    return tuple(out)


def _sentences(line: _Line) -> list[tuple[int, str]]:
    """(offset, verbatim sentence) pairs of a prose line, edges trimmed."""
    out, pos = [], line.start
    for piece in SENTENCE_END.split(line.raw):
        trimmed = piece.strip(_EDGE)
        if trimmed and any(ch.isalnum() for ch in trimmed):
            out.append((pos + piece.index(trimmed), trimmed))
        pos += len(piece)
    return out


def _next_content(lines: tuple[_Line, ...], i: int) -> int | None:
    for j in range(i + 1, len(lines)):
        if lines[j].kind != "blank":
            return j
    return None


def line_kinds(text: str) -> list[tuple[str, str]]:  # (line, kind) of each line not empty (credits blank)
    return [(line.raw, line.kind) for line in _lines(text) if line.raw]


def _with_first_sentence(text: str, lines: tuple[_Line, ...], i: int, *, more: bool = False) -> Unit | None:
    """A heading-like line run into the first sentence of the prose under it when it labels it; a
    document title, a chapter over a numbered article ('第三十四条') or a heading before a sub-heading
    ('## 摘要') is only the unit's `label`, read by relevance. With `more`, a short first sentence
    brings the next one along."""
    j = _next_content(lines, i)
    crossed = False
    for _ in range(2):  # a title may be followed by a sub-heading before its prose ('# 标题', '## 摘要')
        if j is not None and lines[j].kind == "heading" and not _marker(lines[j].raw):
            j, crossed = _next_content(lines, j), True
    if j is None or lines[j].kind not in ("para", "item"):
        return None
    body = _sentences(lines[j])
    if not body:
        return None
    taken = body[
        : 2
        if more and (len(body[0][1]) < SHORT_SENTENCE or sum(len(x) for _, x in body[:2]) <= BODY_MAX)
        else 1
    ]
    offset, last = taken[-1]
    shown = "".join(clean(s) for _, s in taken)
    head = lines[i].raw.strip(_EDGE)
    if crossed or _TITLE.match(lines[i].raw) or ARTICLE.match(taken[0][1]):
        return Unit("heading", text[taken[0][0] : offset + len(last)], shown, clean(head))
    start = lines[i].start + lines[i].raw.index(head)
    return Unit("heading", text[start : offset + len(last)], f"{clean(head)}：{shown}", clean(head))


def _item_text(raw: str) -> str:
    """A list item as shown in a list: its label when it has one ('战略风险高：…'), else its first clause."""
    body = clean(raw)
    head = re.split(r"[：:]", body, maxsplit=1)[0]
    if len(head) <= 14 and len(head) < len(body):
        return head
    return re.split(r"[，。；,;]", body, maxsplit=1)[0][:40]


def _marker(raw: str) -> str:
    """The kind of list marker a line starts with ('-', '●', '1.', '（1）', '一、'), '' for none."""
    m = _ITEM.match(raw)
    mark = m.group(1) if m else ""
    if mark[:1] in ("（", "("):  # '（1）' and '（一）' (a regulation's article items) are two kinds
        return "(1)" if mark[1].isdigit() else "(一)"
    return "1." if mark[:1].isdigit() else "一、" if mark.endswith("、") else mark


def _items(lines: tuple[_Line, ...], j: int | None, mark: str) -> list[_Line]:
    """Consecutive items with one marker (or plain heading-like lines when `mark` is empty; Markdown
    headings are sections, not items, so a run of them never becomes a list quote)."""
    items: list[_Line] = []
    explained = False
    while j is not None and len(items) < LIST_ITEMS:
        line = lines[j]
        if _marker(line.raw) == mark and (mark or (line.kind == "heading" and not line.raw.startswith("#"))):
            items.append(line)
            explained = False
        elif line.kind in ("para", "item") and not explained and not ARTICLE.match(line.raw):
            explained = True  # an explanation; a regulation's next article ends the list
        else:
            break
        j = _next_content(lines, j)
    return items


def _opening_list(text: str, lines: tuple[_Line, ...]) -> Unit | None:
    """A list a passage opens with, its introduction left in the passage before (see
    agents.neighbors): items only."""
    j = _next_content(lines, -1)
    if j is None or lines[j].kind not in ("heading", "item"):
        return None
    mark = _marker(lines[j].raw)
    items = _items(lines, j, mark)
    # unmarked items are short names ('产品边界', '数据飞轮'); long unmarked headings are sections
    if len(items) < 2 or (not mark and any(len(it.raw.strip()) > NAME_ITEM_MAX for it in items)):
        return None
    end = items[-1].start + len(items[-1].raw)
    shown = "、".join(_item_text(it.raw) for it in items)
    return Unit("list", text[items[0].start : end], shown)


def _list_block(text: str, lines: tuple[_Line, ...], i: int) -> Unit | None:
    """An introduction (a heading or a line ending in '：') with the list items that follow it.
    Items share one marker, not the introduction's own, so '● section' lines holding '- item' lines
    do not swallow the next section; after a '：' introduction, short unmarked lines are items too.
    One paragraph may explain each item."""
    intro = lines[i].raw.strip(_EDGE)
    j = _next_content(lines, i)
    if j is None:
        return None
    mark = _marker(lines[j].raw)
    opener = intro.endswith(("：", ":")) or lines[i].kind != "para"  # not a sentence of prose
    plain_items = not mark and opener and lines[j].kind == "heading"
    if not (mark and mark != _marker(lines[i].raw)) and not plain_items:
        return None
    items = _items(lines, j, mark)
    if len(items) < 2:
        return None
    sentences = _sentences(lines[i])
    if not sentences:  # an introduction without a word in it ('：' alone)
        return None
    start, intro = sentences[-1]  # the sentence that introduces the list
    end = items[-1].start + len(items[-1].raw)
    lead = clean(intro).rstrip("：:")
    if ARTICLE.match(lines[i].raw):  # a regulation's article: the whole lead-in and every item are the rule
        shown = "；".join(it.raw.strip(_EDGE).rstrip("；;。") for it in items)
        return Unit("list", text[lines[i].start : end], f"{clean(lines[i].raw).rstrip('：:')}：{shown}。")
    lead = re.split(r"[，,；;]", lead)[-1] if len(lead) > 30 else lead  # the clause naming the list
    return Unit("list", text[start:end], f"{lead}：{'、'.join(_item_text(it.raw) for it in items)}")


def _table_block(text: str, lines: tuple[_Line, ...], i: int) -> Unit | None:
    """A table read whole under its header row ('类型 | 现有应用'), each cell named by its column."""
    rows, j = [], i
    while j < len(lines) and (lines[j].kind == "table" or MD_RULE.match(lines[j].raw)):
        rows += [lines[j]] if lines[j].kind == "table" else []
        j += 1
    header = cells(rows[0].raw)
    regular = all(not r.indented and abs(len(cells(r.raw)) - len(header)) <= 1 for r in rows)
    if len(rows) < 3 or len(header) < 3 or not regular or max(map(len, header)) > HEADER_CELL:
        return None  # not a header over regular rows: the rows stand alone
    body: list[str] = []
    for first, *rest in (cells(r.raw) for r in rows[1:TABLE_ROWS]):
        named = "；".join(f"{h}：{c}" for h, c in zip(header[1:], rest, strict=False) if c)
        line = f"{first}（{named}）" if named else first
        if body and len("；".join([*body, line])) > TABLE_CHARS:
            break
        body.append(line)
    quote = text[rows[0].start : rows[-1].start + len(rows[-1].raw)]
    return Unit("table", quote, f"{'、'.join(header)}：{'；'.join(body)}。")


@lru_cache(maxsize=8192)
def answer_units(text: str) -> tuple[Unit, ...]:
    """Every unit of a passage, in reading order."""
    lines = _lines(text)
    opening = _opening_list(text, lines)
    out: list[Unit] = [opening] if opening else []
    label = ""
    for i, line in enumerate(lines):
        if line.kind == "table":
            opens = i == 0 or (lines[i - 1].kind != "table" and not MD_RULE.match(lines[i - 1].raw))
            whole = _table_block(text, lines, i) if opens else None
            if whole is not None:
                out.append(whole)
            row = cells(line.raw)
            if not line.indented and len(row[0]) <= 8:  # a row label, continued by indented rows
                label = row[0]
                shown = "、".join(dict.fromkeys(row[1:]))  # a merged cell repeats: shown once
                out.append(Unit("table", line.raw, f"{label}：{shown}", label))
            else:
                out.append(Unit("table", line.raw, "、".join(dict.fromkeys(row)), label))
            continue
        if line.kind == "blank":
            continue
        label = ""
        block = (
            _list_block(text, lines, i) if line.kind == "heading" or line.raw.endswith(("：", ":")) else None
        )
        if block is not None:
            out.append(block)
        if line.kind == "heading":
            unit = None if block else _with_first_sentence(text, lines, i, more=True)
            out.append(unit or Unit("heading", line.raw.strip(_EDGE), clean(line.raw)))
            continue
        sentences = _sentences(line)
        out.extend(Unit("sentence", s, clean(s)) for _, s in sentences)
        for (start, first), (offset, second) in zip(sentences, sentences[1:], strict=False):
            # "…的重要工具。1、…；2、…" and "…AI素养。这种人机协作模式…": one thought in two sentences
            if _INLINE_LIST.match(second) or (
                _REFERS_BACK.match(second) and len(first) + len(second) <= BODY_MAX
            ):
                quote = text[start : offset + len(second)]
                out.append(Unit("list", quote, f"{clean(first)}{clean(second)}"))
    top = _next_content(lines, -1)
    if top is not None:  # what the passage opens with may continue the passage before it
        head, size = lines[top].start, len(lines[top].raw)
        out = [replace(u, opening=True) if 0 <= text.find(u.quote) - head < size else u for u in out]
    return tuple(out)


def is_item(line: str) -> bool:
    """A list item: a line that starts with a bullet or an enumeration mark ('-', '1.', '（三）')."""
    return _ITEM.match(line) is not None


def thicken(text: str, quote: str) -> str:
    """A bare heading quote gains the sentence right under it (not a sub-heading such as '## 摘要')."""
    lines = _lines(text)
    for i, line in enumerate(lines):
        if line.kind == "heading" and line.raw.strip(_EDGE) == quote.strip(_EDGE):
            j = _next_content(lines, i)
            unit = _with_first_sentence(text, lines, i)
            if unit is None or j is None or lines[j].kind not in ("para", "item"):
                return quote
            start = line.start + line.raw.index(quote.strip(_EDGE))
            return text[start : text.index(unit.quote, start) + len(unit.quote)]
    return quote
