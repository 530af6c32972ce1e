"""Where a chunk's text and citation fields live: in Chroma itself, or in a SQLite table beside it.

Embedded Chroma charges for every metadata key and most of all for a document text (it feeds a
full-text index): measured on chromadb 1.5, ~1.1 ms per record with text and nine keys against
~0.65 ms for the vector with three keys. So an embedded store (layout "sqlite") gives Chroma only
the vector and the keys its own filters use (`source`, `version`, `acl_<group>`) and keeps the rest
in a SQLite table under the data dir, keyed by the same record id. A Chroma server may be shared by
machines that share no disk, so there (layout "chroma") every field stays in Chroma. A collection
records its layout when it is created; one without the mark predates it and is "chroma".

Crash safety is the store's: rows are written before the manifest commits their version, readers
only ask for committed records, and `delete_uncommitted` removes what a crash left.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from chromadb.api.models.Collection import Collection

from store.records import PUBLIC, Chunk

PAGE = 2000  # records per Chroma read; also below SQLite's limit of bound variables per statement
LAYOUT_VERSION = "2"  # bump when what a chunk record stores, or where, changes (keys cached test stores)


@dataclass(frozen=True)
class ChunkRow:
    """One stored chunk record: `record_id` is `<chunk_id>@<version>`."""

    record_id: str
    chunk_id: str
    source: str
    version: str
    title: str
    section: str
    page: int | None
    start: int
    end: int
    access: tuple[str, ...]
    text: str
    doc_hash: str = ""
    ocr: bool = False

    @classmethod
    def of(
        cls, c: Chunk, source: str, version: str, *, title: str, access: tuple[str, ...], doc_hash: str
    ) -> ChunkRow:
        return cls(
            f"{c.chunk_id}@{version}",
            c.chunk_id,
            source,
            version,
            title,
            c.section,
            c.page,
            c.start,
            c.end,
            access,
            c.text,
            doc_hash,
            c.ocr,
        )


Catalog = tuple[str, str, str, str, list[str]]  # record id, chunk id, source, version, access groups


def filter_metadata(row: ChunkRow) -> dict[str, Any]:
    """The keys Chroma's `where` needs in every layout (deletes, reconcile, the filtered vector tier)."""
    return {"source": row.source, "version": row.version, **{f"acl_{g}": True for g in row.access}}


class ChunkTable(Protocol):
    layout: str

    def chroma_fields(self, rows: Sequence[ChunkRow]) -> tuple[list[Any], list[str] | None]:
        """Metadatas (and documents, or None) to write to Chroma with the vectors of `rows`."""
        ...

    def write(self, rows: Sequence[ChunkRow]) -> None: ...

    def delete_stale(self, sources: Sequence[str], keep_versions: Sequence[str]) -> None:
        """Forget every version of `sources` except `keep_versions`."""
        ...

    def delete_uncommitted(self, committed: dict[str, str]) -> int: ...

    def clear(self) -> None: ...

    def catalog(self) -> Iterator[Catalog]:
        """Every record (committed or not) without its text: what the BM25 catalog is built from."""
        ...

    def fetch(self, record_ids: Sequence[str]) -> dict[str, ChunkRow]: ...


def scan(chunks: Collection, include: list[str]) -> Iterator[list[tuple[str, dict[str, Any]]]]:
    """Every record of the collection, page by page (ids with metadata when included)."""
    offset = 0
    while True:
        got = chunks.get(include=include, limit=PAGE, offset=offset)  # type: ignore[arg-type]
        metas = got.get("metadatas") or [{}] * len(got["ids"])
        yield [(i, dict(m or {})) for i, m in zip(got["ids"], metas, strict=True)]
        if len(got["ids"]) < PAGE:
            return
        offset += PAGE


class ChromaTable:
    """Layout "chroma": text as the Chroma document, citation fields as metadata."""

    layout = "chroma"

    def __init__(self, chunks: Collection) -> None:
        self._chunks = chunks

    def chroma_fields(self, rows: Sequence[ChunkRow]) -> tuple[list[Any], list[str] | None]:
        metas = []
        for r in rows:
            meta = filter_metadata(r) | {"chunk_id": r.chunk_id, "title": r.title, "section": r.section}
            meta |= {"start": r.start, "end": r.end, "doc_hash": r.doc_hash, "access": json.dumps(r.access)}
            if r.page is not None:
                meta["page"] = r.page
            if r.ocr:
                meta["ocr"] = True
            metas.append(meta)
        return metas, [r.text for r in rows]

    def write(self, rows: Sequence[ChunkRow]) -> None:
        """Nothing beside Chroma: the records carry every field."""

    def delete_stale(self, sources: Sequence[str], keep_versions: Sequence[str]) -> None:
        """Nothing beside Chroma: the store deletes the records."""

    def delete_uncommitted(self, committed: dict[str, str]) -> int:
        return 0

    def clear(self) -> None:
        """Nothing beside Chroma: dropping the collection dropped everything."""

    def catalog(self) -> Iterator[Catalog]:
        for page in scan(self._chunks, ["metadatas"]):
            for rid, m in page:
                access = json.loads(m.get("access", f'["{PUBLIC}"]'))
                yield rid, str(m.get("chunk_id", "")), str(m.get("source", "")), str(m.get("version")), access

    def fetch(self, record_ids: Sequence[str]) -> dict[str, ChunkRow]:
        found: dict[str, ChunkRow] = {}
        for i in range(0, len(record_ids), PAGE):
            got = self._chunks.get(ids=list(record_ids[i : i + PAGE]), include=["documents", "metadatas"])
            for rid, text, meta in zip(
                got["ids"], got["documents"] or [], got["metadatas"] or [], strict=True
            ):
                m: dict[str, Any] = dict(meta or {})
                page = m.get("page")
                found[rid] = ChunkRow(
                    record_id=rid,
                    chunk_id=str(m.get("chunk_id", "")),
                    source=str(m.get("source", "")),
                    version=str(m.get("version", "")),
                    title=str(m.get("title", "")),
                    section=str(m.get("section", "")),
                    page=int(page) if page is not None else None,
                    start=int(m.get("start", 0)),
                    end=int(m.get("end", 0)),
                    access=tuple(json.loads(m.get("access", f'["{PUBLIC}"]'))),
                    text=text or "",
                    ocr=bool(m.get("ocr", False)),
                )
        return found


