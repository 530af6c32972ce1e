"""The MCP endpoint through the official SDK's own client, against the real app under uvicorn.

fiona (group finance) must get the confidential finance document; oscar (group ops) must never
see a trace of it, not in a tool's answer, nor in the resource list, nor by reading its URI.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager
from typing import Any, TypeVar

import httpx
import httpx2
import pytest
from api_support import (
    ADMIN_KEY,
    FINANCE_KEY,
    OPS_KEY,
    SECRET_QUESTION,
    SECRET_SOURCE,
    SECRET_WORD,
    api_env,
    auth,
    build_app,
    live_server,
)
from mcp import ClientSession
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.exceptions import MCPError
from mcp.types import CallToolResult, TextContent, TextResourceContents

from api.mcp.resources import document_uri

T = TypeVar("T")
ToolCall = Callable[[ClientSession], Awaitable[CallToolResult]]


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    with live_server(build_app()) as base:
        yield f"{base}/mcp"


@asynccontextmanager
async def connect(
    url: str, key: str | None, statuses: list[int] | None = None
) -> AsyncIterator[ClientSession]:
    """An initialized SDK session; `statuses` collects the HTTP status of every answer."""
    headers = auth(key) if key else {}

    async def record(response: httpx2.Response) -> None:
        if statuses is not None:
            statuses.append(response.status_code)

    async with (
        httpx2.AsyncClient(headers=headers, timeout=120, event_hooks={"response": [record]}) as http,
        streamable_http_client(url, http_client=http) as (read, write),
        ClientSession(read, write) as session,
    ):
        await session.initialize()
        yield session


def run(
    url: str,
    key: str | None,
    work: Callable[[ClientSession], Awaitable[T]],
    statuses: list[int] | None = None,
) -> T:
    async def main() -> T:
        async with connect(url, key, statuses) as session:
            return await work(session)

    return asyncio.run(main())


def rest_url(url: str, path: str) -> str:
    return url.removesuffix("/mcp") + path


def text(result: CallToolResult) -> str:
    return "\n".join(c.text for c in result.content if isinstance(c, TextContent))


def leaks(payload: object) -> bool:
    dumped = payload if isinstance(payload, str) else json.dumps(payload, ensure_ascii=False, default=str)
    return SECRET_SOURCE in dumped or SECRET_WORD in dumped


def test_lists_both_tools_with_schemas(url: str) -> None:
    tools = run(url, OPS_KEY, lambda s: s.list_tools()).tools
    by_name = {t.name: t for t in tools}
    assert set(by_name) == {"ask_advisor", "search_knowledge"}
    assert by_name["ask_advisor"].input_schema["required"] == ["question"]
    assert {"question", "profile", "thread_id"} <= set(by_name["ask_advisor"].input_schema["properties"])
    assert by_name["search_knowledge"].input_schema["required"] == ["query"]


def ask(question: str, **extra: Any) -> ToolCall:
    return lambda s: s.call_tool("ask_advisor", {"question": question, **extra})


def test_ask_advisor_cites_the_finance_document_only_for_finance(url: str) -> None:
    insider = run(url, FINANCE_KEY, ask(SECRET_QUESTION))
    outsider = run(url, OPS_KEY, ask(SECRET_QUESTION))
    assert not insider.is_error and not outsider.is_error, (text(insider), text(outsider))
    cited = {c["source"] for c in insider.structured_content["citations"]}
    assert SECRET_SOURCE in cited  # the document is relevant: only the ACL can keep it out
    assert SECRET_SOURCE in text(insider)
    assert outsider.structured_content["citations"], "the outsider still gets a cited plan"
    assert not leaks(text(outsider)) and not leaks(outsider.structured_content)


def test_ask_advisor_markdown_matches_the_rest_plan(url: str) -> None:
    """The same planning path: the tool's Markdown is the REST plan rendered by the one renderer."""
    from agents.render import plan_to_markdown
    from agents.state import AdoptionPlan

    body = {"question": SECRET_QUESTION, "profile": {"industry": "制造业"}}
    result = run(url, FINANCE_KEY, ask(SECRET_QUESTION, profile={"industry": "制造业"}))
    rest = httpx.post(
        url.removesuffix("/mcp") + "/v1/plans", json=body, headers=auth(FINANCE_KEY), timeout=120
    )
    plan = AdoptionPlan.model_validate(rest.json())
    assert text(result) == plan_to_markdown(plan)
    assert result.structured_content["citations"] == [c.model_dump(mode="json") for c in plan.citations]


