"""One knowledge search for a caller: the query checks, the ACL filter and the audit entry.

`GET /v1/search` and the MCP tool `search_knowledge` both come through here, so a viewer finds
the same passages, and leaves the same audit trail, whichever way they ask.
"""

from __future__ import annotations

import asyncio
import time
from typing import Literal

from starlette.concurrency import run_in_threadpool

from agents.language.glossary import expand_query
from agents.llm.redact import redact
from api.auth import Principal
from api.deps import Services
from api.planning import check_question
from api.stores.audit import AuditEntry
from store.records import Passage

Method = Literal["hybrid", "bm25", "vector"]


async def search_for(
    services: Services,
    principal: Principal,
    query: str,
    k: int,
    *,
    method: Method = "hybrid",
    endpoint: str,
    what: str = "the query",
) -> list[Passage]:
    """The `k` best passages the caller may see; retrieval filters by their groups before ranking."""
    started = time.perf_counter()
    text = check_question(services, query, what)
    async with asyncio.timeout(services.settings.request_timeout_s):
        passages: list[Passage] = await run_in_threadpool(
            services.store.search, expand_query(text), k, groups=principal.search_groups, method=method
        )
    redacted, counts = redact(text)
    services.audit.record(
        AuditEntry(
            principal=principal.name,
            role=principal.role,
            endpoint=endpoint,
            status=200,
            question=redacted,
            sources=list(dict.fromkeys(p.source for p in passages)),
            redactions={k: v for k, v in counts.items() if v},
            latency_ms=(time.perf_counter() - started) * 1000,
        )  # fmt: skip
    )
    return passages
