"""Where a passage starts and ends as a reader sees it: credit lines ('数据来源：…', '©…', 'www.…')
carried over from a chart are no content, and a chart's caption is an ending of its own kind."""

from __future__ import annotations

from agents.offline.units import line_kinds


def is_heading(line: str) -> bool:
    """A heading-like line: marked, or short without sentence punctuation."""
    return any(kind == "heading" for _, kind in line_kinds(line.strip()))


def opens_more(line: str) -> bool:
    """A line that announces what follows it: a heading, a list opener or a sentence ending in '：'."""
    stripped = line.strip()
    return is_heading(stripped) or stripped.endswith(("：", ":"))


def last_content(text: str) -> str:
    """The passage's last line with content (not the credit lines after a chart's caption)."""
    return next((raw for raw, kind in reversed(line_kinds(text)) if kind != "blank"), "")


def first_content(text: str) -> str:
    """The passage's first line with content (credit lines carried over from the chunk before skipped)."""
    return next((raw for raw, kind in line_kinds(text) if kind != "blank"), "")


def captioned(text: str) -> bool:
    """The passage ends on a chart's caption: credit lines follow its last line with content."""
    lines = line_kinds(text)
    return bool(lines) and lines[-1][1] == "blank" and any(kind != "blank" for _, kind in lines)


def ends_open(text: str) -> bool:
    """The passage ends on what its successor goes on with: a heading or a list opener; a chart's
    caption (credit lines after it) only when the line before announces it ('调研结果如下：'), since
    a caption after the text that discusses its chart closes that discussion."""
    content = [raw for raw, kind in line_kinds(text) if kind != "blank"]
    if not content or not opens_more(content[-1]):
        return False
    if not captioned(text) or content[-1].endswith(("：", ":")):
        return True
    return len(content) > 1 and content[-2].endswith(("：", ":"))
