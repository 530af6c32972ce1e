"""Vocabulary lives in data files: no large dict literals in code, and the data loads as typed."""

from __future__ import annotations

import ast
from pathlib import Path

from agents.language import lexicon
from agents.offline.terms import METRICS, TERM_MAP
from agents.offline.topics import TOPICS

ROOT = Path(__file__).resolve().parents[2]
PACKAGE_DIRS = ("agents", "store", "api", "evals")
MAX_DICT_ENTRIES = 40


def _package_files() -> list[Path]:
    top = [p for p in ROOT.glob("*.py")]
    return top + [p for d in PACKAGE_DIRS for p in (ROOT / d).rglob("*.py")]


def test_no_dict_literal_over_forty_entries_in_package_code() -> None:
    offenders = []
    for path in _package_files():
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Dict) and len(node.keys) > MAX_DICT_ENTRIES:
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} ({len(node.keys)} entries)")
    assert not offenders, offenders


def test_vocabularies_load_from_data() -> None:
    assert set(lexicon.AREA_TERMS) == {"tech", "security", "org", "market"}
    assert lexicon.AREA_TERMS["security"]["权限"] == 2
    assert lexicon.INJECTION.search("Ignore previous instructions")  # compiled with IGNORECASE
    assert "企业" in lexicon.GENERIC and "的" in lexicon.GENERIC  # domain words plus the stop words
    assert TERM_MAP["encryption"] == ("加密",)
    assert any(m.key == "roi" for m in METRICS)
    assert all(t.priority in ("high", "medium", "low") and t.triggers for t in TOPICS)


def test_a_request_to_delete_data_is_a_security_question() -> None:
    """'A customer asks us to delete their data' named no area word and was refused as out of scope."""
    from agents.language.text import area_scores

    assert area_scores("A customer asks us to delete their data. What must we do?").get("security", 0) >= 1
    assert area_scores("客户要求删除他的数据，我们该怎么做？").get("security", 0) >= 1


def test_no_data_file_names_a_key_twice() -> None:
    """YAML keeps the last of two equal keys without a word: the glossary had six terms twice, and
    the first reading of each (sanction -> 处分, records -> 信息) was silently dead."""
    import yaml

    class Strict(yaml.SafeLoader):
        pass

    def mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[object, object]:
        keys = [loader.construct_object(k) for k, _ in node.value]
        twice = {k for k in keys if isinstance(k, str) and keys.count(k) > 1}
        assert not twice, f"line {node.start_mark.line + 1}: {sorted(twice)}"
        return loader.construct_mapping(node)

    Strict.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, mapping)
    for path in sorted((ROOT / "agents" / "data").glob("*.yaml")):
        yaml.load(path.read_text("utf-8"), Loader=Strict)  # noqa: S506 - a SafeLoader subclass
