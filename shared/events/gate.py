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
    """Per-stream versions and the ids of the events that made them."""

    versions: dict[str, int] = field(default_factory=dict)
    applied_ids: dict[str, set[str]] = field(default_factory=dict)
    heads: dict[str, str] = field(default_factory=dict)

    def admit(self, event: Event) -> Outcome:
        """Decide the event's outcome and, if applied, move the stream's version on."""
        ids = self.applied_ids.get(event.stream_id)
        if ids is None or type(ids) is str:  # a stream restored from a snapshot keeps its ids as text
            ids = self.applied_ids[event.stream_id] = set(ids.split()) if ids else set()
        if event.event_id in ids:
            return Outcome.DUPLICATE
        if event.expected_version != self.versions.get(event.stream_id, 0):
            return Outcome.VOID
        self.versions[event.stream_id] = event.stream_version
        self.heads[event.stream_id] = event.digest
        ids.add(event.event_id)
        return Outcome.APPLIED

    def head(self, stream_id: str) -> str:
        """The digest of the stream's last applied event ("" for a new stream): the next prev_hash."""
        return self.heads.get(stream_id, "")

    def version(self, stream_id: str) -> int:
        """The stream's current version (0 if it has no applied event)."""
        return self.versions.get(stream_id, 0)

    def to_snapshot(self) -> dict:
        """A JSON-ready copy of the gate (event ids of a stream joined by spaces)."""
        applied = {sid: ids if type(ids) is str else " ".join(ids) for sid, ids in self.applied_ids.items()}
        return {"versions": dict(self.versions), "heads": dict(self.heads), "applied": applied}

    @classmethod
    def from_snapshot(cls, state: dict) -> StreamGate:
        """The gate a snapshot recorded; ids stay text until the stream sees its next event."""
        return cls(dict(state["versions"]), dict(state["applied"]), dict(state["heads"]))
