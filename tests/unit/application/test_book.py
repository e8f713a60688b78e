"""NominationBook, the nominations read model: queues, a cadre's own list, as_of, the audit trail."""

from __future__ import annotations

from datetime import timedelta

from shared.domain.workflow.commands import DecideStage, ReviseNomination, WithdrawNomination
from tests.unit.application.conftest import T0, cadre, of, reviewer, submitted


class TestQueue:
    def test_lists_the_nominations_waiting_at_the_callers_stage_and_unit_oldest_due_first(self, process, clock) -> None:
        unit = "unit-queue"
        first = submitted(process, cadre(unit), channel="unit")
        clock.advance(hours=1)
        second = submitted(process, cadre(unit), channel="unit")
        submitted(process, cadre("unit-other"), channel="unit")
        submitted(process, cadre(unit), channel="org_department")

        queue = process.book.queue("unit_reviewer", unit)

        assert [n.nomination_id for n in queue] == [first.nomination_id, second.nomination_id]

    def test_leaves_out_the_reviewers_own_nomination(self, process) -> None:
        reviewer_as_cadre = cadre("unit-recusal")
        own = submitted(process, reviewer_as_cadre, channel="unit")
        other = submitted(process, cadre("unit-recusal"), channel="unit")

        queue = process.book.queue("unit_reviewer", "unit-recusal", reviewer_id=reviewer_as_cadre.id)

        assert [n.nomination_id for n in queue] == [other.nomination_id]
        assert own.nomination_id in {n.nomination_id for n in process.book.queue("unit_reviewer", "unit-recusal")}

    def test_a_decided_step_leaves_the_queue_and_the_next_one_joins_its_queue(self, process) -> None:
        nomination = submitted(process, channel="unit")
        process.execute(nomination.nomination_id, DecideStage("unit", "approve"), of(nomination, "unit"))

        assert process.book.queue("unit_reviewer", nomination.cadre.unit) == []
        assert nomination.nomination_id in {n.nomination_id for n in process.book.queue("org_reviewer", None)}


class TestOfCadre:
    def test_lists_a_cadres_own_nominations_newest_first(self, process, clock) -> None:
        who = cadre()
        older = submitted(process, who, channel="unit")
        clock.advance(days=1)
        newer = submitted(process, who, channel="secretary")
        submitted(process)

        assert [n.nomination_id for n in process.book.of_cadre(who.id)] == [newer.nomination_id, older.nomination_id]


class TestHeld:
    def test_a_closed_nomination_is_held_packed_and_read_back_whole(self, process) -> None:
        who = cadre()
        nomination = submitted(process, who)
        process.execute(nomination.nomination_id, WithdrawNomination("moved"), who)

        assert isinstance(dict.__getitem__(process.book.nominations, nomination.nomination_id), bytes)
        withdrawn = process.book.get(nomination.nomination_id)
        assert (withdrawn.status, withdrawn.content) == ("withdrawn", nomination.content)
        assert process.book.of_cadre(who.id) == [withdrawn]
        assert process.book.open_of_cadre(who.id) == 0

    def test_in_review_lists_the_nominations_waiting_at_any_stage(self, process) -> None:
        waiting = submitted(process, channel="unit")
        who = cadre()
        withdrawn = submitted(process, who, channel="unit")
        process.execute(withdrawn.nomination_id, WithdrawNomination("moved"), who)

        assert [n.nomination_id for n in process.book.in_review()] == [waiting.nomination_id]


class TestAsOf:
    def test_shows_the_nomination_as_it_stood_at_a_time(self, process, clock) -> None:
        who = cadre()
        nomination = submitted(process, who, channel="unit")
        clock.advance(hours=1)
        process.execute(nomination.nomination_id, DecideStage("unit", "return", "figures"), of(nomination, "unit"))
        clock.advance(hours=1)
        process.execute(nomination.nomination_id, ReviseNomination({"statement": "With figures."}), who)

        returned = process.book.as_of(nomination.nomination_id, T0 + timedelta(minutes=90))
        revised = process.book.as_of(nomination.nomination_id, T0 + timedelta(hours=3))

        assert process.book.as_of(nomination.nomination_id, T0 - timedelta(seconds=1)) is None
        assert (returned.status, returned.version) == ("returned", 2)
        assert revised.status == "in_review"
        assert process.opened(revised, revised.contents()["statement"], "statement") == "With figures."
        assert revised == process.book.get(nomination.nomination_id)


class TestTrail:
    def test_a_closed_nominations_trail_is_read_back_from_the_log(self, process) -> None:
        who = cadre()
        nomination = submitted(process, who)
        process.execute(nomination.nomination_id, WithdrawNomination("moved"), who)

        assert nomination.nomination_id in process.book.trail.packed  # closed: its positions packed
        trail = process.book.events(nomination.nomination_id)
        assert [(e.event.type, e.outcome.value) for e in trail] == [
            ("NominationSubmitted", "applied"),
            ("NominationWithdrawn", "applied"),
        ]
        assert [e.event.stream_version for e in trail] == [1, 2]

    def test_an_open_nominations_trail_is_read_back_from_the_log_as_it_grows(self, process) -> None:
        nomination = submitted(process, channel="unit")
        assert [e.event.type for e in process.book.events(nomination.nomination_id)] == ["NominationSubmitted"]
        process.execute(nomination.nomination_id, DecideStage("unit", "approve"), of(nomination, "unit"))

        assert nomination.nomination_id in process.book.trail.live  # open: positions, not events
        trail = process.book.events(nomination.nomination_id)
        assert [(e.event.type, e.event.stream_version) for e in trail] == [
            ("NominationSubmitted", 1),
            ("StageApproved", 2),
        ]

    def test_an_unknown_nomination_has_no_trail_and_no_state(self, process) -> None:
        assert process.book.events("nobody") == []
        assert process.book.get("nobody") is None
        assert process.book.queue(reviewer("unit").role, "nowhere") == []
