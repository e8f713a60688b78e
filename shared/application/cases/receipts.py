"""Receipts: the 16-digit code a reporter gets once, and the slow keyed hash the log keeps of it.

The problem. A reporter follows a case with the receipt alone, so a lookup must find the case
from the receipt. The usual way to store a secret code, a slow hash with a random salt per
record, makes that lookup try every case's salt: one slow hash per case per request, seconds of
CPU at a few thousand cases, and a denial of service for free.

The choice. The digest is `scrypt(receipt, salt=pepper)`: still a slow, memory-hard hash
(hashlib.scrypt, OpenSSL's; N=2^14, r=8, p=1: 16 MiB and tens of milliseconds), but
deterministic, keyed with a server-side pepper of 256 random bits that is kept outside the log
(a key of the `KeyStore`, a 0600 file in the embedded run). The digest is then the lookup key
itself: one slow hash per request, one dictionary look-up.

What it costs in safety, and why that is acceptable. Without a per-record salt, someone who holds
both the log and the pepper can test one guess against every case at once. A receipt has 10^16
values (53 bits), so even then a full search is ~10^16 scrypt calls, about 10^15 CPU-seconds.
Whoever holds the log alone (every consumer, every backup) holds digests keyed with an unknown
256-bit pepper and can test nothing offline. Online guessing meets the rate limit on the status
endpoint and the same 10^16 space. The receipt itself is shown once in the 201 answer and is
never written anywhere: not in the log, the projection, the snapshots or the access log.
"""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
from dataclasses import dataclass

from shared.keys import KeyStore

RECEIPT_DIGITS = 16
PEPPER_KEY_ID = "receipt-pepper"
DIGEST_PREFIX = "scrypt1$"
_SEPARATORS = re.compile(r"[\s-]")


def new_receipt() -> str:
    """A fresh receipt: 16 random decimal digits (leading zeros kept)."""
    return f"{secrets.randbelow(10**RECEIPT_DIGITS):0{RECEIPT_DIGITS}d}"


def normalized(text: str) -> str | None:
    """The 16 digits of a receipt as people type it (spaces and dashes between groups are
    dropped), or None when it is not a receipt."""
    digits = _SEPARATORS.sub("", text or "")
    if len(digits) != RECEIPT_DIGITS or not digits.isascii() or not digits.isdigit():
        return None
    return digits


@dataclass(frozen=True)
class ReceiptHasher:
    """Hashes receipts with scrypt keyed by the pepper (see the module docstring)."""

    pepper: bytes
    n: int = 2**14
    r: int = 8
    p: int = 1

    @classmethod
    def from_keys(cls, keys: KeyStore, n: int = 2**14) -> ReceiptHasher:
        """The hasher with the deployment's pepper (made on first use, shared by the processes)."""
        return cls(keys.create(PEPPER_KEY_ID), n=n)

    def digest(self, receipt: str) -> str:
        """The lookup key of a normalized receipt."""
        raw = hashlib.scrypt(
            receipt.encode("ascii"), salt=self.pepper, n=self.n, r=self.r, p=self.p, dklen=32, maxmem=64 * 2**20
        )
        return DIGEST_PREFIX + base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")
