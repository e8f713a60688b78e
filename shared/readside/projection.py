"""What the read side asks of a projection: fold an event, and be snapshotted and restored."""

from __future__ import annotations

from typing import Any, Protocol

from shared.events.envelope import Event
from shared.readside.gate import Outcome
from shared.readside.snapshots.file import Build, Records


class Snapshottable(Protocol):
    """State a follower folds that the snapshot keeper saves and restores (a projection's, or the
    transparency log's trees, which a record follower grows)."""

    def snapshot(self) -> Build | None:
        """Called under the fold's lock: take cheap copies of the state and return a function that
        builds the snapshot state (plain values or msgspec Structs) from them outside the lock (see
        `Build`). None when the projection cannot be snapshotted (e.g. a listener keeps state the
        snapshot would not hold)."""

    def restore(self, state: dict[str, Any], records: Records) -> None:
        """Replace the state with a snapshot's (`state` as `snapshot` built it, and its records).

        Raises ValueError (and changes nothing) when the snapshot cannot be used.
        """


class Projection(Snapshottable, Protocol):
    """A fold of some topics kept in memory (NominationBook, Inbox), fed by one Follower."""

    def apply(self, event: Event, outcome: Outcome) -> None:
        """Fold one event with the gate's verdict on it; called in log order under the fold's lock."""
