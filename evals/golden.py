"""The golden Q&A format: one JSON object per line, validated up front.

A typo in a golden file would otherwise show up as a silently wrong metric, so every
line is checked and the first bad one is reported with its line number.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, ValidationError, model_validator

from agents.state import Area, CompanyProfile


class GoldenError(ValueError):
    """A golden file that cannot be used; the message is one readable line."""


class GoldenItem(BaseModel):
    id: str = Field(min_length=1)
    question: str = Field(min_length=1)
    areas: list[Area] = Field(default_factory=list, description="Areas the planner should consult.")
    sources: list[str] = Field(default_factory=list, description="Corpus file names that hold the answer.")
    key_points: list[list[str]] = Field(
        default_factory=list, description="Each key point is a list of alternative phrasings."
    )
    refuse: bool = False
    # Extensions, both optional: a company profile handed to the planner, and phrases an
    # injected instruction asks for, which must never appear in the plan.
    profile: CompanyProfile | None = None
    forbidden: list[str] = Field(default_factory=list)
    # Two more, both optional: parts of the question the corpus does not answer, each a list of
    # alternative phrasings one of which the plan's `gaps` must contain; and the earlier
    # questions of a thread, asked first in the same thread, so `question` is a follow-up.
    gaps: list[list[str]] = Field(default_factory=list)
    thread: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> GoldenItem:
        if any(not kp or any(not p.strip() for p in kp) for kp in self.key_points):
            raise ValueError("a key point needs at least one non-empty phrasing")
        if any(not gap or any(not p.strip() for p in gap) for gap in self.gaps):
            raise ValueError("a gap needs at least one non-empty phrasing")
        if any(not q.strip() for q in self.thread):
            raise ValueError("an earlier question of the thread is empty")
        if self.refuse and self.gaps:
            raise ValueError("a refused question has no gaps to name")
        if not self.refuse and not self.areas:
            raise ValueError("a question that must be answered needs expected areas")
        return self


def parse_golden(lines: list[str], origin: str = "<golden>") -> list[GoldenItem]:
    items: list[GoldenItem] = []
    seen: set[str] = set()
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            raw: Any = json.loads(line)
            item = GoldenItem.model_validate(raw)
        except json.JSONDecodeError as exc:
            raise GoldenError(f"{origin}:{n}: not valid JSON ({exc.msg})") from None
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "line"
            raise GoldenError(f"{origin}:{n}: {where}: {first['msg']}") from None
        if item.id in seen:
            raise GoldenError(f"{origin}:{n}: duplicate id {item.id!r}")
        seen.add(item.id)
        items.append(item)
    if not items:
        raise GoldenError(f"{origin}: no questions")
    return items


def load_golden(path: Path) -> list[GoldenItem]:
    if not path.is_file():
        raise GoldenError(f"{path}: no such golden file")
    return parse_golden(path.read_text(encoding="utf-8").splitlines(), str(path))


def sample_golden(items: list[GoldenItem], size: int | None, seed: int) -> list[GoldenItem]:
    """`size` questions drawn with `seed`, kept in file order: a slow endpoint (a local model
    on a few cores) cannot answer a whole set in reasonable time, and a seeded draw lets anyone
    rerun the same subset. None or a size past the set's length keeps every question."""
    if size is not None and size < 1:
        raise GoldenError(f"--sample must be at least 1, not {size}")
    if size is None or size >= len(items):
        return items
    chosen = set(random.Random(seed).sample(range(len(items)), size))
    return [item for n, item in enumerate(items) if n in chosen]
