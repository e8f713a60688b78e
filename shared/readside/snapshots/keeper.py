"""Keeps one follower's snapshot: restore at start, save periodically and on a clean stop.

A snapshot is trusted only if it was written by the same follower (name, topics, backend) and
still matches the log: every position it covers exists (not past the end offsets) and the last
record it folded in each partition still has the same SHA-256. Anything else, a missing or
corrupt file included, means a full rebuild from the start of the log.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from shared.eventlog.port import Offsets
from shared.readside.gate import StreamGate
from shared.readside.snapshots.file import Build, Records, SnapshotFile

if TYPE_CHECKING:
    from shared.readside.follower import Follower

log = logging.getLogger(__name__)


class Projection(Protocol):
    """What a follower's handler object offers to be snapshotted (NominationBook, Inbox)."""

    def capture(self) -> Build | None: ...

    def can_restore(self) -> bool: ...

    def restore(self, state: dict[str, Any], reread: Callable, records: Records) -> None: ...


class SnapshotKeeper:
    """Restores and saves the snapshot of one follower's projection, gate and positions."""

    def __init__(self, file: SnapshotFile, projection: Projection, interval_s: float = 300.0, min_events: int = 1000):
        self.file = file
        self.projection = projection
        self.interval_s = interval_s
        self.min_events = min_events
        self.saved_at = time.monotonic()
        self.saved_position: Offsets = {}
        self.restored = False
        self._saving = threading.Lock()

    # -- restore -----------------------------------------------------------------------------
    def restore(self, follower: Follower, target: Offsets) -> bool:
        """Load the snapshot into `follower` if it can be trusted; False: fold from the start."""
        if not self.projection.can_restore():
            return False
        opened = self.file.open()
        if opened is None:
            return False
        document, records = opened
        try:
            reason = self._mismatch(document, follower, target)
            if reason:
                log.warning("snapshot %s ignored: %s", self.file.path, reason)
                return False
            gate = StreamGate.from_snapshot(document["gate"])
            self.projection.restore(document["projection"], follower.log.read_at, records)
        except (KeyError, TypeError, ValueError, IndexError, AttributeError) as error:
            log.warning("snapshot %s ignored: malformed (%r)", self.file.path, error)
            return False
        follower.gate = gate
        follower.position = {(t, p): o for t, p, o in document["position"]}
        follower.anchors = {(t, p): (o, d) for t, p, o, d in document["anchors"]}
        self.saved_position = dict(follower.position)
        self.restored = True
        return True

    def _mismatch(self, document: dict[str, Any], follower: Follower, target: Offsets) -> str:
        if document.get("identity") != identity(follower):
            return f"written by {document.get('identity')}, not {identity(follower)}"
        for topic, partition, offset in document["position"]:
            if offset > target.get((topic, partition), -1):
                return f"covers {topic}[{partition}] up to {offset}, past the end of the log"
        anchors = document["anchors"]
        records = follower.log.read_at([(t, p, o) for t, p, o, _ in anchors])
        for (topic, partition, offset, digest), record in zip(anchors, records, strict=True):
            if record is None or hashlib.sha256(record.value).hexdigest() != digest:
                return f"record {topic}[{partition}]@{offset} differs: another log"
        return ""

    # -- save --------------------------------------------------------------------------------
    def maybe_save(self, follower: Follower) -> None:
        """Save in the background when due: ready, `interval_s` passed and `min_events` new."""
        if time.monotonic() - self.saved_at < self.interval_s or not follower.ready:
            return
        if _count(follower.position) - _count(self.saved_position) < self.min_events:
            return
        self.saved_at = time.monotonic()
        if self._saving.acquire(blocking=False):
            build = self._capture(follower)
            if build is None:
                self._saving.release()
                return
            threading.Thread(target=self._write, args=build, name=f"snapshot-{follower.name}", daemon=True).start()

    def save(self, follower: Follower) -> bool:
        """Save now (clean stop); False when nothing new was folded or the projection refuses."""
        with self._saving:
            build = self._capture(follower)
            if build is None:
                return False
            self._write(*build, locked=False)
            return True

    def _capture(self, follower: Follower) -> tuple | None:
        with follower.changed:
            position = dict(follower.position)
            if not position or position == self.saved_position or not any(position.values()):
                return None
            build = self.projection.capture()
            if build is None:
                return None
            head = {
                "identity": identity(follower),
                "position": [[t, p, o] for (t, p), o in position.items()],
                "anchors": [[t, p, o, d] for (t, p), (o, d) in follower.anchors.items()],
                "gate": follower.gate.to_snapshot(),
            }
        return head, build, position

    def _write(self, head: dict, build: Build, position: Offsets, locked: bool = True) -> None:
        try:
            started = time.perf_counter()
            records: list[bytes] = []
            state = build(records)
            size = self.file.write({**head, "projection": state, "written_at": time.time()}, records)
            self.saved_position = position
            log.info("snapshot %s: %d bytes in %.2f s", self.file.path, size, time.perf_counter() - started)
        except Exception as error:  # a failed snapshot must never stop the service
            log.warning("snapshot %s not written: %r", self.file.path, error)
        finally:
            if locked:
                self._saving.release()


def identity(follower: Follower) -> dict[str, Any]:
    """What must match for a snapshot to belong to this follower."""
    return {"follower": follower.name, "topics": sorted(follower.topics), "backend": type(follower.log).__name__}


def _count(position: Offsets) -> int:
    return sum(position.values())