def test_ask_advisor_follows_a_thread_of_the_caller(url: str) -> None:
    first = run(url, FINANCE_KEY, ask(SECRET_QUESTION, thread_id="mcp-thread-1"))
    follow = run(url, FINANCE_KEY, ask("那安全方面呢？", thread_id="mcp-thread-1"))
    assert first.structured_content["thread_id"] == follow.structured_content["thread_id"] == "mcp-thread-1"
    assert not follow.is_error and not follow.structured_content["refused"], text(follow)
    threads = httpx.get(rest_url(url, "/v1/threads"), headers=auth(FINANCE_KEY)).json()
    assert "mcp-thread-1" in json.dumps(threads)
    others = httpx.get(rest_url(url, "/v1/threads"), headers=auth(OPS_KEY)).json()
    assert "mcp-thread-1" not in json.dumps(others)


def search(query: str, k: int = 10) -> ToolCall:
    return lambda s: s.call_tool("search_knowledge", {"query": query, "k": k})


def test_search_knowledge_is_acl_filtered(url: str) -> None:
    insider = run(url, FINANCE_KEY, search(SECRET_QUESTION))
    outsider = run(url, OPS_KEY, search(SECRET_QUESTION))
    assert insider.structured_content["passages"][0]["source"] == SECRET_SOURCE
    assert SECRET_SOURCE in text(insider)
    assert outsider.structured_content["passages"], "the outsider still finds public passages"
    assert not leaks(text(outsider)) and not leaks(outsider.structured_content)


def test_resources_are_the_documents_the_caller_may_see(url: str) -> None:
    secret = document_uri(SECRET_SOURCE)
    everything = {d.source for d in api_env().store.list_documents()}
    for key, sees_secret in ((FINANCE_KEY, True), (OPS_KEY, False), (ADMIN_KEY, True)):
        listed = run(url, key, lambda s: s.list_resources()).resources
        assert (secret in {r.uri for r in listed}) is sees_secret, key
        assert everything - {SECRET_SOURCE} <= {r.name for r in listed}
    document = run(url, FINANCE_KEY, lambda s: s.read_resource(secret)).contents[0]
    assert isinstance(document, TextResourceContents) and SECRET_WORD in document.text
    assert document.mime_type == "text/markdown"


def test_a_hidden_document_reads_like_a_missing_one(url: str) -> None:
    async def read(session: ClientSession, uri: str) -> str:
        with pytest.raises(MCPError) as caught:
            await session.read_resource(uri)
        return caught.value.message

    hidden = run(url, OPS_KEY, lambda s: read(s, document_uri(SECRET_SOURCE)))
    missing = run(url, OPS_KEY, lambda s: read(s, document_uri("no-such-file.md")))
    assert hidden.replace(document_uri(SECRET_SOURCE), "X") == missing.replace(
        document_uri("no-such-file.md"), "X"
    )


def test_bad_arguments_are_clean_tool_errors(url: str) -> None:
    blank = run(url, OPS_KEY, ask("   "))
    assert blank.is_error and text(blank) == "the question is empty"
    bad_thread = run(url, OPS_KEY, ask("安全", thread_id="no spaces allowed"))
    assert bad_thread.is_error and text(bad_thread).startswith("invalid arguments: thread_id")
    too_many = run(url, OPS_KEY, lambda s: s.call_tool("search_knowledge", {"query": "安全", "k": 500}))
    assert too_many.is_error and "Traceback" not in text(too_many)


