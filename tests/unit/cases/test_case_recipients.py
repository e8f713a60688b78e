"""Who the notification service tells about each case event; never the reporter."""

from services.notification.case_recipients import case_notices
from shared.domain.supervision import FlagRectificationOverdue, MessageOfficers
from tests.unit.domain.supervision.conftest import REPORTER, SYSTEM, Story


def told(story, city="city"):
    fact = story.facts[-1]
    return [(n.recipient, n.message) for n in case_notices(fact.type, dict(fact.payload), story.state, city)]


class TestCaseNotices:
    def test_a_new_clue_goes_to_the_officers_of_its_unit(self):
        ((recipient, message),) = told(Story().received())

        assert recipient == "role:supervision_officer:unit-a"
        assert "case-1" in message and "Wang Wu" not in message and "Nobody answers" not in message

    def test_a_finding_tells_the_cadre_sends_the_circular_and_assigns_education(self):
        story = Story().received().accepted(cadre_id="c-9")
        story.found(
            outcome="warn",
            circular={"units": ["unit-a", "unit-b"], "text": "Answer the phone."},
            education={"units": ["unit-c"], "requirement": "a session"},
        )

        recipients = [recipient for recipient, _ in told(story)]

        assert recipients == ["person:c-9", "role:cadre:unit-a", "role:cadre:unit-b", "role:unit_reviewer:unit-c"]
        assert "warn" in told(story)[0][1]

    def test_an_order_goes_to_the_responsible_unit_and_a_report_to_the_officers(self):
        story = Story().received().accepted().found().ordered(unit="unit-b")
        assert [r for r, _ in told(story)] == ["role:unit_reviewer:unit-b"]

        story.reported(unit="unit-b")
        assert [r for r, _ in told(story)] == ["role:supervision_officer:unit-a"]

    def test_an_ineffective_rectification_tells_the_unit_and_the_city(self):
        story = Story().rectifying().reported().evaluated(False)

        assert [r for r, _ in told(story)] == ["role:unit_reviewer:unit-a", "role:supervision_officer:city"]

    def test_overdue_reminds_the_unit_and_the_officers_and_escalates_to_the_city(self):
        story = Story().rectifying()
        story.given(FlagRectificationOverdue(round=1), SYSTEM, at=story.state.current_round.due_at)

        assert [r for r, _ in told(story)] == [
            "role:unit_reviewer:unit-a",
            "role:supervision_officer:unit-a",
            "role:supervision_officer:city",
        ]

    def test_the_reporters_message_tells_the_officers_but_nothing_goes_to_a_reporter(self):
        story = Story().received().given(MessageOfficers(text="more"), REPORTER)

        assert [r for r, _ in told(story)] == ["role:supervision_officer:unit-a"]
        assert not any("reporter" in recipient for recipient, _ in told(story))
