"""The EventLog port: an append-only, partitioned log of records keyed by stream id.

Positions are (topic, partition) -> offset of the *next* record to read, the same shape on
both adapters (SQLite has one partition per topic and uses its global row id as offset).
"""

from __future__ import annotations

import contextlib
from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from shared.events.envelope import Event

TopicPartition = tuple[str, int]
Offsets = dict[TopicPartition, int]


class ConcurrencyError(Exception):
    """The stream already has an event at the version this append expected to create.

    Raised at append time by adapters that can check it (SQLite). Kafka cannot; there the
    log order decides and the losing event is void for every reader (see `gate.StreamGate`).
    """


class LogUnavailable(Exception):
    """The log cannot be reached or did not confirm the write in time; the outcome is unknown."""


class Record(NamedTuple):
    """One raw record as stored: where it is, its key (the stream id) and its bytes.

    A named tuple: readers build one per record, and a tuple is built several times faster."""

    topic: str
    partition: int
    offset: int
    key: str | None
    value: bytes


@dataclass(frozen=True, slots=True)
class TopicSpec:
    """A topic the code creates, with its partition count and configs (strings, Kafka-style)."""

    name: str
    partitions: int = 1
    configs: dict[str, str] = field(default_factory=dict)


class LogReader(ABC):
    """Reads records of some topics in log order per partition."""

    @abstractmethod
    def poll(self, timeout_s: float, max_records: int = 1000) -> list[Record]:
        """Return the next records (possibly none after `timeout_s`)."""

    @abstractmethod
    def end_offsets(self) -> Offsets:
        """The next offset that would be written in each partition this reader reads."""

    @abstractmethod
    def seek(self, offsets: Offsets) -> None:
        """Continue from these next-offsets; partitions not named start from the beginning."""

    @abstractmethod
    def commit(self, offsets: Offsets) -> None:
        """Remember next-offsets for the reader's group (only readers opened with a group)."""

    @abstractmethod
    def committed(self) -> Offsets:
        """The group's committed next-offsets (empty when nothing was committed)."""

    @abstractmethod
    def close(self) -> None:
        """Release the reader's connections."""


class EventLog(ABC):
    """Where every fact lives. Appends are durable when `append` returns."""

    @abstractmethod
    def create_topics(self, specs: Iterable[TopicSpec]) -> None:
        """Create the topics that do not exist yet (idempotent)."""

    @abstractmethod
    def append(self, topic: str, events: Sequence[Event]) -> list[Record]:
        """Append events in order, keyed by stream id; return where each landed.

        Raises ConcurrencyError if an adapter can see the expected version is taken, and
        LogUnavailable if the write could not be confirmed.
        """

    @abstractmethod
    def append_raw(self, topic: str, key: str, value: bytes) -> Record:
        """Append bytes that are not an event (dead letters, and poison in tests)."""

    @abstractmethod
    def read_at(self, positions: Sequence[tuple[str, int, int]]) -> list[Record | None]:
        """The records stored at these (topic, partition, offset) positions (None where absent)."""

    @abstractmethod
    def end_offsets(self, topics: Iterable[str]) -> Offsets:
        """The next offset that would be written in each partition of `topics`."""

    @abstractmethod
    def open_reader(self, topics: Sequence[str], group: str | None = None) -> LogReader:
        """A reader from the beginning (or from the group's committed offsets)."""

    @abstractmethod
    def close(self) -> None:
        """Release connections; pending appends are flushed first."""

    def prepare_appends(self) -> None:  # noqa: B027 - most adapters have nothing to prepare
        """Make now (after any fork) what the first append would otherwise wait for."""


def caught_up(position: Offsets, target: Offsets) -> bool:
    """True when `position` has reached every partition offset of `target`."""
    return all(position.get(tp, 0) >= offset for tp, offset in target.items())


def close_quietly(reader: LogReader | None) -> None:
    """Close a reader that may be broken: closing it must not mask the error that broke it, and
    an unclosed Kafka reader keeps librdkafka's threads."""
    if reader is not None:
        with contextlib.suppress(Exception):
            reader.close()
