"""KafkaEventLog: the log on a real Apache Kafka broker.

Clients are created lazily, on first use, so a gunicorn worker creates its own after the fork.
The producer is idempotent with acks=all; an append returns only once the broker confirmed it.
Kafka has no conditional append: expected versions are checked by the readers (`gate`).

The readers (`KafkaLogReader`, what every follower folds from) are confluent-kafka consumers:
librdkafka fetches and parses records on its own threads, in C. kafka-python's consumer spent
13-15 us of Python per record before anything was folded (43-75k records/s, the whole budget of
the 60k events/s fold target); this reader reads 400-490k records/s, and a fold of the 100k bench
log went from 21-23k to 31-32k events/s (bench/README.md). The producer, the admin client and the
one-shot lookups stay on kafka-python.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from typing import Any, TypeVar

import confluent_kafka
from confluent_kafka import OFFSET_BEGINNING
from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer, TopicPartition
from kafka.errors import KafkaError

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
T = TypeVar("T")
READER_LOG = logging.getLogger("shared.eventlog.kafka.reader")
APPEND_TIMEOUT_S = 20.0
# Every client is made with metrics_enabled=False: kafka-python's own sensors (recorded on every
# send and fetch, 4 % of a Kafka submission's CPU) are read by nobody; the services' metrics are
# Prometheus'.
FETCH_MAX_WAIT_MS = 500
"""How long the broker may hold a fetch that finds nothing new. It answers as soon as one record
arrives (fetch.min.bytes is 1), so this costs no latency; a short wait only makes an idle reader
send a fetch every few ms (20 ms: 15-20 % of a core per idle service process, three readers each)."""


class KafkaEventLog(EventLog):
    """The EventLog on Kafka topics (`KAFKA_BOOTSTRAP_SERVERS`)."""

    def __init__(self, bootstrap_servers: str, client_id: str = "cadreflow") -> None:
        self.bootstrap_servers = bootstrap_servers
        self.client_id = client_id
        self._producer: KafkaProducer | None = None
        self._lock = threading.Lock()
        self._partitions: dict[str, int] = {}

    def create_topics(self, specs: Iterable[TopicSpec]) -> None:
        specs = list(specs)
        with KafkaAdminClient(bootstrap_servers=self.bootstrap_servers) as admin:
            wanted = {
                s.name: {
                    "num_partitions": s.partitions,
                    "replication_factor": 1,
                    "configs": {**DURABLE_TOPIC_CONFIGS, **s.configs},
                }
                for s in specs
            }
            admin.create_topics(wanted, raise_errors=False)
            admin.wait_for_topics([s.name for s in specs], timeout_ms=30000)

    def producer(self) -> KafkaProducer:
        """The process's producer, created on first use (after any fork)."""
        with self._lock:
            if self._producer is None:
                self._producer = KafkaProducer(
                    bootstrap_servers=self.bootstrap_servers,
                    client_id=self.client_id,
                    acks="all",
                    enable_idempotence=True,
                    linger_ms=1,
                    max_block_ms=10000,
                    request_timeout_ms=10000,
                    delivery_timeout_ms=15000,
                    metrics_enabled=False,
                )
            return self._producer

    def append(self, topic: str, events: Sequence[Event]) -> list[Record]:
        encoded = [(e.stream_id, encode(e)) for e in events]
        return self._send(topic, encoded)

    def append_raw(self, topic: str, key: str, value: bytes) -> Record:
        return self._send(topic, [(key, value)])[0]

    def _send(self, topic: str, items: list[tuple[str, bytes]]) -> list[Record]:
        try:
            producer = self.producer()
            futures = [(key, value, producer.send(topic, value=value, key=key.encode())) for key, value in items]
            # each append waits for its own records only: flush() would also wait for every other
            # request thread's records in the shared producer
            return [self._landed(topic, key, value, future) for key, value, future in futures]
        except (KafkaError, TimeoutError) as error:
            self._discard_producer(producer if "producer" in locals() else None)
            raise LogUnavailable(f"kafka append to {topic} not confirmed: {error!r}") from error

    def _discard_producer(self, broken: KafkaProducer | None) -> None:
        """Drop a producer whose send failed: after expired batches an idempotent producer can stay
        in an error state, so the next append starts a fresh one (new producer id, new sequence)."""
        with self._lock:
            if broken is None or self._producer is not broken:
                return
            self._producer = None
        threading.Thread(target=_close_quietly, args=(broken,), daemon=True).start()

    @staticmethod
    def _landed(topic: str, key: str, value: bytes, future: Any) -> Record:
        metadata = future.get(timeout=APPEND_TIMEOUT_S)
        return Record(topic, metadata.partition, metadata.offset, key, value)

    def read_at(self, positions: Sequence[tuple[str, int, int]]) -> list[Record | None]:
        found: dict[tuple[str, int, int], Record] = {}
        with KafkaConsumer(
            bootstrap_servers=self.bootstrap_servers,
            enable_auto_commit=False,
            fetch_max_wait_ms=20,
            metrics_enabled=False,
        ) as consumer:
            for topic, partition, offset in positions:
                tp = TopicPartition(topic, partition)
                consumer.assign([tp])
                consumer.seek(tp, offset)
                for message in consumer.poll(timeout_ms=5000, max_records=1).get(tp, []):
                    if message.offset == offset:
                        key = message.key.decode() if message.key else None
                        found[(topic, partition, offset)] = Record(topic, partition, offset, key, message.value)
        return [found.get(p) for p in positions]

    def end_offsets(self, topics: Iterable[str]) -> Offsets:
        with KafkaConsumer(
            bootstrap_servers=self.bootstrap_servers, enable_auto_commit=False, metrics_enabled=False
        ) as consumer:
            partitions = _partitions_of(consumer, topics)
            ends = consumer.end_offsets(partitions, timeout_ms=10000)
        return {(tp.topic, tp.partition): offset for tp, offset in ends.items()}

    def open_reader(self, topics: Sequence[str], group: str | None = None) -> LogReader:
        return KafkaLogReader(self.bootstrap_servers, topics, group, self.client_id)

    def close(self) -> None:
        with self._lock:
            if self._producer is not None:
                self._producer.close(timeout=APPEND_TIMEOUT_S)
                self._producer = None


