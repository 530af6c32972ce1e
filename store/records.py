"""Records shared by ingestion, the store, the agents and the API."""

from __future__ import annotations

from pydantic import BaseModel, Field

PUBLIC = "public"


class Chunk(BaseModel):
    """One piece of a document as written to the store."""

    chunk_id: str = Field(description="Stable id: hash of source and content.")
    source: str = Field(description="Path relative to the corpus root, e.g. 000_23366926fd57ca3a.txt.")
    title: str
    section: str = Field(default="", description="Heading path, ' > ' separated.")
    page: int | None = Field(default=None, description="1-based PDF page or slide, None for other formats.")
    ocr: bool = Field(default=False, description="The text was read from an image by OCR.")
    start: int = Field(default=0, description="Character offset of the chunk in the document text.")
    end: int = Field(default=0)
    text: str
    access: list[str] = Field(default_factory=lambda: [PUBLIC])
    doc_hash: str = Field(default="", description="Content hash of the whole document version.")


class Passage(BaseModel):
    """A retrieved chunk with its score; what search returns and what plans cite."""

    chunk_id: str
    score: float
    source: str
    title: str
    section: str = ""
    page: int | None = None
    ocr: bool = False
    text: str
    access: list[str] = Field(default_factory=lambda: [PUBLIC])


class DocumentInfo(BaseModel):
    source: str
    title: str
    chunks: int
    access: list[str]
    doc_hash: str
    ingested_at: str = ""
    format: str = Field(default="", description="pdf, docx, pptx, xlsx, csv, html, md, txt, png, jpg, …")
    pages: int | None = Field(default=None, description="Pages or slides of the file; None when it has none.")
    ocr_pages: int = Field(default=0, description="Pages whose text was read by OCR.")
    uploaded: bool = Field(default=False, description="Uploaded through the API rather than from the corpus.")


class FileResult(BaseModel):
    """Outcome of ingesting one file."""

    source: str
    status: str = Field(description="added | updated | unchanged | failed | pruned")
    chunks: int = 0
    error: str | None = None
    format: str = ""
    pages: int | None = None
    ocr_pages: int = 0
    title: str = ""
    warning: str | None = Field(
        default=None, description="Ingested, but not whole (e.g. OCR ran out of time)."
    )


class IngestReport(BaseModel):
    files: list[FileResult] = Field(default_factory=list)
    seconds: float = 0.0
    bytes: int = 0

    @property
    def failed(self) -> list[FileResult]:
        return [f for f in self.files if f.status == "failed"]

    @property
    def chunks(self) -> int:
        return sum(f.chunks for f in self.files if f.status in ("added", "updated"))

    @property
    def skipped(self) -> int:
        return sum(1 for f in self.files if f.status == "unchanged")
