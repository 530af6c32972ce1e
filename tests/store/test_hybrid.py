"""Hybrid retrieval quality on the seed corpus: a small labelled set, three methods compared.

A passage is relevant to a query when it comes from the labelled article and contains the
labelled phrase, so the labels do not depend on where the chunker cuts.
"""

from __future__ import annotations

import pytest

from agents.language.glossary import expand_query  # domain expansion is the caller's
from store.knowledge import KnowledgeStore
from store.records import Passage

K = 5
A000, A001, A002, A003, A004 = (
    "000_23366926fd57ca3a.txt",
    "001_70669e957af3f43b.txt",
    "002_b56a0639c5c6f686.txt",
    "003_e70335604cef97da.txt",
    "004_5e558ed93eb34f2f.txt",
)
SECURITY = [(A000, "权限设置"), (A001, "加密"), (A003, "加密")]
LABELLED: list[tuple[str, list[tuple[str, str]]]] = [
    ("部署AI时如何做好权限控制和数据安全", SECURITY),
    ("How to control permissions and encrypt data when deploying AI", SECURITY),
    ("企业如何与高校合作培养AI人才", [(A001, "高校")]),
    ("AI客服需要满足哪些法规遵从要求", [(A003, "法规遵从")]),
    ("缺乏专业人才时可以考虑外包吗", [(A003, "外包")]),
    ("建立跨职能的AI项目团队", [(A000, "跨职能")]),
    ("用AI改进客户关系管理", [(A002, "客户关系管理")]),
    ("如何提升员工的AI素养", [(A002, "素养")]),
    ("多模态理解和生成的统一", [(A004, "多模态理解和生成的统一")]),
    ("行业大模型与智能链主", [(A004, "智能链主")]),
    ("企业如何理性看待AI的投入产出比", [(A004, "投入产出")]),
    ("制造业的智能制造应用", [(A001, "智能制造")]),
    ("大模型选型的复杂性", [(A001, "模型选择")]),
    ("基于AI的异常检测系统监控数据使用", [(A000, "异常检测")]),
    ("AI客服系统的更新和维护", [(A003, "系统更新与维护")]),
    ("Talent shortage and training for AI adoption", [(A001, "人才"), (A003, "人才")]),
    ("ROI of enterprise AI investment", [(A004, "投入产出")]),
    ("compliance review and third-party assessment", [(A001, "第三方评估")]),
    ("AI如何自动化重复性任务以减少人工成本", [(A002, "自动化")]),
    ("企业如何建立用户对AI客服的信任", [(A003, "信任")]),
    ("设计人性化的客服交互流程", [(A003, "人性化")]),
    ("蓝莺IM的ChatAI SDK能为企业带来什么", [(A000, "SDK"), (A001, "SDK"), (A002, "SDK"), (A003, "SDK")]),
    ("AI硬件在教育和办公场景的落地", [(A004, "硬件")]),
    ("AIGC如何延长IP的生命周期", [(A004, "IP")]),
    ("市场需求多样化带来的适应性风险", [(A000, "适应性")]),
    ("人工智能的定义和发展历程", [(A002, "定义")]),
    ("数据孤岛导致数据整合能力不足", [(A001, "数据整合")]),
    ("What are the main challenges of implementing AI customer service?", [(A003, "挑战")]),
    ("How to build cross-department collaboration for AI projects", [(A000, "跨部门")]),
    (
        "Which business areas benefit from AI recommendation systems?",
        [(A001, "推荐"), (A002, "推荐"), (A004, "推荐")],
    ),
]


def _relevant(passage: Passage, labels: list[tuple[str, str]]) -> bool:
    return any(passage.source == source and phrase in passage.text for source, phrase in labels)


def _metrics(store: KnowledgeStore, method: str) -> tuple[float, float]:
    """hit@K and MRR@K over the labelled set."""
    hits, reciprocal = 0, 0.0
    for query, labels in LABELLED:
        ranked = store.search(expand_query(query), K, method=method)  # type: ignore[arg-type]
        first = next((rank for rank, p in enumerate(ranked, 1) if _relevant(p, labels)), None)
        hits += first is not None
        reciprocal += 1.0 / first if first else 0.0
    return hits / len(LABELLED), reciprocal / len(LABELLED)


@pytest.fixture(scope="module")
def metrics(seed_store: KnowledgeStore) -> dict[str, tuple[float, float]]:
    return {method: _metrics(seed_store, method) for method in ("hybrid", "bm25", "vector")}


def test_hybrid_ranks_at_least_as_well_as_bm25(metrics: dict[str, tuple[float, float]]) -> None:
    """Hybrid must never lose to BM25 alone. It does not always beat the offline hashing vectors on
    this small set (with dictionary expansion of English queries, vector hit@5 is 1.0 and hybrid
    0.97), so that comparison is reported by `advisor eval --retrieval-only`, not asserted."""
    hybrid_hit, hybrid_mrr = metrics["hybrid"]
    hit, mrr = metrics["bm25"]
    assert hybrid_hit >= hit and hybrid_mrr >= mrr, metrics
    assert hybrid_hit >= 0.9 and metrics["vector"][0] >= 0.9, metrics  # floors: "all equally bad" fails


def test_english_question_finds_the_security_passages(seed_store: KnowledgeStore) -> None:
    passages = seed_store.search(
        expand_query("How to control permissions and encrypt data when deploying AI"), K
    )
    assert any(_relevant(p, SECURITY) for p in passages[:3])
    text = "".join(p.text for p in passages)
    for term in ("权限", "加密", "审计"):
        assert term in text


def test_acceptance_question_of_the_issue(seed_store: KnowledgeStore) -> None:
    """`advisor search "部署AI时如何做好权限控制和数据安全"`: top 5 speaks of 权限, 加密 and 审计."""
    passages = seed_store.search("部署AI时如何做好权限控制和数据安全", K, groups=["public"])
    text = "".join(p.text for p in passages)
    assert all(term in text for term in ("权限", "加密", "审计"))
    assert {p.source for p in passages} <= {A000, A001, A002, A003, A004}
