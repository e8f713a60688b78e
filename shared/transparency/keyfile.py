"""The head-signing key on disk: an Ed25519 private key in PEM (PKCS#8), readable by its owner only.

The key lives outside the log's storage (its own path in the config), so whoever can write the
log cannot sign a head for a forged one. The public key is published as PEM (SubjectPublicKeyInfo).
"""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey


def load_or_create_private_key(path: str | Path) -> Ed25519PrivateKey:
    """Read the key at `path`, creating it (file 0600, new directories 0700) if there is none."""
    path = Path(path)
    if not path.exists():
        _create(path)
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path} does not hold an Ed25519 private key")
    return key


def public_key_pem(public_key: Ed25519PublicKey) -> str:
    return public_key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def load_public_key(pem: bytes) -> Ed25519PublicKey:
    key = serialization.load_pem_public_key(pem)
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("not an Ed25519 public key")
    return key


def _create(path: Path) -> None:
    """Write a new key beside `path`, then link it into place: a worker racing us reads a whole key."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    draft = path.with_name(f".{path.name}.{os.getpid()}")
    fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as file:
        file.write(pem)
    try:
        os.link(draft, path)
    except FileExistsError:  # another process created it first: theirs is the key
        pass
    finally:
        draft.unlink()
