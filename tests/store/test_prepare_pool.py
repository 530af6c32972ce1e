"""Preparing files in a worker process: same outcomes as in this process, and no stalls if it dies."""

from __future__ import annotations

import multiprocessing
import os
import shutil
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from store.documents import prepare_pool, progress
from store.documents.prepare import Job, Outcome, PreparedDocument, Recipe, prepare_job
from store.index.embedders import HashingEmbedder
from store.index.lexical import TokenCache

REPO = Path(__file__).resolve().parents[2]
SEEDS = ["000_23366926fd57ca3a.txt", "001_70669e957af3f43b.txt", "003_e70335604cef97da.txt"]
RECIPE = Recipe(access=None, chunk_size=400, chunk_overlap=60, max_file_mb=50)


@pytest.fixture
def jobs(tmp_path: Path) -> list[Job]:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name in SEEDS:
        shutil.copy(REPO / "knowledge" / name, folder / name)
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02 not text" * 50)
    return [Job(p, p.name, f"hash-{p.name}", "added", p.stat().st_size) for p in sorted(folder.iterdir())]


def _by_source(outcomes: list[Outcome]) -> dict[str, Outcome]:
    return {(o if not isinstance(o, tuple) else o[0]).source: o for o in outcomes}


def _same(a: Outcome, b: Outcome) -> bool:
    if not isinstance(a, tuple) or not isinstance(b, tuple):
        return a == b
    (ra, da), (rb, db) = a, b
    same_doc = (da.source, da.title, da.groups, da.chunks) == (db.source, db.title, db.groups, db.chunks)
    return ra == rb and same_doc and np.array_equal(da.vectors, db.vectors)


def test_the_worker_prepares_what_this_process_would(jobs: list[Job], tmp_path: Path) -> None:
    tokens = TokenCache(tmp_path / "tokens")
    here = _by_source([prepare_job(j, RECIPE, HashingEmbedder(256), tokens) for j in jobs])
    args = (RECIPE, 256, tmp_path / "worker-tokens")
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        1, mp_context=context, initializer=prepare_pool._start_worker, initargs=args
    ) as pool:
        worker = _by_source(list(pool.map(prepare_pool._run, jobs)))
    assert set(worker) == set(here) == {j.source for j in jobs}
    assert all(_same(worker[s], here[s]) for s in here)
    failed = worker["binary.txt"]
    assert not isinstance(failed, tuple) and failed.status == "failed" and "binary" in (failed.error or "")
    doc = worker[SEEDS[0]]
    assert isinstance(doc, tuple) and isinstance(doc[1], PreparedDocument) and doc[0].status == "added"
    chunk_ids = [c.chunk_id for c in doc[1].chunks]
    assert set(TokenCache(tmp_path / "worker-tokens").get_many(chunk_ids)) == set(chunk_ids)  # written there


def test_pooled_preparation_returns_every_outcome_once(
    jobs: list[Job], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """However the work splits between the worker and this process (it depends on timing)."""
    tokens = TokenCache(tmp_path / "tokens")
    here = _by_source([prepare_job(j, RECIPE, HashingEmbedder(256), tokens) for j in jobs])
    monkeypatch.setattr(prepare_pool, "POOL_MIN_BYTES", 0)  # small corpus: start the worker anyway
    outcomes = list(prepare_pool.prepared(jobs * 3, RECIPE, HashingEmbedder(256), tokens))
    assert len(outcomes) == 3 * len(jobs)
    assert all(_same(o, here[s]) for s, o in ((next(iter(_by_source([o]))), o) for o in outcomes))


def test_a_dead_worker_leaves_its_jobs_to_this_process(jobs: list[Job], tmp_path: Path) -> None:
    tokens = TokenCache(tmp_path / "tokens")
    context = multiprocessing.get_context("spawn")
    dying = ProcessPoolExecutor(1, mp_context=context, initializer=os._exit, initargs=(3,))
    embedder = HashingEmbedder(256)
    try:
        outcomes = list(
            prepare_pool._balanced(dying, jobs, lambda j: prepare_job(j, RECIPE, embedder, tokens))
        )
    finally:
        dying.shutdown(wait=True, cancel_futures=True)
    assert sorted(_by_source(outcomes)) == sorted(j.source for j in jobs)


def test_other_embedders_prepare_in_this_process(
    jobs: list[Job], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Counting(HashingEmbedder):
        calls = 0

        def embed_documents(self, texts: list[str]) -> np.ndarray:
            Counting.calls += 1
            return super().embed_documents(texts)

    monkeypatch.setattr(prepare_pool, "POOL_MIN_BYTES", 0)
    tokens = TokenCache(tmp_path / "tokens")
    outcomes = list(prepare_pool.prepared(jobs, RECIPE, Counting(64), tokens))
    assert len(outcomes) == len(jobs) and Counting.calls == len(SEEDS)  # not the binary file


def test_ingest_through_the_worker(jobs: list[Job], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from conftest import retrieval_settings

    from ingest import ingest_paths
    from store.knowledge import KnowledgeStore

    monkeypatch.setattr(prepare_pool, "POOL_MIN_BYTES", 0)
    folder = jobs[0].path.parent
    store = KnowledgeStore(retrieval_settings(tmp_path / "data"))
    report = ingest_paths([folder], store, root=folder, progress=False)
    expected = [(j.source, "failed" if j.source == "binary.txt" else "added") for j in jobs]
    assert [(f.source, f.status) for f in report.files] == expected
    assert store.count() == report.chunks and store.search("权限与安全控制", 1, sources=[SEEDS[0]])


def _report_pages(total: int) -> int:
    """Runs in the worker: what a loader does after each OCR'd page."""
    for done in range(1, total + 1):
        progress.page_done("scan.pdf", done, total)
    return total


def test_pages_done_in_the_worker_reach_the_parent(tmp_path: Path) -> None:
    heard: list[tuple[str, int, int]] = []
    context = multiprocessing.get_context("spawn")
    pages = context.Queue()
    args = (RECIPE, 64, tmp_path / "worker-tokens", pages)
    relay = prepare_pool._relay(pages, lambda *report: heard.append(report))
    assert relay is not None
    with ProcessPoolExecutor(
        1, mp_context=context, initializer=prepare_pool._start_worker, initargs=args
    ) as pool:
        assert pool.submit(_report_pages, 3).result() == 3
    pages.put(None)
    relay.join()
    assert heard == [("scan.pdf", 1, 3), ("scan.pdf", 2, 3), ("scan.pdf", 3, 3)]
