"""Public notice and appointment through the services, on both backends, with the test's clock:
approved -> on notice (listed publicly) -> appointed after a clean window, or held by an open
objection and rejected when it is upheld; and the direct nomination by the organization department.

The objections are written to the cases topic as the supervision service records them
(`tests.support.cases`)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from tests.support.cases import Objection
from tests.support.deadlines import working_days
from tests.support.paging import every_page
from tests.support.people import person_factory

NOTICES = "/api/v1/notices"
SCAN = "/api/v1/notices/scan"


def approved_by_all(services, cast, channel: str = "unit") -> tuple[str, datetime]:
    """Given: a nomination through every step of its route; its id and when the last step was approved."""
    nid = services.submit(cast.cadre, channel)["nomination_id"]
    route = services.nomination.get(f"/api/v1/nominations/{nid}", headers=cast.cadre.headers).json["route"]
    for stage in route:
        answer = services.decide(cast.reviewer_of(stage), nid, stage)
        assert answer.status_code == 200, answer.json
    return nid, services.clock.now


def scan(services, admin) -> dict:
    services.settle()
    answer = services.nomination.post(SCAN, headers=admin.headers)
    assert answer.status_code == 200, answer.json
    services.settle()
    return answer.json


def view(services, who, nid) -> dict:
    return services.nomination.get(f"/api/v1/nominations/{nid}", headers=who.headers).json


def listed(services, nid) -> dict | None:
    """The public notice of `nid`, paging through the whole list (no token)."""
    cursor = None
    while True:
        answer = services.nomination.get(NOTICES, query_string={"limit": 50, **({"cursor": cursor} if cursor else {})})
        assert answer.status_code == 200, answer.json
        found = [item for item in answer.json["items"] if item["nomination_id"] == nid]
        cursor = answer.json["next_cursor"]
        if found or cursor is None:
            return found[0] if found else None


def events_of(services, who, nid) -> list[tuple[str, str]]:
    items = services.nomination.get(f"/api/v1/nominations/{nid}/events", headers=who.headers).json["items"]
    return [(e["type"], e["outcome"]) for e in items]


def inbox_types(services, who, nid) -> list[str]:
    items = every_page(services.notification, "/api/v1/notifications", who)["items"]  # role-wide inboxes grow long
    return [i["event_type"] for i in items if i["nomination_id"] == nid]


def cases_log(services):
    return services.apps[0].extensions["runtime"].log


class TestOnNotice:
    def test_the_last_approval_puts_the_nomination_on_public_notice_for_five_working_days(self, services, cast):
        nid, approved_at = approved_by_all(services, cast)

        shown = view(services, cast.cadre, nid)
        assert (shown["status"], shown["stage"], shown["due_at"]) == ("on_notice", None, None)
        assert datetime.fromisoformat(shown["notice_ends_at"]) == working_days(approved_at, 5)
        queue = every_page(services.review, "/api/v1/reviews/queue", cast.secretary)["items"]
        assert nid not in [i["nomination_id"] for i in queue]

    def test_the_public_sees_name_unit_post_and_window_only_without_a_token(self, services, cast):
        nid, approved_at = approved_by_all(services, cast)

        notice = listed(services, nid)

        assert notice == {
            "nomination_id": nid,
            "cadre": {"name": cast.cadre.name, "unit": cast.cadre.unit},
            "target_position": {"title": "Deputy director", "organization": "Municipal Bureau of Commerce"},
            "notice_starts_at": approved_at.isoformat(),
            "notice_ends_at": working_days(approved_at, 5).isoformat(),
            "redacted": False,  # true (and the name null) only for an erased person
        }

    def test_the_list_is_paged_with_an_opaque_cursor(self, services, cast):
        approved_by_all(services, cast)
        approved_by_all(services, cast)

        first = services.nomination.get(NOTICES, query_string={"limit": 1}).json
        second = services.nomination.get(NOTICES, query_string={"limit": 1, "cursor": first["next_cursor"]}).json

        assert len(first["items"]) == len(second["items"]) == 1
        assert first["items"][0]["nomination_id"] != second["items"][0]["nomination_id"]
        bad = services.nomination.get(NOTICES, query_string={"cursor": "not-a-cursor"})
        assert (bad.status_code, services.nomination.get(NOTICES, query_string={"limit": 500}).status_code) == (
            422,
            422,
        )

    def test_everyone_concerned_is_told(self, services, cast):
        nid, _ = approved_by_all(services, cast)
        services.settle()

        for who in (cast.cadre, cast.unit_reviewer, cast.org_reviewer, cast.secretary):
            assert inbox_types(services, who, nid)[0] == "NominationApproved", who.role


class TestCleanWindow:
    def test_the_end_of_a_clean_window_appoints_the_cadre_once(self, services, cast):
        nid, approved_at = approved_by_all(services, cast)
        ends = working_days(approved_at, 5)
        services.clock.now = ends - timedelta(seconds=1)
        scan(services, cast.admin)
        assert view(services, cast.cadre, nid)["status"] == "on_notice"

        services.clock.now = ends
        scan(services, cast.admin)
        scan(services, cast.admin)

        shown = view(services, cast.cadre, nid)
        assert (shown["status"], datetime.fromisoformat(shown["appointed_at"])) == ("approved", ends)
        assert events_of(services, cast.cadre, nid).count(("Appointed", "applied")) == 1
        assert listed(services, nid) is None
        for who in (cast.cadre, cast.secretary):
            assert inbox_types(services, who, nid)[0] == "Appointed", who.role

    def test_the_funnel_counts_notices_and_appointments(self, services, cast):
        nid, approved_at = approved_by_all(services, cast)
        services.clock.now = working_days(approved_at, 5)
        scan(services, cast.admin)

        metrics = services.review.get("/metrics").get_data(as_text=True)
        assert 'cadreflow_notices_total{outcome="opened"}' in metrics
        assert 'cadreflow_notices_total{outcome="appointed"}' in metrics


class TestObjection:
    def test_an_open_objection_holds_then_a_substantiated_one_rejects(self, services, cast):
        nid, approved_at = approved_by_all(services, cast)
        objection = Objection(cases_log(services), nid).filed(services.clock.now)
        services.clock.now = working_days(approved_at, 5) + timedelta(days=3)

        scan(services, cast.admin)
        assert view(services, cast.cadre, nid)["status"] == "on_notice"  # held past the window

        objection.found("substantiated", services.clock.now)
        scan(services, cast.admin)

        shown = view(services, cast.cadre, nid)
        assert (shown["status"], shown["objection_case"]) == ("rejected", objection.case_id)
        assert ("ObjectionUpheld", "applied") in events_of(services, cast.cadre, nid)
        assert ("Appointed", "applied") not in events_of(services, cast.cadre, nid)
        for who in (cast.cadre, cast.unit_reviewer, cast.org_reviewer, cast.secretary):
            assert inbox_types(services, who, nid)[0] == "ObjectionUpheld", who.role

    def test_an_unsubstantiated_objection_releases_the_hold(self, services, cast):
        nid, approved_at = approved_by_all(services, cast)
        objection = Objection(cases_log(services), nid).filed(services.clock.now)
        services.clock.now = working_days(approved_at, 5)
        scan(services, cast.admin)

        objection.found("unsubstantiated", services.clock.now)
        scan(services, cast.admin)

        assert view(services, cast.cadre, nid)["status"] == "approved"


class TestNoticeScanAccess:
    @pytest.mark.parametrize("role", ["cadre", "org_reviewer", "secretary"])
    def test_only_an_admin_runs_the_pass_by_hand(self, services, role):
        assert services.nomination.post(SCAN, headers=person_factory(role).headers).status_code == 403

    def test_the_pass_needs_a_token(self, services):
        assert services.nomination.post(SCAN).status_code == 401


def direct_body(cadre, **changes) -> dict:
    body = {
        "cadre": {"id": cadre.id, "name": cadre.name, "unit": cadre.unit},
        "target_position": {"title": "Director", "organization": "Development Zone"},
        "justification": "A deputy who delivered the port project two years early.",
    }
    return {**body, **changes}


class TestDirectNomination:
    def test_the_organization_department_puts_a_cadre_forward_for_the_secretary_then_notice(self, services, cast):
        created = services.nomination.post(
            "/api/v1/nominations/direct", json=direct_body(cast.cadre), headers=cast.org_reviewer.headers
        )
        assert created.status_code == 201, created.json
        nid = created.json["nomination_id"]
        assert (created.json["channel"], created.json["route"], created.json["stage"]) == (
            "direct",
            ["secretary"],
            "secretary",
        )
        assert created.json["proposer"] == cast.org_reviewer.id
        assert (
            services.nomination.get(created.headers["Location"], headers=cast.org_reviewer.headers).status_code == 200
        )
        assert view(services, cast.cadre, nid)["justification"].startswith("A deputy")
        services.settle()
        queue = every_page(services.review, "/api/v1/reviews/queue", cast.secretary)["items"]
        assert nid in [item["nomination_id"] for item in queue]

        assert services.decide(cast.secretary, nid, "secretary").json["status"] == "on_notice"
        assert listed(services, nid)["cadre"] == {"name": cast.cadre.name, "unit": cast.cadre.unit}

    def test_an_org_reviewer_cannot_put_themself_forward(self, services, cast):
        who = cast.org_reviewer
        answer = services.nomination.post("/api/v1/nominations/direct", json=direct_body(who), headers=who.headers)
        assert answer.status_code == 403

    @pytest.mark.parametrize("role", ["cadre", "unit_reviewer", "secretary"])
    def test_only_the_organization_department(self, services, cast, role):
        answer = services.nomination.post(
            "/api/v1/nominations/direct", json=direct_body(cast.cadre), headers=person_factory(role).headers
        )
        assert answer.status_code == 403

    def test_the_secretary_cannot_decide_their_own(self, services, cast):
        created = services.nomination.post(
            "/api/v1/nominations/direct", json=direct_body(cast.secretary), headers=cast.org_reviewer.headers
        )
        assert created.status_code == 201, created.json

        answer = services.decide(cast.secretary, created.json["nomination_id"], "secretary")

        assert answer.status_code == 403

    def test_a_proposal_without_a_justification_is_refused_naming_the_field(self, services, cast):
        body = direct_body(cast.cadre)
        del body["justification"]
        answer = services.nomination.post("/api/v1/nominations/direct", json=body, headers=cast.org_reviewer.headers)
        assert answer.status_code == 422
        assert "justification" in str(answer.json["error"]["details"])
