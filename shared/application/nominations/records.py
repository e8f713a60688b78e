"""Nominations as records, and back: how a closed nomination is held, and how a snapshot keeps one.

A record is a nomination's fields as one JSON array, written and read by msgspec through
`NominationRecord`: the content embedded as the JSON it already is, the cadre and each step of the
history as arrays of their fields, times in RFC 3339 with their offset, so a value read back equals
the value written. A packed record is that array compressed (Zstandard, level 1): a closed
nomination is held packed, about 2.1 kB instead of 5 kB of objects (most of it the sealed texts),
and built again when read. `nomination_of` reads either form. (zlib at level 1 packed as small
but took 58 us a record against zstd's 13, inside the fold; unpacking 17 us against 7.)
"""

from __future__ import annotations

import threading
from datetime import datetime
from typing import Any

import msgspec
import zstandard
from msgspec import Raw, Struct

from shared.domain.personal import PersonalText
from shared.domain.workflow.state import Nomination, Person, Step
from shared.readside.snapshots.file import Records


class NominationRecord(Struct, array_like=True, gc=False):
    """The fields of `Nomination`, in its order; `content` is its JSON, embedded as it is. The
    fields public notice added come last with their defaults, so a record written before them
    still reads."""

    nomination_id: str
    version: int
    cadre: Person
    channel: str
    content: Raw
    status: str
    route: tuple[str, ...]
    step: int
    history: tuple[Step, ...]
    submitted_at: datetime
    updated_at: datetime
    withdrawal_reason: PersonalText | None
    overdue: bool
    notice_ends_at: datetime | None = None
    appointed_at: datetime | None = None
    objection_case: str | None = None
    proposer: str | None = None


_ENCODE = msgspec.json.Encoder().encode
_DECODE = msgspec.json.Decoder(NominationRecord).decode


def record_of(n: Nomination) -> bytes:
    """A nomination as one snapshot record, parsed only when first read after a restart."""
    content = Raw(n.content)
    return _ENCODE(
        NominationRecord(
            n.nomination_id, n.version, n.cadre, n.channel, content, n.status, n.route, n.step, n.history,
            n.submitted_at, n.updated_at, n.withdrawal_reason, n.overdue,
            n.notice_ends_at, n.appointed_at, n.objection_case, n.proposer,
        )
    )  # fmt: skip


def packed_record_of(n: Nomination) -> bytes:
    """A nomination's record compressed: what a closed nomination is held as (and snapshotted as)."""
    packed = _CODECS.compressor.compress(record_of(n))  # level 1: the sealed texts take no more
    # zstandard returns its output in a buffer of the worst-case size (the record's and more):
    # held for every closed nomination, that spare room was a fifth of the service's memory
    return memoryview(packed).tobytes()


def nomination_of(record: bytes) -> Nomination:
    """The nomination a record or a packed record holds (its content copied out, to its own size)."""
    r = _DECODE(record if record[:1] == b"[" else _CODECS.decompressor.decompress(record))
    return Nomination(
        r.nomination_id, r.version, r.cadre, r.channel, bytes(r.content), r.status, r.route, r.step, r.history,
        r.submitted_at, r.updated_at, r.withdrawal_reason, r.overdue,
        r.notice_ends_at, r.appointed_at, r.objection_case, r.proposer,
    )  # fmt: skip


class _Codecs(threading.local):
    """A Zstandard compressor and decompressor per thread (one may not be used by two at once)."""

    def __init__(self) -> None:
        self.compressor = zstandard.ZstdCompressor(level=1)
        self.decompressor = zstandard.ZstdDecompressor()


_CODECS = _Codecs()


class LazyNominations(dict[str, Nomination | bytes | int]):
    """nomination id -> Nomination, held built while open, packed once closed (most of a long log)
    and built again on each read; entries restored from a snapshot are built on first read.

    A restored entry is the index of its snapshot record; readers build it and swap it in (or its
    record, if closed) only if the follower has not replaced it meanwhile.
    """

    _lock = threading.Lock()

    def __init__(self, entries: Any = (), records: Records | None = None) -> None:
        super().__init__(entries)
        self.records = records if records is not None else Records()

    def __getitem__(self, key: str) -> Nomination:
        return self._read(key, dict.__getitem__(self, key))

    def get(self, key: str, default: Any = None) -> Any:
        value = dict.get(self, key, default)
        return value if value is default else self._read(key, value)

    def is_open(self, key: str) -> bool:
        """Whether the nomination is not yet closed (a packed one is closed: it is not built)."""
        value = dict.__getitem__(self, key)
        return not isinstance(value, bytes) and not self._read(key, value).is_terminal

    def values(self) -> list[Nomination]:  # type: ignore[override]
        return [self[key] for key in list(self)]

    def items(self) -> list[tuple[str, Nomination]]:  # type: ignore[override]
        return [(key, self[key]) for key in list(self)]

    def __setitem__(self, key: str, value: Nomination | bytes | int) -> None:
        """Hold a nomination (packed if it is closed), a packed record, or a snapshot record's index."""
        if type(value) is Nomination and value.is_terminal:
            value = packed_record_of(value)
        with self._lock:
            dict.__setitem__(self, key, value)

    def _read(self, key: str, value: Nomination | bytes | int) -> Nomination:
        if isinstance(value, bytes):
            return nomination_of(value)
        return self._built(key, value) if isinstance(value, int) else value

    def _built(self, key: str, index: int) -> Nomination:
        record = self.records[index]
        value = nomination_of(record)
        with self._lock:
            current = dict.get(self, key)
            if current is index:
                dict.__setitem__(self, key, record if value.is_terminal else value)
                return value
        return self[key]
