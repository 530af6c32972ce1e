"""Prepare files in a worker process while this process commits: outcomes as they are ready.

Only the offline hashing embedder is rebuilt in the worker: it is a pure function of the text, so
the worker's vectors are the ones this process would compute. Any other embedder (a remote model,
or one a caller passed in) runs here, and so does everything when the work is too small to pay for
starting a process (~0.8 s of imports). While the worker starts, or whenever it is busy and nothing
is ready, this process prepares the jobs furthest from the worker's queue itself, so neither waits
for the other. If the worker dies, its jobs are prepared here.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import threading
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from store.documents import progress
from store.documents.prepare import Job, Outcome, Recipe, prepare_job
from store.index.embedders import Embedder, HashingEmbedder
from store.index.lexical import TokenCache

POOL_MIN_BYTES = 1_000_000  # below this a worker's start-up costs more than it saves
# Source bytes queued for the worker: about what it prepares while this process commits a batch
# (~0.5 s), and never more than half of what is left, so neither waits long for the other at the
# end. Queued jobs are never taken back (cancelling a future of a pool that later breaks trips a
# bug in Python 3.11).
AHEAD_BYTES = 600_000

_worker: tuple[Recipe, HashingEmbedder, TokenCache] | None = None


def _start_worker(recipe: Recipe, dim: int, token_dir: Path, pages: Any = None) -> None:
    global _worker
    _worker = (recipe, HashingEmbedder(dim), TokenCache(token_dir))
    if pages is not None:  # per-page progress (OCR) goes to the parent's listener
        progress.set_listener(lambda source, done, total: pages.put((source, done, total)))


def _started() -> None:
    """A first job that makes the pool start its worker now."""


@contextlib.contextmanager
def _interrupts_ignored() -> Iterator[None]:
    """A worker started meanwhile inherits an ignored SIGINT: Ctrl-C is for this process, which then
    stops the worker (Python keeps an inherited SIG_IGN, so no traceback from the worker's imports)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _run(job: Job) -> Outcome:
    assert _worker is not None, "worker not initialised"
    recipe, embedder, tokens = _worker
    return prepare_job(job, recipe, embedder, tokens)


def prepared(
    jobs: Sequence[Job],
    recipe: Recipe,
    embedder: Embedder,
    tokens: TokenCache,
    on_page: progress.PageListener | None = None,
) -> Iterator[Outcome]:
    """Every job's outcome, in no particular order; `on_page` hears of pages the worker finished."""
    here: Callable[[Job], Outcome] = lambda job: prepare_job(job, recipe, embedder, tokens)  # noqa: E731
    small = sum(j.size for j in jobs) < POOL_MIN_BYTES
    if type(embedder) is not HashingEmbedder or small or (os.cpu_count() or 1) < 2:
        yield from map(here, jobs)
        return
    context = multiprocessing.get_context("spawn")  # fork would copy Chroma's running threads
    pages = context.Queue() if on_page is not None else None
    args = (recipe, embedder.dim, tokens.path.parent, pages)
    pool = ProcessPoolExecutor(1, mp_context=context, initializer=_start_worker, initargs=args)
    relay = _relay(pages, on_page)
    with _interrupts_ignored():
        pool.submit(_started)
    try:
        yield from _balanced(pool, jobs, here)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)  # all consumed: the worker just exits
        if pages is not None and relay is not None:
            pages.put(None)
            relay.join()


def _relay(pages: Any, on_page: progress.PageListener | None) -> threading.Thread | None:
    """A thread handing the worker's page reports to `on_page` until it reads None."""
    if pages is None or on_page is None:
        return None

    def run() -> None:
        while (item := pages.get()) is not None:
            on_page(*item)

    thread = threading.Thread(target=run, name="page-progress", daemon=True)
    thread.start()
    return thread


def _balanced(
    pool: ProcessPoolExecutor, jobs: Sequence[Job], here: Callable[[Job], Outcome]
) -> Iterator[Outcome]:
    queue = deque(jobs)  # the worker is fed from the front, this process takes from the back
    inflight: dict[Future[Outcome], Job] = {}
    ahead, left = 0, sum(j.size for j in jobs)
    broken = False
    while queue or inflight:
        limit = min(AHEAD_BYTES, left // 2)
        while queue and not broken and (not inflight or ahead + queue[0].size <= limit):
            job = queue.popleft()
            inflight[pool.submit(_run, job)] = job
            ahead += job.size
        done = [f for f in inflight if f.done()]
        if not done:
            if queue:  # the worker is busy (or starting): prepare the job furthest from it here
                job = queue.pop()
                left -= job.size
                yield here(job)
                continue
            done = list(wait(inflight, return_when=FIRST_COMPLETED).done)
        for future in done:
            job = inflight.pop(future)
            ahead -= job.size
            left -= job.size
            try:
                outcome = future.result()
            except Exception as err:  # the worker died (or could not send its result): prepare it here
                broken = broken or isinstance(err, BrokenProcessPool)
                outcome = here(job)
            yield outcome
