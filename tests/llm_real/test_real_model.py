"""The product against a real, weak model: it must cope, never worse than offline.

The model's advice is not graded. What is checked: plans come back in Chinese and English with
model calls made; no node degrades for a reason the structured-output chain should handle
(a parse or method failure); every citation points to retrieved evidence; degraded flags match
what happened; streaming works through the official `openai` client; and the misbehaviours of
other servers, played by a proxy in front of this one, are absorbed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openai
import pytest
from api_support import OPS_KEY, build_app, live_server
from llm_script import EN, ZH, ask, assert_honest, chain_failures, model_answered, real_settings, report

from agents.llm import structured
from evals.llm_local.proxy import MisbehavingProxy, Misbehaviour
from settings import Settings


@pytest.mark.parametrize("question", [ZH, EN], ids=["zh", "en"])
def test_plans_come_from_the_model(seed_store: Any, real: Settings, question: str) -> None:
    plan = ask(seed_store, real, question)
    print(report(plan))
    assert plan.mode == "llm" and plan.llm_calls > 0 and plan.llm
    assert not chain_failures(plan), report(plan)
    assert all(c.latency_ms > 0 for c in plan.llm if c.attempts), report(plan)
    assert all(c.prompt_tokens > 0 for c in plan.llm if c.outcome != "degraded"), report(plan)
    # the model did answer; a tiny base model's answer may be a refusal or an unsupported draft
    assert model_answered(plan), report(plan)
    assert_honest(plan, seed_store)


@pytest.mark.parametrize(
    "behaviour",
    [
        Misbehaviour(refuse_tools=True, think_and_fence=True, reasoning_content=True),
        Misbehaviour(think_and_fence=True, reasoning_content=True),
    ],
    ids=["no-tools-think-fence-reasoning", "think-fence-reasoning"],
)
def test_a_misbehaving_server_is_absorbed(
    seed_store: Any, llm_url: str, tmp_path: Path, behaviour: Misbehaviour
) -> None:
    with MisbehavingProxy(llm_url, behaviour) as proxy:
        plan = ask(seed_store, real_settings(proxy.base_url, tmp_path), ZH)
        methods = {c.method for c in plan.llm}
    print(report(plan))
    assert not chain_failures(plan), report(plan)
    if behaviour.refuse_tools:  # tools 400, then llama.cpp's own 500 for json_schema: json_object
        assert methods == {"json_object"}
        assert structured.chosen_method(real_settings(proxy.base_url, tmp_path)) == "json_object"
    assert_honest(plan, seed_store)


def test_dropped_response_format_degrades_honestly(seed_store: Any, llm_url: str, tmp_path: Path) -> None:
    """Without tools or a grammar, a base model writes free text: the plan says so, offline content stays."""
    behaviour = Misbehaviour(refuse_tools=True, drop_response_format=True)
    with MisbehavingProxy(llm_url, behaviour) as proxy:
        plan = ask(seed_store, real_settings(proxy.base_url, tmp_path, llm_timeout_s=60.0), EN)
    print(report(plan))
    assert_honest(plan, seed_store)


def test_chat_completions_stream_through_the_openai_client(llm_url: str, tmp_path: Path) -> None:
    app = build_app(
        mode="llm", openai_api_key="local", openai_base_url=llm_url, model="local",
        llm_timeout_s=150.0, llm_budget_s=225.0, request_timeout_s=600.0, max_llm_calls=3, llm_passages=3,
    )  # fmt: skip
    with live_server(app) as base:
        client = openai.OpenAI(base_url=f"{base}/v1", api_key=OPS_KEY, timeout=900)
        stream = client.chat.completions.create(
            model="advisor", stream=True, messages=[{"role": "user", "content": ZH}]
        )
        chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert len(chunks) > 2 and text.strip()
    assert chunks[-1].choices == [] or chunks[-1].choices[0].finish_reason == "stop"


def test_openai_embedder_ingests_and_searches(llm_url: str, tmp_path: Path) -> None:
    from ingest import ingest_paths
    from store.knowledge import KnowledgeStore

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.md").write_text("# 数据治理\n\n企业应先建立数据治理制度，明确数据负责人。\n", "utf-8")
    (corpus / "b.md").write_text("# 客服\n\n智能客服可以降低人工坐席的工作量。\n", "utf-8")
    settings = real_settings(llm_url, tmp_path / "data", embedder="openai", embedding_model="local-embed")
    store = KnowledgeStore(settings)
    report = ingest_paths([corpus], store, root=corpus, progress=False)
    assert not report.failed
    hits = store.search("数据治理制度", 2, method="vector")
    assert hits and {h.source for h in hits} <= {"a.md", "b.md"}
    assert store.search("智能客服", 1, method="hybrid")[0].source == "b.md"
