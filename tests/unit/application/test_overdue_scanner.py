"""The deadline scanner: each overdue step is flagged once, however many processes scan."""

from __future__ import annotations

from services.review.overdue import OverdueScanner
from tests.unit.application.conftest import submitted, wait_caught_up


def scanner_of(process) -> OverdueScanner:
    return OverdueScanner(process.book, process.nominations.commands)


class TestOverdueScan:
    def test_flags_nothing_before_the_due_time(self, process, clock) -> None:
        nomination = submitted(process, channel="unit")
        clock.now = nomination.active_step.due_at - clock.now.resolution

        assert scanner_of(process).scan() == (0, 0)

    def test_flags_a_step_past_its_due_time_once(self, process, clock) -> None:
        nomination = submitted(process, channel="unit")
        clock.now = nomination.active_step.due_at

        assert scanner_of(process).scan() == (1, 1)
        assert scanner_of(process).scan() == (0, 0)
        flagged = process.book.get(nomination.nomination_id)
        assert flagged.overdue and flagged.active_step.overdue_at == nomination.active_step.due_at
        assert process.trail(nomination.nomination_id)[-1] == ("StageOverdue", "applied")

    def test_two_processes_scanning_at_once_record_one_overdue_event(self, process_factory, clock) -> None:
        processes = [process_factory(), process_factory()]
        nomination = submitted(processes[0], channel="org_department")
        wait_caught_up(*processes)
        clock.now = nomination.active_step.due_at

        flagged = [scanner_of(p).scan()[0] for p in processes]

        wait_caught_up(*processes)
        assert sum(flagged) == 1
        trail = processes[1].trail(nomination.nomination_id)  # a late second one may be there, void
        assert [outcome for kind, outcome in trail if kind == "StageOverdue"][:1] == ["applied"]
        assert trail.count(("StageOverdue", "applied")) == 1
