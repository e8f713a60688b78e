"""Decide on the local state, append the one event, wait for the log's verdict; decide again when
the local state was stale. The loop every command handler of the system runs.

The log order decides: the event carries the version it expects to follow, and the answer is
given only once the event came back through this process's projection (read your own writes).

The local state may be stale: another process (a second gunicorn worker, a replica) may have
appended to the stream a moment ago. So a refusal that staleness could explain (Conflict,
NotFound), and an event the log made void, are not the answer yet: the command is decided again
once this process has caught up with the log's end, and that decision is the answer. A void
event means another change came first; deciding again on the state it made gives the refusal the
command now meets (e.g. "stale"), or records the command after that change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from shared.application.errors import Unavailable
from shared.application.freshness import catch_up
from shared.application.recording import Acting, Decided, append_awaited, event_of
from shared.domain.workflow.errors import Conflict, NotFound
from shared.eventlog.port import LogUnavailable
from shared.events.envelope import Event
from shared.metrics import ServiceMetrics
from shared.readside.follower import Follower
from shared.readside.gate import Outcome

ATTEMPTS = 3
"""Appends per command: a void event is decided again on the state that won, at most this often."""


class Versioned(Protocol):
    """A folded stream state: the number of events applied to it."""

    @property
    def version(self) -> int: ...


StateOf = Callable[[], Versioned | None]
"""Reads the stream's current state from the projection (under the follower's lock)."""
Decide = Callable[[Any, datetime], Decided]
"""Decides the one event on a state at a time, or raises a DomainError."""


@dataclass
class StreamWriter:
    """Records decided events on one topic for one service process."""

    follower: Follower
    topic: str
    clock: Callable[[], datetime]
    metrics: ServiceMetrics
    timeout_s: float = 15.0
    what: str = "stream"

    def record(
        self, stream_id: str, state_of: StateOf, decided: Decide, actor: Acting, correlation_id: str | None = None
    ) -> None:
        """Decide, append and wait until the event is applied; DomainError or Unavailable otherwise."""
        fresh = False  # caught up with the log since the last refusal or void
        for _ in range(ATTEMPTS):
            try:
                event = self._event(stream_id, state_of, decided, actor, correlation_id)
            except (Conflict, NotFound):
                if fresh:
                    raise
                fresh = self._catch_up()
                continue
            if self._append(event) is Outcome.APPLIED:
                self.metrics.events_appended.labels(event.type).inc()
                return
            fresh = self._catch_up()
        raise Conflict(f"other changes to this {self.what} kept coming first; reload and retry")

    def _event(
        self, stream_id: str, state_of: StateOf, decided: Decide, actor: Acting, correlation_id: str | None
    ) -> Event:
        with self.follower.changed:  # state and chain head from the same point of the fold
            state, head = state_of(), self.follower.gate.head(stream_id)
        now = self.clock()
        decision = decided(state, now)
        version = state.version if state else 0
        return event_of(decision, stream_id, version, actor, now, prev_hash=head, correlation_id=correlation_id)

    def _append(self, event: Event) -> Outcome:
        try:
            outcome = append_awaited(self.follower, self.topic, event, self.timeout_s)
        except LogUnavailable as error:
            self.metrics.append_errors.labels(type(self.follower.log).__name__).inc()
            raise Unavailable(f"the event log is unavailable: {error}") from None
        if outcome is None:
            raise Unavailable("the event was written but not yet read back; retry the read shortly")
        return outcome

    def _catch_up(self) -> bool:
        catch_up(self.follower, "to decide on the current state")
        return True
