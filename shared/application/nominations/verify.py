"""Tamper evidence: re-read a nomination's stream from the log and check its hash chain.

Every event carries `prev_hash`, the SHA-256 of the stored bytes of the stream's previous applied
event. Verification re-reads each record where the projection found it, checks it still decodes
to the same event with the same digest as when it was folded, and that the chain links up.
An altered event breaks the link to its successor, and differs from the digest folded live.

A forger who rewrites the log and re-computes the chain with the hash function alone passes
those checks after a restart. So, where the process keeps the transparency log, each event is
also anchored to the heads signed before: an event a signed head covered whose record differs
now is contradicted, and a stream in a partition that no longer matches a signed head cannot be
vouched for at all (a record of it may have been removed or inserted there).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from shared.application.nominations.trail import Logged
from shared.application.transparency import Transparency
from shared.eventlog.port import EventLog
from shared.events.codec import decode
from shared.events.errors import DecodeError
from shared.readside.gate import Outcome
from shared.transparency.ledger import NotCaughtUp


@dataclass
class Verdict:
    valid: bool = True
    events: int = 0
    head_hash: str = ""
    problems: list[dict[str, Any]] = field(default_factory=list)
    anchored: bool = False  # checked against the signed heads of a transparency log
    vouched: int = 0  # applied events a signed head covers, unchanged since
    unsigned: int = 0  # applied events after the latest signed head

    def broken(self, logged: Logged | None, reason: str) -> None:
        self.valid = False
        event = logged.event if logged is not None else None
        self.problems.append(
            {
                "event_id": event.event_id if event else None,
                "stream_version": event.stream_version if event else None,
                "reason": reason,
            }
        )


def verify_stream(event_log: EventLog, trail: list[Logged], transparency: Transparency | None = None) -> Verdict:
    """Check the stored records behind `trail` (the projection's audit trail of one stream), and
    anchor them to the signed heads of `transparency` when there is one."""
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
    if transparency is not None:
        _anchor(verdict, [entry for entry in trail if entry.outcome is Outcome.APPLIED], transparency)
    return verdict


def _anchor(verdict: Verdict, applied: list[Logged], transparency: Transparency) -> None:
    try:
        anchors = [(entry, transparency.anchor_of(entry.event.position, entry.event.digest)) for entry in applied]
        anchoring = transparency.ledger.anchoring()
    except NotCaughtUp:
        return
    verdict.anchored = True
    for entry, anchor in anchors:
        if anchor.contradicted:
            verdict.broken(entry, "the record differs from the one a signed head covered")
        verdict.vouched += anchor.status == "vouched"
        verdict.unsigned += anchor.status == "unsigned"
    for name in sorted({anchor.log_id for _, anchor in anchors}):
        divergence = anchoring.divergences.get(name)
        if divergence is not None:
            against = "a signed head" if divergence.head is not None else "the trees folded before this start"
            reason = f"the log contradicts {against}, so no event here is vouched for: {divergence.describe()}"
            verdict.broken(None, reason)


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
