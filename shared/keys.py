"""Secrets that must never enter the log: a key store, and AES-GCM sealing with its keys.

The log is kept forever and copied to every consumer, so whatever must stay secret (a named
reporter's identity, a person's data that may have to be forgotten) goes into the log only
sealed, under a key that lives outside it. Destroying the key makes every copy of the sealed
value unreadable at once (crypto-shredding), without rewriting the log: the hash chains and the
transparency log, computed over the stored ciphertext, still verify.

`KeyStore` is the port; a KMS or Vault adapter implements these three calls with these guarantees:

- `create(key_id) -> bytes`: the 256-bit key of that id, made at random the first time; every
  process that creates the same id, even at the same moment, gets the same key. Raises
  `KeyDestroyed` once the id was destroyed: an id is never given a second key, so no new data
  of an erased person can be sealed (and read) under their id again.
- `get(key_id) -> bytes | None`: the key, or None if it was never made or was destroyed.
- `destroy(key_id)`: final and idempotent. Once it returns, `get` answers None and `create`
  raises in every process that shares the store; what was sealed with the key cannot be opened.
  Destroying an id that was never made forbids making it.

Keys leave the store only towards the process that seals or opens with them, and only for the
call (the callers here keep no key beyond one request or one command). A KMS adapter keeps each
id's data key wrapped under a master key that never leaves the KMS, unwraps it on `get`/`create`
and deletes the wrapped key (and keeps a tombstone of the id) on `destroy`.

`FileKeyStore(dir)` is the adapter for one machine (the embedded run and the tests): one file per
key, 0600, in a directory 0700, each created atomically; `destroy` overwrites the key file in
place and replaces it with an empty tombstone. The processes of one host share it. It does not
replicate: several hosts need one store they all reach (a KMS behind this port), since a key
made on one host cannot open on another. Overwriting a file does not reach copies the disk or a
backup may keep (copy-on-write file systems, SSD wear levelling, snapshots): where that matters,
keep the directory on an encrypted volume that is never backed up, or use a KMS.
`InMemoryKeyStore` is the fake for unit tests.

`seal(key, plaintext, aad)` encrypts with AES-256-GCM under a fresh 96-bit nonce and returns
text (`v1.<base64url of nonce + ciphertext + tag>`); `unseal(key, sealed, aad)` returns the
plaintext or raises `SealBroken`. The associated data binds a sealed value to its context (for
a reporter's identity: the case id), so it cannot be moved to another case.
"""

from __future__ import annotations

import base64
import contextlib
import os
import re
import tempfile
import threading
from abc import ABC, abstractmethod
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

KEY_BYTES = 32
NONCE_BYTES = 12
SEAL_VERSION = "v1"
_ZEROS = bytes(KEY_BYTES)
KEY_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,199}")
"""Key ids are also file names, so they are restricted to a safe alphabet."""


class SealBroken(Exception):
    """A sealed value cannot be opened: wrong key, wrong context, or altered."""


class KeyDestroyed(Exception):
    """The key id was destroyed: it has no key, and never will again."""

    def __init__(self, key_id: str) -> None:
        super().__init__(f"key {key_id} was destroyed")
        self.key_id = key_id


class KeyStore(ABC):
    """Where the keys that seal secrets live, outside the log."""

    @abstractmethod
    def create(self, key_id: str) -> bytes:
        """The key of `key_id`, made (random, 256 bits) if there is none yet; race-safe.
        `KeyDestroyed` if the id was destroyed."""

    @abstractmethod
    def get(self, key_id: str) -> bytes | None:
        """The key of `key_id`, or None if it was never made or was destroyed."""

    @abstractmethod
    def destroy(self, key_id: str) -> None:
        """Forget the key of `key_id` for good (nothing sealed with it can be opened again, and
        the id is never given a key again); idempotent."""


def checked_key_id(key_id: str) -> str:
    """The key id, if it is made of letters, digits and `._:-` (at most 200); else ValueError."""
    if not isinstance(key_id, str) or not KEY_ID.fullmatch(key_id):
        raise ValueError(f"not a valid key id: {key_id!r}")
    return key_id


