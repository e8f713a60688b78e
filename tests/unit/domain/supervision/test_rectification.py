"""The closed loop: order, report, evaluate; ineffective re-orders and escalates to the city."""

from datetime import timedelta

import pytest

from shared.domain.supervision import (
    AcceptCase,
    Conflict,
    EvaluateRectification,
    Forbidden,
    Invalid,
    OrderRectification,
    ReportRectification,
)

from .conftest import officer, unit_reviewer


def order(unit="unit-b", days=10, requirement="answer within a day"):
    return OrderRectification(unit=unit, due_days=days, requirement=requirement)


class TestOrder:
    def test_an_order_names_the_unit_the_requirement_and_the_working_day_deadline(self, story):
        story.received().accepted().found()
        asked = []

        def deadline(start, days):
            asked.append((start, days))
            return start + timedelta(days=14)

        now = story.clock + timedelta(hours=2)
        decision = story.when(order(days=10), officer(), at=now, deadline=deadline)

        assert asked == [(now, 10)]
        assert decision.type == "RectificationOrdered"
        assert decision.payload == {
            "round": 1,
            "unit": "unit-b",
            "requirement": "answer within a day",
            "due_days": 10,
            "due_at": (now + timedelta(days=14)).isoformat(),
            "supervising_unit": "unit-a",
        }

    def test_the_case_is_rectifying_with_its_first_round(self, story):
        story.received().accepted().found().ordered(unit="unit-b", days=5)

        case = story.state
        assert case.status == "rectifying"
        assert (case.current_round.number, case.current_round.unit, case.current_round.due_days) == (1, "unit-b", 5)
        assert case.current_round.due_at == case.current_round.ordered_at + timedelta(days=5)

    @pytest.mark.parametrize("status_steps", [0, 1, 3])
    def test_only_a_found_case_is_ordered(self, story, status_steps):
        story.received()
        if status_steps >= 1:
            story.accepted()
        if status_steps >= 3:
            story.found().ordered()

        with pytest.raises(Conflict):
            story.when(order(), officer())

    @pytest.mark.parametrize(
        ("command", "field"),
        [
            (order(days=0), "due_days"),
            (order(days=91), "due_days"),
            (order(days=True), "due_days"),
            (order(days=2.5), "due_days"),
            (order(unit=""), "unit"),
            (order(requirement=""), "requirement"),
        ],
    )
    def test_refuses_malformed_orders(self, story, command, field):
        story.received().accepted().found()

        with pytest.raises(Invalid) as refused:
            story.when(command, officer())
        assert field in refused.value.details

    def test_a_unit_reviewer_does_not_order(self, story):
        story.received().accepted().found()

        with pytest.raises(Forbidden):
            story.when(order(), unit_reviewer())

    def test_a_deadline_function_that_gives_a_past_time_is_a_bug(self, story):
        story.received().accepted().found()

        with pytest.raises(ValueError, match="deadline"):
            story.when(order(), officer(), deadline=lambda start, days: start)


class TestReport:
    def test_the_responsible_unit_reports_and_the_case_awaits_evaluation(self, story):
        story.rectifying()

        decision = story.when(ReportRectification(what_was_done="a duty rota"), unit_reviewer("unit-a"))

        assert decision.type == "RectificationReported"
        assert decision.payload == {"round": 1, "unit": "unit-a", "what_was_done": "a duty rota"}
        story.record(decision, unit_reviewer("unit-a"), story.clock)
        assert story.state.status == "evaluating"
        assert story.state.current_round.report == "a duty rota"

    def test_another_units_reviewer_may_not_report(self, story):
        story.rectifying()

        with pytest.raises(Forbidden, match="unit-a"):
            story.when(ReportRectification(what_was_done="x"), unit_reviewer("unit-b"))

    def test_an_officer_does_not_report_for_the_unit(self, story):
        story.rectifying()

        with pytest.raises(Forbidden):
            story.when(ReportRectification(what_was_done="x"), officer())

    def test_reports_once_per_round(self, story):
        story.rectifying().reported()

        with pytest.raises(Conflict, match="evaluating"):
            story.when(ReportRectification(what_was_done="again"), unit_reviewer())

    def test_a_report_says_what_was_done(self, story):
        story.rectifying()

        with pytest.raises(Invalid):
            story.when(ReportRectification(what_was_done=" "), unit_reviewer())


