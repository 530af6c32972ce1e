"""Per-key rate limiting with the `limits` library (moving window), in memory or in Redis.

In memory, each server process counts on its own, and a restart forgiving the window is
harmless. With `ADVISOR_REDIS_URL`, every process (on any machine) counts in the same Redis, so
N processes behind a load balancer still allow a key its one limit, not N times it. One hit is
one Lua call on a pooled connection (well under a millisecond on a LAN), so it runs inline.
When Redis cannot be reached the request is refused with 503: a limit that silently stopped
counting would be no limit.
"""

from __future__ import annotations

import logging
import math
import time

from fastapi import HTTPException, status
from limits import RateLimitItem, parse
from limits.errors import StorageError
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

log = logging.getLogger("advisor.server")
KEY_PREFIX = "advisor-rate"


class RateLimiter:
    def __init__(self, spec: str, redis_url: str | None = None) -> None:
        try:
            self.item: RateLimitItem = parse(spec)
        except ValueError:
            raise RuntimeError(f"ADVISOR_RATE_LIMIT {spec!r} is not a rate like '120/minute'") from None
        self.spec = spec
        if redis_url:
            storage = storage_from_string(redis_url, key_prefix=KEY_PREFIX, wrap_exceptions=True)
        else:
            storage = storage_from_string("memory://")
        self._limiter = MovingWindowRateLimiter(storage)  # type: ignore[arg-type]

    def check(self, key: str) -> None:
        """Counts one request for `key`; raises 429 with `Retry-After` when over the limit."""
        try:
            if self._limiter.hit(self.item, key):
                return
            reset_at = self._limiter.get_window_stats(self.item, key).reset_time
        except StorageError as exc:
            log.error("rate-limit store failed: %s", exc.storage_error)
            raise HTTPException(
                status.HTTP_503_SERVICE_UNAVAILABLE,
                detail="the rate-limit store (ADVISOR_REDIS_URL) is unreachable; try again shortly",
            ) from exc
        retry = max(1, math.ceil(reset_at - time.time()))
        raise HTTPException(
            status.HTTP_429_TOO_MANY_REQUESTS,
            detail=f"rate limit of {self.spec} exceeded; retry in {retry} s",
            headers={"Retry-After": str(retry)},
        )