class FileKeyStore(KeyStore):
    """One file per key in `directory` (mode 0700), each file 0600, written atomically; a
    destroyed key leaves an empty file (its tombstone)."""

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(self.directory, 0o700)

    def create(self, key_id: str) -> bytes:
        path = self._path(key_id)
        existing = self._read(path)
        if existing is not None:
            return existing
        fd, temporary = tempfile.mkstemp(dir=self.directory, prefix=".new-")  # mkstemp: mode 0600
        try:
            with os.fdopen(fd, "wb") as file:
                file.write(os.urandom(KEY_BYTES))
                file.flush()
                os.fsync(file.fileno())
            with contextlib.suppress(FileExistsError):  # another process made it first: keep theirs
                os.link(temporary, path)  # atomic
        finally:
            os.unlink(temporary)
        key = self._read(path)
        if key is None:  # a tombstone was there first, or came between our link and our read
            raise KeyDestroyed(key_id)
        return key

    def get(self, key_id: str) -> bytes | None:
        return self._read(self._path(key_id))

    def destroy(self, key_id: str) -> None:
        path = self._path(key_id)
        try:
            old = open(path, "r+b")  # noqa: SIM115 - kept open across the replace, closed below
        except FileNotFoundError:
            old = None
        if old is not None and os.fstat(old.fileno()).st_size == 0:
            old.close()  # a tombstone already: every process that folds an erasure destroys its keys again
            return
        fd, temporary = tempfile.mkstemp(dir=self.directory, prefix=".gone-")  # empty, 0600
        os.close(fd)
        os.replace(temporary, path)  # atomic: readers find the key or its tombstone
        if old is not None:
            with old:  # then overwrite the old key in place (a late reader finds zeros: destroyed)
                old.write(bytes(max(KEY_BYTES, os.fstat(old.fileno()).st_size)))
                old.flush()
                os.fsync(old.fileno())

    def _path(self, key_id: str) -> Path:
        return self.directory / checked_key_id(key_id)

    @staticmethod
    def _read(path: Path) -> bytes | None:
        try:
            fd = os.open(path, os.O_RDONLY)  # a key is read on every command and view: no Path.read_bytes overhead
        except FileNotFoundError:
            return None
        try:
            key = os.read(fd, KEY_BYTES + 1)
        finally:
            os.close(fd)
        if not key or key == _ZEROS:
            return None  # a tombstone, or the old key overwritten by `destroy`
        if len(key) != KEY_BYTES:
            raise ValueError(f"key file {path.name} is damaged ({len(key)} bytes)")
        return key


class InMemoryKeyStore(KeyStore):
    """Keys in a dict: the fake for unit tests."""

    def __init__(self) -> None:
        self.keys: dict[str, bytes] = {}
        self.destroyed: set[str] = set()
        self._lock = threading.Lock()

    def create(self, key_id: str) -> bytes:
        with self._lock:
            if key_id in self.destroyed:
                raise KeyDestroyed(key_id)
            return self.keys.setdefault(checked_key_id(key_id), os.urandom(KEY_BYTES))

    def get(self, key_id: str) -> bytes | None:
        return self.keys.get(checked_key_id(key_id))

    def destroy(self, key_id: str) -> None:
        with self._lock:
            self.destroyed.add(checked_key_id(key_id))
            self.keys.pop(key_id, None)


class Cipher:
    """`seal` and `unseal` with one key, prepared once for the several texts of one event or view."""

    __slots__ = ("_aead",)

    def __init__(self, key: bytes) -> None:
        self._aead = AESGCM(key)

    def seal(self, plaintext: bytes, aad: bytes) -> str:
        """`plaintext` encrypted and authenticated, bound to `aad`, as ASCII text."""
        nonce = os.urandom(NONCE_BYTES)
        sealed = nonce + self._aead.encrypt(nonce, plaintext, aad)
        return f"{SEAL_VERSION}.{base64.urlsafe_b64encode(sealed).decode('ascii')}"

    def unseal(self, sealed: str, aad: bytes) -> bytes:
        """The plaintext of a `seal` result; `SealBroken` if the key, the context or the text is wrong."""
        version, _, body = sealed.partition(".")
        if version != SEAL_VERSION:
            raise SealBroken(f"unknown sealing version {version!r}")
        try:
            raw = base64.urlsafe_b64decode(body.encode("ascii"))
            return self._aead.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], aad)
        except (InvalidTag, ValueError) as error:
            raise SealBroken("the sealed value cannot be opened with this key and context") from error


def seal(key: bytes, plaintext: bytes, aad: bytes) -> str:
    """`plaintext` encrypted and authenticated under `key`, bound to `aad`, as ASCII text."""
    return Cipher(key).seal(plaintext, aad)


def unseal(key: bytes, sealed: str, aad: bytes) -> bytes:
    """The plaintext of a `seal` result; `SealBroken` if the key, the context or the text is wrong."""
    return Cipher(key).unseal(sealed, aad)
