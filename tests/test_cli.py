"""The `advisor` command end to end, as a user runs it: subprocesses, a fresh data dir, no key."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _advisor(args: list[str], data_dir: Path, **env_extra: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "ADVISOR_", "CHROMA_"))}
    env.update({"ADVISOR_DATA_DIR": str(data_dir), "PYTHONPATH": str(REPO), **env_extra})
    return subprocess.run(
        [sys.executable, "-m", "cli", *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=600
    )


@pytest.fixture(scope="module")
def cli_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("cli-data")
    result = _advisor(["ingest"], data_dir)
    assert result.returncode == 0, result.stderr
    return data_dir


def test_ingest_prints_summary_and_is_idempotent(cli_data_dir: Path) -> None:
    again = _advisor(["ingest"], cli_data_dir)
    assert again.returncode == 0, again.stderr
    assert "Traceback" not in again.stderr
    assert "5 unchanged" in again.stderr, again.stderr


def test_search_json_finds_security_passages(cli_data_dir: Path) -> None:
    result = _advisor(["search", "部署AI时如何做好权限控制和数据安全", "--json"], cli_data_dir)
    assert result.returncode == 0, result.stderr
    hits = json.loads(result.stdout)
    assert len(hits) == 5
    for hit in hits:
        assert {"chunk_id", "source", "title", "section", "page", "score", "text"} <= hit.keys()
    text = "".join(h["text"] for h in hits)
    for term in ("权限", "加密", "审计"):
        assert term in text, f"{term} missing from top 5"


def test_ask_cross_area_plan_consults_all_four_areas(cli_data_dir: Path) -> None:
    question = "我们是一家中型制造企业，计划在未来一年内落地AI，请给出分阶段的落地计划。"
    result = _advisor(["ask", question, "--json"], cli_data_dir)
    assert result.returncode == 0, result.stderr
    plan = json.loads(result.stdout)
    assert sorted(plan["areas"]) == ["market", "org", "security", "tech"]
    assert plan["refused"] is False and plan["mode"] == "offline"
    assert plan["actions"] and plan["citations"]
    sources = {p.name for p in (REPO / "knowledge").glob("*.txt")}
    for cite in plan["citations"]:
        assert cite["source"] in sources and cite["quote"].strip()


def test_ask_weather_is_refused_without_citations(cli_data_dir: Path) -> None:
    result = _advisor(["ask", "明天上海的天气怎么样？", "--json"], cli_data_dir)
    assert result.returncode == 0, result.stderr
    plan = json.loads(result.stdout)
    assert plan["refused"] is True
    assert plan["citations"] == [] and plan["actions"] == []


def test_ask_human_output_renders_plan(cli_data_dir: Path) -> None:
    result = _advisor(["ask", "How should we protect customer data privacy when deploying AI?"], cli_data_dir)
    assert result.returncode == 0, result.stderr
    assert "[1]" in result.stdout


def test_missing_path_is_one_clear_line(tmp_path: Path) -> None:
    result = _advisor(["ingest", str(tmp_path / "nope")], tmp_path / "data")
    assert result.returncode == 2
    assert "no such file or directory" in result.stderr
    assert "Traceback" not in result.stderr


def test_llm_mode_without_a_key_is_a_clear_error(tmp_path: Path) -> None:
    result = _advisor(["ask", "如何做好数据安全"], tmp_path, ADVISOR_MODE="llm")
    assert result.returncode == 2
    assert "ADVISOR_MODE=llm needs OPENAI_API_KEY" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_setting_names_the_setting(tmp_path: Path) -> None:
    result = _advisor(["search", "数据"], tmp_path, ADVISOR_CHUNK_SIZE="5")
    assert result.returncode == 2
    assert "chunk_size" in result.stderr and "Traceback" not in result.stderr


def test_huge_question_is_refused_with_the_limit(tmp_path: Path) -> None:
    result = _advisor(["ask", "数据安全" * 2000], tmp_path)
    assert result.returncode == 2
    assert "limit is 4000" in result.stderr


def test_feedback_export_writes_golden_candidates(tmp_path: Path) -> None:
    from api.stores.feedback import FeedbackEntry, FeedbackStore
    from evals.golden import GoldenItem

    store = FeedbackStore(tmp_path / "feedback.sqlite3")
    for turn, rating in enumerate(("up", "down")):
        store.record(
            FeedbackEntry(
                principal="mia",
                thread_id="t1",
                turn=turn,
                rating=rating,
                comment="缺少时间表" * turn,
                question=f"问题{turn}：如何做好数据安全？",
                language="zh",
                areas=["security"],
                sources=["003_e70335604cef97da.txt"],
            )  # fmt: skip
        )
    store.close()
    target = tmp_path / "candidates.jsonl"
    result = _advisor(["feedback", "export", "--golden-candidates", str(target)], tmp_path)
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert [line["question"] for line in lines] == ["问题0：如何做好数据安全？", "问题1：如何做好数据安全？"]
    items = [GoldenItem.model_validate(line) for line in lines]
    assert all(i.key_points == [] and i.areas == ["security"] for i in items)
    assert lines[1]["feedback"] == {
        "rating": "down",
        "comment": "缺少时间表",
        "ts": lines[1]["feedback"]["ts"],
    }
    only_down = _advisor(["feedback", "export", "--rating", "down"], tmp_path)
    assert [json.loads(x)["rating"] for x in only_down.stdout.splitlines()] == ["down"]


def test_several_workers_need_a_chroma_server(tmp_path: Path) -> None:
    result = _advisor(["serve", "--port", "1", "--workers", "2"], tmp_path)
    assert result.returncode == 2
    assert "CHROMA_HOST" in result.stderr and "Traceback" not in result.stderr
