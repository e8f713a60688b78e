"""Fixtures for the workflow domain tests: a `story` that records facts the decider produced."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from shared.domain.workflow import (
    DEFAULT_CONFIG,
    Actor,
    DecideStage,
    Decision,
    Nomination,
    Person,
    SubmitNomination,
    WorkflowConfig,
    decide,
    fold,
)

T0 = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)
STEP_GAP = timedelta(hours=1)


@dataclass(frozen=True)
class FakeFact:
    """A recorded event as the envelope would carry it (type, payload, time, actor)."""

    type: str
    payload: Mapping[str, Any]
    time: datetime
    actor: Actor


@dataclass
class Story:
    """Given facts (recorded from decisions), when a command, then a decision or a refusal."""

    config: WorkflowConfig = DEFAULT_CONFIG
    clock: datetime = T0
    facts: list[FakeFact] = field(default_factory=list)
    cadre: Person = Person(id="c-1", name="Li Wei", unit="unit-a")

    @property
    def state(self) -> Nomination | None:
        return fold(self.facts)

    @property
    def cadre_actor(self) -> Actor:
        return Actor(id=self.cadre.id, role="cadre", unit=self.cadre.unit, name=self.cadre.name)

    def reviewer(self, stage: str, *, unit: str | None = None, id: str | None = None) -> Actor:
        """A reviewer entitled to decide `stage` for this story's cadre (unless overridden)."""
        role = {"unit": "unit_reviewer", "org_department": "org_reviewer", "secretary": "secretary"}[stage]
        return Actor(id=id or f"r-{stage}", role=role, unit=unit or self.cadre.unit)

    def when(self, command: Any, actor: Actor | None = None, *, at: datetime | None = None) -> Decision:
        """Decide `command` on the folded history, one step later than the last fact (or at `at`)."""
        now = at or self.clock + STEP_GAP
        return decide(command, self.state, actor or self.cadre_actor, now, self.config)

    def given(self, command: Any, actor: Actor | None = None, *, at: datetime | None = None) -> Story:
        """Decide `command` and record its event as a fact."""
        now = at or self.clock + STEP_GAP
        decision = self.when(command, actor, at=now)
        self.record(decision, actor or self.cadre_actor, now)
        return self

    def record(self, decision: Decision, actor: Actor, time: datetime) -> Story:
        self.facts.append(FakeFact(decision.type, decision.payload, time, actor))
        self.clock = time
        return self

    def submission(self, channel: str = "unit", **fields: Any) -> SubmitNomination:
        """A valid SubmitNomination by this story's cadre; `fields` override any field."""
        values: dict[str, Any] = {
            "nomination_id": "n-1",
            "cadre": self.cadre,
            "channel": channel,
            "target_position": {"title": "Deputy Director", "organization": "Municipal Transport Bureau"},
            "statement": "Led the port logistics reform; strong in project delivery.",
            "achievements": [{"title": "Cut permit time by 60%", "description": "One-window reform, 2023"}],
            "commitment": "First-class performance in the province and the country within two years.",
        }
        return SubmitNomination(**{**values, **fields})

    def submitted(self, channel: str = "unit", **fields: Any) -> Story:
        return self.given(self.submission(channel, **fields))

    def decided(self, *stages: str, decision: str = "approve") -> Story:
        for stage in stages:
            self.given(DecideStage(stage=stage, decision=decision), self.reviewer(stage))
        return self


@pytest.fixture
def story() -> Story:
    return Story()


@pytest.fixture
def story_factory():
    return Story


@pytest.fixture
def fact_factory():
    return FakeFact
