"""Per-key rate limiting with the `limits` library (moving window, in memory).

In-memory is deliberate: the server is one process, and a restart forgiving the window is
harmless. A multi-process deployment would point `limits` at Redis instead.
"""

from __future__ import annotations

import math
import time

from fastapi import HTTPException, status
from limits import RateLimitItem, parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter


class RateLimiter:
    def __init__(self, spec: str) -> None:
        try:
            self.item: RateLimitItem = parse(spec)
        except ValueError:
            raise RuntimeError(f"ADVISOR_RATE_LIMIT {spec!r} is not a rate like '120/minute'") from None
        self.spec = spec
        self._limiter = MovingWindowRateLimiter(MemoryStorage())

    def check(self, key: str) -> None:
        """Counts one request for `key`; raises 429 with `Retry-After` when over the limit."""
        if self._limiter.hit(self.item, key):
            return
        reset_at = self._limiter.get_window_stats(self.item, key).reset_time
        retry = max(1, math.ceil(reset_at - time.time()))
        raise HTTPException(
            status.HTTP_429_TOO_MANY_REQUESTS,
            detail=f"rate limit of {self.spec} exceeded; retry in {retry} s",
            headers={"Retry-After": str(retry)},
        )
