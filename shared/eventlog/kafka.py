"""KafkaEventLog: the log on a real Apache Kafka broker.

Clients are created lazily, on first use, so a gunicorn worker creates its own after the fork.
The producer is idempotent with acks=all; an append returns only once the broker confirmed it.
Kafka has no conditional append: expected versions are checked by the readers (`gate`).

The readers (what every follower folds from) read through confluent-kafka consumers: the
group-less readers of a process share one (`kafka_shared_fetch`: the broker answers each append
once per process, not once per reader), a reader with a group has its own (`KafkaLogReader`).
librdkafka fetches and parses records on its own threads, in C, where kafka-python's consumer
spent 13-15 us of Python a record before anything was folded (bench/README.md). Their end
offsets come from the log's confluent-kafka admin client, on a connection of its own: a
consumer's connection always has a fetch waiting on the broker (up to FETCH_MAX_WAIT_MS) and the
broker answers a connection's requests in order, so an offsets query sent there waited behind it
(librdkafka's watermark query, one partition a call, took ~6 s for 12 partitions). The producer
is confluent-kafka's too (`kafka_producer`), and so is the consumer that serves `read_at`
(`kafka_positions`), and so is the admin client that creates the topics (`kafka_topics`).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from concurrent.futures import TimeoutError as FutureTimeout
from functools import partial
from typing import Any

import confluent_kafka
from confluent_kafka import OFFSET_BEGINNING
from confluent_kafka.admin import AdminClient

from shared.eventlog.kafka_clients import (
    REQUEST_TIMEOUT_S,
    client_config,
    end_offsets_of,
    guarded,
    next_messages,
    record_of,
    skip_message_error,
)
from shared.eventlog.kafka_positions import PositionReader
from shared.eventlog.kafka_producer import Producer
from shared.eventlog.kafka_shared_fetch import Inbox, SharedFetch
from shared.eventlog.kafka_topics import create_topics
from shared.eventlog.port import EventLog, LogReader, LogUnavailable, Offsets, Record, TopicSpec
from shared.events.codec import encode
from shared.events.envelope import Event

# Keep every event forever; never compact or delete the source of truth.
DURABLE_TOPIC_CONFIGS = {
    "retention.ms": "-1",
    "retention.bytes": "-1",
    "cleanup.policy": "delete",
    "min.insync.replicas": "1",
    "unclean.leader.election.enable": "false",
}
APPEND_TIMEOUT_S = 20.0
FETCH_MAX_WAIT_MS = 500
"""How long the broker may hold a fetch that finds nothing new. It answers as soon as one record
arrives (fetch.min.bytes is 1), so this costs no latency; a short wait only makes an idle reader
send a fetch every few ms (20 ms: 15-20 % of a core per idle service process, three readers each)."""


class KafkaEventLog(EventLog):
    """The EventLog on Kafka topics (`KAFKA_BOOTSTRAP_SERVERS`)."""

    def __init__(self, bootstrap_servers: str, client_id: str = "cadreflow") -> None:
        self.bootstrap_servers = bootstrap_servers
        self.client_id = client_id
        self._producer: Producer | None = None
        self._offsets_admin: AdminClient | None = None
        self._positions: PositionReader | None = None
        self._shared_fetch: SharedFetch | None = None
        self._lock = threading.Lock()

    def create_topics(self, specs: Iterable[TopicSpec]) -> None:
        create_topics(self.offsets_admin(), list(specs), DURABLE_TOPIC_CONFIGS)

    def producer(self) -> Producer:
        """The process's producer, created on first use (after any fork)."""
        with self._lock:
            if self._producer is None:
                self._producer = Producer(client_config(self.bootstrap_servers, self.client_id))
            return self._producer

    def prepare_appends(self) -> None:
        """Start the producer: an idempotent producer first gets its producer id and the topics'
        leaders, which made the first append of each process wait ~500 ms."""
        self.producer()

    def offsets_admin(self) -> AdminClient:
        """The process's confluent-kafka admin client, for end offsets and partition lists;
        created on first use (after any fork) and shared by the readers."""
        with self._lock:
            if self._offsets_admin is None:
                self._offsets_admin = AdminClient(client_config(self.bootstrap_servers, self.client_id))
            return self._offsets_admin

    def append(self, topic: str, events: Sequence[Event]) -> list[Record]:
        encoded = [(e.stream_id, encode(e)) for e in events]
        return self._send(topic, encoded)

    def append_raw(self, topic: str, key: str, value: bytes) -> Record:
        return self._send(topic, [(key, value)])[0]

    def _send(self, topic: str, items: list[tuple[str, bytes]]) -> list[Record]:
        producer = self.producer()
        try:
            landed = [(key, value, producer.send(topic, key, value)) for key, value in items]
            # each append waits for its own records only: flush() would also wait for every other
            # request thread's records in the shared producer
            return [Record(topic, *future.result(APPEND_TIMEOUT_S), key, value) for key, value, future in landed]
        except FutureTimeout as error:
            raise LogUnavailable(f"kafka append to {topic} not confirmed in {APPEND_TIMEOUT_S} s") from error
        finally:
            if producer.broken:
                self._discard_producer(producer)

    def _discard_producer(self, broken: Producer) -> None:
        """Drop a producer that met a fatal error (an idempotent producer whose sequence was lost
        stays in error), so the next append starts a fresh one (new producer id, new sequence)."""
        with self._lock:
            if self._producer is not broken:
                return
            self._producer = None
        threading.Thread(target=broken.close, args=(0,), daemon=True).start()

    def position_reader(self) -> PositionReader:
        """The process's reader of positions (`read_at`), created on first use (after any fork)."""
        with self._lock:
            if self._positions is None:
                config = client_config(self.bootstrap_servers, self.client_id)
                self._positions = PositionReader(config, self.offsets_admin)
            return self._positions

    def read_at(self, positions: Sequence[tuple[str, int, int]]) -> list[Record | None]:
        return self.position_reader().read(positions)

    def end_offsets(self, topics: Iterable[str]) -> Offsets:
        admin = self.offsets_admin()
        return end_offsets_of(admin, _partitions_of(admin, topics))

    def open_reader(self, topics: Sequence[str], group: str | None = None) -> LogReader:
        """A group-less reader (every follower's) shares the process's one fetching consumer
        (`SharedFetch`); a reader with a group has a consumer of its own, which commits."""
        if group is None:
            return SharedKafkaReader(self, topics)
        return KafkaLogReader(self, topics, group)

    def shared_fetch(self) -> SharedFetch:
        """The consumer the group-less readers share, created on first use (after any fork)."""
        with self._lock:
            if self._shared_fetch is None:
                self._shared_fetch = SharedFetch(lambda: confluent_kafka.Consumer(reader_config(self, None)))
            return self._shared_fetch

    def close(self) -> None:
        with self._lock:
            if self._producer is not None:
                self._producer.close(APPEND_TIMEOUT_S)
                self._producer = None
            # an AdminClient has no close(): with its only reference gone librdkafka's handle is
            # destroyed and its threads end (readers ask the log for it on each use, keep none)
            self._offsets_admin = None
            positions, self._positions = self._positions, None
            shared_fetch, self._shared_fetch = self._shared_fetch, None
        if shared_fetch is not None:
            shared_fetch.close()
        if positions is not None:  # outside the lock: a read_at under way may still ask for the admin
            positions.close()


