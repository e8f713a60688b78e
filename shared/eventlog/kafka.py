"""KafkaEventLog: the log on a real Apache Kafka broker (kafka-python 3).

Clients are created lazily, on first use, so a gunicorn worker creates its own after the fork.
The producer is idempotent with acks=all; an append returns only once the broker confirmed it.
Kafka has no conditional append: expected versions are checked by the readers (`gate`).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterable, Sequence
from typing import Any

from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer, TopicPartition
from kafka.errors import KafkaError
from kafka.structs import OffsetAndMetadata

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
    """Reads every partition of its topics by manual assignment; a group only stores offsets."""

    def __init__(self, bootstrap: str, topics: Sequence[str], group: str | None, client_id: str) -> None:
        self._group = group
        self._consumer = KafkaConsumer(
            bootstrap_servers=bootstrap,
            client_id=client_id,
            group_id=group,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            fetch_max_wait_ms=FETCH_MAX_WAIT_MS,
            max_partition_fetch_bytes=4 * 1024 * 1024,
            isolation_level="read_committed",
            metrics_enabled=False,
        )
        self._partitions = _partitions_of(self._consumer, topics)
        self._consumer.assign(self._partitions)
        self.seek(self.committed())

    def poll(self, timeout_s: float, max_records: int = 1000) -> list[Record]:
        batches = self._consumer.poll(timeout_ms=int(timeout_s * 1000), max_records=max_records)
        return [
            Record(m.topic, m.partition, m.offset, m.key.decode() if m.key else None, m.value)
            for messages in batches.values()
            for m in messages
        ]

    def end_offsets(self) -> Offsets:
        ends = self._consumer.end_offsets(self._partitions, timeout_ms=10000)
        return {(tp.topic, tp.partition): offset for tp, offset in ends.items()}

    def seek(self, offsets: Offsets) -> None:
        for tp in self._partitions:
            offset = offsets.get((tp.topic, tp.partition))
            if offset is None:
                self._consumer.seek_to_beginning(tp)
            else:
                self._consumer.seek(tp, offset)

    def commit(self, offsets: Offsets) -> None:
        if self._group is None:
            raise ValueError("commit needs a reader opened with a group")
        self._consumer.commit({TopicPartition(t, p): OffsetAndMetadata(o, "", -1) for (t, p), o in offsets.items()})

    def committed(self) -> Offsets:
        if self._group is None:
            return {}
        found = {}
        for tp in self._partitions:
            offset = self._consumer.committed(tp)
            if offset is not None:
                found[(tp.topic, tp.partition)] = offset
        return found

    def close(self) -> None:
        self._consumer.close(autocommit=False)
