"""A passed re-check of restored trees, shared by the processes of one host that restored the same.

The gunicorn workers of a service start from the same snapshot file, so each restores the same
trees and would read the whole log again to re-check them (about 14 s of CPU a worker over a
million records). They take turns on a lock beside the snapshots. The first re-checks, and writes
down a pass under the key of what it checked (`shared.transparency.recheck.checked_key`: every
restored tree's size and root, which commits to each of its leaves, and the latest signed head).
A process whose trees give the same key takes that pass instead of reading the log again, if
the pass began reading the log after that process began: a pass from an earlier start says
nothing of a record rewritten since, and finding that is what the re-check is for. Only a pass
is shared: a process finds a divergence itself, with its leaf and its reason.
"""

from __future__ import annotations

import fcntl
import json
import os
import threading
from pathlib import Path
from typing import Any

from shared.files import open_private, private_directory, replace_private

WAIT_S = 0.2
"""How often a process waiting for another's re-check looks whether it may go on (or must stop)."""


class RecheckPasses:
    """The last pass of a service's re-check on this host, and the lock the processes take turns on."""

    def __init__(self, directory: str | os.PathLike[str], service: str) -> None:
        self.directory = Path(directory)
        self.lock_path = self.directory / f"transparency-recheck-{service}.lock"
        self.path = self.directory / f"transparency-recheck-{service}.json"

    def take_turn(self, stop: threading.Event) -> int | None:
        """Wait until no other process of the host re-checks; the lock's descriptor (give it to
        `end_turn`), or None when `stop` was set first."""
        private_directory(self.directory)
        descriptor = open_private(self.lock_path)
        while True:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return descriptor
            except BlockingIOError:
                if stop.wait(WAIT_S):
                    os.close(descriptor)
                    return None

    @staticmethod
    def end_turn(descriptor: int) -> None:
        os.close(descriptor)  # drops the lock

    def passed(self, key: str, since: float) -> dict[str, Any] | None:
        """The pass written down for `key`, if the last pass was of the same trees and began reading
        the log at `since` (wall-clock seconds) or later."""
        try:
            written = json.loads(self.path.read_bytes())
        except (OSError, ValueError):
            return None
        if not isinstance(written, dict) or written.get("key") != key:
            return None
        began = written.get("began")
        return written if isinstance(began, (int, float)) and began >= since else None

    def record(self, key: str, began: float, records: int, seconds: float) -> None:
        """Write down a pass for `key` that began reading the log at `began` (wall-clock seconds),
        replacing the last, atomically."""
        written = {"key": key, "began": began, "records": records, "seconds": seconds, "pid": os.getpid()}
        replace_private(self.path, [json.dumps(written).encode()])