class KafkaLogReader(LogReader):
    """Reads every partition of its topics by manual assignment; a group only stores offsets.

    librdkafka reconnects by itself: a broker going away is logged (`LIBRDKAFKA_LOG`), and a poll
    meanwhile returns nothing, as kafka-python's did; the calls that need an answer from the
    broker (end offsets, commit, committed) raise LogUnavailable, so a follower notices the outage
    on its next lag measurement and opens a new reader."""

    def __init__(self, log: KafkaEventLog, topics: Sequence[str], group: str | None) -> None:
        self._log = log
        self._group = group
        self._partitions = _partitions_of(log.offsets_admin(), topics)
        self._consumer = confluent_kafka.Consumer(reader_config(log, group))
        try:
            self.seek(self.committed())
        except BaseException:
            self._consumer.close()
            raise

    def poll(self, timeout_s: float, max_records: int = 1000) -> list[Record]:
        records = []
        for m in next_messages(self._consumer, timeout_s, max_records):
            topic, partition, offset = m.topic(), m.partition(), m.offset()
            error = m.error()
            if error is not None or topic is None or partition is None or offset is None:
                skip_message_error(error)
                continue
            records.append(record_of(m, topic, partition, offset))
        return records

    def end_offsets(self) -> Offsets:
        return end_offsets_of(self._log.offsets_admin(), self._partitions)

    def seek(self, offsets: Offsets) -> None:
        self._consumer.assign(
            [confluent_kafka.TopicPartition(t, p, offsets.get((t, p), OFFSET_BEGINNING)) for t, p in self._partitions]
        )

    def commit(self, offsets: Offsets) -> None:
        if self._group is None:
            raise ValueError("commit needs a reader opened with a group")
        marks = [confluent_kafka.TopicPartition(t, p, o) for (t, p), o in offsets.items()]
        _checked(guarded(lambda: self._consumer.commit(offsets=marks, asynchronous=False)))

    def committed(self) -> Offsets:
        if self._group is None:
            return {}
        asked = [confluent_kafka.TopicPartition(t, p) for t, p in self._partitions]
        found = _checked(guarded(lambda: self._consumer.committed(asked, timeout=REQUEST_TIMEOUT_S)))
        return {(tp.topic, tp.partition): tp.offset for tp in found if tp.offset >= 0}

    def close(self) -> None:
        """Ends the consumer's librdkafka threads (the admin client is the log's, see its close).
        Leaves nothing behind: auto-commit is off, and a reader never joins its group."""
        self._consumer.close()


