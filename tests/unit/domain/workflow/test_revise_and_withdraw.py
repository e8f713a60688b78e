"""ReviseNomination and WithdrawNomination: the cadre's own commands."""

from datetime import timedelta

import pytest

from shared.domain.workflow import (
    Actor,
    Conflict,
    DecideStage,
    Forbidden,
    Invalid,
    ReviseNomination,
    WithdrawNomination,
)


class TestReviseNomination:
    def test_revision_reopens_the_returned_step_with_a_new_deadline(self, story):
        story.submitted().decided("unit", "org_department", decision="approve")
        story.given(DecideStage("secretary", "return", "sharpen the commitment"), story.reviewer("secretary"))
        now = story.clock + timedelta(days=2)

        decision = story.when(ReviseNomination({"commitment": "Top three in the province."}), at=now)

        assert decision.type == "NominationRevised"
        assert decision.payload == {
            "changes": {"commitment": "Top three in the province."},
            "step": 2,
            "due_at": (now + timedelta(days=5)).isoformat(),
        }

    def test_revised_achievements_are_normalised_to_title_and_description(self, story):
        story.submitted().decided("unit", decision="return")

        decision = story.when(ReviseNomination({"achievements": [{"title": "New bridge"}]}))

        assert decision.payload["changes"] == {"achievements": [{"title": "New bridge", "description": ""}]}

    def test_rejects_a_revision_while_in_review(self, story):
        story.submitted()

        with pytest.raises(Conflict, match="returned"):
            story.when(ReviseNomination({"statement": "more"}))

    def test_forbids_a_revision_by_someone_else(self, story):
        story.submitted().decided("unit", decision="return")

        with pytest.raises(Forbidden):
            story.when(ReviseNomination({"statement": "mine now"}), story.reviewer("unit"))

    @pytest.mark.parametrize("changes", [{}, {"channel": "secretary"}, {"age": 35}])
    def test_rejects_empty_or_unknown_changes(self, story, changes):
        story.submitted().decided("unit", decision="return")

        with pytest.raises(Invalid):
            story.when(ReviseNomination(changes))

    def test_revised_content_must_still_follow_the_content_rules(self, story):
        story.submitted().decided("unit", decision="return")

        with pytest.raises(Invalid) as refused:
            story.when(ReviseNomination({"achievements": []}))

        assert "achievements" in refused.value.details


class TestWithdrawNomination:
    def test_cadre_withdraws_while_in_review(self, story):
        story.submitted()

        decision = story.when(WithdrawNomination("moved to another post"))

        assert decision.type == "NominationWithdrawn"
        assert decision.payload == {"reason": "moved to another post"}

    def test_cadre_withdraws_while_returned(self, story):
        story.submitted().decided("unit", decision="return")

        assert story.when(WithdrawNomination("")).type == "NominationWithdrawn"

    def test_forbids_withdrawal_by_someone_else(self, story):
        story.submitted()
        colleague = Actor(id="c-2", role="cadre", unit=story.cadre.unit)

        with pytest.raises(Forbidden):
            story.when(WithdrawNomination("not yours"), colleague)

    def test_a_withdrawn_nomination_cannot_be_withdrawn_again(self, story):
        story.submitted().given(WithdrawNomination("done"))

        with pytest.raises(Conflict):
            story.when(WithdrawNomination("again"))
