"""A Markdown table row read under its table's header, each cell named by its column.

A facet's answer may be one row of a table ('| 二级应用，或者预算50万元（含）至500万元 | 信息技术部、风险
合规部 | 分管副总裁 | 管委会 |'); shown bare, its cells lose what they are (who reviews, who approves).
"""

from __future__ import annotations

from agents.offline.units import MD_ROW, MD_RULE, cells


def row_text(passage: str, row: str) -> str | None:
    """A Markdown table row of the passage read under its table's header, each cell named by its
    column ('二级应用…（审核：信息技术部…；审批：分管副总裁…）'); None when `row` is no such row."""
    raw = row.strip()
    lines = [line.strip() for line in passage.splitlines()]
    if not MD_ROW.match(raw) or raw not in lines:
        return None
    at = lines.index(raw)
    top = at
    while top > 0 and (MD_ROW.match(lines[top - 1]) or MD_RULE.match(lines[top - 1])):
        top -= 1
    header = cells(lines[top])
    first, *rest = cells(raw)
    if top == at or not rest:
        return first
    named = "；".join(f"{h}：{c}" for h, c in zip(header[1:], rest, strict=False) if c)
    return f"{first}（{named}）"
