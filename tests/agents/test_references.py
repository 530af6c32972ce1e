"""An article a guide points to by number ('按照制度第三十六条报告和分析') is read as evidence too."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from agents.env import Env
from agents.offline.qualifiers import asked, fits
from agents.offline.references import referenced
from ingest import ingest_paths
from settings import Settings

GUIDE = """# 项目实施指南

## 第六节 运营优化阶段

1. 按月统计准确率等关键指标，与上线验收值比较；
2. 准确率明显下降时，按照制度第三十六条报告和分析；
3. 收集使用人员反馈。
"""
POLICY = """# 应用管理制度

## 第三章 立项

第十七条 新应用原则上应当先开展试点，试点期一般不超过3个月。

第十八条 应用正式上线应当具备以下条件：准确率等关键指标达到目标值，完成安全测试。

## 第六章 模型风险管理

第三十五条 应用单位应当建立模型清单，记录版本和训练数据来源。

第三十六条 应用上线后应当持续监控模型表现。关键指标下降超过5个百分点的，应当在5个工作日内报告信息技术部。
"""
QUESTION = "我们的AI质检系统上线8个月了，最近准确率从97%掉到90%，按制度要怎么处理？"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Settings]:
    from store.knowledge import KnowledgeStore

    root: Path = tmp_path_factory.mktemp("refs-corpus")
    (root / "guide.md").write_text(GUIDE, encoding="utf-8")
    (root / "policy.md").write_text(POLICY, encoding="utf-8")
    settings = Settings(
        data_dir=tmp_path_factory.mktemp("refs"), mode="offline", embedder="hash", openai_api_key=None
    )
    knowledge = KnowledgeStore(settings)
    ingest_paths([root], knowledge, root=root, progress=False)
    return knowledge, settings


def test_the_article_a_passage_names_is_fetched(store: tuple[Any, Settings]) -> None:
    knowledge, settings = store
    env = Env(settings=settings, store=knowledge, groups=None)
    guide = [p for p in knowledge.passages_of("guide.md") if "第三十六条" in p.text]
    fetched = referenced(env, guide)
    assert [p.source for p in fetched] == ["policy.md"]
    assert "第三十六条 应用上线后应当持续监控" in fetched[0].text
    # an article's own number opens its line: that is no reference
    assert referenced(env, [p for p in knowledge.passages_of("policy.md") if "第三十六条" in p.text]) == []


def test_a_specialist_reads_the_article_its_passages_point_to(tmp_path: Path) -> None:
    """Thirty rules mention 准确率 and 第三十六条 does not: search finds the guide's pointer, not the
    article, which offline extraction now reads as well."""
    from agents.nodes.specialist import _retrieve
    from store.knowledge import KnowledgeStore

    root = tmp_path / "corpus"
    root.mkdir()
    (root / "guide.md").write_text(GUIDE, encoding="utf-8")
    (root / "policy.md").write_text(POLICY, encoding="utf-8")
    filler = "\n\n".join(
        f"## 第{n}节 指标\n\n第{n}项 准确率应当按月统计，准确率目标在立项时确定。" for n in range(30)
    )
    (root / "metrics.md").write_text(f"# 指标规定\n\n{filler}\n", encoding="utf-8")
    settings = Settings(data_dir=tmp_path / "data", mode="offline", embedder="hash", openai_api_key=None)
    knowledge = KnowledgeStore(settings)
    ingest_paths([root], knowledge, root=root, progress=False)
    env = Env(settings=settings, store=knowledge, groups=None)
    question = "准确率出问题了，按实施指南该怎么办？"
    state: Any = {"question": question, "language": "zh", "queries": [question], "area": "tech"}
    found = _retrieve(env, state)
    assert any("第三十六条 应用上线后" in p.text for p in found)
    assert not any("第三十六条 应用上线后" in p.text for p in _retrieve(env, {**state, "use_llm": True}))


def test_a_share_is_held_against_a_rule_only_about_the_same_thing() -> None:
    drop = asked(QUESTION)
    assert not fits("第二十条 项目实际支出超出批准预算10%以上的，应当重新履行审批程序。", drop)
    over = asked("AI项目超预算15%了，需要重新审批吗？")
    assert fits("第二十条 项目实际支出超出批准预算10%以上的，应当重新履行审批程序。", over)
