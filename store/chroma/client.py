"""Opening Chroma (the embedded PersistentClient under the data dir, or an HttpClient for CHROMA_HOST)
and the store's errors.

Server trouble surfaces in many shapes (httpx errors, Chroma errors wrapping them, plain
ConnectionError); `guard` turns all of them into one StoreUnavailableError that names the server.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from typing import Any

import chromadb
import httpx
from chromadb.config import Settings as ChromaSettings

from settings import Settings

logging.getLogger("chromadb").setLevel(logging.ERROR)


class StoreUnavailableError(RuntimeError):
    """Chroma cannot be reached (server mode) or opened."""


class EmbedderMismatchError(RuntimeError):
    """The collection was built by another embedder; its vectors cannot be compared with ours."""


class StoreDamagedError(EmbedderMismatchError):
    """Committed chunks are missing from the local chunk table; like a mismatch, only a rebuild helps."""


def where(settings: Settings) -> str:
    """The store's location as users know it: `host:port`, or the local folder."""
    s = settings
    return f"{s.chroma_host}:{s.chroma_port}" if s.chroma_host else str(s.data_dir / "chroma")


def connect(settings: Settings) -> Any:
    s, telemetry = settings, ChromaSettings(anonymized_telemetry=False)
    if s.chroma_host:
        client = chromadb.HttpClient(host=s.chroma_host, port=s.chroma_port, settings=telemetry)
        client.heartbeat()
        return client
    try:
        (s.data_dir / "chroma").mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(s.data_dir / "chroma"), settings=telemetry)
    except Exception as exc:
        raise StoreUnavailableError(f"cannot open the local store at {where(s)}: {exc}") from exc


@contextlib.contextmanager
def guard(settings: Settings) -> Iterator[None]:
    """Turn transport failures into one clear error naming the server."""
    try:
        yield
    except Exception as exc:
        if settings.chroma_host and _is_transport_error(exc):
            raise StoreUnavailableError(
                f"Chroma server at {where(settings)} is unreachable; "
                "start it (`chroma run --path DIR --port N`) or unset CHROMA_HOST to use the local store."
            ) from exc
        raise


def _is_transport_error(exc: BaseException) -> bool:
    while exc is not None:
        if isinstance(exc, httpx.TransportError | ConnectionError | TimeoutError):
            return True
        text = str(exc).lower()
        if "connect" in text or "could not reach" in text:
            return True
        exc = exc.__cause__ or exc.__context__  # type: ignore[assignment]
    return False
