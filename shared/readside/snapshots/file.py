"""Snapshot files: a projection's state and the log positions it covers, on local disk.

A file is a header line, a MessagePack document (written and read by msgspec: plain values, and
the typed structures projections put in it) and a run of opaque records:

    cadreflow-snapshot <format version> <crc32c of document + records> <document length> <records length>\n
    <document><record 0><record 1>...

The document says where each record ends (`record_ends`). Records hold what a service needs only
when it is first read (a nomination's state): they are not parsed at start, only checked, and are
read later from a read-only memory map of the file, so a restart costs the document's parse.

It is written to a temporary file beside the target, fsynced and renamed over the target, so a
reader sees the old file or the new one, never a half-written one; a map of the old file stays
valid after a rename. Several gunicorn workers may write the same file: each writes its own
temporary file and the last rename wins; both are valid folds of the same log. A file with another
format version, a wrong length or checksum, or a document that does not parse is ignored: the
caller rebuilds from the log. The bytes are never unpickled.
"""

from __future__ import annotations

import logging
import mmap
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import crc32c
import msgspec

from shared.files import replace_private

log = logging.getLogger(__name__)

MAGIC = b"cadreflow-snapshot"
FORMAT_VERSION = 6  # 6: a closed nomination's record is packed (zstd); 5: the document is MessagePack
_ENDS = "record_ends"


Build = Callable[[list[bytes]], dict[str, Any]]
"""Builds a projection's snapshot state; may add records (bytes read back only when needed) to the
list it is given and keep their indexes in the state."""


class Records:
    """The records of a snapshot that was read, by index (bytes, copied out of the map)."""

    def __init__(self, view: memoryview | bytes = b"", ends: Sequence[int] = ()) -> None:
        self._view = view
        self._ends = list(ends)

    def __len__(self) -> int:
        return len(self._ends)

    def __getitem__(self, index: int) -> bytes:
        start = self._ends[index - 1] if index > 0 else 0
        return bytes(self._view[start : self._ends[index]])


class SnapshotFile:
    """One snapshot file (`<directory>/<name>.snapshot`)."""

    def __init__(self, directory: str | Path, name: str) -> None:
        self.path = Path(directory) / f"{name}.snapshot"

    def write(self, document: dict[str, Any], records: Sequence[bytes] = ()) -> int:
        """Atomically replace the file with `document` and `records`; returns the bytes written."""
        ends, end = [], 0
        for record in records:
            end += len(record)
            ends.append(end)
        body = msgspec.msgpack.encode({**document, _ENDS: ends})
        checksum = crc32c.crc32c(body)
        for record in records:
            checksum = crc32c.crc32c(record, checksum)
        header = b"%s %d %08x %d %d\n" % (MAGIC, FORMAT_VERSION, checksum, len(body), end)
        replace_private(self.path, [header, body, *records])  # 0600: the projection holds personal data
        return len(header) + len(body) + end

    def read(self) -> dict[str, Any] | None:
        """The document, or None when there is no file or it cannot be trusted (logged)."""
        opened = self.open()
        return None if opened is None else opened[0]

    def open(self) -> tuple[dict[str, Any], Records] | None:
        """The document and the records, or None when there is no file or it cannot be trusted."""
        try:
            with open(self.path, "rb") as file:
                data = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as error:  # ValueError: an empty file cannot be mapped
            log.warning("snapshot %s unreadable: %r", self.path, error)
            return None
        opened, reason = parse(data)
        if hasattr(mmap, "MADV_DONTNEED"):  # the check read every page: give them back until needed
            data.madvise(mmap.MADV_DONTNEED)
        if opened is None:
            log.warning("snapshot %s ignored: %s", self.path, reason)
        return opened


def parse(data: bytes | mmap.mmap) -> tuple[tuple[dict[str, Any], Records] | None, str]:
    """Check header, version, lengths and checksum, then parse; (None, reason) when any fails."""
    end = data.find(b"\n", 0, 200)
    parts = data[:end].split(b" ") if end > 0 else []
    if len(parts) < 2 or parts[0] != MAGIC:
        return None, "not a snapshot file"
    if parts[1] != str(FORMAT_VERSION).encode():
        return None, f"format version {parts[1].decode(errors='replace')}, expected {FORMAT_VERSION}"
    if len(parts) != 5 or not parts[3].isdigit() or not parts[4].isdigit():
        return None, "malformed header"
    view = memoryview(data)[end + 1 :]
    size = int(parts[3])
    if len(view) != size + int(parts[4]):
        return None, "truncated"
    if b"%08x" % crc32c.crc32c(view) != parts[2]:
        return None, "checksum mismatch"
    try:
        document = msgspec.msgpack.decode(view[:size])
    except msgspec.DecodeError as error:
        return None, f"document is not MessagePack: {error}"
    if not isinstance(document, dict) or not isinstance(document.get(_ENDS), list):
        return None, "document is not a snapshot"
    ends = document.pop(_ENDS)
    if (ends[-1] if ends else 0) != len(view) - size:
        return None, "records do not fill the file"
    return (document, Records(view[size:], ends)), ""
