"""`advisor eval --retrieval-only`: hit@5 and MRR@10 for BM25, vector and hybrid, in one run.

Only the retriever is exercised (no plans), on the raw question, so the three methods are
compared on exactly the same queries and the same store.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from rich.console import Console
from rich.table import Table

from agents.language.glossary import expand_query
from evals.golden import GoldenItem, load_golden
from evals.metrics import first_relevant_rank, mean
from evals.workspace import eval_settings, open_store, write_text

METHODS: tuple[str, ...] = ("bm25", "vector", "hybrid")
HIT_K = 5
MRR_K = 10


def compare_methods(items: list[GoldenItem], store: Any, groups: list[str] | None = None) -> dict[str, Any]:
    """Per method: hit@5 (an expected source in the top 5) and MRR@10; per question: the ranks."""
    scored = [i for i in items if not i.refuse and i.sources]
    ranks: dict[str, dict[str, int | None]] = {m: {} for m in METHODS}
    for item in scored:
        for method in METHODS:
            passages = store.search(expand_query(item.question), MRR_K, groups=groups, method=method)
            ranks[method][item.id] = first_relevant_rank([p.source for p in passages], item.sources)
    methods = {
        m: {
            "hit_at_5": mean(1.0 if r is not None and r <= HIT_K else 0.0 for r in ranks[m].values()),
            "mrr": mean(1.0 / r if r else 0.0 for r in ranks[m].values()),
        }
        for m in METHODS
    }
    questions = [{"id": i.id, **{f"rank_{m}": ranks[m][i.id] for m in METHODS}} for i in scored]
    return {"n": len(scored), "hit_k": HIT_K, "mrr_k": MRR_K, "methods": methods, "questions": questions}


def print_comparison(result: dict[str, Any], out: Console) -> None:
    table = Table(title=f"Retrieval on {result['n']} questions (raw question, no plan)", title_justify="left")
    for col in ("method", f"hit@{result['hit_k']}", f"MRR@{result['mrr_k']}"):
        table.add_column(col)
    for method, row in result["methods"].items():
        table.add_row(method, f"{row['hit_at_5']:.3f}", f"{row['mrr']:.3f}")
    out.print(table)


def run_retrieval_cli(args: argparse.Namespace) -> int:
    items = load_golden(args.golden)
    with open_store(eval_settings(args.mode), args.corpus) as (store, _):
        result = compare_methods(items, store)
    print_comparison(result, Console())
    if args.json_out:
        write_text(args.json_out, json.dumps(result, ensure_ascii=False, indent=2))
    return 0
