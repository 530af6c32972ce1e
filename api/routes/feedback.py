"""Feedback on plans: anyone votes on their own turns; admins list it or export golden candidates."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Query, Response, status
from pydantic import BaseModel, ConfigDict, Field

from api.deps import AdminDep, PrincipalDep, ServicesDep
from api.models import THREAD_ID_PATTERN, error_responses
from api.stores.feedback import FeedbackEntry, Rating, golden_candidate
from api.thread_turns import owned_turn

router = APIRouter(prefix="/v1/feedback", tags=["feedback"])


class FeedbackRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    thread_id: str = Field(pattern=THREAD_ID_PATTERN)
    turn: int = Field(ge=0, le=10_000, description="0-based index of the turn in the thread.")
    rating: Rating
    comment: str = Field(default="", max_length=2000)


@router.post(
    "",
    response_model=FeedbackEntry,
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(400, 401, 404, 413, 422, 429),
    summary="Thumbs up or down on one plan of your own thread, with an optional comment",
)
async def give_feedback(
    body: FeedbackRequest, services: ServicesDep, principal: PrincipalDep
) -> FeedbackEntry:
    plan = await owned_turn(services, principal, body.thread_id, body.turn)
    entry = FeedbackEntry.of(
        plan,
        principal=principal.name,
        thread_id=body.thread_id,
        turn=body.turn,
        rating=body.rating,
        comment=body.comment,
    )
    return services.feedback.record(entry)


@router.get("", response_model=list[FeedbackEntry], responses=error_responses(401, 403, 422, 429))
async def list_feedback(
    services: ServicesDep,
    principal: AdminDep,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 1000,
    rating: Rating | None = None,
) -> list[FeedbackEntry]:
    """Newest first (admins)."""
    return services.feedback.query(limit=limit, rating=rating)


@router.get(
    "/export",
    response_class=Response,
    responses={
        200: {"content": {"application/x-ndjson": {}}, "description": "One JSON object per line."},
        **error_responses(401, 403, 422, 429),
    },
    summary="Export feedback as JSONL: raw entries, or golden-set candidates (admins)",
)
async def export_feedback(
    services: ServicesDep,
    principal: AdminDep,
    golden_candidates: Annotated[
        bool, Query(description="Lines in the golden format, key points left for a person to fill.")
    ] = False,
    rating: Rating | None = None,
) -> Response:
    entries = services.feedback.query(limit=100_000, rating=rating)
    rows = [golden_candidate(e) if golden_candidates else e.model_dump(mode="json") for e in entries]
    body = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    return Response(body, media_type="application/x-ndjson")
