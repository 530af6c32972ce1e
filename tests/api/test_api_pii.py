"""PII redaction through the API in LLM mode: what the scripted LLM server receives.

Phones, ID numbers, e-mails and bank cards in the question, in a thread's earlier turns, in
earlier chat messages and in retrieved passages must reach the model only as placeholders.
The scripted server answers every call with a 500, so each node falls back to offline work
after sending its prompt: the prompts are what this test inspects.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from api_support import KEYS, api_env, auth, build_app
from fastapi.testclient import TestClient

from evals.scripted_llm import ScriptedLLMServer

PII_KEY = "pii-key-0123456789"
PHONE, ID_NUMBER, EMAIL, CARD = (
    "13812345678",
    "110101199003074518",
    "zhang.san@example.com",
    "6222021234567890123",
)
RAW = (PHONE, ID_NUMBER, EMAIL, CARD)
QUESTION = (
    f"我们是一家中型制造企业，计划在未来一年内落地AI，请给出分阶段的落地计划。联系人张三，手机{PHONE}，"
    f"身份证{ID_NUMBER}，邮箱{EMAIL}，工资卡{CARD}。"
)
PII_SOURCE = "pii_contact_sheet.md"
PII_DOC = """# 星河数据中台 AI 落地联系人

星河数据中台项目应当建立AI落地的数据安全审计机制，负责人王五的手机号为13987654321，邮箱wang.wu@corp-example.com。
星河数据中台建议在试点阶段对权限控制和数据加密进行评审，联系身份证号码 44030419851231002X 的审计员复核。
"""
DOC_RAW = ("13987654321", "wang.wu@corp-example.com", "44030419851231002X")


@pytest.fixture(scope="module")
def pii_document() -> Iterator[None]:
    """A passage with PII, visible only to the `pii` group, so no other test ever retrieves it."""
    from ingest import ingest_bytes

    store = api_env().store
    assert ingest_bytes(PII_SOURCE, PII_DOC.encode(), store, access=["pii"]).status in ("added", "unchanged")
    yield
    store.delete_document(PII_SOURCE)


def llm_client(server: ScriptedLLMServer, tmp_path: Path, *, redact_pii: bool = True) -> TestClient:
    keys_file = tmp_path / "keys.json"
    keys_file.write_text(json.dumps([*KEYS, {"key": PII_KEY, "principal": "pat", "groups": ["pii"]}]))
    app = build_app(
        mode="llm",
        openai_api_key="test-key",
        openai_base_url=server.base_url,
        llm_max_retries=0,
        llm_timeout_s=5.0,
        redact_pii=redact_pii,
        api_keys_file=keys_file,
    )
    return TestClient(app)


def test_nothing_raw_reaches_the_llm(
    scripted_llm: ScriptedLLMServer, tmp_path: Path, pii_document: None
) -> None:
    with llm_client(scripted_llm, tmp_path) as client:
        tid = client.post("/v1/threads", headers=auth(PII_KEY)).json()["id"]
        first = client.post("/v1/plans", json={"question": QUESTION, "thread_id": tid}, headers=auth(PII_KEY))
        assert first.status_code == 200 and first.json()["mode"] == "llm"
        follow = {"question": "星河数据中台的数据安全审计应该怎么做？", "thread_id": tid}
        assert client.post("/v1/plans", json=follow, headers=auth(PII_KEY)).status_code == 200
        chat = {
            "messages": [
                {"role": "user", "content": QUESTION},
                {"role": "user", "content": "权限控制怎么做？"},
            ]
        }
        assert client.post("/v1/chat/completions", json=chat, headers=auth(PII_KEY)).status_code == 200

        sent = scripted_llm.sent_text()
        assert scripted_llm.calls >= 3
        assert "审计员复核" in sent  # words only the passage with PII has: it was sent as evidence
        for value in (*RAW, *DOC_RAW):
            assert value not in sent, value
        for placeholder in ("[PHONE]", "[ID_NUMBER]", "[EMAIL]", "[BANK_CARD]"):
            assert placeholder in sent

        audit = client.get("/v1/audit", params={"principal": "pat"}, headers=auth(KEYS[0]["key"])).json()
        plans = [e for e in audit if e["endpoint"] == "POST /v1/plans" and e["thread_id"] == tid]
        entry = plans[-1]  # newest first: the last is the first question
        assert entry["redactions"] == {"phone": 1, "id_number": 1, "email": 1, "bank_card": 1}
        assert not any(value in json.dumps(audit, ensure_ascii=False) for value in RAW)


def test_redaction_can_be_switched_off(scripted_llm: ScriptedLLMServer, tmp_path: Path) -> None:
    with llm_client(scripted_llm, tmp_path, redact_pii=False) as client:
        assert client.post("/v1/plans", json={"question": QUESTION}, headers=auth(PII_KEY)).status_code == 200
    assert PHONE in scripted_llm.sent_text()
