"""One plan of a caller's own thread as Markdown or Word, rendered on the server.

`agents/render.py` is the one Markdown renderer (the UI downloads and copies what this returns);
`agents/render_docx.py` builds the .docx. Both see only what the caller may see today.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, Path, Query, Response
from starlette.concurrency import run_in_threadpool

from agents.render import plan_to_markdown
from agents.render_docx import plan_to_docx
from api.deps import PrincipalDep, ServicesDep
from api.models import THREAD_ID_PATTERN, error_responses
from api.thread_turns import owned_turn

router = APIRouter(prefix="/v1/threads", tags=["threads"])
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')


def _filename(question: str, suffix: str) -> str:
    slug = _UNSAFE.sub("-", question).strip("-")[:40] or "plan"
    return f"advisor-plan-{slug}.{suffix}"


@router.get(
    "/{thread_id}/turns/{turn}/export",
    response_class=Response,
    responses={
        200: {"content": {"text/markdown": {}, DOCX: {}}, "description": "The plan as a file."},
        **error_responses(401, 404, 422, 429),
    },
    summary="Export one plan of your thread as Markdown or Word (.docx)",
)
async def export_turn(
    services: ServicesDep,
    principal: PrincipalDep,
    thread_id: Annotated[str, Path(pattern=THREAD_ID_PATTERN)],
    turn: Annotated[int, Path(ge=-1, le=10_000, description="0-based turn index; -1 is the latest.")],
    format: Annotated[Literal["markdown", "docx"], Query(description="markdown or docx.")] = "markdown",
) -> Response:
    plan = await owned_turn(services, principal, thread_id, turn)
    if format == "docx":
        body: bytes = await run_in_threadpool(plan_to_docx, plan)
        media, name = DOCX, _filename(plan.question, "docx")
    else:
        body, media, name = (
            plan_to_markdown(plan).encode("utf-8"),
            "text/markdown; charset=utf-8",
            _filename(plan.question, "md"),
        )
    disposition = f"attachment; filename=\"plan.{name.rsplit('.', 1)[1]}\"; filename*=UTF-8''{quote(name)}"
    return Response(body, media_type=media, headers={"Content-Disposition": disposition})
