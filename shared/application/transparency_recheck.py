"""The re-check of the transparency log's trees restored from a snapshot, in the background.

A start from a snapshot copies the trees back and is ready without hashing the log again. Once
the process is ready, a daemon thread reads the audited records again from the start of the log,
up to the sizes restored and the latest signed head, a chunk at a time with a pause after each
(the request threads get the GIL), and compares them (`shared.transparency.recheck`). A difference
goes to the ledger as a divergence: nothing more is signed, `/verify` reports the partition and
`<svc>_transparency_diverged` alerts, as after a start that rebuilt the trees from the log. The
process stays live and ready: its trees hold the records as they were folded, and what is wrong
is the log. A log that cannot be read is read again from where the re-check stopped, as a
follower does. Trees rebuilt from the log at start were checked then: nothing runs. The processes
of a host that restored the same trees take turns, and a pass found by one is taken by the others
(`RecheckPasses`): the log is read once per host, not once per gunicorn worker.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from shared.application.recheck_passes import RecheckPasses
from shared.eventlog.port import LogReader, Offsets, Record, caught_up, close_quietly
from shared.metrics import TransparencyMetrics
from shared.readside.follower import Follower
from shared.transparency.anchor import Divergence
from shared.transparency.heads import SignedHead
from shared.transparency.ledger import Ledger
from shared.transparency.recheck import Recheck, checked_key

log = logging.getLogger(__name__)
POLL_S = 0.5
RETRY_S = 1.0
READY_POLL_S = 0.1
Restored = Callable[[], Mapping[str, int] | None]
"""The size of each tree restored from the snapshot; None when the trees were rebuilt from the log."""


@dataclass
class RecheckStatus:
    """Where the re-check stands (shown by /readyz, which it never makes fail)."""

    state: str = "waiting"  # waiting | skipped | running | passed | diverged | stopped | failed
    records: int = 0
    passed_by: int | None = None  # the process (pid) whose pass of the same trees was taken
    seconds: float | None = None
    cpu_seconds: float | None = None
    error: str | None = None  # the last failure to read the log, while it lasts
    divergences: list[str] = field(default_factory=list)


class ForestRecheck:
    """Re-checks the ledger's trees once `follower` (which grows them) is ready, if they were restored."""

    def __init__(
        self,
        ledger: Ledger,
        follower: Follower,
        restored: Restored,
        metrics: TransparencyMetrics,
        *,
        chunk: int,
        pause_s: float,
        passes: RecheckPasses | None = None,
    ) -> None:
        self.ledger = ledger
        self.follower = follower
        self.restored = restored
        self.metrics = metrics
        self.chunk = chunk
        self.pause_s = pause_s
        self.passes = passes
        """Where the processes of the host share a pass; None: this process checks alone."""
        self.since = time.time()
        """When this process began (its trees were wired): a pass must be younger to be taken."""
        self.status = RecheckStatus()
        for gauge in (metrics.recheck_passed, metrics.recheck_records, metrics.recheck_seconds):
            gauge.set(0)  # this process's re-check has not run yet
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="transparency-recheck", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.ident is not None:  # started
            self._thread.join(timeout=5)

    def report(self) -> dict[str, Any]:
        return asdict(self.status)

    def _run(self) -> None:
        try:
            self._recheck()
        except Exception as error:  # a bug must not pass for a check that passed
            self.status.state, self.status.error = "failed", repr(error)
            log.exception("transparency: the re-check of the restored trees failed")

    def _recheck(self) -> None:
        if not self._ready():
            return
        restored = self.restored()
        if restored is None:
            self.status.state = "skipped"
            log.info("transparency: the trees were rebuilt from the log at start; no re-check")
            return
        self.ledger.anchoring()  # the heads signed before the start, the latest of them kept
        latest = self.ledger.latest
        if self.passes is None:
            self._check(restored, latest)
        else:
            self._check_in_turn(self.passes, restored, latest)

    def _check_in_turn(self, passes: RecheckPasses, restored: Mapping[str, int], latest: SignedHead | None) -> None:
        """Check after the host's other processes, unless one of them passed the same trees."""
        key = checked_key(self.ledger.forest, restored, latest)
        turn = passes.take_turn(self._stop)
        if turn is None:
            return
        try:
            earlier = passes.passed(key, self.since)
            if earlier is not None:
                self._take(earlier)
                return
            began = time.time()
            self._check(restored, latest)
            status = self.status
            if status.state == "passed":
                passes.record(key, began, status.records, status.seconds or 0.0)
        finally:
            passes.end_turn(turn)

    def _check(self, restored: Mapping[str, int], latest: SignedHead | None) -> None:
        recheck = Recheck(self.ledger.forest, restored, latest)
        self.status.state = "running"
        started, cpu = time.monotonic(), time.thread_time()
        if self._read(recheck):
            self._conclude(recheck.finish(), time.monotonic() - started, time.thread_time() - cpu)
        else:
            self.status.state = "stopped"

    def _ready(self) -> bool:
        while not self.follower.ready:
            if self._stop.wait(READY_POLL_S):
                return False
        return True

    def _read(self, recheck: Recheck) -> bool:
        """Tell `recheck` the log's records until it is done or the log's end (as it was when the
        reading began) is reached; False when stopped first."""
        reading = _Reading(self.follower, self.chunk)
        try:
            while not (recheck.done or reading.at_end):
                if self._stop.is_set():
                    return False
                self._step(recheck, reading)
            return True
        finally:
            reading.close()

    def _step(self, recheck: Recheck, reading: _Reading) -> None:
        try:
            records = reading.next_chunk()
        except Exception as error:  # the log may be down: read on from here later, as a follower does
            self.status.error = repr(error)
            log.warning("transparency: re-check: %r; reading again in %.0f s", error, RETRY_S)
            reading.close()
            self._stop.wait(RETRY_S)
            return
        self.status.error = None
        for record in records:
            recheck.add(record.topic, record.partition, record.offset, hashlib.sha256(record.value).digest())
        self.status.records += len(records)
        self.metrics.recheck_records.set(self.status.records)
        self._stop.wait(self.pause_s)  # the request threads' turn

    def _take(self, earlier: Mapping[str, Any]) -> None:
        """Another process of the host passed a re-check of the same trees."""
        status = self.status
        status.records, status.seconds, status.cpu_seconds = earlier["records"], earlier["seconds"], 0.0
        status.passed_by, status.state = earlier["pid"], "passed"
        self.metrics.recheck_records.set(status.records)
        self.metrics.recheck_seconds.set(status.seconds or 0.0)
        self.metrics.recheck_passed.set(1)
        log.info(
            "transparency: re-check of the restored trees passed in process %s, which restored the same trees",
            status.passed_by,
        )

    def _conclude(self, divergences: list[Divergence], seconds: float, cpu_seconds: float) -> None:
        for divergence in divergences:
            self.ledger.note_divergence(divergence)
            self.metrics.recheck_mismatches.inc()
        self.metrics.recheck_seconds.set(seconds)
        self.metrics.recheck_passed.set(0 if divergences else 1)
        status = self.status
        status.seconds, status.cpu_seconds = round(seconds, 3), round(cpu_seconds, 3)
        status.divergences = [divergence.describe() for divergence in divergences]
        status.state = "diverged" if divergences else "passed"
        log.log(
            logging.ERROR if divergences else logging.INFO,
            "transparency: re-check of the restored trees %s: %d records in %.1f s (%.1f s of CPU)",
            f"found the log different in {len(divergences)} partition(s)" if divergences else "passed",
            status.records,
            seconds,
            cpu_seconds,
        )


class _Reading:
    """The follower's topics read from the start of the log, a chunk at a time; after a failure,
    a new reader goes on from the last record read."""

    def __init__(self, follower: Follower, chunk: int) -> None:
        self.follower = follower
        self.chunk = chunk
        self.position: Offsets = {}
        self.end: Offsets | None = None
        self._reader: LogReader | None = None

    @property
    def at_end(self) -> bool:
        return self.end is not None and caught_up(self.position, self.end)

    def next_chunk(self) -> list[Record]:
        if self._reader is None:
            self._reader = self.follower.log.open_reader(self.follower.topics)
            self._reader.seek(self.position)
            if self.end is None:
                self.end = self._reader.end_offsets()
        records = self._reader.poll(POLL_S, self.chunk)
        for record in records:
            self.position[record.topic, record.partition] = record.offset + 1
        return records

    def close(self) -> None:
        close_quietly(self._reader)
        self._reader = None
