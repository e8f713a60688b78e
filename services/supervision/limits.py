"""Every rate limit of the supervision service is checked here, through `limit`.

Public endpoints count per client under a keyed hash of the client's address (see `clients`);
officers' writes count per person. The buckets live in the web layer's `ServiceLimiter`, whose
storage every gunicorn worker shares (`shared.web.ratelimit`), so a limit holds for the service,
not per worker. Only the keyed hash of an address is ever a bucket key, and only for the window.
"""

from __future__ import annotations

from flask import current_app, request

from services.supervision.clients import client_address, client_key
from shared.web.auth import Principal
from shared.web.ratelimit import ServiceLimiter

PUBLIC_BUCKETS = ("clue", "receipt")
"""Buckets counted per client (keyed hash of the address), not per signed-in person."""


def install(limiter: ServiceLimiter, clue: str, receipt: str, action: str) -> None:
    """Add the supervision buckets to the app's limiter."""
    for bucket, text in (("clue", clue), ("receipt", receipt), ("case", action)):
        limiter.add(bucket, text)


def limit(bucket: str, who: Principal | None = None) -> None:
    """Count one request against `bucket`: per client for the public buckets, else per person; 429
    when over the limit."""
    current_app.extensions["limiter"].check(bucket, _client(bucket, who))


def _client(bucket: str, who: Principal | None) -> str:
    if bucket not in PUBLIC_BUCKETS and who is not None:
        return f"person:{who.id}"
    peer, forwarded = request.remote_addr, request.headers.get("X-Forwarded-For")
    address = client_address(peer, forwarded, current_app.extensions["trusted_proxies"])
    return f"client:{client_key(address, current_app.extensions['client_key'])}"
