"""The MCP tools: `ask_advisor` (a cited plan) and `search_knowledge` (ACL-filtered passages).

Both run through the REST API's own code (`api.planning.run_plan_for`, `api.searching.search_for`),
so limits, thread ownership, the ACL filter and the audit trail are the same. Every failure
becomes a tool error whose text is the message a REST caller would get as `detail`, never a trace.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from fastapi import HTTPException
from mcp.server import ServerRequestContext
from mcp.shared.exceptions import MCPError
from mcp.types import INVALID_PARAMS, CallToolRequestParams, CallToolResult, TextContent, Tool
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from agents.render import plan_to_markdown
from agents.state import Citation, CompanyProfile
from api.auth import Principal
from api.deps import Services
from api.errors import status_for
from api.mcp.caller import caller
from api.models import THREAD_ID_PATTERN
from api.planning import PlanCall, check_question, run_plan_for
from api.searching import search_for
from store.records import Passage

log = logging.getLogger("advisor.server")
QUOTE_CHARS = 300  # a search hit's text in the Markdown answer; the structured result keeps it whole


class AskArgs(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question: str = Field(description="The manager's question, Chinese or English.")
    profile: CompanyProfile | None = Field(default=None, description="The company, to tailor the plan.")
    thread_id: str | None = Field(
        default=None,
        pattern=THREAD_ID_PATTERN,
        description="Continue this conversation: follow-ups see its earlier turns. An id you have not "
        "used yet starts a thread of yours.",
    )


class AskResult(BaseModel):
    thread_id: str | None = None
    refused: bool = Field(description="The question is outside what the advisor answers.")
    degraded: bool = Field(description="Part of the plan fell back to offline mode.")
    citations: list[Citation] = Field(description="The sources behind the plan's [n] markers.")


class SearchArgs(BaseModel):
    model_config = ConfigDict(extra="forbid")

    query: str = Field(description="What to look for, Chinese or English.")
    k: int = Field(default=5, ge=1, le=50, description="How many passages.")


class SearchResult(BaseModel):
    passages: list[Passage]


async def ask_advisor(services: Services, principal: Principal, args: AskArgs) -> CallToolResult:
    question = check_question(services, args.question)
    call = PlanCall(
        endpoint="MCP ask_advisor", question=question, thread_id=args.thread_id, profile=args.profile
    )
    plan = await run_plan_for(services, principal, call)
    result = AskResult(
        thread_id=plan.thread_id, refused=plan.refused, degraded=plan.degraded, citations=plan.citations
    )
    return _result(plan_to_markdown(plan), result)


def _hit(n: int, p: Passage) -> str:
    where = " · ".join(part for part in (p.title, p.section, f"`{p.source}`") if part)
    text = " ".join(p.text.split())
    return f"{n}. {where}\n   > {text[:QUOTE_CHARS]}{'…' if len(text) > QUOTE_CHARS else ''}"


async def search_knowledge(services: Services, principal: Principal, args: SearchArgs) -> CallToolResult:
    passages = await search_for(services, principal, args.query, args.k, endpoint="MCP search_knowledge")
    text = "\n".join(_hit(n, p) for n, p in enumerate(passages, 1)) or "No passage matches."
    return _result(text, SearchResult(passages=passages))


def _result(text: str, structured: BaseModel) -> CallToolResult:
    return CallToolResult(
        content=[TextContent(text=text)], structured_content=structured.model_dump(mode="json")
    )


def _error(message: str) -> CallToolResult:
    return CallToolResult(content=[TextContent(text=message)], is_error=True)


@dataclass(frozen=True)
class ToolSpec:
    tool: Tool
    arguments: type[BaseModel]
    run: Callable[[Services, Principal, Any], Awaitable[CallToolResult]]


def _spec(
    name: str, description: str, arguments: type[BaseModel], result: type[BaseModel], run: Any
) -> ToolSpec:
    schema = Tool(
        name=name,
        description=description,
        input_schema=arguments.model_json_schema(),
        output_schema=result.model_json_schema(),
    )
    return ToolSpec(schema, arguments, run)


TOOLS = {
    spec.tool.name: spec
    for spec in (
        _spec(
            "ask_advisor",
            "An AI adoption plan for the question (summary, roadmap with owners, risks, KPIs, gaps) as "
            "Markdown in which every claim cites [n] a quoted passage of the company's documents that "
            "you may read; the citations also come as structured data.",
            AskArgs,
            AskResult,
            ask_advisor,
        ),
        _spec(
            "search_knowledge",
            "Search the company's AI adoption documents that you may read (hybrid keyword and vector "
            "search, Chinese or English); returns the best passages with their sources.",
            SearchArgs,
            SearchResult,
            search_knowledge,
        ),
    )
}


async def call_tool(ctx: ServerRequestContext[Any, Any], params: CallToolRequestParams) -> CallToolResult:
    """Runs one tool for the authenticated caller; failures are tool errors with a one-line reason."""
    spec = TOOLS.get(params.name)
    if spec is None:
        raise MCPError(code=INVALID_PARAMS, message=f"unknown tool {params.name!r}")
    services, principal = caller(ctx)
    try:
        arguments = spec.arguments.model_validate(params.arguments or {})
        return await spec.run(services, principal, arguments)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'arguments'}: {e['msg']}" for e in exc.errors()[:3]
        )
        return _error(f"invalid arguments: {problems}")
    except HTTPException as exc:
        return _error(str(exc.detail))
    except Exception as exc:
        log.exception("MCP tool %s failed", params.name)
        return _error(status_for(exc)[1])
