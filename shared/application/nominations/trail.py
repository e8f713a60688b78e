"""The audit trail of nomination streams: every event in log order with its outcome.

A trail is kept as the log positions, outcomes and digests of its events (`TrailEntry`, ~50 bytes
an entry), never as the events: they are re-read from the log when the trail is shown. An open
stream's entries are kept as a list while it grows; a closed stream's (most of a long log) are
packed by msgspec (MessagePack), as a snapshot holds every stream's.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

import msgspec
from msgspec import Struct

from shared.eventlog.port import Record
from shared.events.codec import decode
from shared.events.envelope import Event
from shared.events.errors import DecodeError
from shared.readside.gate import Outcome

Reread = Callable[[Sequence[tuple[str, int, int]]], list[Record | None]]
"""The log's `read_at`: the records stored at (topic, partition, offset) positions."""
SHOWN_CACHE = 2000  # streams re-read from the log and kept for the next view


class Logged(NamedTuple):
    """One event of a stream as the audit trail shows it."""

    event: Event
    outcome: Outcome


class TrailEntry(Struct, array_like=True, gc=False, frozen=True):
    """Where one event of a trail is in the log, its outcome and the digest it had when folded."""

    topic: int
    """index into the trail's topic names"""
    partition: int
    offset: int
    outcome: Outcome
    digest: bytes
    """SHA-256 of the stored bytes (raw, not hex)"""


_PACK = msgspec.msgpack.Encoder().encode
_UNPACK = msgspec.msgpack.Decoder(list[TrailEntry]).decode
_PACK_ALL = _PACK
_UNPACK_ALL = msgspec.msgpack.Decoder(dict[str, bytes]).decode


class StoredTrail:
    """The trail entries of every stream: packed (closed streams, and all a snapshot restored),
    then live (folded since, of streams still open). One thread folds (`add`, `close`), any may
    read (`events`). The events are re-read from the log when a stream's trail is shown; an event
    whose stored bytes changed keeps the digest it had when folded, so verification notices."""

    def __init__(self, reread: Reread, packed: dict[str, bytes] | None = None, topics: Sequence[str] = ()) -> None:
        self.reread = reread
        self.packed = packed or {}
        self.live: dict[str, list[TrailEntry]] = {}
        self.topics: dict[str, int] = {topic: i for i, topic in enumerate(topics)}
        self._lock = threading.Lock()  # a stream moves from live to packed in two steps
        self._shown: dict[str, tuple[list[TrailEntry], list[Logged | None]]] = {}  # by what they held

    def add(self, event: Event, outcome: Outcome) -> None:
        """Keep where a folded event is (its stream's live entries)."""
        topic, partition, offset = event.position or ("", 0, -1)
        index = self.topics.setdefault(topic, len(self.topics))
        entry = TrailEntry(index, partition, offset, outcome, bytes.fromhex(event.digest))
        live = self.live.get(event.stream_id)
        if live is None:
            self.live[event.stream_id] = [entry]
        else:
            live.append(entry)

    def close(self, stream_id: str) -> None:
        """Pack a stream's live entries (its nomination is closed: it will hardly grow again)."""
        with self._lock:
            live = self.live.pop(stream_id, None)
            if live:
                self.packed[stream_id] = _joined(self.packed.get(stream_id), live)

    def entries(self, stream_id: str) -> list[TrailEntry]:
        """The stream's entries in log order."""
        with self._lock:
            packed, live = self.packed.get(stream_id), list(self.live.get(stream_id, ()))
        return [*(_UNPACK(packed) if packed else ()), *live]

    def events(self, stream_id: str) -> list[Logged]:
        """The stream's events in log order, re-read from the log (those shown before, once)."""
        entries = self.entries(stream_id)
        if not entries:
            return []
        seen, shown = self._shown.get(stream_id, ([], []))
        if entries[: len(seen)] != seen:  # not what the stream held then (a restore, a reread log)
            seen, shown = [], []
        shown = [*shown, *self._reread(entries[len(seen) :])]
        if len(self._shown) >= SHOWN_CACHE:
            self._shown.clear()
        self._shown[stream_id] = (entries, shown)
        return [logged for logged in shown if logged is not None]

    def copy(self) -> StoredTrail:
        """A copy that the fold's later changes leave as it is (the same `reread`)."""
        copied = StoredTrail(self.reread, dict(self.packed), list(self.topics))
        copied.live = {stream: list(entries) for stream, entries in self.live.items()}
        return copied

    def to_snapshot(self) -> bytes:
        """Every stream's entries packed, as one MessagePack value (call it on a `copy` taken
        under the fold's lock)."""
        merged = dict(self.packed)
        for stream, live in self.live.items():
            if live:
                merged[stream] = _joined(merged.get(stream), live)
        return _PACK_ALL(merged)

    @classmethod
    def from_snapshot(cls, packed: bytes, topics: Any, reread: Reread) -> StoredTrail:
        """The trail a snapshot recorded; a msgspec ValidationError (a ValueError) if malformed."""
        return cls(reread, _UNPACK_ALL(packed), msgspec.convert(topics, list[str]))

    def _reread(self, entries: list[TrailEntry]) -> list[Logged | None]:
        if not entries:
            return []
        names = list(self.topics)
        positions = [(names[e.topic], e.partition, e.offset) for e in entries]
        records = self.reread(positions)
        return [
            _reread_event(record, position, entry)
            for entry, position, record in zip(entries, positions, records, strict=True)
        ]


def _joined(packed: bytes | None, entries: list[TrailEntry]) -> bytes:
    return _PACK([*(_UNPACK(packed) if packed else ()), *entries])


def _reread_event(record: Record | None, position: tuple[str, int, int], entry: TrailEntry) -> Logged | None:
    if record is None:
        return None
    try:
        event = decode(record.value, position=position)
    except DecodeError:
        return None
    digest = entry.digest.hex()
    return Logged(event if event.digest == digest else event._replace(digest=digest), entry.outcome)
