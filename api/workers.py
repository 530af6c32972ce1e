"""`advisor serve --workers N`: N server processes, each with its own listening socket on one port.

Why not uvicorn's own `--workers`: there every worker accepts from one shared socket, and asyncio
accepts all pending connections in one go, so a burst of new connections lands on whichever
worker woke first and, kept alive, stays there (measured: 21 s of CPU in one worker, 6 s in the
other). With SO_REUSEPORT the kernel spreads connections over the workers' sockets by address.
The parent only starts the workers, forwards SIGTERM/SIGINT, and ends when any worker ends.
"""

from __future__ import annotations

import multiprocessing
import signal
import socket
from multiprocessing.connection import wait
from types import FrameType

import uvicorn


def _listen(host: str, port: int, *, reuse_port: bool) -> socket.socket:
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if reuse_port:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    return sock


def _worker(host: str, port: int, log_level: str) -> None:
    sock = _listen(host, port, reuse_port=True)
    sock.listen(2048)
    uvicorn.Server(uvicorn.Config("server:app", log_level=log_level)).run(sockets=[sock])


def serve_workers(host: str, port: int, workers: int, log_level: str = "info") -> int:
    """Runs `workers` processes of `server:app` on host:port until one of them exits or a signal."""
    _listen(host, port, reuse_port=False).close()  # the port is free: never share it with a stranger
    spawn = multiprocessing.get_context("spawn")
    procs = [
        spawn.Process(target=_worker, args=(host, port, log_level), name=f"advisor-worker-{n}")
        for n in range(workers)
    ]
    for proc in procs:
        proc.start()

    def stop(signum: int = signal.SIGTERM, frame: FrameType | None = None) -> None:
        for proc in procs:
            if proc.is_alive():
                proc.terminate()  # SIGTERM: uvicorn finishes open requests, then runs the lifespan's exit

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    wait([proc.sentinel for proc in procs])
    stop()
    for proc in procs:
        proc.join(30)
        if proc.is_alive():
            proc.kill()
            proc.join()
    return max((proc.exitcode or 0) for proc in procs)
