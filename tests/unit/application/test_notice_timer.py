"""The notice timer over the in-memory log: a clean window appoints, an open objection holds, an
upheld one rejects; once, however many processes run it; nothing lost across a restart."""

from __future__ import annotations

import pytest

from shared.application.nominations.notices import NoticeScan
from tests.support.cases import Objection
from tests.unit.application.conftest import Process, approve, submitted, wait_caught_up


def scan(process: Process) -> NoticeScan:
    """One pass of the process's notice timer, with the process caught up before and after."""
    wait_caught_up(process)
    assert process.timer is not None
    found = process.timer.scan()
    wait_caught_up(process)
    return found


@pytest.fixture
def notice_factory(process_factory):
    """A nomination-service process: the nominations, the objections and the notice timer."""
    return lambda: process_factory(notices=True)


@pytest.fixture
def node(notice_factory) -> Process:
    return notice_factory()


def on_notice(process: Process):
    """Given: a nomination through the org-department route, both steps approved."""
    nomination = submitted(process, channel="org_department")
    approve(process, nomination, "org_department")
    return approve(process, nomination, "secretary")


class TestCleanWindow:
    def test_nothing_happens_before_the_window_ends(self, node, clock) -> None:
        nomination = on_notice(node)
        clock.now = nomination.notice_ends_at - clock.now.resolution

        assert scan(node) == NoticeScan(checked=1)
        assert node.book.get(nomination.nomination_id).status == "on_notice"

    def test_the_end_of_a_clean_window_appoints_once(self, node, clock) -> None:
        nomination = on_notice(node)
        clock.now = nomination.notice_ends_at

        assert scan(node) == NoticeScan(appointed=1, checked=1)
        assert scan(node) == NoticeScan()
        appointed = node.book.get(nomination.nomination_id)
        assert (appointed.status, appointed.appointed_at) == ("approved", nomination.notice_ends_at)
        assert node.trail(nomination.nomination_id)[-1] == ("Appointed", "applied")
        assert node.book.notices() == []

    def test_two_processes_closing_at_once_record_one_appointment(self, notice_factory, clock) -> None:
        nodes = [notice_factory(), notice_factory()]
        nomination = on_notice(nodes[0])
        wait_caught_up(*nodes)
        clock.now = nomination.notice_ends_at

        appointed = [scan(n).appointed for n in nodes]

        wait_caught_up(*nodes)
        assert sum(appointed) == 1
        assert nodes[1].trail(nomination.nomination_id).count(("Appointed", "applied")) == 1

    def test_a_process_started_later_closes_what_an_earlier_one_left(self, notice_factory, clock) -> None:
        nomination = on_notice(notice_factory())  # that process never scans again (it went down)
        clock.now = nomination.notice_ends_at

        assert scan(notice_factory()).appointed == 1


class TestObjections:
    def test_an_open_objection_holds_the_appointment_past_the_window(self, node, clock, event_log) -> None:
        nomination = on_notice(node)
        Objection(event_log, nomination.nomination_id).filed(clock.now)
        clock.now = nomination.notice_ends_at

        assert scan(node) == NoticeScan(held=1, checked=1)
        assert node.book.get(nomination.nomination_id).status == "on_notice"

    def test_an_unsubstantiated_finding_releases_the_hold(self, node, clock, event_log) -> None:
        nomination = on_notice(node)
        objection = Objection(event_log, nomination.nomination_id).filed(clock.now)
        clock.now = nomination.notice_ends_at
        scan(node)

        objection.found("unsubstantiated", clock.now)

        assert scan(node).appointed == 1

    def test_a_dismissed_objection_releases_the_hold(self, node, clock, event_log) -> None:
        nomination = on_notice(node)
        Objection(event_log, nomination.nomination_id).filed(clock.now).dismissed(clock.now)
        clock.now = nomination.notice_ends_at

        assert scan(node).appointed == 1

    @pytest.mark.parametrize("result", ["substantiated", "partly"])
    def test_an_upheld_objection_rejects_with_the_case_as_reason(self, node, clock, event_log, result) -> None:
        nomination = on_notice(node)
        objection = Objection(event_log, nomination.nomination_id).filed(clock.now).found(result, clock.now)

        assert scan(node) == NoticeScan(rejected=1, checked=1)  # at once, without waiting for the window
        rejected = node.book.get(nomination.nomination_id)
        assert (rejected.status, rejected.objection_case) == ("rejected", objection.case_id)

    def test_objections_to_other_nominations_change_nothing(self, node, clock, event_log) -> None:
        nomination = on_notice(node)
        Objection(event_log, "another-nomination").filed(clock.now).found("substantiated", clock.now)
        clock.now = nomination.notice_ends_at

        assert scan(node).appointed == 1

    def test_a_process_started_later_folds_the_open_objection(self, notice_factory, clock, event_log) -> None:
        nomination = on_notice(notice_factory())
        Objection(event_log, nomination.nomination_id).filed(clock.now)
        clock.now = nomination.notice_ends_at

        assert scan(notice_factory()) == NoticeScan(held=1, checked=1)
