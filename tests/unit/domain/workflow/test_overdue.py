"""FlagOverdue: a late step is recorded once, by the system, and only once due."""

from datetime import timedelta

import pytest

from shared.domain.workflow import Actor, Conflict, FlagOverdue, Forbidden, ReviseNomination, WorkflowConfig

SYSTEM = Actor(id="sla-scanner", role="system")


class TestFlagOverdue:
    def test_flags_the_active_step_once_it_is_due(self, story):
        story.submitted()
        due_at = story.state.active_step.due_at

        decision = story.when(FlagOverdue(step=0), SYSTEM, at=due_at)

        assert decision.type == "StageOverdue"
        assert decision.payload == {"stage": "unit", "step": 0, "due_at": due_at.isoformat()}

    def test_refuses_to_flag_before_the_due_time(self, story):
        story.submitted()
        due_at = story.state.active_step.due_at

        with pytest.raises(Conflict, match="not due"):
            story.when(FlagOverdue(step=0), SYSTEM, at=due_at - timedelta(seconds=1))

    def test_flags_a_step_only_once(self, story):
        story.submitted()
        late = story.state.active_step.due_at + timedelta(hours=1)
        story.given(FlagOverdue(step=0), SYSTEM, at=late)

        with pytest.raises(Conflict, match="already"):
            story.when(FlagOverdue(step=0), SYSTEM, at=late + timedelta(days=1))

    def test_does_not_flag_a_returned_nomination(self, story):
        story.submitted().decided("unit", decision="return")

        with pytest.raises(Conflict):
            story.when(FlagOverdue(step=0), SYSTEM, at=story.clock + timedelta(days=30))

    def test_refuses_a_stale_step_index(self, story):
        story.submitted().decided("unit")

        with pytest.raises(Conflict, match="stale"):
            story.when(FlagOverdue(step=0), SYSTEM, at=story.clock + timedelta(days=30))

    def test_a_reopened_step_can_be_flagged_again(self, story):
        story.submitted()
        story.given(FlagOverdue(step=0), SYSTEM, at=story.state.active_step.due_at)
        story.decided("unit", decision="return")
        story.given(ReviseNomination({"statement": "more"}))

        decision = story.when(FlagOverdue(step=0), SYSTEM, at=story.state.active_step.due_at)

        assert decision.type == "StageOverdue"

    def test_only_the_system_flags_overdue_steps(self, story):
        story.submitted()

        with pytest.raises(Forbidden):
            story.when(FlagOverdue(step=0), story.reviewer("unit"), at=story.clock + timedelta(days=30))

    def test_due_times_follow_the_configured_deadlines(self, story_factory):
        story = story_factory(config=WorkflowConfig.from_mapping({"due_days": {"unit": 1}})).submitted()
        opened_at = story.clock

        assert story.state.active_step.due_at == opened_at + timedelta(days=1)
        assert story.when(FlagOverdue(step=0), SYSTEM, at=opened_at + timedelta(days=1)).type == "StageOverdue"
