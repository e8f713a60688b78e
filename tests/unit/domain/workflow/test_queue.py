"""Reviewer queues: who a nomination waits for, and the order by deadline only."""

from datetime import timedelta

from shared.domain.workflow import Person, queue_order, waiting_for


class TestWaitingFor:
    def test_unit_stage_waits_for_unit_reviewers_of_the_cadre_unit(self, story):
        nomination = story.submitted("unit").state

        assert waiting_for(nomination, "unit_reviewer", "unit-a")
        assert not waiting_for(nomination, "unit_reviewer", "unit-b")
        assert not waiting_for(nomination, "org_reviewer", "unit-a")

    def test_org_stage_waits_for_org_reviewers_of_any_unit(self, story):
        nomination = story.submitted("org_department").state

        assert waiting_for(nomination, "org_reviewer", "hq")
        assert waiting_for(nomination, "org_reviewer", None)

    def test_returned_nominations_wait_for_no_reviewer(self, story):
        nomination = story.submitted("secretary").decided("secretary", decision="return").state

        assert not waiting_for(nomination, "secretary", None)

    def test_terminal_nominations_wait_for_no_reviewer(self, story):
        nomination = story.submitted("secretary").decided("secretary", decision="reject").state

        assert not waiting_for(nomination, "secretary", None)

    def test_a_reviewer_does_not_wait_on_their_own_nomination(self, story):
        nomination = story.submitted("unit").state

        assert not waiting_for(nomination, "unit_reviewer", "unit-a", reviewer_id=story.cadre.id)
        assert waiting_for(nomination, "unit_reviewer", "unit-a", reviewer_id="r-unit")


class TestQueueOrder:
    def test_orders_by_due_time_then_submission_time_then_id(self, story_factory):
        early = story_factory().submitted("unit").state  # due in 5 days
        late = story_factory().submitted("org_department").state  # due in 10 days
        same_due_b = early._replace(nomination_id="n-b")
        same_due_a = early._replace(nomination_id="n-a")
        earlier_submitted = late._replace(nomination_id="n-z", submitted_at=late.submitted_at - timedelta(days=1))

        ordered = queue_order([late, same_due_b, earlier_submitted, same_due_a])

        assert [n.nomination_id for n in ordered] == ["n-a", "n-b", "n-z", "n-1"]

    def test_order_depends_on_deadlines_not_on_who_the_cadre_is(self, story_factory):
        junior = story_factory(cadre=Person("c-young", "Junior", "unit-a")).submitted("unit").state
        senior = story_factory(cadre=Person("c-old", "Senior", "unit-a")).submitted("org_department").state

        assert queue_order([senior, junior]) == [junior, senior]
