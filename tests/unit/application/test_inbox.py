"""The notification service's Inbox folded from the log, and who `notices` tells what."""

from __future__ import annotations

import pytest

from services.notification.inbox import Inbox
from services.notification.recipients import Text, keys_of, notices
from services.review.overdue import OverdueScanner
from shared.application.erasure import People
from shared.application.nominations.book import NominationBook
from shared.application.runtime import Runtime
from shared.config import Config
from shared.domain.workflow.commands import DecideStage, WithdrawNomination
from shared.eventlog.topics import NOMINATIONS, NOTIFICATIONS
from shared.events.envelope import Actor, new_event
from shared.metrics import service_metrics
from tests.unit.application.conftest import approve, cadre, of, submitted


class Notified:
    """The inbox of a notification process on the shared log."""

    def __init__(self, event_log, keys) -> None:
        self.runtime = Runtime(Config(service="unit", snapshot_dir=None), event_log, service_metrics("unit"), keys)
        self.inbox = Inbox(NominationBook(reread=event_log.read_at))
        self.follower = self.runtime.follow([NOMINATIONS, NOTIFICATIONS], self.inbox, name="inbox")
        self.opener = People.of(self.runtime).opener
        self.runtime.start()

    def of(self, person_id: str, role: str, unit: str) -> list[tuple[str, str]]:
        """(event type, message) of a person's inbox, newest first, once caught up with the log."""
        assert self.follower.catch_up(5)
        return [
            (n.event_type, self.inbox.render(n, self.opener)[0]) for n in self.inbox.inbox_of(person_id, role, unit)
        ]


@pytest.fixture
def notified(event_log, process, keys):
    notified = Notified(event_log, keys)
    yield notified
    notified.runtime.stop()


class TestInbox:
    def test_a_submission_tells_the_cadre_and_the_reviewers_of_the_first_stage(self, process, notified) -> None:
        who = cadre("unit-inbox")
        submitted(process, who, channel="unit", title="Deputy mayor")

        [(kind, message)] = notified.of(who.id, "cadre", who.unit)
        assert kind == "NominationSubmitted" and "Deputy mayor" in message and "unit stage" in message
        assert [k for k, _ in notified.of("any-reviewer", "unit_reviewer", "unit-inbox")] == ["NominationSubmitted"]
        assert notified.of("any-reviewer", "unit_reviewer", "unit-elsewhere") == []

    def test_an_approval_tells_the_cadre_and_puts_it_in_the_next_stages_queue(self, process, notified) -> None:
        who = cadre()
        approve(process, submitted(process, who, channel="unit"), "unit")

        assert [k for k, _ in notified.of(who.id, "cadre", who.unit)] == ["StageApproved", "NominationSubmitted"]
        org_inbox = notified.of("org-1", "org_reviewer", "hq")
        assert any(k == "StageApproved" and "in your queue" in m for k, m in org_inbox)

    def test_an_overdue_step_reminds_its_reviewers_and_escalates_to_the_next_level(
        self, process, notified, clock
    ) -> None:
        nomination = submitted(process, channel="org_department")
        clock.now = nomination.active_step.due_at
        OverdueScanner(process.book, process.nominations.commands).scan()

        reminders = [m for k, m in notified.of("org-2", "org_reviewer", "hq") if k == "StageOverdue"]
        escalations = [m for k, m in notified.of("sec-1", "secretary", "hq") if k == "StageOverdue"]
        assert any(m.startswith("Reminder") for m in reminders)
        assert any(m.startswith("Escalation") for m in escalations)

    def test_a_withdrawal_tells_the_reviewers_of_the_stage_it_was_at(self, process, notified) -> None:
        who = cadre("unit-withdraw")
        nomination = submitted(process, who, channel="unit")
        process.execute(nomination.nomination_id, WithdrawNomination("moved"), who)

        kinds = [k for k, _ in notified.of("r-1", "unit_reviewer", "unit-withdraw")]
        assert kinds[0] == "NominationWithdrawn"

    def test_a_read_mark_in_the_log_marks_the_notification_read(self, process, notified, event_log) -> None:
        who = cadre()
        submitted(process, who)
        notified.of(who.id, "cadre", who.unit)
        [notice] = notified.inbox.inbox_of(who.id, "cadre", who.unit)
        mark = {"notification_id": notice.id, "person": who.id}
        event_log.append(
            NOTIFICATIONS, [new_event("NotificationRead", f"read:{notice.id}", 0, mark, Actor(who.id, "r"))]
        )

        notified.of(who.id, "cadre", who.unit)
        assert (notice.id, who.id) in notified.inbox.read


class TestNotices:
    def test_a_return_tells_only_the_cadre_with_the_reviewers_comment(self, process) -> None:
        nomination = submitted(process, channel="unit")
        after = process.execute(
            nomination.nomination_id, DecideStage("unit", "return", "add figures"), of(nomination, "unit")
        )

        told = notices("NominationReturned", {"comment": "add figures"}, nomination, after)

        assert [(n.recipient, Text("comment", "add figures") in n.message) for n in told] == [
            (f"person:{nomination.cadre.id}", True)
        ]

    def test_a_caller_is_reached_as_a_person_and_as_their_role_in_their_unit_or_anywhere(self) -> None:
        assert keys_of("p-1", "org_reviewer", "hq") == {"person:p-1", "role:org_reviewer:hq", "role:org_reviewer:*"}
