"""Tamper evidence: re-read a nomination's stream from the log and check its hash chain.

Every event carries `prev_hash`, the SHA-256 of the stored bytes of the stream's previous applied
event. Verification re-reads each record where the projection found it, checks it still decodes
to the same event with the same digest as when it was folded, and that the chain links up.
An altered event breaks the link to its successor, and differs from the digest folded live.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from shared.application.nominations.trail import Logged
from shared.eventlog.port import EventLog
from shared.events.codec import decode
from shared.events.errors import DecodeError
from shared.readside.gate import Outcome


@dataclass
class Verdict:
    valid: bool = True
    events: int = 0
    head_hash: str = ""
    problems: list[dict[str, Any]] = field(default_factory=list)

    def broken(self, logged: Logged, reason: str) -> None:
        self.valid = False
        self.problems.append(
            {"event_id": logged.event.event_id, "stream_version": logged.event.stream_version, "reason": reason}
        )


def verify_stream(event_log: EventLog, trail: list[Logged]) -> Verdict:
    """Check the stored records behind `trail` (the projection's audit trail of one stream)."""
    verdict = Verdict()
    positions = [entry.event.position for entry in trail]
    stored = event_log.read_at([p for p in positions if p is not None])
    by_position = {(r.topic, r.partition, r.offset): r for r in stored if r is not None}
    head = ""
    for entry in trail:
        if entry.outcome is not Outcome.APPLIED:
            continue
        verdict.events += 1
        head = _check(entry, by_position.get(entry.event.position) if entry.event.position else None, head, verdict)
    verdict.head_hash = head
    return verdict


def _check(entry: Logged, record, head: str, verdict: Verdict) -> str:
    if record is None:
        verdict.broken(entry, "the stored record is missing")
        return entry.event.digest
    try:
        stored = decode(record.value)
    except DecodeError as error:
        verdict.broken(entry, f"the stored record no longer decodes: {error.reason}")
        return entry.event.digest
    if stored.digest != entry.event.digest or stored.event_id != entry.event.event_id:
        verdict.broken(entry, "the stored record changed since it was read")
    if stored.prev_hash != head:
        verdict.broken(entry, "prev_hash does not match the previous event's hash")
    return stored.digest
