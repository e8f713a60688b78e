"""Every rate limit of the supervision service is checked here, through `limit`.

Public endpoints count per client under a keyed hash of the client's address (see `clients`);
officers' writes count per person. Today the buckets are the web layer's in-process token buckets,
so under gunicorn each worker keeps its own (the effective limit is the configured one times the
worker count). When the shared limiter with a storage common to the workers lands (flask-limiter,
the `guard` work), switching is the one line in `limit` that calls the limiter.
"""

from __future__ import annotations

from flask import current_app, request

from services.supervision.clients import client_address, client_key
from shared.web.auth import Principal
from shared.web.ratelimit import Limit, RateLimiter

PUBLIC_BUCKETS = ("clue", "receipt")
"""Buckets counted per client (keyed hash of the address), not per signed-in person."""


def install(limiter: RateLimiter, clue: str, receipt: str, action: str) -> None:
    """Add the supervision buckets to the app's limiter."""
    limiter.limits.update({"clue": Limit.parse(clue), "receipt": Limit.parse(receipt), "case": Limit.parse(action)})


def limit(bucket: str, who: Principal | None = None) -> None:
    """Count one request against `bucket`: per client for the public buckets, else per person; 429
    when over the limit. THE one place to switch to the shared limiter."""
    current_app.extensions["limiter"].check(bucket, _client(bucket, who))


def _client(bucket: str, who: Principal | None) -> str:
    if bucket not in PUBLIC_BUCKETS and who is not None:
        return f"person:{who.id}"
    peer, forwarded = request.remote_addr, request.headers.get("X-Forwarded-For")
    address = client_address(peer, forwarded, current_app.extensions["trusted_proxies"])
    return f"client:{client_key(address, current_app.extensions['client_key'])}"
