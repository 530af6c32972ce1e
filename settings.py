"""Process-wide settings, read once from ADVISOR_* / OPENAI_* / CHROMA_* env vars and `.env`.

Every knob the advisor has lives here so the README's configuration table has one source.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent
PLAN_BUDGET_DEADLINES = 1.5  # a plan's model time, in call deadlines (see `Settings.plan_llm_budget_s`)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_prefix="ADVISOR_", extra="ignore")

    # --- storage -------------------------------------------------------------------------
    data_dir: Path = Field(default=Path(".advisor"), description="Chroma, checkpoints, audit log, caches.")
    knowledge_dir: Path = Field(default=REPO_ROOT / "knowledge", description="Default corpus to ingest.")
    collection: str = Field(default="advisor_chunks", description="Chroma collection name.")
    chroma_host: str | None = Field(
        default=None, validation_alias=AliasChoices("CHROMA_HOST", "ADVISOR_CHROMA_HOST")
    )
    chroma_port: int = Field(
        default=8000, validation_alias=AliasChoices("CHROMA_PORT", "ADVISOR_CHROMA_PORT")
    )
    database_url: str | None = Field(
        default=None,
        description="PostgreSQL URL for thread checkpoints, the thread registry, audit log and feedback; "
        "unset = SQLite files in the data dir.",
    )
    redis_url: str | None = Field(
        default=None, description="Redis URL for rate limits shared by all server processes; unset = memory."
    )

    # --- ingestion -----------------------------------------------------------------------
    chunk_size: int = Field(default=400, ge=100, le=4000, description="Target chunk length in characters.")
    chunk_overlap: int = Field(default=60, ge=0, le=1000)
    max_file_mb: float = Field(default=50.0, gt=0, description="Files above this size are refused.")
    max_chunks_per_doc: int = Field(
        default=20_000, ge=1, description="Documents that would make more chunks are refused."
    )
    max_unzipped_mb: float = Field(
        default=200.0, gt=0, description="docx/pptx/xlsx whose zip members declare more are refused."
    )
    max_zip_members: int = Field(
        default=5000, ge=1, description="docx/pptx/xlsx with more zip members are refused."
    )
    ocr: Literal["auto", "off", "force"] = Field(
        default="auto", description="auto = OCR image-only and glyph-garbage pages and images; force = all."
    )
    ocr_page_timeout_s: float = Field(default=60.0, gt=0, description="OCR time budget per page.")

    # --- embeddings ----------------------------------------------------------------------
    embedder: Literal["auto", "hash", "openai"] = Field(
        default="auto", description="auto = openai when ADVISOR_EMBEDDING_MODEL and a key are set, else hash."
    )
    embedding_model: str | None = Field(default=None, description="OpenAI-compatible embedding model name.")
    hash_dim: int = Field(
        default=768, ge=64, le=8192, description="Dimension of the offline hashing embedder."
    )

    # --- LLM -----------------------------------------------------------------------------
    openai_api_key: str | None = Field(default=None, validation_alias=AliasChoices("OPENAI_API_KEY"))
    openai_base_url: str | None = Field(default=None, validation_alias=AliasChoices("OPENAI_BASE_URL"))
    model: str = Field(default="gpt-4o-mini", description="Chat model name (ADVISOR_MODEL).")
    llm_timeout_s: float = Field(
        default=60.0, gt=0, description="Hard deadline of one model call: connect, every byte and retries."
    )
    llm_max_retries: int = Field(
        default=1, ge=0, le=10, description="Re-sends after a transport error, inside the call's deadline."
    )
    llm_budget_s: float = Field(
        default=90.0,
        gt=0,
        description="Model time one plan may spend (at most 1.5 call deadlines); then nodes answer offline.",
    )
    llm_passages: int = Field(
        default=6,
        ge=1,
        le=16,
        description="Passages a specialist prompt shows; the synthesizer up to twice as many.",
    )
    structured_output: Literal["auto", "tools", "json_schema", "json_object", "prompt"] = Field(
        default="auto", description="How structured output is asked for; auto tries them in this order."
    )
    max_llm_calls: int = Field(default=6, ge=0, le=50, description="Hard cap of LLM calls per plan.")
    llm_judge: bool = Field(default=False, description="Use the LLM as support judge in the verifier.")
    mode: Literal["auto", "offline", "llm"] = Field(
        default="auto", description="auto = llm when OPENAI_API_KEY is set, else offline."
    )

    # --- retrieval / planning ------------------------------------------------------------
    top_k: int = Field(default=6, ge=1, le=50, description="Passages each specialist keeps per sub-query.")
    refusal_min_score: float = Field(default=0.0, description="Extra relevance floor for refusals (tuning).")

    # --- server --------------------------------------------------------------------------
    host: str = "127.0.0.1"
    port: int = 8000
    api_keys_file: Path | None = None
    max_question_chars: int = Field(default=4000, ge=10)
    max_messages: int = Field(default=50, ge=1)
    max_upload_mb: float = Field(default=20.0, gt=0)
    upload_wait_s: float = Field(
        default=30.0, ge=0, description="How long an upload request waits for its ingest before 202."
    )
    upload_timeout_s: float = Field(default=300.0, gt=0, description="Deadline to prepare one upload.")
    upload_worker_mb: float = Field(
        default=2048.0, ge=256, description="Address-space cap of the process that prepares uploads."
    )
    rate_limit: str = Field(default="120/minute", description="Per-key limit, `limits` notation.")
    request_timeout_s: float = Field(default=120.0, gt=0)
    redact_pii: bool = Field(default=True, description="Redact PII before text leaves for an external LLM.")
    max_concurrent_plans: int = Field(
        default=4, ge=1, le=256, description="Plans computed at once per server; more wait their turn."
    )
    sse_ping_s: float = Field(default=15.0, gt=0, description="Seconds between SSE heartbeat comments.")

    @field_validator("data_dir", "knowledge_dir", mode="after")
    @classmethod
    def _absolute(cls, v: Path) -> Path:
        return v.expanduser().resolve()

    @model_validator(mode="after")
    def _llm_mode_needs_a_key(self) -> Settings:
        if self.mode == "llm" and not self.openai_api_key:
            raise ValueError("ADVISOR_MODE=llm needs OPENAI_API_KEY (or unset ADVISOR_MODE to run offline)")
        return self

    @property
    def llm_enabled(self) -> bool:
        if self.mode == "offline":
            return False
        return bool(self.openai_api_key)

    @property
    def plan_llm_budget_s(self) -> float:
        """The model time one plan may really spend: `llm_budget_s`, but never more than 1.5 call
        deadlines. A plan then ends within twice `llm_timeout_s` whatever the endpoint does (the
        last half deadline is left for retrieval, the offline fallback and the verifier), even when
        only the call deadline was configured."""
        return min(self.llm_budget_s, PLAN_BUDGET_DEADLINES * self.llm_timeout_s)

    @property
    def run_mode(self) -> Literal["offline", "llm"]:
        return "llm" if self.llm_enabled else "offline"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings; tests call `get_settings.cache_clear()` after changing env."""
    return Settings()
