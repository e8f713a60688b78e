"""Snapshot files: a projection's state and the log positions it covers, on local disk.

A file is a header line and an orjson body:

    cadreflow-snapshot <format version> <sha256 of the body> <body length>\\n<body>

It is written to a temporary file beside the target, fsynced and renamed over the target, so a
reader sees the old file or the new one, never a half-written one. Several gunicorn workers may
write the same file: each writes its own temporary file and the last rename wins; both are valid
folds of the same log. A file with another format version, a wrong length or checksum, or a body
that does not parse is ignored: the caller rebuilds from the log. The bytes are never unpickled.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from pathlib import Path
from typing import Any

import orjson

log = logging.getLogger(__name__)

MAGIC = b"cadreflow-snapshot"
FORMAT_VERSION = 1


class SnapshotFile:
    """One snapshot file (`<directory>/<name>.snapshot`)."""

    def __init__(self, directory: str | Path, name: str) -> None:
        self.path = Path(directory) / f"{name}.snapshot"

    def write(self, document: dict[str, Any]) -> int:
        """Atomically replace the file with `document`; returns the bytes written."""
        body = orjson.dumps(document)
        header = b"%s %d %s %d\n" % (MAGIC, FORMAT_VERSION, hashlib.sha256(body).hexdigest().encode(), len(body))
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_name(f".{self.path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        try:
            with open(temporary, "wb") as out:
                out.write(header)
                out.write(body)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, self.path)
        finally:
            temporary.unlink(missing_ok=True)
        _fsync_directory(self.path.parent)
        return len(header) + len(body)

    def read(self) -> dict[str, Any] | None:
        """The document, or None when there is no file or it cannot be trusted (logged)."""
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as error:
            log.warning("snapshot %s unreadable: %r", self.path, error)
            return None
        document, reason = parse(data)
        if document is None:
            log.warning("snapshot %s ignored: %s", self.path, reason)
        return document


def parse(data: bytes) -> tuple[dict[str, Any] | None, str]:
    """Check header, version, length and checksum, then parse; (None, reason) when any fails."""
    end = data.find(b"\n", 0, 200)
    parts = data[:end].split(b" ") if end > 0 else []
    if len(parts) != 4 or parts[0] != MAGIC:
        return None, "not a snapshot file"
    if parts[1] != str(FORMAT_VERSION).encode():
        return None, f"format version {parts[1].decode(errors='replace')}, expected {FORMAT_VERSION}"
    body = memoryview(data)[end + 1 :]
    if not parts[3].isdigit() or len(body) != int(parts[3]):
        return None, "truncated"
    if hashlib.sha256(body).hexdigest().encode() != parts[2]:
        return None, "checksum mismatch"
    try:
        document = orjson.loads(body)
    except orjson.JSONDecodeError as error:
        return None, f"body is not JSON: {error}"
    return (document, "") if isinstance(document, dict) else (None, "body is not an object")


def _fsync_directory(directory: Path) -> None:
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
