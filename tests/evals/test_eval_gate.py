"""The CI gate: the golden set, offline, on the seed corpus, against evals/thresholds.py.

When it fails, the message lists each missed threshold and the questions behind it, so the
change that regressed the advice can be found. Raise thresholds as the advisor improves;
never lower them to make a change pass.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from evals.results import EvalRun
from evals.runner import run_eval
from evals.thresholds import check_gate, thresholds_for

ROOT = Path(__file__).resolve().parents[2]


SETS = {
    "seed": ("golden.jsonl", ROOT / "knowledge"),
    "seed-extra": ("golden_seed_extra.jsonl", ROOT / "knowledge"),
    "handbook": ("golden_handbook.jsonl", ROOT / "evals" / "corpora" / "handbook"),
}


@pytest.fixture(scope="module", params=sorted(SETS))
def golden_run(request: pytest.FixtureRequest) -> Iterator[EvalRun]:
    """One offline run over a whole golden set, on a fresh store ingested from its corpus."""
    from settings import get_settings

    mp = pytest.MonkeyPatch()
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "ADVISOR_MODE", "CHROMA_HOST"):
        mp.delenv(var, raising=False)
    get_settings.cache_clear()
    try:
        golden, corpus = SETS[request.param]
        yield run_eval(ROOT / "evals" / golden, corpus=corpus, mode="offline")
    finally:
        mp.undo()
        get_settings.cache_clear()


def test_every_golden_question_ran(golden_run: EvalRun) -> None:
    errors = [f"{r.id}: {r.error}" for r in golden_run.results if r.error]
    assert not errors, "questions that crashed the advisor:\n" + "\n".join(errors)


def test_eval_gate(golden_run: EvalRun, request: pytest.FixtureRequest) -> None:
    golden = SETS[request.node.callspec.params["golden_run"]][0]
    regressions = check_gate(golden_run.figures, golden_run.results, thresholds_for(golden))
    if regressions:
        pytest.fail(
            "eval gate failed (thresholds: evals/thresholds.py)\n" + "\n".join(regressions), pytrace=False
        )
