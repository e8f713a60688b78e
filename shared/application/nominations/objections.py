"""Objections: the supervision cases topic reduced to what the public notice needs.

An objection is a supervision case with `kind=objection` and `subject.nomination_id`. It is open
from `ClueReceived` until `CaseDismissed` or `FindingRecorded`; a finding `substantiated` or
`partly` upholds it (the appointment is stopped), `unsubstantiated` releases the hold. This
projection keeps, per nomination, each objection's case id and state, and nothing else of a case
(no description, no reporter, no receipt).

This module is the one place of the nomination side that reads the supervision events (their
names and results come from `shared.domain.supervision`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from shared.domain.supervision.categories import OBJECTION as OBJECTION_KIND
from shared.domain.supervision.events import CASE_DISMISSED, CLUE_RECEIVED, FINDING_RECORDED
from shared.domain.supervision.state import UPHELD_RESULTS
from shared.events.envelope import Event
from shared.readside.gate import Outcome
from shared.readside.snapshots.file import Build, Records

OPEN = "open"
CLEARED = "cleared"
"""States of an objection besides the result that upheld it (`substantiated` or `partly`)."""


class Objections:
    """Projection of `cadreflow.cases`: nomination id -> {case id: open | cleared | result}."""

    def __init__(self) -> None:
        self.by_nomination: dict[str, dict[str, str]] = {}
        self.nomination_of: dict[str, str] = {}  # case id -> nomination id (objections only)

    def apply(self, event: Event, outcome: Outcome) -> None:
        """Fold one case event (Projection); only applied events count."""
        if outcome is Outcome.APPLIED:
            handle = _HANDLERS.get(event.type)
            if handle is not None:
                handle(self, event)

    def open_for(self, nomination_id: str) -> tuple[str, ...]:
        """Case ids of the objections to `nomination_id` still open."""
        return tuple(sorted(c for c, state in self.by_nomination.get(nomination_id, {}).items() if state == OPEN))

    def upheld_for(self, nomination_id: str) -> tuple[str, str] | None:
        """(case id, result) of an objection to `nomination_id` that was upheld, if any."""
        cases = self.by_nomination.get(nomination_id, {})
        return next(((case, state) for case, state in sorted(cases.items()) if state in UPHELD_RESULTS), None)

    def _received(self, event: Event) -> None:
        payload = event.payload
        nomination_id = (payload.get("subject") or {}).get("nomination_id")
        if payload.get("kind") == OBJECTION_KIND and nomination_id:
            self.by_nomination.setdefault(nomination_id, {})[event.stream_id] = OPEN
            self.nomination_of[event.stream_id] = nomination_id

    def _settled(self, event: Event) -> None:
        nomination_id = self.nomination_of.get(event.stream_id)
        if nomination_id is not None:
            result = event.payload.get("result")
            state = result if event.type == FINDING_RECORDED and result in UPHELD_RESULTS else CLEARED
            self.by_nomination[nomination_id][event.stream_id] = state

    # -- snapshots (Projection) --------------------------------------------------------------
    def snapshot(self) -> Build | None:
        """A copy of the (small) state, written as it is."""
        copied = {nomination: dict(cases) for nomination, cases in self.by_nomination.items()}
        return lambda records: {"objections": copied}

    def restore(self, state: dict[str, Any], records: Records) -> None:
        """Take the objections a snapshot recorded."""
        by_nomination = {nomination: dict(cases) for nomination, cases in state["objections"].items()}
        self.by_nomination = by_nomination
        self.nomination_of = {case: nomination for nomination, cases in by_nomination.items() for case in cases}


_HANDLERS: dict[str, Callable[[Objections, Event], None]] = {
    CLUE_RECEIVED: Objections._received,
    CASE_DISMISSED: Objections._settled,
    FINDING_RECORDED: Objections._settled,
}
