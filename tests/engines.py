"""Real engines for tests: PostgreSQL, Redis and a Chroma server, each on loopback in a temp dir.

Debian's packages provide the binaries (`.ci/run` installs them). Where they are missing a test
skips with the reason, except in CI (env `CI` set), where a missing engine fails the run: the
multi-process tests must never pass there by not running.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import psycopg
import pytest
import redis

from evals.bench_api import free_port, wait_for_http

POSTGRES_USER = "postgres"  # the system account Debian's package creates; postgres refuses root


def missing(what: str) -> None:
    """Skips locally, fails in CI."""
    reason = f"{what} is not installed (apt-get install postgresql redis-server)"
    if os.environ.get("CI"):
        pytest.fail(f"CI must run this test: {reason}")
    pytest.skip(reason)


def _stop(proc: subprocess.Popen[bytes], sig: int = signal.SIGTERM) -> None:
    if proc.poll() is None:
        proc.send_signal(sig)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


def _wait(ready: object, proc: subprocess.Popen[bytes], log: Path, what: str) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            if ready():  # type: ignore[operator]
                return
        except Exception:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            _stop(proc)
            tail = log.read_text(encoding="utf-8", errors="replace")[-2000:]
            pytest.fail(f"{what} did not start:\n{tail}")
        time.sleep(0.1)


class PostgresServer:
    """A throwaway cluster: trust auth on 127.0.0.1, no fsync (tests never survive a power cut)."""

    def __init__(self) -> None:
        versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/postgres"))
        binary = versions[-1] if versions else shutil.which("postgres")
        if binary is None:
            missing("PostgreSQL")
        bin_dir = Path(str(binary)).parent
        as_root = os.geteuid() == 0
        user = pwd.getpwnam(POSTGRES_USER) if as_root else None
        self.dir = Path(tempfile.mkdtemp(prefix="advisor-pg-"))
        if user is not None:
            os.chown(self.dir, user.pw_uid, user.pw_gid)
        run_as = {"user": user.pw_uid, "group": user.pw_gid} if user else {}
        data = self.dir / "data"
        subprocess.run(
            [bin_dir / "initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync",
             "--locale=C.UTF-8"],
            check=True, capture_output=True, **run_as,  # type: ignore[arg-type]
        )  # fmt: skip
        self.port = free_port()
        self.log = self.dir / "postgres.log"
        settings = ("fsync=off", "full_page_writes=off", "synchronous_commit=off", "max_connections=200")
        command = [bin_dir / "postgres", "-D", data, "-p", str(self.port), "-k", self.dir,
                   "-c", "listen_addresses=127.0.0.1", *[a for s in settings for a in ("-c", s)]]  # fmt: skip
        with self.log.open("wb") as log:
            self.proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, **run_as)  # type: ignore[call-overload]
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"
        _wait(
            lambda: psycopg.connect(self.url, connect_timeout=2).close() is None,
            self.proc,
            self.log,
            "postgres",
        )

    def fresh_database(self) -> str:
        """A URL of a new, empty database: each test starts from nothing, as a deployment would."""
        name = f"t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}".encode())
        return self.url.rsplit("/", 1)[0] + f"/{name}"

    def stop(self) -> None:
        _stop(self.proc, signal.SIGINT)  # fast shutdown: open test connections do not hold it up
        shutil.rmtree(self.dir, ignore_errors=True)


class RedisServer:
    def __init__(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            missing("redis-server")
        self.dir = Path(tempfile.mkdtemp(prefix="advisor-redis-"))
        self.port = free_port()
        self.log = self.dir / "redis.log"
        command = [str(binary), "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                   "--appendonly", "no", "--dir", str(self.dir)]  # fmt: skip
        with self.log.open("wb") as log:
            self.proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        self.url = f"redis://127.0.0.1:{self.port}/0"
        _wait(lambda: redis.Redis.from_url(self.url).ping(), self.proc, self.log, "redis-server")

    def flush(self) -> None:
        redis.Redis.from_url(self.url).flushall()

    def stop(self) -> None:
        _stop(self.proc)
        shutil.rmtree(self.dir, ignore_errors=True)


def chroma_binary() -> str | None:
    beside = Path(sys.executable).parent / "chroma"
    return str(beside) if beside.exists() else shutil.which("chroma")


class ChromaServer:
    def __init__(self, binary: str, path: Path) -> None:
        self.port = free_port()
        self.log = path.parent / "chroma.log"
        command = [binary, "run", "--path", str(path), "--port", str(self.port), "--host", "127.0.0.1"]
        with self.log.open("wb") as log:
            self.proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_for_http(self.proc, f"http://127.0.0.1:{self.port}/api/v2/heartbeat", self.log, timeout_s=60)
        except RuntimeError as exc:
            self.stop()
            pytest.fail(f"chroma run did not start: {exc}")

    def stop(self) -> None:
        _stop(self.proc)