class SharedKafkaReader(LogReader):
    """A group-less reader: its own position over the process's shared consumer (`SharedFetch`)."""

    def __init__(self, log: KafkaEventLog, topics: Sequence[str]) -> None:
        self._log = log
        self._partitions = _partitions_of(log.offsets_admin(), topics)
        self._fetch = log.shared_fetch()
        self._inbox: Inbox = self._fetch.join(self._partitions)

    def poll(self, timeout_s: float, max_records: int = 1000) -> list[Record]:
        return self._fetch.poll(self._inbox, timeout_s, max_records)

    def end_offsets(self) -> Offsets:
        return end_offsets_of(self._log.offsets_admin(), self._partitions)

    def seek(self, offsets: Offsets) -> None:
        self._fetch.seek(self._inbox, offsets)

    def commit(self, offsets: Offsets) -> None:
        raise ValueError("commit needs a reader opened with a group")

    def committed(self) -> Offsets:
        return {}

    def close(self) -> None:
        self._fetch.leave(self._inbox)


def reader_config(log: KafkaEventLog, group: str | None) -> dict[str, Any]:
    """A reader's consumer: manual assignment, no commits of its own, read_committed."""
    return {
        **client_config(log.bootstrap_servers, log.client_id),
        # librdkafka wants a group id; a reader without one assigns, never joins nor commits
        "group.id": group or f"{log.client_id}.ungrouped",
        "enable.auto.commit": False,
        "enable.auto.offset.store": False,
        "auto.offset.reset": "earliest",
        "isolation.level": "read_committed",
        "fetch.wait.max.ms": FETCH_MAX_WAIT_MS,
        "max.partition.fetch.bytes": 4 * 1024 * 1024,
        "queued.max.messages.kbytes": 16 * 1024,  # prefetched per consumer (librdkafka: 64 MB)
        "fetch.queue.backoff.ms": 10,  # room again in that queue: fetch soon (librdkafka: 1 s)
    }


def _partitions_of(admin: AdminClient, topics: Iterable[str]) -> list[tuple[str, int]]:
    partitions: list[tuple[str, int]] = []
    for topic in topics:
        metadata = guarded(partial(admin.list_topics, topic, timeout=REQUEST_TIMEOUT_S))
        found = metadata.topics.get(topic)
        if found is None or found.error is not None or not found.partitions:
            raise LogUnavailable(f"topic {topic} has no partitions (not created?)")
        partitions.extend((topic, p) for p in sorted(found.partitions))
    return partitions


def _checked(partitions: list[confluent_kafka.TopicPartition]) -> list[confluent_kafka.TopicPartition]:
    """An offset call's answer, raising LogUnavailable if any partition of it failed."""
    failed = [tp for tp in partitions if tp.error is not None]
    if failed:
        raise LogUnavailable(f"kafka offsets failed: {failed[0].topic}[{failed[0].partition}] {failed[0].error}")
    return partitions
