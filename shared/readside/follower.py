"""The one consumer loop: poll -> decode -> gate -> handle -> advance, on a background thread.

A Follower keeps a local projection up to date with the log. It is ready once it has reached
the end offsets it saw when it started. Undecodable records go to the dead-letter topic with
their reason and the loop goes on. A command handler that appended an event can wait for that
event to come back through the follower (`awaiting`), and a reader can wait until the follower
has reached the log's end (`catch_up`).
"""

from __future__ import annotations

import base64
import hashlib
import logging
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

import orjson

from shared.eventlog.port import EventLog, LogReader, Offsets, Record, TopicPartition, caught_up, close_quietly
from shared.eventlog.topics import DEAD_LETTERS
from shared.events.codec import decode
from shared.events.envelope import Event
from shared.events.errors import DecodeError
from shared.readside.collector import CollectorPause
from shared.readside.gate import Outcome, StreamGate

log = logging.getLogger(__name__)

LAG_INTERVAL_S = 2.0
APPLY_CHUNK = 200  # records folded per hold of the lock, so readers wait at most one chunk
Handler = Callable[[Event, Outcome], None]
Observer = Callable[[str, Outcome, int], None]
"""Told how many records of an event type had an outcome (once per chunk, not per record)."""
DelayObserver = Callable[[float], None]
"""Told, once the follower caught up, how many seconds after its time each applied event was folded."""
Anchors = dict[TopicPartition, tuple[int, str]]
"""The last record folded in each partition: (offset, SHA-256 of its bytes)."""
T = TypeVar("T")


@dataclass(frozen=True)
class Checkpoint:
    """Where a fold stands: next offsets, the last record folded per partition, and the gate."""

    position: Offsets
    anchors: Anchors
    gate: StreamGate


class Snapshots(Protocol):
    """What a follower asks of whoever keeps its snapshot (see `snapshots.keeper`)."""

    def restore(self, target: Offsets) -> Checkpoint | None:
        """At the first start: the checkpoint to go on from (the projection restored), or None."""

    def maybe_save(self) -> None:
        """Between polls: save if one is due."""

    def save(self) -> bool:
        """Now (clean stop); False when nothing was saved."""


@dataclass
class _Waiter:
    """One request waiting for its event: woken alone when the event is folded (a notify_all of
    the follower's condition after every poll would wake every waiting request thread)."""

    outcome: Outcome | None = None
    folded: threading.Event = field(default_factory=threading.Event)


