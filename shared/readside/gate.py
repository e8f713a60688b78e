"""The version gate: the log order decides which event of a stream wins.

Every reader folds events through a gate. An event is applied only when its expected version
equals the stream's current version; otherwise it is void (a lost race) or a duplicate (the
same event id seen again). All readers fold the same per-stream order, so all agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from shared.events.envelope import Event


class Outcome(StrEnum):
    """What a reader did with one record."""

    APPLIED = "applied"
    VOID = "void"
    DUPLICATE = "duplicate"
    DEAD_LETTERED = "dead_lettered"


@dataclass
class StreamGate:
    """Per-stream versions and the ids of the events that made them.

    A stream's applied ids are kept as one text, joined by spaces: a stream has a handful of
    events, and one string costs less than half of a set or tuple of strings (the gate holds the
    ids of every event ever applied). Event ids never contain a space (see the codec).
    """

    versions: dict[str, int] = field(default_factory=dict)
    applied_ids: dict[str, str] = field(default_factory=dict)
    heads: dict[str, str] = field(default_factory=dict)

    def admit(self, event: Event) -> Outcome:
        """Decide the event's outcome and, if applied, move the stream's version on."""
        stream_id = event.stream_id
        ids = self.applied_ids.get(stream_id, "")
        if ids and event.event_id in ids and event.event_id in ids.split(" "):
            return Outcome.DUPLICATE
        if event.expected_version != self.versions.get(stream_id, 0):
            return Outcome.VOID
        self.versions[stream_id] = event.stream_version
        self.heads[stream_id] = event.digest
        self.applied_ids[stream_id] = f"{ids} {event.event_id}" if ids else event.event_id
        return Outcome.APPLIED

    def head(self, stream_id: str) -> str:
        """The digest of the stream's last applied event ("" for a new stream): the next prev_hash."""
        return self.heads.get(stream_id, "")

    def version(self, stream_id: str) -> int:
        """The stream's current version (0 if it has no applied event)."""
        return self.versions.get(stream_id, 0)

    def to_snapshot(self) -> dict:
        """A JSON-ready copy of the gate."""
        return {"versions": dict(self.versions), "heads": dict(self.heads), "applied": dict(self.applied_ids)}

    @classmethod
    def from_snapshot(cls, state: dict) -> StreamGate:
        """The gate a snapshot recorded."""
        return cls(dict(state["versions"]), dict(state["applied"]), dict(state["heads"]))
