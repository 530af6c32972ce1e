"""Load -> chunk -> embed -> commit, so re-runs are free and one bad file never stops a batch.

A document's content hash covers its raw bytes, the access override and the chunking parameters:
when none of them changed the file is skipped before parsing or embedding. Files are prepared one
at a time (a failure names its file) and committed in batches by batch_commit.py, overlapping the
next files' preparation. The store replaces each document atomically, and `reconcile()` at the
start removes whatever a killed run left half-written.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from functools import partial
from pathlib import Path
from time import perf_counter

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from settings import Settings, get_settings
from store.documents import progress as page_progress
from store.documents.batch_commit import BatchCommitter, commit_batch
from store.documents.chunking import chunking_signature
from store.documents.loaders import SUPPORTED_SUFFIXES, LoadError
from store.documents.loaders.base import source_name
from store.documents.prepare import Job, Outcome, Recipe, content_hash, prepare_job
from store.documents.prepare_pool import prepared
from store.documents.report import format_report as format_report  # the CLI and server print it
from store.documents.uploads import upload_folder
from store.knowledge import KnowledgeStore
from store.records import FileResult, IngestReport

_File = tuple[Path, str]  # (path on disk, source name)


def ingest_paths(
    paths: Sequence[Path],
    store: KnowledgeStore,
    *,
    root: Path | None = None,
    prune: bool = False,
    access: list[str] | None = None,
    progress: bool | None = None,
) -> IngestReport:
    """Ingest files and folders; sources are paths relative to `root` (default: their common folder)."""
    started = perf_counter()
    settings = _settings_of(store)
    targets = [Path(p).expanduser().resolve() for p in paths]
    base = root.expanduser().resolve() if root else _default_root(targets, settings)
    store.reconcile()
    known = store.document_hashes()
    files, report = _discover(targets, base)
    show = _stderr_is_tty() if progress is None else progress
    results: dict[str, FileResult] = {}
    with _progress_bar(show, len(files)) as (advance, on_page):

        def finish(done: list[FileResult]) -> None:
            for result in done:
                results[result.source] = result
                advance(result.source)

        jobs: list[Job] = []
        for path, source in files:
            checked = _check_file(path, source, known, access, settings)
            if isinstance(checked, Job):
                jobs.append(checked)
            else:
                finish([checked])
        committer = BatchCommitter(store)
        recipe = _recipe(access, settings)
        previous = page_progress.set_listener(on_page)
        try:
            for outcome in prepared(jobs, recipe, store.embedder, store.token_cache, on_page):
                finish([outcome] if isinstance(outcome, FileResult) else committer.add(*outcome))
        finally:
            page_progress.set_listener(previous)
        finish(committer.close())
    for path, source in files:
        report.files.append(results[source])
        if results[source].status in ("added", "updated"):
            report.bytes += path.stat().st_size
    if prune:
        report.files.extend(_prune(targets, base, known, store, settings, {s for _, s in files}))
    report.seconds = perf_counter() - started
    return report


def ingest_bytes(
    filename: str,
    data: bytes,
    store: KnowledgeStore,
    *,
    access: list[str] | None = None,
    prepare: Callable[[Job, Recipe], Outcome] | None = None,
) -> FileResult:
    """Ingest an uploaded file, all or nothing, under its bare file name (the document's source).

    The bytes are kept in `<data_dir>/uploads` under a generated name (uploads.py), so any source
    name works. The upload is prepared first (`prepare`, by default in this process); only then is
    the file kept and the document committed, and a failing commit puts the folder back as it was.
    """
    settings = _settings_of(store)
    name = Path(filename.replace("\\", "/")).name.strip()
    if not name or name.startswith("."):
        return FileResult(source=filename or "?", status="failed", error="invalid file name")
    suffix = Path(name).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        return FileResult(source=name, status="failed", error=f"unsupported file type '{suffix or name}'")
    folder = upload_folder(settings.data_dir / "uploads")
    tmp = folder.temporary(suffix)
    try:
        tmp.write_bytes(data)
        checked = _check_file(tmp, name, store.document_hashes(), access, settings)
        if not isinstance(checked, Job):
            return checked  # unchanged, or unreadable
        recipe = _recipe(access, settings)
        outcome = (prepare or partial(_prepare_here, store))(checked, recipe)
        if isinstance(outcome, FileResult):
            return outcome  # refused by the loader: nothing changed
        before, kept = folder.keep(name, tmp)
        try:
            result = commit_batch(store, [(outcome[0], replace(outcome[1], uploaded=True))])[0]
        except BaseException:
            folder.restore(before, kept)
            raise
        if (old := before.get(name)) and old != kept.name:
            (folder.folder / old).unlink(missing_ok=True)
        return result
    finally:
        folder.discard(tmp)


def _prepare_here(store: KnowledgeStore, job: Job, recipe: Recipe) -> Outcome:
    return prepare_job(job, recipe, store.embedder, store.token_cache)


def store_is_stale(knowledge_dir: Path, store: KnowledgeStore) -> bool:
    """True when the store is empty or any corpus file is new or differs from what was ingested."""
    known = store.document_hashes()
    if not known:
        return True
    settings = _settings_of(store)
    signature = chunking_signature(settings.chunk_size, settings.chunk_overlap)
    root = knowledge_dir.expanduser().resolve()
    files, _ = _discover([root], root)
    return any(
        known.get(source) != content_hash(path.read_bytes(), None, signature) for path, source in files
    )


def _check_file(
    path: Path, source: str, known: dict[str, str], access: list[str] | None, settings: Settings
) -> FileResult | Job:
    """Unchanged or unreadable files end here; the rest become jobs (hashing costs ~1 ms per MB)."""
    try:
        signature = chunking_signature(settings.chunk_size, settings.chunk_overlap)
        data = _read(path, settings)
    except LoadError as err:
        return FileResult(source=source, status="failed", error=str(err))
    doc_hash = content_hash(data, access, signature)
    if known.get(source) == doc_hash:
        return FileResult(source=source, status="unchanged")
    return Job(path, source, doc_hash, "updated" if source in known else "added", len(data))


def _recipe(access: list[str] | None, settings: Settings) -> Recipe:
    return Recipe(
        access, settings.chunk_size, settings.chunk_overlap, settings.max_file_mb, settings.max_chunks_per_doc
    )


def _read(path: Path, settings: Settings) -> bytes:
    """The raw bytes, refusing oversized files before reading them."""
    try:
        size = path.stat().st_size
        if size > settings.max_file_mb * 1024 * 1024:
            raise LoadError(f"file too large ({size / 1048576:.1f} MB > limit {settings.max_file_mb:g} MB)")
        return path.read_bytes()
    except OSError as err:
        raise LoadError(f"cannot read file ({err.strerror or err})") from None


def _discover(targets: list[Path], root: Path) -> tuple[list[_File], IngestReport]:
    """Supported files under the targets, sorted and deduplicated; missing paths become failures."""
    report = IngestReport()
    found: dict[str, Path] = {}
    for target in targets:
        if not target.exists():
            report.files.append(
                FileResult(source=source_name(str(target)), status="failed", error="no such file")
            )
            continue
        candidates = _walk(target, root) if target.is_dir() else [target]
        for path in candidates:
            try:
                source = source_name(path.relative_to(root).as_posix())
            except ValueError:
                report.files.append(
                    FileResult(
                        source=source_name(str(path)),
                        status="failed",
                        error=f"outside the corpus root {root}",
                    )
                )
                continue
            found.setdefault(source, path)
    return sorted(((p, s) for s, p in found.items()), key=lambda f: f[1]), report


def _walk(folder: Path, root: Path) -> list[Path]:
    """Supported files, skipping hidden entries, editor lock files and the corpus's own README."""
    files: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        here = Path(dirpath)
        for name in filenames:
            if name.startswith((".", "~$")) or Path(name).suffix.lower() not in SUPPORTED_SUFFIXES:
                continue
            if here == root and name.lower() == "readme.md":
                continue
            files.append(here / name)
    return files


def _prune(
    targets: list[Path],
    root: Path,
    known: dict[str, str],
    store: KnowledgeStore,
    settings: Settings,
    found: set[str],
) -> list[FileResult]:
    """Delete documents whose file is gone, only inside the folders just ingested; uploads are kept."""
    scopes = [t.relative_to(root).as_posix() for t in targets if t.is_dir() and t.is_relative_to(root)]
    uploaded = set(upload_folder(settings.data_dir / "uploads").files())  # uploads from before the flag
    uploaded |= {d.source for d in store.list_documents() if d.uploaded}
    results: list[FileResult] = []
    for source in sorted(known):
        in_scope = any(scope == "." or source.startswith(scope + "/") for scope in scopes)
        # `found`: a source renamed from a non-UTF-8 file name has no file of that exact name.
        if in_scope and source not in uploaded and source not in found and not _exists(root / source):
            removed = store.delete_document(source)
            results.append(FileResult(source=source, status="pruned", chunks=removed))
    return results


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except OSError:  # e.g. a name longer than the file system allows: no such file here
        return False


def _default_root(targets: list[Path], settings: Settings) -> Path:
    corpus = settings.knowledge_dir
    if all(t.is_relative_to(corpus) for t in targets):
        return corpus
    folders = [t if t.is_dir() else t.parent for t in targets]
    return Path(os.path.commonpath(folders)) if folders else corpus


def _settings_of(store: KnowledgeStore) -> Settings:
    found = getattr(store, "settings", None)
    return found if isinstance(found, Settings) else get_settings()


def _stderr_is_tty() -> bool:
    return Console(stderr=True).is_terminal


@contextmanager
def _progress_bar(
    enabled: bool, total: int
) -> Iterator[tuple[Callable[[str], None], page_progress.PageListener | None]]:
    """A transient rich bar on a terminal (files, plus pages of a file being OCR'd); a no-op anywhere
    else so logs and CI stay clean."""
    if not enabled or total == 0:
        yield (lambda _source: None), None
        return
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("ingesting", total=total)
        pages = bar.add_task("OCR", total=None, visible=False)

        def on_page(source: str, done: int, todo: int) -> None:
            bar.update(
                pages, completed=done, total=todo, visible=done < todo, description=f"OCR {source[-32:]}"
            )

        yield (lambda source: bar.update(task, advance=1, description=source[-40:])), on_page