_COLUMNS = "id, chunk_id, source, version, title, section, page, start, end_, access, text, ocr"


class SqliteTable:
    """Layout "sqlite": a local table of chunk rows keyed by Chroma record id."""

    layout = "sqlite"

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False, timeout=30)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS chunks (id TEXT PRIMARY KEY, chunk_id TEXT NOT NULL, source TEXT NOT"
            " NULL, version TEXT NOT NULL, title TEXT NOT NULL, section TEXT NOT NULL, page INTEGER,"
            " start INTEGER NOT NULL, end_ INTEGER NOT NULL, access TEXT NOT NULL, text TEXT NOT NULL)"
        )
        self._db.execute("CREATE INDEX IF NOT EXISTS chunks_version ON chunks (source, version)")
        columns = {row[1] for row in self._db.execute("PRAGMA table_info(chunks)")}
        if "ocr" not in columns:  # tables made before chunks remembered OCR
            with self._db:
                self._db.execute("ALTER TABLE chunks ADD COLUMN ocr INTEGER NOT NULL DEFAULT 0")

    def chroma_fields(self, rows: Sequence[ChunkRow]) -> tuple[list[Any], list[str] | None]:
        return [filter_metadata(r) for r in rows], None

    def write(self, rows: Sequence[ChunkRow]) -> None:
        values = (
            (r.record_id, r.chunk_id, r.source, r.version, r.title, r.section, r.page, r.start, r.end)
            + (json.dumps(r.access), r.text, int(r.ocr))
            for r in rows
        )
        with self._lock, self._db:
            self._db.executemany(
                f"INSERT OR REPLACE INTO chunks ({_COLUMNS}) VALUES ({','.join('?' * 12)})", values
            )

    def delete_stale(self, sources: Sequence[str], keep_versions: Sequence[str]) -> None:
        keep = list(keep_versions)  # versions are unique per write: no other writer's survive by chance
        with self._lock, self._db:
            for i in range(0, len(sources), PAGE // 2):
                part = list(sources[i : i + PAGE // 2])
                self._db.execute(
                    f"DELETE FROM chunks WHERE source IN ({','.join('?' * len(part))})"
                    f" AND version NOT IN ({','.join('?' * len(keep))})",
                    part + keep,
                )

    def delete_uncommitted(self, committed: dict[str, str]) -> int:
        with self._lock, self._db:
            pairs = self._db.execute("SELECT DISTINCT source, version FROM chunks").fetchall()
            gone = [(s, v) for s, v in pairs if committed.get(s) != v]
            removed = 0
            for s, v in gone:
                removed += self._db.execute(
                    "DELETE FROM chunks WHERE source = ? AND version = ?", (s, v)
                ).rowcount
        return removed

    def clear(self) -> None:
        with self._lock, self._db:
            self._db.execute("DELETE FROM chunks")

    def catalog(self) -> Iterator[Catalog]:
        with self._lock:
            rows = self._db.execute("SELECT id, chunk_id, source, version, access FROM chunks").fetchall()
        for rid, cid, source, version, access in rows:
            yield rid, cid, source, version, json.loads(access)

    def fetch(self, record_ids: Sequence[str]) -> dict[str, ChunkRow]:
        found: dict[str, ChunkRow] = {}
        with self._lock:
            for i in range(0, len(record_ids), PAGE // 2):
                part = list(record_ids[i : i + PAGE // 2])
                query = f"SELECT {_COLUMNS} FROM chunks WHERE id IN ({','.join('?' * len(part))})"
                for rid, cid, src, ver, title, section, page, start, end, acl, text, ocr in self._db.execute(
                    query, part
                ):
                    groups = tuple(json.loads(acl))
                    found[rid] = ChunkRow(
                        rid, cid, src, ver, title, section, page, start, end, groups, text, ocr=bool(ocr)
                    )
        return found
