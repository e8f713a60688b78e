"""Signed heads on disk, outside the log: one JSON file per head, for outsiders to keep.

`<dir>/<tree size, 12 digits>-<timestamp ms>.json`, written whole (a temporary file renamed into
place) and readable by anyone: a head holds only sizes, hashes and a signature. The public key
is kept beside them (`public-key.pem`), so the directory alone is what an auditor needs besides
the log. Several writers (workers, replicas) may add heads at once; names never collide, and two
heads of the same total size but different trees are both kept.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from shared.transparency.heads import InvalidHead, SignedHead

PUBLIC_KEY_FILE = "public-key.pem"


class HeadArchive:
    """A directory of signed heads."""

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)

    def write(self, head: SignedHead) -> Path:
        path = self.directory / f"{head.tree_size:012d}-{head.timestamp}.json"
        _write_public(path, json.dumps(head.to_json(), indent=1).encode())
        return path

    def publish_key(self, public_key_pem: str) -> None:
        path = self.directory / PUBLIC_KEY_FILE
        if not path.exists() or path.read_text() != public_key_pem:
            _write_public(path, public_key_pem.encode())

    def heads(self) -> list[SignedHead]:
        """Every archived head, smallest total size first (a file that is not a head is skipped)."""
        return [head for head in (self._load(path) for path in self._paths()) if head is not None]

    def at_size(self, tree_size: int) -> SignedHead | None:
        """The first head archived with this total size."""
        for path in sorted(self.directory.glob(f"{tree_size:012d}-*.json")):
            head = self._load(path)
            if head is not None:
                return head
        return None

    def _paths(self) -> list[Path]:
        return sorted(self.directory.glob("[0-9]*-[0-9]*.json"))

    @staticmethod
    def _load(path: Path) -> SignedHead | None:
        try:
            return SignedHead.from_json(json.loads(path.read_text()))
        except (OSError, ValueError, InvalidHead):
            return None


def _write_public(path: Path, data: bytes) -> None:
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".new-")
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
