"""Ingest benchmark: MB/s on Chinese text and the cost of an unchanged re-ingest of the seed corpus.

Run with `python -m evals.bench_ingest`. It measures; it asserts nothing (targets: >= 1 MB/s and an
unchanged re-ingest <= 2 s on the 2-core reference machine). MB here means 10^6 bytes of source files.

Two corpora: `copies` (default) repeats the seed documents, each with its own opening paragraph, so
most chunk texts recur (the tokeniser's memo hits, and Chroma indexes many identical vectors);
`--distinct` rebuilds every document from the seed corpus's sentences in a seeded random order, so
almost no chunk repeats: closer to a real corpus, and slower. Throughput depends on what else runs
on the machine, so the figures include the CPU seconds spent (this process and its worker) and the
load average before the run.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import tempfile
from pathlib import Path
from time import perf_counter

from ingest import ingest_paths
from settings import Settings, get_settings
from store.knowledge import KnowledgeStore

TARGET_MB_PER_S = 1.0
TARGET_UNCHANGED_S = 2.0
_SENTENCE = re.compile(r"[^。！？\n]+[。！？]?")


def build_corpus(seed_dir: Path, dest: Path, target_mb: float, *, distinct: bool = False) -> int:
    """Documents derived from the seed documents until `target_mb` of UTF-8 text is written."""
    seeds = sorted(p for p in seed_dir.glob("*.txt") if not p.name.startswith("."))
    texts = [p.read_text(encoding="utf-8") for p in seeds]
    sentences = [s for t in texts for s in _SENTENCE.findall(t) if len(s) >= 8]
    rng = random.Random(0)
    dest.mkdir(parents=True, exist_ok=True)
    written, copy = 0, 0
    while written < target_mb * 1e6:
        for seed, text in zip(seeds, texts, strict=True):
            if distinct:  # same headings and paragraph lengths, sentences drawn from the whole corpus
                text = "\n".join(_reworded(line, sentences, rng) for line in text.splitlines())
            # A distinct opening paragraph gives every copy its own hash and its own chunk ids.
            data = f"副本{copy}：{seed.stem}的第{copy}份拷贝，用于测量入库吞吐。\n\n{text}".encode()
            (dest / f"{copy:04d}_{seed.name}").write_bytes(data)
            written += len(data)
        copy += 1
    return written


def _reworded(line: str, sentences: list[str], rng: random.Random) -> str:
    if len(line) < 40 or line.startswith(("#", "---", "title:", "description:", "keywords:")):
        return line
    out = ""
    while len(out) < len(line):
        out += rng.choice(sentences)
    return out


def _cpu_seconds() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def run(target_mb: float = 5.0, seed_dir: Path | None = None, *, distinct: bool = False) -> dict[str, object]:
    """Fresh stores in a temporary folder; returns the figures, including the targets for reporting."""
    base = get_settings()
    seeds = seed_dir or base.knowledge_dir
    with tempfile.TemporaryDirectory(prefix="advisor-bench-ingest-") as tmp:
        root = Path(tmp)
        corpus_bytes = build_corpus(seeds, root / "corpus", target_mb, distinct=distinct)
        store = KnowledgeStore(base.model_copy(update={"data_dir": root / "bulk"}))
        load = os.getloadavg()[0]
        started, cpu = perf_counter(), _cpu_seconds()
        bulk = ingest_paths([root / "corpus"], store, root=root / "corpus", progress=False)
        bulk_s, bulk_cpu = perf_counter() - started, _cpu_seconds() - cpu

        seed_settings: Settings = base.model_copy(update={"data_dir": root / "seed"})
        ingest_paths([seeds], KnowledgeStore(seed_settings), root=seeds, progress=False)
        started = perf_counter()
        # A new store object on the same folder, as a second `advisor ingest` process would open it.
        again = ingest_paths([seeds], KnowledgeStore(seed_settings), root=seeds, progress=False)
        unchanged_s = perf_counter() - started
    if bulk.failed or again.failed or again.chunks:
        raise RuntimeError("benchmark corpus did not ingest cleanly")
    return {
        "ingest_corpus": "distinct" if distinct else "copies",
        "ingest_mb": round(corpus_bytes / 1e6, 2),
        "ingest_files": len(bulk.files),
        "ingest_chunks": bulk.chunks,
        "ingest_s": round(bulk_s, 2),
        "ingest_mb_per_s": round(corpus_bytes / 1e6 / bulk_s, 2),
        "ingest_cpu_s_per_mb": round(bulk_cpu / (corpus_bytes / 1e6), 2),
        "load_average_before": round(load, 2),
        "reingest_unchanged_files": again.skipped,
        "reingest_unchanged_s": round(unchanged_s, 3),
        "target_mb_per_s": TARGET_MB_PER_S,
        "target_unchanged_s": TARGET_UNCHANGED_S,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m evals.bench_ingest", description=__doc__)
    parser.add_argument("--mb", type=float, default=5.0, help="size of the Chinese test corpus (default 5)")
    parser.add_argument("--distinct", action="store_true", help="a corpus whose chunks almost never repeat")
    args = parser.parse_args(argv)
    print(json.dumps(run(args.mb, distinct=args.distinct), ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
