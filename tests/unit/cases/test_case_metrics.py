"""Supervision figures computed from the folded cases."""

from services.supervision.case_metrics import CaseMetrics, case_figures
from shared.domain.supervision import FlagRectificationOverdue
from tests.unit.domain.supervision.conftest import SYSTEM, Story, clue, officer


def closed_after_reopen():
    story = Story().given(clue(case_id="c-1")).accepted().found().ordered()
    story.given(FlagRectificationOverdue(round=1), SYSTEM, at=story.state.current_round.due_at)
    return story.reported().evaluated(False).reported().evaluated(True, officer("city")).state


def overdue_now():
    story = Story().given(clue("matter", case_id="c-2")).accepted(cadre_id=None).found(outcome="none").ordered()
    return story.given(FlagRectificationOverdue(round=1), SYSTEM, at=story.state.current_round.due_at).state


class TestCaseFigures:
    def test_counts_by_kind_category_status_and_channel(self):
        figures = case_figures([closed_after_reopen(), overdue_now(), Story().received().state])

        assert figures["cases"] == {
            ("cadre", "never-available", "closed"): 1,
            ("matter", "traffic-and-parking", "rectifying"): 1,
            ("cadre", "never-available", "received"): 1,
        }
        assert figures["received"] == {("cadre", "web"): 2, ("matter", "web"): 1}

    def test_reopen_rate_overdue_rounds_and_time_to_close(self):
        figures = case_figures([closed_after_reopen(), overdue_now()])

        assert figures["evaluations"] == {("false",): 1, ("true",): 1}
        assert figures["reopened"][("cadre",)] == 1
        assert figures["overdue"] == {("cadre",): 1, ("matter",): 1}
        assert figures["overdue_now"] == {("cadre",): 0, ("matter",): 1}
        assert figures["count"] == {("cadre",): 1}
        assert figures["bucket"][("cadre", "+Inf")] == 1
        assert figures["sum"][("cadre",)] > 10 * 86400


class TestCaseMetrics:
    def test_a_series_that_empties_drops_to_zero(self):
        cases = [Story().received().state]
        metrics = CaseMetrics(lambda: cases)
        metrics.refresh()
        series = metrics.gauges["cases"].labels("cadre", "never-available", "received")
        assert series._value.get() == 1

        cases.clear()
        metrics.refresh()

        assert series._value.get() == 0
