"""`advisor eval`: the full eval (tabulated, optionally gated and reported) or the retrieval comparison."""

from __future__ import annotations

import argparse
import json

from rich.console import Console

from evals.golden import GoldenError
from evals.report import print_run, to_markdown
from evals.retrieval import run_retrieval_cli
from evals.runner import run_eval
from evals.thresholds import check_gate, thresholds_for
from evals.workspace import EvalError, console, write_text


def run_cli(args: argparse.Namespace) -> int:
    try:
        if args.retrieval_only:
            if args.gate:
                raise EvalError("--gate applies to the full eval, not to --retrieval-only")
            return run_retrieval_cli(args)
        run = run_eval(
            args.golden,
            corpus=args.corpus,
            mode=args.mode,
            show_progress=console.is_terminal,
            sample=args.sample,
            seed=args.seed,
        )
    except (GoldenError, EvalError) as exc:
        console.print(f"[red]error:[/] {exc}")
        return 2
    regressions = check_gate(run.figures, run.results, thresholds_for(str(args.golden)))
    out = Console()
    print_run(run, out if out.is_terminal else Console(width=120), regressions if args.gate else None)
    if args.json_out:
        write_text(args.json_out, json.dumps(run.to_json(), ensure_ascii=False, indent=2))
    if args.report:
        write_text(args.report, to_markdown(run, regressions))
    return 1 if args.gate and regressions else 0
