"""Rate limits shared through a real Redis: two limiters stand for two server processes."""

from __future__ import annotations

import pytest
from api_support import free_port
from fastapi import HTTPException

from api.ratelimit import RateLimiter


def _codes(limiters: list[RateLimiter], key: str) -> list[int]:
    codes = []
    for limiter in limiters:
        try:
            limiter.check(key)
            codes.append(200)
        except HTTPException as exc:
            codes.append(exc.status_code)
    return codes


def test_processes_sharing_redis_share_one_limit(redis_url: str) -> None:
    one, two = RateLimiter("3/minute", redis_url), RateLimiter("3/minute", redis_url)
    assert _codes([one, two, one, two, one], "key-a") == [200, 200, 200, 429, 429]
    assert _codes([two], "key-b") == [200]  # per key


def test_in_memory_each_process_counts_alone() -> None:
    one, two = RateLimiter("1/minute"), RateLimiter("1/minute")
    assert _codes([one, two, one], "key") == [200, 200, 429]


def test_an_unreachable_redis_refuses_with_503() -> None:
    limiter = RateLimiter("3/minute", f"redis://127.0.0.1:{free_port()}/0")  # nothing listens there
    with pytest.raises(HTTPException) as refused:
        limiter.check("key")
    assert refused.value.status_code == 503 and "ADVISOR_REDIS_URL" in str(refused.value.detail)