class TestEvaluate:
    def test_an_effective_rectification_closes_the_case(self, story):
        story.rectifying().reported()

        decision = story.when(EvaluateRectification(effective=True, note="phones answered"), officer())

        assert (decision.type, decision.payload) == ("RectificationConfirmed", {"round": 1, "note": "phones answered"})
        story.record(decision, officer(), story.clock)
        case = story.state
        assert (case.status, case.closed_at, case.current_round.effective) == ("closed", story.clock, True)
        assert case.is_terminal and case.reopened == 0

    def test_an_effective_evaluation_needs_no_note(self, story):
        story.rectifying().reported()

        assert story.when(EvaluateRectification(effective=True, note=""), officer()).payload["note"] == ""

    def test_an_ineffective_one_reorders_and_escalates_to_the_city(self, story):
        story.rectifying().reported()
        now = story.clock + timedelta(hours=1)

        decision = story.when(EvaluateRectification(effective=False, note="still no answer"), officer(), at=now)

        assert decision.type == "RectificationReopened"
        assert decision.payload == {
            "round": 1,
            "note": "still no answer",
            "next_round": 2,
            "unit": "unit-a",
            "requirement": "answer within a day",
            "due_days": 10,
            "due_at": (now + timedelta(days=10)).isoformat(),
            "supervising_unit": "city",
        }
        story.record(decision, officer(), now)
        case = story.state
        assert (case.status, case.supervising_unit, case.reopened, len(case.rounds)) == ("rectifying", "city", 1, 2)
        assert case.rounds[0].effective is False

    def test_a_reorder_may_change_the_deadline_and_the_requirement(self, story):
        story.rectifying().reported()

        command = EvaluateRectification(effective=False, note="no", due_days=3, requirement="a hotline")
        payload = story.when(command, officer()).payload

        assert (payload["due_days"], payload["requirement"]) == (3, "a hotline")

    def test_after_escalation_only_city_officers_act(self, story):
        story.rectifying().reported().evaluated(False).reported()

        with pytest.raises(Forbidden, match="city"):
            story.when(EvaluateRectification(effective=True, note=""), officer("unit-a"))
        assert (
            story.when(EvaluateRectification(effective=True, note=""), officer("city")).type == "RectificationConfirmed"
        )

    def test_two_rounds_then_closed(self, story):
        story.rectifying().reported().evaluated(False).reported().evaluated(True, officer("city"))

        case = story.state
        assert case.status == "closed"
        assert [(r.number, r.effective) for r in case.rounds] == [(1, False), (2, True)]
        assert [e.status for e in case.history] == [
            "received",
            "investigating",
            "found",
            "rectifying",
            "evaluating",
            "rectifying",
            "evaluating",
            "closed",
        ]

    def test_an_ineffective_evaluation_says_why(self, story):
        story.rectifying().reported()

        with pytest.raises(Invalid) as refused:
            story.when(EvaluateRectification(effective=False, note=""), officer())
        assert "note" in refused.value.details

    @pytest.mark.parametrize(
        ("command", "field"),
        [
            (EvaluateRectification(effective="yes", note="n"), "effective"),
            (EvaluateRectification(effective=False, note="n", due_days=0), "due_days"),
            (EvaluateRectification(effective=False, note="n", requirement=""), "requirement"),
        ],
    )
    def test_refuses_malformed_evaluations(self, story, command, field):
        story.rectifying().reported()

        with pytest.raises(Invalid) as refused:
            story.when(command, officer())
        assert field in refused.value.details

    def test_nothing_to_evaluate_before_the_report(self, story):
        story.rectifying()

        with pytest.raises(Conflict, match="rectifying"):
            story.when(EvaluateRectification(effective=True, note=""), officer())

    @pytest.mark.parametrize(
        "command",
        [
            AcceptCase(),
            order(),
            ReportRectification(what_was_done="more"),
            EvaluateRectification(effective=True, note=""),
        ],
    )
    def test_a_closed_case_takes_no_more_steps(self, story, command):
        story.rectifying().reported().evaluated(True)

        with pytest.raises(Conflict, match="closed"):
            story.when(command, unit_reviewer() if isinstance(command, ReportRectification) else officer())
