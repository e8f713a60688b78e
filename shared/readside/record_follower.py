"""A follower of stored records, not events: for folds that need every record's bytes and
place but nothing of its meaning (the transparency log's trees). Nothing is decoded, gated or
dead-lettered; lifecycle, readiness and lag are the Follower's."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence

from shared.eventlog.port import EventLog, Record
from shared.events.envelope import Event
from shared.readside.follower import Follower
from shared.readside.gate import Outcome

RecordSink = Callable[[Record, bytes], None]
"""Told each record in log order (per partition) with the SHA-256 of its stored bytes."""


class RecordFollower(Follower):
    """Hands every record of `topics` to `sink` under the fold's lock, from the first offset or
    from where the snapshot of what the sink grows left off."""

    def __init__(self, event_log: EventLog, topics: Sequence[str], sink: RecordSink, *, name: str) -> None:
        super().__init__(event_log, topics, _no_events, name=name)
        self.sink = sink

    def _fold(self, records: list[Record]) -> None:
        digests = [hashlib.sha256(record.value).digest() for record in records]
        position, anchors, sink = self.position, self.anchors, self.sink
        with self.changed:
            for record, digest in zip(records, digests, strict=True):
                sink(record, digest)
                partition = (record.topic, record.partition)
                position[partition] = record.offset + 1
                anchors[partition] = (record.offset, digest.hex())


def _no_events(_event: Event, _outcome: Outcome) -> None:
    raise AssertionError("a RecordFollower decodes no event")
