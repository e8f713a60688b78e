"""Run a workflow command: decide on the local state, append one event, wait for its verdict.

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

from shared.application.errors import Unavailable
from shared.application.freshness import catch_up
from shared.application.nominations.book import NominationBook
from shared.application.recording import append_awaited, event_of
from shared.domain.workflow.decider import decide
from shared.domain.workflow.errors import Conflict, NotFound
from shared.domain.workflow.routes import WorkflowConfig
from shared.domain.workflow.state import Actor, Nomination
from shared.eventlog.port import LogUnavailable
from shared.eventlog.topics import NOMINATIONS
from shared.events.envelope import Event
from shared.metrics import ServiceMetrics
from shared.readside.follower import Follower
from shared.readside.gate import Outcome

ATTEMPTS = 3
"""Appends per command: a void event is decided again on the state that won, at most this often."""


@dataclass
class NominationCommands:
    """Executes workflow commands against the log for one service process."""

    follower: Follower
    book: NominationBook
    workflow: WorkflowConfig
    clock: Callable[[], datetime]
    metrics: ServiceMetrics
    timeout_s: float = 15.0

    def execute(
        self, nomination_id: str, command: object, actor: Actor, correlation_id: str | None = None
    ) -> Nomination:
        """Decide, append and wait; returns the new state or raises DomainError / Unavailable."""
        fresh = False  # caught up with the log since the last refusal or void
        for _ in range(ATTEMPTS):
            try:
                event = self._decided(nomination_id, command, actor, correlation_id)
            except (Conflict, NotFound):
                if fresh:
                    raise
                fresh = self._catch_up()
                continue
            if self._append(event) is Outcome.APPLIED:
                self.metrics.events_appended.labels(event.type).inc()
                result = self.book.get(nomination_id)
                assert result is not None
                return result
            fresh = self._catch_up()
        raise Conflict("other changes to this nomination kept coming first; reload and retry")

    def _decided(self, nomination_id: str, command: object, actor: Actor, correlation_id: str | None) -> Event:
        with self.follower.changed:  # state and chain head from the same point of the fold
            state, head = self.book.get(nomination_id), self.follower.gate.head(nomination_id)
        now = self.clock()
        decision = decide(command, state, actor, now, self.workflow)
        version = state.version if state else 0
        return event_of(decision, nomination_id, version, actor, now, prev_hash=head, correlation_id=correlation_id)

    def _append(self, event: Event) -> Outcome:
        try:
            outcome = append_awaited(self.follower, NOMINATIONS, event, self.timeout_s)
        except LogUnavailable as error:
            self.metrics.append_errors.labels(type(self.follower.log).__name__).inc()
            raise Unavailable(f"the event log is unavailable: {error}") from None
        if outcome is None:
            raise Unavailable("the event was written but not yet read back; retry the read shortly")
        return outcome

    def _catch_up(self) -> bool:
        catch_up(self.follower, "to decide on the current state")
        return True
