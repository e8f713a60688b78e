"""The version gate: the log order decides which event of a stream wins.

Every reader folds events through a gate. An event is applied only when its expected version
equals the stream's current version; otherwise it is void (a lost race) or a duplicate (the
same event id seen again). All readers fold the same per-stream order, so all agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

import msgspec
from msgspec import Struct

from shared.events.envelope import Event


class Outcome(StrEnum):
    """What a reader did with one record."""

    APPLIED = "applied"
    VOID = "void"
    DUPLICATE = "duplicate"
    DEAD_LETTERED = "dead_lettered"


class StreamState(Struct, array_like=True, gc=False, frozen=True):
    """Where one stream stands: its version, the digest of its last applied event and the ids of
    its applied events. Kept small, as the gate holds one per stream of the whole log: the digest
    raw (32 bytes), the ids (a handful, in order) as one MessagePack value, each as `id_key` has it."""

    version: int
    head: bytes
    """SHA-256 of the stored bytes of the last applied event, raw (b"" for a new stream)"""
    ids: bytes
    """`tuple[bytes | str, ...]` of `id_key`s packed by msgspec (`applied_ids` reads it)"""


def id_key(event_id: str) -> bytes | str:
    """An event id as the gate keeps it: a uuid's 32 hex digits as its 16 bytes, any other id as it is."""
    if len(event_id) == 32:
        try:
            raw = bytes.fromhex(event_id)
        except ValueError:
            return event_id
        if raw.hex() == event_id:  # lower case, no spaces: it reads back the same
            return raw
    return event_id


def _id_of(key: bytes | str) -> str:
    return key.hex() if isinstance(key, bytes) else key


_PACK_IDS = msgspec.msgpack.Encoder().encode
_UNPACK_IDS = msgspec.msgpack.Decoder().decode  # bin -> bytes, str -> str (msgspec types no such union)
_NEW_STREAM = StreamState(0, b"", _PACK_IDS(()))


@dataclass
class StreamGate:
    """The state of every stream that has an applied event. A snapshot holds `streams` as it is
    (encoded by msgspec); an admission replaces a stream's state, never changes it, so a copy of
    the dict is a copy of the gate."""

    streams: dict[str, StreamState] = field(default_factory=dict)

    def admit(self, event: Event) -> Outcome:
        """Decide the event's outcome and, if applied, move the stream's version on."""
        stream = self.streams.get(event.stream_id, _NEW_STREAM)
        ids, key = _UNPACK_IDS(stream.ids), id_key(event.event_id)
        if key in ids:
            return Outcome.DUPLICATE
        if event.expected_version != stream.version:
            return Outcome.VOID
        head, packed = bytes.fromhex(event.digest), _PACK_IDS((*ids, key))
        self.streams[event.stream_id] = StreamState(event.stream_version, head, packed)
        return Outcome.APPLIED

    def applied_ids(self, stream_id: str) -> tuple[str, ...]:
        """The ids of the stream's applied events, in order."""
        return tuple(map(_id_of, _UNPACK_IDS(self.streams.get(stream_id, _NEW_STREAM).ids)))

    def head(self, stream_id: str) -> str:
        """The digest of the stream's last applied event ("" for a new stream): the next prev_hash."""
        return self.streams.get(stream_id, _NEW_STREAM).head.hex()

    def version(self, stream_id: str) -> int:
        """The stream's current version (0 if it has no applied event)."""
        return self.streams.get(stream_id, _NEW_STREAM).version

    def copy(self) -> StreamGate:
        """A copy that later admissions to this gate leave as it is."""
        return StreamGate(dict(self.streams))

    def to_snapshot(self) -> bytes:
        """The gate as a snapshot holds it: `streams` packed by msgspec (MessagePack), read back
        straight into typed values (of a `copy`, if admissions may run meanwhile)."""
        return _PACK(self.streams)

    @classmethod
    def from_snapshot(cls, packed: bytes) -> StreamGate:
        """The gate a snapshot recorded; a msgspec ValidationError (a ValueError) if malformed."""
        return cls(_UNPACK(packed))


_PACK = msgspec.msgpack.Encoder().encode
_UNPACK = msgspec.msgpack.Decoder(dict[str, StreamState]).decode
