"""Tables as small Markdown tables: every block repeats the header, so a chunk never holds a row
without the column names that give it meaning.

Blocks stay under `BLOCK_CHARS` (below the smallest chunk size, 100 characters, would make one row
per block; the default chunk size is 400), and the chunker splits at blank lines first, so a block
is never cut in two unless a single row is longer than a chunk.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

BLOCK_CHARS = 300


def cell_text(value: object) -> str:
    """One cell on one line: pipes escaped, whitespace collapsed, floats without a spurious `.0`."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split()).replace("|", "\\|")


def markdown_tables(rows: Iterable[Sequence[object]]) -> list[str]:
    """Header-aware Markdown blocks from rows of cells; the first non-empty row is the header."""
    cleaned = [[cell_text(c) for c in row] for row in rows]
    cleaned = [row for row in cleaned if any(row)]
    if not cleaned:
        return []
    width = max(len(row) for row in cleaned)
    used = [i for i in range(width) if any(i < len(row) and row[i] for row in cleaned)]
    grid = [[row[i] if i < len(row) else "" for i in used] for row in cleaned]
    header, body = grid[0], grid[1:]
    if len(used) == 1:  # a single column is a list, not a table
        return ["\n".join(r[0] for r in grid)]
    head = _line(header) + "\n" + _line(["---"] * len(header))
    if not body:
        return [head]
    blocks: list[str] = []
    lines: list[str] = []
    for row in body:
        line = _line(row)
        if lines and len(head) + sum(len(x) + 1 for x in lines) + len(line) > BLOCK_CHARS:
            blocks.append(head + "\n" + "\n".join(lines))
            lines = []
        lines.append(line)
    blocks.append(head + "\n" + "\n".join(lines))
    return blocks


def _line(cells: Sequence[str]) -> str:
    return "| " + " | ".join(cells) + " |"
