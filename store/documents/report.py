"""What an ingest run and the store's listing tell a user: one row per file, in text or JSON.

The ingest report and `advisor documents` describe a document with the same fields (format,
pages, OCR pages, chunks), so a script can check one against the other.
"""

from __future__ import annotations

from typing import Any

from store.records import DocumentInfo, FileResult, IngestReport

# What the user asked about a file: was it ingested, skipped as unchanged, or refused (and why)?
OUTCOMES = {"added": "ingested", "updated": "ingested", "unchanged": "unchanged", "failed": "failed"}


def file_row(result: FileResult) -> dict[str, Any]:
    """One JSON object per file of an ingest run."""
    row: dict[str, Any] = {
        "source": result.source,
        "status": OUTCOMES.get(result.status, result.status),
        "change": result.status if result.status in ("added", "updated") else None,
        "reason": result.error,
    }
    if row["status"] == "ingested":
        row |= {"title": result.title, "format": result.format, "pages": result.pages}
        row |= {"chunks": result.chunks, "ocr_pages": result.ocr_pages, "warning": result.warning}
    return row


def document_row(doc: DocumentInfo) -> dict[str, Any]:
    """One JSON object per stored document (`advisor documents --json`)."""
    return {
        "source": doc.source,
        "title": doc.title,
        "format": doc.format,
        "pages": doc.pages,
        "chunks": doc.chunks,
        "ocr_pages": doc.ocr_pages,
        "access": doc.access,
        "ingested_at": doc.ingested_at,
    }


def format_report(report: IngestReport, *, every_file: bool = False) -> str:
    """`✗ source: reason` per failed file (every file with `every_file`), then the summary line."""
    shown = report.files if every_file else report.failed
    lines = [_file_line(f) for f in shown]
    pruned = sum(1 for f in report.files if f.status == "pruned")
    summary = (
        f"{len(report.files) - pruned} files · {report.chunks} chunks · {report.skipped} unchanged"
        f" · {len(report.failed)} failed · {report.seconds:.1f} s"
    )
    lines.append(summary + (f" · {pruned} pruned" if pruned else ""))
    return "\n".join(lines)


def format_documents(docs: list[DocumentInfo]) -> str:
    """One line per stored document, then a total."""
    lines = []
    for d in docs:
        pages = f" · {d.pages} pages" if d.pages is not None else ""
        ocr = f" · {d.ocr_pages} OCR" if d.ocr_pages else ""
        groups = ",".join(d.access)
        lines.append(
            f"{d.source} [{d.format}] {d.title} · {d.chunks} chunks{pages}{ocr} · {groups} · {d.ingested_at}"
        )
    lines.append(f"{len(docs)} documents · {sum(d.chunks for d in docs)} chunks")
    return "\n".join(lines)


def _file_line(f: FileResult) -> str:
    if f.status == "failed":
        return f"✗ {f.source}: {f.error}"
    if f.status in ("added", "updated"):
        pages = f", {f.pages} pages" if f.pages is not None else ""
        ocr = f", {f.ocr_pages} by OCR" if f.ocr_pages else ""
        warning = f" ⚠ {f.warning}" if f.warning else ""
        return f"✓ {f.source}: ingested ({f.chunks} chunks{pages}{ocr}){warning}"
    return f"· {f.source}: {f.status}"
