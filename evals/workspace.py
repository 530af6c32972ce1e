"""What an eval run stands on: its settings, its store and the files it writes.

Both the full eval (`evals.runner`) and the retrieval comparison (`evals.retrieval`) open
their store here, so `--corpus` and `--mode` mean the same thing to both.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rich.console import Console

from ingest import ingest_paths
from settings import Settings, get_settings
from store.knowledge import KnowledgeStore, get_store

console = Console(stderr=True)


class EvalError(RuntimeError):
    """A setup problem the user can fix; shown as one line."""


def eval_settings(mode: str | None, base: Settings | None = None) -> Settings:
    settings = base or get_settings()
    if mode:
        settings = settings.model_copy(update={"mode": mode})
    if mode == "llm" and not settings.llm_enabled:
        raise EvalError("--mode llm needs OPENAI_API_KEY (and optionally OPENAI_BASE_URL, ADVISOR_MODEL)")
    return settings


@contextmanager
def open_store(settings: Settings, corpus: Path | None) -> Iterator[tuple[KnowledgeStore, Settings]]:
    """The current store, or a fresh temporary one ingested from `corpus` and removed afterwards."""
    if corpus is None:
        store = get_store()
        if not store.document_hashes():
            raise EvalError("the knowledge base is empty: run `advisor ingest` first, or pass --corpus DIR")
        yield store, settings
        return
    if not corpus.is_dir():
        raise EvalError(f"{corpus}: not a folder")
    tmp = Path(tempfile.mkdtemp(prefix="advisor-eval-"))
    try:
        fresh = settings.model_copy(update={"data_dir": tmp, "chroma_host": None})
        store = KnowledgeStore(fresh)
        report = ingest_paths([corpus], store, root=corpus, progress=False)
        for failed in report.failed:
            console.print(f"[yellow]warning:[/] {failed.source}: {failed.error}")
        if not store.document_hashes():
            raise EvalError(f"{corpus}: no document could be ingested")
        yield store, fresh
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
