"""evolve and fold: the state rebuilt from the facts alone."""

from datetime import UTC, datetime, timedelta

import pytest

from shared.domain.workflow import (
    Actor,
    DecideStage,
    FlagOverdue,
    ReviseNomination,
    WithdrawNomination,
    evolve,
    fold,
)

SYSTEM = Actor(id="sla-scanner", role="system")
T = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)


class TestFold:
    def test_fold_of_no_facts_is_no_nomination(self):
        assert fold([]) is None

    def test_submitted_nomination_is_in_review_at_the_first_step(self, story):
        state = story.submitted("secretary").state

        assert (state.status, state.stage, state.step, state.version) == ("in_review", "secretary", 0, 1)
        assert state.route == ("secretary", "org_department", "secretary")
        assert state.submitted_at == state.updated_at == story.clock
        assert state.achievements == ({"title": "Cut permit time by 60%", "description": "One-window reform, 2023"},)

    def test_version_grows_by_one_per_fact(self, story):
        story.submitted().decided("unit").decided("org_department", decision="return")

        assert story.state.version == len(story.facts) == 3

    def test_state_can_be_rebuilt_from_raw_facts(self, fact_factory):
        cadre = Actor(id="c-9", role="cadre")
        submitted = fact_factory(
            "NominationSubmitted",
            {
                "nomination_id": "n-9",
                "cadre": {"id": "c-9", "name": "Zhao Min", "unit": "unit-z"},
                "channel": "org_department",
                "target_position": {"title": "Director", "organization": "Water Bureau"},
                "statement": "s",
                "achievements": [{"title": "t", "description": "d"}],
                "commitment": "c",
                "route": ["org_department", "secretary"],
                "due_at": (T + timedelta(days=10)).isoformat(),
            },
            T,
            cadre,
        )

        state = fold([submitted])

        assert state.cadre.name == "Zhao Min"
        assert state.active_step.due_at == T + timedelta(days=10)

    def test_stream_must_start_with_a_submission(self, fact_factory):
        with pytest.raises(ValueError, match="starts with"):
            evolve(None, fact_factory("NominationWithdrawn", {"reason": ""}, T, Actor("c-1", "cadre")))

    def test_unknown_event_types_only_count_in_the_version(self, story, fact_factory):
        state = story.submitted().state

        later = evolve(state, fact_factory("NominationTagged", {}, T + timedelta(days=1), SYSTEM))

        assert later.version == 2
        assert later.history == state.history


class TestHistory:
    def test_approval_closes_the_step_and_opens_the_next(self, story):
        story.submitted()
        reviewer = story.reviewer("unit")
        story.given(DecideStage("unit", "approve", "solid"), reviewer)
        decided_at = story.clock

        first, second = story.state.history

        assert (first.decision, first.reviewer, first.comment, first.decided_at) == (
            "approve", reviewer.id, "solid", decided_at,
        )  # fmt: skip
        assert (second.index, second.stage, second.opened_at, second.decision) == (
            1, "org_department", decided_at, None,
        )  # fmt: skip
        assert story.state.step == 1

    def test_return_then_revision_keeps_the_return_and_reopens_the_same_step(self, story):
        story.submitted().decided("unit", decision="return")
        story.given(ReviseNomination({"statement": "Now with figures."}))

        state = story.state
        returned, reopened = state.history

        assert (returned.index, returned.decision) == (0, "return")
        assert (reopened.index, reopened.stage, reopened.decision) == (0, "unit", None)
        assert reopened.opened_at == story.clock
        assert reopened.due_at == story.clock + timedelta(days=5)
        assert (state.status, state.step, state.statement) == ("in_review", 0, "Now with figures.")

    def test_returned_nomination_still_shows_its_stage(self, story):
        state = story.submitted().decided("unit", decision="return").state

        assert (state.status, state.stage) == ("returned", "unit")

    def test_terminal_nomination_has_no_active_stage(self, story):
        state = story.submitted().decided("unit", decision="reject").state

        assert state.is_terminal
        assert (state.status, state.stage, state.active_step) == ("rejected", None, None)
        assert state.history[-1].decision == "reject"

    def test_final_approval_approves_the_nomination(self, story):
        state = story.submitted("org_department").decided("org_department", "secretary").state

        assert state.status == "approved"
        assert [step.decision for step in state.history] == ["approve", "approve"]

    def test_withdrawal_keeps_the_reason(self, story):
        state = story.submitted().given(WithdrawNomination("family reasons")).state

        assert (state.status, state.withdrawal_reason) == ("withdrawn", "family reasons")


class TestOverdueState:
    def test_overdue_fact_flags_the_step_and_the_nomination(self, story):
        story.submitted()
        late = story.state.active_step.due_at + timedelta(minutes=5)
        story.given(FlagOverdue(step=0), SYSTEM, at=late)

        assert story.state.overdue is True
        assert story.state.active_step.overdue_at == late

    def test_opening_the_next_step_clears_the_overdue_flag(self, story):
        story.submitted()
        story.given(FlagOverdue(step=0), SYSTEM, at=story.state.active_step.due_at)
        story.decided("unit")

        assert story.state.overdue is False
        assert story.state.history[0].overdue_at is not None
