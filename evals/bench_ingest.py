"""Ingest benchmark: MB/s on Chinese text and the cost of an unchanged re-ingest of the seed corpus.

Run with `python -m evals.bench_ingest`. It measures; it asserts nothing (targets: >= 1 MB/s and an
unchanged re-ingest <= 2 s on the 2-core reference machine). MB here means 10^6 bytes of source files.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path
from time import perf_counter

from ingest import ingest_paths
from settings import Settings, get_settings
from store import KnowledgeStore

TARGET_MB_PER_S = 1.0
TARGET_UNCHANGED_S = 2.0


def build_corpus(seed_dir: Path, dest: Path, target_mb: float) -> int:
    """Copies of the seed documents, each made distinct, until `target_mb` of UTF-8 text is written."""
    seeds = sorted(p for p in seed_dir.glob("*.txt") if not p.name.startswith("."))
    dest.mkdir(parents=True, exist_ok=True)
    written, copy = 0, 0
    while written < target_mb * 1e6:
        for seed in seeds:
            text = seed.read_text(encoding="utf-8")
            # A distinct opening paragraph gives every copy its own hash and its own chunk ids.
            data = f"副本{copy}：{seed.stem}的第{copy}份拷贝，用于测量入库吞吐。\n\n{text}".encode()
            (dest / f"{copy:04d}_{seed.name}").write_bytes(data)
            written += len(data)
        copy += 1
    return written


def run(target_mb: float = 5.0, seed_dir: Path | None = None) -> dict[str, float]:
    """Fresh stores in a temporary folder; returns the figures, including the targets for reporting."""
    base = get_settings()
    seeds = seed_dir or base.knowledge_dir
    with tempfile.TemporaryDirectory(prefix="advisor-bench-ingest-") as tmp:
        root = Path(tmp)
        corpus_bytes = build_corpus(seeds, root / "corpus", target_mb)
        store = KnowledgeStore(base.model_copy(update={"data_dir": root / "bulk"}))
        started = perf_counter()
        bulk = ingest_paths([root / "corpus"], store, root=root / "corpus", progress=False)
        bulk_s = perf_counter() - started

        seed_settings: Settings = base.model_copy(update={"data_dir": root / "seed"})
        ingest_paths([seeds], KnowledgeStore(seed_settings), root=seeds, progress=False)
        started = perf_counter()
        # A new store object on the same folder, as a second `advisor ingest` process would open it.
        again = ingest_paths([seeds], KnowledgeStore(seed_settings), root=seeds, progress=False)
        unchanged_s = perf_counter() - started
    if bulk.failed or again.failed or again.chunks:
        raise RuntimeError("benchmark corpus did not ingest cleanly")
    return {
        "ingest_mb": round(corpus_bytes / 1e6, 2),
        "ingest_files": len(bulk.files),
        "ingest_chunks": bulk.chunks,
        "ingest_s": round(bulk_s, 2),
        "ingest_mb_per_s": round(corpus_bytes / 1e6 / bulk_s, 2),
        "reingest_unchanged_files": again.skipped,
        "reingest_unchanged_s": round(unchanged_s, 3),
        "target_mb_per_s": TARGET_MB_PER_S,
        "target_unchanged_s": TARGET_UNCHANGED_S,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m evals.bench_ingest", description=__doc__)
    parser.add_argument("--mb", type=float, default=5.0, help="size of the Chinese test corpus (default 5)")
    args = parser.parse_args(argv)
    print(json.dumps(run(args.mb), ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
