"""Run a supervision command through the `StreamWriter` (decide on the local state, append one
event, wait for its verdict, decide again if the local state was stale): see
`shared.application.writer`. Cases and units' commitments are streams of the cases topic. A
case decision's texts about people are sealed before it is recorded (`shared.application.personal`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from shared.application.cases.book import CaseBook
from shared.application.personal import Sealer
from shared.application.recording import Decided
from shared.application.writer import StreamWriter
from shared.contracts.topics import CASES
from shared.domain.supervision.commands import PublishCommitment
from shared.domain.supervision.commitments import decide_commitment
from shared.domain.supervision.config import Deadline, SupervisionConfig
from shared.domain.supervision.decider import decide
from shared.domain.supervision.events import commitment_stream
from shared.domain.supervision.state import Actor, Case, Commitment
from shared.metrics import ServiceMetrics
from shared.readside.follower import Follower


@dataclass
class CaseCommands:
    """Executes supervision commands against the log for one service process."""

    follower: Follower
    book: CaseBook
    config: SupervisionConfig
    deadline: Deadline
    clock: Callable[[], datetime]
    metrics: ServiceMetrics
    sealer: Sealer
    timeout_s: float = 15.0
    writer: StreamWriter = field(init=False)

    def __post_init__(self) -> None:
        self.writer = StreamWriter(self.follower, CASES, self.clock, self.metrics, self.timeout_s, "case")

    def execute(self, case_id: str, command: object, actor: Actor, correlation_id: str | None = None) -> Case:
        """Decide, append and wait; the case after the event, or DomainError / Unavailable."""

        def decided(state: Any, now: datetime) -> Decided:
            decision = decide(command, state, actor, now, deadline=self.deadline, config=self.config)
            return self.sealer.case(decision.type, decision.payload, case_id)

        self.writer.record(case_id, lambda: self.book.get(case_id), decided, actor, correlation_id)
        case = self.book.get(case_id)
        assert case is not None
        return case

    def publish(self, command: PublishCommitment, actor: Actor, correlation_id: str | None = None) -> Commitment:
        """Publish a unit's commitment (its own stream)."""

        def decided(state: Any, now: datetime) -> Decided:
            return decide_commitment(command, state, actor)

        state_of = lambda: self.book.commitments.get(command.unit)  # noqa: E731 - read under the lock
        self.writer.record(commitment_stream(command.unit), state_of, decided, actor, correlation_id)
        return self.book.commitments[command.unit]
