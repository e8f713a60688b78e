"""CompleteEducation: each unit named in a finding's education assignment reports it done."""

import pytest

from shared.domain.supervision import CompleteEducation, Conflict, Forbidden

from .conftest import officer, unit_reviewer

EDUCATION = {"units": ["unit-a", "unit-c"], "requirement": "a session on the new rules"}


class TestCompleteEducation:
    def test_a_named_unit_reports_its_education_done(self, story):
        story.received().accepted().found(education=EDUCATION)

        decision = story.when(CompleteEducation(note="held on 3 May"), unit_reviewer("unit-c"))

        assert (decision.type, decision.payload) == ("EducationCompleted", {"unit": "unit-c", "note": "held on 3 May"})
        story.record(decision, unit_reviewer("unit-c"), story.clock)
        done = {a.unit: (a.is_done, a.note) for a in story.state.education}
        assert done == {"unit-a": (False, None), "unit-c": (True, "held on 3 May")}
        assert story.state.status == "found"

    def test_education_is_tracked_whatever_the_loop_does(self, story):
        story.received().accepted().found(education=EDUCATION).ordered().reported().evaluated(True)

        assert story.when(CompleteEducation(), unit_reviewer("unit-a")).type == "EducationCompleted"

    def test_a_unit_not_named_may_not_report(self, story):
        story.received().accepted().found(education=EDUCATION)

        with pytest.raises(Forbidden):
            story.when(CompleteEducation(), unit_reviewer("unit-b"))

    def test_an_officer_does_not_report_for_a_unit(self, story):
        story.received().accepted().found(education=EDUCATION)

        with pytest.raises(Forbidden):
            story.when(CompleteEducation(), officer("unit-a"))

    def test_reported_once(self, story):
        story.received().accepted().found(education=EDUCATION).given(CompleteEducation(), unit_reviewer("unit-a"))

        with pytest.raises(Conflict, match="already"):
            story.when(CompleteEducation(), unit_reviewer("unit-a"))

    def test_nothing_to_report_without_an_assignment(self, story):
        story.received().accepted().found()

        with pytest.raises(Conflict, match="no education"):
            story.when(CompleteEducation(), unit_reviewer("unit-a"))
