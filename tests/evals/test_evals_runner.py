"""`advisor eval` end to end on a tiny corpus with its own golden file: real store, real graph, offline."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

import cli
from evals.golden import load_golden
from evals.results import METRIC_KEYS
from settings import Settings

DATA = Path(__file__).parents[1] / "data"
MINI_CORPUS = DATA / "eval_corpus"
MINI_GOLDEN = DATA / "eval_golden.jsonl"
MINI_SOURCES = {"visual_inspection.md", "knowledge_assistant.md"}


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """An empty default store and no LLM key, whatever the developer's environment holds."""
    from settings import get_settings
    from store.knowledge import clear_store_cache

    monkeypatch.setenv("ADVISOR_DATA_DIR", str(tmp_path / "default-store"))
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "ADVISOR_MODE", "CHROMA_HOST"):
        monkeypatch.delenv(var, raising=False)
    get_settings.cache_clear()
    clear_store_cache()
    yield
    get_settings.cache_clear()
    clear_store_cache()


def _eval(*extra: str) -> int:
    return cli.main(
        ["eval", "--golden", str(MINI_GOLDEN), "--corpus", str(MINI_CORPUS), "--mode", "offline", *extra]
    )


def test_eval_on_another_corpus_writes_exactly_the_documented_keys(tmp_path: Path) -> None:
    out, report = tmp_path / "out.json", tmp_path / "report.md"
    assert _eval("--json", str(out), "--report", str(report)) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert list(data) == [*METRIC_KEYS, "questions"]
    assert data["n"] == 5
    questions = {q["id"]: q for q in data["questions"]}
    assert set(questions) == {i.id for i in load_golden(MINI_GOLDEN)}
    # The plans stand on the tiny corpus, not on knowledge/: it was ingested into a fresh store.
    cited = {s for q in data["questions"] for s in q["cited_sources"]}
    assert cited and cited <= MINI_SOURCES
    assert data["retrieval_hit_at_5"] == 1.0
    assert questions["mini-05"]["refused"] and questions["mini-05"]["refusal_correct"]
    assert data["citation_validity"] == 1.0
    for key in METRIC_KEYS[1:]:
        assert isinstance(data[key], float), key
    assert "## Per area" in report.read_text(encoding="utf-8")


def test_gate_fails_with_a_readable_list_of_what_regressed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    golden = tmp_path / "g.jsonl"
    golden.write_text(
        json.dumps(
            {
                "id": "impossible",
                "question": "质检图像数据应该怎样做安全和权限管理？",
                "areas": ["security"],
                "sources": ["visual_inspection.md"],
                "key_points": [["一个语料里不存在的要点"]],
            },
            ensure_ascii=False,
        )
        + "\n",
        encoding="utf-8",
    )
    args = ["eval", "--golden", str(golden), "--corpus", str(MINI_CORPUS), "--mode", "offline"]
    assert cli.main(args) == 0, "without --gate the run only reports"
    assert cli.main([*args, "--gate"]) == 1
    printed = capsys.readouterr().out
    assert "key_point_coverage = 0.000, required >= 0.87" in printed
    assert "impossible: 0.00 covered, missed: 一个语料里不存在的要点" in printed


def test_retrieval_only_compares_three_methods(tmp_path: Path) -> None:
    out = tmp_path / "retrieval.json"
    assert _eval("--retrieval-only", "--json", str(out)) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["n"] == 4  # the refusal has no expected source
    assert set(data["methods"]) == {"bm25", "vector", "hybrid"}
    for row in data["methods"].values():
        assert 0.0 <= row["mrr"] <= 1.0 and 0.0 <= row["hit_at_5"] <= 1.0
    assert data["methods"]["hybrid"]["hit_at_5"] == 1.0
    assert {q["id"] for q in data["questions"]} == {"mini-01", "mini-02", "mini-03", "mini-04"}


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--golden", "nope.jsonl"], "no such golden file"),
        (["--golden", str(MINI_GOLDEN), "--corpus", "nope-dir"], "not a folder"),
        (["--golden", str(MINI_GOLDEN), "--mode", "llm"], "needs OPENAI_API_KEY"),
        (["--golden", str(MINI_GOLDEN)], "knowledge base is empty"),
        (["--golden", str(MINI_GOLDEN), "--retrieval-only", "--gate"], "--gate applies to the full eval"),
    ],
)
def test_setup_errors_are_one_line(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["eval", *argv]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_tampered_citation_is_caught_against_the_plan_evidence(tmp_path: Path) -> None:
    """The validity check uses the evidence actually retrieved for the plan, not just the store."""
    import asyncio

    from evals.runner import plan_with_evidence, score
    from evals.workspace import eval_settings, open_store

    item = load_golden(MINI_GOLDEN)[1]
    with open_store(eval_settings("offline"), MINI_CORPUS) as (store, settings):
        plan, evidence = asyncio.run(plan_with_evidence(item, store=store, settings=settings))
    assert plan.citations and score(item, plan, evidence).citations_valid == len(plan.citations)
    first = plan.citations[0]
    tampered = plan.model_copy(deep=True)
    tampered.citations[0] = first.model_copy(update={"quote": first.quote + "（并且无需任何审批）"})
    result = score(item, tampered, evidence)
    assert result.citations_valid == len(plan.citations) - 1
    unretrieved = {k: v for k, v in evidence.items() if k != first.chunk_id}
    assert score(item, plan, unretrieved).citation_problems[0].endswith("was not retrieved for this plan")


def test_without_corpus_the_current_store_is_used(tmp_path: Path) -> None:
    assert cli.main(["ingest", str(MINI_CORPUS)]) == 0
    out = tmp_path / "out.json"
    assert cli.main(["eval", "--golden", str(MINI_GOLDEN), "--mode", "offline", "--json", str(out)]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["retrieval_hit_at_5"] == 1.0
    assert {s for q in data["questions"] for s in q["cited_sources"]} <= MINI_SOURCES


def test_a_follow_up_is_asked_in_a_thread_that_heard_its_earlier_questions() -> None:
    import asyncio

    from evals.golden import GoldenItem
    from evals.runner import open_thread, plan_with_evidence
    from evals.workspace import eval_settings, open_store

    earlier = "质检图像数据应该怎样做安全和权限管理？"
    item = GoldenItem(
        id="follow",
        question="那加密方面呢？",
        thread=[earlier],
        areas=["security"],
        sources=[],
        key_points=[],
    )

    async def run(store: object, settings: Settings) -> tuple[list[str], list[str]]:
        compiled, config = await open_thread(item, store=store, settings=settings)
        before = [t.question for t in (await compiled.aget_state(config)).values["turns"]]
        await plan_with_evidence(item, store=store, settings=settings, thread=(compiled, config))
        after = [t.question for t in (await compiled.aget_state(config)).values["turns"]]
        return before, after

    with open_store(eval_settings("offline"), MINI_CORPUS) as (store, settings):
        before, after = asyncio.run(run(store, settings))
        alone = asyncio.run(
            open_thread(item.model_copy(update={"thread": []}), store=store, settings=settings)
        )
    assert before == [earlier]
    assert after == [earlier, item.question]
    assert alone[1] is None, "a question without a thread runs stateless"
