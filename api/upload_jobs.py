"""Uploads are ingested off the request path: one background thread, one upload at a time.

The request validates the file and queues a job; preparation (parse, chunk, embed) runs in the
isolated worker process (store/documents/isolated.py), the commit in the job thread. Plans never
wait for an upload, and a crafted file costs the worker, not the server. The route waits a
little for the job (`ADVISOR_UPLOAD_WAIT_S`) so ordinary uploads still answer 201/200/422 at
once; a longer one answers 202 with the job, which `GET /v1/uploads/{id}` reports on.
The job runs in the process that received the upload; each change of its status is also written
to the job board (api/stores/jobs.py), so any server process answers for it. After a restart an
unfinished upload is gone (its temporary file is cleaned up at startup) and the document is as
it was before it.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, Field

from api.errors import status_for
from ingest import ingest_bytes
from store.documents.isolated import IsolatedPreparer
from store.index.embedders import HashingEmbedder
from store.records import FileResult

if TYPE_CHECKING:
    from api.stores.jobs import JobBoard
    from store.knowledge import KnowledgeStore

log = logging.getLogger("advisor.server")
KEEP_JOBS = 500
Status = Literal["queued", "running", "done", "failed"]


class UploadJob(BaseModel):
    id: str
    source: str
    status: Status = "queued"
    created_at: str = Field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="milliseconds"))
    result: FileResult | None = Field(default=None, description="The ingest result once the job ended.")
    detail: str | None = Field(default=None, description="Why the upload was refused, when it was.")
    status_code: int | None = Field(default=None, description="The HTTP status of the upload's outcome.")


Finished = Callable[[UploadJob, float], None]
"""Called when a job that the request stopped waiting for ends (the audit entry)."""


class UploadJobs:
    def __init__(
        self, store: KnowledgeStore, memory_mb: float, timeout_s: float, board: JobBoard | None = None
    ) -> None:
        self.store = store
        self._board = board
        self._preparer = None
        if type(store.embedder) is HashingEmbedder:
            token_dir = store.token_cache.path.parent
            dim = store.embedder.dim
            self._preparer = IsolatedPreparer(
                dim=dim, token_dir=token_dir, memory_mb=memory_mb, timeout_s=timeout_s
            )
        self._executor = ThreadPoolExecutor(1, thread_name_prefix="advisor-upload")
        self._lock = threading.Lock()
        self._jobs: OrderedDict[str, UploadJob] = OrderedDict()
        self._detached: dict[str, Finished] = {}

    def pending(self, source: str) -> bool:
        with self._lock:
            return any(j.source == source and j.status in ("queued", "running") for j in self._jobs.values())

    def get(self, job_id: str) -> UploadJob | None:
        """This process's job, else the one another process wrote to the board."""
        with self._lock:
            job = self._jobs.get(job_id)
            if job is not None:
                return job.model_copy()
        found = self._board.load(job_id) if self._board else None
        return UploadJob.model_validate_json(found) if found else None

    def submit(
        self, source: str, data: bytes, access: list[str] | None
    ) -> tuple[UploadJob, Future[UploadJob]]:
        job = UploadJob(id=uuid.uuid4().hex, source=source)
        with self._lock:
            self._jobs[job.id] = job
            while len(self._jobs) > KEEP_JOBS:
                self._jobs.popitem(last=False)
        self._publish(job, new=True)
        future = self._executor.submit(self._run, job, data, access, time.perf_counter())
        return job, future

    def detach(self, job_id: str, finished: Finished) -> bool:
        """The request stops waiting; `finished` runs when the job ends. False if it already has."""
        with self._lock:
            job = self._jobs.get(job_id)
            if job is None or job.status in ("done", "failed"):
                return False
            self._detached[job_id] = finished
            return True

    def _run(self, job: UploadJob, data: bytes, access: list[str] | None, started: float) -> UploadJob:
        self._set(job, status="running")
        prepare = self._preparer.prepare if self._preparer else None
        try:
            result = ingest_bytes(job.source, data, self.store, access=access, prepare=prepare)
            code = {"failed": 422, "unchanged": 200}.get(result.status, 201)
        except Exception as exc:  # the store failed: nothing was committed
            log.exception("upload of %s failed", job.source)
            code, message = status_for(exc)
            result = FileResult(source=job.source, status="failed", error=message)
        failed = result.status == "failed"
        detail = f"{job.source}: {result.error or 'could not be ingested'}" if failed else None
        changes = {"status": "failed" if failed else "done", "result": result, "detail": detail}
        self._set(job, **changes, status_code=code)
        with self._lock:
            finished = self._detached.pop(job.id, None)
        if finished is not None:
            finished(job.model_copy(), started)
        return job.model_copy()

    def _set(self, job: UploadJob, **changes: object) -> None:
        with self._lock:
            for key, value in changes.items():
                setattr(job, key, value)
        self._publish(job)

    def _publish(self, job: UploadJob, *, new: bool = False) -> None:
        if self._board is None:
            return
        try:
            self._board.save(job.id, job.model_dump_json(), new=new)
        except Exception:  # the board is a view for other processes: the upload goes on without it
            log.exception("could not publish upload job %s", job.id)

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)
        if self._preparer is not None:
            self._preparer.close()
