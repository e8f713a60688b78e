"""FlagRectificationOverdue: a late round is recorded once, by the system, and only once due."""

from datetime import timedelta

import pytest

from shared.domain.supervision import Conflict, FlagRectificationOverdue, Forbidden, Invalid

from .conftest import SYSTEM, officer


class TestFlagRectificationOverdue:
    def test_flags_the_current_round_once_it_is_due(self, story):
        story.rectifying()
        due_at = story.state.current_round.due_at

        decision = story.when(FlagRectificationOverdue(round=1), SYSTEM, at=due_at)

        assert decision.type == "RectificationOverdue"
        assert decision.payload == {
            "round": 1,
            "unit": "unit-a",
            "due_at": due_at.isoformat(),
            "supervising_unit": "unit-a",
        }
        story.record(decision, SYSTEM, due_at)
        assert story.state.overdue and story.state.status == "rectifying"

    def test_not_before_the_due_time(self, story):
        story.rectifying()
        due_at = story.state.current_round.due_at

        with pytest.raises(Conflict, match="not due"):
            story.when(FlagRectificationOverdue(round=1), SYSTEM, at=due_at - timedelta(seconds=1))

    def test_only_once_per_round(self, story):
        story.rectifying()
        late = story.state.current_round.due_at + timedelta(hours=1)
        story.given(FlagRectificationOverdue(round=1), SYSTEM, at=late)

        with pytest.raises(Conflict, match="already"):
            story.when(FlagRectificationOverdue(round=1), SYSTEM, at=late + timedelta(days=1))

    def test_a_late_report_is_still_taken_and_ends_the_overdue_state(self, story):
        story.rectifying()
        late = story.state.current_round.due_at + timedelta(hours=1)
        story.given(FlagRectificationOverdue(round=1), SYSTEM, at=late).reported()

        assert story.state.status == "evaluating"
        assert not story.state.overdue
        assert story.state.current_round.overdue_at == late

    def test_the_next_round_can_be_flagged_again(self, story):
        story.rectifying()
        late = story.state.current_round.due_at + timedelta(hours=1)
        story.given(FlagRectificationOverdue(round=1), SYSTEM, at=late).reported().evaluated(False)
        due_again = story.state.current_round.due_at

        with pytest.raises(Conflict, match="stale"):
            story.when(FlagRectificationOverdue(round=1), SYSTEM, at=due_again)
        decision = story.when(FlagRectificationOverdue(round=2), SYSTEM, at=due_again)
        assert decision.payload["supervising_unit"] == "city"

    def test_an_evaluating_case_is_not_overdue(self, story):
        story.rectifying().reported()

        with pytest.raises(Conflict):
            story.when(FlagRectificationOverdue(round=1), SYSTEM, at=story.clock + timedelta(days=99))

    def test_only_the_system_flags(self, story):
        story.rectifying()

        with pytest.raises(Forbidden):
            story.when(FlagRectificationOverdue(round=1), officer(), at=story.clock + timedelta(days=99))

    @pytest.mark.parametrize("round", ["1", True, None])
    def test_the_round_is_an_integer(self, story, round):
        story.rectifying()

        with pytest.raises(Invalid):
            story.when(FlagRectificationOverdue(round=round), SYSTEM)