def _close_quietly(producer: KafkaProducer) -> None:
    with contextlib.suppress(Exception):  # it is being thrown away because it is broken
        producer.close(timeout=0)


def _partitions_of(consumer: KafkaConsumer, topics: Iterable[str]) -> list[TopicPartition]:
    partitions: list[TopicPartition] = []
    for topic in topics:
        numbers = consumer.partitions_for_topic(topic)
        if not numbers:
            raise LogUnavailable(f"topic {topic} has no partitions (not created?)")
        partitions.extend(TopicPartition(topic, p) for p in sorted(numbers))
    return partitions


class KafkaLogReader(LogReader):
    """Reads every partition of its topics by manual assignment; a group only stores offsets.

    librdkafka reconnects by itself: a broker going away is logged (`READER_LOG`), and a poll
    meanwhile returns nothing, as kafka-python's did; the calls that need an answer from the
    broker (end offsets, commit, committed) raise LogUnavailable, so a follower notices the outage
    on its next lag measurement and opens a new reader."""

    def __init__(self, bootstrap: str, topics: Sequence[str], group: str | None, client_id: str) -> None:
        self._group = group
        self._consumer = confluent_kafka.Consumer(
            {
                "bootstrap.servers": bootstrap,
                "client.id": client_id,
                # librdkafka wants a group id; a reader without one assigns, never joins nor commits
                "group.id": group or f"{client_id}.ungrouped",
                "enable.auto.commit": False,
                "enable.auto.offset.store": False,
                "auto.offset.reset": "earliest",
                "isolation.level": "read_committed",
                "fetch.wait.max.ms": FETCH_MAX_WAIT_MS,
                "max.partition.fetch.bytes": 4 * 1024 * 1024,
                "queued.max.messages.kbytes": 16 * 1024,  # prefetched per reader (librdkafka: 64 MB)
                "fetch.queue.backoff.ms": 10,  # room again in that queue: fetch soon (librdkafka: 1 s)
                # a global error (broker down, connection closed) is logged here instead of coming
                # out of poll as a message; librdkafka retries it by itself
                "error_cb": _log_reader_error,
                "logger": READER_LOG,  # not librdkafka's own lines on stderr
            }
        )
        try:
            self._partitions = self._partitions_of(topics)
            self.seek(self.committed())
        except BaseException:
            self._consumer.close()
            raise

    def _partitions_of(self, topics: Sequence[str]) -> list[tuple[str, int]]:
        partitions: list[tuple[str, int]] = []
        for topic in topics:
            metadata = self._call(partial(self._consumer.list_topics, topic, timeout=10))
            found = metadata.topics.get(topic)
            if found is None or found.error is not None or not found.partitions:
                raise LogUnavailable(f"topic {topic} has no partitions (not created?)")
            partitions.extend((topic, p) for p in sorted(found.partitions))
        return partitions

    def poll(self, timeout_s: float, max_records: int = 1000) -> list[Record]:
        records = []
        for m in self._messages(timeout_s, max_records):
            topic, partition, offset = m.topic(), m.partition(), m.offset()
            error = m.error()
            if error is not None or topic is None or partition is None or offset is None:
                _skip_message_error(error)
                continue
            key = m.key()
            # a record without a value (never written here) reads as empty bytes: dead-lettered, not a crash
            records.append(Record(topic, partition, offset, key.decode() if key else None, m.value() or b""))
        return records

    def _messages(self, timeout_s: float, max_records: int) -> list[confluent_kafka.Message]:
        """What is fetched already, else the first record within `timeout_s` and what came with it.
        (`consume(n, timeout)` alone returns only once it has n records or the timeout passed: a
        record arriving alone would wait the whole timeout.)"""
        consume = self._consumer.consume
        messages = self._call(partial(consume, max_records, 0))
        if messages:
            return messages
        first = self._call(partial(self._consumer.poll, timeout_s))
        if first is None:
            return []
        return [first, *self._call(partial(consume, max_records - 1, 0))] if max_records > 1 else [first]

    def end_offsets(self) -> Offsets:
        """With read_committed, librdkafka's watermark query answers the last stable offset, as
        kafka-python's end_offsets did (an open transaction's records are not counted)."""
        return {(t, p): self._end_offset(t, p) for t, p in self._partitions}

    def _end_offset(self, topic: str, partition: int) -> int:
        where = confluent_kafka.TopicPartition(topic, partition)
        _low, high = self._call(lambda: self._consumer.get_watermark_offsets(where, timeout=10))
        return int(high)

    def seek(self, offsets: Offsets) -> None:
        self._consumer.assign(
            [confluent_kafka.TopicPartition(t, p, offsets.get((t, p), OFFSET_BEGINNING)) for t, p in self._partitions]
        )

    def commit(self, offsets: Offsets) -> None:
        if self._group is None:
            raise ValueError("commit needs a reader opened with a group")
        marks = [confluent_kafka.TopicPartition(t, p, o) for (t, p), o in offsets.items()]
        _checked(self._call(lambda: self._consumer.commit(offsets=marks, asynchronous=False)))

    def committed(self) -> Offsets:
        if self._group is None:
            return {}
        asked = [confluent_kafka.TopicPartition(t, p) for t, p in self._partitions]
        found = _checked(self._call(lambda: self._consumer.committed(asked, timeout=10)))
        return {(tp.topic, tp.partition): tp.offset for tp in found if tp.offset >= 0}

    def close(self) -> None:
        """Leaves nothing behind: auto-commit is off, and a reader never joins its group."""
        self._consumer.close()

    @staticmethod
    def _call(call: Callable[[], T]) -> T:
        try:
            return call()
        except confluent_kafka.KafkaException as error:
            raise LogUnavailable(f"kafka read failed: {error}") from error


def _log_reader_error(error: confluent_kafka.KafkaError) -> None:
    """librdkafka's own log line (`READER_LOG`) already tells each failed connection."""
    down = error.code() == confluent_kafka.KafkaError._ALL_BROKERS_DOWN
    READER_LOG.log(logging.WARNING if down or error.fatal() else logging.DEBUG, "kafka reader: %s", error)


def _skip_message_error(error: confluent_kafka.KafkaError | None) -> None:
    """A partition's error that came out of poll (e.g. an offset reset to the earliest, as
    kafka-python did silently): librdkafka goes on fetching, so it is logged, not raised. Only
    a fatal error (none is expected of a consumer that never joins a group) ends the reader."""
    if error is not None and error.fatal():
        raise LogUnavailable(f"kafka read failed: {error}")
    READER_LOG.warning("kafka reader skipped an error: %s", error)


def _checked(partitions: list[confluent_kafka.TopicPartition]) -> list[confluent_kafka.TopicPartition]:
    """An offset call's answer, raising LogUnavailable if any partition of it failed."""
    failed = [tp for tp in partitions if tp.error is not None]
    if failed:
        raise LogUnavailable(f"kafka offsets failed: {failed[0].topic}[{failed[0].partition}] {failed[0].error}")
    return partitions
