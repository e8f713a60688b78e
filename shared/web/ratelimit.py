"""Rate limits per client that hold for the whole service, not per worker process.

Counting is done by `limits` (the library flask-limiter is built on) with the moving window
strategy, in a storage every worker shares: `RATE_LIMIT_STORAGE`, a `limits` storage URI
(`redis://host:6379`, `memcached://...`, `memory://` for a single process), by default a SQLite
file beside the event log (`sqlite://<EVENT_DB>.ratelimits`, see `ratelimit_storage`). The
views call `rate_limit(bucket)` once they know who asks (after authentication, and after the
checks that refuse a request without cost), which is why the limiter is called rather than put
on the route as flask-limiter's decorator would: the key is the authenticated caller, or a keyed
hash of a public client's address (`rate_limit("clue", client=...)`).

A limit is `count/seconds` (`30/60`), or `limits`' own notation (`30/minute`, `5 per 10 seconds`);
`0` turns it off. A storage that lacks the moving window (Memcached) counts in fixed windows.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import limits
from flask import current_app
from limits.errors import StorageError
from limits.storage import MovingWindowSupport, Storage, storage_from_string
from limits.strategies import FixedWindowRateLimiter, MovingWindowRateLimiter, RateLimiter

from shared.web import ratelimit_storage  # noqa: F401 - registers the sqlite:// storage scheme
from shared.web.auth import principal
from shared.web.errors import ApiError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Limit:
    """At most `item.amount` requests in any `item.get_expiry()` seconds."""

    item: limits.RateLimitItem

    @classmethod
    def parse(cls, text: str) -> Limit | None:
        """`"30/60"` -> 30 requests per 60 s; `"30/minute"` as `limits` reads it; `"0"` or `""` -> no limit."""
        text = (text or "").strip()
        if not text or text == "0":
            return None
        count, slash, seconds = text.partition("/")
        if slash and count.strip().isdigit() and seconds.strip().isdigit():
            amount, window = int(count), int(seconds)
            item: limits.RateLimitItem = limits.RateLimitItemPerSecond(amount, max(window, 1))
        else:
            item = limits.parse(text)  # ValueError when it cannot
            amount, window = item.amount, item.get_expiry()
        if amount <= 0 or window <= 0:
            raise ValueError(f"rate limit must be count/seconds with positive numbers, not {text!r}")
        return cls(item)

    def __str__(self) -> str:
        return f"{self.item.amount}/{self.item.get_expiry()}s"


class ServiceLimiter:
    """The limits of one service, counted in a storage its workers share (opened on first use)."""

    def __init__(
        self,
        storage_uri: str,
        limits_by_bucket: Mapping[str, str],
        storage: Storage | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """`storage` (tests) is used instead of opening `storage_uri`; `clock` must be the storage's."""
        self.storage_uri = storage_uri
        self.limits = {bucket: Limit.parse(text) for bucket, text in limits_by_bucket.items()}
        self.clock = clock
        self._storage = storage
        self._strategy: RateLimiter | None = None
        self._lock = threading.Lock()

    def add(self, bucket: str, text: str) -> None:
        """Limit another bucket (e.g. a service's own public intake)."""
        self.limits[bucket] = Limit.parse(text)

    def check(self, bucket: str, client: str) -> None:
        """Count one request of `client` against `bucket`, or answer 429 with the wait in `details`."""
        limit = self.limits.get(bucket)
        if limit is None:
            return
        strategy = self.strategy()
        try:
            if strategy.hit(limit.item, bucket, client):
                return
            reset_at = strategy.get_window_stats(limit.item, bucket, client).reset_time
        except StorageError as error:  # limits down must not take the service down: let it pass, loudly
            log.warning("rate-limit storage unavailable, %s request let through: %s", bucket, error)
            return
        retry_after = max(1, math.ceil(reset_at - self.clock()))
        raise ApiError(
            429,
            "rate_limited",
            f"too many {bucket} requests; retry in {retry_after} s",
            {"retry_after_s": retry_after, "limit": str(limit)},
        )

    def strategy(self) -> RateLimiter:
        with self._lock:
            if self._strategy is None:
                storage = self._storage or storage_from_string(self.storage_uri, wrap_exceptions=True)
                assert isinstance(storage, Storage), "an async storage cannot serve a WSGI app"
                moving = isinstance(storage, MovingWindowSupport)
                self._strategy = MovingWindowRateLimiter(storage) if moving else FixedWindowRateLimiter(storage)
            return self._strategy


def rate_limit(bucket: str, client: str | None = None) -> None:
    """Count one request against `bucket` for `client` (by default the authenticated caller's id);
    429 when over the limit."""
    limiter: ServiceLimiter = current_app.extensions["limiter"]
    limiter.check(bucket, client if client is not None else principal().id)
