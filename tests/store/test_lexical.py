"""Tokenizer, BM25 index and glossary: the lexical half of retrieval, without Chroma."""

from __future__ import annotations

from pathlib import Path

import bm25s
import numpy as np
import pytest

from agents.language.glossary import GLOSSARY, expand_query, glossary_terms
from store.index.bm25 import BM25Index
from store.index.lexical import TokenCache, tokenize

QUESTION = "部署AI时如何做好权限控制和数据安全"


def test_default_bm25_tokenizer_keeps_a_chinese_run_whole() -> None:
    """Why tokenize() exists: bm25s's own tokenizer sees one token per run of Chinese characters."""
    default = bm25s.tokenize([QUESTION], stopwords=None, show_progress=False)
    assert len(default.vocab) <= 2  # "部署ai时如何做好权限控制和数据安全" (and maybe an empty token)


def test_tokenize_splits_chinese_into_words() -> None:
    tokens = tokenize(QUESTION)
    for word in ("部署", "权限", "控制", "数据", "安全"):
        assert word in tokens
    assert "ai" in tokens
    assert "如何" not in tokens and "和" not in tokens  # stopwords
    assert QUESTION not in tokens


def test_unknown_words_get_character_bigrams() -> None:
    # "蓝莺" (a product name) is not in jieba's dictionary: it comes out as single characters,
    # and the bigram lets a query for the name match a passage about it.
    tokens = tokenize("蓝莺IM提供聊天服务")
    assert "蓝莺" in tokens
    assert {"im", "提供", "聊天", "服务"} <= set(tokens)
    long_unknown = tokenize("链和算力")  # an HMM-found word the dictionary lacks
    assert {"算力", "链和"} <= set(long_unknown)


def test_tokenize_english_is_lowercased_stemmed_and_stopword_free() -> None:
    assert tokenize("How to control Permissions and Policies of the API") == [
        "control",
        "permission",
        "policy",
        "api",
    ]


def test_tokenize_returns_a_fresh_list() -> None:
    first = tokenize("数据安全")
    first.append("mutated")
    assert "mutated" not in tokenize("数据安全")  # the memo must not leak caller mutations


def _index(texts: list[str], access: list[list[str]] | None = None) -> BM25Index:
    ids = [f"r{i}" for i in range(len(texts))]
    return BM25Index.build(
        ids,
        [f"c{i}" for i in range(len(texts))],
        [f"doc{i}.txt" for i in range(len(texts))],
        access or [["public"]] * len(texts),
        [tokenize(t) for t in texts],
        generation="g1",
    )


TEXTS = [
    "企业在部署AI时必须做好权限设置和数据加密，并建立审计机制。",
    "人才短缺制约发展，企业需要加强人才培养。",
    "智能客服可以提升客户服务质量和响应速度。",
]


def test_bm25_ranks_the_matching_passage_first() -> None:
    index = _index(TEXTS)
    top = index.top(tokenize("权限和加密"), 5)
    assert top[0][0] == 0
    assert all(row != 1 for row, _ in top)  # no shared term, no hit
    assert index.top(tokenize("完全无关的词汇"), 5) == []


def test_bm25_mask_is_applied_before_ranking() -> None:
    index = _index(TEXTS, access=[["finance"], ["public"], ["public"]])
    query = tokenize("权限 加密 审计")
    assert [r for r, _ in index.top(query, 5)] == [0]
    public_only = index.mask(["public"], None)
    assert public_only is not None and not public_only[0]
    assert index.top(query, 5, public_only) == []  # the best match is hidden, not merely demoted
    assert [r for r, _ in index.top(query, 5, index.mask(["finance"], None))] == [0]
    only_doc2 = index.mask(None, ["doc2.txt"])
    assert only_doc2 is not None and only_doc2.tolist() == [False, False, True]
    assert index.mask(None, None) is None


def test_bm25_top_n_is_sorted_and_bounded() -> None:
    texts = [f"数据安全 第{i}段 " + "数据 " * i for i in range(1, 30)]
    index = _index(texts)
    top = index.top(tokenize("数据"), 5)
    assert len(top) == 5
    scores = [s for _, s in top]
    assert scores == sorted(scores, reverse=True)


def test_empty_index_answers_nothing() -> None:
    index = _index([])
    assert index.size == 0 and index.top(["数据"], 5) == []


def test_index_snapshot_round_trip(tmp_path: Path) -> None:
    index = _index(TEXTS, access=[["finance", "public"], ["public"], ["hr"]])
    index.save(tmp_path / "snap")
    loaded = BM25Index.load(tmp_path / "snap")
    assert loaded is not None and loaded.generation == "g1"
    assert loaded.ids == index.ids and loaded.chunk_ids == index.chunk_ids
    query = tokenize("人才培养")
    assert loaded.top(query, 3) == index.top(query, 3)
    assert loaded.access_of(2) == ["hr"] and loaded.source_of(1) == "doc1.txt"
    mask = loaded.mask(["hr"], None)
    assert mask is not None and np.array_equal(mask, index.mask(["hr"], None))
    assert BM25Index.load(tmp_path / "missing") is None


def test_token_cache_persists_across_instances(tmp_path: Path) -> None:
    TokenCache(tmp_path).put_many({"a": ["数据", "安全"], "b": []})
    again = TokenCache(tmp_path)
    assert again.get_many(["a", "b", "zzz"]) == {"a": ["数据", "安全"], "b": []}


# --- glossary --------------------------------------------------------------------------------------
def test_glossary_is_a_real_domain_glossary() -> None:
    assert len(GLOSSARY) >= 100
    assert GLOSSARY["permission"] == ["权限"] and "加密" in GLOSSARY["encryption"]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("How to control permissions and encrypt data when deploying AI", {"权限", "加密", "数据", "部署"}),
        ("Who audits access control?", {"审计", "访问控制"}),
        ("ROI of a customer-service chatbot", {"投资回报", "客服"}),
        ("Talent shortage and compliance", {"人才", "短缺", "合规"}),
    ],
)
def test_expand_query_appends_chinese_terms(question: str, expected: set[str]) -> None:
    expanded = expand_query(question)
    assert expanded.startswith(question)
    assert expected <= set(expanded[len(question) :].split())


def test_expand_query_leaves_chinese_and_unknown_words_alone() -> None:
    assert expand_query(QUESTION) == QUESTION
    assert glossary_terms("costume datum") == []  # no prefix matches on other words ('cost', 'data')
    expanded = expand_query("costume datum")  # the dictionary still translates the words themselves
    assert "成本" not in expanded and "数据" not in expanded and "服装" in expanded
    assert glossary_terms("ACCESS CONTROL") == ["访问控制", "权限"]  # longest phrase wins
