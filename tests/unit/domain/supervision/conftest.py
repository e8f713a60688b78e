"""Fixtures for the supervision domain tests: a `story` of facts the decider produced.

Given facts (recorded from decisions), when a command, then a decision or a refusal. Deadlines
count plain calendar days here (the working-day calendar is injected by the application).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from shared.domain.supervision import (
    DEFAULT_CONFIG,
    AcceptCase,
    Actor,
    Case,
    Decision,
    EvaluateRectification,
    OrderRectification,
    ReceiveClue,
    RecordFinding,
    ReportRectification,
    SupervisionConfig,
    decide,
    fold,
)

T0 = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)
STEP_GAP = timedelta(hours=1)
PUBLIC = Actor(id="public", role="public")
REPORTER = Actor(id="reporter", role="reporter")
HOTLINE = Actor(id="h-1", role="hotline_operator", unit="hotline-center")
SYSTEM = Actor(id="rectification-scanner", role="system")
CUSTODIAN = Actor(id="k-1", role="custodian", unit="city")


def calendar_days(start: datetime, days: int) -> datetime:
    return start + timedelta(days=days)


def officer(unit: str = "unit-a", id: str = "o-1") -> Actor:
    return Actor(id=id, role="supervision_officer", unit=unit)


def unit_reviewer(unit: str = "unit-a", id: str = "u-1") -> Actor:
    return Actor(id=id, role="unit_reviewer", unit=unit)


@dataclass(frozen=True)
class FakeFact:
    """A recorded event as the envelope would carry it (type, payload, time, actor)."""

    type: str
    payload: Mapping[str, Any]
    time: datetime
    actor: Actor


@dataclass
class Story:
    """Given facts, when a command, then a decision or a refusal."""

    config: SupervisionConfig = DEFAULT_CONFIG
    clock: datetime = T0
    facts: list[FakeFact] = field(default_factory=list)

    @property
    def state(self) -> Case | None:
        return fold(self.facts)

    def when(self, command: Any, actor: Actor = PUBLIC, *, at: datetime | None = None, deadline=calendar_days):
        """Decide `command` on the folded history, one step later than the last fact (or at `at`)."""
        now = at or self.clock + STEP_GAP
        return decide(command, self.state, actor, now, deadline=deadline, config=self.config)

    def given(self, command: Any, actor: Actor = PUBLIC, *, at: datetime | None = None) -> Story:
        """Decide `command` and record its event as a fact."""
        now = at or self.clock + STEP_GAP
        return self.record(self.when(command, actor, at=now), actor, now)

    def record(self, decision: Decision, actor: Actor, time: datetime) -> Story:
        self.facts.append(FakeFact(decision.type, decision.payload, time, actor))
        self.clock = time
        return self

    # -- the loop, step by step, with valid commands ------------------------------------------
    def received(self, kind: str = "cadre", actor: Actor = PUBLIC, **fields: Any) -> Story:
        return self.given(clue(kind, **fields), actor)

    def accepted(self, cadre_id: str | None = "c-9") -> Story:
        return self.given(AcceptCase(cadre_id=cadre_id), officer())

    def found(self, result: str = "substantiated", outcome: str = "warn", **fields: Any) -> Story:
        return self.given(RecordFinding(result=result, outcome=outcome, summary="seen", **fields), officer())

    def ordered(self, unit: str = "unit-a", days: int = 10) -> Story:
        return self.given(OrderRectification(unit=unit, due_days=days, requirement="answer within a day"), officer())

    def reported(self, unit: str = "unit-a") -> Story:
        return self.given(ReportRectification(what_was_done="a duty rota"), unit_reviewer(unit))

    def evaluated(self, effective: bool, actor: Actor | None = None) -> Story:
        return self.given(EvaluateRectification(effective=effective, note="checked"), actor or officer())

    def rectifying(self, **fields: Any) -> Story:
        return self.received(**fields).accepted().found().ordered()


SUBJECTS = {
    "cadre": {"name": "Wang Wu", "unit": "unit-a", "position": "Section chief"},
    "matter": {"unit": "unit-a"},
    "objection": {"nomination_id": "n-1"},
}
CATEGORIES = {"cadre": "never-available", "matter": "traffic-and-parking", "objection": "notice-objection"}


def clue(kind: str = "cadre", **fields: Any) -> ReceiveClue:
    """A valid ReceiveClue of `kind` (named reporter); `fields` override any field."""
    values: dict[str, Any] = {
        "case_id": "case-1",
        "kind": kind,
        "category": CATEGORIES.get(kind, "x"),
        "subject": SUBJECTS.get(kind, {}),
        "description": "Nobody answers the office phone for weeks.",
        "anonymous": False,
        "identity_sealed": "c2VhbGVk",
        "receipt_digest": "scrypt$abc",
    }
    return ReceiveClue(**{**values, **fields})


@pytest.fixture
def story() -> Story:
    return Story()
