"""Robustness: ~30 awkward files (scans, mixed and garbage PDFs, encrypted, truncated, zip bombs,
odd encodings, lone surrogates, a GBK file name, images, a legacy .doc, …) ingested in one batch
through the CLI, as a user would: no traceback, every file reported once as ingested, unchanged or
failed with its reason, `advisor documents --json` agreeing with the report, scans read by OCR
with their page numbers, and every ingested file findable."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from docfactory import cjk_font_path
from robust_corpus import INGESTED, Expect, build

from settings import Settings
from store.knowledge import KnowledgeStore

REPO = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.skipif(
    cjk_font_path() is None, reason="no CJK font under /usr/share/fonts (apt-get install fonts-noto-cjk)"
)


@dataclass(frozen=True)
class Run:
    corpus: Path
    data: Path
    expect: dict[str, Expect]
    report: dict[str, dict[str, Any]]
    listing: dict[str, dict[str, Any]]
    output: str  # everything the two commands printed, stdout and stderr


def _advisor(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "ADVISOR_", "CHROMA_"))}
    env |= {"ADVISOR_DATA_DIR": str(data), "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-m", "cli", *args]
    return subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=900)


def _rows(stdout: str) -> dict[str, dict[str, Any]]:
    rows = json.loads(stdout)
    sources = [row["source"] for row in rows]
    assert len(sources) == len(set(sources)), sources  # every file once
    return {row["source"]: row for row in rows}


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    base = tmp_path_factory.mktemp("robust")
    corpus, data = base / "corpus", base / "data"
    expect = build(corpus)
    # The folder, plus a file of an unknown kind named explicitly (a folder walk passes over it).
    ingest = _advisor(data, "ingest", str(corpus), str(corpus / "archive.xyz"), "--json")
    listing = _advisor(data, "documents", "--json")
    assert ingest.returncode == 1, ingest.stderr  # some files failed, and the command says so
    assert listing.returncode == 0, listing.stderr
    output = ingest.stdout + ingest.stderr + listing.stdout + listing.stderr
    return Run(corpus, data, expect, _rows(ingest.stdout), _rows(listing.stdout), output)


def test_the_suite_is_as_varied_as_promised(run: Run) -> None:
    assert len(run.expect) >= 30
    assert sum(1 for e in run.expect.values() if e.status == INGESTED and e.ocr_pages) >= 9


def test_no_traceback_and_every_file_reported_with_its_outcome(run: Run) -> None:
    assert "Traceback" not in run.output and "Error:" not in run.output
    assert set(run.report) == set(run.expect) | {"archive.xyz"}  # hidden files are not documents
    assert run.report["archive.xyz"]["reason"].startswith("unsupported file type '.xyz'")
    for source, expected in run.expect.items():
        row = run.report[source]
        if expected.status == INGESTED:
            assert (row["status"], row["change"], row["reason"]) == ("ingested", "added", None), row
        else:
            assert row["status"] == "failed" and row["reason"].startswith(expected.reason), row


def test_documents_json_agrees_with_the_report(run: Run) -> None:
    ingested = {s: r for s, r in run.report.items() if r["status"] == "ingested"}
    assert set(run.listing) == set(ingested)
    for source, row in ingested.items():
        listed = run.listing[source]
        for key in ("title", "format", "pages", "chunks", "ocr_pages"):
            assert listed[key] == row[key], (source, key)


def test_image_only_files_came_through_ocr_with_their_page_numbers(run: Run) -> None:
    store = KnowledgeStore(Settings(data_dir=run.data))
    for source, expected in run.expect.items():
        if not expected.ocr_pages:
            continue
        assert run.report[source]["ocr_pages"] == expected.ocr_pages, source
        hit = store.search(expected.find, k=1, sources=[source])[0]
        assert (hit.page, hit.ocr) == (expected.page, True), (source, hit)


def test_every_ingested_file_is_found_by_its_own_text(run: Run) -> None:
    store = KnowledgeStore(Settings(data_dir=run.data))
    for source, expected in run.expect.items():
        if expected.status != INGESTED:
            continue
        hits = store.search(expected.find, k=5)
        mine = [h for h in hits if h.source == source]
        assert mine, (source, expected.find, [h.source for h in hits])
        assert expected.page is None or mine[0].page == expected.page, (source, mine[0])


def test_a_second_run_reports_ingested_files_unchanged_and_refusals_again(run: Run) -> None:
    again = _advisor(run.data, "ingest", str(run.corpus), "--json")
    assert "Traceback" not in again.stdout + again.stderr
    rows = _rows(again.stdout)
    assert set(rows) == set(run.expect)
    for source, row in rows.items():
        first = run.report[source]
        expected = "unchanged" if first["status"] == "ingested" else "failed"
        assert (row["status"], row["reason"]) == (expected, first["reason"]), row
