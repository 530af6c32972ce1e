"""The ingest tests' corpus and counting embedder, as pytest fixtures (`pytest_plugins`)."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from settings import Settings
from store.index.embedders import HashingEmbedder
from store.knowledge import KnowledgeStore
from store.records import FileResult

REPO = Path(__file__).resolve().parents[1]
SEEDS = ["000_23366926fd57ca3a.txt", "001_70669e957af3f43b.txt", "003_e70335604cef97da.txt"]


class CountingEmbedder(HashingEmbedder):
    """The real offline embedder, counting what it embeds; `fail_on_call` makes one call fail."""

    def __init__(self) -> None:
        super().__init__(dim=256)
        self.embedded = 0
        self.calls = 0
        self.fail_on_call: int | None = None

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        self.calls += 1
        if self.calls == self.fail_on_call:
            raise RuntimeError("embedding service went away")
        self.embedded += len(texts)
        return super().embed_documents(texts)


def raw_chunk_count(store: KnowledgeStore) -> int:
    """Every chunk record in Chroma, committed or not (peeks past the store's manifest on purpose)."""
    return store._chunks.count()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", knowledge_dir=tmp_path / "knowledge")


@pytest.fixture
def embedder() -> CountingEmbedder:
    return CountingEmbedder()


@pytest.fixture
def store(settings: Settings, embedder: CountingEmbedder) -> KnowledgeStore:
    return KnowledgeStore(settings, embedder=embedder)


@pytest.fixture
def corpus(settings: Settings) -> Path:
    root = settings.knowledge_dir
    (root / "team").mkdir(parents=True)
    for name in SEEDS:
        shutil.copy(REPO / "knowledge" / name, root / name)
    (root / "team" / "policy.md").write_text(
        "---\ntitle: 数据安全制度\naccess: security\n---\n"
        "## 一、权限\n\n员工按角色授权，访问记录写入审计日志。\n",
        encoding="utf-8",
    )
    (root / "README.md").write_text("# How to add documents\n", encoding="utf-8")
    (root / ".draft.md").write_text("# hidden\n\n草稿。", encoding="utf-8")
    return root


def sources(report_files: list[FileResult]) -> dict[str, str]:
    return {f.source: f.status for f in report_files}
