"""The audit over records and heads, whatever they were read from.

`Audit.add` takes every record of the audited topics in partition order: it grows the trees
(shared.transparency) and walks each stream's hash chain through the same version gate the
services fold with, so "applied" means here what it means to them. `Audit.check_heads` then
anchors the rebuilt trees to the signed heads. Findings are ordered by when the first record
they implicate was written; the first of them is the first divergence.
"""

from __future__ import annotations

import hashlib
from array import array
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import shared.contracts  # noqa: F401 - registers every event type the log may hold
from shared.eventlog.port import Record
from shared.events.codec import decode
from shared.events.errors import DecodeError
from shared.readside.gate import Outcome, StreamGate
from shared.transparency.anchor import anchor
from shared.transparency.forest import Forest
from shared.transparency.heads import HeadVerifier, InvalidHead, SignedHead
from shared.transparency.leaves import log_id, parse_log_id

UNKNOWN_TIME = 2**62  # sorts after every real time
Reread = Callable[[str, int, int], bytes | None]
"""The stored bytes at (topic, partition, offset), or None."""


@dataclass(frozen=True)
class Finding:
    """One divergence: what broke, where in the log, and against which head (if one)."""

    kind: str  # "chain" | "head" | "signature"
    message: str
    log_id: str = ""
    leaf: int | None = None
    offset: int | None = None
    event: dict[str, Any] | None = None
    head: SignedHead | None = None
    written_at: int = UNKNOWN_TIME  # ms; orders findings

    def to_json(self) -> dict[str, Any]:
        head = None if self.head is None else {"tree_size": self.head.tree_size, "timestamp": self.head.timestamp}
        return {
            "kind": self.kind,
            "message": self.message,
            "log_id": self.log_id,
            "leaf": self.leaf,
            "offset": self.offset,
            "event": self.event,
            "head": head,
        }


class Audit:
    """Rebuilds the trees and checks the chains of the records it is given, then the heads."""

    def __init__(self) -> None:
        self.forest = Forest()
        self.gate = StreamGate()
        self.findings: list[Finding] = []
        self.records = self.events = self.undecodable = self.heads = 0
        self._times: dict[str, array] = {}  # per log: ms of each leaf's event (UNKNOWN_TIME if none)
        self._broken: set[str] = set()  # streams whose first break is reported

    def add(self, record: Record) -> None:
        name = log_id(record.topic, record.partition)
        leaf = self.forest.add(record.topic, record.partition, record.offset, hashlib.sha256(record.value).digest())
        self.records += 1
        try:
            event = decode(record.value, position=(record.topic, record.partition, record.offset))
        except DecodeError:
            self.undecodable += 1  # the services dead-letter it too; its leaf still covers it
            self._note_time(name, leaf, UNKNOWN_TIME)
            return
        self.events += 1
        self._note_time(name, leaf, int(event.time.timestamp() * 1000))
        previous = self.gate.head(event.stream_id)
        if self.gate.admit(event) is Outcome.APPLIED and event.prev_hash != previous:
            self._chain_broken(name, leaf, record, event, previous)

    def _note_time(self, name: str, leaf: int, ms: int) -> None:
        times = self._times.setdefault(name, array("q"))
        if leaf == len(times):  # not a record seen again
            times.append(ms)

    def _chain_broken(self, name: str, leaf: int, record: Record, event, previous: str) -> None:
        if event.stream_id in self._broken:
            return
        self._broken.add(event.stream_id)
        message = (
            f"stream {event.stream_id}: event {event.event_id} (version {event.stream_version}) names "
            f"prev_hash {event.prev_hash[:16] or '(none)'}…, but the previous applied event hashes to "
            f"{previous[:16] or '(none: genesis)'}…: that event or this one was changed after it was written"
        )
        self.findings.append(
            Finding("chain", message, name, leaf, record.offset, _brief(event), None, self._times[name][leaf])
        )

    def check_heads(self, heads: list[SignedHead], verifier: HeadVerifier, reread: Reread | None = None) -> None:
        """Verify each head's signature, then anchor the rebuilt trees to the heads that verified;
        `reread` fetches the record a divergence starts at again, to name its event."""
        signed = []
        for head in heads:
            self.heads += 1
            try:
                verifier.verify(head)
                signed.append(head)
            except InvalidHead as error:
                self.findings.append(Finding("signature", f"head of size {head.tree_size}: {error}", head=head))
        for divergence in anchor(self.forest, signed).divergences.values():
            times = self._times.get(divergence.log_id, array("q"))
            leaf = divergence.first_leaf
            known = leaf < len(times)
            written = times[leaf] if known else divergence.signed_at
            offset = self.forest.offset_at(divergence.log_id, leaf) if known else None
            event = _event_at(reread, divergence.log_id, offset) if offset is not None and reread else None
            self.findings.append(
                Finding("head", divergence.describe(), divergence.log_id, leaf, offset, event, divergence.head, written)
            )

    def ordered(self) -> list[Finding]:
        """The findings by when the first record they implicate was written (then log and leaf)."""
        return sorted(self.findings, key=lambda f: (f.written_at, f.log_id, f.leaf or 0))

    def first(self) -> Finding | None:
        ordered = self.ordered()
        return ordered[0] if ordered else None


def _event_at(reread: Reread, name: str, offset: int) -> dict[str, Any] | None:
    topic, partition = parse_log_id(name)
    value = reread(topic, partition, offset)
    try:
        return _brief(decode(value)) if value is not None else None
    except DecodeError:
        return None


def _brief(event) -> dict[str, Any]:
    return {
        "event_id": event.event_id,
        "type": event.type,
        "stream_id": event.stream_id,
        "stream_version": event.stream_version,
        "time": event.time.isoformat(),
    }
