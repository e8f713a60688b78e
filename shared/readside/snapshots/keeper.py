"""Keeps one follower's snapshot: restore at start, save periodically and on a clean stop.

A snapshot is trusted only if it was written by the same follower (name, topics, backend) and
still matches the log: every position it covers exists (not past the end offsets) and the last
record it folded in each partition still has the same SHA-256. Anything else, a missing or
corrupt file included, means a full rebuild from the start of the log.

The keeper works through the `Snapshottable` protocol (a projection, or the transparency log's
trees) and the follower's `checkpoint`: it never
changes the follower; at start it hands back the checkpoint the follower goes on from.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from typing import Any

from shared.eventlog.port import Offsets
from shared.readside.follower import Checkpoint, Follower
from shared.readside.gate import StreamGate
from shared.readside.projection import Snapshottable
from shared.readside.snapshots.file import Build, SnapshotFile

log = logging.getLogger(__name__)
Capture = tuple[dict[str, Any], Build, Offsets]


class SnapshotKeeper:
    """Restores and saves the snapshot of one follower's projection, gate and positions."""

    def __init__(
        self,
        file: SnapshotFile,
        projection: Snapshottable,
        follower: Follower,
        interval_s: float = 300.0,
        min_events: int = 1000,
    ) -> None:
        self.file = file
        self.projection = projection
        self.follower = follower
        self.interval_s = interval_s
        self.min_events = min_events
        self.saved_at = time.monotonic()
        self.saved_position: Offsets = {}
        self.restored = False
        self._saving = threading.Lock()

    # -- restore -----------------------------------------------------------------------------
    def restore(self, target: Offsets) -> Checkpoint | None:
        """Load the snapshot into the projection if it can be trusted: the checkpoint to go on
        from, or None (fold from the start)."""
        opened = self.file.open()
        if opened is None:
            return None
        document, records = opened
        try:
            reason = self._mismatch(document, target)
            if reason:
                log.warning("snapshot %s ignored: %s", self.file.path, reason)
                return None
            gate = StreamGate.from_snapshot(document["gate"])
            position = {(t, p): o for t, p, o in document["position"]}
            anchors = {(t, p): (o, d) for t, p, o, d in document["anchors"]}
            self.projection.restore(document["projection"], records)
        except (KeyError, TypeError, ValueError, IndexError, AttributeError) as error:
            log.warning("snapshot %s ignored: %r", self.file.path, error)
            return None
        self.saved_position = dict(position)
        self.restored = True
        return Checkpoint(position, anchors, gate)

    def _mismatch(self, document: dict[str, Any], target: Offsets) -> str:
        if document.get("identity") != self.identity():
            return f"written by {document.get('identity')}, not {self.identity()}"
        for topic, partition, offset in document["position"]:
            if offset > target.get((topic, partition), -1):
                return f"covers {topic}[{partition}] up to {offset}, past the end of the log"
        anchors = document["anchors"]
        records = self.follower.log.read_at([(t, p, o) for t, p, o, _ in anchors])
        for (topic, partition, offset, digest), record in zip(anchors, records, strict=True):
            if record is None or hashlib.sha256(record.value).hexdigest() != digest:
                return f"record {topic}[{partition}]@{offset} differs: another log"
        return ""

    def identity(self) -> dict[str, Any]:
        """What must match for a snapshot to belong to this follower."""
        follower = self.follower
        return {"follower": follower.name, "topics": sorted(follower.topics), "backend": type(follower.log).__name__}

    # -- save --------------------------------------------------------------------------------
    def maybe_save(self) -> None:
        """Save in the background when due: ready, `interval_s` passed and `min_events` new."""
        if time.monotonic() - self.saved_at < self.interval_s or not self.follower.ready:
            return
        if _count(self.follower.position) - _count(self.saved_position) < self.min_events:
            return
        self.saved_at = time.monotonic()
        if self._saving.acquire(blocking=False):
            captured = self._capture()
            if captured is None:
                self._saving.release()
                return
            name = f"snapshot-{self.follower.name}"
            threading.Thread(target=self._write, args=captured, name=name, daemon=True).start()

    def save(self) -> bool:
        """Save now (clean stop); False when nothing new was folded or the projection refuses."""
        with self._saving:
            try:
                captured = self._capture()
            except Exception as error:  # a snapshot is an optimisation; never fail a stop for it
                log.warning("snapshot %s not taken: %r", self.file.path, error)
                return False
            if captured is None:
                return False
            self._write(*captured, locked=False)
            return True

    def _capture(self) -> Capture | None:
        if _unchanged(dict(self.follower.position), self.saved_position):  # nothing new: copy nothing
            return None
        checkpoint, build = self.follower.checkpoint(self.projection.snapshot)
        position = checkpoint.position
        if build is None or _unchanged(position, self.saved_position):
            return None
        head = {
            "identity": self.identity(),
            "position": [[t, p, o] for (t, p), o in position.items()],
            "anchors": [[t, p, o, d] for (t, p), (o, d) in checkpoint.anchors.items()],
            "gate": checkpoint.gate.to_snapshot(),
        }
        return head, build, position

    def _write(self, head: dict[str, Any], build: Build, position: Offsets, locked: bool = True) -> None:
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


def _unchanged(position: Offsets, saved: Offsets) -> bool:
    return position == saved or not any(position.values())


def _count(position: Offsets) -> int:
    return sum(position.values())
