"""Loads the domain vocabularies in agents/data/ once per process.

Vocabulary is data so that adapting the advisor to another domain means editing YAML, not code.
The safe loader builds plain dicts, lists and strings only.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


@cache
def load(name: str) -> dict[str, Any]:
    """The mapping in agents/data/<name>.yaml (read once; callers must not mutate it)."""
    with (DATA_DIR / f"{name}.yaml").open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    if not isinstance(data, dict):
        raise ValueError(f"agents/data/{name}.yaml must hold a mapping")
    return data