@pytest.mark.parametrize("key", [None, "wrong-key-0123456789"])
def test_a_missing_or_wrong_key_is_refused_like_rest(url: str, key: str | None) -> None:
    message = {"jsonrpc": "2.0", "id": 1, "method": "tools/list"}
    headers = {"Accept": "application/json, text/event-stream", **(auth(key) if key else {})}
    raw = httpx.post(url, json=message, headers=headers)
    rest = httpx.get(rest_url(url, "/v1/search"), params={"q": "安全"}, headers=headers)
    assert raw.status_code == rest.status_code == 401
    assert raw.json()["detail"] == rest.json()["detail"]
    assert raw.headers["www-authenticate"] == "Bearer"
    statuses: list[int] = []
    with pytest.raises(ExceptionGroup) as caught:  # the SDK client fails its initialize request
        run(url, key, lambda s: s.list_tools(), statuses)
    assert caught.group_contains(MCPError)
    assert statuses == [401]


def test_a_keyless_server_serves_the_local_user_and_checks_the_host() -> None:
    """Without keys the caller is the local admin (loopback only, as for REST), and the SDK's
    DNS-rebinding check refuses a request whose Host names another site."""
    with live_server(build_app(api_keys_file=None)) as base:
        listed = run(f"{base}/mcp", None, lambda s: s.list_resources()).resources
        assert document_uri(SECRET_SOURCE) in {r.uri for r in listed}
        message = {"jsonrpc": "2.0", "id": 1, "method": "tools/list"}
        headers = {"Accept": "application/json, text/event-stream", "Host": "advisor.evil.example"}
        refused = httpx.post(f"{base}/mcp", json=message, headers=headers)
        no_stream = httpx.get(f"{base}/mcp", headers={"Accept": "text/event-stream"}, timeout=10)
    assert refused.status_code == 421 and refused.json()["detail"] == "Invalid Host header"
    assert no_stream.status_code == 405 and no_stream.headers["allow"] == "POST"


def test_tool_calls_resource_reads_and_refusals_are_audited(url: str) -> None:
    run(url, OPS_KEY, search("数据安全", 3))
    public = next(d.source for d in api_env().store.list_documents() if d.source != SECRET_SOURCE)
    run(url, OPS_KEY, lambda s: s.read_resource(document_uri(public)))
    httpx.post(
        url, json={"jsonrpc": "2.0", "id": 1, "method": "tools/list"}, headers=auth("wrong-key-0123456789")
    )

    def entries(endpoint: str) -> list[dict[str, Any]]:
        params: dict[str, str | int] = {"endpoint": endpoint, "limit": 5}
        answer = httpx.get(rest_url(url, "/v1/audit"), params=params, headers=auth(ADMIN_KEY))
        return list(answer.json())

    searched = entries("MCP search_knowledge")[0]
    assert searched["principal"] == "oscar" and searched["question"] == "数据安全" and searched["sources"]
    read = entries("MCP resources/read")[0]
    assert read["principal"] == "oscar" and read["sources"] == [public] and read["status"] == 200
    assert entries("POST /mcp")[0]["status"] == 401


def test_the_rate_limit_of_the_key_covers_mcp() -> None:
    """MCP requests count against the caller's REST limit, and past it answer the same JSON 429."""
    with live_server(build_app(rate_limit="2/minute")) as base:
        message = {"jsonrpc": "2.0", "id": 1, "method": "tools/list"}
        headers = {"Accept": "application/json, text/event-stream", **auth(OPS_KEY)}
        answers = [httpx.post(f"{base}/mcp", json=message, headers=headers) for _ in range(2)]
        rest = httpx.get(f"{base}/v1/search", params={"q": "安全"}, headers=auth(OPS_KEY))
        refused = httpx.post(f"{base}/mcp", json=message, headers=headers)
        other = httpx.post(f"{base}/mcp", json=message, headers={**headers, **auth(FINANCE_KEY)})
    assert [a.status_code for a in answers] == [200, 200]
    assert rest.status_code == refused.status_code == 429
    assert refused.json()["detail"].startswith("rate limit of 2/minute exceeded")
    assert int(refused.headers["retry-after"]) >= 1
    assert other.status_code == 200, "another key has its own limit"
