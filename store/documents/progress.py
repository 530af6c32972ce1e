"""Per-page progress of long files (OCR'd pages), for the CLI's progress bar.

Loaders call `page_done`; whoever shows progress in this process sets a listener. A worker process
sets one that forwards to the parent (prepare_pool.py). Without a listener nothing happens.
"""

from __future__ import annotations

from collections.abc import Callable

PageListener = Callable[[str, int, int], None]  # (source, pages done, pages to do)

_listener: PageListener | None = None


def set_listener(listener: PageListener | None) -> PageListener | None:
    """Install `listener`; returns the previous one so callers can restore it."""
    global _listener
    previous, _listener = _listener, listener
    return previous


def page_done(source: str, done: int, total: int) -> None:
    if _listener is not None:
        _listener(source, done, total)
