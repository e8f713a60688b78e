"""Per-client rate limits (token buckets) for the endpoints that write: submissions and decisions.

The buckets live in the process, so under gunicorn each worker keeps its own: the effective
limit of a service is the configured one times its worker count. A limit is `count/seconds`
(e.g. `30/60`); `0` turns it off.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from flask import current_app

from shared.web.auth import principal
from shared.web.errors import ApiError


@dataclass(frozen=True)
class Limit:
    count: int
    seconds: float

    @classmethod
    def parse(cls, text: str) -> Limit | None:
        """`"30/60"` -> 30 requests per 60 s; `"0"` or `""` -> no limit."""
        if not text or text.strip() == "0":
            return None
        count, _, seconds = text.partition("/")
        limit = cls(int(count), float(seconds or 60))
        if limit.count <= 0 or limit.seconds <= 0:
            raise ValueError(f"rate limit must be count/seconds with positive numbers, not {text!r}")
        return limit


@dataclass
class RateLimiter:
    """Token buckets per (bucket name, client id)."""

    limits: dict[str, Limit | None]
    clock: Callable[[], float] = time.monotonic
    _buckets: dict[tuple[str, str], tuple[float, float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def check(self, bucket: str, client: str) -> None:
        """Take one token for `client` from `bucket`, or answer 429 with the wait in `details`."""
        limit = self.limits.get(bucket)
        if limit is None:
            return
        rate = limit.count / limit.seconds
        with self._lock:
            tokens, at = self._buckets.get((bucket, client), (float(limit.count), self.clock()))
            now = self.clock()
            tokens = min(float(limit.count), tokens + (now - at) * rate)
            if tokens < 1:
                retry_after = max(1, round((1 - tokens) / rate))
                raise ApiError(
                    429,
                    "rate_limited",
                    f"too many {bucket} requests; retry in {retry_after} s",
                    {"retry_after_s": retry_after, "limit": f"{limit.count}/{limit.seconds:g}s"},
                )
            self._buckets[(bucket, client)] = (tokens - 1, now)


def rate_limit(bucket: str) -> None:
    """Count one request of the caller against `bucket`; 429 when over the limit."""
    current_app.extensions["limiter"].check(bucket, principal().id)
