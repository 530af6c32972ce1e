"""Request and response models of the advisor's own endpoints (OpenAI shapes live in openai_models)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from agents.state import Area, CompanyProfile, Turn

THREAD_ID_PATTERN = r"^[A-Za-z0-9_.:-]{1,128}$"


class ErrorInfo(BaseModel):
    message: str
    type: str
    code: int


class ErrorResponse(BaseModel):
    """Every error: `detail` for people and FastAPI clients, `error` for OpenAI-style clients."""

    detail: str
    error: ErrorInfo


def error_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries documenting the JSON error body for these status codes."""
    return {code: {"model": ErrorResponse} for code in codes}


class PlanRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # Blank questions get a clear 422 from the route; the pattern only documents it.
    question: str = Field(
        description="The manager's question, Chinese or English.", json_schema_extra={"pattern": r"\S"}
    )
    thread_id: str | None = Field(
        default=None,
        pattern=THREAD_ID_PATTERN,
        description="Continue this thread. An unknown id creates the thread for the caller on first use.",
    )
    profile: CompanyProfile | None = None
    areas: list[Area] | None = Field(
        default=None, description="Consult only these areas (default: planner decides)."
    )


class StreamPlanRequest(PlanRequest):
    review: bool = Field(
        default=False,
        strict=True,
        description="Pause after the planner with a `review` event (a thread is made when none is given) "
        "(areas and sub-queries) until `POST /v1/plans/resume` approves or edits them.",
    )


class ReviewDecision(BaseModel):
    """The user's answer to a `review` event: the areas to consult and, optionally, edited sub-queries."""

    model_config = ConfigDict(extra="forbid")

    thread_id: str = Field(pattern=THREAD_ID_PATTERN)
    areas: list[Area] = Field(min_length=1, description="Areas the specialists should cover.")
    subqueries: dict[Area, list[Annotated[str, Field(max_length=500)]]] | None = Field(
        default=None, description="Search queries per area; an area left out keeps the planner's."
    )


class ThreadCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str | None = Field(default=None, max_length=200)


class ThreadRename(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=200, json_schema_extra={"pattern": r"\S"})


class ThreadDetail(BaseModel):
    id: str
    title: str | None = None
    created_at: str
    updated_at: str
    turns: list[Turn] = Field(
        default_factory=list, description="Earlier questions and their plans, oldest first."
    )


class Deleted(BaseModel):
    deleted: str
    chunks: int | None = None


class ConfigInfo(BaseModel):
    auth_required: bool
    max_question_chars: int = Field(default=4000, description="Longer questions get 413.")
    mode: Literal["offline", "llm"]
    model: str | None = Field(description="The chat model in LLM mode, else null.")
    version: str


class Health(BaseModel):
    status: Literal["ok"] = "ok"


class Readiness(BaseModel):
    """No corpus figures: the route needs no key, and a count would move with documents the
    caller may not see."""

    status: Literal["ready", "not ready"]
    reason: str | None = None


def document_limits(schema: dict[str, Any], *, max_question_chars: int, max_messages: int) -> dict[str, Any]:
    """Writes the configured limits into the OpenAPI document, so it describes what the server accepts."""
    components = schema.get("components", {}).get("schemas", {})
    question = components.get("PlanRequest", {}).get("properties", {}).get("question")
    if question is not None:
        question["maxLength"] = max_question_chars
    messages = components.get("ChatCompletionRequest", {}).get("properties", {}).get("messages")
    if messages is not None:
        messages["maxItems"] = max_messages
    for parameter in schema.get("paths", {}).get("/v1/search", {}).get("get", {}).get("parameters", []):
        if parameter.get("name") == "q":
            parameter["schema"]["maxLength"] = max_question_chars
    return schema
