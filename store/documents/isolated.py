"""Prepare one uploaded file in a separate process, with a memory cap and a deadline.

Parsing, chunking and tokenising hold the GIL, so an upload prepared inside the server slows
every plan in it; a crafted file (a small docx that expands to hundreds of MB of XML) can hold
it for a minute and take gigabytes. Here a long-lived worker process prepares uploads one at a
time: its address space is capped (`RLIMIT_AS`), and a file that takes longer than the deadline
gets the worker killed and replaced. Either way the file is refused and nothing is committed.
Only the offline hashing embedder can run in the worker (see prepare_pool.py); with any other
embedder the caller prepares in-process.
"""

from __future__ import annotations

import multiprocessing
import resource
import threading
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path

from store.documents.prepare import Job, Outcome, Recipe, prepare_job
from store.index.embedders import HashingEmbedder
from store.index.lexical import TokenCache
from store.records import FileResult


def _serve(conn: Connection, memory_bytes: int, dim: int, token_dir: Path) -> None:
    """The worker: take (job, recipe), answer the outcome, until the pipe closes."""
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    embedder, tokens = HashingEmbedder(dim), TokenCache(token_dir)
    while True:
        try:
            job, recipe = conn.recv()
        except EOFError:
            return
        try:
            outcome: Outcome = prepare_job(job, recipe, embedder, tokens)
        except MemoryError:
            outcome = FileResult(
                source=job.source, status="failed", error="the document needs more memory than allowed"
            )
        conn.send(outcome)


class IsolatedPreparer:
    """A worker process that prepares one job at a time; restarted after a kill or a crash."""

    def __init__(self, *, dim: int, token_dir: Path, memory_mb: float, timeout_s: float) -> None:
        self.dim, self.token_dir = dim, token_dir
        self.memory_bytes, self.timeout_s = int(memory_mb * (1 << 20)), timeout_s
        self._lock = threading.Lock()
        self._process: BaseProcess | None = None
        self._conn: Connection | None = None

    def _start(self) -> Connection:
        if self._process is not None and self._process.is_alive() and self._conn is not None:
            return self._conn
        self.close()
        context = multiprocessing.get_context("spawn")  # fork would copy Chroma's running threads
        ours, theirs = context.Pipe()
        args = (theirs, self.memory_bytes, self.dim, self.token_dir)
        self._process = context.Process(target=_serve, args=args, daemon=True, name="advisor-upload-worker")
        self._process.start()
        theirs.close()
        self._conn = ours
        return ours

    def prepare(self, job: Job, recipe: Recipe) -> Outcome:
        """The job's outcome; a failed FileResult when the worker runs out of time or dies."""
        with self._lock:
            conn = self._start()
            conn.send((job, recipe))
            try:
                if conn.poll(self.timeout_s):
                    outcome: Outcome = conn.recv()
                    return outcome
                error = f"preparing the document took longer than {self.timeout_s:g} s"
            except (EOFError, OSError):
                error = "the document could not be processed within the worker's memory limit"
            self.close()
            return FileResult(source=job.source, status="failed", error=error)

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        if self._process is not None:
            if self._process.is_alive():
                self._process.kill()
            self._process.join(timeout=5)
            self._process = None
