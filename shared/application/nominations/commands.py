"""Run a workflow command through the `StreamWriter` (decide on the local state, append one event,
wait for its verdict, decide again if the local state was stale): see `shared.application.writer`.
The decision's personal texts are sealed before it is recorded (`shared.application.personal`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from shared.application.nominations.book import NominationBook
from shared.application.personal import Sealer
from shared.application.recording import Decided
from shared.application.writer import StreamWriter
from shared.domain.workflow.decider import decide
from shared.domain.workflow.routes import WorkflowConfig
from shared.domain.workflow.state import Actor, Nomination
from shared.eventlog.topics import NOMINATIONS
from shared.metrics import ServiceMetrics
from shared.readside.follower import Follower


@dataclass
class NominationCommands:
    """Executes workflow commands against the log for one service process."""

    follower: Follower
    book: NominationBook
    workflow: WorkflowConfig
    clock: Callable[[], datetime]
    metrics: ServiceMetrics
    sealer: Sealer
    timeout_s: float = 15.0
    writer: StreamWriter = field(init=False)

    def __post_init__(self) -> None:
        self.writer = StreamWriter(self.follower, NOMINATIONS, self.clock, self.metrics, self.timeout_s, "nomination")

    def execute(
        self, nomination_id: str, command: object, actor: Actor, correlation_id: str | None = None
    ) -> Nomination:
        """Decide, append and wait; returns the new state or raises DomainError / Unavailable."""

        def decided(state: Nomination | None, now: datetime) -> Decided:
            decision = decide(command, state, actor, now, self.workflow)
            cadre_id = state.cadre.id if state is not None else decision.payload["cadre"]["id"]
            return self.sealer.nomination(decision.type, decision.payload, nomination_id, cadre_id)

        self.writer.record(nomination_id, lambda: self.book.get(nomination_id), decided, actor, correlation_id)
        result = self.book.get(nomination_id)
        assert result is not None
        return result
