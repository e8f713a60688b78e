"""Run a workflow command: decide on the local state, append one event, wait for its verdict.

The log order decides: the event carries the version it expects to follow, and the answer is
given only once the event came back through this process's projection (read your own writes).
If the log made it void (another command won the race) the command is a Conflict.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from shared.application.nominations.book import NominationBook
from shared.domain.workflow.decider import decide
from shared.domain.workflow.errors import Conflict
from shared.domain.workflow.routes import WorkflowConfig
from shared.domain.workflow.state import Actor, Nomination
from shared.eventlog.port import EventLog, LogUnavailable
from shared.eventlog.topics import NOMINATIONS
from shared.events.envelope import Actor as EnvelopeActor
from shared.events.envelope import new_event
from shared.metrics import ServiceMetrics
from shared.readside.follower import Follower
from shared.readside.gate import Outcome
from shared.web.errors import unavailable


@dataclass
class NominationCommands:
    """Executes workflow commands against the log for one service process."""

    log: EventLog
    follower: Follower
    book: NominationBook
    workflow: WorkflowConfig
    clock: Callable[[], datetime]
    metrics: ServiceMetrics
    timeout_s: float = 15.0

    def execute(
        self, nomination_id: str, command: object, actor: Actor, correlation_id: str | None = None
    ) -> Nomination:
        """Decide, append and wait; returns the new state or raises DomainError / ApiError(503)."""
        with self.follower.changed:  # state and chain head from the same point of the fold
            state, head = self.book.get(nomination_id), self.follower.gate.head(nomination_id)
        now = self.clock()
        decision = decide(command, state, actor, now, self.workflow)
        event = new_event(
            decision.type,
            nomination_id,
            state.version if state else 0,
            decision.payload,
            EnvelopeActor(actor.id, actor.role),
            time=now,
            correlation_id=correlation_id,
            prev_hash=head,
        )
        try:
            outcome = self.follower.append_awaited(NOMINATIONS, event, self.timeout_s)
        except LogUnavailable as error:
            self.metrics.append_errors.labels(type(self.log).__name__).inc()
            raise unavailable(f"the event log is unavailable: {error}") from None
        if outcome is None:
            raise unavailable("the event was written but not yet read back; retry the read shortly")
        if outcome is not Outcome.APPLIED:
            raise Conflict("another change to this nomination came first; reload and retry")
        self.metrics.events_appended.labels(event.type).inc()
        result = self.book.get(nomination_id)
        assert result is not None
        return result
