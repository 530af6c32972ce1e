"""Shared pytest fixtures. Each helper owns a clearly separated section below."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from evals.scripted_llm import ScriptedLLMServer

if TYPE_CHECKING:
    from settings import Settings


# ----------------------------------------------------------------------------------------------
# Scripted OpenAI-compatible server (evals/scripted_llm/): LLM mode over real HTTP.
# ----------------------------------------------------------------------------------------------
@pytest.fixture
def scripted_llm(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[ScriptedLLMServer]:
    """A running ScriptedLLMServer with OPENAI_* pointing at it; script it before calling the advisor.

    tiktoken downloads are made to fail loudly: CI has no internet, so token counting must come
    from the API's `usage`, never from tiktoken.
    """
    import tiktoken.load

    from settings import get_settings

    def _no_download(blobpath: str) -> bytes:
        raise RuntimeError(f"tiktoken tried to download {blobpath}; count tokens from `usage` instead")

    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(tmp_path / "no-tiktoken-cache"))
    monkeypatch.setattr(tiktoken.load, "read_file", _no_download)
    with ScriptedLLMServer() as server:
        monkeypatch.setenv("OPENAI_API_KEY", "test-key")
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
        get_settings.cache_clear()
        yield server
        get_settings.cache_clear()


@pytest.fixture
def llm_settings(scripted_llm: ScriptedLLMServer, tmp_path: Path) -> Settings:
    """LLM-mode settings against the scripted server, one retry, short deadlines."""
    from settings import Settings

    settings = Settings(data_dir=tmp_path, embedder="hash", llm_max_retries=1, llm_timeout_s=5.0)
    assert settings.run_mode == "llm"
    return settings


# ----------------------------------------------------------------------------------------------
# Chat UI browser tests (tests/test_web_*.py): a real `uvicorn server:app` per module, one
# Debian Chromium per session driven by Playwright, screenshots under test-artifacts/web/.
# A module sets `WEB_KEYS = [{key, principal, groups, role}, ...]` to serve with API keys.
# ----------------------------------------------------------------------------------------------
WEB_CHROMIUM = Path("/usr/bin/chromium")
WEB_CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
]
WEB_ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "web"


@pytest.fixture(scope="session")
def chromium_browser() -> Iterator[object]:
    """One headless Chromium for all browser tests; skips where Debian's chromium is missing."""
    if not WEB_CHROMIUM.exists():
        pytest.skip(f"browser tests need Debian's Chromium at {WEB_CHROMIUM} (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(WEB_CHROMIUM), args=WEB_CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def web_server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real server in a subprocess on loopback, with its own data dir and the seed corpus
    (ingested by the app at startup). Yields its base URL."""
    import json
    import sys

    from evals.bench_api import free_port, server_env, server_process

    if not WEB_CHROMIUM.exists():  # no browser, no reason to pay for a server
        pytest.skip(f"browser tests need Debian's Chromium at {WEB_CHROMIUM} (apt-get install chromium)")
    data_dir = tmp_path_factory.mktemp("web-server")
    # A browser module sends ~120 API calls within a minute (page loads, the Stop test's polling),
    # which is the default per-key limit: a slow machine then got 429 in a later test. The limit has
    # its own tests (tests/api), so the browser server's is out of the way.
    env = server_env(
        ADVISOR_DATA_DIR=str(data_dir / "data"), ADVISOR_MODE="offline", ADVISOR_RATE_LIMIT="100000/minute"
    )
    keys = getattr(request.module, "WEB_KEYS", None)
    if keys:
        keys_file = data_dir / "keys.json"
        keys_file.write_text(json.dumps(keys), encoding="utf-8")
        env["ADVISOR_API_KEYS_FILE"] = str(keys_file)
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", "server:app", "--host", "127.0.0.1", "--port", str(port)]
    with server_process(command, env, port, data_dir / "server.log") as url:
        yield url


@pytest.fixture
def web_page(chromium_browser: object, web_server: str) -> Iterator[object]:
    """A factory of fresh pages (own storage) on the server. Every request a page makes is kept
    in `page.seen_urls`; at teardown none may have gone to another host, and no script error
    may have escaped uncaught."""
    contexts: list[object] = []
    pages: list[object] = []

    def make(locale: str = "zh-CN", width: int = 1280, height: int = 860, **options: object) -> object:
        context = chromium_browser.new_context(  # type: ignore[attr-defined]
            base_url=web_server,
            locale=locale,
            viewport={"width": width, "height": height},
            accept_downloads=True,
            reduced_motion="reduce",  # no transitions: screenshots show settled states
            **options,
        )
        context.set_default_timeout(60_000)
        contexts.append(context)
        page = context.new_page()
        page.seen_urls = []
        page.script_errors = []
        page.on("request", lambda r: page.seen_urls.append(r.url))
        page.on("pageerror", lambda e: page.script_errors.append(str(e)))
        pages.append(page)
        return page

    yield make
    for context in contexts:
        context.close()  # type: ignore[attr-defined]
    for page in pages:
        foreign = [u for u in page.seen_urls if not u.startswith((web_server + "/", "blob:", "data:"))]  # type: ignore[attr-defined]
        assert not foreign, f"the page requested other hosts: {foreign}"
        assert not page.script_errors, f"uncaught script errors: {page.script_errors}"  # type: ignore[attr-defined]


@pytest.fixture
def shoot() -> object:
    """Save a screenshot as test-artifacts/web/<name>.png (for people to look at)."""
    WEB_ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def save(page: object, name: str, full_page: bool = False) -> None:
        page.screenshot(path=str(WEB_ARTIFACTS / f"{name}.png"), full_page=full_page)  # type: ignore[attr-defined]

    return save


# ----------------------------------------------------------------------------------------------
# Retrieval layer (store.py, retrieval.py, lexical.py, embedders.py): stores on temporary data
# dirs, isolated from the developer's ADVISOR_* / CHROMA_* environment, and the seed corpus
# ingested once per session.
# ----------------------------------------------------------------------------------------------
KNOWLEDGE_DIR = Path(__file__).resolve().parent.parent / "knowledge"


def retrieval_settings(data_dir: Path, **overrides: object) -> Settings:
    """Settings for a local embedded store with the offline hashing embedder."""
    from settings import Settings

    values: dict[str, object] = {"data_dir": data_dir, "embedder": "hash", "chroma_host": None}
    values |= {"embedding_model": None, "openai_api_key": None, "collection": "advisor_chunks"}
    return Settings(**(values | overrides))  # type: ignore[arg-type]


@pytest.fixture
def make_store(tmp_path: Path) -> object:
    """Factory of KnowledgeStores; calls with the same `name` share one data dir (two processes' view)."""
    from store.knowledge import KnowledgeStore

    def make(name: str = "data", **overrides: object) -> KnowledgeStore:
        return KnowledgeStore(retrieval_settings(tmp_path / name, **overrides))

    return make


@pytest.fixture
def make_chunks() -> object:
    """Factory of Chunks for one source from plain texts; ids hash source and text like ingest does."""
    import hashlib

    from store.records import Chunk

    def make(source: str, texts: list[str], *, title: str = "", section: str = "") -> list[Chunk]:
        chunks, offset = [], 0
        for text in texts:
            digest = hashlib.sha256(f"{source}\x00{text}".encode()).hexdigest()[:24]
            chunks.append(
                Chunk(
                    chunk_id=digest,
                    source=source,
                    title=title or source,
                    section=section,
                    start=offset,
                    end=offset + len(text),
                    text=text,
                )
            )
            offset += len(text)
        return chunks

    return make


@pytest.fixture(scope="session")
def seed_store(tmp_path_factory: pytest.TempPathFactory) -> object:
    """The five seed articles of knowledge/ ingested through ingest.py into one store (read-only!)."""
    from ingest import ingest_paths
    from store.knowledge import KnowledgeStore

    store = KnowledgeStore(retrieval_settings(tmp_path_factory.mktemp("seed-store") / "data"))
    report = ingest_paths([KNOWLEDGE_DIR], store, root=KNOWLEDGE_DIR, progress=False)
    assert not report.failed, report.failed
    return store


# ----------------------------------------------------------------------------------------------
# Real engines (tests/engines.py): PostgreSQL and Redis on loopback, one of each per session.
# ----------------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def postgres_server() -> Iterator[object]:
    from engines import PostgresServer

    server = PostgresServer()
    yield server
    server.stop()


@pytest.fixture
def postgres_url(postgres_server: object) -> str:
    """A new empty database on the session's PostgreSQL."""
    from engines import PostgresServer

    assert isinstance(postgres_server, PostgresServer)
    return postgres_server.fresh_database()


@pytest.fixture(scope="session")
def redis_server() -> Iterator[object]:
    from engines import RedisServer

    server = RedisServer()
    yield server
    server.stop()


@pytest.fixture
def redis_url(redis_server: object) -> str:
    """The session's Redis, emptied for this test."""
    from engines import RedisServer

    assert isinstance(redis_server, RedisServer)
    redis_server.flush()
    return redis_server.url


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest) -> str | None:
    """Each backend of the server's stores and checkpoints: None = SQLite files in the data dir."""
    return None if request.param == "sqlite" else str(request.getfixturevalue("postgres_url"))
