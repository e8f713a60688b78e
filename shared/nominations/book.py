"""NominationBook: every nomination folded from the log, with the indexes the APIs read.

It is the Follower's handler: `apply(event, outcome)` is called with every event of the
nominations topic in log order. Only applied events change state; void ones are kept in the
audit trail marked as such.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from shared.events.envelope import Event
from shared.events.gate import Outcome
from shared.workflow.evolution import evolve, fold
from shared.workflow.queue import queue_order, waiting_for
from shared.workflow.routes import STAGE_ROLES
from shared.workflow.state import IN_REVIEW, Nomination


@dataclass(frozen=True, slots=True)
class Logged:
    """One event of a stream as the audit trail shows it."""

    event: Event
    outcome: Outcome


class NominationBook:
    """In-memory projection of the nominations topic."""

    def __init__(self) -> None:
        self.nominations: dict[str, Nomination] = {}
        self.trail: dict[str, list[Logged]] = defaultdict(list)
        self.by_cadre: dict[str, list[str]] = defaultdict(list)
        self.waiting: dict[str, set[str]] = defaultdict(set)  # reviewer role -> in-review ids
        self.listeners: list = []

    def apply(self, event: Event, outcome: Outcome) -> None:
        """Fold one event (Follower handler)."""
        if outcome is Outcome.DUPLICATE:
            return
        self.trail[event.stream_id].append(Logged(event, outcome))
        if outcome is not Outcome.APPLIED:
            return
        before = self.nominations.get(event.stream_id)
        after = evolve(before, event)
        self.nominations[event.stream_id] = after
        if before is None:
            self.by_cadre[after.cadre.id].append(after.nomination_id)
        self._index(before, after)
        for listener in self.listeners:
            listener(event, before, after)

    def _index(self, before: Nomination | None, after: Nomination) -> None:
        if before is not None and before.status == IN_REVIEW and before.stage:
            self.waiting[STAGE_ROLES[before.stage]].discard(before.nomination_id)
        if after.status == IN_REVIEW and after.stage:
            self.waiting[STAGE_ROLES[after.stage]].add(after.nomination_id)

    def get(self, nomination_id: str) -> Nomination | None:
        """The current state of one nomination."""
        return self.nominations.get(nomination_id)

    def of_cadre(self, cadre_id: str) -> list[Nomination]:
        """A cadre's own nominations, newest first."""
        found = [self.nominations[i] for i in self.by_cadre.get(cadre_id, [])]
        return sorted(found, key=lambda n: n.submitted_at, reverse=True)

    def queue(self, role: str, unit: str | None, reviewer_id: str | None = None) -> list[Nomination]:
        """Nominations waiting at the stage of `role` (and `unit` at the unit stage), oldest due first.

        The reviewer's own nomination is left out (recusal).
        """
        waiting = tuple(self.waiting.get(role, ()))  # one C-level copy: the follower thread changes the set
        candidates = [self.nominations[i] for i in waiting]
        return queue_order([n for n in candidates if waiting_for(n, role, unit, reviewer_id)])

    def events(self, nomination_id: str) -> list[Logged]:
        """The stream in log order, void events included (the audit trail)."""
        return list(self.trail.get(nomination_id, []))

    def as_of(self, nomination_id: str, when: datetime) -> Nomination | None:
        """The nomination as it stood at `when` (a fold of the applied events up to then)."""
        applied = [e.event for e in self.trail.get(nomination_id, []) if e.outcome is Outcome.APPLIED]
        return fold([event for event in applied if event.time <= when])
