"""The deadline scanner flags an overdue step once, reminds its reviewers and tells the next level up."""

import threading
from datetime import datetime, timedelta

import pytest

from tests.support.deadlines import working_days
from tests.support.paging import every_page
from tests.support.people import person_factory

SCAN = "/api/v1/reviews/overdue-scan"


def scan(services, admin, client=None) -> dict:
    services.settle()
    answer = (client or services.review).post(SCAN, headers=admin.headers)
    assert answer.status_code == 200, answer.json
    services.settle()
    return answer.json


def flag_the_others_due_by(services, admin, when: datetime) -> None:
    """Other tests' nominations (and, on Kafka, earlier runs' and other clients') share the log:
    flag those due by `when` first, so that a scan at `when` counts only this test's nominations.
    The clock goes back to where it was. (Going back in time instead would not help: a live
    deadline scanner with a real clock on the same Kafka log would flag this test's steps.)"""
    now = services.clock.now
    services.clock.now = when
    scan(services, admin)
    services.clock.now = now


def overdue_events(services, who, nid) -> list[dict]:
    items = services.nomination.get(f"/api/v1/nominations/{nid}/events", headers=who.headers).json["items"]
    return [e for e in items if e["type"] == "StageOverdue"]


def inbox_of(services, who, nid) -> list[dict]:
    items = every_page(services.notification, "/api/v1/notifications", who)["items"]
    return [i for i in items if i["nomination_id"] == nid]


class TestOverdueScan:
    def test_flags_a_step_past_its_due_time_once(self, services, cast) -> None:
        start = services.clock.now
        due = working_days(start, 5)
        flag_the_others_due_by(services, cast.admin, due + timedelta(hours=1))
        nid = services.submit(cast.cadre, "unit")["nomination_id"]

        services.clock.now = due - timedelta(seconds=1)
        assert scan(services, cast.admin) == {"flagged": 0, "checked": 0}
        services.clock.now = due + timedelta(hours=1)
        assert scan(services, cast.admin) == {"flagged": 1, "checked": 1}
        assert scan(services, cast.admin) == {"flagged": 0, "checked": 0}

        [flagged] = overdue_events(services, cast.cadre, nid)
        assert flagged["payload"] == {"stage": "unit", "step": 0, "due_at": due.isoformat()}
        assert flagged["actor"]["role"] == "system"
        assert flagged["outcome"] == "applied"
        view = services.nomination.get(f"/api/v1/nominations/{nid}", headers=cast.cadre.headers).json
        assert view["overdue"] is True
        assert (view["status"], view["stage"]) == ("in_review", "unit")
        assert datetime.fromisoformat(view["history"][0]["overdue_at"]) == services.clock.now

    def test_the_reviewers_are_reminded_and_the_next_level_up_is_told(self, services, cast) -> None:
        late = working_days(services.clock.now, 5) + timedelta(hours=1)
        flag_the_others_due_by(services, cast.admin, late)
        nid = services.submit(cast.cadre, "unit")["nomination_id"]
        services.clock.now = late

        scan(services, cast.admin)

        for who in (cast.unit_reviewer, person_factory("unit_reviewer", cast.cadre.unit), cast.org_reviewer):
            assert [i["event_type"] for i in inbox_of(services, who, nid)][0] == "StageOverdue", who.role
        assert "Reminder" in inbox_of(services, cast.unit_reviewer, nid)[0]["message"]
        assert "Escalation" in inbox_of(services, cast.org_reviewer, nid)[0]["message"]
        assert inbox_of(services, person_factory("unit_reviewer"), nid) == []
        assert "StageOverdue" not in [i["event_type"] for i in inbox_of(services, cast.secretary, nid)]

    def test_a_decision_clears_the_flag_and_the_next_step_has_its_own_deadline(self, services, cast) -> None:
        late = working_days(services.clock.now, 5) + timedelta(hours=1)
        next_due = working_days(late, 10)
        flag_the_others_due_by(services, cast.admin, next_due)
        nid = services.submit(cast.cadre, "unit")["nomination_id"]
        services.clock.now = late
        assert scan(services, cast.admin)["flagged"] == 1

        approved = services.decide(cast.unit_reviewer, nid, "unit")

        assert approved.json["overdue"] is False
        assert datetime.fromisoformat(approved.json["due_at"]) == next_due
        services.clock.now = next_due - timedelta(seconds=1)
        assert scan(services, cast.admin)["flagged"] == 0
        services.clock.now = next_due
        assert scan(services, cast.admin)["flagged"] == 1
        assert [(e["payload"]["stage"], e["payload"]["step"]) for e in overdue_events(services, cast.cadre, nid)] == [
            ("unit", 0),
            ("org_department", 1),
        ]

    def test_a_nomination_waiting_for_the_cadre_is_not_overdue(self, services, cast) -> None:
        start = services.clock.now
        revised_at = working_days(start, 5) + timedelta(hours=1)  # the first due time has passed
        flag_the_others_due_by(services, cast.admin, working_days(revised_at, 5))
        nid = services.submit(cast.cadre, "unit")["nomination_id"]
        services.decide(cast.unit_reviewer, nid, "unit", "return")
        services.clock.now = revised_at
        assert scan(services, cast.admin)["flagged"] == 0

        revised = services.nomination.post(
            f"/api/v1/nominations/{nid}/revision", json={"statement": "Revised"}, headers=cast.cadre.headers
        )
        assert revised.status_code == 200, revised.json
        services.clock.now = working_days(revised_at, 5)

        assert scan(services, cast.admin)["flagged"] == 1

    def test_two_replicas_scanning_at_once_record_the_step_once(self, services, cast, review_replica) -> None:
        due = working_days(services.clock.now, 10)
        flag_the_others_due_by(services, cast.admin, due)
        nid = services.submit(cast.cadre, "org_department")["nomination_id"]
        services.clock.now = due
        start = threading.Barrier(2)
        results = []

        def run(client) -> None:
            start.wait()
            results.append(client.post(SCAN, headers=cast.admin.headers).json["flagged"])

        threads = [threading.Thread(target=run, args=(client,)) for client in (services.review, review_replica)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        services.settle()

        assert sum(results) == 1
        applied = [e for e in overdue_events(services, cast.cadre, nid) if e["outcome"] == "applied"]
        assert len(applied) == 1

    @pytest.mark.parametrize("role", ["cadre", "unit_reviewer", "org_reviewer", "secretary"])
    def test_only_an_admin_runs_the_scan_by_hand(self, services, role) -> None:
        answer = services.review.post(SCAN, headers=person_factory(role).headers)

        assert answer.status_code == 403

    def test_the_scan_needs_a_token(self, services) -> None:
        assert services.review.post(SCAN).status_code == 401
