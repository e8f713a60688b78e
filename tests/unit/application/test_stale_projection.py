"""A command on a process that has not yet folded the latest events (another gunicorn worker
wrote them a moment ago) is decided on the caught-up state: never a 409 or 404 from staleness.

The e2e workflow test met it: the secretary's decision landed on a worker that had not folded the
org_department approval made on the other worker, and got "stale: the active step is 1".
"""

from __future__ import annotations

import pytest

import shared.application.freshness
from shared.application.errors import Unavailable
from shared.domain.workflow.commands import DecideStage, WithdrawNomination
from shared.domain.workflow.errors import Conflict
from tests.unit.application.conftest import approve, cadre, of, submitted, wait_caught_up


class TestCommandOnAProcessBehindTheLog:
    def test_a_decision_waits_for_the_step_another_process_just_opened(self, process_factory, held_log) -> None:
        first, behind = process_factory(), process_factory(held_log)
        nomination = approve(first, submitted(first, channel="secretary"), "secretary", step=0)
        wait_caught_up(first, behind)
        held_log.hold()
        approve(first, nomination, "org_department", step=1)
        held_log.release_after(0.2)  # it folds the approval only after the decision arrived

        approved = approve(behind, nomination, "secretary", step=2)

        assert (approved.status, approved.version) == ("approved", 4)

    def test_a_decision_on_a_nomination_another_process_just_submitted_finds_it(
        self, process_factory, held_log
    ) -> None:
        first, behind = process_factory(), process_factory(held_log)
        held_log.hold()
        nomination = submitted(first, channel="unit")
        held_log.release_after(0.2)

        after = approve(behind, nomination, "unit")

        assert (after.stage, after.version) == ("org_department", 2)

    def test_a_command_still_refused_on_the_caught_up_state_is_refused(self, process_factory, held_log) -> None:
        who = cadre()
        first, behind = process_factory(), process_factory(held_log)
        nomination = submitted(first, who, channel="unit")
        wait_caught_up(first, behind)
        held_log.hold()
        first.execute(nomination.nomination_id, WithdrawNomination("moved"), who)
        held_log.release_after(0.2)

        with pytest.raises(Conflict, match="withdrawn"):
            approve(behind, nomination, "unit")

    def test_a_process_that_cannot_catch_up_in_time_is_unavailable_not_a_conflict(
        self, process_factory, held_log, monkeypatch
    ) -> None:
        monkeypatch.setattr(shared.application.freshness, "CATCH_UP_S", 0.2)
        first, behind = process_factory(), process_factory(held_log)
        nomination = submitted(first, channel="unit")
        wait_caught_up(first, behind)
        held_log.hold()
        approve(first, nomination, "unit")

        with pytest.raises(Unavailable):
            behind.execute(
                nomination.nomination_id, DecideStage("org_department", "approve"), of(nomination, "org_department")
            )
