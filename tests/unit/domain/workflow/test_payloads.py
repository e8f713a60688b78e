"""The event payloads are a contract: exact keys, JSON-ready, and enough to rebuild the state."""

import json
from datetime import timedelta

import pytest

from shared.domain.workflow import (
    Actor,
    DecideStage,
    FlagOverdue,
    ReviseNomination,
    WithdrawNomination,
    fold,
)

SYSTEM = Actor(id="sla-scanner", role="system")

CONTRACT_KEYS = {
    "NominationSubmitted": {
        "nomination_id", "cadre", "channel", "target_position", "statement",
        "achievements", "commitment", "route", "due_at",
    },
    "NominationRevised": {"changes", "step", "due_at"},
    "NominationWithdrawn": {"reason"},
    "StageApproved": {"stage", "step", "comment", "next_stage", "next_step", "next_due_at"},
    "NominationApproved": {"stage", "step", "comment"},
    "NominationReturned": {"stage", "step", "comment"},
    "NominationRejected": {"stage", "step", "comment"},
    "StageOverdue": {"stage", "step", "due_at"},
}  # fmt: skip


@pytest.fixture
def lived_stories(story_factory):
    """Stories that together produce every event type once or more."""
    long_one = story_factory().submitted("secretary")
    long_one.given(FlagOverdue(step=0), SYSTEM, at=long_one.state.active_step.due_at)
    long_one.decided("secretary", "org_department").decided("secretary", decision="return")
    long_one.given(ReviseNomination({"achievements": [{"title": "Bridge", "description": "2022"}]}))
    long_one.decided("secretary")
    rejected = story_factory().submitted("unit").decided("unit", decision="reject")
    withdrawn = story_factory().submitted("unit").given(WithdrawNomination("health"))
    return [long_one, rejected, withdrawn]


def test_every_event_carries_exactly_its_contract_keys(lived_stories):
    seen = {fact.type for story in lived_stories for fact in story.facts}
    assert seen == set(CONTRACT_KEYS)

    for story in lived_stories:
        for fact in story.facts:
            assert set(fact.payload) == CONTRACT_KEYS[fact.type], fact.type


def test_state_rebuilt_from_json_payloads_equals_the_original(lived_stories, fact_factory):
    for story in lived_stories:
        decoded = [fact_factory(f.type, json.loads(json.dumps(f.payload)), f.time, f.actor) for f in story.facts]

        assert fold(decoded) == story.state


def test_datetimes_in_payloads_carry_a_timezone(story):
    story.submitted()

    decision = story.when(DecideStage("unit", "approve"), story.reviewer("unit"))

    assert story.facts[0].payload["due_at"].endswith("+00:00")
    assert decision.payload["next_due_at"].endswith("+00:00")


def test_decide_refuses_a_naive_clock(story):
    with pytest.raises(ValueError, match="timezone"):
        story.when(story.submission(), at=story.clock.replace(tzinfo=None) + timedelta(hours=1))
