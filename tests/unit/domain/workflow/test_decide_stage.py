"""DecideStage: approvals along the three routes, return, reject, and every refusal."""

from datetime import timedelta

import pytest

from shared.domain.workflow import (
    Actor,
    Conflict,
    DecideStage,
    Forbidden,
    Invalid,
    NotFound,
    ReviseNomination,
    WithdrawNomination,
)


def approve(stage, step=None):
    return DecideStage(stage=stage, decision="approve", comment="fine", step=step)


class TestApprovalRoutes:
    @pytest.mark.parametrize(
        ("channel", "route"),
        [
            ("unit", ["unit", "org_department", "secretary"]),
            ("org_department", ["org_department", "secretary"]),
            ("secretary", ["secretary", "org_department", "secretary"]),
        ],
    )
    def test_approving_every_step_in_order_approves_the_nomination(self, story, channel, route):
        story.submitted(channel).decided(*route[:-1])

        decision = story.when(approve(route[-1]), story.reviewer(route[-1]))

        assert decision.type == "NominationApproved"
        assert decision.payload == {"stage": route[-1], "step": len(route) - 1, "comment": "fine"}

    def test_approving_a_step_before_the_last_opens_the_next_one(self, story):
        story.submitted("unit")
        now = story.clock + timedelta(days=1)

        decision = story.when(approve("unit"), story.reviewer("unit"), at=now)

        assert decision.type == "StageApproved"
        assert decision.payload == {
            "stage": "unit",
            "step": 0,
            "comment": "fine",
            "next_stage": "org_department",
            "next_step": 1,
            "next_due_at": (now + timedelta(days=10)).isoformat(),
        }

    def test_secretary_intake_refers_to_the_org_department_then_decides_again(self, story):
        story.submitted("secretary").decided("secretary", "org_department")

        assert story.state.stage == "secretary"
        assert story.state.step == 2
        assert story.state.status == "in_review"

    def test_unit_stage_is_decided_only_once_the_nomination_reaches_it(self, story):
        story.submitted("org_department")

        with pytest.raises(Conflict):
            story.when(approve("unit"), story.reviewer("unit"))


class TestReturnAndReject:
    def test_return_sends_the_nomination_back_to_the_cadre(self, story):
        story.submitted()

        decision = story.when(DecideStage("unit", "return", "add figures"), story.reviewer("unit"))

        assert decision.type == "NominationReturned"
        assert decision.payload == {"stage": "unit", "step": 0, "comment": "add figures"}

    def test_reject_ends_the_nomination(self, story):
        story.submitted().decided("unit")

        decision = story.when(DecideStage("org_department", "reject", "no"), story.reviewer("org_department"))

        assert decision.type == "NominationRejected"
        assert decision.payload == {"stage": "org_department", "step": 1, "comment": "no"}

    def test_a_returned_nomination_waits_for_the_cadre_not_a_reviewer(self, story):
        story.submitted().decided("unit", decision="return")

        with pytest.raises(Conflict, match="revision"):
            story.when(approve("unit"), story.reviewer("unit"))


class TestTerminalNominations:
    @pytest.mark.parametrize(
        "command",
        [approve("secretary"), ReviseNomination({"statement": "again"}), WithdrawNomination("late")],
    )
    def test_an_approved_nomination_accepts_no_command(self, story, command):
        story.submitted("org_department").decided("org_department", "secretary")

        with pytest.raises(Conflict):
            story.when(command, story.reviewer("secretary") if isinstance(command, DecideStage) else None)

    def test_a_rejected_nomination_accepts_no_decision(self, story):
        story.submitted().decided("unit", decision="reject")

        with pytest.raises(Conflict):
            story.when(approve("unit"), story.reviewer("unit"))

    def test_deciding_an_unknown_nomination_is_not_found(self, story):
        with pytest.raises(NotFound) as refused:
            story.when(approve("unit"), story.reviewer("unit"))

        assert refused.value.code == "not_found"


class TestStaleDecisions:
    def test_rejects_a_decision_on_a_stale_stage(self, story):
        story.submitted().decided("unit", "org_department")

        with pytest.raises(Conflict, match="stale"):
            story.when(approve("org_department"), story.reviewer("org_department"))

    def test_rejects_a_decision_on_a_stale_step_of_a_repeated_stage(self, story):
        story.submitted("secretary").decided("secretary", "org_department")

        with pytest.raises(Conflict, match="stale"):
            story.when(approve("secretary", step=0), story.reviewer("secretary"))

    def test_accepts_a_decision_naming_the_active_step_index(self, story):
        story.submitted("secretary").decided("secretary", "org_department")

        decision = story.when(approve("secretary", step=2), story.reviewer("secretary"))

        assert decision.type == "NominationApproved"

    def test_stale_screen_of_a_rightful_reviewer_is_a_conflict_not_forbidden(self, story):
        story.submitted("org_department").decided("org_department")
        second_org_reviewer = story.reviewer("org_department", id="r-org-2")

        with pytest.raises(Conflict):
            story.when(approve("org_department"), second_org_reviewer)


class TestWhoMayDecide:
    def test_forbids_a_reviewer_of_another_stage(self, story):
        story.submitted("unit")

        with pytest.raises(Forbidden):
            story.when(approve("unit"), story.reviewer("org_department"))

    def test_forbids_a_unit_reviewer_of_another_unit(self, story):
        story.submitted("unit")

        with pytest.raises(Forbidden, match="own unit"):
            story.when(approve("unit"), story.reviewer("unit", unit="unit-b"))

    def test_org_stage_is_not_scoped_to_a_unit(self, story):
        story.submitted("org_department")

        decision = story.when(approve("org_department"), story.reviewer("org_department", unit="hq"))

        assert decision.type == "StageApproved"

    def test_forbids_a_cadre_deciding_their_own_nomination(self, story):
        story.submitted("unit")
        own_reviewer_token = Actor(id=story.cadre.id, role="unit_reviewer", unit=story.cadre.unit)

        with pytest.raises(Forbidden, match="recusal"):
            story.when(approve("unit"), own_reviewer_token)

    def test_forbids_the_cadre_token_from_deciding(self, story):
        story.submitted("unit")

        with pytest.raises(Forbidden):
            story.when(approve("unit"), story.cadre_actor)

    def test_authority_is_checked_before_staleness(self, story):
        story.submitted().decided("unit")

        with pytest.raises(Forbidden):
            story.when(approve("unit"), story.reviewer("unit", unit="unit-b"))


class TestDecisionShape:
    def test_rejects_an_unknown_decision_value(self, story):
        story.submitted()

        with pytest.raises(Invalid) as refused:
            story.when(DecideStage("unit", "postpone"), story.reviewer("unit"))

        assert "decision" in refused.value.details

    def test_rejects_an_unknown_stage_name(self, story):
        story.submitted()

        with pytest.raises(Invalid) as refused:
            story.when(DecideStage("mayor", "approve"), story.reviewer("unit"))

        assert "stage" in refused.value.details

    def test_rejects_a_step_index_that_is_not_an_integer(self, story):
        story.submitted()

        with pytest.raises(Invalid):
            story.when(DecideStage("unit", "approve", step="0"), story.reviewer("unit"))
