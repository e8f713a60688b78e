"""The audit trail of nomination streams: every event in log order with its outcome.

Trails of closed nominations (most of a long log) are kept per stream as the log positions,
outcomes and digests of its events (`TrailEntry`), packed by msgspec (MessagePack, ~50 bytes an
entry), and their events re-read from the log when first shown.
"""

from __future__ import annotations

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
SHOWN_CACHE = 2000  # closed streams re-read from the log and kept for the next view


class Logged(NamedTuple):
    """One event of a stream as the audit trail shows it."""

    event: Event
    outcome: Outcome


class TrailEntry(Struct, array_like=True, gc=False, frozen=True):
    """Where one event of a stored trail is in the log, its outcome and the digest it had when folded."""

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
    """Trail entries kept packed per stream (from a snapshot, or of closed nominations). The
    events are re-read from the log when a stream's trail is first shown; an event whose stored
    bytes changed keeps the digest it had when folded, so verification notices."""

    def __init__(
        self, packed: dict[str, bytes] | None = None, topics: Sequence[str] = (), reread: Reread | None = None
    ) -> None:
        self.packed = packed or {}
        self.topics: dict[str, int] = {topic: i for i, topic in enumerate(topics)}
        self.reread = reread
        self._shown: dict[str, tuple[bytes, list[Logged]]] = {}  # streams shown since, by what they held

    def copy(self) -> StoredTrail:
        """A copy that the fold's later changes leave as it is (the same `reread`)."""
        return StoredTrail(dict(self.packed), list(self.topics), self.reread)

    def to_snapshot(self, live: dict[str, list[Logged]]) -> bytes:
        """Every stream's entries packed (what is stored, then the `live` entries folded since), as
        one MessagePack value (call it on a `copy` taken under the fold's lock)."""
        return _PACK_ALL(self.merged(live))

    @classmethod
    def from_snapshot(cls, packed: bytes, topics: Any, reread: Reread | None) -> StoredTrail:
        """The stored trail a snapshot recorded; a msgspec ValidationError (a ValueError) if malformed."""
        return cls(_UNPACK_ALL(packed), msgspec.convert(topics, list[str]), reread)

    def events(self, stream_id: str, packed: bytes | None) -> list[Logged]:
        if packed is None:
            return []
        shown = self._shown.get(stream_id)
        if shown is None or shown[0] != packed:
            if len(self._shown) >= SHOWN_CACHE:
                self._shown.clear()
            shown = self._shown[stream_id] = (packed, self._reread_stream(_UNPACK(packed)))
        return shown[1]

    def extend(self, stream_id: str, entries: list[Logged]) -> None:
        """Move folded trail entries of a stream to the packed form."""
        if entries:
            self.packed[stream_id] = self._joined(self.packed.get(stream_id), entries)

    def merged(self, live: dict[str, list[Logged]]) -> dict[str, bytes]:
        """Every stream packed: what was restored or closed, then what was folded since."""
        merged = dict(self.packed)
        for sid, entries in live.items():
            if entries:
                merged[sid] = self._joined(merged.get(sid), entries)
        return merged

    def _joined(self, packed: bytes | None, entries: list[Logged]) -> bytes:
        return _PACK([*(_UNPACK(packed) if packed else ()), *map(self._entry, entries)])

    def _entry(self, logged: Logged) -> TrailEntry:
        topic, partition, offset = logged.event.position or ("", 0, -1)
        index = self.topics.setdefault(topic, len(self.topics))
        return TrailEntry(index, partition, offset, logged.outcome, bytes.fromhex(logged.event.digest))

    def _reread_stream(self, entries: list[TrailEntry]) -> list[Logged]:
        if self.reread is None:
            raise RuntimeError("a stored trail needs the log's read_at to be shown")
        names = list(self.topics)
        positions = [(names[e.topic], e.partition, e.offset) for e in entries]
        records = self.reread(positions)
        shown = []
        for entry, position, record in zip(entries, positions, records, strict=True):
            event = _reread_event(record, position, entry.digest.hex())
            if event is not None:
                shown.append(Logged(event, entry.outcome))
        return shown


def _reread_event(record: Record | None, position: tuple[str, int, int], digest: str) -> Event | None:
    if record is None:
        return None
    try:
        event = decode(record.value, position=position)
    except DecodeError:
        return None
    return event if event.digest == digest else event._replace(digest=digest)