class Follower:
    """Folds `topics` into `handler` (called with every decoded event and its gate outcome)."""

    def __init__(
        self,
        event_log: EventLog,
        topics: Sequence[str],
        handler: Handler,
        *,
        name: str,
        group: str | None = None,
        observe: Observer | None = None,
        observe_delay: DelayObserver | None = None,
    ) -> None:
        self.log = event_log
        self.topics = list(topics)
        self.handler = handler
        self.name = name
        self.group = group
        self.observe = observe or (lambda _type, _outcome, _count: None)
        self.observe_delay = observe_delay
        self.gate = StreamGate()
        self.position: Offsets = {}
        self.anchors: Anchors = {}
        self.target: Offsets | None = None
        self.rebuild_seconds: float | None = None
        self.changed = threading.Condition()
        self.snapshots: Snapshots | None = None
        self.last_error: str | None = None
        self.lag: Offsets = {}
        self._waiters: dict[str, _Waiter] = {}
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._started_at = time.monotonic()
        self._lag_measured_at = 0.0
        self._pausing_collector = False

    # -- lifecycle ---------------------------------------------------------------------------
    def start(self) -> None:
        """Run the loop on a daemon thread (call after any fork)."""
        self._started_at = time.monotonic()
        self._thread = threading.Thread(target=self._run, name=f"follower-{self.name}", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Finish the current batch and stop; the snapshot, if one is kept, is saved."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
        self._resume_collector()
        if self.snapshots is not None:
            self.snapshots.save()

    @property
    def ready(self) -> bool:
        """True once the position reached the end offsets seen at start."""
        return self.target is not None and caught_up(self.position, self.target)

    @property
    def healthy(self) -> bool:
        """False while the last attempt to read the log failed (e.g. the broker is down)."""
        return self.last_error is None

    def checkpoint(self, capture: Callable[[], T]) -> tuple[Checkpoint, T]:
        """Where the fold stands and `capture()` (of the projection), taken together under its lock."""
        with self.changed:
            return Checkpoint(dict(self.position), dict(self.anchors), self.gate.copy()), capture()

    def _run(self) -> None:
        reader: LogReader | None = None
        while not self._stop.is_set():
            try:
                if reader is None:
                    reader = self._open()
                self.step(reader, timeout_s=0.05)
                self._measure_lag(reader)
                if self.snapshots is not None:
                    self.snapshots.maybe_save()
                self.last_error = None
            except Exception as error:  # the loop must survive a broker outage or a bug
                self._resume_collector()  # an interrupted rebuild may wait long: collect meanwhile
                self.last_error = repr(error)
                log.warning("follower %s: %r; reopening", self.name, error)
                close_quietly(reader)
                reader = None
                self._stop.wait(0.5)
        close_quietly(reader)

    def _open(self) -> LogReader:
        reader = self.log.open_reader(self.topics, group=self.group)
        if self.target is None:
            self.target = reader.end_offsets()
            self._pausing_collector = True
            CollectorPause.begin()
            if self.snapshots is not None and not self.position:
                self._go_on_from(self.snapshots.restore(self.target))
        if self.position:
            reader.seek(self.position)
        else:
            self.position = dict(reader.committed()) or {tp: 0 for tp in self.target}
        return reader

    def _go_on_from(self, checkpoint: Checkpoint | None) -> None:
        if checkpoint is not None:
            with self.changed:
                self.position, self.anchors, self.gate = checkpoint.position, checkpoint.anchors, checkpoint.gate

    # -- one step ----------------------------------------------------------------------------
    def step(self, reader: LogReader, timeout_s: float) -> int:
        """Poll once and fold what came; returns the number of records handled."""
        records = reader.poll(timeout_s)
        for start in range(0, len(records), APPLY_CHUNK):
            self._fold(records[start : start + APPLY_CHUNK])
        if records and self.group is not None:
            reader.commit(self.position)
        with self.changed:
            self._note_ready()
            self.changed.notify_all()
        return len(records)

    def _fold(self, records: list[Record]) -> None:
        """Decode outside the lock, then gate and apply the chunk in one hold of it. The position
        and anchors move on once per chunk and partition (to the last record folded, also when
        the handler fails midway); the outcomes are counted after the lock is released."""
        events = [self._decode(record) for record in records]
        caught_up_before = self.ready  # the delays of a rebuild would be the log's age
        outcomes: list[Outcome] = []
        waiters, admit, handler, note = self._waiters, self.gate.admit, self.handler, outcomes.append
        with self.changed:
            try:
                for event in events:
                    if event is None:
                        note(Outcome.DEAD_LETTERED)
                        continue
                    outcome = admit(event)
                    handler(event, outcome)
                    note(outcome)
                    if waiters:
                        waiter = waiters.get(event.event_id)
                        if waiter is not None and waiter.outcome is None:
                            waiter.outcome = outcome
                            waiter.folded.set()
            finally:
                self._advance(records, events, len(outcomes))
        types = [event.type if event is not None else "undecodable" for event in events]
        for (type_, outcome), count in Counter(zip(types, outcomes, strict=True)).items():
            self.observe(type_, outcome, count)
        observe_delay = self.observe_delay
        if observe_delay is not None and caught_up_before:
            _observe_delays(observe_delay, events, outcomes)

    def _advance(self, records: list[Record], events: list[Event | None], folded: int) -> None:
        """Move the position and anchor of each partition to its last record among the first `folded`."""
        last = {(record.topic, record.partition): i for i, record in enumerate(records[:folded])}
        for partition, i in last.items():
            record, event = records[i], events[i]
            digest = event.digest if event is not None else hashlib.sha256(record.value).hexdigest()
            self.position[partition] = record.offset + 1
            self.anchors[partition] = (record.offset, digest)

    def _decode(self, record: Record) -> Event | None:
        try:
            return decode(record.value, position=(record.topic, record.partition, record.offset))
        except DecodeError as error:
            self._dead_letter(record, error.reason)
            return None

    def _dead_letter(self, record: Record, reason: str) -> None:
        body = {
            "consumer": self.name,
            "reason": reason,
            "topic": record.topic,
            "partition": record.partition,
            "offset": record.offset,
            "key": record.key,
            "value_base64": base64.b64encode(record.value).decode(),
        }
        key = f"{self.name}:{record.topic}:{record.partition}:{record.offset}"
        self.log.append_raw(DEAD_LETTERS, key, orjson.dumps(body))
        log.warning("follower %s dead-lettered %s: %s", self.name, key, reason)

    def _measure_lag(self, reader: LogReader) -> None:
        now = time.monotonic()
        if now - self._lag_measured_at < LAG_INTERVAL_S:
            return
        self._lag_measured_at = now
        ends = reader.end_offsets()
        self.lag = {tp: max(0, end - self.position.get(tp, 0)) for tp, end in ends.items()}

    def _note_ready(self) -> None:
        if self.rebuild_seconds is None and self.ready:
            self.rebuild_seconds = time.monotonic() - self._started_at
            self._resume_collector()

    def _resume_collector(self) -> None:
        if self._pausing_collector:
            self._pausing_collector = False
            CollectorPause.end()

    # -- reading your own writes, and catching up --------------------------------------------
    @contextmanager
    def awaiting(self, event_id: str) -> Iterator[Callable[[float], Outcome | None]]:
        """Register interest in an event before appending it; yields `wait(timeout_s)`, which
        returns the gate's verdict once the event is folded (None if not within the timeout)."""
        waiter = _Waiter()
        with self.changed:
            self._waiters[event_id] = waiter

        def wait(timeout_s: float) -> Outcome | None:
            waiter.folded.wait(timeout_s)
            return waiter.outcome

        try:
            yield wait
        finally:
            with self.changed:
                self._waiters.pop(event_id, None)

    def wait_until(self, offsets: Offsets, timeout_s: float) -> bool:
        """Block until the position reaches `offsets` (e.g. records just appended)."""
        with self.changed:
            return self.changed.wait_for(lambda: caught_up(self.position, offsets), timeout=timeout_s)

    def catch_up(self, timeout_s: float) -> bool:
        """Block until everything in the log now has been folded; False if not within the timeout.

        Errors of the log (LogUnavailable, a Kafka client timeout) propagate.
        """
        return self.wait_until(self.log.end_offsets(self.topics), timeout_s)


def _observe_delays(observe: DelayObserver, events: list[Event | None], outcomes: list[Outcome]) -> None:
    """The delay of each applied event (`outcomes` may be short: a handler failed midway)."""
    now = time.time()
    for event, outcome in zip(events, outcomes, strict=False):
        if event is not None and outcome is Outcome.APPLIED:
            observe(max(0.0, now - event.time.timestamp()))
