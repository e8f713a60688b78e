"""NominationCommands on the in-memory log: given commands, when a command, then the events it added."""

from __future__ import annotations

import threading

import pytest

from shared.domain.workflow.commands import DecideStage, ReviseNomination, WithdrawNomination
from shared.domain.workflow.errors import Conflict, Forbidden, NotFound
from tests.unit.application.conftest import approve, cadre, of, submission, submitted, wait_caught_up

SUBMITTED = ("NominationSubmitted", "applied")


class TestSubmitNomination:
    def test_records_the_submission_and_answers_with_the_folded_state(self, process) -> None:
        who = cadre()
        command = submission(who, "org_department")

        nomination = process.execute(command.nomination_id, command, who)

        assert (nomination.status, nomination.stage, nomination.version) == ("in_review", "org_department", 1)
        assert process.book.get(command.nomination_id) == nomination
        assert process.trail(command.nomination_id) == [SUBMITTED]

    def test_a_second_submission_with_the_same_id_is_a_conflict(self, process) -> None:
        who = cadre()
        command = submission(who)
        process.execute(command.nomination_id, command, who)

        with pytest.raises(Conflict):
            process.execute(command.nomination_id, command, who)
        assert process.trail(command.nomination_id) == [SUBMITTED]


class TestDecideStage:
    def test_an_approval_opens_the_next_step(self, process) -> None:
        nomination = submitted(process, channel="unit")

        after = approve(process, nomination, "unit")

        assert (after.stage, after.step, after.version) == ("org_department", 1, 2)
        assert process.trail(nomination.nomination_id) == [SUBMITTED, ("StageApproved", "applied")]

    def test_a_decision_on_a_stage_that_is_not_active_is_a_stale_conflict(self, process) -> None:
        nomination = approve(process, submitted(process, channel="unit"), "unit")

        with pytest.raises(Conflict, match="stale"):
            process.execute(nomination.nomination_id, DecideStage("unit", "reject"), of(nomination, "unit"))
        assert len(process.trail(nomination.nomination_id)) == 2

    def test_a_reviewer_of_another_stage_is_forbidden(self, process) -> None:
        nomination = submitted(process, channel="unit")

        with pytest.raises(Forbidden):
            process.execute(nomination.nomination_id, DecideStage("unit", "approve"), of(nomination, "secretary"))

    def test_a_decision_on_an_unknown_nomination_is_not_found(self, process) -> None:
        with pytest.raises(NotFound):
            process.execute("nobody", DecideStage("unit", "approve"), of(submitted(process), "unit"))


class TestReviseAndWithdraw:
    def test_a_returned_nomination_is_revised_and_its_step_reopens(self, process) -> None:
        who = cadre()
        nomination = submitted(process, who, channel="unit")
        process.execute(nomination.nomination_id, DecideStage("unit", "return", "add figures"), of(nomination, "unit"))

        revised = process.execute(nomination.nomination_id, ReviseNomination({"statement": "With figures."}), who)

        assert (revised.status, revised.stage) == ("in_review", "unit")
        assert process.opened(revised, revised.contents()["statement"], "statement") == "With figures."
        assert [t for t, _ in process.trail(nomination.nomination_id)][-2:] == [
            "NominationReturned",
            "NominationRevised",
        ]

    def test_a_withdrawn_nomination_accepts_nothing_more(self, process) -> None:
        who = cadre()
        nomination = submitted(process, who)

        withdrawn = process.execute(nomination.nomination_id, WithdrawNomination("another post"), who)

        assert withdrawn.status == "withdrawn"
        assert process.opened(withdrawn, withdrawn.withdrawal_reason, "reason") == "another post"
        with pytest.raises(Conflict):
            process.execute(nomination.nomination_id, WithdrawNomination("again"), who)
        with pytest.raises(Conflict):
            approve(process, nomination, "unit")


class TestRaces:
    def test_the_loser_of_a_race_is_void_in_the_log_and_answered_as_the_winner_left_it(
        self, process_factory, held_log
    ) -> None:
        first, behind = process_factory(), process_factory(held_log)
        nomination = submitted(first, channel="unit")
        wait_caught_up(first, behind)
        held_log.hold()  # `behind` still sees the unit step open when it decides
        approve(first, nomination, "unit")
        held_log.release_after(0.1)

        with pytest.raises(Conflict, match="stale"):
            behind.execute(nomination.nomination_id, DecideStage("unit", "reject", "no"), of(nomination, "unit"))

        wait_caught_up(first, behind)
        expected = [SUBMITTED, ("StageApproved", "applied"), ("NominationRejected", "void")]
        assert first.trail(nomination.nomination_id) == behind.trail(nomination.nomination_id) == expected

    def test_two_processes_deciding_one_step_at_once_have_one_winner(self, process_factory) -> None:
        processes = [process_factory(), process_factory()]
        nomination = submitted(processes[0], channel="org_department")
        wait_caught_up(*processes)
        start, answers = threading.Barrier(2), {}

        def decide(index: int, decision: str) -> None:
            start.wait()
            try:
                command = DecideStage("org_department", decision, "")
                answers[decision] = processes[index].execute(
                    nomination.nomination_id, command, of(nomination, "org_department")
                )
            except Conflict as refusal:
                answers[decision] = refusal

        threads = [threading.Thread(target=decide, args=args) for args in ((0, "approve"), (1, "reject"))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

        assert sorted(type(a).__name__ for a in answers.values()) == ["Conflict", "Nomination"]
        wait_caught_up(*processes)
        applied = [t for t, outcome in processes[1].trail(nomination.nomination_id) if outcome == "applied"]
        assert len(applied) == 2 and applied[0] == "NominationSubmitted"
