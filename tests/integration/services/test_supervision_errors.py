"""Supervision refusals on both backends: bad input is 400/422 (never 500), scope is 403, an action
that does not fit the status is 409, and two replicas racing the same action have one winner."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.support.clues import clue_body
from tests.support.people import person_factory


@pytest.fixture
def case(services):
    unit = f"unit-{person_factory('x').id[-6:]}"
    answer = services.supervision.post("/api/v1/clues", json=clue_body(unit=unit))
    services.settle()
    return answer.json["case_id"], unit, person_factory("supervision_officer", unit)


def codes(answer) -> tuple[int, str]:
    return answer.status_code, answer.json["error"]["code"]


class TestBadInput:
    @pytest.mark.parametrize(
        ("changes", "field"),
        [
            ({"kind": "rumour"}, "kind"),
            ({"anonymous": "yes"}, "anonymous"),
            ({"description": ""}, "description"),
            ({"description": "x" * 5001}, "description"),
            ({"subject": {"name": "x", "unit": "u", "shoe_size": "42"}}, "subject"),
            ({"reporter": {"name": "x"}}, "reporter"),
            ({"reporter": {"name": "x", "phone": "call me maybe"}}, "phone"),
            ({"colour": "red"}, "colour"),
        ],
    )
    def test_a_clue_that_breaks_the_schema_is_422_naming_the_field(self, services, changes, field):
        answer = services.supervision.post("/api/v1/clues", json=clue_body(**changes))

        assert codes(answer) == (422, "invalid")
        assert field in str(answer.json["error"]["details"])

    @pytest.mark.parametrize(
        ("changes", "field"),
        [
            ({"category": "traffic-and-parking"}, "category"),  # a matter's category on a cadre clue
            ({"anonymous": True}, "reporter"),  # anonymous, yet named
            ({"reporter": None}, "reporter"),  # named, yet nobody
            ({"kind": "objection", "subject": {"unit": "u"}, "category": "notice-objection"}, "subject"),
        ],
    )
    def test_a_clue_that_breaks_a_rule_is_422_naming_the_field(self, services, changes, field):
        answer = services.supervision.post("/api/v1/clues", json=clue_body(**changes))

        assert codes(answer) == (422, "invalid") and field in answer.json["error"]["details"]

    def test_malformed_json_is_400_and_a_huge_body_413(self, services):
        bad = services.supervision.post("/api/v1/clues", data=b'{"kind": ', content_type="application/json")
        huge = services.supervision.post("/api/v1/clues", json=clue_body(description="x" * 70_000))

        assert bad.status_code == 400 and huge.status_code == 413

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"action": "fly"}, "action"),
            ({"action": "dismiss"}, "reason"),
            ({"action": "dismiss", "reason": "x", "text": "y"}, "text"),
            ({"action": "order", "unit": "u", "due_days": "5", "requirement": "r"}, "due_days"),
            ({"action": "order", "unit": "u", "due_days": 0, "requirement": "r"}, "due_days"),
            ({"action": "finding", "result": "maybe", "summary": "s"}, "result"),
            ({"action": "evaluate", "effective": "perhaps"}, "effective"),
        ],
    )
    def test_an_action_with_bad_fields_is_422(self, services, case, body, field):
        case_id, _, officer = case

        answer = services.supervision.post(f"/api/v1/cases/{case_id}/actions", json=body, headers=officer.headers)

        assert codes(answer) == (422, "invalid") and field in str(answer.json["error"]["details"])

    @pytest.mark.parametrize("receipt", ["", "1234", "abcdabcdabcdabcd", "1" * 40])
    def test_a_malformed_receipt_is_422_and_an_unknown_one_404(self, services, receipt):
        assert services.supervision.get("/api/v1/clues/status", headers={"X-Receipt": receipt}).status_code == 422
        unknown = services.supervision.get("/api/v1/clues/status", headers={"X-Receipt": "0000 0000 0000 0001"})
        assert codes(unknown) == (404, "not_found")

    def test_bad_list_queries_are_422(self, services):
        officer = person_factory("supervision_officer", "city")
        for query in ({"status": "asleep"}, {"limit": 0}, {"limit": 201}, {"cursor": "not-a-cursor"}):
            assert (
                services.supervision.get("/api/v1/cases", query_string=query, headers=officer.headers).status_code
                == 422
            )


class TestScopeAndStatus:
    def test_no_token_is_401_and_other_roles_are_403(self, services, case):
        case_id, unit, _ = case

        assert services.supervision.get("/api/v1/cases").status_code == 401
        assert (
            services.supervision.get("/api/v1/cases", headers=person_factory("cadre", unit).headers).status_code == 403
        )
        assert (
            services.supervision.get(
                f"/api/v1/cases/{case_id}", headers=person_factory("secretary").headers
            ).status_code
            == 403
        )

    def test_an_officer_of_another_unit_neither_sees_nor_acts(self, services, case):
        case_id, _, _ = case
        stranger = person_factory("supervision_officer")

        assert services.supervision.get(f"/api/v1/cases/{case_id}", headers=stranger.headers).status_code == 403
        accept = services.supervision.post(
            f"/api/v1/cases/{case_id}/actions", json={"action": "accept"}, headers=stranger.headers
        )
        assert codes(accept) == (403, "forbidden")
        listed = services.supervision.get("/api/v1/cases", headers=stranger.headers).json["items"]
        assert case_id not in [c["case_id"] for c in listed]

    def test_the_list_shows_the_scope_with_filters_and_pages(self, services, case):
        case_id, unit, officer = case
        services.supervision.post("/api/v1/clues", json=clue_body("matter", unit=unit))
        services.settle()

        everything = services.supervision.get("/api/v1/cases", headers=officer.headers).json
        matters = services.supervision.get(
            "/api/v1/cases", query_string={"kind": "matter"}, headers=officer.headers
        ).json
        first = services.supervision.get("/api/v1/cases", query_string={"limit": 1}, headers=officer.headers).json
        second = services.supervision.get(
            "/api/v1/cases", query_string={"limit": 1, "cursor": first["next_cursor"]}, headers=officer.headers
        ).json

        assert len(everything["items"]) == 2 and [c["kind"] for c in matters["items"]] == ["matter"]
        assert {first["items"][0]["case_id"], second["items"][0]["case_id"]} == {
            c["case_id"] for c in everything["items"]
        }
        assert second["next_cursor"] is None

    def test_an_action_that_does_not_fit_the_status_is_409(self, services, case):
        case_id, _, officer = case

        order = {"action": "order", "unit": "u", "due_days": 5, "requirement": "r"}
        answer = services.supervision.post(f"/api/v1/cases/{case_id}/actions", json=order, headers=officer.headers)

        assert codes(answer) == (409, "conflict")

    def test_an_unknown_case_is_404(self, services):
        officer = person_factory("supervision_officer", "city")

        assert services.supervision.get("/api/v1/cases/no-such-case", headers=officer.headers).status_code == 404


class TestRace:
    def test_two_replicas_racing_the_same_action_have_one_winner(self, services, case, app_factory):
        case_id, _, officer = case
        replica = app_factory("supervision").test_client()
        clients = [services.supervision, replica]

        def accept(client):
            return client.post(f"/api/v1/cases/{case_id}/actions", json={"action": "accept"}, headers=officer.headers)

        with ThreadPoolExecutor(2) as pool:
            answers = list(pool.map(accept, clients))
        services.settle()

        assert sorted(a.status_code for a in answers) == [200, 409]
        applied = [
            e
            for e, outcome in services.log_events("cadreflow.cases")
            if e.stream_id == case_id and outcome.value == "applied"
        ]
        assert [e.type for e in applied] == ["ClueReceived", "CaseAccepted"]
