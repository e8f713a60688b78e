"""Inboxes: one notification per (event, recipient), to the person or to their role and unit."""

from shared.eventlog.topics import NOTIFICATIONS
from tests.support.paging import every_page
from tests.support.people import person_factory

FIELDS = {"id", "nomination_id", "case_id", "event_type", "message", "created_at", "read", "redacted"}


def inbox(services, who, client=None) -> dict:
    services.settle()
    return every_page(client or services.notification, "/api/v1/notifications", who)


def about(services, who, nid, client=None) -> list[dict]:
    return [item for item in inbox(services, who, client)["items"] if item["nomination_id"] == nid]


def mark_read(services, who, notification_id, client=None):
    return (client or services.notification).post(f"/api/v1/notifications/{notification_id}/read", headers=who.headers)


def travel(services, cast, channel="unit") -> str:
    """Submit, approve at the unit, return at the organization department, revise, approve, reject."""
    nid = services.submit(cast.cadre, channel)["nomination_id"]
    assert services.decide(cast.unit_reviewer, nid, "unit").status_code == 200
    assert services.decide(cast.org_reviewer, nid, "org_department", "return", comment="figures?").status_code == 200
    revised = services.nomination.post(
        f"/api/v1/nominations/{nid}/revision", json={"statement": "With figures"}, headers=cast.cadre.headers
    )
    assert revised.status_code == 200
    assert services.decide(cast.org_reviewer, nid, "org_department").status_code == 200
    assert services.decide(cast.secretary, nid, "secretary", "reject", comment="another time").status_code == 200
    services.settle()
    return nid


class TestInbox:
    def test_the_cadre_gets_one_entry_per_event_that_concerns_them_newest_first(self, services, cast) -> None:
        nid = travel(services, cast)

        mine = inbox(services, cast.cadre)

        assert [item["event_type"] for item in mine["items"]] == [
            "NominationRejected",
            "StageApproved",
            "NominationReturned",
            "StageApproved",
            "NominationSubmitted",
        ]
        assert (mine["count"], mine["unread"]) == (5, 5)
        for item in mine["items"]:
            assert set(item) == FIELDS
            assert (item["nomination_id"], item["read"]) == (nid, False)
            assert "Deputy director" in item["message"]
        assert "another time" in mine["items"][0]["message"]
        assert "figures?" in mine["items"][2]["message"]
        assert len({item["id"] for item in mine["items"]}) == 5

    def test_unit_reviewers_of_the_cadres_unit_get_the_new_task(self, services, cast) -> None:
        nid = services.submit(cast.cadre, "unit")["nomination_id"]

        for who in (cast.unit_reviewer, person_factory("unit_reviewer", cast.cadre.unit)):
            [task] = about(services, who, nid)
            assert task["event_type"] == "NominationSubmitted"
            assert cast.cadre.name in task["message"] and "queue" in task["message"]
        assert about(services, person_factory("unit_reviewer"), nid) == []
        assert about(services, cast.org_reviewer, nid) == []
        assert about(services, person_factory("cadre", cast.cadre.unit), nid) == []

    def test_each_stage_is_told_when_the_nomination_reaches_it(self, services, cast) -> None:
        nid = services.submit(cast.cadre, "unit")["nomination_id"]
        services.decide(cast.unit_reviewer, nid, "unit")

        assert [i["event_type"] for i in about(services, person_factory("org_reviewer"), nid)] == ["StageApproved"]
        assert about(services, cast.secretary, nid) == []
        services.decide(cast.org_reviewer, nid, "org_department")
        assert [i["event_type"] for i in about(services, person_factory("secretary"), nid)] == ["StageApproved"]

    def test_a_revision_tells_the_reviewers_it_is_back_in_their_queue(self, services, cast) -> None:
        nid = services.submit(cast.cadre, "unit")["nomination_id"]
        services.decide(cast.unit_reviewer, nid, "unit", "return")
        services.nomination.post(
            f"/api/v1/nominations/{nid}/revision", json={"statement": "Better"}, headers=cast.cadre.headers
        )

        assert [i["event_type"] for i in about(services, cast.unit_reviewer, nid)] == [
            "NominationRevised",
            "NominationSubmitted",
        ]

    def test_a_withdrawal_tells_the_reviewers_of_the_stage_it_waited_at(self, services, cast) -> None:
        nid = services.submit(cast.cadre, "unit")["nomination_id"]
        services.nomination.post(f"/api/v1/nominations/{nid}/withdrawal", json={}, headers=cast.cadre.headers)

        assert about(services, cast.unit_reviewer, nid)[0]["event_type"] == "NominationWithdrawn"

    def test_the_inbox_needs_a_token(self, services) -> None:
        assert services.notification.get("/api/v1/notifications").status_code == 401


