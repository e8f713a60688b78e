"""InMemoryEventLog: the log in this process's memory, for unit tests and tools.

It behaves like the Kafka adapter: topics have partitions (a stream's key picks one), offsets
count per partition, and any expected version is stored: the readers' gate voids the loser of a
race. Events are stored encoded, so readers decode the same bytes the real logs hold. Appends
wake waiting readers at once.
"""

from __future__ import annotations

import threading
import time
import zlib
from collections.abc import Iterable, Sequence

from shared.eventlog.port import EventLog, LogReader, LogUnavailable, Offsets, Record, TopicPartition, TopicSpec
from shared.events.codec import encode
from shared.events.envelope import Event


class InMemoryEventLog(EventLog):
    """The EventLog as lists of records per partition, shared by every reader of this object."""

    def __init__(self) -> None:
        self._partitions: dict[str, list[list[Record]]] = {}
        self._committed: dict[tuple[str, TopicPartition], int] = {}
        self._closed = False
        self.appended = threading.Condition()

    def create_topics(self, specs: Iterable[TopicSpec]) -> None:
        with self.appended:
            for spec in specs:
                self._partitions.setdefault(spec.name, [[] for _ in range(spec.partitions)])

    def append(self, topic: str, events: Sequence[Event]) -> list[Record]:
        return self._store(topic, [(event.stream_id, encode(event)) for event in events])

    def append_raw(self, topic: str, key: str, value: bytes) -> Record:
        return self._store(topic, [(key, value)])[0]

    def _store(self, topic: str, items: list[tuple[str, bytes]]) -> list[Record]:
        with self.appended:
            partitions = self._topic(topic)
            landed = []
            for key, value in items:
                partition = zlib.crc32(key.encode()) % len(partitions)
                records = partitions[partition]
                records.append(Record(topic, partition, len(records), key, value))
                landed.append(records[-1])
            self.appended.notify_all()
            return landed

    def _topic(self, topic: str) -> list[list[Record]]:
        if self._closed:
            raise LogUnavailable("the in-memory log is closed")
        partitions = self._partitions.get(topic)
        if partitions is None:
            raise LogUnavailable(f"topic {topic} does not exist (not created?)")
        return partitions

    def read_at(self, positions: Sequence[tuple[str, int, int]]) -> list[Record | None]:
        with self.appended:
            return [self._at(topic, partition, offset) for topic, partition, offset in positions]

    def _at(self, topic: str, partition: int, offset: int) -> Record | None:
        partitions = self._partitions.get(topic, [])
        if partition >= len(partitions) or not 0 <= offset < len(partitions[partition]):
            return None
        return partitions[partition][offset]

    def end_offsets(self, topics: Iterable[str]) -> Offsets:
        with self.appended:
            return {(t, p): len(records) for t in topics for p, records in enumerate(self._topic(t))}

    def open_reader(self, topics: Sequence[str], group: str | None = None) -> LogReader:
        return InMemoryLogReader(self, topics, group)

    def close(self) -> None:
        with self.appended:
            self._closed = True

    # -- for the readers ---------------------------------------------------------------------
    def records_after(self, position: Offsets, max_records: int) -> list[Record]:
        """Up to `max_records` records at or after `position`, partition by partition."""
        found: list[Record] = []
        for (topic, partition), offset in position.items():
            found.extend(self._partitions[topic][partition][offset : offset + max_records - len(found)])
        return found

    def commit(self, group: str, offsets: Offsets) -> None:
        with self.appended:
            self._committed.update({(group, tp): offset for tp, offset in offsets.items()})

    def committed(self, group: str, partitions: Iterable[TopicPartition]) -> Offsets:
        with self.appended:
            return {tp: self._committed[(group, tp)] for tp in partitions if (group, tp) in self._committed}


class InMemoryLogReader(LogReader):
    """Reads every partition of its topics from the beginning (or the group's committed offsets)."""

    def __init__(self, log: InMemoryEventLog, topics: Sequence[str], group: str | None) -> None:
        self._log = log
        self._group = group
        self._next: Offsets = {tp: 0 for tp in log.end_offsets(topics)}
        self._next.update(self.committed())

    def poll(self, timeout_s: float, max_records: int = 1000) -> list[Record]:
        deadline = time.monotonic() + timeout_s
        with self._log.appended:
            while True:
                records = self._log.records_after(self._next, max_records)
                remaining = deadline - time.monotonic()
                if records or remaining <= 0:
                    break
                self._log.appended.wait(remaining)
        for record in records:
            self._next[(record.topic, record.partition)] = record.offset + 1
        return records

    def end_offsets(self) -> Offsets:
        return self._log.end_offsets({topic for topic, _ in self._next})

    def seek(self, offsets: Offsets) -> None:
        self._next = {tp: offsets.get(tp, 0) for tp in self._next}

    def commit(self, offsets: Offsets) -> None:
        if self._group is None:
            raise ValueError("commit needs a reader opened with a group")
        self._log.commit(self._group, offsets)

    def committed(self) -> Offsets:
        return {} if self._group is None else self._log.committed(self._group, self._next)

    def close(self) -> None:
        """Nothing to release."""
