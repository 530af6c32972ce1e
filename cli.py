"""The `advisor` command: ingest, documents, search, ask, serve, eval and bench.

The store, the agents, the server and the evals are imported inside each command, so
`advisor --help` stays instant (they pull in Chroma, LangGraph and FastAPI: seconds).
Errors a user can cause end as one readable line and exit code 2, never a traceback
(set ADVISOR_DEBUG=1 to see one).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from rich.console import Console

from settings import get_settings

console = Console(stderr=True, soft_wrap=True)
out = Console()


def _store() -> Any:
    from store.knowledge import get_store

    return get_store()


def cmd_ingest(args: argparse.Namespace) -> int:
    from ingest import format_report, ingest_paths

    settings = get_settings()
    store = _store()
    if args.rebuild:
        store.reset()
    paths = [Path(p) for p in args.paths] or [settings.knowledge_dir]
    for p in paths:
        if not p.exists():
            console.print(f"[red]error:[/] {p}: no such file or directory")
            return 2
    access = [g.strip() for g in args.access.split(",") if g.strip()] if args.access else None
    root = paths[0] if len(paths) == 1 and paths[0].is_dir() else None
    report = ingest_paths(paths, store, root=root, prune=args.prune, access=access)
    if args.json:
        from store.documents.report import file_row

        print(json.dumps([file_row(f) for f in report.files], ensure_ascii=False, indent=2))
    print(format_report(report, every_file=not args.json), file=sys.stderr)
    return 1 if report.failed else 0


def cmd_documents(args: argparse.Namespace) -> int:
    from store.documents.report import document_row, format_documents

    docs = _store().list_documents()
    if args.json:
        print(json.dumps([document_row(d) for d in docs], ensure_ascii=False, indent=2))
    else:
        print(format_documents(docs))
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    store = _store()
    from agents.language.glossary import expand_query

    passages = store.search(expand_query(args.query), k=args.k, method=args.method)
    if args.json:
        out.print_json(json.dumps([p.model_dump(mode="json") for p in passages], ensure_ascii=False))
        return 0
    if not passages:
        console.print("No passages found. Has the corpus been ingested? Try `advisor ingest`.")
    for i, p in enumerate(passages, 1):
        where = " · ".join(x for x in (p.section, f"p.{p.page}" if p.page else "") if x)
        out.print(
            f"[bold]{i}. {p.title}[/] [dim]{p.source}{' · ' + where if where else ''} · {p.score:.4f}[/]"
        )
        out.print(f"   {p.text.strip()[:300]}\n", highlight=False)
    return 0


def _load_profile(path: str | None) -> Any:
    if not path:
        return None
    from agents.state import CompanyProfile

    return CompanyProfile.model_validate_json(Path(path).read_text(encoding="utf-8"))


async def _ask(args: argparse.Namespace) -> Any:
    from agents.checkpoint import open_checkpointer
    from agents.service import stream_plan
    from graph import build_graph, graph

    plan: dict[str, Any] | None = None
    profile = _load_profile(args.profile)
    async with AsyncExitStack() as stack:
        # Only a thread needs the checkpointer; a one-off question leaves no history behind.
        saver = await stack.enter_async_context(open_checkpointer(get_settings())) if args.thread else None
        status = stack.enter_context(console.status("Planning…"))
        compiled = graph if saver is None else build_graph(saver)
        async for event, data in stream_plan(
            compiled, args.question, profile=profile, thread_id=args.thread, groups=None
        ):
            if event == "progress":
                line = _progress_line(data)
                if line and not args.json:
                    console.print(line)
                status.update(f"Working… ({data.get('node')})")
            elif event == "plan":
                plan = data
    return plan


def _progress_line(data: dict[str, Any]) -> str:
    node, status = data.get("node"), data.get("status")
    if node == "planner" and status == "done":
        if data.get("refused"):
            return "✗ planner: out of scope"
        return f"✓ planner: areas {', '.join(data.get('areas', []))} ({data.get('language')})"
    if node == "specialist" and status == "done":
        return (
            f"  ✓ {data.get('area')}: {data.get('evidence', 0)} passages, {data.get('findings', 0)} findings"
        )
    if node in ("synthesizer", "verifier") and status == "done":
        return f"✓ {node}"
    return ""


def cmd_ask(args: argparse.Namespace) -> int:
    from agents.service import plan_to_markdown
    from agents.state import AdoptionPlan

    limit = get_settings().max_question_chars
    if not args.question.strip():
        console.print("[red]error:[/] the question is empty")
        return 2
    if len(args.question) > limit:
        console.print(
            f"[red]error:[/] the question has {len(args.question)} characters; the limit is {limit} "
            "(ADVISOR_MAX_QUESTION_CHARS)"
        )
        return 2
    data = asyncio.run(_ask(args))
    if data is None:
        console.print("[red]error:[/] the advisor produced no plan")
        return 1
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    from rich.markdown import Markdown

    out.print(Markdown(plan_to_markdown(AdoptionPlan.model_validate(data))))
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from server import check_bind_allowed, ensure_ingested

    settings = get_settings()
    if args.workers > 1 and not settings.chroma_host:
        console.print(
            "[red]error:[/] --workers above 1 needs a Chroma server (CHROMA_HOST; start one with "
            "`chroma run`): the embedded store takes one process at a time"
        )
        return 2
    check_bind_allowed(args.host)
    ensure_ingested()  # once, here: the workers then find the store current
    if args.workers > 1:
        for name, why in (("DATABASE_URL", "threads and audit stay on this machine"),
                          ("REDIS_URL", "each worker counts the rate limit on its own")):  # fmt: skip
            if not getattr(settings, name.lower()):
                console.print(f"[yellow]warning:[/] ADVISOR_{name} is unset: {why}")
    if args.workers > 1:
        from api.workers import serve_workers

        return serve_workers(args.host, args.port, args.workers)
    uvicorn.run("server:app", host=args.host, port=args.port, log_level="info")
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from evals.command import run_cli

    return run_cli(args)


def cmd_bench(args: argparse.Namespace) -> int:
    from evals.bench import run_cli

    return run_cli(args)


def cmd_feedback_export(args: argparse.Namespace) -> int:
    """Feedback from the server's data dir as JSONL: raw entries, or golden-set candidates."""
    import json

    from api.stores.feedback import golden_candidate
    from api.stores.opening import open_stores

    settings = get_settings()
    with open_stores(settings.database_url, settings.data_dir) as stores:
        entries = stores.feedback.query(limit=1_000_000, rating=args.rating)
    target: Path = args.golden_candidates or args.out
    rows = [golden_candidate(e) if args.golden_candidates else e.model_dump(mode="json") for e in entries]
    lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in reversed(rows))  # oldest first
    if target is None:
        sys.stdout.write(lines)
    else:
        target.write_text(lines, encoding="utf-8")
        console.print(f"{len(rows)} feedback entries -> {target}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="advisor", description="Enterprise AI adoption advisor.")
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("ingest", help="ingest documents (default: knowledge/)")
    s.add_argument("paths", nargs="*", help="files or folders")
    s.add_argument("--prune", action="store_true", help="remove documents whose files are gone")
    s.add_argument("--rebuild", action="store_true", help="drop the store and ingest from scratch")
    s.add_argument(
        "--access", help="comma-separated access groups for these files (default: front matter/public)"
    )
    s.add_argument("--json", action="store_true", help="one JSON object per file on stdout")
    s.set_defaults(func=cmd_ingest)

    s = sub.add_parser("documents", help="list the documents in the store")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_documents)

    s = sub.add_parser("search", help="hybrid search over the knowledge base")
    s.add_argument("query")
    s.add_argument("-k", type=int, default=5)
    s.add_argument("--json", action="store_true")
    s.add_argument("--method", choices=["hybrid", "bm25", "vector"], default="hybrid")
    s.set_defaults(func=cmd_search)

    s = sub.add_parser("ask", help="ask for a cited adoption plan")
    s.add_argument("question")
    s.add_argument("--json", action="store_true")
    s.add_argument("--thread", help="thread id; follow-ups in the same thread see earlier turns")
    s.add_argument("--profile", help="JSON file with industry, size, goals")
    s.set_defaults(func=cmd_ask)

    s = sub.add_parser("serve", help="serve the API and chat UI")
    s.add_argument("--host", default=os.environ.get("ADVISOR_HOST", "127.0.0.1"))
    s.add_argument("--port", type=int, default=int(os.environ.get("ADVISOR_PORT", "8000")))
    s.add_argument(
        "--workers",
        type=int,
        default=int(os.environ.get("ADVISOR_WORKERS", "1")),
        help="server processes on the port (SO_REUSEPORT); above 1 needs CHROMA_HOST, see README: Deployment",
    )
    s.set_defaults(func=cmd_serve)

    s = sub.add_parser("eval", help="evaluate against golden Q&A")
    s.add_argument("--golden", type=Path, default=Path("evals/golden.jsonl"))
    s.add_argument("--corpus", type=Path, help="ingest this folder into a fresh temporary store first")
    s.add_argument("--json", dest="json_out", type=Path, help="write metrics JSON here")
    s.add_argument("--report", type=Path, help="write a Markdown report here")
    s.add_argument("--mode", choices=["offline", "llm"], help="default: llm when a key is set")
    s.add_argument("--retrieval-only", action="store_true", help="hit@5 and MRR for bm25, vector, hybrid")
    s.add_argument("--gate", action="store_true", help="exit non-zero when a CI threshold is missed")
    s.add_argument(
        "--sample", type=int, metavar="N", help="only N questions, drawn with --seed (slow endpoints)"
    )
    s.add_argument("--seed", type=int, default=0, help="seed of the --sample draw (default 0)")
    s.set_defaults(func=cmd_eval)

    s = sub.add_parser("feedback", help="feedback on plans (thumbs up/down) given in the chat UI")
    fb = s.add_subparsers(dest="feedback_command", required=True)
    s = fb.add_parser("export", help="write feedback as JSONL")
    where = s.add_mutually_exclusive_group()
    where.add_argument(
        "--golden-candidates", type=Path, metavar="FILE", help="golden-format lines; key points left to fill"
    )
    where.add_argument("--out", type=Path, metavar="FILE", help="raw entries (default: stdout)")
    s.add_argument("--rating", choices=["up", "down"], help="only this rating")
    s.set_defaults(func=cmd_feedback_export)

    s = sub.add_parser("bench", help="run the performance suite")
    s.add_argument("--json", dest="json_out", type=Path, default=Path("bench-results/bench.json"))
    s.add_argument("--quick", action="store_true", help="smaller synthetic corpus, fewer repetitions")
    s.set_defaults(func=cmd_bench)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        console.print("interrupted")
        return 130
    except ValidationError as exc:  # settings from the environment
        for err in exc.errors():
            where = ".".join(str(x) for x in err["loc"]) or "configuration"
            console.print(f"[red]error:[/] {where}: {err['msg'].removeprefix('Value error, ')}")
        return 2
    except Exception as exc:  # the last line of defence: one readable line, no traceback
        if os.environ.get("ADVISOR_DEBUG"):
            raise
        console.print(f"[red]error:[/] {exc}")
        return 2


if __name__ == "__main__":
    sys.exit(main())
