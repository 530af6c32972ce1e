"""The golden set keeps its promised coverage, its key points stand on the corpus, and a bad
golden file is refused with a line number."""

from __future__ import annotations

from pathlib import Path

import pytest

from agents.language.text import detect_language
from agents.state import AREAS
from evals.golden import GoldenError, load_golden, parse_golden, sample_golden
from evals.metrics import normalize

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "evals" / "golden.jsonl"
KNOWLEDGE = ROOT / "knowledge"
MINI = Path(__file__).parents[1] / "data"
HANDBOOK = ROOT / "evals" / "corpora" / "handbook"
# Every golden file with the corpus it is asked over; `make eval` runs each pair.
PAIRS = [
    (GOLDEN, KNOWLEDGE),
    (ROOT / "evals" / "golden_seed_extra.jsonl", KNOWLEDGE),
    (ROOT / "evals" / "golden_handbook.jsonl", HANDBOOK),
    (MINI / "eval_golden.jsonl", MINI / "eval_corpus"),
]


def _corpus(folder: Path) -> dict[str, str]:
    return {
        p.name: normalize(p.read_text(encoding="utf-8"))
        for p in folder.iterdir()
        if p.is_file() and p.name.lower() != "readme.md"
    }


def test_golden_set_coverage() -> None:
    items = load_golden(GOLDEN)
    docs = {p.name for p in KNOWLEDGE.glob("*.txt")}
    assert len(items) >= 60
    assert docs <= {s for i in items for s in i.sources}, "every corpus document is asked about"
    assert set(AREAS) <= {a for i in items for a in i.areas}
    cross = [i for i in items if set(i.areas) == set(AREAS) and not i.refuse]
    assert len(cross) >= 8
    assert sum(1 for i in items if detect_language(i.question) == "en") >= 6
    assert sum(1 for i in items if i.refuse and i.id.startswith("oos-")) >= 5
    assert sum(1 for i in items if i.id.startswith("inj-")) >= 3


@pytest.mark.parametrize(("golden", "corpus"), PAIRS)
def test_golden_items_stand_on_their_corpus(golden: Path, corpus: Path) -> None:
    """Each key point has a phrasing found in the item's sources, and the sources exist."""
    docs = _corpus(corpus)
    problems: list[str] = []
    for item in load_golden(golden):
        missing = [s for s in item.sources if s not in docs]
        if missing:
            problems.append(f"{item.id}: unknown sources {missing}")
            continue
        text = "\n".join(docs[s] for s in item.sources)
        problems += [
            f"{item.id}: {kp}" for kp in item.key_points if not any(normalize(p) in text for p in kp)
        ]
        if not item.refuse and not (item.sources and item.key_points):
            problems.append(f"{item.id}: an answerable question needs sources and key points")
    assert problems == []


@pytest.mark.parametrize(("golden", "corpus"), PAIRS)
def test_expected_gaps_are_really_missing_from_the_corpus(golden: Path, corpus: Path) -> None:
    """A gap's first phrasing occurs nowhere in the corpus, so naming it is not a retrieval miss."""
    text = "\n".join(_corpus(corpus).values())
    present = [f"{i.id}: {g[0]}" for i in load_golden(golden) for g in i.gaps if normalize(g[0]) in text]
    assert present == []


def test_handbook_set_covers_what_the_second_corpus_must_test() -> None:
    items = load_golden(ROOT / "evals" / "golden_handbook.jsonl")
    answerable = [i for i in items if not i.refuse]
    english = [i for i in items if detect_language(i.question) == "en"]
    assert len(items) >= 25
    assert {p.name for p in HANDBOOK.glob("*.md")} - {"README.md"} <= {s for i in items for s in i.sources}
    assert set(AREAS) <= {a for i in answerable for a in i.areas}
    assert len(english) >= 8 and any(i.gaps for i in english) and any(i.thread for i in english)
    assert sum(1 for i in items if i.refuse) >= 3
    assert sum(1 for i in items if i.gaps) >= 4
    assert sum(1 for i in items if i.thread) >= 3
    assert all(all(any(p.isascii() for p in kp) for kp in i.key_points) for i in english if not i.refuse)


def test_seed_extra_set_asks_other_industries_and_constraints() -> None:
    items = load_golden(ROOT / "evals" / "golden_seed_extra.jsonl")
    assert len(items) >= 10
    assert sum(1 for i in items if detect_language(i.question) == "en") >= 3
    assert any(i.gaps for i in items) and any(i.thread for i in items)


def test_english_questions_have_english_phrasings() -> None:
    for item in load_golden(GOLDEN):
        if detect_language(item.question) == "en":
            assert all(any(p.isascii() for p in kp) for kp in item.key_points), item.id


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", ":1: not valid JSON"),
        (
            '{"id": "a", "question": "q", "areas": ["finance"], "sources": [], "key_points": []}',
            ":1: areas.0:",
        ),
        (
            '{"id": "a", "question": "q", "areas": [], "sources": [], "key_points": []}',
            "needs expected areas",
        ),
        ('{"id": "a", "question": "q", "areas": ["tech"], "sources": [], "key_points": [[]]}', "phrasing"),
        ('{"id": "a", "question": "q", "areas": ["tech"], "gaps": [["ROI", " "]]}', "gap needs"),
        ('{"id": "a", "question": "q", "areas": ["tech"], "thread": [""]}', "earlier question"),
        ('{"id": "a", "question": "q", "refuse": true, "gaps": [["ROI"]]}', "no gaps"),
    ],
)
def test_bad_golden_lines_are_reported_with_line_numbers(line: str, message: str) -> None:
    with pytest.raises(GoldenError, match=message.replace(".", r"\.")):
        parse_golden([line], "g.jsonl")


def test_duplicate_ids_and_missing_file(tmp_path: Path) -> None:
    row = '{"id": "a", "question": "q", "refuse": true}'
    with pytest.raises(GoldenError, match=r":2: duplicate id 'a'"):
        parse_golden([row, row])
    with pytest.raises(GoldenError, match="no such golden file"):
        load_golden(tmp_path / "missing.jsonl")


def test_a_sample_is_seeded_and_keeps_file_order() -> None:
    items = load_golden(GOLDEN)
    drawn = sample_golden(items, 12, seed=11)
    assert len(drawn) == 12 and drawn == sample_golden(items, 12, seed=11)
    assert [i.id for i in drawn] == [i.id for i in items if i in drawn]  # file order
    assert drawn != sample_golden(items, 12, seed=12)
    assert sample_golden(items, None, seed=11) == sample_golden(items, 10_000, seed=11) == items
    with pytest.raises(GoldenError):
        sample_golden(items, 0, seed=11)
