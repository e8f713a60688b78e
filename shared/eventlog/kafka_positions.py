"""`read_at` on Kafka: the records at given positions, read by one consumer kept for it.

The nomination book keeps its trails as log positions and re-reads them whenever one is shown,
so this is on a user's path. A consumer made for each call (kafka-python's, before) spent some
200 ms connecting and asking metadata before its first fetch; this one is made once per log
and kept. A call assigns it every partition it asks of, each at its lowest wanted offset, reads,
and unassigns it.

A partition is read on, in order, while its next wanted offset is at most MAX_SKIP records
beyond what has come; a wanted record farther on is assigned afresh in the next round (one
more fetch) rather than read up to. Positions that cannot hold a record are answered None
without a fetch: a topic the broker does not know, a partition the topic does not have, an
offset at or past the partition's end. Partition counts and ends are remembered, and asked
again only when a position lies past them (a log only grows). A record no longer stored
(deleted below the log's start) is None too: the consumer stops at such an offset and says so
(`auto.offset.reset` is `error`) instead of jumping to the earliest record.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from typing import Any

import confluent_kafka
from confluent_kafka import KafkaError, Message
from confluent_kafka.admin import AdminClient

from shared.eventlog.kafka_clients import (
    LIBRDKAFKA_LOG,
    REQUEST_TIMEOUT_S,
    end_offsets_of,
    guarded,
    next_messages,
    record_of,
)
from shared.eventlog.port import LogUnavailable, Offsets, Record, TopicPartition

Position = tuple[str, int, int]
MAX_SKIP = 64
"""Records read through to reach the next wanted one of a partition (~100 kB of the log's
events, about what one fetch brings: MAX_FETCH_BYTES); farther, a new round assigns it there."""
MAX_FETCH_BYTES = 128 * 1024
FETCH_WAIT_MS = 0
"""How long the broker may hold a fetch of partitions at their end: not at all. A wanted record is
often among the last of its partition (an open nomination's latest event): the consumer's next
fetch then waits at the broker, and the next round's or call's fetch waits behind it (one fetch
in flight to a broker). The readers' 500 ms would make such calls wait 500 ms, and 1 ms made a
trail's p50 2 ms slower (bench/read_at.py). Fetching on at the end costs little: a partition is
unassigned as soon as its round is over, and the consumer as soon as the call is."""


class PositionReader:
    """One log's reader of positions. Calls take turns (a lock): a consumer is not thread-safe,
    and each call assigns it anew. Never in a group: it assigns, and commits nothing."""

    def __init__(self, config: dict[str, Any], admin: Callable[[], AdminClient]) -> None:
        self._admin = admin
        self._consumer = confluent_kafka.Consumer(
            {
                **config,
                "group.id": f"{config['client.id']}.read-at",  # librdkafka wants one; never joined
                "enable.auto.commit": False,
                "enable.auto.offset.store": False,
                "enable.partition.eof": True,  # a partition read to its end says so
                "auto.offset.reset": "error",
                "isolation.level": "read_committed",  # what the readers see, and no more
                "fetch.wait.max.ms": FETCH_WAIT_MS,
                "max.partition.fetch.bytes": MAX_FETCH_BYTES,
                "queued.max.messages.kbytes": 2 * 1024,  # prefetched past what a call wants
                "fetch.queue.backoff.ms": 1,  # room again in that queue: fetch at once (librdkafka: 1 s)
            }
        )
        self._partition_counts: dict[str, int] = {}
        self._ends: Offsets = {}
        self._lock = threading.Lock()
        self._closed = False

    def read(self, positions: Sequence[Position]) -> list[Record | None]:
        """The records at `positions`, in their order; None where no record is stored."""
        with self._lock:
            if self._closed:
                raise LogUnavailable("kafka read_at: the log's reader of positions is closed")
            wanted = self._storable(set(positions))
            found = self._fetch(_Wanted(wanted)) if wanted else {}
        return [found.get(p) for p in positions]

    def close(self) -> None:
        """End the consumer's librdkafka threads (after a call under way)."""
        with self._lock:
            if not self._closed:
                self._closed = True
                self._consumer.close()

    def _storable(self, positions: set[Position]) -> dict[TopicPartition, list[int]]:
        """The wanted offsets of each partition, leaving out those where no record can be."""
        self._learn_partitions({t for t, p, _ in positions if p >= self._partition_counts.get(t, 0)})
        inside = [(t, p, o) for t, p, o in positions if 0 <= p < self._partition_counts.get(t, 0) and o >= 0]
        self._learn_ends({(t, p) for t, p, o in inside if o >= self._ends.get((t, p), 0)})
        wanted: dict[TopicPartition, list[int]] = {}
        for t, p, o in sorted(inside):
            if o < self._ends[(t, p)]:
                wanted.setdefault((t, p), []).append(o)
        return wanted

    def _learn_partitions(self, topics: Iterable[str]) -> None:
        """Ask the partition counts of `topics`; one the broker does not know stays unknown. The
        consumer asks: its answer also tells the consumer the partitions' leader, which it would
        otherwise look up after the assignment, at its next topic scan (up to 1 s later)."""
        for topic in topics:
            found = guarded(partial(self._consumer.list_topics, topic, timeout=REQUEST_TIMEOUT_S)).topics.get(topic)
            if found is not None and found.partitions:
                self._partition_counts[topic] = len(found.partitions)

    def _learn_ends(self, partitions: set[TopicPartition]) -> None:
        if partitions:
            self._ends.update(end_offsets_of(self._admin(), partitions))

    def _fetch(self, wanted: _Wanted) -> dict[Position, Record]:
        deadline = time.monotonic() + REQUEST_TIMEOUT_S
        try:
            while wanted.left:
                self._read_round(wanted, deadline)
        finally:
            guarded(self._consumer.unassign)
        return wanted.found

    def _read_round(self, wanted: _Wanted, deadline: float) -> None:
        """Assign every partition still wanted at its lowest wanted offset, and read until each
        has its wanted records near by, or has stopped."""
        starts = wanted.start_round()
        guarded(partial(self._consumer.assign, [confluent_kafka.TopicPartition(*tp, o) for tp, o in starts.items()]))
        reading = set(starts)
        while reading:
            left_s = deadline - time.monotonic()
            if left_s <= 0:
                raise LogUnavailable(f"kafka read_at: {len(wanted.left)} partitions not read in {REQUEST_TIMEOUT_S} s")
            for message in next_messages(self._consumer, left_s, 500):
                partition = wanted.take(message)
                if partition in reading and wanted.round_over(partition):
                    reading.discard(partition)
                    self._stop(partition, reading)

    def _stop(self, partition: TopicPartition, reading: set[TopicPartition]) -> None:
        """Stop fetching a partition whose round is over, while others are still read: fetched
        on, it filled the consumer's queue with records nobody wants, and a full queue holds
        every fetch back (`fetch.queue.backoff.ms`). A pause would outlive the next assign."""
        if reading:
            guarded(partial(self._consumer.incremental_unassign, [confluent_kafka.TopicPartition(*partition)]))


class _Wanted:
    """The offsets a call still wants, by partition, and the records found. A round reads each
    partition in order from its lowest wanted offset, so a record past a wanted offset tells
    that none is stored there (a transaction marker's offset, say)."""

    def __init__(self, offsets: dict[TopicPartition, list[int]]) -> None:
        self.left = {tp: deque(o) for tp, o in offsets.items()}  # each sorted
        self.found: dict[Position, Record] = {}
        self._reached: dict[TopicPartition, int] = {}  # the next offset a round's read brings
        self._stopped: set[TopicPartition] = set()

    def start_round(self) -> dict[TopicPartition, int]:
        """Where each partition still wanted is read from, this round."""
        self._reached = {tp: offsets[0] for tp, offsets in self.left.items()}
        self._stopped.clear()
        return dict(self._reached)

    def take(self, message: Message) -> TopicPartition | None:
        """Note what a message tells; return its partition (None for a client-wide error)."""
        topic, partition, offset = message.topic(), message.partition(), message.offset()
        if topic is None or partition is None or offset is None:
            _skip(message.error())
            return None
        tp, error = (topic, partition), message.error()
        if error is not None:
            self._on_error(tp, offset, error)
        elif offset >= self._reached.get(tp, offset + 1):  # not a record of a round before
            self._reached[tp] = offset + 1
            self._on_record(tp, record_of(message, topic, partition, offset))
        return tp

    def round_over(self, tp: TopicPartition) -> bool:
        """The partition has nothing more to give this round (or nothing near)."""
        left = self.left.get(tp)
        return not left or tp in self._stopped or left[0] - self._reached[tp] > MAX_SKIP

    def _on_record(self, tp: TopicPartition, record: Record) -> None:
        left = self.left.get(tp, deque())
        while left and left[0] < record.offset:  # read past: not stored
            left.popleft()
        if left and left[0] == record.offset:
            self.found[(*tp, record.offset)] = record
            left.popleft()
        if not left:
            self.left.pop(tp, None)

    def _on_error(self, tp: TopicPartition, offset: int, error: KafkaError) -> None:
        left = self.left.get(tp)
        if error.code() == KafkaError._PARTITION_EOF:  # nothing stored at the offsets left
            self.left.pop(tp, None)
        elif error.code() == KafkaError._AUTO_OFFSET_RESET:  # not stored (deleted); read stopped
            self._stopped.add(tp)
            if left and left[0] == offset:
                left.popleft()
                if not left:
                    self.left.pop(tp)
        else:
            _skip(error)


def _skip(error: KafkaError | None) -> None:
    """Another error of a fetch: librdkafka goes on (the call's deadline bounds the wait), so it
    is logged; a fatal one ends the call."""
    if error is not None and error.fatal():
        raise LogUnavailable(f"kafka read_at failed: {error}")
    LIBRDKAFKA_LOG.warning("kafka read_at skipped an error: %s", error)