class TestMarkRead:
    def test_marking_read_is_recorded_once_and_is_idempotent(self, services, cast) -> None:
        services.submit(cast.cadre)
        [item] = inbox(services, cast.cadre)["items"]

        first = mark_read(services, cast.cadre, item["id"])
        again = mark_read(services, cast.cadre, item["id"])

        assert (first.status_code, again.status_code) == (200, 200)
        assert first.json == again.json == {**item, "read": True}
        assert inbox(services, cast.cadre)["unread"] == 0
        reads = [
            (event, outcome)
            for event, outcome in services.log_events(NOTIFICATIONS)
            if event.type == "NotificationRead" and event.payload["notification_id"] == item["id"]
        ]
        assert [outcome.value for _, outcome in reads] == ["applied"]
        assert reads[0][0].payload["person"] == cast.cadre.id

    def test_read_marks_are_per_person_even_on_a_shared_role_notification(self, services, cast) -> None:
        nid = services.submit(cast.cadre, "unit")["nomination_id"]
        colleague = person_factory("unit_reviewer", cast.cadre.unit)
        [task] = about(services, cast.unit_reviewer, nid)

        assert mark_read(services, cast.unit_reviewer, task["id"]).json["read"] is True

        assert about(services, cast.unit_reviewer, nid)[0]["read"] is True
        assert about(services, colleague, nid)[0]["read"] is False

    def test_someone_elses_notification_is_not_found(self, services, cast) -> None:
        services.submit(cast.cadre, "unit")
        [item] = inbox(services, cast.cadre)["items"]

        for stranger in (person_factory("cadre", cast.cadre.unit), cast.unit_reviewer, cast.admin):
            answer = mark_read(services, stranger, item["id"])
            assert answer.status_code == 404
            assert answer.json["error"]["code"] == "not_found"
        assert inbox(services, cast.cadre)["items"][0]["read"] is False

    def test_an_unknown_notification_is_not_found(self, services, cast) -> None:
        assert mark_read(services, cast.cadre, "0" * 24).status_code == 404


class TestReplay:
    def test_a_restarted_notification_service_rebuilds_the_same_inboxes(self, services, cast, app_factory) -> None:
        nid = travel(services, cast)
        [first, *_] = inbox(services, cast.cadre)["items"]
        mark_read(services, cast.cadre, first["id"])
        before = {who.id: inbox(services, who) for who in (cast.cadre, cast.unit_reviewer)}
        before_org = about(services, cast.org_reviewer, nid)

        restarted = app_factory("notification").test_client()

        for who in (cast.cadre, cast.unit_reviewer):
            assert inbox(services, who, restarted) == before[who.id]
        assert about(services, cast.org_reviewer, nid, restarted) == before_org
        assert inbox(services, cast.cadre, restarted)["items"][0]["read"] is True
        ids = [i["id"] for i in inbox(services, cast.cadre, restarted)["items"]]
        assert len(ids) == len(set(ids)) == 5

        later = services.submit(cast.cadre, "unit")["nomination_id"]
        services.decide(cast.unit_reviewer, later, "unit")
        assert inbox(services, cast.cadre, restarted) == inbox(services, cast.cadre)
        assert about(services, cast.unit_reviewer, later, restarted) == about(services, cast.unit_reviewer, later)
