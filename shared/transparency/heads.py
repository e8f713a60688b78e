"""Signed tree heads: the roots of the log's trees at one moment, signed with Ed25519.

A signed head names one or more trees (a log id, its size and root hash), the time it was
signed and the signing key's id (SHA-256 of the raw 32-byte public key). What is signed is a
canonical byte string, so that any reader rebuilds the exact bytes from the JSON form:

    b"cadreflow signed tree head v1\\x00"        domain separation (signs nothing else)
    uint64 timestamp (milliseconds since the epoch, big-endian)
    key_id (32 bytes)
    uint16 number of trees
    per tree, in ascending order of the UTF-8 log id, each log id once:
        uint16 length || log id (UTF-8)   uint64 tree size   root hash (32 bytes)
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from shared.transparency.merkle import HASH_SIZE

CONTEXT = b"cadreflow signed tree head v1\x00"
FORMAT_VERSION = 1


class InvalidHead(Exception):
    """A signed head is malformed, signed by another key, or its signature does not verify."""


@dataclass(frozen=True, slots=True)
class TreeHead:
    """One tree at one size: the log it belongs to, how many leaves, and MTH of those leaves."""

    log_id: str
    tree_size: int
    root_hash: bytes

    def __post_init__(self) -> None:
        if len(self.root_hash) != HASH_SIZE or not 0 <= self.tree_size < 2**64 or not self.log_id:
            raise InvalidHead(f"malformed tree head for {self.log_id!r}")


@dataclass(frozen=True, slots=True)
class SignedHead:
    """Tree heads signed together at `timestamp` (ms) by the key `key_id`."""

    timestamp: int
    key_id: bytes
    trees: tuple[TreeHead, ...]
    signature: bytes = b""

    @property
    def tree_size(self) -> int:
        """Leaves in all the trees together."""
        return sum(tree.tree_size for tree in self.trees)

    def tree(self, log_id: str) -> TreeHead | None:
        return next((tree for tree in self.trees if tree.log_id == log_id), None)

    def signed_bytes(self) -> bytes:
        """The canonical bytes the signature covers."""
        if len(self.key_id) != HASH_SIZE or not 0 <= self.timestamp < 2**64:
            raise InvalidHead("malformed key id or timestamp")
        parts = [CONTEXT, struct.pack(">Q", self.timestamp), self.key_id, struct.pack(">H", len(self.trees))]
        for tree in _canonical_order(self.trees):
            log_id = tree.log_id.encode()
            parts += [struct.pack(">H", len(log_id)), log_id, struct.pack(">Q", tree.tree_size), tree.root_hash]
        return b"".join(parts)

    def to_json(self) -> dict[str, Any]:
        return {
            "version": FORMAT_VERSION,
            "timestamp": self.timestamp,
            "key_id": self.key_id.hex(),
            "tree_size": self.tree_size,
            "trees": [
                {"log_id": t.log_id, "tree_size": t.tree_size, "root_hash": t.root_hash.hex()} for t in self.trees
            ],
            "signature": self.signature.hex(),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SignedHead:
        """Parse the JSON form; raise InvalidHead if it is not one (the signature is not checked here)."""
        try:
            if data["version"] != FORMAT_VERSION:
                raise InvalidHead(f"unknown signed head version {data['version']!r}")
            trees = tuple(
                TreeHead(str(t["log_id"]), int(t["tree_size"]), bytes.fromhex(t["root_hash"])) for t in data["trees"]
            )
            head = cls(int(data["timestamp"]), bytes.fromhex(data["key_id"]), trees, bytes.fromhex(data["signature"]))
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise InvalidHead(f"not a signed head: {error!r}") from error
        head.signed_bytes()  # checks the order and the fields
        return head


class HeadSigner:
    """Signs tree heads with one Ed25519 private key (kept outside the log's storage)."""

    def __init__(self, private_key: Ed25519PrivateKey) -> None:
        self._key = private_key
        self.verifier = HeadVerifier(private_key.public_key())

    @property
    def key_id(self) -> bytes:
        return self.verifier.key_id

    def sign(self, trees: Iterable[TreeHead], timestamp: int) -> SignedHead:
        head = SignedHead(timestamp, self.key_id, _canonical_order(trees))
        return SignedHead(head.timestamp, head.key_id, head.trees, self._key.sign(head.signed_bytes()))


class HeadVerifier:
    """Checks signed heads against one Ed25519 public key."""

    def __init__(self, public_key: Ed25519PublicKey) -> None:
        self.public_key = public_key
        self.key_id = key_id_of(public_key)

    def verify(self, head: SignedHead) -> None:
        """Raise InvalidHead unless `head` is signed by this key."""
        if head.key_id != self.key_id:
            raise InvalidHead(f"signed by key {head.key_id.hex()[:16]}…, not {self.key_id.hex()[:16]}…")
        try:
            self.public_key.verify(head.signature, head.signed_bytes())
        except InvalidSignature as error:
            raise InvalidHead("the signature does not verify") from error


def key_id_of(public_key: Ed25519PublicKey) -> bytes:
    """SHA-256 of the raw 32-byte public key."""
    return hashlib.sha256(public_key.public_bytes_raw()).digest()


def _canonical_order(trees: Iterable[TreeHead]) -> tuple[TreeHead, ...]:
    ordered = tuple(sorted(trees, key=lambda tree: tree.log_id.encode()))
    if len({tree.log_id for tree in ordered}) != len(ordered):
        raise InvalidHead("a log id appears twice")
    return ordered
