"""A log whose readers can be held back: a slow follower (another worker behind the log)."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence

from shared.eventlog.port import EventLog, LogReader, Offsets, Record, TopicSpec
from shared.events.envelope import Event

HOLD_AT_MOST_S = 30.0


class HeldLog(EventLog):
    """Every call goes to `log`, but while held the readers opened here see nothing new."""

    def __init__(self, log: EventLog) -> None:
        self.log = log
        self.released = threading.Event()
        self.released.set()

    def hold(self) -> None:
        self.released.clear()

    def release(self) -> None:
        self.released.set()

    def release_after(self, seconds: float) -> None:
        threading.Timer(seconds, self.release).start()

    def create_topics(self, specs: Iterable[TopicSpec]) -> None:
        self.log.create_topics(specs)

    def append(self, topic: str, events: Sequence[Event]) -> list[Record]:
        return self.log.append(topic, events)

    def append_raw(self, topic: str, key: str, value: bytes) -> Record:
        return self.log.append_raw(topic, key, value)

    def read_at(self, positions: Sequence[tuple[str, int, int]]) -> list[Record | None]:
        return self.log.read_at(positions)

    def end_offsets(self, topics: Iterable[str]) -> Offsets:
        return self.log.end_offsets(topics)

    def open_reader(self, topics: Sequence[str], group: str | None = None) -> LogReader:
        return HeldReader(self.log.open_reader(topics, group), self.released)

    def close(self) -> None:
        self.log.close()


class HeldReader(LogReader):
    def __init__(self, reader: LogReader, released: threading.Event) -> None:
        self.reader = reader
        self.released = released

    def poll(self, timeout_s: float, max_records: int = 1000) -> list[Record]:
        if not self.released.wait(timeout_s):
            return []
        records = self.reader.poll(timeout_s, max_records)
        self.released.wait(HOLD_AT_MOST_S)  # what came while it was held waits with it
        return records

    def end_offsets(self) -> Offsets:
        return self.reader.end_offsets()

    def seek(self, offsets: Offsets) -> None:
        self.reader.seek(offsets)

    def commit(self, offsets: Offsets) -> None:
        self.reader.commit(offsets)

    def committed(self) -> Offsets:
        return self.reader.committed()

    def close(self) -> None:
        self.reader.close()
