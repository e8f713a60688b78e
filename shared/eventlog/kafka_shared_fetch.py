"""One Kafka consumer for every group-less reader of a process.

A service process follows several projections, and some read the same partitions: the
nomination service's book and its transparency log both read every nominations partition. With
a consumer each, the broker answered every append with a fetch response per reader, and each
consumer's librdkafka threads woke for it: measured on the Kafka submissions figure, the
transparency log's consumer alone cost ~a fifth of the throughput (bench/README.md). Here one
consumer fetches the union of the readers' partitions and hands each record to every reader
that wants it.

Each reader keeps its own position: it is handed a record of a partition only at or past the
offset it wants next, so readers restored from different snapshots, or sought back, each see
their partitions' records once and in order. The consumer fetches each partition from the
lowest offset a reader with room still wants; whoever polls and finds nothing of its own drives
it (no thread of its own). A reader holds at most `BUFFERED` records: past that it is handed
nothing more of that partition, not even once it has room again, until the consumer goes back
for it (a later record would skip those it was refused), which it does once the reader has
room for half its buffer. A reader that is never
polled (one opened for its end offsets only) therefore costs a bounded buffer, and holds no one
back.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from typing import Any

import confluent_kafka

from shared.eventlog.kafka_clients import next_messages, record_of, skip_message_error
from shared.eventlog.port import LogUnavailable, Offsets, Record

TopicPartition = tuple[str, int]
BUFFERED = 5000
"""Records a reader may hold before it is handed no more (~7.5 MB of this log's events)."""
DRIVE_S = 0.1
"""The longest a driving reader waits on the consumer before it looks at its own records again."""
FETCH_BATCH = 1000
"""The most records one drive takes from the consumer."""


class Inbox:
    """What one reader wants (the next offset of each of its partitions) and what it was handed."""

    __slots__ = ("partitions", "want", "records", "behind")

    def __init__(self, partitions: Sequence[TopicPartition]) -> None:
        self.partitions = list(partitions)
        self.want: dict[TopicPartition, int] = dict.fromkeys(self.partitions, 0)
        self.records: deque[Record] = deque()
        self.behind: set[TopicPartition] = set(self.partitions)
        """Partitions the consumer may be past what this reader wants: it was refused a record
        there, or it joined or sought since the consumer was assigned. Nothing of them is handed
        to it until the consumer is assigned again: a later record would skip the ones between."""

    def has_room(self) -> bool:
        return len(self.records) < BUFFERED

    def has_caught_up(self) -> bool:
        """Half its buffer free: worth going back for what it was not handed (not every 1,000)."""
        return len(self.records) < BUFFERED // 2


class SharedFetch:
    """The consumer the group-less readers of one log share, made on first use."""

    def __init__(self, make_consumer: Callable[[], confluent_kafka.Consumer]) -> None:
        self._make_consumer = make_consumer
        self._consumer: confluent_kafka.Consumer | None = None
        self._changed = threading.Condition()
        self._inboxes: list[Inbox] = []
        self._by_partition: dict[TopicPartition, list[Inbox]] = {}
        self._fetched: dict[TopicPartition, int] = {}  # where the consumer reads each partition next
        self._driving = False
        self._reassign = False
        self._closed = False

    def join(self, partitions: Sequence[TopicPartition]) -> Inbox:
        """A new reader of `partitions`, from their beginning."""
        inbox = Inbox(partitions)
        with self._changed:
            if self._closed:
                raise LogUnavailable("the Kafka log was closed")
            self._inboxes.append(inbox)
            self._index()
        return inbox

    def leave(self, inbox: Inbox) -> None:
        with self._changed:
            if inbox in self._inboxes:
                self._inboxes.remove(inbox)
                self._index()

    def seek(self, inbox: Inbox, offsets: Offsets) -> None:
        """Read `inbox`'s partitions from `offsets` (the beginning where none is given)."""
        with self._changed:
            inbox.want = {tp: offsets.get(tp, 0) for tp in inbox.partitions}
            inbox.records.clear()
            inbox.behind = set(inbox.partitions)
            self._reassign = True

    def poll(self, inbox: Inbox, timeout_s: float, max_records: int) -> list[Record]:
        """`inbox`'s next records, waiting up to `timeout_s` for some; drives the consumer while
        no other reader does."""
        deadline = time.monotonic() + timeout_s
        with self._changed:
            while True:
                if inbox.records:
                    taken = [inbox.records.popleft() for _ in range(min(max_records, len(inbox.records)))]
                    if len(inbox.records) < BUFFERED // 2:
                        self._changed.notify_all()  # the driver may go back for what it missed
                    return taken
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return []
                if self._driving:
                    self._changed.wait(remaining)
                else:
                    self._drive(min(remaining, DRIVE_S))

    def close(self) -> None:
        with self._changed:
            self._closed = True
            while self._driving:
                self._changed.wait()
            consumer, self._consumer = self._consumer, None
        if consumer is not None:
            consumer.close()

    # -- under the condition's lock ------------------------------------------------------------
    def _drive(self, timeout_s: float) -> None:
        """Fetch once (the lock released meanwhile) and hand the records out."""
        if self._closed:
            raise LogUnavailable("the Kafka log was closed")
        consumer = self._ready_consumer()
        self._driving = True
        self._changed.release()
        try:
            messages = next_messages(consumer, timeout_s, FETCH_BATCH)
        finally:
            self._changed.acquire()
            self._driving = False
            self._changed.notify_all()
        self._hand_out(messages)

    def _ready_consumer(self) -> confluent_kafka.Consumer:
        if self._consumer is None:
            self._consumer = self._make_consumer()
            self._reassign = True
        if not self._reassign:  # go back for a reader left behind once it has room for what it missed
            self._reassign = any(inbox.behind and inbox.has_caught_up() for inbox in self._inboxes)
        if self._reassign:
            self._assign(self._consumer)
        return self._consumer

    def _assign(self, consumer: confluent_kafka.Consumer) -> None:
        """Each partition from the lowest offset a reader with room wants (any reader's, if none has)."""
        starts: dict[TopicPartition, int] = {}
        for tp, inboxes in self._by_partition.items():
            roomy = [inbox.want[tp] for inbox in inboxes if inbox.has_caught_up()]
            starts[tp] = min(roomy or [inbox.want[tp] for inbox in inboxes])
        consumer.assign([confluent_kafka.TopicPartition(t, p, offset) for (t, p), offset in starts.items()])
        self._fetched = starts
        self._reassign = False
        for inbox in self._inboxes:
            inbox.behind = {tp for tp in inbox.partitions if inbox.want[tp] < starts[tp]}

    def _hand_out(self, messages: list[Any]) -> None:
        by_partition, fetched = self._by_partition, self._fetched
        for m in messages:
            topic, partition, offset = m.topic(), m.partition(), m.offset()
            error = m.error()
            if error is not None or topic is None or partition is None or offset is None:
                skip_message_error(error)
                continue
            tp = (topic, partition)
            if fetched.get(tp, -1) > offset:  # fetched before a reassignment that went back
                continue
            fetched[tp] = offset + 1
            record = None
            for inbox in by_partition.get(tp, ()):
                if offset < inbox.want[tp] or tp in inbox.behind:
                    continue
                if not inbox.has_room():
                    inbox.behind.add(tp)
                    continue
                record = record or record_of(m, topic, partition, offset)
                inbox.records.append(record)
                inbox.want[tp] = offset + 1
        if messages:
            self._changed.notify_all()

    def _index(self) -> None:
        self._by_partition = {}
        for inbox in self._inboxes:
            for tp in inbox.partitions:
                self._by_partition.setdefault(tp, []).append(inbox)
        self._reassign = True
