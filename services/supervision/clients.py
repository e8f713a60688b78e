"""Who is asking, for rate limits only: a keyed hash of the client's address, never the address.

The public endpoints (clues, the receipt status, the reporter's messages) are limited per client,
and the supervision service promises that no address is stored anywhere. So the limiter is given
`HMAC-SHA256(key, address)`, with a key of the `KeyStore` shared by the service's workers (so
their limits agree) and kept outside the log; the limiter holds it for its window only. The
address itself goes nowhere: not into events, logs, metrics or the access log.

Behind the web front (or another proxy) every request comes from the proxy's address; the
proxy passes the visitor's in `X-Forwarded-For`. That header is believed only when the direct
peer is one of the trusted proxies (config `TRUSTED_PROXIES`, loopback by default), and then
only its last entry, the one the trusted proxy appended; anyone else could forge it to dodge the
limit.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from collections.abc import Iterable

KEY_ID = "rate-limit-client-key"


def parse_networks(text: str) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    """`"127.0.0.1/32, ::1"` -> the networks (a bare address is a /32 or /128)."""
    return tuple(ipaddress.ip_network(part.strip(), strict=False) for part in text.split(",") if part.strip())


def client_address(
    peer: str | None,
    forwarded_for: str | None,
    trusted: Iterable[ipaddress.IPv4Network | ipaddress.IPv6Network],
) -> str:
    """The visitor's address: the last `X-Forwarded-For` entry when `peer` is a trusted proxy,
    else the peer itself ("" when unknown)."""
    peer = peer or ""
    if forwarded_for and _within(peer, trusted):
        last = forwarded_for.split(",")[-1].strip()
        if last:
            return last
    return peer


def client_key(address: str, key: bytes) -> str:
    """The keyed hash the limiter counts under (hex, 128 bits)."""
    return hmac.new(key, address.encode("utf-8", "replace"), hashlib.sha256).hexdigest()[:32]


def _within(address: str, networks: Iterable[ipaddress.IPv4Network | ipaddress.IPv6Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)
